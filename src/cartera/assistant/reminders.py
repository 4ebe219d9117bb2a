"""Reminders out: calendar entries (.ics), e-mails over SMTP, and what is still to send.

* :func:`item_calendar` — one agenda item as an iCalendar invitation
  (``METHOD:REQUEST``) with a stable ``UID`` (the firm and the item's key) and
  the ``SEQUENCE`` the ledger gives: it goes up when the item changes, so a
  calendar updates the entry instead of adding a second one.
* :func:`feed` — every item of one owner as a subscribable calendar
  (``METHOD:PUBLISH``).
* :func:`pending` — given the sent ledger, what is due and not yet sent, per
  channel (pure: the caller records each send right after it succeeds, so a
  run that crashes half-way resends nothing already sent).
* :func:`build_email` / :func:`send` — the message, and SMTP delivery with the
  password taken only from the environment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import smtplib
import ssl
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from icalendar import Calendar, Event, vCalAddress, vText

from cartera.assistant.agenda import AgendaItem
from cartera.assistant.messages import Message
from cartera.assistant.settings import SmtpSettings
from cartera.errors import CarteraError
from cartera.i18n import N_

__all__ = [
    "LedgerEntry",
    "Pending",
    "ReminderError",
    "build_email",
    "deliver",
    "feed",
    "fingerprint",
    "item_calendar",
    "item_uid",
    "pending",
    "send",
]

_PRODID = "-//Cartera//Follow-up assistant//EN"
_NAMESPACE = uuid.UUID("6f0c1e52-4a53-4a8e-9d8c-0c6c0b1f8a11")


class ReminderError(CarteraError):
    """A reminder that cannot be sent (no password in the environment, server refused)."""


@dataclass(frozen=True)
class LedgerEntry:
    """One reminder sent: which item, by which channel, in which version."""

    key: str
    channel: str  #: email or ics
    fingerprint: str
    sequence: int
    sent_at: dt.datetime


@dataclass(frozen=True)
class Pending:
    """A reminder to send now, with the ``SEQUENCE`` its calendar entry must carry."""

    item: AgendaItem
    channel: str
    sequence: int
    fingerprint: str


def item_uid(firm_id: str, item: AgendaItem) -> str:
    """The item's calendar UID: the same for the same firm and key, whatever changes."""
    return f"{uuid.uuid5(_NAMESPACE, f'{firm_id}/{item.key}')}@cartera"


def fingerprint(item: AgendaItem) -> str:
    """A digest of what a reminder says (due date, owner, channel, rounded stake)."""
    text = f"{item.key}|{item.due.isoformat()}|{item.owner}|{item.channel}|{round(item.stake)}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def pending(
    items: Iterable[AgendaItem],
    ledger: Iterable[LedgerEntry],
    today: dt.date,
    channels: Sequence[str] = ("email", "ics"),
) -> list[Pending]:
    """What is due by ``today`` and not yet sent in its current version, per channel.

    An item already sent with the same fingerprint is skipped (running twice
    sends once); one sent in an older version comes back with the next
    ``SEQUENCE``; a new one starts at 0.
    """
    last: dict[tuple[str, str], LedgerEntry] = {}
    for entry in sorted(ledger, key=lambda e: (e.sent_at, e.sequence)):
        last[(entry.key, entry.channel)] = entry
    out: list[Pending] = []
    for item in items:
        if item.due > today:
            continue
        mark = fingerprint(item)
        for channel in channels:
            previous = last.get((item.key, channel))
            if previous is not None and previous.fingerprint == mark:
                continue
            sequence = 0 if previous is None else previous.sequence + 1
            out.append(Pending(item=item, channel=channel, sequence=sequence, fingerprint=mark))
    return out


