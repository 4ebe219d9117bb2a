"""The clients list: one page of the filtered, sorted clients, and its CSV/XLSX export."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from typing import Any

import polars as pl

from cartera.i18n import _, fmt_number
from cartera.i18n_fast import money_format, number_format, percent_format
from cartera.report.labels import action_label, reason_text, segment_label
from cartera.report.view import Cell, Column
from cartera.result import ACTIONS, SEGMENTS
from cartera.web.analyses import FirmAnalysis
from cartera.web.firmdata import ClientQuery, client_results, query_clients
from cartera.web.pages.dashboard import assumptions

__all__ = ["LIST_COLUMNS", "clients_data", "export_clients", "list_columns"]

LIST_COLUMNS = (
    "rank", "name", "segment", "action", "revenue", "gross_margin", "margin_pct",
    "net_contribution", "days_to_pay", "overdue", "reasons",
)  # fmt: skip


def list_columns() -> list[Column]:
    labels = {
        "rank": (_("Rank"), "int"),
        "name": (_("Client"), "text"),
        "segment": (_("Segment"), "text"),
        "action": (_("Action"), "text"),
        "revenue": (_("Revenue"), "money"),
        "gross_margin": (_("Gross margin"), "money"),
        "margin_pct": (_("Margin %"), "pct"),
        "net_contribution": (_("Net contribution"), "money"),
        "days_to_pay": (_("Days to pay"), "days"),
        "overdue": (_("Overdue"), "money"),
        "reasons": (_("Reasons"), "text"),
    }
    return [Column(k, labels[k][0], labels[k][1]) for k in LIST_COLUMNS]  # type: ignore[arg-type]


def _cell(fmt: Callable[[float], str]) -> Callable[[float | None], Cell]:
    """``report.view``'s ``money``/``pct``/``number`` cell with a cached formatter (same text)."""
    return lambda value: Cell("–", None) if value is None else Cell(fmt(value), value)


def _rows(fa: FirmAnalysis, frame: pl.DataFrame) -> list[dict[str, Any]]:
    cur = fa.analysis.currency
    money, pct, number = (_cell(money_format(cur, digits=0)), _cell(percent_format(1)),
                          _cell(number_format(0)))  # fmt: skip
    rows = []
    for c in client_results(fa, frame):
        m = c.metrics
        reasons = "; ".join(reason_text(r, cur) for r in c.reasons)
        cells: list[Cell] = [
            number(m.rank),
            Cell(c.name or c.id, c.id),
            Cell(segment_label(c.segment), c.segment),
            Cell(action_label(c.action), c.action),
            money(m.revenue),
            money(m.gross_margin),
            pct(m.margin_pct),
            money(m.net_contribution),
            number(m.days_to_pay),
            money(m.overdue),
            Cell(reasons, ",".join(r.code for r in c.reasons)),
        ]
        rows.append({"id": c.id, "segment": c.segment, "cells": cells})
    return rows


def clients_data(fa: FirmAnalysis, query: ClientQuery) -> dict[str, Any]:
    """One page of clients with the paging, filter and sort state (and the choices)."""
    frame, total = query_clients(fa, query)
    pages = max(1, math.ceil(total / query.per_page))
    return {
        "assumptions": assumptions(fa.settings, fa.analysis.currency),
        "query": query,
        "total": total,
        "total_text": fmt_number(total),
        "pages": pages,
        "columns": list_columns(),
        "rows": _rows(fa, frame),
        "segments": [(s, segment_label(s)) for s in SEGMENTS],
        "actions": [(a, action_label(a)) for a in ACTIONS],
    }


def export_clients(fa: FirmAnalysis, query: ClientQuery, fmt: str) -> bytes:
    """Every matching client (no paging) as CSV (UTF-8 with BOM, for Excel) or XLSX bytes.

    Numbers are stored as numbers; segment and action in the current language.
    """
    frame, _total = query_clients(fa, query, paged=False)
    labels = {c.key: c.label for c in list_columns()}
    out = frame.select(
        pl.col("rank"),
        pl.col("id").alias(_("Client id")),
        pl.col("name").alias(labels["name"]),
        pl.col("segment").replace_strict({s: segment_label(s) for s in SEGMENTS}, default=None)
        .alias(labels["segment"]),
        pl.col("action").replace_strict({a: action_label(a) for a in ACTIONS}, default=None)
        .alias(labels["action"]),
        *(pl.col(k).alias(labels[k]) for k in LIST_COLUMNS[4:-1]),
        pl.col("reasons").alias(labels["reasons"]),
    ).rename({"rank": labels["rank"]})  # fmt: skip
    buffer = io.BytesIO()
    if fmt == "xlsx":
        out.write_excel(buffer, worksheet=_("Clients"))
    else:
        buffer.write(b"\xef\xbb\xbf")
        out.write_csv(buffer)
    return buffer.getvalue()
