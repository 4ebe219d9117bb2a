"""Client rows written to a constant-memory XlsxWriter sheet as XML built by polars.

XlsxWriter spends ~4.6 µs of CPU per cell through ``write_number`` /
``write_string``: 16 columns × 500,000 clients is ~37 s. In ``constant_memory``
mode a worksheet writes each finished row's ``<row>`` XML to a temporary file;
:class:`StreamingSheet` adds one method that writes many rows' XML at once, built
column-wise by polars in the same form XlsxWriter writes (inline strings, the
cell's format index, numbers as numbers), then lets XlsxWriter go on as usual.
The rest of the workbook (formats, filters, panes, charts) is XlsxWriter's.

XlsxWriter zips the sheets at zlib's default level (6): ~40 % of the CPU of a
500,000-client workbook. :class:`FastZip` (level 1: a third of the time, a quarter
more bytes) takes the place of the ``ZipFile`` XlsxWriter's workbook module uses.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl
import xlsxwriter.workbook
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

__all__ = ["FastZip", "StreamingSheet", "rows_xml"]


class FastZip(zipfile.ZipFile):
    """A ``ZipFile`` whose members are deflated at level 1 unless told otherwise."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("compresslevel", 1)
        super().__init__(*args, **kwargs)


# Every workbook of the process (only cartera's write them) is zipped by FastZip.
xlsxwriter.workbook.ZipFile = FastZip


class StreamingSheet(Worksheet):
    """A worksheet that also takes whole rows of cell XML (constant-memory mode only).

    The rows arrive as UTF-8 bytes and go to the row file's binary buffer, and the row
    file is copied into the sheet's XML as bytes: XlsxWriter's text files would decode
    and encode the ~500 MB of a 500,000-client workbook's rows twice more.
    """

    def write_xml_rows(
        self, first_row: int, last_row: int, last_col: int, xml: bytes | str
    ) -> None:
        """Write ``xml`` (``<row>`` elements for rows ``first_row``..``last_row``, 0-based)."""
        if not self.constant_memory:
            raise ValueError("write_xml_rows needs the workbook's constant_memory mode")
        self._write_single_row(first_row)  # writes the row still pending, if any
        data = xml.encode("utf-8") if isinstance(xml, str) else xml
        self.fh.flush()
        self.fh.buffer.write(data)
        self._check_dimensions(first_row, 0)
        self._check_dimensions(last_row, last_col)
        self.previous_row = last_row + 1

    def _write_optimized_sheet_data(self) -> None:
        sheet = getattr(self.fh, "buffer", None)
        if self.dim_rowmin is None or sheet is None:
            super()._write_optimized_sheet_data()
            return
        self._xml_start_tag("sheetData")
        self.fh.flush()
        self.row_data_fh.flush()
        self.row_data_fh.buffer.seek(0)
        shutil.copyfileobj(self.row_data_fh.buffer, sheet, 1 << 20)
        sheet.flush()
        self.row_data_fh.close()
        os.unlink(self.row_data_filename)
        self._xml_end_tag("sheetData")


def _escaped(col: pl.Expr) -> pl.Expr:
    return (
        col.str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True)
    )


def rows_xml(
    frame: pl.DataFrame,
    columns: Sequence[tuple[str, str, Any]],
    first_row: int,
) -> bytes:
    """``<row>`` XML of ``frame`` starting at sheet row ``first_row`` (0-based), UTF-8.

    ``columns`` are ``(frame column, kind, style)`` in sheet order; ``kind`` is
    ``"text"`` or a number kind; ``style`` is a polars expression giving each
    cell's format index (or an int for every row). Null values are blank cells
    that keep their format (the row's tint).
    """
    row = (pl.int_range(pl.len(), dtype=pl.Int64) + first_row + 1).cast(pl.String)
    cells: list[pl.Expr] = []
    for c, (name, kind, style) in enumerate(columns):
        ref = pl.lit(f'<c r="{xl_col_to_name(c)}') + row
        s = pl.lit(style) if isinstance(style, int) else style
        head = ref + pl.lit('" s="') + s.cast(pl.String)
        value = pl.col(name)
        if kind == "text":
            text = value.cast(pl.String)
            preserve = text.str.contains(r"^\s|\s$")
            body = (
                pl.when(preserve)
                .then(pl.lit('" t="inlineStr"><is><t xml:space="preserve">'))
                .otherwise(pl.lit('" t="inlineStr"><is><t>'))
                + _escaped(text)
                + pl.lit("</t></is></c>")
            )
            filled = text.is_not_null() & (text != "")
        else:
            body = pl.lit('"><v>') + value.cast(pl.String) + pl.lit("</v></c>")
            filled = (
                value.is_not_null() & value.is_finite() if kind != "int" else value.is_not_null()
            )
        cells.append(pl.when(filled).then(head + body).otherwise(head + pl.lit('"/>')))
    rows = pl.lit('<row r="') + row + pl.lit('">') + pl.concat_str(cells) + pl.lit("</row>")
    xml: bytes = frame.select(rows.str.join("").cast(pl.Binary)).to_series().item()
    return xml


def write_frames(
    sheet: StreamingSheet,
    frames: Iterable[pl.DataFrame],
    columns: Sequence[tuple[str, str, Any]],
    first_row: int,
) -> int:
    """Write every frame's rows from ``first_row`` on; return how many rows were written."""
    n = 0
    for frame in frames:
        if frame.height == 0:
            continue
        start = first_row + n
        sheet.write_xml_rows(start, start + frame.height - 1, len(columns) - 1,
                             rows_xml(frame, columns, start))  # fmt: skip
        n += frame.height
    return n
