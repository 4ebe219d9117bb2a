"""Find the first record of a CSV that polars cannot split, and say where and why.

polars refuses a malformed CSV with a message quoting raw text and a byte offset.
A user needs the row a spreadsheet shows and the column: :func:`first_fault`
reads the UTF-8 text again, record by record, and names the first record with a
quote that is never closed, a quote inside an unquoted cell, a closing quote
followed by other characters, or non-empty cells beyond the header's columns.

Only the records with quotes are split by a regular expression; the others are
told apart by counting delimiters, so a scan runs at about a million lines a second.
It runs only when a file is already known to be faulty, or when its first rows are
wider than its header.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Final

from cartera.errors import Problem
from cartera.i18n import N_

__all__ = ["RAGGED", "STRAY_QUOTE", "UNTERMINATED_QUOTE", "first_fault"]

RAGGED: Final = N_(
    "this row has more fields than the header has columns ({count}); check the separators "
    "and quotes"
)
UNTERMINATED_QUOTE: Final = N_(
    'a quote (") opens this cell and is never closed, so the rest of the file would be '
    "one cell; close the quote or remove it"
)
STRAY_QUOTE: Final = N_(
    'a quote (") sits inside this cell without enclosing it; enclose the whole cell in '
    'quotes and double the quotes inside it ("")'
)


@cache
def _patterns(delimiter: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    d = re.escape(delimiter)
    quoted = re.compile(rf'"(?:[^"]|"")*"(?={d}|\r\n|\n|\r|$)')
    unquoted = re.compile(rf'[^"{d}\r\n]*(?={d}|\r\n|\n|\r|$)')
    return quoted, unquoted


def _records(paths: Sequence[Path]) -> Iterator[tuple[str, bool]]:
    """Each record's text and whether the file ended inside a quote (quote parity)."""
    for path in paths:  # parts start records: a record never spans two
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
            pending = ""
            for line in fh:
                record = pending + line if pending else line
                if record.count('"') % 2:
                    pending = record
                    continue
                pending = ""
                yield record, False
            if pending:
                yield pending, True


def _split(record: str, delimiter: str) -> tuple[list[str], int | None, str | None]:
    """The record's cells, and the index and kind of the first malformed cell (or None)."""
    quoted, unquoted = _patterns(delimiter)
    text = record.rstrip("\r\n")
    cells: list[str] = []
    pos = 0
    while True:
        index = len(cells)
        if text.startswith('"', pos):
            match = quoted.match(text, pos)
            if match is None:
                closes = text.find('"', pos + 1) >= 0
                return cells, index, STRAY_QUOTE if closes else UNTERMINATED_QUOTE
            cells.append(match.group()[1:-1].replace('""', '"'))
        else:
            match = unquoted.match(text, pos)
            if match is None:
                return cells, index, STRAY_QUOTE
            cells.append(match.group())
        pos = match.end()
        if pos >= len(text):
            return cells, None, None
        pos += len(delimiter)
        if pos == len(text):
            cells.append("")
            return cells, None, None


def first_fault(
    paths: Sequence[Path], delimiter: str, header_row: int, headers: Sequence[str], file: str
) -> Problem | None:
    """The first record after the header that polars cannot split as the header says.

    ``paths`` are the file's UTF-8 texts read one after the other; ``headers``
    are the header's own cells (not the columns padded after wider rows). The
    problem names the spreadsheet row (record number, header = ``header_row``)
    and the column as written, or its letter beyond the header.
    """
    width = len(headers)
    for number, (record, open_quote) in enumerate(_records(paths), start=1):
        if '"' not in record and not open_quote:
            if record.count(delimiter) < width:
                continue
            cells, bad, kind = record.rstrip("\r\n").split(delimiter), None, None
        else:
            cells, bad, kind = _split(record, delimiter)
        if number <= header_row:
            continue
        if bad is not None and kind is not None:
            return _problem(kind, file, number, bad, headers, {})
        extra = [i for i, cell in enumerate(cells) if i >= width and cell.strip()]
        if extra:
            return _problem(RAGGED, file, number, extra[0], headers, {"count": width}, "ragged_row")
    return None


def _problem(
    message: str,
    file: str,
    row: int,
    index: int,
    headers: Sequence[str],
    params: dict[str, object],
    code: str | None = None,
) -> Problem:
    from cartera.io.source import column_letter

    column = headers[index] if index < len(headers) else f"({column_letter(index)})"
    kinds = {UNTERMINATED_QUOTE: "unterminated_quote", STRAY_QUOTE: "stray_quote"}
    return Problem(
        message, file=file, row=row, column=column, params=params, code=code or kinds[message]
    )
