"""Rows written as XML by polars read back like cells written one by one by XlsxWriter."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import polars as pl
import pytest
import xlsxwriter

from cartera.report.xlsx_stream import StreamingSheet, rows_xml, write_frames


def test_rows_read_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / "stream.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    money = book.add_format({"num_format": "#,##0.00"})
    text = book.add_format({"text_wrap": True})
    sheet = book.add_worksheet("S", worksheet_class=StreamingSheet)
    sheet.write_string(0, 0, "header")
    frame = pl.DataFrame(
        {
            "name": ["Ñandú & <Hijos>", " leading space", None],
            "amount": [1234.5, None, -0.25],
            "rank": [1, 2, 3],
        }
    )
    columns = [
        ("name", "text", text._get_xf_index()),
        ("amount", "money", pl.when(pl.col("rank") > 0).then(money._get_xf_index())),
        ("rank", "int", 0),
    ]
    n = write_frames(sheet, [frame.head(2), frame.tail(1)], columns, 1)
    sheet.write_string(n + 1, 0, "after")  # normal writes go on below the streamed rows
    book.close()
    assert n == 3
    rows = list(openpyxl.load_workbook(path)["S"].iter_rows())
    assert [[c.value for c in r] for r in rows] == [
        ["header", None, None],
        ["Ñandú & <Hijos>", 1234.5, 1],
        [" leading space", None, 2],
        [None, -0.25, 3],
        ["after", None, None],
    ]
    assert rows[1][1].number_format == "#,##0.00"
    assert rows[2][1].number_format == "#,##0.00"  # a blank cell keeps its format


def test_rows_xml_form() -> None:
    frame = pl.DataFrame({"v": [2.5], "t": ["a<b"]})
    xml = rows_xml(frame, [("v", "number", 3), ("t", "text", 4)], 9)
    assert xml == (
        b'<row r="10"><c r="A10" s="3"><v>2.5</v></c>'
        b'<c r="B10" s="4" t="inlineStr"><is><t>a&lt;b</t></is></c></row>'
    )


def test_needs_constant_memory(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    sheet = book.add_worksheet("S", worksheet_class=StreamingSheet)
    with pytest.raises(ValueError, match="constant_memory"):
        sheet.write_xml_rows(0, 0, 0, "")
    book.close()


def test_workbooks_are_zipped_at_level_one(tmp_path: Path) -> None:
    """XlsxWriter's ZipFile is FastZip: the sheet is deflated as zlib level 1 does it."""
    import zipfile
    import zlib

    import cartera.report.xlsx_stream as stream

    path = tmp_path / "z.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for r in range(3000):
        sheet.write_row(r, 0, [f"cliente {r % 97}", r * 1.25, r % 13])
    book.close()

    def deflated(data: bytes, level: int) -> int:
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        return len(packer.compress(data) + packer.flush())

    assert xlsxwriter.workbook.ZipFile is stream.FastZip
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        data = archive.read(info)
    assert info.compress_size == deflated(data, 1) != deflated(data, 6)
