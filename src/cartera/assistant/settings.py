"""Per-firm settings of the follow-up assistant (the ``[assistant]`` TOML table).

Every field has a default and the reason for it in its description;
docs/assistant.md lists them and a test fails when one is missing there.
The SMTP password is never a setting: it is read from the environment
variable named by ``smtp.password_env`` when a message is sent.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from cartera.i18n import N_
from cartera.settings import read_toml
from cartera.settings.problems import settings_error

__all__ = [
    "AssistantSettings",
    "ChurnSettings",
    "DunningLevel",
    "HealthWeights",
    "SmtpSettings",
    "load_assistant_settings",
]

Channel = Literal["email", "phone", "letter", "meeting"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=True)


class DunningLevel(_Strict):
    """One step of the dunning ladder (OCA credit-control style: delay, channel, template)."""

    name: Literal["friendly", "firm", "call", "final"]
    days: int = Field(ge=1, description="Days past the due date of the oldest unpaid invoice.")
    channel: Channel
    template: str = Field(description="Message template purpose used for this level.")


def _default_levels() -> tuple[DunningLevel, ...]:
    return (
        DunningLevel(name="friendly", days=1, channel="email", template="dunning_friendly"),
        DunningLevel(name="firm", days=15, channel="email", template="dunning_firm"),
        DunningLevel(name="call", days=30, channel="phone", template="dunning_call"),
        DunningLevel(name="final", days=60, channel="letter", template="dunning_final"),
    )


class ChurnSettings(_Strict):
    """Cut points of the explained churn risk (docs/assistant.md, "Churn risk")."""

    at_risk_quantile: float = Field(
        0.8,
        gt=0,
        lt=1,
        description="A client is at risk when the days since its last order pass this quantile "
        "of its own gaps between orders. 0.8 by default: one silence in five is longer than "
        "this, so passing it is unusual but not yet alarming.",
    )
    lapsed_multiple: float = Field(
        2.0,
        gt=1,
        description="A client has lapsed when the days since its last order pass this multiple "
        "of that quantile. 2 by default: twice its longest usual silence.",
    )
    min_lapse_days: int = Field(
        30,
        ge=1,
        description="The agenda's lapsing call comes after at least this many days without an "
        "order, however short the client's usual gap (days). 30: a client ordering every few "
        "days is not lost after a quiet week, but a month without orders is worth a call.",
    )
    min_orders: int = Field(
        3,
        ge=2,
        description="Orders (distinct invoice days) needed before a client's own interval is "
        "trusted. 3 by default: two gaps are the fewest that say anything about a rhythm.",
    )
    trend_ratio: float = Field(
        0.7,
        gt=0,
        le=1,
        description="Falling trend: window revenue below this fraction of the previous window. "
        "0.7 by default: a 30 % drop, earlier than the analysis' 'declining' (50 %).",
    )
    payment_worse_days: float = Field(
        15.0,
        ge=0,
        description="Worsening payment: days late of the last 6 months above the 6 months "
        "before by more than this. 15 by default: half a month more is a change of habit.",
    )
    low_csat: int = Field(
        2,
        ge=1,
        le=5,
        description="Low satisfaction: latest CSAT (1-5) at or below this. 2 by default "
        "(dissatisfied or very dissatisfied).",
    )
    low_nps: int = Field(
        6,
        ge=0,
        le=10,
        description="Low satisfaction: latest NPS answer (0-10) at or below this. 6 by default, "
        "the detractor cut of the NPS method.",
    )


class HealthWeights(_Strict):
    """Weights of the health score's parts (they must add up to 1)."""

    satisfaction: float = Field(
        0.25, ge=0, le=1, description="Latest survey answer. 0.25: the client's own word."
    )
    recency: float = Field(
        0.25, ge=0, le=1, description="Days since the last order vs its usual interval. 0.25."
    )
    payment: float = Field(
        0.2, ge=0, le=1, description="Average days late paying. 0.2: money owed is a signal."
    )
    trend: float = Field(
        0.15, ge=0, le=1, description="Window revenue vs the previous window. 0.15."
    )
    contact: float = Field(
        0.15, ge=0, le=1, description="Days since the last contact vs its cadence. 0.15."
    )

    @model_validator(mode="after")
    def _sum_to_one(self) -> HealthWeights:
        total = self.satisfaction + self.recency + self.payment + self.trend + self.contact
        if abs(total - 1.0) > 1e-9:
            message = N_("assistant.health: the weights add up to {total}, not 1.")
            raise ValueError(message, {"total": round(total, 6)})
        return self


class SmtpSettings(_Strict):
    """Where reminder e-mails go out (the password only from the environment)."""

    host: str = Field("localhost", description="SMTP server host. localhost by default.")
    port: int = Field(587, ge=1, le=65535, description="SMTP port. 587 (submission) by default.")
    security: Literal["starttls", "tls", "none"] = Field(
        "starttls",
        description="starttls (port 587), tls (implicit, port 465) or none (a local relay "
        "only). starttls by default: the submission standard (RFC 8314 allows both).",
    )
    user: str | None = Field(None, description="Login user; none: no login (a local relay).")
    password_env: str = Field(
        "CARTERA_SMTP_PASSWORD",
        description="Name of the environment variable holding the password (never in a file).",
    )
    sender: str = Field(
        "cartera@localhost", description="From address of the reminders (the firm's own)."
    )
    timeout: float = Field(30.0, gt=0, description="Seconds to wait for the server. 30.")


