"""The canonical tables, declared once.

Readers in ``cartera.io`` turn any export into these shapes; the engine reads
only these. A workspace stores each as ``<table>.parquet``.

Sign convention: ``documents.amount`` is the net amount before tax, negative
for credit notes and returns (``doc_type == "credit_note"``); ``cost`` follows
the same sign. ``client_key`` is a dense integer (0..n-1) assigned at import
so that the engine groups on integers; ``first_line`` is true on exactly one
line of each document so that "orders" is a sum, not a COUNT DISTINCT.
"""

from __future__ import annotations

from typing import Final

import polars as pl

__all__ = [
    "ACTIVITIES",
    "CLIENTS",
    "DOCUMENTS",
    "DOC_TYPES",
    "PAYMENTS",
    "TABLES",
    "empty_frame",
]

DOC_TYPES: Final = ("invoice", "credit_note")

#: One row per invoice or credit-note line.
DOCUMENTS: Final[dict[str, pl.DataType]] = {
    "client_key": pl.Int32(),
    "client_id": pl.String(),
    "doc_number": pl.String(),
    "doc_type": pl.String(),
    "date": pl.Date(),
    "amount": pl.Float64(),
    "cost": pl.Float64(),
    "units": pl.Float64(),
    "list_amount": pl.Float64(),
    "total": pl.Float64(),
    "due_date": pl.Date(),
    "paid_date": pl.Date(),
    "paid_amount": pl.Float64(),
    "product": pl.String(),
    "first_line": pl.Boolean(),
    "source_row": pl.Int64(),
}

#: One row per payment received (kept for audit; already resolved onto documents).
PAYMENTS: Final[dict[str, pl.DataType]] = {
    "doc_number": pl.String(),
    "date": pl.Date(),
    "amount": pl.Float64(),
    "source_row": pl.Int64(),
}

#: One row per client: every client of the documents appears here.
CLIENTS: Final[dict[str, pl.DataType]] = {
    "client_key": pl.Int32(),
    "client_id": pl.String(),
    "name": pl.String(),
    "tax_id": pl.String(),
    "sector": pl.String(),
    "region": pl.String(),
    "size": pl.String(),
    "image": pl.Boolean(),
    "reputation": pl.Float64(),
    "contact": pl.String(),
    "email": pl.String(),
    "phone": pl.String(),
    "terms_days": pl.Float64(),
}

#: One row per activity (time spent on, or contact with, a client).
ACTIVITIES: Final[dict[str, pl.DataType]] = {
    "client_key": pl.Int32(),
    "client_id": pl.String(),
    "date": pl.Date(),
    "hours": pl.Float64(),
    "kind": pl.String(),
    "note": pl.String(),
    "source_row": pl.Int64(),
}

TABLES: Final[dict[str, dict[str, pl.DataType]]] = {
    "documents": DOCUMENTS,
    "payments": PAYMENTS,
    "clients": CLIENTS,
    "activities": ACTIVITIES,
}


def empty_frame(table: str) -> pl.DataFrame:
    """An empty frame with the canonical columns of ``table``."""
    return pl.DataFrame(schema=TABLES[table])