def _event(
    item: AgendaItem,
    firm_id: str,
    *,
    sequence: int,
    summary: str,
    description: str,
    stamp: dt.datetime,
    organizer: str | None,
    attendee: str | None,
) -> Event:
    event = Event()
    event.add("uid", item_uid(firm_id, item))
    event.add("sequence", sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", item.due)
    event.add("dtend", item.due + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("categories", [item.rule])
    if organizer:
        event["organizer"] = vCalAddress(f"mailto:{organizer}")
    if attendee:
        person = vCalAddress(f"mailto:{attendee}")
        person.params["ROLE"] = vText("REQ-PARTICIPANT")
        event.add("attendee", person, encode=False)
    return event


def _calendar(method: str, events: Iterable[Event]) -> Calendar:
    cal = Calendar()
    cal.add("prodid", _PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    for event in events:
        cal.add_component(event)
    return cal


def item_calendar(
    item: AgendaItem,
    firm_id: str,
    *,
    sequence: int,
    summary: str,
    description: str,
    stamp: dt.datetime,
    organizer: str | None = None,
    attendee: str | None = None,
) -> bytes:
    """The ``.ics`` invitation (``METHOD:REQUEST``) for one item."""
    event = _event(item, firm_id, sequence=sequence, summary=summary, description=description,
                   stamp=stamp, organizer=organizer, attendee=attendee)  # fmt: skip
    return bytes(_calendar("REQUEST", [event]).to_ical())


def feed(
    entries: Iterable[tuple[AgendaItem, str, str, int]],
    firm_id: str,
    stamp: dt.datetime,
) -> bytes:
    """A calendar feed (``METHOD:PUBLISH``) of ``(item, summary, description, sequence)``."""
    events = [
        _event(item, firm_id, sequence=seq, summary=summary, description=description,
               stamp=stamp, organizer=None, attendee=None)
        for item, summary, description, seq in entries
    ]  # fmt: skip
    return bytes(_calendar("PUBLISH", events).to_ical())


def build_email(
    message: Message,
    *,
    sender: str,
    to: str,
    sender_name: str | None = None,
    ics: bytes | None = None,
) -> EmailMessage:
    """A plain-text UTF-8 e-mail, with the ``.ics`` invitation attached when given."""
    mail = EmailMessage()
    mail["From"] = formataddr((sender_name, sender)) if sender_name else sender
    mail["To"] = to
    mail["Subject"] = message.subject
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "cartera")
    mail.set_content(message.body, charset="utf-8")
    if ics is not None:
        mail.add_attachment(
            ics, maintype="text", subtype="calendar", filename="cartera.ics",
            params={"method": "REQUEST"},
        )  # fmt: skip
    # After the attachment: making the message multipart moves Content-* headers inward.
    mail["Content-Language"] = message.lang
    return mail


def send(
    mails: Sequence[EmailMessage],
    smtp: SmtpSettings,
    environ: Mapping[str, str] | None = None,
    on_sent: Callable[[int], None] | None = None,
) -> list[str]:
    """Send ``mails`` over one SMTP connection; returns their Message-IDs in order.

    The password comes from ``environ[smtp.password_env]`` (the process
    environment by default) and is required when ``smtp.user`` is set.
    ``on_sent(i)`` is called right after the server accepted mail ``i``.
    """
    env = os.environ if environ is None else environ
    password = env.get(smtp.password_env) if smtp.user else None
    if smtp.user and not password:
        raise ReminderError(
            N_("Set the SMTP password in the environment variable {name}."),
            name=smtp.password_env,
        )
    try:
        client = _connect(smtp)
        with client:
            if smtp.user and password:
                client.login(smtp.user, password)
            for i, mail in enumerate(mails):
                client.send_message(mail)
                if on_sent is not None:
                    on_sent(i)
    except (smtplib.SMTPException, OSError) as exc:
        raise ReminderError(
            N_("The mail server {host}:{port} refused the reminders: {error}"),
            host=smtp.host,
            port=smtp.port,
            error=str(exc),
        ) from exc
    return [str(m["Message-ID"]) for m in mails]


def _connect(smtp: SmtpSettings) -> smtplib.SMTP:
    if smtp.security == "tls":
        return smtplib.SMTP_SSL(
            smtp.host, smtp.port, timeout=smtp.timeout, context=ssl.create_default_context()
        )
    client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    if smtp.security == "starttls":
        try:
            client.starttls(context=ssl.create_default_context())
        except (smtplib.SMTPException, OSError):
            client.close()
            raise
    return client


def deliver(
    todo: Sequence[Pending],
    compose: Callable[[Pending], EmailMessage],
    smtp: SmtpSettings,
    record: Callable[[LedgerEntry], None],
    now: dt.datetime,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Send the e-mail reminders of ``todo`` and record each one as soon as it is accepted.

    ``compose`` builds a pending item's e-mail (message, invitation); ``record``
    persists a :class:`LedgerEntry` (the store's sent ledger). A failure half-way
    raises :class:`ReminderError` after the ones already accepted were recorded,
    so the next run sends only the rest. Returns how many were sent.
    """
    mails = [p for p in todo if p.channel == "email"]
    sent = 0

    def done(i: int) -> None:
        nonlocal sent
        p = mails[i]
        record(LedgerEntry(p.item.key, p.channel, p.fingerprint, p.sequence, now))
        sent += 1

    if mails:
        send([compose(p) for p in mails], smtp, environ, on_sent=done)
    return sent
