"""The follow-up assistant's records: add, edit, list (interactions, states, items, ledger).

Functions take an open :class:`~sqlalchemy.orm.Session` and leave committing to
the caller (one request or command is one transaction), except where a
function's docstring says it flushes for an id. Plain values in, rows out: the
adapters turn rows into the assistant's frames and objects
(:mod:`cartera.web.followup`); the store never imports the assistant.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from cartera.errors import SettingsError
from cartera.i18n import N_
from cartera.store.base import utcnow
from cartera.store.models.accounts import Membership, User
from cartera.store.models.firm_settings import FirmSettings
from cartera.store.models.followup import (
    INTERACTION_KINDS,
    SUBJECT_KINDS,
    AgendaState,
    CalendarFeed,
    Interaction,
    InteractionRevision,
    ScheduledItem,
    SentReminder,
    SurveyToken,
)
from cartera.store.secrets import hash_token, new_token

__all__ = [
    "EDITABLE",
    "FEED_PREFIX",
    "add_interaction",
    "add_scheduled_item",
    "add_survey_token",
    "agenda_states",
    "assistant_values",
    "client_interactions",
    "edit_interaction",
    "feed_for_token",
    "firm_interactions",
    "firm_users",
    "import_interactions",
    "interaction_history",
    "log_version",
    "mark_done",
    "new_feed_token",
    "reassign_item",
    "record_sent",
    "save_assistant_values",
    "scheduled_items",
    "sent_ids",
    "sent_ledger",
    "snooze_item",
    "survey_token",
    "update_scheduled_item",
    "use_survey_token",
]

#: Fields of an interaction that an edit may change (each edit is kept in its history).
EDITABLE: Final = (
    "happened_on", "kind", "channel", "outcome", "note", "next_step", "next_step_on", "rule",
)  # fmt: skip
#: Calendar-feed tokens start with this (recognisable when leaked in a log).
FEED_PREFIX: Final = "cal_"
#: Fields of a scheduled item whose change bumps its calendar SEQUENCE.
_CALENDAR_FIELDS: Final = ("due", "at", "kind", "summary", "owner_user_id")


def _check_kind(kind: str) -> str:
    if kind not in INTERACTION_KINDS:
        raise SettingsError(
            N_("Unknown interaction kind «{kind}»; kinds: {kinds}."),
            kind=kind,
            kinds=", ".join(INTERACTION_KINDS),
        )
    return kind


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text or None


# --- interactions -------------------------------------------------------------------------


def add_interaction(
    session: Session,
    firm_id: int,
    *,
    client_id: str,
    when: dt.date,
    kind: str,
    channel: str | None = None,
    outcome: str | None = None,
    note: str | None = None,
    next_step: str | None = None,
    next_step_on: dt.date | None = None,
    rule: str | None = None,
    user_id: int | None = None,
    who_name: str | None = None,
    source: str = "app",
) -> Interaction:
    """Log one interaction with ``client_id`` (flushed: its id is set)."""
    if not client_id.strip():
        raise SettingsError(N_("Say which client the interaction is with."))
    row = Interaction(
        firm_id=firm_id,
        client_id=client_id.strip(),
        happened_on=when,
        kind=_check_kind(kind),
        channel=_clean(channel),
        outcome=_clean(outcome),
        note=_clean(note),
        next_step=_clean(next_step),
        next_step_on=next_step_on,
        rule=_clean(rule),
        user_id=user_id,
        who_name=_clean(who_name),
        source=source,
    )
    session.add(row)
    session.flush()
    return row


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def edit_interaction(
    session: Session, row: Interaction, user_id: int | None, changes: Mapping[str, Any]
) -> InteractionRevision | None:
    """Apply ``changes`` (fields of :data:`EDITABLE`) and keep who changed what.

    Returns the revision written, or None when nothing actually changed.
    """
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise SettingsError(
            N_("These fields cannot be edited: {fields}."), fields=", ".join(unknown)
        )
    diff: dict[str, list[Any]] = {}
    for name, value in changes.items():
        if name == "kind":
            value = _check_kind(value)
        elif isinstance(value, str) or value is None:
            value = _clean(value)
        old = getattr(row, name)
        if old != value:
            diff[name] = [_jsonable(old), _jsonable(value)]
            setattr(row, name, value)
    if not diff:
        return None
    row.updated_at = utcnow()
    revision = InteractionRevision(interaction_id=row.id, user_id=user_id, changes=diff)
    session.add(revision)
    session.flush()
    return revision


def interaction_history(session: Session, interaction_id: int) -> list[InteractionRevision]:
    """The edits of one interaction, oldest first."""
    return list(
        session.scalars(
            select(InteractionRevision)
            .where(InteractionRevision.interaction_id == interaction_id)
            .order_by(InteractionRevision.changed_at, InteractionRevision.id)
        )
    )


def client_interactions(session: Session, firm_id: int, client_id: str) -> list[Interaction]:
    """One client's interactions, newest first."""
    return list(
        session.scalars(
            select(Interaction)
            .where(Interaction.firm_id == firm_id, Interaction.client_id == client_id)
            .order_by(Interaction.happened_on.desc(), Interaction.id.desc())
        )
    )


