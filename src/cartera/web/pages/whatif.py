"""The what-if simulator: lose ticked clients, move fixed costs, hourly cost, structure prices.

The portfolio after comes from the analysis' cached
:class:`~cartera.scenarios.simulate.Simulator` (the engine's sums over the
adjusted per-client arrays), so profit, coverage, HHI and the Pareto point are
computed as in the analysis, in a few milliseconds per update.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from cartera.i18n import _
from cartera.report.labels import band_label, segment_label
from cartera.report.view import Cell, money, number, pct
from cartera.result import Portfolio
from cartera.web.analyses import FirmAnalysis
from cartera.web.firmdata import ClientQuery, query_clients

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
    """Rows of the before/after table; ``key`` names the portfolio figure (stable in JSON)."""

    def diff(x: float | None, y: float | None) -> float | None:
        return None if x is None or y is None else y - x

    def m(value: float | None) -> Cell:
        return money(value, currency)

    def row(
        key: str, label: str, kind: Callable[[Any], Cell], delta: bool = True
    ) -> dict[str, Any]:
        b, a = _get(before, key), _get(after, key)
        change = kind(diff(b, a)) if delta and not isinstance(b, str) else Cell("", None)
        return {"key": key, "label": label, "before": kind(b), "after": kind(a), "delta": change}

    def band(value: str) -> Cell:
        return Cell(band_label(value), value)

    # Without fixed costs there is no profit nor coverage to show (issue 11): the rows
    # appear once the fixed-costs slider gives them a meaning.
    with_fixed = bool(before.fixed_costs or after.fixed_costs)
    money_rows = [
        row("clients", _("Clients"), number),
        row("revenue", _("Revenue"), m),
        row("net_contribution", _("Net contribution"), m),
    ]
    if with_fixed:
        money_rows += [
            row("profit", _("Profit"), m),
            row("fixed_cost_coverage", _("Fixed costs covered"), pct, delta=False),
        ]
    return [
        *money_rows,
        row("hhi", _("Concentration (HHI)"), number),
        row("pareto.band", _("Pareto"), band, delta=False),
        row("pareto.clients_for_80pct", _("Clients for 80% of revenue"), number),
    ]


def _get(p: Portfolio, dotted: str) -> Any:
    value: Any = p
    for part in dotted.split("."):
        value = getattr(value, part)
    return value


def whatif_data(fa: FirmAnalysis, query: WhatIfQuery) -> dict[str, Any]:
    """Before and after for ``query``; the candidates to tick (largest or searched)."""
    analysis, settings = fa.analysis, fa.settings
    chosen = settings.with_overrides(fixed_costs=query.fixed_costs, hourly_cost=query.hourly_cost)
    known = set(analysis.clients_frame.filter(pl.col("id").is_in(list(query.lose)))["id"])
    lost = [i for i in query.lose if i in known]
    after = fa.simulator.portfolio(chosen, lost=lost, price_cut=query.price_cut)
    if query.q:
        candidates, _n = query_clients(fa, ClientQuery(q=query.q, per_page=PICK_LIMIT))
    else:  # the largest: the frame is in rank order
        candidates = analysis.clients_frame.head(PICK_LIMIT)
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
