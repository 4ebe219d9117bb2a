"""The follow-up assistant's records: interactions, agenda states, scheduled items, surveys.

Shapes (one row is):

* ``interactions``: one call, e-mail, meeting, visit, note or survey answer with one
  client of a firm — when (a day), kind, channel, outcome, note, next step, the
  agenda rule it answered, who (a user, or a free-text name for imported rows),
  where it came from (``app``, ``cli``, ``agenda``, ``survey``, ``import``) and, for
  imported rows, ``import_key`` (unique per firm, so an import never adds a row twice).
* ``interaction_revisions``: one edit of an interaction — who, when, and the changed
  fields as ``{field: [old, new]}``.
* ``agenda_states``: what people decided about one agenda item of a firm (the key of
  :class:`cartera.assistant.agenda.ItemState`, ``client_id:rule`` or ``scheduled:ID``):
  snoozed until a day, given to a user, done.
* ``scheduled_items``: an agenda entry no cadence rule produces — a meeting booked by
  a study campaign, a next step with a date — for a client or a prospect, with its
  calendar UID and SEQUENCE.
* ``survey_tokens``: one survey link sent; only the token's SHA-256 is kept.
* ``sent_reminders``: the sent ledger — one reminder delivered (item key, channel,
  fingerprint of what it said, calendar SEQUENCE, when).
* ``calendar_feeds``: a user's secret calendar-feed URL for one firm (hash only).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from cartera.store.base import Base, UTCDateTime, utcnow

__all__ = [
    "INTERACTION_KINDS",
    "SUBJECT_KINDS",
    "AgendaState",
    "CalendarFeed",
    "Interaction",
    "InteractionRevision",
    "ScheduledItem",
    "SentReminder",
    "SurveyToken",
]

#: The kinds of interaction (the same as ``cartera.assistant.interactions.KINDS``; a test
#: checks both lists agree — the store does not import the assistant).
INTERACTION_KINDS: Final = (
    "call", "email", "meeting", "visit", "note", "support", "survey", "letter",
)  # fmt: skip
#: Whom a scheduled item is about.
SUBJECT_KINDS: Final = ("client", "prospect")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Interaction(Base):
    __tablename__ = "interactions"
    __table_args__ = (
        CheckConstraint(_in("kind", INTERACTION_KINDS), name="kind"),
        UniqueConstraint("firm_id", "import_key", name="uq_interactions_firm_import_key"),
        Index("ix_interactions_firm_client", "firm_id", "client_id"),
        # The log's version (store.followup.log_version) is two index seeks, not a count.
        Index("ix_interactions_firm_id", "firm_id", "id"),
        Index("ix_interactions_firm_updated", "firm_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(200))
    happened_on: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str | None] = mapped_column(String(16), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(200), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    next_step: Mapped[str | None] = mapped_column(Text, nullable=True)
    next_step_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    rule: Mapped[str | None] = mapped_column(String(32), nullable=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    who_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    source: Mapped[str] = mapped_column(String(32), default="app")
    import_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class InteractionRevision(Base):
    __tablename__ = "interaction_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AgendaState(Base):
    __tablename__ = "agenda_states"
    __table_args__ = (UniqueConstraint("firm_id", "item_key", name="uq_agenda_states_firm_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id", ondelete="CASCADE"))
    item_key: Mapped[str] = mapped_column(String(250))
    snoozed_until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    owner_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


class ScheduledItem(Base):
    __tablename__ = "scheduled_items"
    __table_args__ = (
        CheckConstraint(_in("subject_kind", SUBJECT_KINDS), name="subject_kind"),
        CheckConstraint("sequence >= 0", name="sequence"),
        Index("ix_scheduled_items_firm_due", "firm_id", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id", ondelete="CASCADE"))
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(200))
    subject_name: Mapped[str] = mapped_column(String(200), default="")
    due: Mapped[dt.date] = mapped_column(Date)
    at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    kind: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(String(500), default="")
    owner_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    source: Mapped[str] = mapped_column(String(100), default="")
    calendar_uid: Mapped[str] = mapped_column(String(200), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def key(self) -> str:
        """The agenda key of this item (``scheduled:ID``)."""
        return f"scheduled:{self.id}"


class SurveyToken(Base):
    __tablename__ = "survey_tokens"
    __table_args__ = (
        CheckConstraint("scale IN ('csat', 'nps')", name="scale"),
        Index("ix_survey_tokens_firm_client", "firm_id", "client_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(200))
    scale: Mapped[str] = mapped_column(String(8))
    language: Mapped[str] = mapped_column(String(2), default="es")
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


class SentReminder(Base):
    __tablename__ = "sent_reminders"
    __table_args__ = (
        CheckConstraint("channel IN ('email', 'ics')", name="channel"),
        Index("ix_sent_reminders_firm_key", "firm_id", "item_key", "channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id", ondelete="CASCADE"))
    item_key: Mapped[str] = mapped_column(String(250))
    channel: Mapped[str] = mapped_column(String(8))
    fingerprint: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class CalendarFeed(Base):
    __tablename__ = "calendar_feeds"
    __table_args__ = (UniqueConstraint("firm_id", "user_id", name="uq_calendar_feeds_firm_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
