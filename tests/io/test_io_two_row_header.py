"""A header over two rows whose merged cell (``Cliente``) sits in the upper row only, above
a blank under it (decision 0953): in a workbook and in the CSV saved from it."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from cartera.io import ReadOptions, import_files
from cartera.io.source import _fills_blank

UPPER = ["Cliente", "Factura", None, "Importe", None, None]
LOWER = [None, "Nº", "Fecha", "Base", "IVA", "Total"]
ROWS = [
    ["Talleres Sur", "T1-001", "12/01/2024", "315,29", "66,21", "381,50"],
    ["Agencia Olé", "T1-002", "13/01/2024", "423,51", "88,94", "512,45"],
]


def _check(docs: pl.DataFrame) -> None:
    assert sorted(docs["amount"].to_list()) == pytest.approx([315.29, 423.51])
    assert docs["doc_number"].to_list() == ["T1-001", "T1-002"]
    assert docs["client_id"].n_unique() == 2


def test_a_csv_with_a_two_row_header(tmp_path: Path, options: ReadOptions) -> None:
    lines = [["Facturación 1T 2024"], [], UPPER, LOWER, *ROWS]
    text = "\n".join(";".join(c or "" for c in row) for row in lines) + "\n"
    (tmp_path / "f.csv").write_text(text, encoding="utf-8")
    summary = import_files(documents=tmp_path / "f.csv", into=tmp_path / "ws", options=options)
    _check(summary.workspace.read("documents").sort("source_row"))


def test_a_workbook_with_a_two_row_header(tmp_path: Path, options: ReadOptions) -> None:
    path = tmp_path / "libro.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("1T 2024")
    sheet.write(0, 0, "Facturación 1er trimestre 2024")
    for r, row in enumerate([UPPER, LOWER, *ROWS], start=2):
        for c, cell in enumerate(row):
            if cell is not None:
                sheet.write(r, c, cell)
    book.close()
    summary = import_files(documents=path, into=tmp_path / "ws", options=options)
    _check(summary.workspace.read("documents").sort("source_row"))


@pytest.mark.parametrize(
    ("upper", "lower", "one_header"),
    [
        (UPPER, LOWER, True),
        (["Cliente", None, None], [None, "Nº", "Fecha"], False),  # a title: one name only
        (["Cliente", "Factura"], ["Código", "Nº"], False),  # no blank under «Cliente»
        (["Trimestre", "Factura", None], [None, "Nº", "Fecha"], False),  # not a header name
        (["Factura", "Cliente"], ["Nº"], True),  # a shorter lower row: blank beyond it
    ],
)
def test_the_upper_row_fills_a_blank(
    upper: list[str | None], lower: list[str | None], one_header: bool
) -> None:
    assert _fills_blank([upper, lower]) is one_header
