"""The out-of-core build, one range of documents at a time, writes what the whole build writes.

Above ``OUT_OF_CORE_LINES`` document lines the documents' figures and client keys are worked
out one range of document hashes at a time, one segment's worth of lines each (decision
0282). ``CARTERA_OUT_OF_CORE_LINES=0`` and ``CARTERA_SEGMENT_ROWS`` make that path, with many
ranges, run on small files; each case is compared with the in-memory import.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from test_io_out_of_core import _assert_same

from cartera.io import ReadOptions, buckets, import_files
from cartera.io.importer import OUT_OF_CORE_ENV
from cartera.io.segments import SEGMENT_ENV

demo = pytest.importorskip("cartera.demo")


def _import(
    into: Path,
    case: dict[str, Any],
    options: ReadOptions,
    monkeypatch: pytest.MonkeyPatch,
    rows: int | None,
) -> list[int]:
    """Import ``case`` in memory (``rows`` None) or out of core in ranges of ``rows`` lines;
    returns the lines of each range built."""
    if rows is None:
        monkeypatch.delenv(OUT_OF_CORE_ENV, raising=False)
        monkeypatch.delenv(SEGMENT_ENV, raising=False)
    else:
        monkeypatch.setenv(OUT_OF_CORE_ENV, "0")
        monkeypatch.setenv(SEGMENT_ENV, str(rows))
    built: list[int] = []
    original = buckets._documents

    def spy(docs: Any, *args: Any) -> Any:
        built.append(docs.height)
        return original(docs, *args)

    monkeypatch.setattr(buckets, "_documents", spy)
    args = {k: v for k, v in case.items() if k not in ("files", "skip")}
    opts = options.model_copy(update={"skip_bad_rows": case.get("skip", False)})
    import_files(case.get("files", []), into=into, options=opts, force=True, **args)
    return built


def test_a_generated_export_in_ranges(
    tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo.write_demo(tmp_path / "demo", clients=120, lines=5000, seed=11)
    case = {"files": [tmp_path / "demo"]}
    assert _import(tmp_path / "whole", case, options, monkeypatch, None) == []
    ranges = _import(tmp_path / "ranges", case, options, monkeypatch, 100)
    assert sum(ranges) > 5000 and len(ranges) == -(-sum(ranges) // 100)
    _assert_same(tmp_path / "whole", tmp_path / "ranges")


def _settled_at_the_edge(tmp_path: Path) -> dict[str, Path]:
    """200 documents of 100.00 paid 95.53, 3.28 and 0.19, exactly the 99 % that settles
    them, among 20 documents of over a thousand million: the running sum of the payments is
    far from zero and its float noise (kept to a millionth) decides whether each small one
    is settled (75 of the 200 are not, in the whole build)."""
    docs = ["Nº factura;Fecha;Código cliente;Cliente;Base imponible"]
    pays = ["Nº factura;Fecha cobro;Cantidad cobrada"]
    for i in range(220):
        big = i % 11 == 0
        amount = "1.234.567.890,13" if big else "100,00"
        docs.append(f"D{i};15/01/2024;C{i % 7};Cliente {i % 7};{amount}")
        paid = [amount] if big else ["95,53", "3,28", "0,19"]
        pays += [f"D{i};0{n + 1}/02/2024;{a}" for n, a in enumerate(paid)]
    (tmp_path / "facturas.csv").write_text("\n".join(docs) + "\n", "utf-8")
    (tmp_path / "cobros.csv").write_text("\n".join(pays) + "\n", "utf-8")
    return {"documents": tmp_path / "facturas.csv", "payments": tmp_path / "cobros.csv"}


def test_the_running_sum_of_payments_carries_across_ranges(
    tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _settled_at_the_edge(tmp_path)
    _import(tmp_path / "whole", case, options, monkeypatch, None)
    settled = pl.read_parquet(tmp_path / "whole" / "documents.parquet").get_column("paid_date")
    assert 0 < settled.null_count() < 200  # the edge falls both ways
    carried: list[float | None] = []
    original = buckets._with_carry

    def spy(payments: Any, below: int, carry: float | None) -> Any:
        carried.append(carry)
        return original(payments, below, carry)

    monkeypatch.setattr(buckets, "_with_carry", spy)
    assert len(_import(tmp_path / "ranges", case, options, monkeypatch, 10)) == 22
    assert carried[0] is None and all(c is not None for c in carried[1:])
    assert max(c for c in carried if c is not None) >= 1e10
    _assert_same(tmp_path / "whole", tmp_path / "ranges")


def test_documents_not_listed_together_are_built_whole(
    tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "facturas.csv"
    lines = ["F1;15/01/2024;C1;Acme;10,00", "F2;16/01/2024;C2;Globex;20,00"] * 3
    path.write_text("Nº factura;Fecha;Código cliente;Cliente;Base imponible\n" + "\n".join(lines))
    case = {"documents": path}
    _import(tmp_path / "whole", case, options, monkeypatch, None)
    assert _import(tmp_path / "spilled", case, options, monkeypatch, 1) == []
    _assert_same(tmp_path / "whole", tmp_path / "spilled")


@pytest.mark.parametrize(
    ("lines", "rows", "ranges"),
    [(0, 10, 1), (10, 10, 1), (11, 10, 2), (640, 10, 64), (641, 10, 64), (5, 0, 5)],
)
def test_the_ranges(lines: int, rows: int, ranges: int) -> None:
    bounds = buckets.bucket_bounds(lines, rows)
    assert len(bounds) == ranges and bounds[0] == 0
    assert all(a < b for a, b in itertools.pairwise(bounds))
    assert (1 << 64) - bounds[-1] <= (1 << 64) // ranges + 1
