"""One client's page: history, receivables, payments, returns, hours, decision, loss.

Figures about the client come from the analysis; its history (monthly sales
and margin over two years, invoices, credit notes) comes from its lines of the
import's documents table, read in one DuckDB scan filtered on the client's key.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import polars as pl

from cartera.engine.window import AGING_BUCKETS
from cartera.i18n import _, fmt_date, fmt_money, fmt_number, get_language
from cartera.report.labels import action_label, aging_label, reason_text, segment_label
from cartera.report.view import Cell, money, number, pct
from cartera.web.analyses import FirmAnalysis
from cartera.web.firmdata import client_results
from cartera.web.pages.dashboard import assumptions

__all__ = ["HISTORY_MONTHS", "client_data", "client_lines", "monthly_history"]

HISTORY_MONTHS = 24
_LIST_ROWS = 25


def _months(as_of: dt.date, n: int) -> list[dt.date]:
    """The first day of the ``n`` months ending with ``as_of``'s month, oldest first."""
    out, year, month = [], as_of.year, as_of.month
    for _i in range(n):
        out.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def client_lines(con: duckdb.DuckDBPyConnection, documents: str, key: int) -> pl.DataFrame:
    """The client's document lines (one scan of the import's documents table)."""
    frame = pl.from_arrow(
        con.sql(
            "SELECT doc_number, doc_type, date, amount, cost, due_date, paid_date "
            "FROM read_parquet($1) WHERE client_key = $2",
            params=[documents, key],
        ).to_arrow_table()
    )
    assert isinstance(frame, pl.DataFrame)
    return frame


def monthly_history(lines: pl.DataFrame, as_of: dt.date, has_cost: bool) -> list[dict[str, Any]]:
    """Sales and margin per month (credit notes netted), zero-filled, oldest first.

    ``lines`` are the client's document lines (:func:`client_lines`); margin is
    ``None`` throughout when the data has no cost, and 0 in a month without sales.
    """
    months = _months(as_of, HISTORY_MONTHS)
    inside = lines.filter(pl.col("date").is_between(months[0], as_of))
    margin = pl.col("amount") - pl.col("cost")
    grouped = inside.group_by(pl.col("date").dt.truncate("1mo").alias("m")).agg(
        sales=pl.col("amount").sum(), margin=margin.sum(), with_margin=margin.count()
    )
    found = {
        m: (s, g if has_cost and n else None)
        for m, s, g, n in grouped.select("m", "sales", "margin", "with_margin").iter_rows()
    }
    empty = (0.0, 0.0 if has_cost else None)
    return [
        {"month": m.isoformat(), "sales": found.get(m, empty)[0] or 0.0,
         "margin": found.get(m, empty)[1]}
        for m in months
    ]  # fmt: skip


def _documents(lines: pl.DataFrame, kind: str) -> pl.DataFrame:
    """The client's latest documents of ``kind`` (one row per document number)."""
    return (
        lines.filter(pl.col("doc_type") == kind)
        .group_by("doc_number")
        .agg(
            pl.col("date").first(),
            pl.col("amount").sum(),
            pl.col("due_date").first(),
            pl.col("paid_date").first(),
        )
        .sort(["date", "doc_number"], descending=True, nulls_last=True)
        .head(_LIST_ROWS)
    )


def _history_chart(history: list[dict[str, Any]], currency: str) -> dict[str, Any]:
    x = [h["month"] for h in history]
    return {
        "id": "chart-history",
        "title": _("Sales and margin per month"),
        "figure": {
            "data": [
                {"type": "bar", "name": _("Sales"), "x": x, "y": [h["sales"] for h in history]},
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": _("Gross margin"),
                    "x": x,
                    "y": [h["margin"] for h in history],
                },
            ],
            "layout": {
                "height": 320,
                "separators": ",." if get_language() == "es" else ".,",
                "margin": {"l": 60, "r": 20, "t": 20, "b": 40},
                "legend": {"orientation": "h"},
                "yaxis": {"title": {"text": currency}, "tickformat": ",.0f"},
                "xaxis": {"type": "date", "tickformat": "%m/%Y"},
            },
        },
    }


def _doc_rows(frame: pl.DataFrame, currency: str) -> list[list[str]]:
    def day(value: dt.date | None) -> str:
        return fmt_date(value) if value else "–"

    rows = []
    for r in frame.iter_rows(named=True):
        waited = (r["paid_date"] - r["date"]).days if r["paid_date"] and r["date"] else None
        rows.append(
            [r["doc_number"] or "–", day(r["date"]), fmt_money(r["amount"], currency, digits=0),
             day(r["due_date"]), day(r["paid_date"]),
             fmt_number(waited) if waited is not None else "–"]
        )  # fmt: skip
    return rows


def client_data(fa: FirmAnalysis, client_id: str) -> dict[str, Any] | None:
    """Everything the client page shows (None when the firm has no such client)."""
    frame = fa.analysis.clients_frame.filter(pl.col("id") == client_id)
    if frame.height == 0:
        return None
    client = client_results(fa, frame)[0]
    row = frame.row(0, named=True)
    cur, m = fa.analysis.currency, client.metrics
    lines = client_lines(fa.cursor(), str(fa.workspace / "documents.parquet"),
                         int(row["client_key"]))  # fmt: skip
    history = monthly_history(lines, fa.analysis.as_of, fa.analysis.has_cost)
    invoices = _documents(lines, "invoice")
    credits = _documents(lines, "credit_note")
    loss = fa.remember(
        ("loss", client_id),
        lambda: fa.simulator.what_if(fa.analysis.portfolio, [client_id], fa.settings),
    )
    figures: list[tuple[str, Cell]] = [
        (_("Revenue"), money(m.revenue, cur)),
        (_("Share of revenue"), pct(m.revenue_share)),
        (_("Gross margin"), money(m.gross_margin, cur)),
        (_("Margin %"), pct(m.margin_pct)),
        (_("Cost to serve"), money(m.cost_to_serve, cur)),
        (_("Net contribution"), money(m.net_contribution, cur)),
        (_("Orders"), number(m.orders)),
        (_("Days to pay"), number(m.days_to_pay)),
        (_("Days late"), number(m.days_late)),
        (_("Overdue"), money(m.overdue, cur)),
        (_("Returns"), pct(m.return_rate)),
        (_("Service hours"), number(m.service_hours, 1)),
    ]
    return {
        "assumptions": assumptions(fa.settings, cur),
        "id": client.id,
        "name": client.name or client.id,
        "segment": client.segment,
        "segment_label": segment_label(client.segment),
        "action": client.action,
        "action_label": action_label(client.action),
        "reasons": [reason_text(r, cur) for r in client.reasons],
        "figures": figures,
        "history": history,
        "charts": [_history_chart(history, cur)],
        # No bucket computed: the data has no payment dates (decision 0948).
        "aging": [
            (aging_label(name), fmt_money(row[f"aging_{name}"] or 0.0, cur, digits=0))
            for name, _lo, _hi in AGING_BUCKETS
        ]
        if any(row[f"aging_{name}"] is not None for name, _lo, _hi in AGING_BUCKETS)
        else [],
        "invoices": _doc_rows(invoices, cur),
        "credit_notes": _doc_rows(credits, cur),
        "loss": {
            "profit_before": money(loss.before.profit, cur),
            "profit_after": money(loss.after.profit, cur),
            "coverage_after": pct(loss.after.fixed_cost_coverage),
            "hhi_after": number(loss.after.hhi),
            "hours_freed": number(loss.hours_freed, 1),
        },
    }
