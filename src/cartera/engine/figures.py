"""Portfolio figures from one row of per-client sums (plain Python, no engine).

:func:`cartera.engine.portfolio.summarise` computes the sums with the engine's
SQL and the what-if simulator (:mod:`cartera.scenarios.simulate`) with numpy;
both hand them to :func:`from_totals`, so every figure is derived the same
way. Kept apart from the Ibis expressions so that a local analysis does not
import Ibis.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from cartera.engine.window import AGING_BUCKETS
from cartera.result import SEGMENTS, AgingBucket, Pareto, Portfolio, SegmentFigures
from cartera.settings import Settings

__all__ = ["MAX_CURVE_POINTS", "from_totals", "pareto_band"]

#: Charts never need more points than this; curves are sampled by rank.
MAX_CURVE_POINTS = 500
_EPS = 1e-9


def pareto_band(share: float | None, settings: Settings) -> str:
    """The seed's reading of N80 (share of clients making 80 % of revenue).

    At most ``pareto_high_risk`` → ``high_risk``; at least ``pareto_low_risk``
    → ``low_risk_high_cost``; in between ``typical``; no revenue → ``undefined``.
    """
    th = settings.thresholds
    if share is None:
        return "undefined"
    if share <= th.pareto_high_risk:
        return "high_risk"
    if share >= th.pareto_low_risk:
        return "low_risk_high_cost"
    return "typical"


def _num(value: Any) -> float | None:
    """A database scalar as a finite float, or None (null, NaN)."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def from_totals(
    row: dict[str, Any], settings: Settings, large_clients: Callable[[float, float], list[str]]
) -> Portfolio:
    """The :class:`Portfolio` of one row of :func:`totals_expr`'s sums.

    ``large_clients(positive_revenue, flag)`` lists the ids of the clients at or
    above ``flag`` of the positive revenue, largest first (ties by id); it is
    called only when the largest client is that large. :func:`summarise` and
    the what-if simulator (:mod:`cartera.scenarios.simulate`), which computes
    the same sums with numpy, share this step.
    """
    has_margin = row["gross_margin"] is not None
    positive = _num(row["positive_revenue"]) or 0.0

    def share(k: str) -> float:
        return (_num(row[k]) or 0.0) / positive if positive > 0 else 0.0

    hhi = 10_000 * (_num(row["sum_sq"]) or 0.0) / positive**2 if positive > 0 else 0.0
    n_pos = int(row["positive_clients"] or 0)
    n80 = int(row["n80"] or 0)
    share80 = n80 / n_pos if n_pos else None
    flag = settings.targets.flag_client_share
    # Only ask for the large clients' ids when the largest one is large.
    large = large_clients(positive, flag) if share("top1") >= flag - _EPS else []
    revenue = _num(row["revenue"]) or 0.0
    gross = _num(row["gross_margin"])
    net = _num(row["net_contribution"])
    # Fixed costs are per year; the window may be shorter or longer.
    fixed = settings.fixed_costs * settings.window_months / 12
    structure_gm = _num(row["structure_margin"]) or (0.0 if gross is not None else None)
    total_nc = net or 0.0
    return Portfolio(
        clients=int(row["clients"] or 0),
        revenue=revenue,
        gross_margin=gross,
        margin_pct=gross / revenue if gross is not None and revenue > 0 else None,
        cost_to_serve=_num(row["cost_to_serve"]) or 0.0,
        net_contribution=net,
        fixed_costs=fixed,
        profit=net - fixed if net is not None else None,
        pareto=Pareto(
            clients_for_80pct=n80,
            share_of_clients_for_80pct=share80,
            band=pareto_band(share80, settings),
        ),
        hhi=hhi,
        effective_clients=10_000 / hhi if hhi > 0 else None,
        top1_share=share("top1"),
        top5_share=share("top5"),
        top10_share=share("top10"),
        large_clients=large,
        fixed_cost_coverage=structure_gm / fixed
        if structure_gm is not None and fixed > 0
        else None,
        service_hours=_num(row["service_hours"]) or 0.0,
        segments=_segment_figures(row, has_margin),
        # No bucket computed (no payment data, decision 0948): no aging rather than zeros.
        aging=[
            AgingBucket(bucket=name, amount=_num(row[f"aging_{name}"]) or 0.0)
            for name, _lo, _hi in AGING_BUCKETS
        ]
        if any(row[f"aging_{name}"] is not None for name, _lo, _hi in AGING_BUCKETS)
        else [],
        whale_peak_share=(_num(row["whale_peak"]) or 0.0) / total_nc if total_nc > 0 else None,
    )


def _segment_figures(row: dict[str, Any], has_margin: bool) -> dict[str, SegmentFigures]:
    """All six segments; an empty one has zeros (and no margin when the data has none)."""
    empty = 0.0 if has_margin else None
    figures: dict[str, SegmentFigures] = {}
    for name in SEGMENTS:
        n = int(row[f"seg_{name}_clients"] or 0)
        margin, contribution = (
            (_num(row[f"seg_{name}_gross_margin"]), _num(row[f"seg_{name}_net_contribution"]))
            if n
            else (empty, empty)
        )
        figures[name] = SegmentFigures(
            clients=n,
            revenue=_num(row[f"seg_{name}_revenue"]) or 0.0,
            gross_margin=margin,
            net_contribution=contribution,
        )
    return figures
