"""The what-if simulator: lose ticked clients, move fixed costs, hourly cost, structure prices.

The portfolio after is the engine's own summary of the adjusted frame
(:func:`cartera.scenarios.whatif.portfolio_without`), so profit, coverage,
HHI and the Pareto point are computed as in the analysis.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from cartera.i18n import _
from cartera.report.labels import band_label, segment_label
from cartera.report.view import Cell, money, number, pct
from cartera.result import Portfolio
from cartera.scenarios.whatif import portfolio_without
from cartera.web.analyses import FirmAnalysis
from cartera.web.firmdata import ClientQuery, query_clients
from cartera.web.simulate import adjust_frame

__all__ = ["WhatIfQuery", "whatif_data"]

#: Clients offered to tick: the largest by revenue (others are found by search).
PICK_LIMIT = 30


@dataclass(frozen=True)
class WhatIfQuery:
    lose: tuple[str, ...] = ()
    fixed_costs: float | None = None
    hourly_cost: float | None = None
    price_cut: float = 0.0  # structure price cut, fraction 0–1
    q: str = ""


def _figures(before: Portfolio, after: Portfolio, currency: str) -> list[dict[str, Any]]:
    def row(label: str, b: Cell, a: Cell, delta: Cell | None = None) -> dict[str, Any]:
        return {"label": label, "before": b, "after": a, "delta": delta or Cell("", None)}

    def diff(x: float | None, y: float | None) -> float | None:
        return None if x is None or y is None else y - x

    return [
        row(_("Clients"), number(before.clients), number(after.clients)),
        row(_("Revenue"), money(before.revenue, currency), money(after.revenue, currency),
            money(diff(before.revenue, after.revenue), currency)),
        row(_("Net contribution"), money(before.net_contribution, currency),
            money(after.net_contribution, currency),
            money(diff(before.net_contribution, after.net_contribution), currency)),
        row(_("Profit"), money(before.profit, currency), money(after.profit, currency),
            money(diff(before.profit, after.profit), currency)),
        row(_("Fixed costs covered"), pct(before.fixed_cost_coverage),
            pct(after.fixed_cost_coverage)),
        row(_("Concentration (HHI)"), number(before.hhi), number(after.hhi),
            number(diff(before.hhi, after.hhi))),
        row(_("Pareto"), Cell(band_label(before.pareto.band), before.pareto.band),
            Cell(band_label(after.pareto.band), after.pareto.band)),
        row(_("Clients for 80% of revenue"), number(before.pareto.clients_for_80pct),
            number(after.pareto.clients_for_80pct)),
    ]  # fmt: skip


def whatif_data(fa: FirmAnalysis, query: WhatIfQuery) -> dict[str, Any]:
    """Before and after for ``query``; the candidates to tick (largest or searched)."""
    analysis, settings = fa.analysis, fa.settings
    chosen = settings.with_overrides(fixed_costs=query.fixed_costs, hourly_cost=query.hourly_cost)
    frame = adjust_frame(
        analysis.clients_frame,
        hourly_cost=chosen.hourly_cost,
        old_hourly_cost=settings.hourly_cost,
        structure_price_cut=query.price_cut,
    )
    known = set(analysis.clients_frame.filter(pl.col("id").is_in(list(query.lose)))["id"])
    lost = [i for i in query.lose if i in known]
    after = portfolio_without(frame, lost, chosen)
    candidates, _n = query_clients(fa, ClientQuery(q=query.q, per_page=PICK_LIMIT))
    lost_frame = analysis.clients_frame.filter(pl.col("id").is_in(lost))
    picks = {
        r["id"]: r for r in [*lost_frame.iter_rows(named=True), *candidates.iter_rows(named=True)]
    }
    return {
        "query": query,
        "settings": {
            "fixed_costs": chosen.fixed_costs,
            "hourly_cost": chosen.hourly_cost,
            "price_cut": query.price_cut,
        },
        "lost": lost,
        "figures": _figures(analysis.portfolio, after, analysis.currency),
        "candidates": [
            {
                "id": r["id"],
                "name": r["name"] or r["id"],
                "segment": segment_label(r["segment"]),
                "revenue": money(r["revenue"], analysis.currency).text,
                "lost": r["id"] in lost,
            }
            for r in picks.values()
        ],
    }
