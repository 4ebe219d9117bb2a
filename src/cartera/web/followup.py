"""The follow-up assistant on a firm of the store: its log, states, agenda and reminders.

Glue shared by the web pages and the commands (``cartera log``, ``agenda --firm``,
``remind``): it loads the store's rows into the assistant's frames and objects,
calls the pure rules (:mod:`cartera.assistant`) and saves what they return.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Final

import polars as pl
from sqlalchemy.orm import Session

from cartera.assistant import (
    AgendaItem,
    AssistantSettings,
    ItemState,
    build_agenda,
    from_activities,
    owners_from_log,
    plan,
)
from cartera.assistant.interactions import INTERACTION_SCHEMA
from cartera.assistant.settings import SmtpSettings, load_assistant_settings
from cartera.errors import SettingsError
from cartera.i18n import N_, _, fmt_date, language
from cartera.result import PortfolioAnalysis
from cartera.settings import read_toml
from cartera.store import followup as F
from cartera.store.models import ScheduledItem, User

__all__ = [
    "CHANNELS",
    "RECENT_DAYS",
    "Assessed",
    "FirmPlan",
    "agenda_items",
    "assessments",
    "assistant_settings",
    "booked_fingerprint",
    "booked_mail",
    "client_email",
    "client_names",
    "firm_plan",
    "import_activities",
    "interaction_log",
    "item_states",
    "merge_calendars",
    "owner_emails",
    "reminder_mail",
    "resolve_client",
    "save_assistant_file",
    "scheduled_calendar",
    "scheduled_rows",
    "send_survey_mail",
    "smtp_configured",
    "survey_mail_text",
]


#: The channel of an interaction logged without one, by its kind.
CHANNELS: Final = {
    "call": "phone", "email": "email", "meeting": "in_person", "visit": "in_person",
    "support": "phone", "survey": "web", "letter": "letter",
}  # fmt: skip


def interaction_log(session: Session, firm_id: int) -> pl.DataFrame:
    """The firm's interactions as the assistant's log frame (:data:`INTERACTION_SCHEMA`)."""
    rows = F.firm_interactions(session, firm_id)
    return pl.DataFrame(rows, schema=INTERACTION_SCHEMA, orient="row")


def item_states(session: Session, firm_id: int) -> list[ItemState]:
    """Snoozes and reassignments of the firm's agenda items."""
    return [
        ItemState(key=key, snoozed_until=until, owner=owner)
        for key, until, owner in F.agenda_states(session, firm_id)
    ]


def assistant_settings(
    session: Session, firm_id: int, path: Path | None = None
) -> AssistantSettings:
    """The firm's saved assistant settings; a settings file's ``[assistant]`` table wins."""
    if path is not None:
        return load_assistant_settings(path)
    values = F.assistant_values(session, firm_id)
    try:
        return AssistantSettings.model_validate(values)
    except ValueError:  # saved by an older version with other bounds: the defaults stand
        return AssistantSettings()


def save_assistant_file(session: Session, firm_id: int, path: Path, user_id: int | None) -> None:
    """Save a settings file's ``[assistant]`` table as the firm's (validated first)."""
    load_assistant_settings(path)
    values = read_toml(path).get("assistant", {})
    F.save_assistant_values(session, firm_id, values, user_id)


def import_activities(session: Session, firm_id: int, workspace: Path) -> int:
    """Add the workspace's activities to the firm's interactions (each once); how many added."""
    from cartera.io.workspace import Workspace

    activities = Workspace.open(workspace).read("activities")
    log = from_activities(activities)
    rows = log.select("client_id", "when", "kind", "channel", "note").iter_rows()
    return F.import_interactions(session, firm_id, rows)


def client_names(workspace: Path) -> dict[str, str]:
    """Client id → name from the workspace's clients table (id when it has no name)."""
    from cartera.io.workspace import Workspace

    clients = Workspace.open(workspace).read("clients").select("client_id", "name")
    return {cid: (name or cid) for cid, name in clients.iter_rows() if cid is not None}


def client_email(workspace: Path, client_id: str) -> str | None:
    """The client's e-mail from the workspace's clients table (None: no column or empty)."""
    from cartera.io.workspace import Workspace

    clients = Workspace.open(workspace).read("clients")
    if "email" not in clients.columns:
        return None
    found = clients.filter(pl.col("client_id") == client_id).get_column("email").to_list()
    address = str(found[0]).strip() if found and found[0] else ""
    return address if "@" in address else None


