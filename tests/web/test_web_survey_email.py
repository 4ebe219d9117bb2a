"""Sending a survey link by e-mail from the client page: offered only with a mail server and
a client address, sent in the link's language through SMTP, logged, and never twice."""

from __future__ import annotations

import datetime as dt
import email
import re
import socket
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from web_helpers import FirmApp

from cartera.assistant import surveys
from cartera.i18n import fmt_date, language
from cartera.store import followup as F
from cartera.store import people

CLIENT = "C00001"
ADDRESS = "e.soler@logistvega.es"  # the demo's (seed 7) e-mail of C00001


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        mail = email.message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(mail, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), mail))
        return "250 OK"


@pytest.fixture
def inbox(firm_app: FirmApp) -> Iterator[_Inbox]:
    """A local SMTP server, saved as alfa's mail server (and forgotten afterwards)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    box = _Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    owner, csrf = firm_app.as_role("owner")
    smtp = {"assistant.smtp.host": "127.0.0.1", "assistant.smtp.port": str(port),
            "assistant.smtp.security": "none",
            "assistant.smtp.sender": "encuestas@alfa.es"}  # fmt: skip
    assert owner.post("/f/alfa/settings", data={"csrf_token": csrf, **smtp}).status_code == 200
    try:
        yield box
    finally:
        controller.stop()
        defaults = {"assistant.smtp.host": "localhost", "assistant.smtp.port": "587",
                    "assistant.smtp.security": "starttls",
                    "assistant.smtp.sender": "cartera@localhost"}  # fmt: skip
        owner.post("/f/alfa/settings", data={"csrf_token": csrf, **defaults})


def _issue(fa: FirmApp, lang: str, client_id: str = CLIENT) -> tuple[str, str]:
    client, csrf = fa.as_role("assistant")
    r = client.post(f"/f/alfa/clients/{client_id}/survey",
                    data={"csrf_token": csrf, "scale": "csat", "lang": lang})  # fmt: skip
    assert r.status_code == 200
    found = re.search(r'name="token" value="([^"]+)"', r.text)
    return (found.group(1) if found else ""), r.text


def _expiry(fa: FirmApp, token: str) -> dt.date:
    with fa.app.state.cartera.store.session() as s:
        row = F.survey_token(s, surveys.hash_token(token))
        assert row is not None
        return row.expires_at.date()


def _survey_log(fa: FirmApp) -> list[tuple[str, str | None, str | None]]:
    with fa.app.state.cartera.store.session() as s:
        firm = people.firm_by_slug(s, "alfa")
        assert firm is not None
        rows = F.client_interactions(s, firm.id, CLIENT)
        return [
            (r.kind, r.outcome, r.note) for r in rows if (r.outcome or "").startswith("survey_")
        ]


def test_no_mail_server_no_offer(firm_app: FirmApp) -> None:
    token, html = _issue(firm_app, "es")
    assert token == "" and 'id="survey-email"' not in html and "mailto:" in html


def test_send_in_spanish_once_and_logged(firm_app: FirmApp, inbox: _Inbox) -> None:
    token, html = _issue(firm_app, "es")
    assert f"Enviarlo por correo a {ADDRESS}" in html
    client, csrf = firm_app.as_role("assistant")
    url = f"/f/alfa/clients/{CLIENT}/survey/email"
    before = len(_survey_log(firm_app))
    r = client.post(url, data={"csrf_token": csrf, "token": token})
    assert r.status_code == 200
    assert f"Enlace de encuesta enviado por correo a {ADDRESS}." in r.text
    ((to, mail),) = inbox.messages
    assert to == [ADDRESS] and mail["To"] == ADDRESS and mail["From"] == "encuestas@alfa.es"
    assert mail["Subject"] == "Una pregunta sobre nuestro servicio"
    assert mail["Content-Language"] == "es"
    with language("es"):
        until = fmt_date(_expiry(firm_app, token))
    body = mail.get_content().replace("\r\n", "\n")  # CRLF on the wire
    assert body == (
        "¿Nos dice qué tal lo estamos haciendo? Son diez segundos: "
        f"http://testserver/survey/alfa/{token}\n\n"
        f"El enlace sirve una vez, hasta el {until}.\n\nAlfa\n"
    )
    log = _survey_log(firm_app)
    assert len(log) == before + 1
    note = f"Enlace de encuesta (CSAT) enviado por correo a {ADDRESS}."
    assert ("email", "survey_sent:csat", note) in log
    # a second click, a reload: nothing more is sent or logged
    r = client.post(url, data={"csrf_token": csrf, "token": token})
    assert r.status_code == 200 and "Este enlace de encuesta ya se envió por correo." in r.text
    assert len(inbox.messages) == 1 and len(_survey_log(firm_app)) == before + 1


def test_send_in_english(firm_app: FirmApp, inbox: _Inbox) -> None:
    token, _html = _issue(firm_app, "en")  # the staff reads Spanish; the client, English
    client, csrf = firm_app.as_role("assistant")
    r = client.post(f"/f/alfa/clients/{CLIENT}/survey/email",
                    data={"csrf_token": csrf, "token": token})  # fmt: skip
    assert r.status_code == 200
    ((_to, mail),) = inbox.messages
    assert mail["Subject"] == "A question about our service"
    with language("en"):
        until = fmt_date(_expiry(firm_app, token))
    assert mail.get_content().replace("\r\n", "\n") == (
        "Could you tell us how we are doing? It takes ten seconds: "
        f"http://testserver/survey/alfa/{token}\n\n"
        f"The link works once, until {until}.\n\nAlfa\n"
    )


def test_refusals(firm_app: FirmApp, inbox: _Inbox) -> None:
    token, _html = _issue(firm_app, "es")
    client, csrf = firm_app.as_role("assistant")
    # another client's address for this link: unknown link
    r = client.post(
        "/f/alfa/clients/C00002/survey/email", data={"csrf_token": csrf, "token": token}
    )
    assert r.status_code == 404
    viewer, vcsrf = firm_app.as_role("viewer")
    r = viewer.post(f"/f/alfa/clients/{CLIENT}/survey/email",
                    data={"csrf_token": vcsrf, "token": token})  # fmt: skip
    assert r.status_code == 403
    other, ocsrf = firm_app.as_role("other")
    r = other.post(f"/f/beta/clients/{CLIENT}/survey/email",
                   data={"csrf_token": ocsrf, "token": token})  # fmt: skip
    assert r.status_code == 404
    assert inbox.messages == []


def test_a_refused_send_can_be_retried(firm_app: FirmApp, inbox: _Inbox) -> None:
    owner, ocsrf = firm_app.as_role("owner")
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        closed = str(sock.getsockname()[1])
    page = owner.get("/f/alfa/settings").text
    port = re.search(r'name="assistant.smtp.port" value="(\d+)"', page)
    assert port is not None
    owner.post("/f/alfa/settings", data={"csrf_token": ocsrf, "assistant.smtp.port": closed})
    token, _html = _issue(firm_app, "es")
    client, csrf = firm_app.as_role("assistant")
    url = f"/f/alfa/clients/{CLIENT}/survey/email"
    r = client.post(url, data={"csrf_token": csrf, "token": token})
    assert r.status_code == 502 and f"El servidor de correo 127.0.0.1:{closed}" in r.text
    owner.post("/f/alfa/settings", data={"csrf_token": ocsrf, "assistant.smtp.port": port[1]})
    r = client.post(url, data={"csrf_token": csrf, "token": token})  # the claim was dropped
    assert r.status_code == 200 and len(inbox.messages) == 1
