"""Segments, actions and reasons: decisions on top of the per-client metrics.

Every rule is an Ibis expression over the per-client table, with its cut point
from :class:`cartera.settings.Thresholds`, so the same decisions run on every
backend. ``reasons`` is the comma-joined list of reason codes in a fixed
order; :func:`reason_details` turns a client's codes back into
``{code, value, threshold}`` with the numbers behind each one.

Segments (exactly one): ``image`` (flagged by the user, never inferred),
``dormant`` (no invoice in the window, or none for ``dormant_days``), ``structure`` (large and
steady), ``new`` (short tenure), ``margin`` (high margin, occasional),
``regular`` (the rest).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, get_args

import ibis
import ibis.expr.types as ir
import polars as pl

from cartera.result import Reason, ReasonCode
from cartera.settings import Settings

__all__ = [
    "LET_GO_CODES",
    "REASON_CODES",
    "PortfolioTotals",
    "classify",
    "reason_details",
    "reason_values",
    "totals_expr",
]

#: Reason codes in the order they are listed.
REASON_CODES: tuple[str, ...] = get_args(ReasonCode)
#: Codes that make a client a candidate to let go (or to renegotiate, for structure).
LET_GO_CODES = frozenset(REASON_CODES[:6])
#: Codes that are about low profit only: an image client is not let go for these.
_PROFIT_CODES = ("low_volume", "service_burden", "price_pressure", "negative_contribution")
#: Codes a new client is not judged on (short tenure: volume is still building up).
_VOLUME_CODES = ("low_volume", "negative_contribution")
#: Structure clients squeeze prices by nature (the seed): shown, never a reason to renegotiate.
_STRUCTURE_EXEMPT = ("price_pressure",)


@dataclass(frozen=True)
class PortfolioTotals:
    """The two portfolio figures the margin rule compares a client with."""

    margin_pct: float | None  #: Σ gross margin ÷ Σ revenue (None: no revenue)
    positive_margin: float  #: Σ max(gross margin, 0)


def totals_expr(metrics: ir.Table) -> ir.Table:
    """One row: ``revenue, gross_margin, positive_margin, positive_revenue`` sums."""
    t = metrics
    return t.aggregate(
        revenue=t.revenue.sum(),
        gross_margin=t.gross_margin.sum(),
        positive_margin=ibis.greatest(t.gross_margin, 0.0).sum(),
        positive_revenue=ibis.greatest(t.revenue, 0.0).sum(),
    )


def _margin_terms(
    t: ir.Table, totals: PortfolioTotals | None
) -> tuple[ir.NumericValue, ir.NumericValue]:
    """Portfolio margin % and positive gross margin: literals when known, else windows."""
    if totals is not None:
        pct = totals.margin_pct
        return (
            ibis.literal(pct, "float64") if pct is not None else ibis.null("float64"),
            ibis.literal(float(totals.positive_margin)),
        )
    revenue = t.revenue.sum().over()
    pct_expr = ibis.ifelse(revenue > 0, t.gross_margin.sum().over() / revenue, None)
    return pct_expr, ibis.greatest(t.gross_margin, 0.0).sum().over()


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


def _segment(
    t: ir.Table, settings: Settings, *, has_cost: bool, totals: PortfolioTotals | None
) -> ir.StringValue:
    th = settings.thresholds
    months = settings.window_months
    active_ratio = t.active_months / months
    structure = (t.revenue_share >= th.structure_min_share) & (
        active_ratio >= th.structure_min_active_ratio
    )
    margin: ir.BooleanValue = ibis.literal(False)
    if has_cost:
        portfolio_pct, gm_total = _margin_terms(t, totals)
        margin = (
            (t.margin_pct >= portfolio_pct + th.margin_min_excess_pp / 100.0)
            & (t.gross_margin >= th.margin_min_gm_share * gm_total)
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


def _action(t: ir.Table, flags: Mapping[str, ir.BooleanValue]) -> ir.StringValue:
    seg = t.segment
    any_let_go = _any(flags, sorted(LET_GO_CODES))
    not_profit = _any(flags, sorted(LET_GO_CODES - set(_PROFIT_CODES)))
    not_volume = _any(flags, sorted(LET_GO_CODES - set(_VOLUME_CODES)))
    structure_issue = _any(flags, sorted(LET_GO_CODES - set(_STRUCTURE_EXEMPT)))
    return ibis.cases(
        ((seg == "dormant") & any_let_go, "let_go"),
        (seg == "dormant", ibis.ifelse((t.revenue > 0) | (t.previous_revenue > 0), "grow", "keep")),
        (seg == "structure", ibis.ifelse(structure_issue, "renegotiate", "keep")),
        (seg == "image", ibis.ifelse(not_profit, "let_go", "keep")),
        (seg == "new", ibis.ifelse(not_volume, "let_go", "grow")),
        (any_let_go, "let_go"),
        (seg == "margin", "grow"),
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
    t = t.mutate(action=_action(t, columns), reasons=joined.substr(1))
    return t.drop(*(f"_f_{code}" for code in REASON_CODES))


def reason_details(codes: str, row: Mapping[str, Any], settings: Settings) -> list[Reason]:
    """The ``{code, value, threshold}`` behind each code of a client's ``reasons``.

    ``row`` holds the client's metrics (a frame row as a dict).
    """
    th = settings.thresholds
    gross_margin = row.get("gross_margin") or 0.0
    burden = row["service_cost"] / gross_margin if gross_margin > 0 else 0.0
    previous = row.get("previous_revenue") or 0.0
    numbers: dict[str, tuple[float, float]] = {
        "late_payment": (row.get("days_to_pay") or 0.0, th.late_payment_days),
        "high_returns": (row.get("return_rate") or 0.0, th.high_return_rate),
        "low_volume": (row["revenue_share"], th.low_volume_share),
        "service_burden": (burden, th.service_burden_ratio),
        "price_pressure": (row.get("discount") or 0.0, th.price_pressure_discount),
        "negative_contribution": (row.get("net_contribution") or 0.0, 0.0),
        "dependence": (row["revenue_share"], th.dependence_share),
        "declining": (row["revenue"] / previous if previous > 0 else 0.0, th.declining_ratio),
    }
    return [
        Reason(code=code, value=numbers[code][0], threshold=numbers[code][1])
        for code in codes.split(",")
        if code
    ]


def _or_zero(name: str) -> pl.Expr:
    """Polars twin of ``row.get(name) or 0.0`` (null and ±0.0 become 0.0)."""
    col = pl.col(name).cast(pl.Float64)
    return pl.when(col.is_null() | (col == 0.0)).then(0.0).otherwise(col)


def reason_values(settings: Settings) -> dict[str, tuple[pl.Expr, float]]:
    """:func:`reason_details`' numbers for a whole frame: code → (value expression, threshold).

    The expressions read the frame columns ``days_to_pay, return_rate,
    revenue_share, service_cost, gross_margin, discount, net_contribution,
    revenue, previous_revenue`` and give exactly :func:`reason_details`' values.
    """
    th = settings.thresholds
    share = pl.col("revenue_share").cast(pl.Float64)
    margin = pl.col("gross_margin").cast(pl.Float64)
    previous = pl.col("previous_revenue").cast(pl.Float64)
    return {
        "late_payment": (_or_zero("days_to_pay"), float(th.late_payment_days)),
        "high_returns": (_or_zero("return_rate"), float(th.high_return_rate)),
        "low_volume": (share, float(th.low_volume_share)),
        "service_burden": (
            pl.when(margin > 0).then(pl.col("service_cost") / margin).otherwise(0.0),
            float(th.service_burden_ratio),
        ),
        "price_pressure": (_or_zero("discount"), float(th.price_pressure_discount)),
        "negative_contribution": (_or_zero("net_contribution"), 0.0),
        "dependence": (share, float(th.dependence_share)),
        "declining": (
            pl.when(previous > 0).then(pl.col("revenue") / previous).otherwise(0.0),
            float(th.declining_ratio),
        ),
    }
