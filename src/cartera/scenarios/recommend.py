"""Recommendations: what to do so the portfolio meets its balance targets.

Each recommendation is a :class:`cartera.result.Recommendation` with a stable
``code`` (docs/scenarios.md lists them), a ``priority`` (1 = act now, 2 = plan,
3 = keep an eye), the ``clients`` it concerns, its numbers in ``impact`` and
what the sentence needs in ``params``. :func:`cartera.scenarios.texts.describe`
turns one into a sentence in the current language. Image clients are never
recommended for letting go.
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl

from cartera.result import Portfolio, Recommendation, TableRows, WorstLoss
from cartera.scenarios.letgo import PARAM_COLUMNS, LetGoPlan, is_image, renegotiation
from cartera.settings import Settings

__all__ = ["CODES", "recommend"]

CODES = (
    "single_loss_risk",
    "reduce_dependence",
    "let_go",
    "renegotiate_or_let_go",
    "cover_fixed_costs",
    "spread_risk",
    "renegotiate",
    "prepare_for_crisis",
    "seek_margin_clients",
    "collect_overdue",
    "keep_image",
    "seek_image_clients",
    "follow_up",
    "watch_dependence",
    "reduce_management_cost",
)
#: Open amounts this many days past due are worth a collection call (Upflow's "at risk").
_OVERDUE_BUCKETS = ("aging_91_120", "aging_over_120")
_CANDIDATES = 5
#: The codes of the recommendations of the two let-go plans (losing, contributing).
_PLAN_CODES = ("let_go", "renegotiate_or_let_go")
#: The columns the image clients' recommendation reads (filters copy only these).
_KEEP_IMAGE_COLUMNS = ("id", "segment", "image", "action", "net_contribution", "revenue")


def recommend(
    frame: pl.DataFrame,
    portfolio: Portfolio,
    settings: Settings,
    *,
    plans: tuple[LetGoPlan, LetGoPlan],
    worst: WorstLoss | None,
    crisis_profit: float | None,
    currency: str,
) -> list[Recommendation]:
    """Every recommendation that applies, most urgent first.

    Parameters
    ----------
    frame
        The per-client frame: ``id, name, segment, action, image, revenue,
        gross_margin, net_contribution, revenue_share, rank, financing_cost,
        days_to_pay``.
    plans, worst, crisis_profit
        The let-go plans of the ``let_go`` clients that lose money and of those that
        still contribute (see :func:`cartera.scenarios.letgo.let_go_plan`), the worst
        single loss and the profit of the named ``crisis`` scenario (``None`` without
        cost data).
    """
    recs: list[Recommendation] = []
    recs += _single_loss(portfolio, worst)
    recs += _dependence(frame, portfolio, settings)
    terms = settings.targets.target_terms_days
    recs += _let_go(plans[0], _PLAN_CODES[0], priority=1, terms=terms)
    recs += _let_go(plans[1], _PLAN_CODES[1], priority=2, terms=terms)
    recs += _structure(frame, portfolio, settings)
    recs += _concentration(frame, portfolio, settings)
    recs += _renegotiate(frame, settings)
    recs += _crisis(portfolio, settings, crisis_profit)
    if portfolio.gross_margin is not None:  # without cost, margin clients cannot be told
        recs += _seek_margin(frame, settings)
    recs += _collect(frame, settings)
    recs += _keep_image(frame, portfolio, settings)
    recs += _seek_image(frame, settings)
    recs += _follow_up(frame, settings)
    # The plans name their clients (most of the listed ones) in their order; the frame the rest.
    planned = {code: plan for code, plan in zip(_PLAN_CODES, plans, strict=True)}
    names = _names(frame, {c for rec in recs if rec.code not in planned for c in rec.clients})
    for rec in recs:
        rec.params.setdefault("currency", currency)
        if rec.code in planned:  # its clients are the plan's
            plan = planned[rec.code]
            rec.params.setdefault(
                "names", dict(zip(plan.clients, plan.table["name"].to_list(), strict=True))
            )
        else:
            rec.params.setdefault("names", {c: names.get(c, "") for c in rec.clients})
    return sorted(recs, key=lambda r: r.priority)


def _names(frame: pl.DataFrame, ids: set[str]) -> dict[str, str]:
    """Client id → name (``""`` when none) of the clients ``ids``, looked up in the frame."""
    if not ids:
        return {}
    key = frame["id"].cast(pl.String)
    rows = frame.filter(key.is_in(list(ids)))
    found = rows["id"].cast(pl.String).to_list()
    if "name" not in frame.columns:
        return dict.fromkeys(found, "")
    return dict(zip(found, (str(x or "") for x in rows["name"].to_list()), strict=True))


def _single_loss(portfolio: Portfolio, worst: WorstLoss | None) -> list[Recommendation]:
    if worst is None or portfolio.profit is None or worst.profit_after is None:
        return []
    if not (portfolio.profit >= 0 > worst.profit_after):
        return []
    return [
        Recommendation(
            code="single_loss_risk",
            priority=1,
            clients=[worst.client],
            impact={
                "profit": portfolio.profit,
                "profit_after": worst.profit_after,
                "coverage_after": worst.coverage_after,
            },
        )
    ]


def _dependence(
    frame: pl.DataFrame, portfolio: Portfolio, settings: Settings
) -> list[Recommendation]:
    targets = settings.targets
    big = frame.filter(pl.col("revenue_share") > targets.max_client_share).sort(
        "revenue_share", descending=True
    )
    recs = [
        Recommendation(
            code="reduce_dependence",
            priority=1,
            clients=[str(row["id"])],
            impact={
                "share": row["revenue_share"],
                "target": targets.max_client_share,
                # Sales from others that dilute the share to the target: r / (R + x) = t.
                "revenue_to_add": row["revenue"] / targets.max_client_share - portfolio.revenue,
            },
        )
        for row in big.to_dicts()
    ]
    flagged = frame.filter(
        (pl.col("revenue_share") >= targets.flag_client_share)
        & (pl.col("revenue_share") <= targets.max_client_share)
    ).sort("revenue_share", descending=True)
    if flagged.height:
        recs.append(
            Recommendation(
                code="watch_dependence",
                priority=3,
                clients=[str(x) for x in flagged["id"].to_list()],
                impact={
                    "count": float(flagged.height),
                    "largest_share": float(flagged["revenue_share"].max()),  # type: ignore[arg-type]
                    "flag": targets.flag_client_share,
                },
                params={
                    "shares": dict(
                        zip(
                            flagged["id"].to_list(), flagged["revenue_share"].to_list(), strict=True
                        )
                    )
                },
            )
        )
    return recs


def _let_go(plan: LetGoPlan, code: str, priority: int, terms: int) -> list[Recommendation]:
    if not plan.clients:
        return []
    after = plan.after
    gains = plan.table["gain"].drop_nulls().to_list()  # summed in order, as listed
    return [
        Recommendation(
            code=code,
            priority=priority,
            clients=plan.clients,
            impact={
                "count": float(len(plan.clients)),
                "profit_change": plan.profit_change,
                "revenue_lost": plan.revenue_lost,
                "hours_freed": plan.hours_freed,
                "overdue_freed": plan.overdue_freed,
                "hhi_before": plan.before.hhi,
                "hhi_after": after.hhi if after else None,
                "n80_share_before": plan.before.pareto.share_of_clients_for_80pct,
                "n80_share_after": after.pareto.share_of_clients_for_80pct if after else None,
                "financing_saving": sum(gains) if gains else None,
            },
            params={
                "alternatives": TableRows(plan.table.select(PARAM_COLUMNS)),
                "target_terms": terms,
            },
        )
    ]


def _renegotiate(frame: pl.DataFrame, settings: Settings) -> list[Recommendation]:
    rows = (
        # Structure clients one by one; the others with a let-go reason that still
        # contribute are the renegotiate_or_let_go plan, with the same alternatives.
        frame.filter((pl.col("action") == "renegotiate") & (pl.col("segment") == "structure"))
        .sort(["net_contribution", "days_to_pay"], descending=[False, True], nulls_last=True)
        .head(settings.targets.max_listed_clients)
        .to_dicts()
    )
    recs = []
    for row in rows:
        alt = renegotiation(row, settings.targets.target_terms_days)
        recs.append(
            Recommendation(
                code="renegotiate",
                priority=2,
                clients=[alt.client],
                impact={
                    "contribution": alt.contribution,
                    "revenue": alt.revenue,
                    "price_rise": alt.price_rise,
                    "terms_days": None if alt.terms_days is None else float(alt.terms_days),
                    "current_days": alt.current_days,
                    "gain": alt.gain,
                },
            )
        )
    return recs


def _structure(
    frame: pl.DataFrame, portfolio: Portfolio, settings: Settings
) -> list[Recommendation]:
    target = settings.targets.structure_coverage
    fixed = settings.fixed_costs
    if fixed <= 0 or portfolio.gross_margin is None or target <= 0:
        return []
    margin = float(
        frame.filter(pl.col("segment") == "structure")["gross_margin"].fill_null(0).sum()
    )
    coverage = (
        portfolio.fixed_cost_coverage
        if portfolio.fixed_cost_coverage is not None
        else margin / fixed
    )
    if coverage >= target:
        return []
    candidates = (
        frame.filter(pl.col("segment") == "regular")
        .filter(pl.col("action").is_in(["keep", "grow"]))
        .sort("revenue", descending=True)
        .head(_CANDIDATES)
    )
    return [
        Recommendation(
            code="cover_fixed_costs",
            priority=1,
            clients=[str(x) for x in candidates["id"].to_list()],
            impact={"coverage": coverage, "target": target, "gap": target * fixed - margin},
        )
    ]


def _concentration(
    frame: pl.DataFrame, portfolio: Portfolio, settings: Settings
) -> list[Recommendation]:
    share = portfolio.pareto.share_of_clients_for_80pct
    targets = settings.targets
    if share is None or portfolio.clients < 2:
        return []
    impact: dict[str, float | None] = {
        "share": share,
        "target_min": targets.n80_min_share,
        "target_max": targets.n80_max_share,
        "top1_share": portfolio.top1_share,
    }
    if share < targets.n80_min_share:
        n80 = portfolio.pareto.clients_for_80pct
        following = frame.filter(pl.col("rank") > n80).sort("rank").head(_CANDIDATES)
        impact["clients_needed"] = float(
            max(0, math.ceil(targets.n80_min_share * portfolio.clients) - n80)
        )
        code, priority, clients = "spread_risk", 2, following["id"].cast(pl.String).to_list()
    elif share > targets.n80_max_share:
        code, priority, clients = "reduce_management_cost", 3, []
    else:
        return []
    return [Recommendation(code=code, priority=priority, clients=clients, impact=impact)]


def _crisis(
    portfolio: Portfolio, settings: Settings, crisis_profit: float | None
) -> list[Recommendation]:
    if crisis_profit is None or portfolio.profit is None:
        return []
    if not (portfolio.profit >= 0 > crisis_profit):
        return []
    return [
        Recommendation(
            code="prepare_for_crisis",
            priority=2,
            impact={
                "profit": portfolio.profit,
                "crisis_profit": crisis_profit,
                "price_drop": settings.stress.structure_price_drop,
            },
        )
    ]


def _seek_margin(frame: pl.DataFrame, settings: Settings) -> list[Recommendation]:
    target = settings.targets.min_margin_clients
    is_margin = frame["segment"] == "margin"
    current = int(is_margin.sum())
    if current >= target:
        return []
    margin = frame["gross_margin"].filter(is_margin).drop_nulls()
    positive = frame["gross_margin"].drop_nulls().filter(frame["gross_margin"].drop_nulls() > 0)
    # A typical margin client: the median of today's, else a large order (80th percentile).
    each: float | None = None
    if margin.len():
        each = float(margin.median())  # type: ignore[arg-type]
    elif positive.len():
        each = float(positive.quantile(0.8, "nearest"))  # type: ignore[arg-type]
    count = target - current
    return [
        Recommendation(
            code="seek_margin_clients",
            priority=2,
            impact={
                "count": float(count),
                "current_clients": float(current),
                "target_clients": float(target),
                "gross_margin_each": each,
                "gross_margin_total": None if each is None else each * count,
            },
        )
    ]


def _seek_image(frame: pl.DataFrame, settings: Settings) -> list[Recommendation]:
    target = settings.targets.min_image_clients
    current = int(frame.select(is_image(frame).sum()).item())
    if current >= target:
        return []
    return [
        Recommendation(
            code="seek_image_clients",
            priority=3,
            impact={
                "count": float(target - current),
                "current_clients": float(current),
                "target_clients": float(target),
            },
        )
    ]


def _keep_image(
    frame: pl.DataFrame, portfolio: Portfolio, settings: Settings
) -> list[Recommendation]:
    if portfolio.net_contribution is None or portfolio.clients == 0:
        return []
    average = portfolio.net_contribution / portfolio.clients
    low = (
        frame.select(c for c in _KEEP_IMAGE_COLUMNS if c in frame.columns)
        .filter(
            is_image(frame)
            & ((pl.col("net_contribution") < average) | (pl.col("action") == "renegotiate"))
        )
        .sort("net_contribution")
        .head(settings.targets.max_listed_clients)
    )
    rows = low.to_dicts()
    # Image clients the rules send to renegotiate (late payment, returns: another client would
    # be let go for it) get one item each (they need a decision);
    # the merely low-profit ones are one item, so they do not bury the other advice.
    recs = [
        _keep_one([row], average, flagged=True) for row in rows if row["action"] == "renegotiate"
    ]
    calm = [row for row in rows if row["action"] != "renegotiate"]
    if calm:
        recs.append(_keep_one(calm, average, flagged=False))
    return recs


def _keep_one(rows: list[dict[str, Any]], average: float, *, flagged: bool) -> Recommendation:
    contributions = [float(row["net_contribution"] or 0.0) for row in rows]
    return Recommendation(
        code="keep_image",
        priority=2 if flagged else 3,
        clients=[str(row["id"]) for row in rows],
        impact={
            "contribution": sum(contributions),
            "revenue": sum(float(row.get("revenue") or 0.0) for row in rows),
            "average_contribution": average,
            "cost": sum(max(0.0, -c) for c in contributions),
        },
        params={"flagged": flagged},
    )


def _collect(frame: pl.DataFrame, settings: Settings) -> list[Recommendation]:
    if not all(c in frame.columns for c in _OVERDUE_BUCKETS):
        return []
    late = frame.select("id", _late=pl.sum_horizontal(*_OVERDUE_BUCKETS).fill_null(0.0))
    late = late.filter(pl.col("_late") > 0).sort("_late", descending=True)
    if late.height == 0:
        return []
    shown = late.head(settings.targets.max_listed_clients)
    return [
        Recommendation(
            code="collect_overdue",
            priority=2,
            clients=[str(x) for x in shown["id"].to_list()],
            impact={
                "amount": float(late["_late"].sum()),
                "count": float(late.height),
                "listed_amount": float(shown["_late"].sum()),
            },
        )
    ]


def _follow_up(frame: pl.DataFrame, settings: Settings) -> list[Recommendation]:
    if "reasons" not in frame.columns or "previous_revenue" not in frame.columns:
        return []
    falling = (
        frame.select("id", "reasons", "action", "previous_revenue", "revenue")
        .filter(
            pl.col("reasons").fill_null("").str.contains("declining", literal=True)
            & (pl.col("action") != "let_go")
        )
        .with_columns(_drop=pl.col("previous_revenue").fill_null(0.0) - pl.col("revenue"))
    )
    if falling.height == 0:
        return []
    falling = falling.sort("_drop", descending=True)
    return [
        Recommendation(
            code="follow_up",
            priority=3,
            clients=[
                str(x) for x in falling.head(settings.targets.max_listed_clients)["id"].to_list()
            ],
            impact={"count": float(falling.height), "revenue_drop": float(falling["_drop"].sum())},
        )
    ]
