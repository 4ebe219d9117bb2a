"""A prospect book: the prospects a firm keeps, deduplicated, with their ids.

Pure: :func:`add_to_book` takes the book so far, new prospect rows, the
clients and a do-not-call list, and returns the new book with its counts.
The CLI keeps a book as a Parquet file; the web app in its store.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from cartera.study.campaign import CampaignProspect
from cartera.study.prospects import dedupe, on_do_not_call

__all__ = ["BOOK_SCHEMA", "add_to_book", "book_prospects", "empty_book"]

#: Columns of a book, in order.
BOOK_SCHEMA: Final[dict[str, pl.DataType]] = {
    "id": pl.String(),
    "name": pl.String(),
    "tax_id": pl.String(),
    "sector": pl.String(),
    "region": pl.String(),
    "size": pl.String(),
    "contact": pl.String(),
    "phone": pl.String(),
    "email": pl.String(),
    "source": pl.String(),
    "consent": pl.Boolean(),
    "do_not_call": pl.Boolean(),
    "file": pl.String(),
    "row": pl.Int64(),
}


def empty_book() -> pl.DataFrame:
    return pl.DataFrame(schema=BOOK_SCHEMA)


def add_to_book(
    book: pl.DataFrame,
    prospects: pl.DataFrame,
    clients: pl.DataFrame,
    dnc: pl.DataFrame | None = None,
) -> tuple[pl.DataFrame, dict[str, int]]:
    """The book with the new prospects of ``prospects`` appended.

    Prospects that are clients, already in the book or repeated in the lists
    are left out; the others get the next ids (``P00001``…) and a
    ``do_not_call`` flag (the list is checked again when a campaign enrols).

    Returns
    -------
    tuple
        The new book (:data:`BOOK_SCHEMA`) and counts: ``read, added, client,
        earlier, repeat, do_not_call, no_consent, no_source``.
    """
    checked = dedupe(prospects, clients, book)
    new = checked.filter(pl.col("status") == "new")
    flags = on_do_not_call(new, dnc) if dnc is not None else pl.Series([False] * new.height)
    start = _next_number(book)
    new = new.with_columns(
        flags.alias("do_not_call"),
        pl.format("P{}", (pl.int_range(pl.len()) + start).cast(pl.String).str.zfill(5)).alias("id"),
    ).select([pl.col(c).cast(t) for c, t in BOOK_SCHEMA.items()])
    status = checked["status"].value_counts()
    counts = dict(zip(status["status"].to_list(), status["count"].to_list(), strict=True))
    source = new["source"].fill_null("").str.strip_chars()
    summary = {
        "read": prospects.height,
        "added": new.height,
        "client": int(counts.get("client", 0)),
        "earlier": int(counts.get("earlier", 0)),
        "repeat": int(counts.get("repeat", 0)),
        "do_not_call": int(new["do_not_call"].sum()),
        "no_consent": int((~new["consent"].fill_null(False)).sum()),
        "no_source": int((source == "").sum()),
    }
    return pl.concat([book.select(list(BOOK_SCHEMA)), new]), summary


def _next_number(book: pl.DataFrame) -> int:
    if not book.height:
        return 1
    numbers = book["id"].str.extract(r"^P(\d+)$").cast(pl.Int64, strict=False).drop_nulls()
    return int(numbers.max() or 0) + 1  # type: ignore[arg-type]


def book_prospects(book: pl.DataFrame) -> list[CampaignProspect]:
    """The book's prospects as a campaign takes them (consent, source, do-not-call kept)."""
    return [
        CampaignProspect(
            id=r["id"],
            name=r["name"] or r["tax_id"] or r["id"],
            phone=r["phone"],
            email=r["email"],
            contact=r["contact"],
            tax_id=r["tax_id"],
            consent=r["consent"],
            source=r["source"],
            do_not_call=bool(r["do_not_call"]),
        )
        for r in book.iter_rows(named=True)
    ]