def firm_interactions(session: Session, firm_id: int) -> list[tuple[Any, ...]]:
    """Every interaction of the firm as tuples, oldest first.

    Columns: ``client_id, happened_on, kind, channel, outcome, note, next_step,
    who, rule`` where ``who`` is the user's name (else e-mail) or the imported
    name — the order of the assistant's interaction log.
    """
    rows = session.execute(
        select(
            Interaction.client_id,
            Interaction.happened_on,
            Interaction.kind,
            Interaction.channel,
            Interaction.outcome,
            Interaction.note,
            Interaction.next_step,
            User.name,
            User.email,
            Interaction.who_name,
            Interaction.rule,
        )
        .outerjoin(User, User.id == Interaction.user_id)
        .where(Interaction.firm_id == firm_id)
        .order_by(Interaction.happened_on, Interaction.id)
    ).all()
    return [
        (cid, day, kind, channel, outcome, note, step, name or email or who, rule)
        for cid, day, kind, channel, outcome, note, step, name, email, who, rule in rows
    ]


def log_version(session: Session, firm_id: int) -> str:
    """A text that changes whenever the firm's interactions do: the newest id (interactions
    are added, never deleted) and the latest change. ``"0:…"`` when there are none.

    Two separate one-aggregate queries, each an index seek (revision 0004): a count, or
    both aggregates in one query, would read every row of a firm with millions of them.
    """
    from sqlalchemy import func

    mine = Interaction.firm_id == firm_id
    newest = session.execute(select(func.max(Interaction.id)).where(mine)).scalar()
    latest = session.execute(select(func.max(Interaction.updated_at)).where(mine)).scalar()
    return f"{newest or 0}:{latest}"


def _import_key(row: Sequence[Any], occurrence: int) -> str:
    text = "\x1f".join("" if v is None else str(v) for v in (*row, occurrence))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def import_interactions(
    session: Session, firm_id: int, rows: Iterable[Sequence[Any]], *, source: str = "import"
) -> int:
    """Add imported interactions the firm does not have yet; returns how many were added.

    ``rows`` are ``(client_id, when, kind, channel, note)``. Each row's key is a
    hash of its values and of how many identical rows came before it in the same
    batch, so re-importing the same activities (or a later export that repeats
    them) adds nothing, while two identical calls on one day stay two.
    """
    seen: dict[tuple[Any, ...], int] = {}
    wanted: dict[str, tuple[Any, ...]] = {}
    for raw in rows:
        row = tuple(raw)
        n = seen.get(row, 0)
        seen[row] = n + 1
        wanted[_import_key(row, n)] = row
    if not wanted:
        return 0
    existing: set[str] = set()
    keys = list(wanted)
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        existing.update(
            session.scalars(
                select(Interaction.import_key).where(
                    Interaction.firm_id == firm_id, Interaction.import_key.in_(chunk)
                )
            )
        )
    now = utcnow()
    fresh = [
        {"firm_id": firm_id, "client_id": str(client_id), "happened_on": when,
         "kind": _check_kind(kind), "channel": channel, "note": _clean(note),
         "source": source, "import_key": key, "created_at": now, "updated_at": now}
        for key, (client_id, when, kind, channel, note) in wanted.items()
        if key not in existing
    ]  # fmt: skip
    if fresh:  # one multi-row INSERT per batch (SQLAlchemy's insertmanyvalues), not an object each
        session.execute(insert(Interaction), fresh)
    return len(fresh)


# --- agenda states ------------------------------------------------------------------------


def _state(session: Session, firm_id: int, key: str, user_id: int | None) -> AgendaState:
    row = session.scalar(
        select(AgendaState).where(AgendaState.firm_id == firm_id, AgendaState.item_key == key)
    )
    if row is None:
        row = AgendaState(firm_id=firm_id, item_key=key)
        session.add(row)
    row.updated_at = utcnow()
    row.updated_by = user_id
    return row


def snooze_item(
    session: Session, firm_id: int, key: str, until: dt.date, user_id: int | None
) -> AgendaState:
    """Put the item ``key`` off until ``until`` (the caller checked it is after today)."""
    row = _state(session, firm_id, key, user_id)
    row.snoozed_until = until
    session.flush()
    return row


