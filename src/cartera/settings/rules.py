"""Thresholds of the segment and let-go rules (the ``[thresholds]`` TOML table).

Each default is argued in its description; docs/settings.md is generated from
these descriptions.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Thresholds"]


class Thresholds(BaseModel):
    """Cut points of the segment and let-go rules."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    structure_min_active_ratio: float = Field(
        0.75,
        ge=0,
        le=1,
        description="Structure client: minimum share of the window's months with an invoice "
        "(steady; compared with >=). 0.75 by default (9 of 12 months): steady, not occasional.",
    )
    structure_min_typical_multiple: float = Field(
        20.0,
        ge=0,
        description="Structure client: revenue at least this many times the typical client's "
        "(the median revenue of the clients that sold; compared with >=). 20 by default: the "
        "seed's structure client dwarfs the others, at any size of portfolio.",
    )
    structure_fixed_cost_share: float = Field(
        0.8,
        ge=0,
        le=1,
        description="Structure client, when fixed costs are set: taken from the top of the revenue "
        "ranking, the steady large clients whose gross margin before them is below this share of "
        "the window's fixed costs (compared with <), so the last one crosses it. 0.8 by default: "
        "the seed's structure clients pay 80% of the structure.",
    )
    margin_min_excess_pp: float = Field(
        10.0,
        ge=0,
        description="Margin client: margin % at least this many percentage points above the "
        "typical client's (the median margin % of the clients that sold; compared with >=). 10 pp "
        "by default: clearly above what an ordinary client leaves.",
    )
    margin_min_typical_multiple: float = Field(
        3.0,
        ge=0,
        description="Margin client: gross margin at least this many times the typical client's "
        "(the median gross margin of the clients that sold; compared with >=). 3 by default, so a "
        "single lucky small order is not a margin client.",
    )
    margin_max_active_ratio: float = Field(
        0.6,
        ge=0,
        le=1,
        description="Margin client: at most this share of months active (occasional buyers; "
        "compared with <=). 0.6 by default; steadier high-margin clients are regular clients.",
    )
    late_payment_days: float = Field(
        120.0,
        ge=0,
        description="Let go: amount-weighted days to pay above this (days). 120 by default: twice "
        "the 60-day legal B2B cap in Spain (Ley 3/2004); the seed's bad payer pays at 160.",
    )
    high_return_rate: float = Field(
        0.12,
        ge=0,
        le=1,
        description="Let go: credit notes above this share of invoiced value. 12% by default, "
        "about three times the 3-5% return rate of a usual B2B trade.",
    )
    low_volume_share: float = Field(
        0.001,
        ge=0,
        le=1,
        description="Low volume: revenue below this share of the portfolio (fraction) and a "
        "negative net contribution. 0.1% by default: tiny buyers that cost more than they bring.",
    )
    service_burden_ratio: float = Field(
        0.5,
        ge=0,
        description="Service burden: service-hours cost above this share of the client's gross "
        "margin. 0.5 by default: half the margin eaten by meetings is a draining client.",
    )
    price_pressure_discount: float = Field(
        0.15,
        ge=0,
        le=1,
        description="Price pressure: average discount off list price above this (fraction). 15% by "
        "default; only judged when the data has a list price or discount.",
    )
    dependence_share: float = Field(
        0.25,
        ge=0,
        le=1,
        description="Dependence: one client above this share of revenue. 25% by default: losing it "
        "would cut a quarter of sales.",
    )
    declining_ratio: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Declining: window revenue below this fraction of the previous window's. 0.5 "
        "by default: sales halved.",
    )
    dormant_days: int = Field(
        240,
        ge=1,
        description="Dormant client: no invoice in the window, or none in the last this many days "
        "(days). 240 by default (eight months): a client that buys a few times a year has lapsed "
        "by then, while one quiet quarter is not yet a lost client.",
    )
    new_client_days: int = Field(
        180,
        ge=0,
        description="New client: first invoice fewer than this many days before as_of. 180 by "
        "default; new clients are not judged on volume.",
    )
    pareto_high_risk: float = Field(
        0.15,
        ge=0,
        le=1,
        description="Pareto band: 80% of revenue from at most this share of clients is 'high risk' "
        "(the seed's 80/10). 15% by default, halfway between 80/10 and 80/20.",
    )
    pareto_low_risk: float = Field(
        0.35,
        ge=0,
        le=1,
        description="Pareto band: 80% of revenue from at least this share of clients is 'low risk, "
        "high management cost' (the seed's 80/40). 35% by default, nearer 80/40 than 80/20.",
    )
    policy_late_payment_days: float | None = Field(
        None,
        ge=0,
        description="Let-go policy (off by default): also let go a client that still contributes "
        "when it pays beyond this many days (compared with >) and its net contribution is below "
        "its financing cost (<). Off by default: letting a contributing client go lowers profit, "
        "so only the firm can choose it (the seed's client that pays at 160 days or more).",
    )
