"""Reminders: .ics parsed back, the ledger sends once, SMTP through aiosmtpd in both languages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import socket
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from icalendar import Calendar

from cartera.assistant.agenda import AgendaItem
from cartera.assistant.messages import Figures, render
from cartera.assistant.reminders import (
    LedgerEntry,
    ReminderError,
    build_email,
    feed,
    item_calendar,
    item_uid,
    pending,
    send,
)
from cartera.assistant.settings import SmtpSettings

TODAY = dt.date(2026, 11, 2)
STAMP = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)


def _item(
    cid: str = "C1", rule: str = "structure_call", due: dt.date = TODAY, **kw: Any
) -> AgendaItem:
    return AgendaItem(client_id=cid, name=f"Client {cid}", segment="structure", rule=rule, due=due,
                      stake=1000.0, channel="phone", template="satisfaction_check", owner="ana",
                      **kw)  # fmt: skip


def _ics(item: AgendaItem, sequence: int) -> Calendar:
    raw = item_calendar(item, "firm-1", sequence=sequence, summary="Satisfaction call",
                        description="Structure client", stamp=STAMP, organizer="ana@firm.es",
                        attendee="ana@firm.es")  # fmt: skip
    return Calendar.from_ical(raw)


def test_ics_parsed_back_with_a_stable_uid_and_increasing_sequence() -> None:
    item = _item()
    first = _ics(item, 0)
    assert str(first["METHOD"]) == "REQUEST" and str(first["VERSION"]) == "2.0"
    [event] = first.walk("VEVENT")
    assert event.decoded("DTSTART") == TODAY
    assert event.decoded("DTEND") == TODAY + dt.timedelta(days=1)
    assert str(event["SUMMARY"]) == "Satisfaction call" and int(event["SEQUENCE"]) == 0
    assert str(event["ORGANIZER"]) == "mailto:ana@firm.es"
    moved = dataclasses.replace(item, due=TODAY + dt.timedelta(days=3))
    [again] = _ics(moved, 1).walk("VEVENT")
    assert str(again["UID"]) == str(event["UID"]) == item_uid("firm-1", item)
    assert int(again["SEQUENCE"]) == 1
    assert item_uid("firm-2", item) != item_uid("firm-1", item)
    assert item_uid("firm-1", _item("C2")) != item_uid("firm-1", item)


def test_feed_lists_every_item() -> None:
    items = [_item("C1"), _item("C2", rule="image_call")]
    cal = Calendar.from_ical(feed([(i, i.name, "why", 0) for i in items], "firm-1", STAMP))
    assert str(cal["METHOD"]) == "PUBLISH"
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Client C1", "Client C2"]


def _record(done: list[LedgerEntry], todo: list) -> None:
    for p in todo:
        done.append(LedgerEntry(p.item.key, p.channel, p.fingerprint, p.sequence, STAMP))


def test_pending_sends_once_and_resends_only_what_changed() -> None:
    items = [_item("C1"), _item("C2"), _item("C3", due=TODAY + dt.timedelta(days=1))]
    ledger: list[LedgerEntry] = []
    first = pending(items, ledger, TODAY)
    assert [(p.item.client_id, p.channel, p.sequence) for p in first] == [
        ("C1", "email", 0),
        ("C1", "ics", 0),
        ("C2", "email", 0),
        ("C2", "ics", 0),
    ]
    # a crash after the first two sends: the rerun sends only the rest
    _record(ledger, first[:2])
    rerun = pending(items, ledger, TODAY)
    assert [(p.item.client_id, p.channel) for p in rerun] == [("C2", "email"), ("C2", "ics")]
    _record(ledger, rerun)
    assert pending(items, ledger, TODAY) == []  # run twice, sent once
    # the item changes (snoozed, reassigned): sent again with the next SEQUENCE
    changed = [dataclasses.replace(items[0], owner="luis"), *items[1:]]
    again = pending(changed, ledger, TODAY)
    assert [(p.item.client_id, p.channel, p.sequence) for p in again] == [
        ("C1", "email", 1),
        ("C1", "ics", 1),
    ]
    assert pending(items, ledger, TODAY + dt.timedelta(days=1))[0].item.client_id == "C3"


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _auth(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"ana", b"s3cret")
    return AuthResult(success=ok)


@pytest.fixture
def smtp() -> Iterator[tuple[_Inbox, int]]:
    inbox, port = _Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=_auth,
                            auth_require_tls=False)  # fmt: skip
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


FIG = Figures(client="Óptica Albaicín, S.L.", firm="Suministros Norte", sender="Ana Ruiz",
              contact="Eva", orders=14, revenue=48210.5, support_hours=38,
              next_review=dt.date(2027, 1, 22))  # fmt: skip
EXPECTED = {
    "es": ("¿Cómo va todo, Eva?",
           "Hola, Eva:\n\nQueremos saber si está satisfecho con nuestro servicio y si hay algo "
           "que podamos hacer mejor. Este año: 14 pedidos por 48.210,50\xa0€, 38 horas de "
           "soporte. Su próxima revisión: 22 ene 2027.\n\nUn saludo,\nAna Ruiz\n"
           "Suministros Norte\n"),
    "en": ("How is everything going, Eva?",
           "Hello Eva,\n\nWe would like to know whether you are happy with our service and "
           "whether there is anything we could do better. This year: 14 orders worth "
           "€48,210.50, 38 hours of support. Your next review: 22 Jan 2027.\n\nKind regards,\n"
           "Ana Ruiz\nSuministros Norte\n"),
}  # fmt: skip


def test_smtp_delivers_exact_messages_in_both_languages(smtp: tuple[_Inbox, int]) -> None:
    inbox, port = smtp
    settings = SmtpSettings(host="127.0.0.1", port=port, security="none", user="ana",
                            sender="ana@firm.es")  # fmt: skip
    ics = item_calendar(_item(), "firm-1", sequence=0, summary="s", description="d", stamp=STAMP)
    mails = [
        build_email(render("satisfaction_check", lang, FIG), sender=settings.sender,
                    sender_name="Ana Ruiz", to=f"eva.{lang}@client.es", ics=ics)
        for lang in ("es", "en")
    ]  # fmt: skip
    ids = send(mails, settings, environ={"CARTERA_SMTP_PASSWORD": "s3cret"})
    assert len(ids) == 2 and len(inbox.messages) == 2
    for (mail_from, rcpt, raw), lang in zip(inbox.messages, ("es", "en"), strict=True):
        assert mail_from == "ana@firm.es" and rcpt == [f"eva.{lang}@client.es"]
        got = email.message_from_bytes(raw, policy=policy.default)
        assert isinstance(got, EmailMessage)
        subject, body = EXPECTED[lang]
        assert got["Subject"] == subject and got["Content-Language"] == lang
        assert got["From"] == "Ana Ruiz <ana@firm.es>"
        text = got.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert text.replace("\r\n", "\n") == body  # SMTP carries CRLF line ends
        [attachment] = list(got.iter_attachments())
        assert attachment.get_content_type() == "text/calendar"
        assert str(Calendar.from_ical(attachment.get_content())["METHOD"]) == "REQUEST"


def test_smtp_password_only_from_the_environment_and_errors_are_clean(
    smtp: tuple[_Inbox, int],
) -> None:
    inbox, port = smtp
    settings = SmtpSettings(host="127.0.0.1", port=port, security="none", user="ana")
    mail = build_email(render("reactivation", "en", dataclasses.replace(
        FIG, last_order=dt.date(2026, 8, 1))), sender="a@b.es", to="c@d.es")  # fmt: skip
    with pytest.raises(ReminderError, match="CARTERA_SMTP_PASSWORD"):
        send([mail], settings, environ={})
    # smtplib retries a refused login with the next mechanism, which aiosmtpd leaves hanging:
    # a short timeout keeps the test quick; either way the error is a clean ReminderError.
    quick = settings.model_copy(update={"timeout": 2.0})
    with pytest.raises(ReminderError):
        send([mail], quick, environ={"CARTERA_SMTP_PASSWORD": "wrong"})
    closed = SmtpSettings(host="127.0.0.1", port=_free_port(), security="none", timeout=2)
    with pytest.raises(ReminderError):
        send([mail], closed, environ={})
    assert inbox.messages == []
    assert "password" not in SmtpSettings.model_fields


class _Refusing(_Inbox):
    """Refuses mail to one address (a server failing half-way through a run)."""

    def __init__(self, refuse: str) -> None:
        super().__init__()
        self.refuse = refuse

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: Any) -> str:  # fmt: skip
        if address == self.refuse:
            return "550 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_remind_twice_sends_once_and_a_crash_resends_nothing_sent() -> None:
    from cartera.assistant.reminders import deliver

    inbox, port = _Refusing("c2@client.es"), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = SmtpSettings(host="127.0.0.1", port=port, security="none")
        items = [_item("C1"), _item("C2"), _item("C3")]
        ledger: list[LedgerEntry] = []

        def compose(p: Any) -> EmailMessage:
            message = render("satisfaction_check", "en", FIG)
            return build_email(message, sender="a@firm.es",
                               to=f"{p.item.client_id.lower()}@client.es")  # fmt: skip

        with pytest.raises(ReminderError):
            deliver(pending(items, ledger, TODAY), compose, settings, ledger.append, STAMP)
        assert [e.key for e in ledger] == ["C1:structure_call"]  # sent before the failure
        inbox.refuse = ""
        sent = deliver(pending(items, ledger, TODAY), compose, settings, ledger.append, STAMP)
        assert sent == 2
        assert deliver(pending(items, ledger, TODAY), compose, settings, ledger.append, STAMP) == 0
        received = [rcpt for _f, rcpts, _raw in inbox.messages for rcpt in rcpts]
        assert received == ["c1@client.es", "c2@client.es", "c3@client.es"]
    finally:
        controller.stop()
