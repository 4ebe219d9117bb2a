"""Grouped reports: a client on a row of its own above its lines (decision 0943).

Accounting programs print their "sales by customer" reports grouped: the customer's name
alone on a row in the first column, whose header is blank, then that customer's lines with
the first column empty, then a ``Total for …`` row (QuickBooks' *Sales by Customer
Detail*, *Transaction List by Customer*, *Invoice List by Customer*; many desktop
programs' listings by client). Read as a table, no column of the lines names the client.

:func:`fill_group_labels` recognises that shape on the file's first rows and gives every
line the label of the group it sits in; the label rows themselves are left out, and the
total rows keep their own text (``Total for …``), so the documents' structure-row rule
leaves them out too (they have no date and no number). The column is then marked
(:attr:`RawTable.group_column`) and recognition takes it as the client when no other column
names one: a report grouped by product, whose lines name their customer, keeps its customer
column.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from cartera.i18n import N_
from cartera.io.score import DATE_PATTERN
from cartera.io.segments import estimated_lines
from cartera.io.source import RawTable, column_letter

__all__ = [
    "LABEL_SAMPLE_ROWS",
    "REPORT_LINES",
    "drop_report_rows",
    "fill_group_labels",
    "label_column",
]

#: Rows of the file looked at to recognise a grouped report.
LABEL_SAMPLE_ROWS: Final = 1000
#: ``Cliente: ACME SL`` → ``ACME SL``: a label's own word for what it labels.
_LABEL_PREFIX: Final = r"(?i)^\s*(cliente|client|customer|clienta)\s*:\s*"


def _filled(column: str) -> pl.Expr:
    return pl.col(column).is_not_null() & (pl.col(column).str.strip_chars() != "")


def _label_row(raw: RawTable, index: int) -> pl.Expr:
    """The row holds a value in column ``index`` and nothing in any other column."""
    others = [raw.col(i) for i in range(len(raw.headers)) if i != index]
    alone = pl.all_horizontal([~_filled(c) for c in others]) if others else pl.lit(True)
    return _filled(raw.col(index)) & alone


def label_column(raw: RawTable, sample: pl.DataFrame) -> int | None:
    """The first column, when its header is blank and the ``sample`` rows show a grouped
    report: the first row that holds anything is a label row (a value there and nothing else
    on the row), there are at least as many lines as labels with it empty, and at most one
    other row per label (its total) plus a grand total where it holds a value beside other
    cells."""
    if len(raw.headers) < 2 or raw.headers[0] != f"({column_letter(0)})":
        return None
    first = raw.col(0)
    every = [raw.col(i) for i in range(len(raw.headers))]
    held = sample.filter(pl.any_horizontal([_filled(c) for c in every]))
    if held.height == 0 or not held.head(1).select(_label_row(raw, 0)).item():
        return None
    counts = sample.select(
        _label_row(raw, 0).sum().alias("labels"),
        _filled(first).sum().alias("filled"),
        (
            ~_filled(first)
            & pl.any_horizontal([_filled(raw.col(i)) for i in range(1, len(raw.headers))])
        )
        .sum()
        .alias("lines"),
    ).row(0, named=True)
    labels, lines = counts["labels"], counts["lines"]
    totals = counts["filled"] - labels
    if labels < 1 or lines < labels or totals > labels + 1:
        return None
    return 0


def fill_group_labels(raw: RawTable) -> None:
    """If ``raw`` is a grouped report (:func:`label_column`), give each line its group's
    label in the first column, leave out the label rows, mark the column and add a note."""
    if len(raw.headers) < 2 or raw.headers[0] != f"({column_letter(0)})":
        return
    sample = raw.frame.head(LABEL_SAMPLE_ROWS).collect()
    index = label_column(raw, sample)
    if index is None:
        return
    column = raw.col(index)
    is_label = _label_row(raw, index)
    labels = int(raw.frame.select(is_label.sum()).collect().item())
    label = pl.col(column).str.replace(_LABEL_PREFIX, "").str.strip_chars()
    group = pl.when(is_label).then(label).forward_fill()
    raw.frame = (
        raw.frame.with_columns(
            pl.when(_filled(column)).then(pl.col(column)).otherwise(group).alias(column),
            is_label.alias("__label"),
        )
        .filter(~pl.col("__label"))
        .drop("__label")
    )
    raw.group_column = index
    raw.notes.append(
        (
            N_(
                "a report grouped by client: the labels in column {column} were given to the "
                "lines below them, and their {labels} label rows were left out"
            ),
            {"column": raw.headers[index], "labels": labels},
        )
    )


#: The first filled cell of a report's totals row (``TOTAL``, ``Total for …``, ``Totales``).
_TOTAL_RE: Final = r"(?i)^(grand\s+)?(total|totals|totales|subtotal|suma|sumas)\b"
#: CSV files longer than this are not looked at for a printed report's rows.
REPORT_LINES: Final = 200_000
#: Columns a file has at least for a row holding one cell to be a report's title or footer.
_LONE_FROM: Final = 4


def drop_report_rows(raw: RawTable) -> None:
    """Leave out a printed report's furniture, with a note: totals rows (the first filled cell
    a total word, no cell a date), rows holding a single cell, in the first column, in a
    file of four columns or more (titles, ``Monday, April 07, 2025 03:14 PM`` footers; no
    document line is one cell) and the header repeated further down. Only in spreadsheets
    and in CSV files of up to :data:`REPORT_LINES` lines: a longer CSV is a table exported
    for reading, not a printed report, and looking costs a pass over the file."""
    if raw.kind == "parquet" or (
        raw.kind == "csv" and raw.text_paths and estimated_lines(raw.text_paths) > REPORT_LINES
    ):
        return
    cols = [raw.col(i) for i in range(len(raw.headers))]
    filled = [_filled(c) for c in cols]
    count = pl.sum_horizontal([f.cast(pl.Int32) for f in filled])
    first = pl.coalesce(
        [pl.when(f).then(pl.col(c).str.strip_chars()) for f, c in zip(filled, cols, strict=True)]
    )
    # A date written as a date: a plain number (a totals row's 21538.17) may read as an
    # Excel serial, but is no date beside a total word.
    dated = pl.any_horizontal(
        [
            (
                pl.col(c).str.strip_chars().str.contains(DATE_PATTERN)
                & ~pl.col(c).str.strip_chars().str.contains(r"^[0-9]+(\.[0-9]+)?$")
            ).fill_null(False)
            for c in cols
        ]
    )
    total = first.str.contains(_TOTAL_RE).fill_null(False) & ~dated
    # A printed report's title or footer sits in its first column; a continuation line's one
    # cell (a Chilean register's gloss) does not, and is left to the subtotal-row rule.
    lone = (count == 1) & filled[0] if len(cols) >= _LONE_FROM else pl.lit(False)
    # The header again further down (monthly blocks pasted one under another): every filled
    # cell equal to its column's header, two at least.
    heads = [h.strip() for h in raw.headers]
    same = [
        ~f | (pl.col(c).str.strip_chars() == h) for f, c, h in zip(filled, cols, heads, strict=True)
    ]
    repeat = pl.all_horizontal(same) & (count >= 2)
    furniture = (total | lone | repeat) & (count > 0)
    found = int(raw.frame.select(furniture.sum()).collect().item())
    if not found:
        return
    raw.frame = raw.frame.filter(~furniture)
    raw.notes.append(
        (
            N_(
                "{count} totals, title, footer or repeated header rows of a printed report "
                "were left out"
            ),
            {"count": found},
        )
    )
