"""Hand-made per-client frames and analyses for the scenario tests.

A frame has the engine's per-client columns that the scenarios and
``engine.portfolio.summarise`` read; the analysis is built the way
``cartera.analyze`` builds it (summarise over the frame, then the frame kept).
"""

from __future__ import annotations

from typing import Any

import ibis
import polars as pl

from cartera.engine.portfolio import summarise
from cartera.result import ClientMetrics, ClientResult, PortfolioAnalysis, Window
from cartera.settings import Settings

AGING = ("current", "1_30", "31_60", "61_90", "91_120", "over_120")

_DEFAULTS: dict[str, Any] = {
    "name": "",
    "segment": "regular",
    "action": "keep",
    "reasons": "",
    "image": False,
    "gross_margin": 0.0,
    "cost_to_serve": 0.0,
    "service_hours": 0.0,
    "financing_cost": 0.0,
    "days_to_pay": None,
    "overdue": 0.0,
    "recency_days": 10,
    "order_interval_days": 30.0,
    "orders": 10,
    "active_months": 10,
}


def frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Per-client frame from partial rows (``id``, ``revenue`` at least).

    ``net_contribution`` defaults to ``gross_margin − cost_to_serve``; shares and
    ranks are derived from revenue as the engine does.
    """
    full = []
    for row in rows:
        r = {**_DEFAULTS, **row}
        r.setdefault(
            "net_contribution",
            None if r["gross_margin"] is None else r["gross_margin"] - r["cost_to_serve"],
        )
        for bucket in AGING:
            r.setdefault(f"aging_{bucket}", 0.0)
        full.append(r)
    schema = {
        "id": pl.String,
        "name": pl.String,
        "segment": pl.String,
        "action": pl.String,
        "reasons": pl.String,
        "image": pl.Boolean,
        "revenue": pl.Float64,
        "gross_margin": pl.Float64,
        "cost_to_serve": pl.Float64,
        "net_contribution": pl.Float64,
        "service_hours": pl.Float64,
        "financing_cost": pl.Float64,
        "days_to_pay": pl.Float64,
        "overdue": pl.Float64,
        "recency_days": pl.Int64,
        "order_interval_days": pl.Float64,
        "orders": pl.Int64,
        "active_months": pl.Int64,
        **{f"aging_{b}": pl.Float64 for b in AGING},
    }
    df = pl.DataFrame(full, schema=schema)
    total = df["revenue"].clip(lower_bound=0).sum()
    df = df.sort(["revenue", "id"], descending=[True, False]).with_columns(
        rank=pl.int_range(1, df.height + 1),
        revenue_share=pl.col("revenue") / total if total else pl.lit(0.0),
    )
    return df.with_columns(cumulative_share=pl.col("revenue_share").cum_sum())


def analysis(rows: list[dict[str, Any]], settings: Settings) -> PortfolioAnalysis:
    """A PortfolioAnalysis over ``frame(rows)``, without enrichment."""
    df = frame(rows)
    portfolio = summarise(ibis.memtable(df.to_arrow()), settings)
    clients = [
        ClientResult(
            id=r["id"],
            name=r["name"],
            segment=r["segment"],
            action=r["action"],
            metrics=ClientMetrics(
                revenue=r["revenue"],
                gross_margin=r["gross_margin"],
                margin_pct=None,
                orders=r["orders"],
                units=None,
                active_months=r["active_months"],
                recency_days=r["recency_days"],
                tenure_days=400,
                return_rate=None,
                days_to_pay=r["days_to_pay"],
                days_late=None,
                overdue=r["overdue"],
                service_hours=r["service_hours"],
                cost_to_serve=r["cost_to_serve"],
                net_contribution=r["net_contribution"],
                revenue_share=r["revenue_share"],
                cumulative_share=r["cumulative_share"],
                rank=r["rank"],
                order_interval_days=r["order_interval_days"],
            ),
        )
        for r in df.to_dicts()
    ]
    result = PortfolioAnalysis(
        as_of="2026-10-31",  # type: ignore[arg-type]
        window=Window(start="2025-11-01", end="2026-10-31"),  # type: ignore[arg-type]
        currency=settings.currency,
        portfolio=portfolio,
        clients=clients,
    )
    result._frame = df
    result._settings = settings
    return result


#: Four clients, numbers small enough to check by hand (fixed costs 300 → profit 90).
TINY = [
    {
        "id": "A",
        "name": "Alfa",
        "segment": "structure",
        "revenue": 1000.0,
        "gross_margin": 300.0,
        "cost_to_serve": 50.0,
        "service_hours": 5.0,
    },
    {
        "id": "B",
        "name": "Beta",
        "segment": "margin",
        "action": "grow",
        "revenue": 400.0,
        "gross_margin": 200.0,
        "cost_to_serve": 20.0,
        "service_hours": 2.0,
    },
    {
        "id": "C",
        "name": "Gamma",
        "segment": "regular",
        "action": "let_go",
        "reasons": "late_payment,negative_contribution",
        "revenue": 100.0,
        "gross_margin": 10.0,
        "cost_to_serve": 40.0,
        "service_hours": 10.0,
        "financing_cost": 20.0,
        "days_to_pay": 120.0,
        "overdue": 60.0,
    },
    {
        "id": "D",
        "name": "Delta",
        "segment": "image",
        "image": True,
        "action": "let_go",
        "reasons": "late_payment",
        "revenue": 50.0,
        "gross_margin": 5.0,
        "cost_to_serve": 15.0,
        "service_hours": 1.0,
    },
]
TINY_SETTINGS = Settings(fixed_costs=300.0)
