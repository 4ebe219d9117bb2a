"""Rows written as XML by polars read back like cells written one by one by XlsxWriter."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

import openpyxl
import polars as pl
import pytest
import xlsxwriter

from cartera.report.xlsx_stream import FastZip, StreamingSheet, rows_frame, rows_xml, write_frames


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


def test_rows_frame_is_a_row_per_value() -> None:
    """Styles shared by columns, escaping only where a slice needs it: the same XML as
    each row built alone."""
    frame = pl.DataFrame({"a": ["x", "a&b", ""], "b": ["y ", "z", None], "n": [1.5, None, 3.0]})
    style = pl.when(pl.col("n") > 2).then(7).otherwise(5)
    columns = [("a", "text", style), ("b", "text", style), ("n", "number", style)]
    rows = rows_frame(frame, columns, 4)["xml"].to_list()
    assert rows == [rows_xml(frame.slice(i, 1), columns, 4 + i).decode() for i in range(3)]
    assert rows[0] == (
        '<row r="5"><c r="A5" s="5" t="inlineStr"><is><t>x</t></is></c>'
        '<c r="B5" s="5" t="inlineStr"><is><t xml:space="preserve">y </t></is></c>'
        '<c r="C5" s="5"><v>1.5</v></c></row>'
    )
    assert "<t>a&amp;b</t>" in rows[1] and '<c r="C6" s="5"/>' in rows[1]
    assert '<c r="A7" s="7"/><c r="B7" s="7"/><c r="C7" s="7"><v>3.0</v></c>' in rows[2]


def test_needs_constant_memory(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    sheet = book.add_worksheet("S", worksheet_class=StreamingSheet)
    with pytest.raises(ValueError, match="constant_memory"):
        sheet.write_xml_rows(0, 0, 0, "")
    book.close()


def test_workbooks_are_zipped_at_level_one(tmp_path: Path) -> None:
    """XlsxWriter's ZipFile is FastZip: the sheet is deflated as zlib level 1 does it."""
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


def _chunked_zip(path: Path, member: Path) -> zipfile.ZipInfo:
    with FastZip(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(member, "sheet.xml")
        return archive.getinfo("sheet.xml")


def test_a_big_member_is_deflated_in_chunks_on_threads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From ``chunked_from`` bytes on, a member is deflated a chunk at a time (each primed
    with the 32 KiB before it): it reads back whole, about as small as one stream, and the
    same bytes every time; one byte less, it is one stream as before."""
    import random

    rng = random.Random(7)
    words = [f'<c r="A{i}" s="{i % 9}"><v>{rng.random()}</v></c>' for i in range(60_000)]
    data = "".join(words).encode()
    member = tmp_path / "sheet.xml"
    member.write_bytes(data)
    monkeypatch.setattr(FastZip, "chunk", 256 * 1024)
    monkeypatch.setattr(FastZip, "chunked_from", len(data))

    def serial(level: int) -> int:
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        return len(packer.compress(data) + packer.flush())

    one = _chunked_zip(tmp_path / "one.zip", member)
    again = _chunked_zip(tmp_path / "again.zip", member)
    assert len(data) > 8 * FastZip.chunk
    with zipfile.ZipFile(tmp_path / "one.zip") as archive:
        assert archive.testzip() is None
        assert archive.read("sheet.xml") == data
    assert one.compress_size != serial(1)  # chunks, not one stream
    assert serial(1) <= one.compress_size < serial(1) * 1.01
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "again.zip").read_bytes()
    assert one.CRC == again.CRC == zlib.crc32(data)
    monkeypatch.setattr(FastZip, "chunked_from", len(data) + 1)
    assert _chunked_zip(tmp_path / "below.zip", member).compress_size == serial(1)


def test_zipfile_writer_still_has_the_compressor_fastzip_replaces(tmp_path: Path) -> None:
    archive = zipfile.ZipFile(tmp_path / "w.zip", "w", compression=zipfile.ZIP_DEFLATED)
    with archive, archive.open("x", "w") as writer:
        assert type(writer._compressor) is type(zlib.compressobj())  # type: ignore[attr-defined]
        writer.write(b"x")
