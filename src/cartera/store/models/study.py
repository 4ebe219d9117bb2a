"""Study and communication (issue 15): prospects, the do-not-call list, campaigns and calls.

Shapes (one row is):

* ``prospects``: a prospect of a firm — the book's columns (``code`` is its
  ``P00001`` id), consent and source, extra ``attributes``, ``status``
  (``open``, ``not_interested``, ``won``), ``origin`` (file, row, import
  time, who) and, once won, the ``client_id`` it became and ``won_origin``
  (campaign, kind, source, date: :func:`cartera.study.campaign.won_client`).
* ``do_not_call``: one phone or e-mail key (``kind`` ``phone``/``email``) a firm
  must not call, with the list it came from.
* ``campaigns``: a call campaign for one target kind, its scripts per language,
  calling window, retry rule and status; ``campaign_assistants`` who call in it.
* ``campaign_members``: a prospect enrolled in a campaign, its current stage and
  the moves after a meeting (``moves``: ``[[stage, reason], …]``).
* ``campaign_calls``: one call — technical ``result`` and business ``outcome``
  kept apart, callback and meeting dates, note, who and when, and the agenda entry
  (``scheduled_item_id``) of the meeting it booked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cartera.store.base import Base, UTCDateTime, utcnow

__all__ = [
    "CAMPAIGN_STATUSES",
    "PROSPECT_STATUSES",
    "Campaign",
    "CampaignAssistant",
    "CampaignCall",
    "CampaignMember",
    "DoNotCall",
    "Prospect",
]

#: Where a prospect stands in the firm (a campaign keeps its own stage per member).
PROSPECT_STATUSES = ("open", "not_interested", "won")
#: A campaign is being called, paused or closed.
CAMPAIGN_STATUSES = ("active", "paused", "closed")


class Prospect(Base):
    __tablename__ = "prospects"
    __table_args__ = (
        UniqueConstraint("firm_id", "code", name="uq_prospects_firm_code"),
        CheckConstraint("status IN ('open', 'not_interested', 'won')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(300), default="")
    tax_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    sector: Mapped[str | None] = mapped_column(String(200), nullable=True)
    region: Mapped[str | None] = mapped_column(String(200), nullable=True)
    size: Mapped[str | None] = mapped_column(String(100), nullable=True)
    contact: Mapped[str | None] = mapped_column(String(200), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(60), nullable=True)
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    source: Mapped[str | None] = mapped_column(String(200), nullable=True)
    consent: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    do_not_call: Mapped[bool] = mapped_column(Boolean, default=False)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="open")
    origin: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    client_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    won_origin: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class DoNotCall(Base):
    __tablename__ = "do_not_call"
    __table_args__ = (
        UniqueConstraint("firm_id", "kind", "value", name="uq_do_not_call_firm_kind_value"),
        CheckConstraint("kind IN ('phone', 'email')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    value: Mapped[str] = mapped_column(String(320))
    list_name: Mapped[str] = mapped_column(String(200), default="")
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Campaign(Base):
    __tablename__ = "campaigns"
    __table_args__ = (
        CheckConstraint("kind IN ('structure', 'margin', 'image')", name="kind"),
        CheckConstraint("status IN ('active', 'paused', 'closed')", name="status"),
        CheckConstraint("retry_attempts >= 1 AND retry_gap_days >= 0", name="retry"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    #: Edited scripts by language (``{"es": "…", "en": "…"}``); a missing one: the default.
    scripts: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    #: Weekdays (0 = Monday) and ``HH:MM`` start and end, firm's local time.
    window_days: Mapped[list[int]] = mapped_column(JSON, default=lambda: [0, 1, 2, 3, 4])
    window_start: Mapped[str] = mapped_column(String(5), default="09:30")
    window_end: Mapped[str] = mapped_column(String(5), default="13:30")
    retry_attempts: Mapped[int] = mapped_column(Integer, default=3)
    retry_gap_days: Mapped[int] = mapped_column(Integer, default=2)
    meeting_minutes: Mapped[int] = mapped_column(Integer, default=45)
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )

    assistants: Mapped[list[CampaignAssistant]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class CampaignAssistant(Base):
    __tablename__ = "campaign_assistants"

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )


class CampaignMember(Base):
    __tablename__ = "campaign_members"
    __table_args__ = (
        UniqueConstraint(
            "campaign_id", "prospect_id", name="uq_campaign_members_campaign_prospect"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    prospect_id: Mapped[int] = mapped_column(
        ForeignKey("prospects.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(16), default="queued")
    next_call: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    moves: Mapped[list[list[str | None]]] = mapped_column(JSON, default=list)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    prospect: Mapped[Prospect] = relationship(lazy="joined")


class CampaignCall(Base):
    __tablename__ = "campaign_calls"
    __table_args__ = (
        CheckConstraint(
            "result IN ('no_answer', 'voicemail', 'busy', 'wrong_number', 'reached')",
            name="result",
        ),
        CheckConstraint(
            "outcome IS NULL OR outcome IN "
            "('meeting_booked', 'call_back', 'not_interested', 'not_a_fit')",
            name="outcome",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("campaign_members.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    result: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    callback_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    meeting_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    #: The agenda entry of the meeting this call booked (follow-up's scheduled items).
    scheduled_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("scheduled_items.id", ondelete="SET NULL"), nullable=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
