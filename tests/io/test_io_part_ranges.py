"""A documents part written by range of hashes reads back as the part held in memory would.

A large documents file built per segment has each segment's part written to Parquet by
range of document hashes (decision 0286); the duplicate and payment checks, the rejects and
the build then read a range at a time. Each import case here is compared with the same
files imported whole (every table, the pre-aggregates, the manifest, the rejects), and the
path is checked: the part was written by range, not held.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from test_io_buckets import _import as in_ranges
from test_io_out_of_core import _assert_same

from cartera.errors import InputError
from cartera.io import ReadOptions, buckets, part_ranges
from cartera.io.buckets import in_range
from cartera.io.part_ranges import SpilledPart
from cartera.io.tables import doc_key
from cartera.io.workspace import MANIFEST

HEADER = "Nº factura;Fecha;Código cliente;Cliente;Producto;Base imponible;Coste"


def _lines(documents: int, per: int) -> list[str]:
    """``documents`` documents of ``per`` lines each, listed together."""
    return [
        f"F{d};{1 + d % 28:02d}/01/2024;C{d % 5};Cliente {d % 5};P{n};{d + n},50;{n}"
        for d in range(documents)
        for n in range(per)
    ]


def _import(
    into: Path,
    case: dict[str, Any],
    options: ReadOptions,
    monkeypatch: pytest.MonkeyPatch,
    rows: int | None,
) -> list[int]:
    """Import ``case`` whole (``rows`` None) or in segments of ``rows`` lines, out of core;
    returns the rows of each segment written by range."""
    written: list[int] = []
    original = SpilledPart.add

    def spy(self: SpilledPart, frame: pl.DataFrame) -> None:
        written.append(frame.height)
        original(self, frame)

    monkeypatch.setattr(part_ranges.SpilledPart, "add", spy)
    in_ranges(into, case, options, monkeypatch, rows)
    return written


def _write(path: Path, lines: list[str], header: str = HEADER) -> Path:
    path.write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_document_across_a_segment_border(
    tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Documents of 3 lines in segments of 4: every other document crosses a border.
    files = {"documents": _write(tmp_path / "facturas.csv", _lines(12, 3))}
    assert _import(tmp_path / "whole", files, options, monkeypatch, None) == []
    assert _import(tmp_path / "ranges", files, options, monkeypatch, 4) == [4] * 9
    _assert_same(tmp_path / "whole", tmp_path / "ranges")


def test_a_document_listed_apart_falls_back_to_the_whole_build(
    tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    # F0's second line comes last, after three segments of other documents: the part is
    # written by range, but not every document is one run, so the build takes the part whole.
    lines = _lines(6, 2)
    lines.append(lines.pop(1))
    files = {"documents": _write(tmp_path / "facturas.csv", lines)}
    _import(tmp_path / "whole", files, options, monkeypatch, None)
    fell_back: list[int] = []
    original = buckets.build_tables_out_of_core

    def spy(docs: Any, *args: Any) -> Any:
        fell_back.append(docs.height)
        return original(docs, *args)

    monkeypatch.setattr(buckets, "build_tables_out_of_core", spy)
    assert _import(tmp_path / "ranges", files, options, monkeypatch, 4) == [4, 4, 4]
    assert fell_back == [12]
    _assert_same(tmp_path / "whole", tmp_path / "ranges")


def test_ranges_with_no_rows(
    tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 12 lines in segments of 1: 12 ranges of the hash for 3 documents, most of them empty.
    lines = _lines(3, 4)
    files = {"documents": _write(tmp_path / "facturas.csv", lines)}
    _import(tmp_path / "whole", files, options, monkeypatch, None)
    assert _import(tmp_path / "ranges", files, options, monkeypatch, 1) == [1] * 12
    _assert_same(tmp_path / "whole", tmp_path / "ranges")


def _with_payments_and_bad_rows(tmp_path: Path) -> dict[str, Any]:
    """Documents with a number reused by another client in a later segment, a payment of a
    document that does not exist, one before its document and one far over it."""
    lines = _lines(10, 2)
    lines[15] = lines[15].replace(";C", ";X")  # document F7's second line: another client
    docs = _write(tmp_path / "facturas.csv", lines)
    pays = [
        "F1;10/02/2024;2,00",
        "F2;10/02/2024;5,00",
        "F404;10/02/2024;1,00",
        "F3;01/01/2023;1,00",
        "F4;10/02/2024;9.000,00",
        "F5;10/02/2024;11,00",
    ]
    cobros = _write(tmp_path / "cobros.csv", pays, "Nº factura;Fecha cobro;Cantidad cobrada")
    return {"documents": docs, "payments": cobros}


def test_rows_rejected_after_the_write(
    tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = {**_with_payments_and_bad_rows(tmp_path), "skip": True}
    _import(tmp_path / "whole", case, options, monkeypatch, None)
    assert _import(tmp_path / "ranges", case, options, monkeypatch, 3) == [3] * 6 + [2]
    _assert_same(tmp_path / "whole", tmp_path / "ranges")
    tables = json.loads((tmp_path / "ranges" / MANIFEST).read_text("utf-8"))["tables"]
    assert (tables["documents"]["rows_rejected"], tables["payments"]["rows_rejected"]) == (1, 3)


def test_strict_problems_are_the_same(
    tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _with_payments_and_bad_rows(tmp_path)
    found = []
    for rows in (None, 3):
        with pytest.raises(InputError) as caught:
            _import(tmp_path / f"ws{rows}", files, options, monkeypatch, rows)
        found.append([(p.file, p.row, p.column, p.message, p.value, p.params)
                      for p in caught.value.problems])  # fmt: skip
    assert found[0] == found[1]
    assert len(found[0]) == 4


def _segment(rows: range) -> pl.DataFrame:
    return pl.DataFrame(
        {"__row": list(rows), "doc_number": [f"D{r // 2}" for r in rows]},
        schema={"__row": pl.Int64, "doc_number": pl.String},
    ).with_columns(doc_key())


@pytest.mark.parametrize(("segments", "lines"), [(1, 7), (3, 7), (7, 1)])
def test_each_range_reads_the_whole_parts_rows_in_file_order(
    tmp_path: Path, segments: int, lines: int
) -> None:
    whole = _segment(range(2, 2 + segments * lines))
    spilled = SpilledPart.create(tmp_path, "part3", 3, whole.height, 4)
    for start in range(0, whole.height, lines):
        spilled.add(whole.slice(start, lines))
    expected = whole.with_columns(pl.lit(3, pl.Int64).alias("__file"))
    assert spilled.height == whole.height
    for k in range(spilled.ranges()):
        assert_frame_equal(spilled.range(k), expected.filter(in_range(spilled.bounds, k)))
    assert_frame_equal(spilled.whole(), expected)
    assert_frame_equal(spilled.whole(("__doc",)), expected.select("__doc"))
    spilled.reject(pl.DataFrame({"__row": [2, 5, 999]}))
    kept = expected.filter(~pl.col("__row").is_in([2, 5]))
    assert spilled.height == kept.height
    assert_frame_equal(spilled.whole(), kept)
    spilled.remove()
    assert not list(tmp_path.glob("part3.*"))


def test_a_range_without_rows_reads_empty_with_the_columns(tmp_path: Path) -> None:
    one = _segment(range(2, 3))  # one document: every range but its own is empty
    spilled = SpilledPart.create(tmp_path, "part0", 0, 64, 1)
    spilled.add(one)
    heights = [spilled.range(k).height for k in range(spilled.ranges())]
    assert sorted(heights) == [0] * 63 + [1]
    empty = spilled.range(heights.index(0), ("__file", "__row", "__doc"))
    assert empty.schema == pl.Schema({"__file": pl.Int64, "__row": pl.Int64, "__doc": pl.UInt64})
    assert len(list(tmp_path.glob("part0.*.parquet"))) == 1


def _numbers(numbers: list[str]) -> pl.DataFrame:
    return pl.DataFrame(
        {"__row": list(range(2, 2 + len(numbers))), "doc_number": numbers},
        schema={"__row": pl.Int64, "doc_number": pl.String},
    ).with_columns(doc_key())


def _whole_runs(frame: pl.DataFrame) -> tuple[int, int]:
    doc = frame.sort("__row").get_column("__doc")
    return int(doc.rle_id()[-1]) + 1, doc.n_unique()


@pytest.mark.parametrize("lines", [1, 2, 3, 5, 20])
@pytest.mark.parametrize(
    ("numbers", "rejected", "runs"),
    [
        # Each document listed together, some across a segment's border: one run each.
        (["A", "A", "B", "B", "B", "C", "D", "D", "E", "E"], [], 5),
        # A comes back after B (in another range or not): four runs of three documents.
        (["A", "A", "B", "A", "C", "C"], [], 4),
        # The same line twice in a row across a border still counts once.
        (["A", "B", "B", "B", "B", "A"], [], 3),
        # A rejected line between two of A's makes them one run, as in the whole part.
        (["A", "X", "A", "B", "B"], [3], 2),
        # Every line of a segment rejected: the runs on either side of it meet.
        (["A", "A", "Y", "Y", "A", "B"], [4, 5], 2),
    ],
)
def test_runs_are_counted_a_segment_at_a_time_as_on_the_whole_part(
    tmp_path: Path, lines: int, numbers: list[str], rejected: list[int], runs: int
) -> None:
    whole = _numbers(numbers)
    spilled = SpilledPart.create(tmp_path, "part0", 0, whole.height, 2)
    for start in range(0, whole.height, lines):
        spilled.add(whole.slice(start, lines))
    if rejected:
        spilled.reject(pl.DataFrame({"__row": rejected}))
    kept = whole.filter(~pl.col("__row").is_in(rejected))
    assert spilled.run_counts() == _whole_runs(kept)
    assert spilled.run_counts()[0] == runs