def smtp_configured(session: Session, firm_id: int) -> bool:
    """Whether the firm saved an e-mail server (an ``[assistant.smtp]`` table): the default
    sender ``cartera@localhost`` is no address a client should get mail from."""
    return bool(F.assistant_values(session, firm_id).get("smtp"))


def survey_mail_text(url: str, expires: dt.date, firm: str, lang: str) -> tuple[str, str]:
    """Subject and body of the survey e-mail, in the client's language ``lang``."""
    with language(lang):
        subject = _("A question about our service")
        body = "\n\n".join([
            _("Could you tell us how we are doing? It takes ten seconds: {url}").format(url=url),
            _("The link works once, until {date}.").format(date=fmt_date(expires)),
            firm,
        ])  # fmt: skip
    return subject, body


#: The sent ledger's key of a survey link (its token hash: the link itself is never kept).
SURVEY_KEY: Final = "survey/{token_hash}"


def send_survey_mail(
    session: Session,
    firm_id: int,
    *,
    token_hash: str,
    to: str,
    subject: str,
    body: str,
    lang: str,
    smtp: SmtpSettings,
    now: dt.datetime,
    environ: Mapping[str, str] | None = None,
) -> bool:
    """Send one survey link by e-mail, once: False when it was already sent.

    The send is claimed in the sent ledger (committed) before the server is asked, and
    only the first claim of the token goes on, so two clicks never send two messages;
    a refused send drops the claim and raises :class:`ReminderError`.
    """
    from cartera.assistant.messages import Message
    from cartera.assistant.reminders import ReminderError, build_email, send

    key = SURVEY_KEY.format(token_hash=token_hash)
    claim = F.record_sent(session, firm_id, key=key, channel="email",
                          fingerprint=token_hash[:16], sequence=0, sent_at=now)  # fmt: skip
    session.commit()
    if F.sent_ids(session, firm_id, key, "email")[0] != claim.id:
        session.delete(claim)
        session.commit()
        return False
    mail = build_email(Message("survey", lang, subject, body), sender=smtp.sender, to=to)
    try:
        send([mail], smtp, environ)
    except ReminderError:
        session.delete(claim)
        session.commit()
        raise
    return True


