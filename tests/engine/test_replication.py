"""Property: replicating a portfolio k times leaves every client's segment and action unchanged.

k copies of each client under new ids (and k times the fixed costs: the same firm,
k times over) keep the typical client (medians), and the structure walk over
fixed costs moves ties of revenue together, so no decision depends on the size
of the portfolio.
"""

from __future__ import annotations

from typing import Any

import ibis
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cartera.segments import PortfolioTotals, classify, typical_expr
from cartera.settings import Settings


@st.composite
def clients(draw: st.DrawFn) -> list[dict[str, Any]]:
    """4-25 clients with metrics drawn from a wide, skewed range (some giants)."""
    rows = []
    for i in range(draw(st.integers(4, 25))):
        orders = draw(st.integers(0, 40))
        revenue = draw(st.sampled_from([0.0, 50.0, 900.0, 10_000.0, 25_000.0, 400_000.0]))
        revenue = revenue * draw(st.sampled_from([1.0, 1.3, 2.0])) if orders else 0.0
        pct = draw(st.sampled_from([0.05, 0.15, 0.30, 0.45, 0.6]))
        gm = revenue * pct
        nc = gm - draw(st.sampled_from([0.0, 100.0, 2_000.0, 50_000.0]))
        rows.append({
            "id": f"C{i:03d}", "image": draw(st.booleans()) and draw(st.booleans()),
            "orders": orders, "revenue": revenue, "gross_margin": gm,
            "margin_pct": pct if revenue > 0 else None, "net_contribution": nc,
            "financing_cost": draw(st.sampled_from([0.0, 50.0, 500.0])),
            "active_months": draw(st.integers(0, 12)) if orders else 0,
            "tenure_days": draw(st.sampled_from([None, 60, 200, 900])) if orders else None,
            "recency_days": draw(st.sampled_from([3, 100, 239, 241, 500])),
            "days_to_pay": draw(st.sampled_from([None, 30.0, 121.0, 170.0])),
            "return_rate": draw(st.sampled_from([None, 0.0, 0.2])),
            "service_cost": draw(st.sampled_from([0.0, 400.0, 9_000.0])),
            "service_hours": 1.0, "discount": draw(st.sampled_from([None, 0.05, 0.2])),
            "previous_revenue": draw(st.sampled_from([0.0, 5_000.0, 90_000.0])),
        })  # fmt: skip
    return rows


def _shares(frame: pl.DataFrame) -> pl.DataFrame:
    positive = pl.col("revenue").clip(lower_bound=0.0)
    return frame.with_columns(revenue_share=positive / positive.sum().clip(lower_bound=1e-9))


def _decide(rows: list[dict[str, Any]], s: Settings, *, literal: bool) -> dict[str, tuple]:
    floats = ("discount", "margin_pct", "days_to_pay", "return_rate")
    types = {**dict.fromkeys(floats, pl.Float64), "tenure_days": pl.Int64}
    frame = _shares(pl.DataFrame(rows, schema_overrides=types))
    table = ibis.memtable(frame.to_arrow())
    totals = None
    if literal:
        totals = PortfolioTotals(**typical_expr(table, s).to_pyarrow().to_pylist()[0])
    out = classify(table, s, has_cost=True, totals=totals).to_polars()
    return {r["id"]: (r["segment"], r["action"]) for r in out.iter_rows(named=True)}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    clients(),
    st.integers(2, 4),
    st.sampled_from([0.0, 30_000.0, 150_000.0, 5_000_000.0]),
    st.booleans(),
)
def test_replicating_the_portfolio_keeps_every_decision(
    rows: list[dict[str, Any]], k: int, fixed: float, literal: bool
) -> None:
    once = _decide(rows, Settings(fixed_costs=fixed), literal=literal)
    copies = [{**r, "id": f"{r['id']}-{j}"} for j in range(k) for r in rows]
    many = _decide(copies, Settings(fixed_costs=fixed * k), literal=literal)
    for cid, decision in many.items():
        # low_volume and dependence read shares, which replication divides; they are reasons
        # only, never the let-go decision alone (negative_contribution goes with low_volume).
        assert decision == once[cid.rsplit("-", 1)[0]], cid
