"""What the portfolio lacks first: the gaps of the analysis and the call list they rank.

A :class:`Gap` per kind the portfolio is short of, read from the analysis
and the balance targets (:class:`cartera.settings.Targets`):

* ``structure`` — the structure clients' gross margin covers less of the
  fixed costs than ``structure_coverage`` (or, without fixed costs, there is
  no structure client at all); missing = target × fixed costs − their margin;
* ``margin`` — fewer active margin clients than ``min_margin_clients``, or
  their gross margin a smaller share of the portfolio's than
  ``min_margin_share`` (a margin client whose days since its last order
  exceed ``lapse_ratio`` times its usual interval is lapsing and does not
  count); severity and missing money are the larger of the two shortfalls
  (clients short × a typical margin client's gross margin; target share ×
  gross margin − the active margin clients' gross margin);
* ``image`` — fewer image clients than ``min_image_clients``; missing = the
  shortfall in clients (reputation has no price);
* ``spread`` — 80 % of sales come from fewer than ``n80_min_share`` of the
  clients (80/10): many mid-size clients spread the risk, one more giant
  does not.

Severity is the missing fraction of the target (0–1). The call list ranks
each prospect by severity × fit probability of its best kind; under a
``spread`` gap, small and medium prospects count (1 + s) times and large ones
(1 − s/2) times. Each row says which gap the prospect would close and by how
much: its probability × the kind's typical client (median revenue and gross
margin of today's clients of the kind; without any, a high percentile of all
clients). Pure: frames and settings in, dataclasses and frames out.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Final

import polars as pl

from cartera.result import Portfolio
from cartera.settings import Settings
from cartera.study.fit import TARGET_KINDS

__all__ = ["GAP_CODES", "Gap", "call_list", "find_gaps", "typical_client"]

#: Code of each gap, by kind.
GAP_CODES: Final = {
    "structure": "cover_fixed_costs",
    "margin": "seek_margin_clients",
    "image": "seek_image_clients",
    "spread": "spread_risk",
}
#: Percentile of all clients taken as "typical" for a kind the firm has none of.
_FALLBACK_QUANTILE: Final = {"structure": 0.95, "margin": 0.8, "image": 0.5}
_MID_SIZES: Final = ("small", "medium")


@dataclass(frozen=True)
class Gap:
    """One thing the portfolio lacks, with the numbers behind it."""

    kind: str  #: structure, margin, image or spread
    code: str
    severity: float  #: missing fraction of the target, 0–1
    current: float  #: coverage, active clients, image clients or N80 share
    target: float
    missing: float | None  #: currency (structure, margin) or clients (image); None: not priced
    typical_revenue: float | None = None
    typical_margin: float | None = None
    #: Margin gap: the active margin clients' share of gross margin, and its target.
    share: float | None = None
    share_target: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def typical_client(frame: pl.DataFrame, kind: str) -> tuple[float | None, float | None]:
    """(revenue, gross margin) of a typical client of ``kind``.

    The median of the kind's clients; when it has none, a percentile of every
    active client (95th for structure, 80th for margin, the median for image).
    """
    rows = frame.filter(pl.col("segment") == kind)
    if rows.height:
        return _median(rows, "revenue"), _median(rows, "gross_margin")
    active = frame.filter(pl.col("revenue") > 0)
    q = _FALLBACK_QUANTILE.get(kind, 0.5)
    return _quantile(active, "revenue", q), _quantile(active, "gross_margin", q)


def _median(frame: pl.DataFrame, column: str) -> float | None:
    if column not in frame.columns:
        return None
    value = frame[column].drop_nulls().median()
    return None if value is None else float(value)  # type: ignore[arg-type]


def _quantile(frame: pl.DataFrame, column: str, q: float) -> float | None:
    if column not in frame.columns or not frame.height:
        return None
    value = frame[column].drop_nulls().quantile(q, "nearest")
    return None if value is None else float(value)


def _lapsing(frame: pl.DataFrame, settings: Settings) -> pl.Expr:
    interval = pl.col("order_interval_days").cast(pl.Float64)
    recency = pl.col("recency_days").cast(pl.Float64)
    if "order_interval_days" not in frame.columns or "recency_days" not in frame.columns:
        return pl.lit(False)
    return ((interval > 0) & (recency > settings.stress.lapse_ratio * interval)).fill_null(False)


def _structure(frame: pl.DataFrame, portfolio: Portfolio, settings: Settings) -> Gap | None:
    target = settings.targets.structure_coverage
    count = frame.filter(pl.col("segment") == "structure").height
    fixed = portfolio.fixed_costs
    revenue, margin = typical_client(frame, "structure")
    if fixed > 0 and portfolio.fixed_cost_coverage is not None and target > 0:
        coverage = portfolio.fixed_cost_coverage
        if coverage >= target:
            return None
        return Gap("structure", GAP_CODES["structure"], min(1.0, (target - coverage) / target),
                   coverage, target, (target - coverage) * fixed, revenue, margin)  # fmt: skip
    if count:
        return None
    return Gap("structure", GAP_CODES["structure"], 1.0, 0.0, 1.0, None, revenue, margin)


def _margin(frame: pl.DataFrame, portfolio: Portfolio, settings: Settings) -> Gap | None:
    target = settings.targets.min_margin_clients
    share_target = settings.targets.min_margin_share
    if portfolio.gross_margin is None or (target <= 0 and share_target <= 0):
        return None  # without cost data margin clients cannot be told apart
    margin = frame.filter(pl.col("segment") == "margin")
    active_rows = margin.filter(~_lapsing(margin, settings))
    active = active_rows.height
    total = portfolio.gross_margin
    earned = float(active_rows["gross_margin"].drop_nulls().sum()) if active else 0.0
    share = max(0.0, earned / total) if total > 0 else None
    by_count = (target - active) / target if target > 0 and active < target else 0.0
    by_share = (
        (share_target - share) / share_target
        if share is not None and share_target > 0 and share < share_target
        else 0.0
    )
    if by_count <= 0 and by_share <= 0:
        return None
    revenue, each = typical_client(frame, "margin")
    missing_count = None if each is None or by_count <= 0 else (target - active) * each
    missing_share = share_target * total - earned if by_share > 0 else None
    priced = [m for m in (missing_count, missing_share) if m is not None]
    return Gap("margin", GAP_CODES["margin"], max(by_count, by_share), float(active),
               float(target), max(priced) if priced else None, revenue, each,
               share, share_target)  # fmt: skip


def _image(frame: pl.DataFrame, settings: Settings) -> Gap | None:
    target = settings.targets.min_image_clients
    count = frame.filter(pl.col("segment") == "image").height
    if count >= target:
        return None
    revenue, margin = typical_client(frame, "image")
    return Gap("image", GAP_CODES["image"], (target - count) / target, float(count),
               float(target), float(target - count), revenue, margin)  # fmt: skip


def _spread(portfolio: Portfolio, settings: Settings) -> Gap | None:
    share = portfolio.pareto.share_of_clients_for_80pct
    target = settings.targets.n80_min_share
    if share is None or target <= 0 or share >= target or portfolio.clients < 2:
        return None
    return Gap("spread", GAP_CODES["spread"], (target - share) / target, share, target, None)


def find_gaps(frame: pl.DataFrame, portfolio: Portfolio, settings: Settings) -> list[Gap]:
    """Every gap of the portfolio, most severe first.

    Parameters
    ----------
    frame
        The analysis' per-client frame: ``segment, revenue, gross_margin,
        recency_days, order_interval_days``.
    portfolio
        The analysis' portfolio figures (fixed costs, coverage, Pareto).
    """
    found = [
        _structure(frame, portfolio, settings),
        _margin(frame, portfolio, settings),
        _image(frame, settings),
        _spread(portfolio, settings),
    ]
    return sorted((g for g in found if g is not None), key=lambda g: -g.severity)


def _kind_row(kind: str, gap: Gap | None) -> tuple[Any, ...]:
    if gap is None:
        return (kind, 0.0, None, None, None, None)
    return (kind, gap.severity, gap.code, gap.missing, gap.typical_revenue, gap.typical_margin)


def call_list(scores: pl.DataFrame, sizes: pl.Series, gaps: list[Gap]) -> pl.DataFrame:
    """Prospects ranked by the gap they would close.

    Parameters
    ----------
    scores
        :func:`cartera.study.fit.score`: ``index, kind, probability`` (one row
        per prospect and kind).
    sizes
        The prospects' size bin (``micro``, ``small``…; null when unknown), by index.
    gaps
        :func:`find_gaps`.

    Returns
    -------
    pl.DataFrame
        One row per prospect, best first: ``index, kind`` (the gap kind it fits
        best, weighted), ``probability, priority, gap`` (the gap code, null when
        it closes none), ``expected_revenue, expected_margin`` (probability ×
        the kind's typical client) and ``closes`` (the expected margin as a
        share of the money missing, capped at 1; the probability of one more
        client for image; null when the gap has no price).
    """
    by_kind = {g.kind: g for g in gaps if g.kind in TARGET_KINDS}
    spread = next((g.severity for g in gaps if g.kind == "spread"), 0.0)
    kinds = pl.DataFrame(
        [_kind_row(k, by_kind.get(k)) for k in TARGET_KINDS],
        schema={"kind": pl.String, "severity": pl.Float64, "gap": pl.String,
                "missing": pl.Float64, "typ_revenue": pl.Float64, "typ_margin": pl.Float64},
        orient="row",
    )  # fmt: skip
    size = pl.DataFrame({"index": range(sizes.len()), "size": sizes.cast(pl.String)},
                        schema_overrides={"index": pl.Int64})  # fmt: skip
    factor = (
        pl.when(pl.col("size").is_in(list(_MID_SIZES)))
        .then(1.0 + spread)
        .when(pl.col("size") == "large")
        .then(1.0 - spread / 2)
        .otherwise(1.0)
    )
    ranked = (
        scores.select("index", "kind", "probability")
        .join(kinds, on="kind")
        .join(size, on="index", how="left")
        .with_columns(priority=pl.col("severity") * pl.col("probability") * factor)
        .sort(["priority", "probability", "index"], descending=[True, True, False])
        .unique("index", keep="first", maintain_order=True)
    )
    expected_margin = pl.col("probability") * pl.col("typ_margin")
    closes = (
        pl.when(pl.col("kind") == "image")
        .then(pl.col("probability"))
        .when(pl.col("missing") > 0)
        .then(pl.min_horizontal(expected_margin / pl.col("missing"), pl.lit(1.0)))
    )
    return ranked.select(
        "index",
        "kind",
        "probability",
        "priority",
        pl.when(pl.col("severity") > 0).then(pl.col("gap")).alias("gap"),
        (pl.col("probability") * pl.col("typ_revenue")).alias("expected_revenue"),
        expected_margin.alias("expected_margin"),
        pl.when(pl.col("severity") > 0).then(closes).alias("closes"),
    )
