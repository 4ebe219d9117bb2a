"""The segment, action and reason rules over a polars frame (the local analysis).

:mod:`cartera.segments` states the rules as Ibis expressions, which every
backend runs. A local analysis from the workspace's pre-aggregates has its
per-client frame in memory already (:mod:`cartera.engine.local`), and running
the rules there with polars costs a fraction of compiling and running the
Ibis query (decision 0253). This module is that second form of the same rules,
held equal to the first by the rule tests (``tests/engine/test_segments.py``
runs every edge on both) and by the analysis parity tests. It also holds what
both forms share: the reason codes, the typical client and the numbers behind
each reason (:func:`reason_values`). It does not import Ibis.

Floating-point notes: the typical client's medians are DuckDB's
``quantile_cont`` (``lo + (hi - lo) × 0.5``); sums (the fixed costs' running
margin) add in another order than DuckDB's windows, so they may differ in the
last bits, as two DuckDB runs on two threads already do (decision 0251).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import get_args

import numpy as np
import polars as pl

from cartera.engine.local import divided
from cartera.result import ReasonCode
from cartera.settings import Settings

__all__ = [
    "LET_GO_CODES",
    "REASON_CODES",
    "PortfolioTotals",
    "classify_frame",
    "reason_values",
    "typical_values",
]

#: Reason codes in the order they are listed.
REASON_CODES: tuple[str, ...] = get_args(ReasonCode)
#: Codes that make a client a candidate to let go (or to renegotiate, for structure).
LET_GO_CODES = frozenset(REASON_CODES[:6])
#: Codes that are about low profit only: an image client is not let go for these.
PROFIT_CODES = ("low_volume", "service_burden", "price_pressure", "negative_contribution")
#: Codes a new client is not judged on (short tenure: volume is still building up).
VOLUME_CODES = ("low_volume", "negative_contribution")
#: Structure clients squeeze prices by nature (the seed): shown, never a reason to renegotiate.
STRUCTURE_EXEMPT = ("price_pressure",)


@dataclass(frozen=True)
class PortfolioTotals:
    """The typical client the segment rules compare each client with (medians).

    Medians, not portfolio totals or revenue-weighted ratios: a few giant
    low-margin clients do not move them, and a portfolio replicated ``k`` times
    has the same medians, so every client keeps its segment at any size.
    """

    #: median revenue of the clients that sold (None: none did)
    revenue: float | None
    #: median margin % of the clients that sold (None: none, or no cost data)
    margin_pct: float | None
    #: median gross margin of the clients that sold (None: none, or no cost data)
    gross_margin: float | None


def cut_points(
    totals: PortfolioTotals, settings: Settings
) -> tuple[float | None, float | None, float | None]:
    """The structure revenue, margin % and margin gross-margin cut points from the medians."""
    th = settings.thresholds
    factors = (th.structure_min_typical_multiple, 1.0, th.margin_min_typical_multiple)
    offsets = (0.0, th.margin_min_excess_pp / 100.0, 0.0)
    values = (totals.revenue, totals.margin_pct, totals.gross_margin)
    cuts = [
        v * f + o if v is not None else None
        for v, f, o in zip(values, factors, offsets, strict=True)
    ]
    return cuts[0], cuts[1], cuts[2]


def _sold() -> pl.Expr:
    return (pl.col("orders") > 0) & (pl.col("revenue") > 0)


def _median(values: np.ndarray) -> float | None:
    """DuckDB's ``median`` of doubles (``quantile_cont(0.5)``): ``lo + (hi - lo) × 0.5``."""
    n = values.size
    if n == 0:
        return None
    half = (n - 1) // 2
    if n % 2:
        return float(np.partition(values, half)[half])
    part = np.partition(values, [half, half + 1])
    lo, hi = float(part[half]), float(part[half + 1])
    return lo + (hi - lo) * 0.5


def typical_values(frame: pl.DataFrame) -> PortfolioTotals:
    """The typical client (:class:`PortfolioTotals`) of a per-client frame.

    The medians of revenue, margin % and gross margin over the clients that
    sold (``orders > 0`` and ``revenue > 0``), nulls left out.
    """
    sold = frame.select(
        [pl.col(c).filter(_sold()).cast(pl.Float64).alias(c)
         for c in ("revenue", "margin_pct", "gross_margin")]
    )  # fmt: skip
    medians = [_median(sold[c].drop_nulls().to_numpy()) for c in sold.columns]
    return PortfolioTotals(*medians)


