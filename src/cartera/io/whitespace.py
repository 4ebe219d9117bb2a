"""Text files whose columns are separated by runs of spaces (CDNOW-style fixed columns).

Such a file has no delimiter character: each line, trimmed, splits on runs of
whitespace into the same number of fields. Values therefore cannot contain
spaces; a line with more fields than the header is a ragged row.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

import polars as pl

__all__ = ["WHITESPACE", "looks_whitespace_aligned", "scan_whitespace"]

#: The delimiter value that means "runs of spaces" (``--delimiter " "``).
WHITESPACE: Final = " "
_SPLIT: Final = re.compile(r"\s+")
_UNIT_SEP: Final = "\x1f"


def _fields(line: str) -> int:
    return len(_SPLIT.split(line.strip()))


def looks_whitespace_aligned(head: str) -> bool:
    """Whether the first lines all split on runs of spaces into one count (> 1) of fields."""
    lines = [ln for ln in head.splitlines()[:60] if ln.strip()]
    if len(lines) > 2:
        lines = lines[:-1]  # the last line may be cut
    counts = {_fields(ln) for ln in lines}
    return len(lines) >= 2 and len(counts) == 1 and counts.pop() > 1


def split_line(line: str) -> list[str]:
    """One line's fields."""
    return _SPLIT.split(line.strip())


def scan_whitespace(source: Path, skip: int, width: int) -> pl.LazyFrame:
    """The lines after the first ``skip`` as columns ``c0..c{width-1}`` (text) and
    ``__line`` (0-based line number after ``skip``); blank lines are dropped."""
    lines = pl.scan_csv(
        source,
        separator=_UNIT_SEP,
        has_header=False,
        skip_rows=skip,
        quote_char=None,
        infer_schema=False,
        schema={"line": pl.String},
        truncate_ragged_lines=True,
        raise_if_empty=False,
    ).with_row_index("__line")
    text = pl.col("line").str.strip_chars()
    parts = text.str.replace_all(r"\s+", _UNIT_SEP).str.split(_UNIT_SEP)
    return (
        lines.filter(text.is_not_null() & (text != ""))
        .with_columns(parts.alias("__parts"))
        .select(
            "__line",
            *[pl.col("__parts").list.get(i, null_on_oob=True).alias(f"c{i}") for i in range(width)],
        )
    )
