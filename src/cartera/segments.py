"""Segments, actions and reasons: decisions on top of the per-client metrics.

Every rule is an Ibis expression over the per-client table, with its cut point
from :class:`cartera.settings.Thresholds`, so the same decisions run on every
backend. ``reasons`` is the comma-joined list of reason codes in a fixed
order; :func:`reason_values` gives the numbers behind each code
(``{code, value, threshold}`` of the JSON contract).

Segments (exactly one): ``image`` (flagged by the user, never inferred),
``dormant`` (no invoice in the window, or none for ``dormant_days``),
``structure`` (steady and many times the typical client's revenue; with
fixed costs, those that from the top carry their share), ``new`` (short
tenure), ``margin`` (occasional, margin % and gross margin well above the
typical client's), ``regular`` (the rest). Every comparison is with the
portfolio's medians, so segments do not depend on the portfolio's size.

Actions: ``let_go`` only when losing the client raises profit (negative net
contribution) or the firm's late-payment policy says so; a client with a
let-go reason that still contributes is ``renegotiate``; dormant clients that
bought before are ``win_back``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from cartera.segment_rules import (
    LET_GO_CODES,
    PROFIT_CODES,
    REASON_CODES,
    STRUCTURE_EXEMPT,
    VOLUME_CODES,
    PortfolioTotals,
    cut_points,
    reason_values,
)
from cartera.settings import Settings

__all__ = [
    "LET_GO_CODES",
    "REASON_CODES",
    "PortfolioTotals",
    "classify",
    "reason_values",
    "totals_expr",
    "typical_expr",
]


def _sold(t: ir.Table) -> ir.BooleanValue:
    return (t.orders > 0) & (t.revenue > 0)


def _steady(t: ir.Table, settings: Settings) -> ir.BooleanValue:
    ratio = t.active_months / settings.window_months
    return _sold(t) & (ratio >= settings.thresholds.structure_min_active_ratio)


def totals_expr(metrics: ir.Table) -> ir.Table:
    """One row: ``revenue, gross_margin, positive_margin, positive_revenue`` sums."""
    t = metrics
    return t.aggregate(
        revenue=t.revenue.sum(),
        gross_margin=t.gross_margin.sum(),
        positive_margin=ibis.greatest(t.gross_margin, 0.0).sum(),
        positive_revenue=ibis.greatest(t.revenue, 0.0).sum(),
    )


def _medians(t: ir.Table, settings: Settings) -> list[ir.FloatingScalar]:
    """The three medians (the filter as a null, which Spark's percentile also accepts)."""
    sold = _sold(t)
    return [
        ibis.ifelse(sold, t.revenue, None).median(),
        ibis.ifelse(sold, t.margin_pct, None).median(),
        ibis.ifelse(sold, t.gross_margin, None).median(),
    ]


def typical_expr(metrics: ir.Table, settings: Settings) -> ir.Table:
    """One row: ``revenue, margin_pct, gross_margin``, the typical client's medians."""
    t = metrics
    return t.aggregate(
        **dict(zip(PortfolioTotals.__dataclass_fields__, _medians(t, settings), strict=True))
    )


_TYPICAL = ("_typical_revenue", "_typical_pct", "_typical_gm")


def _with_typical(t: ir.Table, settings: Settings) -> ir.Table:
    """``t`` plus the typical client's figures as columns (windows over the whole table)."""
    values = [m.over() for m in _medians(t, settings)]
    return t.mutate(**dict(zip(_TYPICAL, values, strict=True)))


def _cuts(
    t: ir.Table, settings: Settings, totals: PortfolioTotals | None
) -> tuple[ir.NumericValue, ir.NumericValue, ir.NumericValue]:
    """The structure revenue, margin % and margin gross-margin cut points.

    From the typical client: computed in Python when the medians are known
    (DuckDB reads a float literal as a DECIMAL, which a product can overflow),
    else from the window columns of :func:`_with_typical`.
    """
    if totals is None:
        th = settings.thresholds
        factors = (th.structure_min_typical_multiple, 1.0, th.margin_min_typical_multiple)
        offsets = (0.0, th.margin_min_excess_pp / 100.0, 0.0)
        cols = [t[name] * f + o for name, f, o in zip(_TYPICAL, factors, offsets, strict=True)]
        return cols[0], cols[1], cols[2]
    lit = [
        ibis.literal(v, "float64") if v is not None else ibis.null("float64")
        for v in cut_points(totals, settings)
    ]
    return lit[0], lit[1], lit[2]


def _flags(t: ir.Table, settings: Settings, *, has_cost: bool) -> dict[str, ir.BooleanValue]:
    """One boolean expression per reason code (null counts as false)."""
    th = settings.thresholds
    false = ibis.literal(False)
    active = t.orders > 0
    margin_flags: dict[str, ir.BooleanValue] = {
        "low_volume": false,
        "service_burden": false,
        "negative_contribution": false,
    }
    if has_cost:
        margin_flags = {
            "low_volume": active
            & (t.revenue_share < th.low_volume_share)
            & (t.net_contribution < 0),
            "service_burden": (t.gross_margin > 0)
            & (t.service_cost > th.service_burden_ratio * t.gross_margin),
            # A client with no sales but hours spent on it also costs more than it brings.
            "negative_contribution": (active | (t.service_hours > 0)) & (t.net_contribution < 0),
        }
    flags = {
        "late_payment": t.days_to_pay > th.late_payment_days,
        "high_returns": t.return_rate > th.high_return_rate,
        **margin_flags,
        "price_pressure": t.discount > th.price_pressure_discount,
        "dependence": t.revenue_share > th.dependence_share,
        "declining": active
        & (t.previous_revenue > 0)
        & (t.revenue < th.declining_ratio * t.previous_revenue),
    }
    return {code: flags[code].fill_null(False) for code in REASON_CODES}


def _structure(
    t: ir.Table,
    settings: Settings,
    revenue_cut: ir.NumericValue,
    *,
    has_cost: bool,
) -> ir.BooleanValue:
    """Steady and large; with fixed costs, only those that from the top carry their share.

    Large is ``revenue >= structure_min_typical_multiple × typical revenue``.
    With fixed costs (and cost data) the large steady clients are taken from the
    top of the revenue ranking while the gross margin of those before them
    (clients of strictly larger revenue, so ties go together) is below
    ``structure_fixed_cost_share`` of the window's fixed costs.
    """
    th = settings.thresholds
    large = _steady(t, settings) & (t.revenue >= revenue_cut)
    fixed = settings.fixed_costs * settings.window_months / 12
    if not has_cost or fixed <= 0:
        return large.fill_null(False)
    carried = ibis.ifelse(
        large.fill_null(False), ibis.greatest(t.gross_margin.fill_null(0.0), 0.0), 0.0
    )
    up_to = carried.sum().over(ibis.window(order_by=ibis.desc(t.revenue), range=(None, 0)))
    before = up_to - carried.sum().over(group_by=t.revenue)
    share = ibis.literal(float(th.structure_fixed_cost_share * fixed), "float64")
    return (large & (before < share)).fill_null(False)


def _segment(
    t: ir.Table, settings: Settings, *, has_cost: bool, totals: PortfolioTotals | None
) -> ir.StringValue:
    th = settings.thresholds
    active_ratio = t.active_months / settings.window_months
    revenue_cut, pct_cut, gm_cut = _cuts(t, settings, totals)
    structure = _structure(t, settings, revenue_cut, has_cost=has_cost)
    margin: ir.BooleanValue = ibis.literal(False)
    if has_cost:
        margin = (
            _sold(t)
            & (t.margin_pct >= pct_cut)
            & (t.gross_margin >= gm_cut)
            & (active_ratio <= th.margin_max_active_ratio)
        ).fill_null(False)
    return ibis.cases(
        (t.image, "image"),
        ((t.orders <= 0) | (t.recency_days > th.dormant_days), "dormant"),
        (structure, "structure"),
        (t.tenure_days < th.new_client_days, "new"),
        (margin, "margin"),
        else_="regular",
    )


def _any(flags: Mapping[str, ir.BooleanValue], codes: Any) -> ir.BooleanValue:
    result: ir.BooleanValue = ibis.literal(False)
    for code in codes:
        result = result | flags[code]
    return result


def _drop(t: ir.Table, settings: Settings) -> ir.BooleanValue:
    """Letting the client go pays: it loses money, or the firm's late-payment policy says so."""
    losing = t.net_contribution < 0
    days = settings.thresholds.policy_late_payment_days
    if days is None:
        return losing.fill_null(False)
    policy = (t.days_to_pay > days) & (t.net_contribution < t.financing_cost)
    return losing.fill_null(False) | policy.fill_null(False)


def _action(
    t: ir.Table, flags: Mapping[str, ir.BooleanValue], settings: Settings
) -> ir.StringValue:
    """The action: ``let_go`` only when it pays (:func:`_drop`), else ``renegotiate``.

    A client is a candidate when it has a let-go reason its segment is judged
    on (new: not volume). A candidate is let go when losing it raises profit,
    else renegotiated. Structure clients (the firm depends on them; price
    pressure is their nature) and image clients (kept for reputation; late
    payment or returns only) are renegotiated, never let go. Dormant clients
    that bought before are won back.
    """
    seg = t.segment
    any_let_go = _any(flags, sorted(LET_GO_CODES))
    not_profit = _any(flags, sorted(LET_GO_CODES - set(PROFIT_CODES)))
    not_volume = _any(flags, sorted(LET_GO_CODES - set(VOLUME_CODES)))
    structure_issue = _any(flags, sorted(LET_GO_CODES - set(STRUCTURE_EXEMPT)))
    candidate = ibis.ifelse(seg == "new", not_volume, any_let_go)
    drop = _drop(t, settings)
    bought = t.tenure_days.notnull()
    return ibis.cases(
        ((seg == "dormant") & any_let_go & drop, "let_go"),
        (seg == "dormant", ibis.ifelse(bought, "win_back", "keep")),
        (seg == "structure", ibis.ifelse(structure_issue, "renegotiate", "keep")),
        (seg == "image", ibis.ifelse(not_profit, "renegotiate", "keep")),
        (candidate & drop, "let_go"),
        (candidate, "renegotiate"),
        ((seg == "margin") | (seg == "new"), "grow"),
        else_="keep",
    )


def classify(
    metrics: ir.Table,
    settings: Settings,
    *,
    has_cost: bool,
    totals: PortfolioTotals | None = None,
) -> ir.Table:
    """Add ``segment``, ``action`` and ``reasons`` to the per-client table.

    Parameters
    ----------
    metrics
        Output of :func:`cartera.engine.metrics.client_metrics` (needs
        ``image, orders, revenue, revenue_share, gross_margin, margin_pct,
        net_contribution, active_months, tenure_days, days_to_pay,
        return_rate, service_cost, discount, previous_revenue``).
    settings
        Thresholds and the window length.
    has_cost
        Without a cost column the margin-based rules are switched off.
    totals
        The portfolio's margin figures when already computed (else windows
        over the whole table compute them in the same query).

    Returns
    -------
    ir.Table
        ``metrics`` plus ``segment`` (string), ``action`` (string) and
        ``reasons`` (comma-joined codes, empty when none).
    """
    if totals is None:
        metrics = _with_typical(metrics, settings)
    flags = _flags(metrics, settings, has_cost=has_cost)
    # Segment and flags as columns first, so the action and the reason list
    # refer to them instead of repeating each rule in the compiled query.
    t = metrics.mutate(
        segment=_segment(metrics, settings, has_cost=has_cost, totals=totals),
        **{f"_f_{code}": flag for code, flag in flags.items()},
    )
    columns = {code: t[f"_f_{code}"] for code in REASON_CODES}
    joined: ir.StringValue = ibis.literal("")
    for code in REASON_CODES:
        joined = joined + ibis.ifelse(columns[code], "," + code, "")
    t = t.mutate(action=_action(t, columns, settings), reasons=joined.substr(1))
    t = t.drop(*(f"_f_{code}" for code in REASON_CODES))
    return t if totals is not None else t.drop(*_TYPICAL)
