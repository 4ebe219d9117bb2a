"""Cells of an .xlsx sheet that a reader sees as empty although they are not.

calamine (through fastexcel) gives no value for two kinds of cells, which would
then pass for empty cells:

* a **formula without a saved result**: programs that write workbooks without
  calculating them (openpyxl, many web exports) store ``<f>SUM(…)</f>`` and no
  ``<v>``; Excel computes it on opening, a reader cannot;
* a **spreadsheet error** (``#DIV/0!``, ``#N/A``, ``#REF!``…): ``t="e"``.

:func:`cell_faults` finds both in the sheet's XML so that the import names
them (row, column, value) instead of reading an empty amount.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from cartera.i18n import N_

__all__ = ["FORMULA_WITHOUT_VALUE", "SPREADSHEET_ERROR", "CellFault", "cell_faults"]

FORMULA_WITHOUT_VALUE: Final = N_(
    "the cell holds a formula without a saved result (the program that wrote the file did "
    "not calculate it); open the file in Excel or LibreOffice and save it again"
)
SPREADSHEET_ERROR: Final = N_(
    "the cell holds the spreadsheet error {error}, not a value; correct its formula"
)
_CELL: Final = re.compile(rb'<c\s+r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.DOTALL)
_VALUE: Final = re.compile(rb"<v>([^<]*)</v>")


@dataclass(frozen=True)
class CellFault:
    """One cell: its spreadsheet row, 0-based column within the read range, and why."""

    row: int
    column: int
    message: str
    value: str | None


def _column_index(letters: bytes) -> int:
    index = 0
    for char in letters:
        index = index * 26 + (char - 64)
    return index - 1


def cell_faults(path: Path, part: str) -> list[CellFault]:
    """The formula-without-result and error cells of the sheet stored at ``part``.

    Columns are counted from the first column holding any cell, as calamine
    counts them (its range starts there).
    """
    try:
        with zipfile.ZipFile(path) as zf:
            xml = zf.read(part)
    except (KeyError, zipfile.BadZipFile, OSError):
        return []
    if b"<f" not in xml and b't="e"' not in xml:
        return []
    first = None
    found: list[tuple[int, int, str, str | None]] = []
    for match in _CELL.finditer(xml):
        letters, row, attrs, body = match.groups()
        column = _column_index(letters)
        body = body or b""
        if b"<v" in body or b"<is>" in body or b"<f" in body:
            first = column if first is None else min(first, column)
        value = _VALUE.search(body)
        if b't="e"' in attrs:
            text = value.group(1).decode("utf-8", "replace") if value else "#?"
            found.append((int(row), column, SPREADSHEET_ERROR, text))
        elif b"<f" in body and (value is None or not value.group(1).strip()):
            found.append((int(row), column, FORMULA_WITHOUT_VALUE, None))
    base = first or 0
    return [CellFault(r, c - base, m, v) for r, c, m, v in found]
