"""``cartera log``, ``cartera agenda --firm`` and ``cartera remind`` on a firm of the store."""

from __future__ import annotations

import datetime as dt
import email
import json
import socket
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar

from cartera.assistant.agenda import AgendaItem
from cartera.cli.app import run
from cartera.i18n import language
from cartera.store import followup as F
from cartera.store import open_store, people
from cartera.store.engine import database_url
from cartera.store.models import ScheduledItem


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory, demo_dir: Path) -> Iterator[Path]:
    """A data folder with firm ``alfa`` (the demo imported), Ana (owner, es), Bob (en)."""
    folder = tmp_path_factory.mktemp("followup")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("CARTERA_DATABASE_URL", raising=False)
        mp.setenv("CARTERA_PASSWORD", "correct horse battery")
        assert run(["user", "add", "ana@alfa.es", "--firm", "Alfa", "--data", str(folder)]) == 0
        assert run(["user", "add", "bob@alfa.es", "--firm", "alfa", "--role", "assistant",
                    "--data", str(folder)]) == 0  # fmt: skip
        files = [str(p) for p in sorted(demo_dir.glob("*.csv"))]
        assert run(["firm", "import", "alfa", *files, "--data", str(folder)]) == 0
        store = open_store(database_url(folder, env={}))
        with store.session() as s:
            bob = people.find_user(s, "bob@alfa.es")
            assert bob is not None
            bob.language = "en"
            s.commit()
        store.dispose()
        yield folder


@pytest.fixture(autouse=True)
def _no_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CARTERA_DATABASE_URL", raising=False)


def _agenda(data: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    capsys.readouterr()
    assert run(["agenda", "--firm", "alfa", "--format", "json", "--data", str(data), *extra]) == 0
    return dict(json.loads(capsys.readouterr().out))


def test_import_turned_the_activities_into_interactions_once(
    data: Path, demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store(database_url(data, env={}))
    try:
        with store.session() as s:
            before = len(F.firm_interactions(s, 1))
        assert before > 0
        files = [str(p) for p in sorted(demo_dir.glob("*.csv"))]
        assert run(["firm", "import", "alfa", *files, "--data", str(data)]) == 0
        with store.session() as s:
            assert len(F.firm_interactions(s, 1)) == before
            assert {r[8] for r in F.firm_interactions(s, 1)} == {None}  # no rule: imported
    finally:
        store.dispose()


def test_logged_call_resets_the_cadence_and_books_the_next_step(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _agenda(data, capsys)
    calls = [i for i in first["items"] if i["rule"] == "structure_call"]
    assert calls, "the demo has structure clients due a satisfaction call"
    target = calls[0]
    as_of = first["as_of"]
    capsys.readouterr()
    code = run(["log", target["client_id"], "--firm", "alfa", "--kind", "call",
                "--outcome", "contento", "--note", "Pide oferta", "--when", as_of,
                "--next-step", "Enviar oferta", "--next-on", as_of, "--by", "bob@alfa.es",
                "--data", str(data)])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0 and f"Registrado: llamada con {target['name']}" in out
    after = _agenda(data, capsys)
    keys = [i["key"] for i in after["items"]]
    assert target["key"] not in keys
    booked = [i for i in after["items"] if i["rule"] == "scheduled"]
    assert [(b["client_id"], b["action"], b["owner"]) for b in booked] == [
        (target["client_id"], "Enviar oferta", "bob@alfa.es")
    ]
    assert booked[0]["why"].startswith("Programado para el")
    mine = _agenda(data, capsys, "--owner", "bob@alfa.es")["items"]
    assert [i["key"] for i in mine] == [booked[0]["key"]]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["NADIE", "--firm", "alfa"], 2, "Cliente «NADIE» desconocido"),
        (["C00001", "--firm", "zeta"], 2, "Empresa desconocida «zeta»"),
        (["C00001", "--firm", "alfa", "--kind", "fax"], 2, "Tipo de interacción «fax»"),
        (["C00001", "--firm", "alfa", "--when", "31/02/2026"], 2, "--when «31/02/2026» no es"),
        (["C00001", "--firm", "alfa", "--by", "eve@x.es"], 2, "«eve@x.es» no es miembro"),
    ],
)
def test_log_errors_are_clear(
    data: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str
) -> None:
    capsys.readouterr()
    assert run(["log", *args, "--data", str(data)]) == code
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_agenda_needs_a_workspace_or_a_firm(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["agenda", "--data", str(data)]) == 2
    assert run(["agenda", str(tmp_path), "--firm", "alfa", "--data", str(data)]) == 2
    assert "carpeta de trabajo o bien --firm" in capsys.readouterr().err


