"""Churn risk, explained: each client's silence against its own rhythm, plus signals.

Per client (docs/assistant.md, "Churn risk"):

* ``status``: ``no_history`` (fewer than ``min_orders`` invoice days),
  ``active``, ``at_risk`` (days since the last order past the
  ``at_risk_quantile`` of its own gaps) or ``lapsed`` (past
  ``lapsed_multiple`` × that gap);
* signals, each a code with its value and threshold: ``silence``,
  ``falling_trend`` (revenue / previous window < ``trend_ratio``),
  ``payment_worse`` (days late of the last half-year minus the half-year
  before > ``payment_worse_days``), ``low_satisfaction`` (latest CSAT ≤
  ``low_csat`` or NPS ≤ ``low_nps``);
* ``risk``: ``high`` (lapsed, or at risk with another signal), ``medium``
  (at risk, or two other signals), ``low`` (one other signal) or ``none``.

Survey answers are interactions of kind ``survey`` whose outcome is
``csat:N`` or ``nps:N`` (:func:`latest_answers`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import polars as pl

from cartera.assistant.settings import ChurnSettings

__all__ = ["CHURN_COLUMNS", "ChurnSignal", "churn_risk", "latest_answers", "signals_of"]

CHURN_COLUMNS: Final = (
    "client_id",
    "status",
    "risk",
    "days_since",
    "usual_gap",
    "trend",
    "payment_change",
    "csat",
    "nps",
    "signals",
)


@dataclass(frozen=True)
class ChurnSignal:
    """One reason for the risk: ``silence: 95 days > 40`` (value vs threshold)."""

    code: str
    value: float
    threshold: float


@dataclass(frozen=True)
class _Explained:
    signals: list[ChurnSignal] = field(default_factory=list)


def latest_answers(interactions: pl.DataFrame) -> pl.DataFrame:
    """Latest CSAT and NPS answer per client from ``survey`` interactions.

    Returns ``client_id, csat, nps`` (Int64, null when never answered).
    """
    parsed = (
        interactions.lazy()
        .filter(pl.col("kind") == "survey")
        .with_columns(
            pl.col("outcome").str.extract(r"^(csat|nps):", 1).alias("scale"),
            pl.col("outcome").str.extract(r"^(?:csat|nps):(\d+)$", 1).cast(pl.Int64).alias("score"),
        )
        .filter(pl.col("score").is_not_null())
        .sort("when", maintain_order=True)
    )
    return (
        parsed.group_by(pl.col("client_id").cast(pl.String))
        .agg(
            pl.col("score").filter(pl.col("scale") == "csat").last().alias("csat"),
            pl.col("score").filter(pl.col("scale") == "nps").last().alias("nps"),
        )
        .sort("client_id")
        .collect()
    )


def churn_risk(
    clients: pl.DataFrame,
    rhythm: pl.DataFrame,
    payments: pl.DataFrame,
    answers: pl.DataFrame,
    settings: ChurnSettings,
) -> pl.DataFrame:
    """Status, risk level and signals per client.

    Parameters
    ----------
    clients
        The analysis frame (``id, revenue, previous_revenue``).
    rhythm
        :func:`cartera.assistant.history.order_rhythm` (``client_id, orders,
        usual_gap, days_since``), computed with ``settings.at_risk_quantile``.
    payments
        :func:`cartera.assistant.history.payment_trend`.
    answers
        :func:`latest_answers`.

    Returns
    -------
    pl.DataFrame
        :data:`CHURN_COLUMNS`; ``signals`` is a list of structs
        ``{code, value, threshold}``; ``trend`` = revenue / previous revenue.
    """
    s = settings
    frame = (
        clients.lazy()
        .select(
            pl.col("id").cast(pl.String).alias("client_id"),
            pl.col("revenue").cast(pl.Float64),
            pl.col("previous_revenue").cast(pl.Float64),
        )
        .join(rhythm.lazy(), on="client_id", how="left")
        .join(payments.lazy(), on="client_id", how="left")
        .join(answers.lazy(), on="client_id", how="left")
        .with_columns(
            pl.when(pl.col("previous_revenue") > 0)
            .then(pl.col("revenue") / pl.col("previous_revenue"))
            .alias("trend"),
            (pl.col("recent_days_late") - pl.col("earlier_days_late")).alias("payment_change"),
            pl.col("days_since").cast(pl.Float64),
        )
    )
    known = pl.col("orders").fill_null(0) >= s.min_orders
    lapsed_at = pl.col("usual_gap") * s.lapsed_multiple
    status = (
        pl.when(~known | pl.col("usual_gap").is_null())
        .then(pl.lit("no_history"))
        .when(pl.col("days_since") > lapsed_at)
        .then(pl.lit("lapsed"))
        .when(pl.col("days_since") > pl.col("usual_gap"))
        .then(pl.lit("at_risk"))
        .otherwise(pl.lit("active"))
    )
    silence_threshold = pl.when(status == "lapsed").then(lapsed_at).otherwise(pl.col("usual_gap"))

    def signal(code: str, cond: pl.Expr, value: pl.Expr, threshold: pl.Expr) -> pl.Expr:
        return pl.when(cond.fill_null(False)).then(
            pl.struct(
                pl.lit(code).alias("code"),
                value.cast(pl.Float64).alias("value"),
                threshold.cast(pl.Float64).alias("threshold"),
            )
        )

    low_csat = pl.col("csat") <= s.low_csat
    signals = pl.concat_list(
        signal("silence", status.is_in(["at_risk", "lapsed"]), pl.col("days_since"),
               silence_threshold),
        signal("falling_trend", pl.col("trend") < s.trend_ratio, pl.col("trend"),
               pl.lit(s.trend_ratio)),
        signal("payment_worse", pl.col("payment_change") > s.payment_worse_days,
               pl.col("payment_change"), pl.lit(s.payment_worse_days)),
        signal("low_satisfaction", low_csat, pl.col("csat"), pl.lit(s.low_csat)),
        signal("low_satisfaction", ~low_csat.fill_null(False) & (pl.col("nps") <= s.low_nps),
               pl.col("nps"), pl.lit(s.low_nps)),
    ).list.drop_nulls()  # fmt: skip
    out = frame.with_columns(status.alias("status"), signals.alias("signals"))
    others = pl.col("signals").list.len() - pl.col("status").is_in(["at_risk", "lapsed"]).cast(
        pl.UInt32
    )
    risk = (
        pl.when(pl.col("status") == "lapsed")
        .then(pl.lit("high"))
        .when((pl.col("status") == "at_risk") & (others >= 1))
        .then(pl.lit("high"))
        .when((pl.col("status") == "at_risk") | (others >= 2))
        .then(pl.lit("medium"))
        .when(others == 1)
        .then(pl.lit("low"))
        .otherwise(pl.lit("none"))
    )
    return out.with_columns(risk.alias("risk")).select(CHURN_COLUMNS).collect()


def signals_of(row: dict[str, object]) -> list[ChurnSignal]:
    """A :func:`churn_risk` row's signals as objects."""
    raw = row.get("signals") or []
    assert isinstance(raw, list)
    return [ChurnSignal(str(s["code"]), float(s["value"]), float(s["threshold"])) for s in raw]