def resolve_client(names: Mapping[str, str], text: str) -> str:
    """The client id ``text`` names: an id, else one exact name (case and accents ignored)."""
    from cartera.web.firmdata import fold

    wanted = text.strip()
    if wanted in names:
        return wanted
    matches = [cid for cid, name in names.items() if fold(name) == fold(wanted)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise SettingsError(
            N_("«{client}» names several clients ({ids}); give the client id."),
            client=text,
            ids=", ".join(sorted(matches)[:10]),
        )
    raise SettingsError(N_("Unknown client «{client}» in the firm's latest import."), client=text)


@dataclass(frozen=True)
class FirmPlan:
    """What the firm's agenda is computed from, and the due contacts themselves."""

    analysis: PortfolioAnalysis
    documents: pl.DataFrame
    log: pl.DataFrame
    settings: AssistantSettings
    due: pl.DataFrame
    #: The interaction log's version and the settings it was computed for (a cache key).
    version: str = ""

    @property
    def as_of(self) -> dt.date:
        return self.analysis.as_of

    @property
    def currency(self) -> str:
        return self.analysis.currency


def firm_plan(
    session: Session,
    firm_id: int,
    analysis: PortfolioAnalysis,
    workspace: Path,
    settings: AssistantSettings,
    documents: pl.DataFrame | None = None,
    log: pl.DataFrame | None = None,
) -> FirmPlan:
    """The due contacts of the firm from its analysis, documents and logged interactions.

    ``documents`` is the workspace's documents table and ``log`` the firm's
    :func:`interaction_log` when the caller has them already.
    """
    from cartera.io.workspace import Workspace

    if documents is None:
        documents = Workspace.open(workspace).read("documents")
    if log is None:
        log = interaction_log(session, firm_id)
    due = plan(analysis.clients_frame, documents, log, settings, analysis.as_of)
    return FirmPlan(analysis, documents, log, settings, due)


def agenda_items(
    session: Session,
    firm_id: int,
    fp: FirmPlan,
    *,
    until: dt.date,
    owner: str | None = None,
    limit: int | None = None,
) -> list[AgendaItem]:
    """The firm's ranked agenda up to ``until`` with its snoozes and reassignments."""
    return build_agenda(
        fp.due,
        until=until,
        owners=owners_from_log(fp.log),
        default_owner=fp.settings.default_owner,
        states=item_states(session, firm_id),
        owner=owner,
        limit=limit,
    )


def _label(user: User | None) -> str:
    return "" if user is None else (user.name or user.email)


def scheduled_rows(
    session: Session,
    firm_id: int,
    *,
    until: dt.date,
    today: dt.date,
    owner: str | None = None,
) -> list[dict[str, Any]]:
    """The firm's open scheduled items up to ``until`` as agenda rows (the export's columns).

    ``rule`` is ``scheduled``, ``action`` the item's summary, ``why`` what booked it and
    when; ``stake`` is 0 (a booked date is kept whatever the money).
    """
    out: list[dict[str, Any]] = []
    for item in F.scheduled_items(session, firm_id, until=until):
        who = _label(session.get(User, item.owner_user_id) if item.owner_user_id else None)
        if owner is not None and who != owner:
            continue
        out.append(_scheduled_row(item, who, today))
    return out


def _source_label(source: str) -> str:
    """What booked a scheduled item, in words (``campaign:12`` → study campaign 12)."""
    kind, _sep, ref = source.partition(":")
    if kind == "campaign" and ref:
        return _("study campaign {n}").format(n=ref)
    if kind == "interaction":
        return _("next step of a logged conversation")
    return source or _("the agenda")


def _scheduled_row(item: ScheduledItem, who: str, today: dt.date) -> dict[str, Any]:
    when = fmt_date(item.due)
    if item.at is not None:
        when = f"{when} {item.at.strftime('%H:%M')} UTC"
    source = _source_label(item.source)
    return {
        "due": item.due.isoformat(),
        "days_overdue": max((today - item.due).days, 0),
        "client_id": item.subject_id,
        "name": item.subject_name or item.subject_id,
        "segment": "prospect" if item.subject_kind == "prospect" else "",
        "rule": "scheduled",
        "action": item.summary or item.kind,
        "why": _("Booked for {when} ({source}).").format(when=when, source=source),
        "stake": 0.0,
        "channel": item.kind,
        "template": "",
        "owner": who,
        "status": "open",
        "key": item.key,
    }


def owner_emails(session: Session, firm_id: int) -> tuple[dict[str, User], list[User]]:
    """(owner label → member, the firm's owners) for addressing reminders.

    A label is a member's name or e-mail (what the agenda shows as owner); items
    nobody owns go to the firm's owners.
    """
    members = F.firm_users(session, firm_id)
    by_label: dict[str, User] = {}
    for user, _role in members:
        by_label[user.email] = user
        if user.name:
            by_label.setdefault(user.name, user)
    owners = [user for user, role in members if role == "owner"]
    return by_label, owners


def reminder_mail(
    item: AgendaItem,
    *,
    to: list[User],
    firm: str,
    sender: str,
    sequence: int,
    uid_firm: str,
    today: dt.date,
    currency: str,
    stamp: dt.datetime,
) -> EmailMessage:
    """The reminder to ``to`` (in the first recipient's language) with the ``.ics`` invitation."""
    from cartera.assistant.reminders import build_email, item_calendar
    from cartera.assistant.texts import reminder_message

    lang = to[0].language if to and to[0].language in ("es", "en") else "es"
    with language(lang):
        message = reminder_message(item, today, currency, firm, lang)
    ics = item_calendar(
        item, uid_firm, sequence=sequence, summary=message.subject, description=message.body,
        stamp=stamp, organizer=sender, attendee=to[0].email if to else None,
    )  # fmt: skip
    return build_email(message, sender=sender, to=", ".join(u.email for u in to), ics=ics)


def booked_fingerprint(item: ScheduledItem) -> str:
    """A digest of what a booked item's reminder says: a change (day, time, owner, summary)
    makes it differ, so ``remind`` sends the update once."""
    at = item.at.isoformat() if item.at is not None else ""
    text = (f"{item.key}|{item.due.isoformat()}|{at}|{item.owner_user_id}|{item.kind}|"
            f"{item.summary}|{item.sequence}")  # fmt: skip
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def booked_mail(
    item: ScheduledItem, *, to: list[User], firm: str, sender: str, stamp: dt.datetime
) -> EmailMessage:
    """A booked item's reminder to ``to`` (in the first recipient's language) with its own
    ``.ics`` invitation (the item's UID and SEQUENCE, as in the calendar feed)."""
    from cartera.assistant.messages import Message
    from cartera.assistant.reminders import build_email
    from cartera.assistant.texts import kind_label

    lang = to[0].language if to and to[0].language in ("es", "en") else "es"
    name = item.subject_name or item.subject_id
    with language(lang):
        what = item.summary or kind_label(item.kind)
        when = fmt_date(item.due)
        if item.at is not None:
            when = f"{when} {item.at.strftime('%H:%M')} UTC"
        subject = _("Booked: {what} — {name}").format(what=what, name=name)
        body = (
            _("{what}: {name} ({id}), {when}.").format(
                what=what, name=name, id=item.subject_id, when=when
            )
            + "\n"
            + _("Booked by: {source}.").format(source=_source_label(item.source))
            + f"\n\n{firm} · Cartera\n"
        )
    ics = scheduled_calendar([item], stamp, "REQUEST", organizer=sender,
                             attendee=to[0].email if to else None)  # fmt: skip
    message = Message("booked", lang, subject, body)
    return build_email(message, sender=sender, to=", ".join(u.email for u in to), ics=ics)


@dataclass(frozen=True)
class Assessed:
    """Churn risk and health of every client, and what recent interactions moved."""

    churn: pl.DataFrame
    health: pl.DataFrame
    #: :func:`cartera.assistant.health.what_moved` between the health without the
    #: interactions of the last :data:`RECENT_DAYS` days and the health now.
    moved: pl.DataFrame


#: The health's "what moved it" compares with the log as it was this many days ago.
RECENT_DAYS: Final = 30


def assessments(fp: FirmPlan, today: dt.date | None = None) -> Assessed:
    """Churn risk, health and its recent moves (:mod:`cartera.assistant.churn`, ``health``).

    Only the log-driven parts (satisfaction, contact freshness) can move between the
    two health results: recency, payment and trend come from the same analysis.
    """
    from cartera.assistant.churn import churn_risk, latest_answers
    from cartera.assistant.health import health_score, what_moved
    from cartera.assistant.history import order_rhythm, payment_trend

    rhythm = order_rhythm(fp.documents, fp.as_of, fp.settings.churn.at_risk_quantile)
    answers = latest_answers(fp.log)
    clients = fp.analysis.clients_frame
    churn = churn_risk(
        clients, rhythm, payment_trend(fp.documents, fp.as_of), answers, fp.settings.churn
    )
    health = health_score(clients, rhythm, answers, fp.log, fp.settings, fp.as_of)
    cutoff = (today or dt.date.today()) - dt.timedelta(days=RECENT_DAYS)
    older = fp.log.filter(pl.col("when") <= cutoff)
    if older.height == fp.log.height:
        moved = what_moved(health, health)
    else:
        before = health_score(clients, rhythm, latest_answers(older), older, fp.settings, fp.as_of)
        moved = what_moved(before, health)
    return Assessed(churn, health, moved)


def scheduled_calendar(
    items: list[ScheduledItem],
    stamp: dt.datetime,
    method: str,
    organizer: str | None = None,
    attendee: str | None = None,
) -> bytes:
    """Scheduled items as an iCalendar (their own UID and SEQUENCE; timed when ``at`` is set);
    an invitation (``REQUEST``) names its ``organizer`` and ``attendee`` when given."""
    from icalendar import Calendar, Event, vCalAddress, vText

    cal = Calendar()
    cal.add("prodid", "-//Cartera//Follow-up assistant//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    for item in items:
        event = Event()
        event.add("uid", item.calendar_uid)
        event.add("sequence", item.sequence)
        event.add("dtstamp", stamp)
        if item.at is not None:
            event.add("dtstart", item.at)
            event.add("dtend", item.at + dt.timedelta(hours=1))
        else:
            event.add("dtstart", item.due)
            event.add("dtend", item.due + dt.timedelta(days=1))
        event.add(
            "summary", f"{item.summary or item.kind} — {item.subject_name or item.subject_id}"
        )
        event.add("categories", ["scheduled"])
        if organizer:
            event["organizer"] = vCalAddress(f"mailto:{organizer}")
        if attendee:
            person = vCalAddress(f"mailto:{attendee}")
            person.params["ROLE"] = vText("REQ-PARTICIPANT")
            event.add("attendee", person, encode=False)
        cal.add_component(event)
    return bytes(cal.to_ical())


def merge_calendars(*calendars: bytes) -> bytes:
    """One calendar with the events of all (the first one's headers)."""
    from icalendar import Calendar

    first = Calendar.from_ical(calendars[0])
    for raw in calendars[1:]:
        for event in Calendar.from_ical(raw).walk("VEVENT"):
            first.add_component(event)
    return bytes(first.to_ical())
