"""The follow-up assistant's settings on the firm Settings page: shown with defaults and
reasons, saved, read back by the assistant, refused per field, and closed to other roles."""

from __future__ import annotations

import re

import pytest
from web_helpers import FirmApp

from cartera.store import followup as F
from cartera.store import people
from cartera.web.followup import assistant_settings


def _stored(fa: FirmApp) -> dict[str, object]:
    with fa.app.state.cartera.store.session() as s:
        firm = people.firm_by_slug(s, "alfa")
        assert firm is not None
        return F.assistant_values(s, firm.id)


def _value(html: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    assert match, name
    return match.group(1)


def test_page_shows_the_assistant_settings_with_defaults_and_reasons(firm_app: FirmApp) -> None:
    client, csrf = firm_app.as_role("owner")
    html = client.get("/f/alfa/settings").text
    assert "Asistente de seguimiento: cadencias por segmento" in html
    assert _value(html, "assistant.structure_call_days") == "30"
    assert "30: mensual, porque la empresa depende de ellos" in html  # the reason, in Spanish
    assert _value(html, "assistant.dunning.3.days") == "60"
    assert _value(html, "assistant.health.payment") == "0.2"
    assert _value(html, "assistant.smtp.port") == "587"
    assert "password_env" in html and 'assistant.smtp.password"' not in html
    client.post("/language", data={"lang": "en", "next": "/f/alfa/", "csrf_token": csrf})
    try:
        html = client.get("/f/alfa/settings").text
        assert "Follow-up assistant: cadences by segment" in html
        assert "30: monthly, because the firm depends on them" in html
        assert "Default: 587" in html
    finally:
        client.post("/language", data={"lang": "es", "next": "/f/alfa/", "csrf_token": csrf})


def test_save_and_reload(firm_app: FirmApp) -> None:
    client, csrf = firm_app.as_role("analyst")
    form = {
        "csrf_token": csrf,
        "assistant.structure_call_days": "21",
        "assistant.dunning.1.days": "20",
        "assistant.dunning.2.channel": "email",
        "assistant.health.satisfaction": "0,3",  # a Spanish decimal comma
        "assistant.health.recency": "0,2",
        "assistant.smtp.host": "smtp.alfa.es",
        "assistant.smtp.security": "tls",
        "assistant.smtp.port": "465",
        "assistant.smtp.user": "avisos@alfa.es",
        "assistant.holidays": "2026-12-24, 2026-12-31",
        "assistant.business_days": "false",
    }
    try:
        r = client.post("/f/alfa/settings", data=form)
        assert r.status_code == 200 and "Ajustes guardados" in r.text
        stored = _stored(firm_app)
        assert stored["structure_call_days"] == 21
        assert stored["smtp"] == {"host": "smtp.alfa.es", "port": 465, "security": "tls",
                                  "user": "avisos@alfa.es"}  # fmt: skip
        assert stored["health"] == {"satisfaction": 0.3, "recency": 0.2}
        with firm_app.app.state.cartera.store.session() as s:
            firm = people.firm_by_slug(s, "alfa")
            assert firm is not None
            settings = assistant_settings(s, firm.id)
        assert [lv.days for lv in settings.dunning] == [1, 20, 30, 60]
        assert settings.dunning[2].channel == "email" and not settings.business_days
        assert [d.isoformat() for d in settings.holidays] == ["2026-12-24", "2026-12-31"]
        html = client.get("/f/alfa/settings").text  # reload: the page shows what was saved
        assert _value(html, "assistant.structure_call_days") == "21"
        assert _value(html, "assistant.smtp.host") == "smtp.alfa.es"
        assert _value(html, "assistant.holidays") == "2026-12-24, 2026-12-31"
        assert re.search(r'<option value="tls" selected>', html)
        # the user left empty: no login again
        client.post("/f/alfa/settings", data={"csrf_token": csrf, "assistant.smtp.user": ""})
        assert "user" not in _stored(firm_app)["smtp"]  # type: ignore[operator]
    finally:
        client.post("/f/alfa/settings", data={
            "csrf_token": csrf, "assistant.structure_call_days": "30",
            "assistant.dunning.1.days": "15", "assistant.dunning.2.channel": "phone",
            "assistant.health.satisfaction": "0.25", "assistant.health.recency": "0.25",
            "assistant.smtp.host": "localhost", "assistant.smtp.security": "starttls",
            "assistant.smtp.port": "587", "assistant.smtp.user": "", "assistant.holidays": "",
            "assistant.business_days": "true"})  # fmt: skip
    assert _stored(firm_app) == {}


def test_invalid_value_refused_with_the_field_named(firm_app: FirmApp) -> None:
    client, csrf = firm_app.as_role("owner")
    before = _stored(firm_app)
    r = client.post("/f/alfa/settings", data={
        "csrf_token": csrf, "assistant.smtp.port": "70000", "assistant.structure_call_days": "21",
        "fixed_costs": "1000"})  # fmt: skip
    assert r.status_code == 422
    error = re.search(r'<p id="e-assistant.smtp.port" class="alert field-error" role="alert">'
                      r"([^<]*)</p>", r.text)  # fmt: skip
    assert error is not None
    expected = "assistant.smtp.port «70000»: se esperaba un número entero de 1 a 65.535"
    assert error.group(1) == expected
    assert _value(r.text, "assistant.smtp.port") == "70000"  # what the user typed stays
    assert _stored(firm_app) == before  # nothing saved, the valid fields neither
    # a check across fields: on top of the page, in the user's language
    r = client.post("/f/alfa/settings", data={"csrf_token": csrf,
                                               "assistant.health.payment": "0.5"})  # fmt: skip
    assert r.status_code == 422
    assert "assistant.health: los pesos suman 1,3, no 1." in r.text
    r = client.post("/f/alfa/settings", data={"csrf_token": csrf,
                                               "assistant.dunning.0.days": "0"})  # fmt: skip
    assert r.status_code == 422 and 'id="e-assistant.dunning.0.days"' in r.text
    assert _stored(firm_app) == before


@pytest.mark.parametrize("role", ["viewer", "assistant"])
def test_other_roles_refused(firm_app: FirmApp, role: str) -> None:
    client, csrf = firm_app.as_role(role)
    assert client.get("/f/alfa/settings").status_code == 403
    r = client.post("/f/alfa/settings", data={"csrf_token": csrf,
                                               "assistant.structure_call_days": "5"})  # fmt: skip
    assert r.status_code == 403
    assert _stored(firm_app).get("structure_call_days") is None
