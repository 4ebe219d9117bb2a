"""Health score 0-100 per client: weighted parts, a band, and what moved it.

Five parts, each scored 0-1 and weighted (``AssistantSettings.health``):

=============  ===============================================================
part           1 (healthy) … 0 (unhealthy)
=============  ===============================================================
satisfaction   latest CSAT: (csat − 1) / 4; else NPS: nps / 10; none: 0.5
recency        days since last order ÷ usual gap: ≤ 1 → 1, ≥ lapsed multiple → 0
payment        average days late: 0 → 1, ≥ the last dunning level's days → 0
trend          revenue ÷ previous window: ≥ 1 → 1, ≤ 0.5 → 0
contact        days since last conversation ÷ its cadence: ≤ 1 → 1, ≥ 2 → 0
=============  ===============================================================

Unknown parts (no survey yet, no rhythm, no due dates, no previous year)
score 0.5: neither praise nor blame. Linear in between. Each part's points
= weight × part × 100, rounded to cents; the score is their sum, so the
contributions always add up to it exactly.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import polars as pl

from cartera.assistant.settings import AssistantSettings

__all__ = ["HEALTH_COLUMNS", "PARTS", "health_score", "what_moved"]

PARTS: Final = ("satisfaction", "recency", "payment", "trend", "contact")
HEALTH_COLUMNS: Final = ("client_id", "score", "band", "contributions")


def _ramp(value: pl.Expr, good: float, bad: float) -> pl.Expr:
    """1 at ``good`` or better, 0 at ``bad`` or worse, linear between; null → 0.5."""
    share = (pl.lit(bad) - value) / (bad - good)
    return share.clip(0.0, 1.0).fill_null(0.5).fill_nan(0.5)


def _cadence(settings: AssistantSettings) -> pl.Expr:
    s = settings
    return pl.col("segment").replace_strict(
        {
            "structure": s.structure_call_days,
            "image": s.image_call_days,
            "margin": s.margin_repeat_days,
            "new": s.new_followup_days,
            "regular": s.regular_days,
            "dormant": s.dormant_days,
        },
        default=s.regular_days,
        return_dtype=pl.Float64,
    )


def health_score(
    clients: pl.DataFrame,
    rhythm: pl.DataFrame,
    answers: pl.DataFrame,
    interactions: pl.DataFrame,
    settings: AssistantSettings,
    as_of: dt.date,
) -> pl.DataFrame:
    """The health of every client.

    Parameters
    ----------
    clients
        The analysis frame (``id, segment, revenue, previous_revenue, days_late``).
    rhythm
        :func:`cartera.assistant.history.order_rhythm`.
    answers
        :func:`cartera.assistant.churn.latest_answers` (``client_id, csat, nps``).
    interactions
        The log (its conversations give the contact freshness).

    Returns
    -------
    pl.DataFrame
        ``client_id, score`` (0-100), ``band`` (red/amber/green) and
        ``contributions``: a list of ``{part, value (0-1, 4 decimals), weight, points}`` in
        :data:`PARTS` order whose ``points`` add up to ``score``.
    """
    w = settings.health
    last = (
        interactions.lazy()
        .filter(pl.col("kind").is_in(list(settings.contact_kinds)))
        .group_by(pl.col("client_id").cast(pl.String))
        .agg(pl.col("when").max().alias("last_contact"))
    )
    final_days = float(settings.dunning[-1].days)
    frame = (
        clients.lazy()
        .select(
            pl.col("id").cast(pl.String).alias("client_id"),
            "segment",
            pl.col("revenue").cast(pl.Float64),
            pl.col("previous_revenue").cast(pl.Float64),
            pl.col("days_late").cast(pl.Float64),
        )
        .join(rhythm.lazy().select("client_id", "usual_gap", "days_since"), on="client_id",
              how="left")
        .join(answers.lazy(), on="client_id", how="left")
        .join(last, on="client_id", how="left")
    )  # fmt: skip
    satisfaction = (
        pl.when(pl.col("csat").is_not_null())
        .then((pl.col("csat") - 1) / 4.0)
        .when(pl.col("nps").is_not_null())
        .then(pl.col("nps") / 10.0)
        .otherwise(0.5)
    )
    recency = _ramp(
        pl.col("days_since") / pl.col("usual_gap").clip(lower_bound=1.0),
        1.0,
        settings.churn.lapsed_multiple,
    )
    trend = _ramp(
        pl.when(pl.col("previous_revenue") > 0).then(
            pl.col("revenue") / pl.col("previous_revenue")
        ),
        1.0,
        0.5,
    )
    freshness = (pl.lit(as_of) - pl.col("last_contact")).dt.total_days() / _cadence(settings)
    contact = (
        pl.when(pl.col("last_contact").is_null()).then(0.0).otherwise(_ramp(freshness, 1.0, 2.0))
    )
    values = {
        "satisfaction": satisfaction,
        "recency": recency,
        "payment": _ramp(pl.col("days_late"), 0.0, final_days),
        "trend": trend,
        "contact": contact,
    }
    weights = {p: float(getattr(w, p)) for p in PARTS}
    scored = frame.with_columns(
        *(values[p].cast(pl.Float64).round(4).alias(f"_v_{p}") for p in PARTS),
        *((values[p] * weights[p] * 100).round(2).alias(f"_p_{p}") for p in PARTS),
    )
    score = pl.sum_horizontal(*(pl.col(f"_p_{p}") for p in PARTS)).round(2)
    band = (
        pl.when(score < settings.health_red)
        .then(pl.lit("red"))
        .when(score < settings.health_green)
        .then(pl.lit("amber"))
        .otherwise(pl.lit("green"))
    )
    parts = pl.concat_list(
        pl.struct(
            pl.lit(p).alias("part"),
            pl.col(f"_v_{p}").alias("value"),
            pl.lit(weights[p]).alias("weight"),
            pl.col(f"_p_{p}").alias("points"),
        )
        for p in PARTS
    )
    return (
        scored.select(
            "client_id", score.alias("score"), band.alias("band"), parts.alias("contributions")
        )
        .sort("client_id")
        .collect()
    )


def what_moved(before: pl.DataFrame, after: pl.DataFrame) -> pl.DataFrame:
    """Per client and part, the change in points between two health results.

    Returns ``client_id, part, before, after, change`` for the parts that
    changed, largest change (in absolute value) first.
    """

    def long(frame: pl.DataFrame, name: str) -> pl.DataFrame:
        return (
            frame.select("client_id", "contributions")
            .explode("contributions")
            .unnest("contributions")
            .select("client_id", "part", pl.col("points").alias(name))
        )

    both = long(before, "before").join(long(after, "after"), on=["client_id", "part"])
    return (
        both.with_columns((pl.col("after") - pl.col("before")).round(2).alias("change"))
        .filter(pl.col("change") != 0)
        .sort(pl.col("change").abs(), descending=True)
    )
