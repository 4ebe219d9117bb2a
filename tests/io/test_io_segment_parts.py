"""A documents file typed in segments has its part built per segment only when that is exact.

``documents_part`` decides some things over the whole file (decision 0284): the file's first
lines tell document figures and numbers keyed by type, VAT is a fraction when the whole
column is ≤ 1, and filling, structure rows, excluded statuses, nameless lines and missing
client codes look across documents. Each case imports a file whole and in segments of 4
rows and compares every table, the manifest and the rejects, and checks which path the
segments took: per segment, or typed whole and built as before (the fall-back).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_io_out_of_core import _assert_same

from cartera.io import ReadOptions, import_files, load, rows
from cartera.io.segments import SEGMENT_ENV

demo = pytest.importorskip("cartera.demo")

HEADER = "Nº factura;Fecha;Código cliente;Cliente;Producto;Base imponible;Coste"
PLAIN = [
    f"F{i // 2};{1 + i // 2:02d}/01/2024;C{i // 2 % 5};Cliente {i // 2 % 5};P{i % 3};{i},50;{i}"
    for i in range(2, 26)
]


def _import(
    into: Path, case: dict[str, Any], monkeypatch: pytest.MonkeyPatch, segment: int | None
) -> list[bool]:
    """Import ``case``; returns, per documents file typed in segments, whether its part was
    built per segment."""
    if segment is None:
        monkeypatch.delenv(SEGMENT_ENV, raising=False)
    else:
        monkeypatch.setenv(SEGMENT_ENV, str(segment))
    paths: list[bool] = []
    original = load.documents_in_segments

    def spy(*args: Any) -> Any:
        result = original(*args)
        paths.append(result.part is not None)
        return result

    monkeypatch.setattr(load, "documents_in_segments", spy)
    options = ReadOptions(skip_bad_rows=case.get("skip", False))
    files = {k: v for k, v in case.items() if k != "skip"}
    import_files([], into=into, options=options, force=True, **files)
    return paths


def _same_both_ways(
    tmp_path: Path, header: str, lines: list[str], monkeypatch: pytest.MonkeyPatch, **case: Any
) -> bool:
    """Whether the file of ``lines`` was built per segment; asserts the workspaces equal."""
    path = tmp_path / "facturas.csv"
    path.write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    case = {"documents": path, **case}
    assert _import(tmp_path / "whole", case, monkeypatch, None) == []
    paths = _import(tmp_path / "parts", case, monkeypatch, 4)
    _assert_same(tmp_path / "whole", tmp_path / "parts")
    assert len(paths) == 1
    return paths[0]


def test_a_plain_file_is_built_per_segment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same_both_ways(tmp_path, HEADER, PLAIN, monkeypatch)


def test_a_generated_export_is_built_per_segment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo.write_demo(tmp_path / "demo", clients=120, lines=3000, seed=5)
    case = {"documents": tmp_path / "demo" / "facturas.csv"}
    _import(tmp_path / "whole", case, monkeypatch, None)
    assert _import(tmp_path / "parts", case, monkeypatch, 40) == [True]
    _assert_same(tmp_path / "whole", tmp_path / "parts")


FALL_BACK = {
    # A continuation line: its client and date come from its document's other line.
    "gap": (HEADER, [*PLAIN[:9], "F5;;;;P1;2,00;1", *PLAIN[9:]]),
    # A subtotal row (no number, date or client) is left out with a count.
    "structure": (HEADER, [*PLAIN[:9], ";;;;;40,00;20", *PLAIN[9:]]),
    # A line with a name and no code: the file's clients are told by every column.
    "no code": (HEADER, [*PLAIN[:9], "F30;05/01/2024;;Acme;P1;2,00;1", *PLAIN[9:]]),
    # An invoice total repeated on lines that vary: a document figure.
    "figure": (
        "Nº factura;Fecha;Código cliente;Producto;Total factura",
        [f"F{i // 3};05/01/2024;C{i // 3 % 4};P{i % 3};{100 + i // 3},00" for i in range(3, 30)],
    ),
    # A cancelled document: left out, with its count and amount.
    "status": (
        HEADER + ";Estado",
        [f"{line};Emitida" for line in PLAIN[:11]]
        + [f"{line};Anulada" for line in PLAIN[11:12]]
        + [f"{line};Emitida" for line in PLAIN[12:]],
    ),
    # A cancellation date: the line is left out, with its count and amount.
    "cancelled": (
        HEADER + ";Fecha de cancelación",
        [f"{line};" for line in PLAIN[:11]]
        + [f"{line};20/01/2024" for line in PLAIN[11:12]]
        + [f"{line};" for line in PLAIN[12:]],
    ),
    # A refund under its order's number, later and negative: keyed apart, the file built whole.
    "refund": (HEADER, [*PLAIN[:9], "F5;20/01/2024;C0;Cliente 0;P1;-3,00;-1", *PLAIN[9:]]),
    # A payroll receipt among the invoices: not a sale.
    "not a sale": (
        HEADER + ";Tipo",
        [f"{line};Factura" for line in PLAIN[:11]]
        + [f"{line};Nómina" for line in PLAIN[11:12]]
        + [f"{line};Factura" for line in PLAIN[12:]],
    ),
}


@pytest.mark.parametrize("case", list(FALL_BACK), ids=list(FALL_BACK))
def test_a_file_decided_across_documents_falls_back_to_the_whole_file(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    header, lines = FALL_BACK[case]
    assert not _same_both_ways(tmp_path, header, lines, monkeypatch)


def test_a_line_without_a_client_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One nameless line of 25 (4 %): left out with a note over the whole file's share."""
    lines = [*PLAIN[:9], "F31;05/01/2024;;;P1;2,00;1", *PLAIN[9:]]
    assert not _same_both_ways(tmp_path, HEADER, lines, monkeypatch, skip=True)


