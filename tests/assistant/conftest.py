"""Small hand-made frames for the assistant's rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from cartera.assistant.interactions import Interaction, to_frame

AS_OF = dt.date(2026, 10, 28)  # a Wednesday


def clients(*rows: dict[str, Any]) -> pl.DataFrame:
    base = {
        "name": None,
        "segment": "regular",
        "action": "keep",
        "reasons": "",
        "revenue": 1000.0,
        "gross_margin": 300.0,
        "previous_revenue": 1000.0,
        "net_contribution": 200.0,
    }
    data = [{**base, **r} for r in rows]
    for r in data:
        r["name"] = r["name"] or f"Client {r['id']}"
    return pl.DataFrame(data)


def rhythm(*rows: dict[str, Any]) -> pl.DataFrame:
    schema = {
        "client_id": pl.String,
        "orders": pl.Int64,
        "first_order": pl.Date,
        "last_order": pl.Date,
        "median_gap": pl.Float64,
        "usual_gap": pl.Float64,
        "days_since": pl.Int64,
    }
    return pl.DataFrame(list(rows), schema=schema)


def open_items(*rows: dict[str, Any]) -> pl.DataFrame:
    schema = {
        "client_id": pl.String,
        "overdue": pl.Float64,
        "oldest_due": pl.Date,
        "overdue_invoices": pl.Int64,
        "days_past_due": pl.Int64,
    }
    return pl.DataFrame(list(rows), schema=schema)


def log(*rows: tuple[str, dt.date, str] | Interaction) -> pl.DataFrame:
    items = [r if isinstance(r, Interaction) else Interaction(r[0], r[1], r[2]) for r in rows]
    return to_frame(items)


def days(n: int) -> dt.date:
    """``n`` days before AS_OF."""
    return AS_OF - dt.timedelta(days=n)
