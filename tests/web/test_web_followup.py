"""The follow-up pages and API: agenda (done, snooze, reassign, export, .ics, feed),
a client's interactions with history, surveys by tokenised link, roles and firms."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import polars as pl
import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from web_helpers import FirmApp

from cartera.assistant.texts import ROW_COLUMNS
from cartera.i18n import fmt_date
from cartera.store import people
from cartera.store.models import SurveyToken
from cartera.store.secrets import hash_token

TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()


def _agenda(client: TestClient, **params: str) -> dict[str, Any]:
    r = client.get("/f/alfa/agenda", params={"format": "json", "per_page": "500", **params})
    assert r.status_code == 200, r.text[:500]
    return dict(r.json())


def _client(client: TestClient, client_id: str) -> dict[str, Any]:
    r = client.get(f"/f/alfa/clients/{client_id}?format=json")
    assert r.status_code == 200, r.text[:500]
    return dict(r.json()["follow_up"])


def _user_id(firm_app: FirmApp, email: str) -> int:
    with firm_app.app.state.cartera.store.session() as s:
        user = people.find_user(s, email)
        assert user is not None
        return user.id


def test_agenda_page_lists_items_ranked_with_why_and_exports(firm_app: FirmApp) -> None:
    client, _csrf = firm_app.as_role("viewer")
    data = _agenda(client)
    items = data["items"]
    assert items and all(i["why"] and i["action"] and i["due"] for i in items)
    stakes = [i["stake"] for i in items]
    assert stakes == sorted(stakes, reverse=True)
    html = client.get("/f/alfa/agenda").text
    assert items[0]["name"] in html and items[0]["why"] in html
    assert "Hecha: registrarla" not in html  # a viewer reads only
    start, end = (dt.date.fromisoformat(data[k]) for k in ("week_start", "week_end"))
    assert f"Del {fmt_date(start, 'es')} al {fmt_date(end, 'es')}" in html  # dates as words
    csv = client.get("/f/alfa/agenda/export?format=csv")
    assert csv.status_code == 200 and csv.text.splitlines()[0] == ",".join(ROW_COLUMNS)
    assert len(csv.text.splitlines()) == len(items) + len(data["booked"]) + 1
    xlsx = client.get("/f/alfa/agenda/export?format=xlsx")
    frame = pl.read_excel(io.BytesIO(xlsx.content))
    assert frame.columns == list(ROW_COLUMNS) and frame.height == len(items) + len(data["booked"])
    client.cookies.set("cartera_lang", "en")
    try:
        english = _agenda(client)
    finally:
        client.cookies.delete("cartera_lang")
    assert english["items"][0]["key"] == items[0]["key"]
    assert english["items"][0]["why"] != items[0]["why"]


def test_agenda_pages(firm_app: FirmApp) -> None:
    client, _csrf = firm_app.as_role("viewer")
    everything = _agenda(client)
    first = client.get("/f/alfa/agenda?format=json&per_page=10").json()
    second = client.get("/f/alfa/agenda?format=json&per_page=10&page=2").json()
    assert first["total"] == second["total"] == len(everything["items"]) + len(everything["booked"])
    assert first["pages"] == -(-len(everything["items"]) // 10)
    keys = [i["key"] for i in first["items"] + second["items"]]
    assert keys == [i["key"] for i in everything["items"][:20]]
    assert client.get("/f/alfa/agenda?per_page=5").status_code == 422


def test_viewer_cannot_change_anything(firm_app: FirmApp) -> None:
    client, csrf = firm_app.as_role("viewer")
    key = _agenda(client)["items"][0]["key"]
    form = {"key": key, "csrf_token": csrf}
    assert client.post("/f/alfa/agenda/done", data=form).status_code == 403
    assert client.post("/f/alfa/agenda/snooze", data={**form, "until": TOMORROW}).status_code == 403
    r = client.post("/f/alfa/clients/C00001/interactions",
                    data={"kind": "call", "when": "2026-10-01", "csrf_token": csrf})  # fmt: skip
    assert r.status_code == 403
    r = client.post("/f/alfa/clients/C00001/survey",
                    data={"scale": "csat", "lang": "es", "csrf_token": csrf})  # fmt: skip
    assert r.status_code == 403


def test_csrf_is_needed_to_change(firm_app: FirmApp) -> None:
    client, _csrf = firm_app.as_role("assistant")
    key = _agenda(client)["items"][0]["key"]
    assert client.post("/f/alfa/agenda/done", data={"key": key}).status_code == 403
    assert (
        client.post("/f/alfa/agenda/done", data={"key": key, "csrf_token": "x"}).status_code == 403
    )


def test_done_logs_the_call_and_moves_the_next_contact(firm_app: FirmApp) -> None:
    client, csrf = firm_app.as_role("assistant")
    item = next(i for i in _agenda(client)["items"] if i["rule"] != "scheduled")
    before = _client(client, item["client_id"])
    r = client.post("/f/alfa/agenda/done", data={"key": item["key"], "kind": "call",
                    "outcome": "contento", "note": "Todo bien", "csrf_token": csrf},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and r.headers["location"] == "/f/alfa/agenda"
    assert item["key"] not in [i["key"] for i in _agenda(client)["items"]]
    after = _client(client, item["client_id"])
    logged = after["interactions"][0]
    assert (logged["kind"], logged["outcome"], logged["note"], logged["rule"], logged["who"]) == (
        "call", "contento", "Todo bien", item["rule"], "assistant@alfa.es",
    )  # fmt: skip
    assert logged["source"] == "agenda"
    assert after["next_contact"] != before["next_contact"]
    assert after["next_contact"] is None or after["next_contact"] > before["next_contact"]


def test_snooze_and_reassign(firm_app: FirmApp) -> None:
    client, csrf = firm_app.as_role("analyst")
    items = [i for i in _agenda(client)["items"] if i["rule"] != "scheduled"]
    first, second = items[0], items[1]
    r = client.post("/f/alfa/agenda/snooze", data={"key": first["key"], "until": TOMORROW,
                                                   "csrf_token": csrf})  # fmt: skip
    assert r.status_code == 200  # followed to the agenda
    assert first["key"] not in [i["key"] for i in _agenda(client)["items"]]
    later = _agenda(client, week=TOMORROW)["items"]
    snoozed = next(i for i in later if i["key"] == first["key"])
    assert (snoozed["status"], snoozed["due"]) == ("snoozed", TOMORROW)
    past = {"key": second["key"], "until": "2020-01-01", "csrf_token": csrf}
    assert client.post("/f/alfa/agenda/snooze", data=past).status_code == 422
    viewer_id = _user_id(firm_app, "viewer@alfa.es")
    r = client.post("/f/alfa/agenda/reassign", data={"key": second["key"], "owner_id": viewer_id,
                                                     "csrf_token": csrf})  # fmt: skip
    assert r.status_code == 200
    mine = _agenda(client, owner="viewer@alfa.es")["items"]
    assert second["key"] in [i["key"] for i in mine]
    assert all(i["owner"] == "viewer@alfa.es" for i in mine)
    stranger = _user_id(firm_app, "owner@beta.es")
    r = client.post("/f/alfa/agenda/reassign", data={"key": second["key"], "owner_id": stranger,
                                                     "csrf_token": csrf})  # fmt: skip
    assert r.status_code == 422
    for key in ("NOBODY:structure_call", "scheduled:99999999999999999999", "scheduled:x"):
        r = client.post("/f/alfa/agenda/done", data={"key": key, "csrf_token": csrf})
        assert r.status_code == 404, key
        assert client.get("/f/alfa/agenda/item.ics", params={"key": key}).status_code == 404


def test_item_ics_and_the_personal_feed(firm_app: FirmApp) -> None:
    client, csrf = firm_app.as_role("owner")
    item = _agenda(client)["items"][0]
    r = client.get("/f/alfa/agenda/item.ics", params={"key": item["key"]})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    cal = Calendar.from_ical(r.content)
    [event] = cal.walk("VEVENT")
    assert str(cal["METHOD"]) == "REQUEST" and str(event["UID"]).endswith("@cartera")
    again = Calendar.from_ical(client.get("/f/alfa/agenda/item.ics",
                                          params={"key": item["key"]}).content)  # fmt: skip
    assert str(again.walk("VEVENT")[0]["UID"]) == str(event["UID"])  # stable
    # a feed for the owner, whose items are those reassigned to them
    owner_id = _user_id(firm_app, "owner@alfa.es")
    client.post("/f/alfa/agenda/reassign", data={"key": item["key"], "owner_id": owner_id,
                                                 "csrf_token": csrf})  # fmt: skip
    page = client.post("/f/alfa/agenda/feed", data={"csrf_token": csrf}).text
    url = page.split('id="feed-url">')[1].split("<")[0]
    anonymous = TestClient(firm_app.app)
    feed = anonymous.get(url.replace("http://testserver", ""))
    assert feed.status_code == 200
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")]
    assert any(item["name"] in s for s in summaries)
    client.post("/f/alfa/agenda/feed", data={"csrf_token": csrf})  # a new address
    assert anonymous.get(url.replace("http://testserver", "")).status_code == 404
    assert anonymous.get("/calendar/cal_not-a-token").status_code == 404


def test_interactions_added_edited_with_history(firm_app: FirmApp) -> None:
    client, csrf = firm_app.as_role("assistant")
    r = client.post("/f/alfa/clients/C00002/interactions", data={
        "kind": "visit", "when": "2026-12-20", "outcome": "pedido", "note": "Visita",
        "next_step": "Llamar en enero", "csrf_token": csrf}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    row = _client(client, "C00002")["interactions"][0]
    assert (row["kind"], row["when"], row["outcome"], row["who"]) == (
        "visit", "2026-12-20", "pedido", "assistant@alfa.es")  # fmt: skip
    edit = f"/f/alfa/clients/C00002/interactions/{row['id']}"
    owner, owner_csrf = firm_app.as_role("owner")
    r = owner.post(edit, data={"kind": "visit", "when": "2026-12-20", "outcome": "pedido grande",
                               "note": "Visita", "next_step": "Llamar en enero",
                               "csrf_token": owner_csrf})  # fmt: skip
    assert r.status_code == 200
    row = _client(client, "C00002")["interactions"][0]
    assert row["outcome"] == "pedido grande"
    assert [(h["who"], h["changes"]) for h in row["history"]] == [
        ("owner@alfa.es", {"outcome": ["pedido", "pedido grande"]})
    ]
    html = client.get("/f/alfa/clients/C00002").text
    assert "pedido grande" in html and "Editar e historial" in html
    assert "Resultado: «pedido» → «pedido grande»" in html
    r = client.post("/f/alfa/clients/C00003/interactions/" + str(row["id"]),
                    data={"kind": "call", "when": "2026-10-20", "csrf_token": csrf})  # fmt: skip
    assert r.status_code == 404  # not this client's
    r = client.post("/f/alfa/clients/NOBODY/interactions",
                    data={"kind": "call", "when": "2026-10-20", "csrf_token": csrf})  # fmt: skip
    assert r.status_code == 404


def _survey_link(firm_app: FirmApp, client_id: str, scale: str, lang: str) -> str:
    client, csrf = firm_app.as_role("assistant")
    r = client.post(f"/f/alfa/clients/{client_id}/survey",
                    data={"scale": scale, "lang": lang, "csrf_token": csrf})  # fmt: skip
    assert r.status_code == 200
    url = r.text.split('id="survey-url">')[1].split("<")[0]
    assert client_id not in url
    return url.replace("http://testserver", "")


def test_survey_answer_changes_the_health_score(firm_app: FirmApp) -> None:
    client, _csrf = firm_app.as_role("viewer")
    before = _client(client, "C00004")["health"]
    url = _survey_link(firm_app, "C00004", "csat", "en")
    public = TestClient(firm_app.app)
    form = public.get(url)
    assert form.status_code == 200 and "How satisfied are you" in form.text
    assert 'lang="en"' in form.text
    answered = public.post(url, data={"score": "1", "note": "Slow deliveries"})
    assert answered.status_code == 200 and "Thank you!" in answered.text
    after = _client(client, "C00004")
    parts = {p["part"]: p["points"] for p in after["health"]["parts"]}
    old = {p["part"]: p["points"] for p in before["parts"]}
    assert parts["satisfaction"] == 0.0 < old["satisfaction"]
    assert after["health"]["score"] < before["score"]
    assert round(sum(parts.values()), 2) == after["health"]["score"]
    moved = {m["part"]: m["change"] for m in after["health"]["moved"]}
    assert moved["satisfaction"] == pytest.approx(-old["satisfaction"])  # unknown 0.5 → 0
    html = client.get("/f/alfa/clients/C00004").text
    assert "Cambios por las interacciones de los últimos 30 días" in html
    survey = after["interactions"][0]
    assert (survey["kind"], survey["outcome"], survey["note"]) == ("survey", "csat:1",
                                                                  "Slow deliveries")  # fmt: skip
    again = public.post(url, data={"score": "5"})
    assert again.status_code == 410 and "already been answered" in again.text  # link's language


def test_survey_links_refused_when_tampered_expired_or_of_another_firm(firm_app: FirmApp) -> None:
    public = TestClient(firm_app.app)
    url = _survey_link(firm_app, "C00005", "nps", "es")
    token = url.rsplit("/", 1)[1]
    tampered = url[:-3] + ("aaa" if not url.endswith("aaa") else "bbb")
    r = public.get(tampered)
    assert r.status_code == 404 and "no es válido" in r.text
    r = public.get(f"/survey/beta/{token}")
    assert r.status_code == 404 and "no es válido" in r.text
    r = public.post(url, data={"score": "11"})
    assert r.status_code == 422
    with firm_app.app.state.cartera.store.session() as s:
        row = s.query(SurveyToken).filter_by(token_hash=hash_token(token)).one()
        row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        s.commit()
    r = public.get(url)
    assert r.status_code == 410 and "caducado" in r.text
    assert public.post(url, data={"score": "9"}).status_code == 410


def test_api_agenda_and_interactions(firm_app: FirmApp) -> None:
    client, csrf = firm_app.as_role("assistant")
    headers = {"X-CSRF-Token": csrf}
    agenda = client.get("/api/v1/firms/alfa/agenda").json()
    assert agenda["items"] and "why" in agenda["items"][0]
    r = client.post("/api/v1/firms/alfa/clients/C00006/interactions", headers=headers,
                    json={"kind": "email", "when": "2026-10-21", "note": "Oferta"})  # fmt: skip
    assert r.status_code == 201 and r.json()["channel"] == "email"
    ident = r.json()["id"]
    r = client.patch(f"/api/v1/firms/alfa/interactions/{ident}", headers=headers,
                     json={"note": "Oferta enviada"})  # fmt: skip
    assert r.status_code == 200 and r.json()["note"] == "Oferta enviada"
    got = client.get("/api/v1/firms/alfa/clients/C00006/interactions").json()
    [mine] = [i for i in got["interactions"] if i["id"] == ident]
    assert mine["history"][0]["changes"] == {"note": ["Oferta", "Oferta enviada"]}
    r = client.post("/api/v1/firms/alfa/clients/C00006/interactions", headers=headers,
                    json={"kind": "fax", "when": "2026-10-21"})  # fmt: skip
    assert r.status_code == 422
    viewer, viewer_csrf = firm_app.as_role("viewer")
    r = viewer.patch(f"/api/v1/firms/alfa/interactions/{ident}",
                     headers={"X-CSRF-Token": viewer_csrf}, json={"note": "x"})  # fmt: skip
    assert r.status_code == 403
    other, other_csrf = firm_app.as_role("other")
    r = other.patch(f"/api/v1/firms/beta/interactions/{ident}",
                    headers={"X-CSRF-Token": other_csrf}, json={"note": "x"})  # fmt: skip
    assert r.status_code == 404  # beta's owner cannot reach alfa's interaction


@pytest.mark.parametrize("role", ["owner", "analyst", "assistant"])
def test_roles_that_follow_up(firm_app: FirmApp, role: str) -> None:
    client, _csrf = firm_app.as_role(role)
    assert "Hecha: registrarla" in client.get("/f/alfa/agenda").text


def test_stress_uses_the_churn_risk_of_a_firm_with_interactions(firm_app: FirmApp) -> None:
    """The demo's risky clients are margin or dormant ones whose segment already gives them
    a high leave probability; a churn level above it (0.99) must move the result."""
    from cartera.store import runs

    client, _csrf = firm_app.as_role("owner")
    url = "/api/v1/firms/alfa/stress?scenarios=500&seed=3"
    store = firm_app.app.state.cartera.store
    with store.session() as s:
        firm = people.firm_by_slug(s, "alfa")
        assert firm is not None
        saved = runs.firm_settings(s, firm.id)

    def run(use: bool) -> float:
        stress = saved.stress.model_copy(update={"use_churn_risk": use,
                                                 "churn_leave_high": 0.99})  # fmt: skip
        with store.session() as s:
            runs.save_firm_settings(s, firm.id, saved.model_copy(update={"stress": stress}), None)
            s.commit()
        return float(client.get(url).json()["expected_profit"])

    try:
        with_churn, without = run(True), run(False)
    finally:
        with store.session() as s:
            runs.save_firm_settings(s, firm.id, saved, None)
            s.commit()
    assert with_churn < without


def test_a_campaign_meeting_shows_on_the_agenda_and_in_its_calendar(firm_app: FirmApp) -> None:
    from cartera.store import followup

    store = firm_app.app.state.cartera.store
    eva = _user_id(firm_app, "assistant@alfa.es")
    with store.session() as s:
        firm = people.firm_by_slug(s, "alfa")
        assert firm is not None
        item = followup.add_scheduled_item(
            s, firm.id, subject_kind="prospect", subject_id="P-9", subject_name="Clínica Sur",
            due=dt.date(2026, 10, 31), at=dt.datetime(2026, 10, 31, 9, 30, tzinfo=dt.UTC),
            kind="meeting", summary="Presentación", owner_user_id=eva, source="campaign:12",
        )  # fmt: skip
        s.commit()
        key, uid = item.key, item.calendar_uid
    client, csrf = firm_app.as_role("assistant")
    data = _agenda(client)
    [booked] = [b for b in data["booked"] if b["key"] == key]
    assert (booked["name"], booked["action"], booked["owner"]) == (
        "Clínica Sur", "Presentación", "assistant@alfa.es")  # fmt: skip
    assert "campaña de estudio 12" in booked["why"] and booked["channel_text"] == "reunión"
    html = client.get("/f/alfa/agenda").text
    assert "Clínica Sur" in html and "/clients/P-9" not in html
    cal = Calendar.from_ical(client.get("/f/alfa/agenda/item.ics", params={"key": key}).content)
    [event] = cal.walk("VEVENT")
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (uid, 0)
    assert event["DTSTART"].dt == dt.datetime(2026, 10, 31, 9, 30, tzinfo=dt.UTC)
    r = client.post("/f/alfa/agenda/snooze", data={"key": key, "until": TOMORROW,
                                                   "csrf_token": csrf})  # fmt: skip
    assert r.status_code == 200
    cal = Calendar.from_ical(client.get("/f/alfa/agenda/item.ics", params={"key": key}).content)
    [event] = cal.walk("VEVENT")
    assert int(event["SEQUENCE"]) == 1  # the calendar updates its entry
    assert event["DTSTART"].dt == dt.datetime.combine(dt.date.fromisoformat(TOMORROW),
                                                      dt.time(9, 30, tzinfo=dt.UTC))  # fmt: skip
    r = client.post("/f/alfa/agenda/done", data={"key": key, "kind": "meeting",
                                                 "csrf_token": csrf})  # fmt: skip
    assert r.status_code == 200
    assert key not in [b["key"] for b in _agenda(client, week=TOMORROW)["booked"]]


def test_the_cached_interaction_log_follows_every_logged_interaction(firm_app: FirmApp) -> None:
    """The agenda keeps the firm's interaction log per log version: an interaction logged
    elsewhere (here straight into the store, as ``cartera log --firm`` does) moves it at once,
    and only the latest version is kept."""
    from cartera.store import followup as F

    client, _csrf = firm_app.as_role("assistant")
    items = [i for i in _agenda(client)["items"] if i["rule"] != "scheduled"]
    first, second = items[0], items[1]
    assert _agenda(client)["items"] == _agenda(client)["items"]  # served from the cached log
    store = firm_app.app.state.cartera.store
    for item in (first, second):
        with store.session() as s:
            F.add_interaction(s, 1, client_id=item["client_id"], when=dt.date.today(),
                              kind="call", channel="phone", outcome="ok", note="", next_step="",
                              user_id=None, rule=item["rule"], source="cli")  # fmt: skip
            s.commit()
        keys = [i["key"] for i in _agenda(client)["items"]]
        assert item["key"] not in keys
    with store.session() as s:
        version, logged = F.log_version(s, 1), len(F.firm_interactions(s, 1))
    for fa in firm_app.app.state.cartera.cache._items.values():  # one log at most per analysis
        cached = [v for k, v in fa.views.items() if k == ("interactions", "1")]
        assert len(cached) <= 1
    current = next(reversed(firm_app.app.state.cartera.cache._items.values()))
    ((v, log),) = [v for k, v in current.views.items() if k == ("interactions", "1")]
    assert (v, log.height) == (version, logged)
