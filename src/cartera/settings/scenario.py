"""Crisis stress and portfolio balance targets (``[stress]`` and ``[targets]`` tables)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["StressSettings", "Targets"]


class StressSettings(BaseModel):
    """Monte Carlo crisis stress parameters."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    scenarios: int = Field(10_000, ge=1, le=10_000_000, description="Number of simulated years.")
    seed: int = Field(42, description="Random seed: the same seed gives the same output.")
    leave_structure: float = Field(
        0.05, ge=0, le=1, description="Probability that a structure client leaves in a crisis."
    )
    leave_margin: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Probability that a margin client leaves in a crisis: highest, per the seed "
        "(they vanish exactly when most needed).",
    )
    leave_image: float = Field(
        0.1, ge=0, le=1, description="Probability that an image client leaves in a crisis."
    )
    leave_regular: float = Field(
        0.15, ge=0, le=1, description="Probability that a regular client leaves in a crisis."
    )
    leave_new: float = Field(
        0.3, ge=0, le=1, description="Probability that a new client leaves in a crisis."
    )
    leave_dormant: float = Field(
        0.6, ge=0, le=1, description="Probability that a dormant client does not come back."
    )
    structure_price_drop: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Price cut structure clients impose in a crisis (fraction of their revenue).",
    )


class Targets(BaseModel):
    """What a balanced portfolio looks like; recommendations aim at these."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    n80_min_share: float = Field(
        0.2,
        ge=0,
        le=1,
        description="At least this share of clients should make 80% of sales (the seed's 80/20).",
    )
    n80_max_share: float = Field(
        0.4,
        ge=0,
        le=1,
        description="At most this share of clients for 80% of sales; beyond it management costs "
        "grow (the seed's 80/40).",
    )
    max_client_share: float = Field(
        0.25, ge=0, le=1, description="No client should exceed this share of revenue."
    )
    flag_client_share: float = Field(
        0.10,
        ge=0,
        le=1,
        description="Flag clients at or above this share of revenue (IFRS 8 / ASC 280 threshold).",
    )
    structure_coverage: float = Field(
        0.8,
        ge=0,
        description="Structure clients' gross margin should cover this share of fixed costs (the "
        "seed's 80% of the structure).",
    )
    min_margin_clients: int = Field(
        3, ge=0, description="At least this many margin clients in the portfolio."
    )
    min_image_clients: int = Field(
        2, ge=0, description="At least this many image clients in the portfolio."
    )