class _Inbox:
    """Keeps every message; refuses mail to ``refuse`` (a server failing half-way)."""

    def __init__(self, refuse: str = "") -> None:
        self.refuse = refuse
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: Any) -> str:  # fmt: skip
        if address == self.refuse:
            return "550 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[_Inbox, int]]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _parsed(raw: bytes) -> EmailMessage:
    got = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(got, EmailMessage)
    return got


def test_remind_sends_once_per_item_in_each_language_and_resumes_after_a_failure(
    data: Path, tmp_path: Path, smtp: tuple[_Inbox, int], capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, port = smtp
    settings = tmp_path / "smtp.toml"
    settings.write_text(f'[assistant.smtp]\nhost = "127.0.0.1"\nport = {port}\n'
                        'security = "none"\nsender = "agenda@alfa.es"\n')  # fmt: skip
    due = [i for i in _agenda(data, capsys)["items"] if i["days_overdue"] > 0 or
           i["due"] <= _agenda(data, capsys)["as_of"]]  # fmt: skip
    cadence = [i for i in due if i["rule"] != "scheduled"]
    assert len(cadence) >= 3
    store = open_store(database_url(data, env={}))
    with store.session() as s:
        bob = people.find_user(s, "bob@alfa.es")
        assert bob is not None
        F.reassign_item(s, 1, cadence[1]["key"], bob.id, None)
        s.commit()
        booked = F.scheduled_items(s, 1)  # the next step booked for Bob: e-mailed too, last
        assert [b.summary for b in booked] == ["Enviar oferta"]
    store.dispose()
    base = ["remind", "--firm", "alfa", "--settings", str(settings), "--data", str(data)]
    capsys.readouterr()
    assert run([*base, "--dry-run"]) == 0
    assert f"{len(cadence) + 1} recordatorios por enviar" in capsys.readouterr().out
    assert run([*base, "--dry-run", "--limit", "2"]) == 0
    assert "2 recordatorios por enviar" in capsys.readouterr().out
    assert inbox.messages == []

    inbox.refuse = "bob@alfa.es"  # the second reminder fails: the first stays recorded
    assert run(base) == 1
    assert "bob@alfa.es" in capsys.readouterr().err
    assert len(inbox.messages) == 1
    inbox.refuse = ""
    assert run(base) == 0
    assert f"{len(cadence)} recordatorios enviados" in capsys.readouterr().out
    assert run(base) == 0
    assert "0 recordatorios enviados" in capsys.readouterr().out

    mails = [(rcpt, _parsed(raw)) for rcpt, raw in inbox.messages]
    assert len(mails) == len(cadence) + 1
    subjects = [m["Subject"] for _r, m in mails]
    assert len(set(subjects)) == len(subjects)  # nothing twice
    assert subjects[-1].startswith("Booked: Enviar oferta — ")
    to_bob = [m for rcpt, m in mails if rcpt == ["bob@alfa.es"] and m["Subject"] != subjects[-1]]
    assert len(to_bob) == 1 and to_bob[0]["Content-Language"] == "en"
    assert (
        to_bob[0]["Subject"] == f"Reminder: {_rule_en(cadence[1]['rule'])} — {cadence[1]['name']}"
    )
    to_ana = [m for rcpt, m in mails if rcpt == ["ana@alfa.es"]]
    assert len(to_ana) == len(cadence) - 1
    assert all(m["Subject"].startswith("Recordatorio: ") for m in to_ana)
    assert all(m["Content-Language"] == "es" for m in to_ana)
    [attachment] = list(to_bob[0].iter_attachments())
    cal = Calendar.from_ical(attachment.get_content())
    assert str(cal["METHOD"]) == "REQUEST"
    [event] = cal.walk("VEVENT")
    assert int(event["SEQUENCE"]) == 0 and str(event["UID"]).endswith("@cartera")


def _rule_en(rule: str) -> str:
    from cartera.assistant.texts import rule_label

    with language("en"):
        return rule_label(rule)


ITEM = AgendaItem(
    client_id="C7", name="Óptica Albaicín, S.L.", segment="structure", rule="structure_call",
    due=dt.date(2026, 10, 29), stake=48210.5, channel="phone", template="satisfaction_check",
    owner="ana", last_contact=dt.date(2026, 9, 1),
    params={"revenue": 48210.5, "cadence_days": 30},
)  # fmt: skip
EXPECTED = {
    "es": ("Recordatorio: Llamada de satisfacción — Óptica Albaicín, S.L.",
           "Llamada de satisfacción: Óptica Albaicín, S.L. (C7), para el 29 oct 2026 "
           "(3 días de retraso).\n\nPor qué: Cliente de estructura (48.210\xa0€ al año): una "
           "llamada de satisfacción cada 30 días; última conversación el 1 sept 2026 (hace 61 "
           "días).\nEn juego: 48.210\xa0€\nCanal: teléfono\n\nSuministros Norte · Cartera\n"),
    "en": ("Reminder: Satisfaction call — Óptica Albaicín, S.L.",
           "Satisfaction call: Óptica Albaicín, S.L. (C7), due 29 Oct 2026 (3 days late).\n\n"
           "Why: Structure client (€48,210 a year): a satisfaction call every 30 days; last "
           "conversation 1 Sept 2026 (61 days ago).\nAt stake: €48,210\nChannel: phone\n\n"
           "Suministros Norte · Cartera\n"),
}  # fmt: skip


@pytest.mark.parametrize("lang", ["es", "en"])
def test_reminder_message_exact_over_smtp(lang: str, smtp: tuple[_Inbox, int]) -> None:
    from cartera.assistant.reminders import send
    from cartera.assistant.settings import SmtpSettings
    from cartera.store.models import User
    from cartera.web.followup import reminder_mail

    inbox, port = smtp
    user = User(email=f"ana.{lang}@firm.es", language=lang, name="Ana", password_hash="x")
    mail = reminder_mail(
        ITEM, to=[user], firm="Suministros Norte", sender="agenda@firm.es", sequence=2,
        uid_firm="firm-1", today=dt.date(2026, 11, 1), currency="EUR",
        stamp=dt.datetime(2026, 11, 1, 8, tzinfo=dt.UTC),
    )  # fmt: skip
    send([mail], SmtpSettings(host="127.0.0.1", port=port, security="none"), environ={})
    [(rcpt, raw)] = inbox.messages
    got = _parsed(raw)
    assert rcpt == [f"ana.{lang}@firm.es"] and got["Content-Language"] == lang
    subject, body = EXPECTED[lang]
    assert got["Subject"] == subject
    text = got.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert text.replace("\r\n", "\n") == body
    ics = next(got.iter_attachments()).get_payload(decode=True)  # UTF-8, RFC 5545's default
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    assert int(event["SEQUENCE"]) == 2 and str(event["SUMMARY"]) == subject


def test_demo_firm_first_week_lists_the_planted_situations(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a fresh demo firm, ``agenda --firm`` (the store's log) lists what the workspace
    agenda lists (tests/assistant/test_agenda_cli.py checks those rules against the planted
    kinds) and each planted situation is there with its why."""
    import polars as pl

    from cartera.demo import write_demo

    truth = write_demo(tmp_path / "again", clients=80, lines=4000, seed=7).truth
    kind = dict(zip(truth["client_id"].to_list(), truth["kind"].to_list(), strict=True))
    folder = tmp_path / "fresh"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CARTERA_PASSWORD", "correct horse battery")
        assert run(["user", "add", "ana@alfa.es", "--firm", "Alfa", "--data", str(folder)]) == 0
    files = [str(p) for p in sorted(demo_dir.glob("*.csv"))]
    assert run(["firm", "import", "alfa", *files, "--data", str(folder)]) == 0
    assert run(["import", *files, "--into", str(tmp_path / "ws")]) == 0
    firm = _agenda(folder, capsys, "--lang", "en")
    capsys.readouterr()
    assert run(["agenda", str(tmp_path / "ws"), "--format", "json", "--lang", "en"]) == 0
    workspace = json.loads(capsys.readouterr().out)
    assert firm["as_of"] == workspace["as_of"]
    assert [i["key"] for i in firm["items"]] == [i["key"] for i in workspace["items"]]
    assert [i["why"] for i in firm["items"]] == [i["why"] for i in workspace["items"]]
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for item in firm["items"]:
        by_rule.setdefault(item["rule"], []).append(item)
    dunning = [i for r, v in by_rule.items() if r.startswith("dunning_") for i in v]
    assert any(kind[i["client_id"]] == "slow_payer" for i in dunning)
    assert all("days past due" in i["why"] for i in dunning)
    assert by_rule["margin_reactivation"]
    assert {kind[i["client_id"]] for i in by_rule["margin_reactivation"]} == {"margin"}
    assert {kind[i["client_id"]] for i in by_rule["structure_call"]} == {"structure"}
    image = {c for c, k in kind.items() if k == "image"}
    assert {i["client_id"] for i in by_rule["image_reference"]} == image
    assert by_rule["declining_call"]
    assert all(i["why"].startswith("Sales fell from") for i in by_rule["declining_call"])
    assert pl.Series([i["stake"] for i in firm["items"]]).is_sorted(descending=True)


def test_firm_import_saves_the_assistant_settings_remind_uses(
    data: Path, demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cartera.web.followup import assistant_settings

    good = tmp_path / "good.toml"
    good.write_text('[assistant.smtp]\nhost = "mail.alfa.es"\nport = 465\nsecurity = "tls"\n'
                    'user = "agenda"\n[assistant]\nstructure_call_days = 20\n')  # fmt: skip
    bad = tmp_path / "bad.toml"
    bad.write_text("[assistant]\nstructure_call_days = 0\n")
    files = [str(p) for p in sorted(demo_dir.glob("*.csv"))]
    assert run(["firm", "import", "alfa", *files, "--settings", str(bad), "--data", str(data)]) == 2
    assert "structure_call_days" in capsys.readouterr().err
    assert (
        run(["firm", "import", "alfa", *files, "--settings", str(good), "--data", str(data)]) == 0
    )
    store = open_store(database_url(data, env={}))
    try:
        with store.session() as s:
            settings = assistant_settings(s, 1)
            assert (settings.smtp.host, settings.smtp.port, settings.smtp.user) == (
                "mail.alfa.es", 465, "agenda")  # fmt: skip
            assert settings.structure_call_days == 20
    finally:
        store.dispose()


def test_remind_sends_booked_items_once_with_their_invitation(
    data: Path, tmp_path: Path, smtp: tuple[_Inbox, int], capsys: pytest.CaptureFixture[str]
) -> None:
    """A booked meeting goes to its owner as soon as it is booked (not on its day), with its
    own .ics (the UID and SEQUENCE of the calendar feed); a change goes once more."""
    inbox, port = smtp
    settings = tmp_path / "smtp.toml"
    settings.write_text(f'[assistant.smtp]\nhost = "127.0.0.1"\nport = {port}\n'
                        'security = "none"\nsender = "agenda@alfa.es"\n')  # fmt: skip
    base = ["remind", "--firm", "alfa", "--settings", str(settings), "--data", str(data)]
    assert run(base) == 0  # what the other tests left pending goes first
    inbox.messages.clear()
    store = open_store(database_url(data, env={}))
    with store.session() as s:
        ana, bob = people.find_user(s, "ana@alfa.es"), people.find_user(s, "bob@alfa.es")
        assert ana is not None and bob is not None
        bob_id = bob.id
        item = F.add_scheduled_item(
            s, 1, subject_kind="prospect", subject_id="P0042", subject_name="Ferretería Sol, S.L.",
            due=dt.date(2027, 1, 14), at=dt.datetime(2027, 1, 14, 9, 30, tzinfo=dt.UTC),
            kind="meeting", summary="Reunión de presentación", owner_user_id=ana.id,
            source="campaign:3",
        )  # fmt: skip
        s.commit()
        item_id, uid = item.id, item.calendar_uid

    def sent_now() -> list[tuple[list[str], EmailMessage]]:
        got = [(rcpt, _parsed(raw)) for rcpt, raw in inbox.messages]
        inbox.messages.clear()
        return got

    def event_of(mail: EmailMessage) -> Any:
        [attachment] = list(mail.iter_attachments())
        cal = Calendar.from_ical(attachment.get_payload(decode=True))
        assert str(cal["METHOD"]) == "REQUEST"
        [event] = cal.walk("VEVENT")
        return event

    try:
        capsys.readouterr()
        assert run(base) == 0
        assert "1 recordatorios enviados" in capsys.readouterr().out
        [(rcpt, mail)] = sent_now()
        assert rcpt == ["ana@alfa.es"] and mail["Content-Language"] == "es"
        assert mail["Subject"] == "Cita: Reunión de presentación — Ferretería Sol, S.L."
        assert mail.get_body(("plain",)).get_content().replace("\r\n", "\n") == (  # type: ignore[union-attr]
            "Reunión de presentación: Ferretería Sol, S.L. (P0042), 14 ene 2027 09:30 UTC.\n"
            "Reservada por: campaña de estudio 3.\n\nAlfa · Cartera\n"
        )
        event = event_of(mail)
        assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 0
        assert event.decoded("DTSTART") == dt.datetime(2027, 1, 14, 9, 30, tzinfo=dt.UTC)
        assert str(event["ATTENDEE"]) == "mailto:ana@alfa.es"

        assert run(base) == 0  # nothing changed: nothing sent
        assert "0 recordatorios enviados" in capsys.readouterr().out and sent_now() == []

        with store.session() as s:  # moved, and handed to Bob: sent again, once, in English
            row = s.get(ScheduledItem, item_id)
            assert row is not None
            moved = dt.datetime(2027, 1, 14, 11, 0, tzinfo=dt.UTC)
            F.update_scheduled_item(s, row, {"at": moved, "owner_user_id": bob_id})
            s.commit()
        assert run(base) == 0 and run(base) == 0
        [(rcpt, mail)] = sent_now()
        assert rcpt == ["bob@alfa.es"] and mail["Content-Language"] == "en"
        assert mail["Subject"] == "Booked: Reunión de presentación — Ferretería Sol, S.L."
        assert mail.get_body(("plain",)).get_content().replace("\r\n", "\n") == (  # type: ignore[union-attr]
            "Reunión de presentación: Ferretería Sol, S.L. (P0042), 14 Jan 2027 11:00 UTC.\n"
            "Booked by: study campaign 3.\n\nAlfa · Cartera\n"
        )
        event = event_of(mail)
        assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1
    finally:
        with store.session() as s:
            row = s.get(ScheduledItem, item_id)
            assert row is not None
            row.done_at = dt.datetime.now(dt.UTC)
            s.commit()
        store.dispose()