VAT_HEADER = "Nº factura;Fecha;Código cliente;Total;IVA %"


def _vat_lines(rates: list[str]) -> list[str]:
    return [f"F{i};05/01/2024;C{i % 3};{100 + i},00;{r}" for i, r in enumerate(rates)]


def test_vat_fractions_in_every_segment_are_built_per_segment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rows, "SAMPLE_LINES", 4)
    lines = _vat_lines(["0,21", "0,1", "0", "0,04"] * 4 + ["1"])
    assert _same_both_ways(tmp_path, VAT_HEADER, lines, monkeypatch)


def test_a_percentage_after_the_sample_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first segments read VAT as fractions; a later 21 makes the file's percentages."""
    monkeypatch.setattr(rows, "SAMPLE_LINES", 4)
    lines = _vat_lines(["0,21", "0,1", "0", "0,04"] * 3 + ["1,5", "0,21"])
    assert not _same_both_ways(tmp_path, VAT_HEADER, lines, monkeypatch)


def test_percentages_in_the_sample_are_built_per_segment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rows, "SAMPLE_LINES", 4)
    lines = _vat_lines(["21", "0,21", "10", "0"] * 4)
    assert _same_both_ways(tmp_path, VAT_HEADER, lines, monkeypatch)


TYPE_HEADER = "Tipo Doc;Folio;Fecha;Código cliente;Base imponible"


@pytest.mark.parametrize("repeat_at", [2, 6])
def test_numbers_keyed_by_type_are_told_from_the_files_first_lines(
    repeat_at: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folio repeated under another type within the first lines (line 3) keys every
    segment's documents by type; repeated after them (line 7), none."""
    monkeypatch.setattr(rows, "SAMPLE_LINES", 5)
    lines = [f"33;{i};05/01/2024;C{i % 3};{10 + i},00" for i in range(1, 15)]
    lines.insert(repeat_at, "61;1;05/01/2024;C1;5,00")
    assert _same_both_ways(tmp_path, TYPE_HEADER, lines, monkeypatch)


def test_exempt_amounts_are_added_per_segment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [f"F{i};05/01/2024;C{i % 3};{10 + i},00;{i % 2},50" for i in range(1, 15)]
    header = "Nº factura;Fecha;Código cliente;Base imponible;Exento"
    assert _same_both_ways(tmp_path, header, lines, monkeypatch)