def reassign_item(
    session: Session, firm_id: int, key: str, owner_user_id: int, user_id: int | None
) -> AgendaState:
    """Give the item ``key`` to a member of the firm."""
    if (
        session.scalar(
            select(Membership.id).where(
                Membership.firm_id == firm_id, Membership.user_id == owner_user_id
            )
        )
        is None
    ):
        raise SettingsError(N_("The item can only go to a member of the firm."))
    row = _state(session, firm_id, key, user_id)
    row.owner_user_id = owner_user_id
    session.flush()
    return row


def mark_done(
    session: Session, firm_id: int, key: str, user_id: int | None, at: dt.datetime | None = None
) -> AgendaState:
    """Mark the item ``key`` done (scheduled items; cadence items are reset by the log)."""
    row = _state(session, firm_id, key, user_id)
    row.done_at = at or utcnow()
    number = key.partition(":")[2] if key.startswith("scheduled:") else ""
    if number.isdigit() and len(number) <= 9:
        item = session.get(ScheduledItem, int(number))
        if item is not None and item.firm_id == firm_id:
            item.done_at = row.done_at
    session.flush()
    return row


def agenda_states(session: Session, firm_id: int) -> list[tuple[str, dt.date | None, str | None]]:
    """The firm's states as ``(key, snoozed_until, owner label)`` (a user's name, else e-mail)."""
    rows = session.execute(
        select(AgendaState.item_key, AgendaState.snoozed_until, User.name, User.email)
        .outerjoin(User, User.id == AgendaState.owner_user_id)
        .where(AgendaState.firm_id == firm_id)
        .order_by(AgendaState.id)
    ).all()
    return [(key, until, (name or email) or None) for key, until, name, email in rows]


def firm_users(session: Session, firm_id: int) -> list[tuple[User, str]]:
    """The firm's members with their role, by name then e-mail."""
    rows = session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.firm_id == firm_id)
        .order_by(User.name, User.email)
    ).all()
    return [(user, role) for user, role in rows]


# --- scheduled items ----------------------------------------------------------------------


def add_scheduled_item(
    session: Session,
    firm_id: int,
    *,
    subject_kind: str,
    subject_id: str,
    subject_name: str,
    due: dt.date,
    at: dt.datetime | None = None,
    kind: str,
    summary: str,
    owner_user_id: int | None,
    source: str,
) -> ScheduledItem:
    """An explicit agenda entry (a booked meeting, a dated next step); flushed, id set.

    ``subject_kind`` is ``client`` or ``prospect``; ``at`` (timezone-aware) is the
    meeting's time when known, ``due`` its day; ``source`` says what created it
    (``campaign:12``, ``interaction:40``). The calendar UID is new and stable;
    SEQUENCE starts at 0 and goes up with each change (:func:`update_scheduled_item`).
    """
    if subject_kind not in SUBJECT_KINDS:
        raise SettingsError(
            N_("Unknown subject «{kind}»; expected {kinds}."),
            kind=subject_kind,
            kinds=", ".join(SUBJECT_KINDS),
        )
    if not subject_id.strip():
        raise SettingsError(N_("Say whom the scheduled item is about."))
    kind = _check_kind(kind)
    if at is not None and at.tzinfo is None:
        raise SettingsError(N_("The time of a scheduled item needs a time zone."))
    item = ScheduledItem(
        firm_id=firm_id,
        subject_kind=subject_kind,
        subject_id=subject_id.strip(),
        subject_name=subject_name.strip(),
        due=due,
        at=at,
        kind=kind,
        summary=summary.strip(),
        owner_user_id=owner_user_id,
        source=source,
        calendar_uid=f"{uuid.uuid4()}@cartera",
        sequence=0,
    )
    session.add(item)
    session.flush()
    return item


def update_scheduled_item(
    session: Session, item: ScheduledItem, changes: Mapping[str, Any]
) -> ScheduledItem:
    """Change ``due``, ``at``, ``kind``, ``summary``, ``owner_user_id``; SEQUENCE + 1 if changed."""
    unknown = sorted(set(changes) - set(_CALENDAR_FIELDS))
    if unknown:
        raise SettingsError(
            N_("These fields cannot be edited: {fields}."), fields=", ".join(unknown)
        )
    changed = False
    for name, value in changes.items():
        if name == "kind":
            value = _check_kind(value)
        if getattr(item, name) != value:
            setattr(item, name, value)
            changed = True
    if changed:
        item.sequence += 1
        item.updated_at = utcnow()
        session.flush()
    return item