class AssistantSettings(_Strict):
    """Cadences, dunning, churn, health and reminders of one firm."""

    business_days: bool = Field(
        True,
        description="Due dates that fall on a weekend or holiday move to the next business day. "
        "On by default: nobody is called on a Sunday.",
    )
    holidays: tuple[dt.date, ...] = Field(
        (), description="Extra non-business days (the firm's local holidays). None by default."
    )
    contact_kinds: tuple[str, ...] = Field(
        ("call", "meeting", "visit"),
        description="Interaction kinds that count as a real conversation and reset a contact "
        "cadence. Calls, meetings and visits by default: an e-mail or a support ticket is not a "
        "satisfaction check (Monica's 'stay in touch' counts logged calls).",
    )
    structure_call_days: int = Field(
        30,
        ge=1,
        description="Structure clients: a satisfaction call this often (days). 30: monthly, "
        "because the firm depends on them and discontent must be caught before a competitor does.",
    )
    structure_review_days: int = Field(
        91,
        ge=1,
        description="Structure clients: a review meeting this often (days). 91: quarterly.",
    )
    margin_repeat_days: int = Field(
        30,
        ge=1,
        description="Margin clients: after a reactivation call, the next one at least this many "
        "days later (days). 30: a monthly nudge while the silence lasts.",
    )
    image_call_days: int = Field(
        91, ge=1, description="Image clients: a relationship call this often (days). 91: quarterly."
    )
    image_reference_days: int = Field(
        365,
        ge=1,
        description="Image clients: a reference or testimonial ask this often (days). 365: "
        "yearly; asking more often wears out the goodwill that makes them image clients.",
    )
    new_first_check_days: int = Field(
        7,
        ge=0,
        description="New clients: a check this many days after the first order (days). 7: the "
        "first delivery has arrived (the data has no delivery date; the order date stands in).",
    )
    new_followup_days: int = Field(
        90, ge=1, description="New clients: a second check this many days after the first order."
    )
    regular_days: int = Field(
        182,
        ge=1,
        description="Regular clients: a contact this often (days). 182: every six months.",
    )
    dormant_days: int = Field(
        182,
        ge=1,
        description="Dormant clients: a win-back call, repeated this often while they stay "
        "dormant (days). 182: twice a year, without pestering.",
    )
    conversation_days: int = Field(
        91,
        ge=1,
        description="Renegotiate, let-go and declining clients: the conversation with the numbers, "
        "repeated this often while the rule still holds (days). 91: one per quarter.",
    )
    dunning: tuple[DunningLevel, ...] = Field(
        default_factory=_default_levels,
        description="Dunning ladder by days past due: friendly e-mail (1), firm e-mail (15), "
        "call (30), final notice by letter (60). The 60-day final notice matches the Spanish "
        "legal B2B payment cap (Ley 3/2004).",
    )
    default_owner: str = Field(
        "", description="Owner of a client's items when nobody is assigned ('' = unassigned)."
    )
    churn: ChurnSettings = Field(
        default_factory=lambda: ChurnSettings(), description="Cut points of the churn risk."
    )
    health: HealthWeights = Field(
        default_factory=lambda: HealthWeights(), description="Weights of the health score."
    )
    health_red: float = Field(
        40.0, ge=0, le=100, description="Health below this is red. 40 by default."
    )
    health_green: float = Field(
        70.0, ge=0, le=100, description="Health at or above this is green (amber between). 70."
    )
    survey_days: int = Field(
        14,
        ge=1,
        description="A survey link expires this many days after it is sent. 14: two weeks is "
        "enough to answer and short enough that a forwarded link soon stops working.",
    )
    smtp: SmtpSettings = Field(
        default_factory=lambda: SmtpSettings(), description="Where reminder e-mails go out."
    )

    @model_validator(mode="after")
    def _check(self) -> AssistantSettings:
        days = [level.days for level in self.dunning]
        if not days or days != sorted(days) or len(set(days)) != len(days):
            raise ValueError(
                N_("assistant.dunning: levels must be given in strictly increasing days.")
            )
        if self.health_red > self.health_green:
            raise ValueError(N_("assistant.health_red must not be above assistant.health_green."))
        return self


def load_assistant_settings(path: str | Path | None = None) -> AssistantSettings:
    """The ``[assistant]`` table of a TOML settings file (defaults when absent or no file)."""
    data: dict[str, Any] = read_toml(path).get("assistant", {}) if path is not None else {}
    try:
        return AssistantSettings.model_validate(data)
    except ValidationError as exc:
        source = str(path) if path else None
        raise settings_error(exc, AssistantSettings, source, prefix="assistant.") from exc