def _flags(settings: Settings, *, has_cost: bool) -> dict[str, pl.Expr]:
    """One boolean expression per reason code (null counts as false)."""
    th = settings.thresholds
    c = pl.col
    false = pl.lit(False)
    active = c("orders") > 0
    margin_flags = {"low_volume": false, "service_burden": false, "negative_contribution": false}
    if has_cost:
        margin_flags = {
            "low_volume": active
            & (c("revenue_share") < th.low_volume_share)
            & (c("net_contribution") < 0),
            "service_burden": (c("gross_margin") > 0)
            & (c("service_cost") > th.service_burden_ratio * c("gross_margin")),
            "negative_contribution": (active | (c("service_hours") > 0))
            & (c("net_contribution") < 0),
        }
    flags = {
        "late_payment": c("days_to_pay") > th.late_payment_days,
        "high_returns": c("return_rate") > th.high_return_rate,
        **margin_flags,
        "price_pressure": c("discount") > th.price_pressure_discount,
        "dependence": c("revenue_share") > th.dependence_share,
        "declining": active
        & (c("previous_revenue") > 0)
        & (c("revenue") < th.declining_ratio * c("previous_revenue")),
    }
    return {code: flags[code].fill_null(False) for code in REASON_CODES}


def _structure(
    frame: pl.DataFrame, settings: Settings, revenue_cut: float | None, *, has_cost: bool
) -> pl.Series:
    """Steady and large; with fixed costs, only those that from the top carry their share.

    As :func:`cartera.segments._structure`: the gross margin carried by the
    large steady clients of strictly larger revenue than a client's (ties go
    together) must be below ``structure_fixed_cost_share`` of the fixed costs.
    """
    th = settings.thresholds
    c = pl.col
    cut = pl.lit(revenue_cut, pl.Float64)
    steady = _sold() & (c("_active_ratio") >= th.structure_min_active_ratio)
    large = (steady & (c("revenue") >= cut)).fill_null(False)
    fixed = settings.fixed_costs * settings.window_months / 12
    if not has_cost or fixed <= 0:
        return frame.select(large.alias("structure")).to_series()
    carried = frame.select(
        "revenue",
        carried=pl.when(large).then(c("gross_margin").fill_null(0.0).clip(lower_bound=0.0))
        .otherwise(0.0),
    )  # fmt: skip
    # Per revenue value (peers together): the margin of every client at or above it, then
    # less the peers' own: what the clients of strictly larger revenue carry.
    by_revenue = (
        carried.group_by("revenue")
        .agg(peers=c("carried").sum())
        .sort("revenue", descending=True)
        .with_columns(before=c("peers").cum_sum() - c("peers"))
    )
    before = carried.join(by_revenue, on="revenue", how="left", maintain_order="left")["before"]
    share = float(th.structure_fixed_cost_share * fixed)
    return frame.select(large & (before < share)).to_series().alias("structure")


def _any(flags: dict[str, pl.Expr], codes: Iterable[str]) -> pl.Expr:
    result = pl.lit(False)
    for code in sorted(codes):
        result = result | flags[code]
    return result


def _drop(settings: Settings) -> pl.Expr:
    """Letting the client go pays: it loses money, or the firm's late-payment policy says so."""
    losing = (pl.col("net_contribution") < 0).fill_null(False)
    days = settings.thresholds.policy_late_payment_days
    if days is None:
        return losing
    policy = (pl.col("days_to_pay") > days) & (
        pl.col("net_contribution") < pl.col("financing_cost")
    )
    return losing | policy.fill_null(False)


def _segment(settings: Settings, cuts: tuple[float | None, ...], *, has_cost: bool) -> pl.Expr:
    th = settings.thresholds
    c = pl.col
    _rev, pct_cut, gm_cut = cuts
    margin = pl.lit(False)
    if has_cost:
        margin = (
            _sold()
            & (c("margin_pct") >= pl.lit(pct_cut, pl.Float64))
            & (c("gross_margin") >= pl.lit(gm_cut, pl.Float64))
            & (c("_active_ratio") <= th.margin_max_active_ratio)
        ).fill_null(False)
    dormant = (c("orders") <= 0) | (c("recency_days") > th.dormant_days)
    return (
        pl.when(c("image")).then(pl.lit("image"))
        .when(dormant).then(pl.lit("dormant"))
        .when(c("_structure")).then(pl.lit("structure"))
        .when(c("tenure_days") < th.new_client_days).then(pl.lit("new"))
        .when(margin).then(pl.lit("margin"))
        .otherwise(pl.lit("regular"))
    )  # fmt: skip


