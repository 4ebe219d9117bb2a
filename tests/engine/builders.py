"""Tiny canonical tables for hand-computed tests (no io needed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ibis
import polars as pl

from cartera.engine.connect import Tables, connect
from cartera.schema import TABLES

D = dt.date


def line(
    client: str,
    number: str,
    date: dt.date,
    amount: float,
    *,
    cost: float | None = None,
    doc_type: str | None = None,
    units: float | None = 1.0,
    list_amount: float | None = None,
    total: float | None = None,
    due: dt.date | None = None,
    paid: dt.date | None = None,
    paid_amount: float | None = None,
    first_line: bool = True,
) -> dict[str, Any]:
    """One canonical document line; credit notes are negative amounts."""
    kind = doc_type or ("credit_note" if amount < 0 else "invoice")
    return {
        "client_id": client,
        "doc_number": number,
        "doc_type": kind,
        "date": date,
        "amount": amount,
        "cost": cost,
        "units": units,
        "list_amount": list_amount,
        "total": total if total is not None else round(amount * 1.21, 2),
        "due_date": due,
        "paid_date": paid,
        "paid_amount": paid_amount,
        "product": None,
        "first_line": first_line,
    }


def activity(client: str, date: dt.date, hours: float, kind: str = "meeting") -> dict[str, Any]:
    return {"client_id": client, "date": date, "hours": hours, "kind": kind, "note": None}


def frames(
    documents: list[dict[str, Any]],
    activities: list[dict[str, Any]] | None = None,
    clients: dict[str, dict[str, Any]] | None = None,
    *,
    sort: bool = True,
) -> dict[str, pl.DataFrame]:
    """Canonical polars frames with dense client keys (sorted client ids).

    Documents are sorted by ``(client_key, date)`` as import does, unless
    ``sort`` is false (to check that nothing depends on row order).
    """
    activities = activities or []
    extra = clients or {}
    ids = sorted(
        {d["client_id"] for d in documents} | {a["client_id"] for a in activities} | set(extra)
    )
    key = {cid: i for i, cid in enumerate(ids)}

    def build(table: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
        schema = TABLES[table]
        full = []
        for i, row in enumerate(rows):
            r = {c: None for c in schema}
            r.update(row)
            if "client_key" in schema:
                r["client_key"] = key[r["client_id"]]
            if "source_row" in schema:
                r["source_row"] = i + 2
            full.append(r)
        return pl.DataFrame(full, schema=schema)

    client_rows = [{"client_id": cid, "name": f"Client {cid}", **extra.get(cid, {})} for cid in ids]
    docs = build("documents", documents)
    if docs.height and sort:
        docs = docs.sort("client_key", "date")
    return {
        "documents": docs,
        "payments": build("payments", []),
        "clients": build("clients", client_rows),
        "activities": build("activities", activities),
    }


def tables(
    documents: list[dict[str, Any]],
    activities: list[dict[str, Any]] | None = None,
    clients: dict[str, dict[str, Any]] | None = None,
) -> Tables:
    """The frames as DuckDB-runnable Ibis memtables."""
    fs = frames(documents, activities, clients)
    con = connect("duckdb")
    bound = {name: ibis.memtable(frame.to_arrow()) for name, frame in fs.items()}
    return Tables(con=con, **bound)
