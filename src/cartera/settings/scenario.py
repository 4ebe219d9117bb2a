"""Crisis stress and portfolio balance targets (``[stress]`` and ``[targets]`` tables).

Each default is argued in its description; docs/scenarios.md explains the stress
model these parameters feed and docs/settings.md is generated from the texts.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cartera.i18n import N_

__all__ = ["StressSettings", "Targets"]


class StressSettings(BaseModel):
    """Monte Carlo crisis stress parameters."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    scenarios: int = Field(
        10_000,
        ge=1,
        le=10_000_000,
        description="Number of simulated crisis years. 10,000 by default: the 5% value at risk "
        "then rests on 500 scenarios, stable to about 1% between seeds.",
    )
    seed: int = Field(
        42,
        ge=0,
        description="Random seed (a non-negative integer): the same seed gives the same output.",
    )
    leave_structure: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Probability that a structure client leaves in a crisis. 5% by default: "
        "steady, large buyers rarely switch in a single year; they squeeze prices instead.",
    )
    leave_margin: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Probability that a margin client leaves in a crisis. 50% by default, the "
        "highest of the active segments: the seed says they vanish exactly when most needed.",
    )
    leave_image: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Probability that an image client leaves in a crisis. 10% by default: they "
        "value the relationship more than the price.",
    )
    leave_regular: float = Field(
        0.15,
        ge=0,
        le=1,
        description="Probability that a regular client leaves in a crisis. 15% by default, about "
        "twice a usual yearly B2B churn.",
    )
    leave_new: float = Field(
        0.3,
        ge=0,
        le=1,
        description="Probability that a new client leaves in a crisis. 30% by default: a young "
        "relationship has no habit to hold it.",
    )
    leave_dormant: float = Field(
        0.6,
        ge=0,
        le=1,
        description="Probability that a dormant client does not come back. 60% by default: it "
        "has already stopped buying.",
    )
    lapse_ratio: float = Field(
        2.0,
        ge=1,
        description="A client whose days since its last order exceed this multiple of its usual "
        "interval between orders gets the activity-based probability 1 − interval/recency when "
        "that is higher than its segment's. 2 by default: one missed order can be chance, two "
        "in a row rarely are.",
    )
    max_activity_leave: float = Field(
        0.95,
        ge=0,
        le=1,
        description="Ceiling of the activity-based leave probability. 0.95 by default: a lapsed "
        "client can still come back.",
    )
    use_churn_risk: bool = Field(
        True,
        description="Raise a client's leave probability to the one of its churn risk (the "
        "follow-up assistant's, from the firm's interaction log) when that is higher. On by "
        "default; it only acts where a churn risk is given (a firm of the web app with logged "
        "interactions); off keeps the segment and activity rules alone.",
    )
    churn_leave_high: float = Field(
        0.6,
        ge=0,
        le=1,
        description="Leave probability of a client whose churn risk is high (lapsed, or silent "
        "past its usual gap with another warning sign). 60% by default, as a dormant client.",
    )
    churn_leave_medium: float = Field(
        0.35,
        ge=0,
        le=1,
        description="Leave probability of a client whose churn risk is medium (at risk, or two "
        "warning signs). 35% by default: a little above a new client's 30%.",
    )
    structure_price_drop: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Price cut structure clients impose in a crisis (fraction of their revenue, "
        "taken from their margin). 10% by default: the seed's structure clients already squeeze "
        "prices, and a crisis gives them more leverage.",
    )


class Targets(BaseModel):
    """What a balanced portfolio looks like; recommendations aim at these."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    n80_min_share: float = Field(
        0.2,
        ge=0,
        le=1,
        description="At least this share of clients should make 80% of sales. 20% by default, the "
        "seed's 80/20: fewer means one departure hits the bottom line (80/10).",
    )
    n80_max_share: float = Field(
        0.4,
        ge=0,
        le=1,
        description="At most this share of clients for 80% of sales. 40% by default, the seed's "
        "80/40: beyond it management and service costs grow.",
    )
    max_client_share: float = Field(
        0.25,
        ge=0,
        le=1,
        description="No client should exceed this share of revenue. 25% by default: losing it "
        "would cut a quarter of sales.",
    )
    flag_client_share: float = Field(
        0.10,
        ge=0,
        le=1,
        description="Flag clients at or above this share of revenue. 10% by default, the IFRS 8 / "
        "ASC 280 major-customer threshold.",
    )
    structure_coverage: float = Field(
        0.8,
        ge=0,
        description="Structure clients' gross margin should cover this share of fixed costs. 0.8 "
        "by default: the seed's structure client pays 80% of the structure.",
    )
    min_margin_clients: int = Field(
        3,
        ge=0,
        description="At least this many margin clients. 3 by default: enough that one lost deal "
        "does not erase the year's extra margin.",
    )
    min_margin_share: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Active margin clients' gross margin should be at least this share of the "
        "portfolio's gross margin. 10% by default: below it the extra margin the seed expects "
        "from them is too small to count on.",
    )
    min_image_clients: int = Field(
        2,
        ge=0,
        description="At least this many image clients. 2 by default: references from more than "
        "one name before new prospects.",
    )
    target_terms_days: int = Field(
        60,
        ge=0,
        description="Payment terms to renegotiate late payers down to (days). 60 by default: the "
        "B2B ceiling of Spain's Ley 3/2004.",
    )
    max_listed_clients: int = Field(
        10,
        ge=1,
        description="At most this many per-client recommendations of one kind (renegotiate, keep "
        "image), the largest first. 10 by default so the list stays readable; every client "
        "keeps its action in the client table.",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Targets:
        if self.n80_min_share > self.n80_max_share:
            raise ValueError(N_("targets.n80_min_share must not exceed targets.n80_max_share."))
        if self.flag_client_share > self.max_client_share:
            raise ValueError(
                N_("targets.flag_client_share must not exceed targets.max_client_share.")
            )
        return self