def scheduled_items(
    session: Session,
    firm_id: int,
    *,
    until: dt.date | None = None,
    subject_id: str | None = None,
    include_done: bool = False,
) -> list[ScheduledItem]:
    """The firm's scheduled items due up to ``until`` (all when None), by due date."""
    query = select(ScheduledItem).where(ScheduledItem.firm_id == firm_id)
    if until is not None:
        query = query.where(ScheduledItem.due <= until)
    if subject_id is not None:
        query = query.where(ScheduledItem.subject_id == subject_id)
    if not include_done:
        query = query.where(ScheduledItem.done_at.is_(None))
    return list(session.scalars(query.order_by(ScheduledItem.due, ScheduledItem.id)))


# --- survey tokens ------------------------------------------------------------------------


def add_survey_token(
    session: Session,
    firm_id: int,
    *,
    token_hash: str,
    client_id: str,
    scale: str,
    language: str,
    expires_at: dt.datetime,
    user_id: int | None,
) -> SurveyToken:
    """Keep a sent survey link (its hash only)."""
    row = SurveyToken(
        token_hash=token_hash, firm_id=firm_id, client_id=client_id, scale=scale,
        language=language, expires_at=expires_at, created_by=user_id,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def survey_token(session: Session, token_hash: str) -> SurveyToken | None:
    """The stored link with this hash (any firm: the caller checks the firm)."""
    return session.scalar(select(SurveyToken).where(SurveyToken.token_hash == token_hash))


def use_survey_token(session: Session, row: SurveyToken, at: dt.datetime) -> bool:
    """Mark the link used; False when another answer used it first (single use holds)."""
    from sqlalchemy import update

    result = session.execute(
        update(SurveyToken)
        .where(SurveyToken.id == row.id, SurveyToken.used_at.is_(None))
        .values(used_at=at)
        .execution_options(synchronize_session=False)
    )
    session.refresh(row)
    return bool(getattr(result, "rowcount", 0) == 1)


# --- sent ledger --------------------------------------------------------------------------


def record_sent(
    session: Session,
    firm_id: int,
    *,
    key: str,
    channel: str,
    fingerprint: str,
    sequence: int,
    sent_at: dt.datetime,
) -> SentReminder:
    """One reminder delivered (the caller commits right away: a crash must not lose it)."""
    row = SentReminder(
        firm_id=firm_id, item_key=key, channel=channel, fingerprint=fingerprint,
        sequence=sequence, sent_at=sent_at,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def sent_ids(session: Session, firm_id: int, key: str, channel: str) -> list[int]:
    """Ids of the ledger rows of one item and channel, oldest claim first."""
    query = select(SentReminder.id).where(
        SentReminder.firm_id == firm_id,
        SentReminder.item_key == key,
        SentReminder.channel == channel,
    )
    return list(session.scalars(query.order_by(SentReminder.id)))


def sent_ledger(session: Session, firm_id: int) -> list[SentReminder]:
    """The firm's sent reminders, oldest first."""
    return list(
        session.scalars(
            select(SentReminder)
            .where(SentReminder.firm_id == firm_id)
            .order_by(SentReminder.sent_at, SentReminder.id)
        )
    )


# --- calendar feeds -----------------------------------------------------------------------


def new_feed_token(session: Session, firm_id: int, user_id: int) -> str:
    """A new secret feed token for the user in the firm (the previous one stops working)."""
    raw = new_token(FEED_PREFIX)
    row = session.scalar(
        select(CalendarFeed).where(CalendarFeed.firm_id == firm_id, CalendarFeed.user_id == user_id)
    )
    if row is None:
        session.add(CalendarFeed(firm_id=firm_id, user_id=user_id, token_hash=hash_token(raw)))
    else:
        row.token_hash = hash_token(raw)
        row.created_at = utcnow()
    session.flush()
    return raw


def feed_for_token(session: Session, raw: str) -> CalendarFeed | None:
    """The feed of this token, or None (unknown, replaced, or not a feed token)."""
    if not raw.startswith(FEED_PREFIX) or len(raw) > 200:
        return None
    return session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == hash_token(raw)))


# --- the firm's assistant settings --------------------------------------------------------


def assistant_values(session: Session, firm_id: int) -> dict[str, Any]:
    """The assistant settings the firm changed (the adapter validates them)."""
    row = session.get(FirmSettings, firm_id)
    return dict(row.assistant) if row is not None and row.assistant else {}


def save_assistant_values(
    session: Session, firm_id: int, values: Mapping[str, Any], user_id: int | None
) -> None:
    """Save the firm's assistant settings (already validated by the adapter)."""
    row = session.get(FirmSettings, firm_id)
    if row is None:
        row = FirmSettings(firm_id=firm_id, values={}, assistant=dict(values), updated_by=user_id)
        session.add(row)
    else:
        row.assistant = dict(values)
        row.updated_by = user_id
        row.updated_at = utcnow()
    session.flush()
