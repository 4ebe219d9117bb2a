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
more bytes) takes the place of the ``ZipFile`` XlsxWriter's workbook module uses,
and deflates a big sheet (~520 MB of XML at 500,000 clients) on two threads, a
chunk each at a time (:class:`ChunkedDeflate`): when the book is zipped nothing
else runs, so the second core would be idle.
"""

from __future__ import annotations

import os
import shutil
import zipfile
import zlib
from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import polars as pl
import xlsxwriter.workbook
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

__all__ = ["ChunkedDeflate", "FastZip", "StreamingSheet", "rows_frame", "rows_xml"]


#: Deflate's window: a chunk deflated alone, primed with this much of the data before it,
#: finds every match one stream would.
_WINDOW = 32 * 1024
#: An empty final block (fixed codes): what ends a stream of sync-flushed chunks.
_FINAL = zlib.compressobj(1, zlib.DEFLATED, -15).flush()


class ChunkedDeflate:
    """A raw deflate stream built from chunks deflated on a thread pool (pigz's scheme).

    Quacks like ``zlib.compressobj(level, DEFLATED, -15)`` for ``ZipFile``: each
    :meth:`compress` call's data is one chunk, deflated on its own, primed with the 32 KiB
    before it, and ended by a sync flush (an empty stored block: byte-aligned, not the last
    block); :meth:`flush` adds an empty final block. The chunks joined in order are one
    valid stream, the same bytes whatever the threads' timing. zlib releases the
    interpreter lock while it deflates. At most ``ahead`` chunks wait at once.
    """

    def __init__(self, level: int, pool: ThreadPoolExecutor, ahead: int) -> None:
        self._level, self._pool, self._ahead = level, pool, ahead
        self._window = b""
        self._pending: deque[Future[bytes]] = deque()

    def _deflate(self, window: bytes, data: bytes) -> bytes:
        packer = (
            zlib.compressobj(self._level, zlib.DEFLATED, -15, zdict=window)
            if window
            else zlib.compressobj(self._level, zlib.DEFLATED, -15)
        )
        return packer.compress(data) + packer.flush(zlib.Z_SYNC_FLUSH)

    def compress(self, data: bytes) -> bytes:
        """Queue ``data`` as the next chunk; return the chunks finished in order so far."""
        chunk = bytes(data)
        self._pending.append(self._pool.submit(self._deflate, self._window, chunk))
        self._window = chunk[-_WINDOW:]
        done = []
        while self._pending and (len(self._pending) > self._ahead or self._pending[0].done()):
            done.append(self._pending.popleft().result())
        return b"".join(done)

    def flush(self) -> bytes:
        """The chunks still pending and the final block."""
        done = [future.result() for future in self._pending]
        self._pending.clear()
        return b"".join(done) + _FINAL


class FastZip(zipfile.ZipFile):
    """A ``ZipFile`` whose members are deflated at level 1 unless told otherwise.

    A file of at least :attr:`chunked_from` bytes is deflated by :class:`ChunkedDeflate`
    in :attr:`chunk`-byte pieces on two threads (when the machine has two cores).
    """

    chunked_from = 32 * 1024 * 1024
    chunk = 4 * 1024 * 1024

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("compresslevel", 1)
        super().__init__(*args, **kwargs)

    def write(
        self,
        filename: Any,
        arcname: Any = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        workers = min(2, os.cpu_count() or 1)
        if (
            workers < 2
            or (compress_type or self.compression) != zipfile.ZIP_DEFLATED
            or not os.path.isfile(filename)
            or os.path.getsize(filename) < self.chunked_from
        ):
            super().write(filename, arcname, compress_type, compresslevel)
            return
        info = zipfile.ZipInfo.from_file(filename, arcname)
        info.compress_type = zipfile.ZIP_DEFLATED
        level = compresslevel if compresslevel is not None else self.compresslevel
        with (
            ThreadPoolExecutor(workers) as pool,
            open(filename, "rb") as src,
            self.open(info, "w") as dest,
        ):
            # ZipFile's member writer sums the CRC and sizes and passes the data to its
            # compressor; the compressor is replaced by the chunked one (a test checks that
            # the attribute exists and the member reads back).
            chunked = ChunkedDeflate(1 if level is None else level, pool, 2 * workers)
            dest._compressor = chunked  # type: ignore[attr-defined]
            while data := src.read(self.chunk):
                dest.write(data)


# Every workbook of the process (only cartera's write them) is zipped by FastZip.
xlsxwriter.workbook.ZipFile = FastZip


class StreamingSheet(Worksheet):
    """A worksheet that also takes whole rows of cell XML (constant-memory mode only).

    The rows arrive as UTF-8 (bytes, or a polars column that polars writes itself) and go
    to the row file's binary buffer, and the row file is copied into the sheet's XML as
    bytes: XlsxWriter's text files would decode and encode the ~500 MB of a
    500,000-client workbook's rows twice more.
    """

    def write_xml_rows(
        self, first_row: int, last_row: int, last_col: int, xml: bytes | str | pl.DataFrame
    ) -> None:
        """Write ``xml`` (``<row>`` elements for rows ``first_row``..``last_row``, 0-based).

        ``xml`` is the rows' XML, or a frame of one text column holding it a row per value
        (:func:`rows_frame`): polars writes those values back to back into the row file,
        with no copy of them joined in memory.
        """
        if not self.constant_memory:
            raise ValueError("write_xml_rows needs the workbook's constant_memory mode")
        self._write_single_row(first_row)  # writes the row still pending, if any
        self.fh.flush()
        if isinstance(xml, pl.DataFrame):
            # No header, no quotes, no line ends: the values exactly as they are.
            xml.write_csv(
                self.fh.buffer, include_header=False, quote_style="never", line_terminator=""
            )
        else:
            self.fh.buffer.write(xml.encode("utf-8") if isinstance(xml, str) else xml)
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


def rows_frame(
    frame: pl.DataFrame,
    columns: Sequence[tuple[str, str, Any]],
    first_row: int,
) -> pl.DataFrame:
    """One text column: each row of ``frame`` as a ``<row>`` element, from sheet row ``first_row``.

    ``columns`` are ``(frame column, kind, style)`` in sheet order; ``kind`` is
    ``"text"`` or a number kind; ``style`` is a polars expression giving each
    cell's format index (or an int for every row). Null values are blank cells
    that keep their format (the row's tint).

    Built as one ``concat_str`` of the row's pieces: the styles shared by several
    columns are computed once, and a text column is escaped only when one of its
    values needs it (most never do: ids, segment names).
    """
    styles: list[pl.Expr] = []  # distinct style expressions, computed once as _s0, _s1, ...

    def style_column(style: pl.Expr) -> str:
        for i, known in enumerate(styles):
            if known.meta.eq(style):
                return f"_s{i}"
        styles.append(style)
        return f"_s{len(styles) - 1}"

    texts = [name for name, kind, _s in columns if kind == "text"]
    marked = frame.select(pl.col(n).cast(pl.String).str.contains("[&<>]").any() for n in texts)
    escape = dict(zip(texts, marked.row(0), strict=True)) if texts else {}
    row = (pl.int_range(pl.len(), dtype=pl.Int64) + first_row + 1).cast(pl.String)
    parts: list[pl.Expr] = [pl.lit('<row r="'), row, pl.lit('">')]
    for c, (name, kind, style) in enumerate(columns):
        parts += [pl.lit(f'<c r="{xl_col_to_name(c)}'), row]
        if isinstance(style, int):
            parts.append(pl.lit(f'" s="{style}'))
        else:
            parts += [pl.lit('" s="'), pl.col(style_column(style))]
        value = pl.col(name)
        if kind == "text":
            text = value.cast(pl.String)
            text = pl.when(text != "").then(text)  # empty or null: a blank cell
            opening = (
                pl.when(text.str.contains(r"^\s|\s$"))
                .then(pl.lit('" t="inlineStr"><is><t xml:space="preserve">'))
                .otherwise(pl.lit('" t="inlineStr"><is><t>'))
            )
            shown = _escaped(text) if escape[name] else text
            body = pl.concat_str(opening, shown, pl.lit("</t></is></c>"))
        else:
            number = value if kind == "int" else pl.when(value.is_finite()).then(value)
            body = pl.concat_str(pl.lit('"><v>'), number.cast(pl.String), pl.lit("</v></c>"))
        parts.append(body.fill_null('"/>'))  # a null piece nulls the body: the cell is blank
    parts.append(pl.lit("</row>"))
    work = frame.with_columns(s.cast(pl.String).alias(f"_s{i}") for i, s in enumerate(styles))
    return work.select(pl.concat_str(parts).alias("xml"))


def rows_xml(
    frame: pl.DataFrame,
    columns: Sequence[tuple[str, str, Any]],
    first_row: int,
) -> bytes:
    """:func:`rows_frame` joined: the ``<row>`` XML of ``frame`` as UTF-8 bytes."""
    xml: bytes = rows_frame(frame, columns, first_row)["xml"].str.join("").cast(pl.Binary).item()
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
                             rows_frame(frame, columns, start))  # fmt: skip
        n += frame.height
    return n
