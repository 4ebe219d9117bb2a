"""Cells that a spreadsheet would run as formulas, made plain text (CSV injection).

A CSV cartera writes for Excel (the rejects files) repeats cells from the user's
files as written. A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is a formula to Excel, LibreOffice and Google Sheets
(``=HYPERLINK(…)``, ``=2+3``), so, as OWASP recommends, such a cell is written
with a leading apostrophe, which makes the spreadsheet show it as text. Plain
numbers (``-12,50``, ``+34 600 000 000``) are left alone: a sign before digits
runs nothing.
"""

from __future__ import annotations

from typing import Final

import polars as pl

__all__ = ["FORMULA_START", "neutralise", "neutralise_frame"]

#: What a spreadsheet takes for the start of a formula.
FORMULA_START: Final = r"^[=+\-@\t\r]"
#: A signed plain number (digits, spaces, marks): safe as it is.
_NUMBER: Final = r"^[+-]?[0-9][0-9 .,]*%?$"


def neutralise(text: str) -> str:
    """``text`` with a leading apostrophe when a spreadsheet would run it as a formula."""
    import re

    if re.match(FORMULA_START, text) and not re.match(_NUMBER, text):
        return "'" + text
    return text


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every String column of ``frame`` through :func:`neutralise` (vectorised)."""
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(FORMULA_START) & ~pl.col(name).str.contains(_NUMBER))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    )