def _action(settings: Settings, flags: dict[str, pl.Expr]) -> pl.Expr:
    """As :func:`cartera.segments._action` (let go only when it pays; exemptions by segment)."""
    seg = pl.col("segment")
    any_let_go = _any(flags, LET_GO_CODES)
    not_profit = _any(flags, LET_GO_CODES - set(PROFIT_CODES))
    not_volume = _any(flags, LET_GO_CODES - set(VOLUME_CODES))
    structure_issue = _any(flags, LET_GO_CODES - set(STRUCTURE_EXEMPT))
    candidate = pl.when(seg == "new").then(not_volume).otherwise(any_let_go)
    drop = _drop(settings)
    bought = pl.col("tenure_days").is_not_null()

    def either(cond: pl.Expr, yes: str, no: str) -> pl.Expr:
        return pl.when(cond).then(pl.lit(yes)).otherwise(pl.lit(no))

    return (
        pl.when((seg == "dormant") & any_let_go & drop).then(pl.lit("let_go"))
        .when(seg == "dormant").then(either(bought, "win_back", "keep"))
        .when(seg == "structure").then(either(structure_issue, "renegotiate", "keep"))
        .when(seg == "image").then(either(not_profit, "renegotiate", "keep"))
        .when(candidate & drop).then(pl.lit("let_go"))
        .when(candidate).then(pl.lit("renegotiate"))
        .when((seg == "margin") | (seg == "new")).then(pl.lit("grow"))
        .otherwise(pl.lit("keep"))
    )  # fmt: skip


def _reasons(flags: dict[str, pl.Expr]) -> pl.Expr:
    """The comma-joined codes, from one small integer per client (a bit per code)."""
    bits = sum(
        (flag.cast(pl.Int32) * (1 << i) for i, flag in enumerate(flags.values())),
        start=pl.lit(0, pl.Int32),
    )
    codes = list(flags)
    texts = [
        ",".join(code for i, code in enumerate(codes) if mask >> i & 1)
        for mask in range(1 << len(codes))
    ]
    return bits.replace_strict(list(range(len(texts))), texts, return_dtype=pl.String)


def classify_frame(
    frame: pl.DataFrame,
    settings: Settings,
    *,
    has_cost: bool,
    totals: PortfolioTotals | None = None,
) -> pl.DataFrame:
    """``frame`` plus ``segment``, ``action`` and ``reasons`` (:func:`cartera.segments.classify`).

    Parameters
    ----------
    frame
        The per-client metrics with ``revenue_share`` (the columns
        :func:`cartera.segments.classify` reads); any row order.
    settings
        Thresholds and the window length.
    has_cost
        Without a cost column the margin-based rules are switched off.
    totals
        The typical client; default :func:`typical_values` of ``frame``.
    """
    cuts = cut_points(totals or typical_values(frame), settings)
    flags = _flags(settings, has_cost=has_cost)
    ratio = divided(frame["active_months"], settings.window_months)
    out = frame.with_columns(_active_ratio=ratio)
    out = out.with_columns(_structure=_structure(out, settings, cuts[0], has_cost=has_cost))
    out = out.with_columns(segment=_segment(settings, cuts, has_cost=has_cost))
    return out.with_columns(action=_action(settings, flags), reasons=_reasons(flags)).drop(
        "_structure", "_active_ratio"
    )


def _or_zero(name: str) -> pl.Expr:
    """Polars twin of ``row.get(name) or 0.0`` (null and ±0.0 become 0.0)."""
    col = pl.col(name).cast(pl.Float64)
    return pl.when(col.is_null() | (col == 0.0)).then(0.0).otherwise(col)


def reason_values(settings: Settings) -> dict[str, tuple[pl.Expr, float]]:
    """The number behind each reason code, for a whole frame: code → (value expression, threshold).

    The expressions read the frame columns ``days_to_pay, return_rate,
    revenue_share, service_cost, gross_margin, discount, net_contribution,
    revenue, previous_revenue``; a missing number reads as 0.
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
