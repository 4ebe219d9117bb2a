"""Study and communication pages: prospects, call list, campaigns, calls, meetings, funnel."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from icalendar import Calendar
from web_helpers import FirmApp

from cartera.store import study as S
from cartera.store.followup import firm_users, scheduled_items
from cartera.web.campaigns import CALL_TZ


@pytest.fixture(scope="module")
def with_prospects(firm_app: FirmApp, demo_dir: Path) -> FirmApp:
    owner, csrf = firm_app.as_role("owner")
    folder = demo_dir / "prospects"
    dnc = {"file": ("robinson.csv", (folder / "robinson.csv").read_bytes())}
    r = owner.post("/f/alfa/prospects/do-not-call", data={"csrf_token": csrf}, files=dnc)
    assert r.status_code == 200, r.text[:500]
    listed = {"file": ("prospects.csv", (folder / "prospects.csv").read_bytes())}
    r = owner.post("/f/alfa/prospects/import", data={"csrf_token": csrf}, files=listed)
    assert r.status_code == 200 and 'id="message"' in r.text, r.text[:500]
    return firm_app


def test_import_leaves_out_clients_and_repeats(with_prospects: FirmApp, demo_dir: Path) -> None:
    owner, csrf = with_prospects.as_role("owner")
    data = owner.get("/f/alfa/prospects?format=json").json()
    assert data["total"] > 20 and data["do_not_call"] > 0
    again = owner.post(
        "/f/alfa/prospects/import",
        data={"csrf_token": csrf},
        files={"file": ("prospects.csv", (demo_dir / "prospects" / "prospects.csv").read_bytes())},
    )
    assert again.status_code == 200
    assert owner.get("/f/alfa/prospects?format=json").json()["total"] == data["total"]
    found = owner.get("/f/alfa/prospects?q=P00001&format=json").json()
    assert found["total"] == 1
    page = owner.get("/f/alfa/prospects/P00001")
    assert page.status_code == 200 and "prospects.csv" in page.text
    bad = owner.post("/f/alfa/prospects/import", data={"csrf_token": csrf},
                     files={"file": ("x.csv", b"Foo;Bar\n1;2\n")})  # fmt: skip
    assert bad.status_code == 422 and "x.csv" in bad.text


def test_viewer_reads_but_cannot_import_or_run_campaigns(with_prospects: FirmApp) -> None:
    viewer, csrf = with_prospects.as_role("viewer")
    assert viewer.get("/f/alfa/prospects").status_code == 200
    r = viewer.post("/f/alfa/prospects/import", data={"csrf_token": csrf},
                    files={"file": ("p.csv", b"Nombre\nA\n")})  # fmt: skip
    assert r.status_code == 403
    r = viewer.post("/f/alfa/campaigns", data={"csrf_token": csrf, "name": "x", "kind": "margin"})
    assert r.status_code == 403
    assert viewer.get("/f/alfa/campaigns/1/call").status_code == 403


def test_study_page_names_the_profile_and_the_gaps(with_prospects: FirmApp) -> None:
    owner, _csrf = with_prospects.as_role("owner")
    data = owner.get("/f/alfa/study?format=json").json()
    rules = [r for s in data["segments"] for r in s["rules"]]
    lifts = [r["lift"] for seg in data["profile"]["segments"] for r in seg["rules"]]
    assert rules and len(rules) == len(lifts) and min(lifts) >= 1.5
    assert {m["kind"] for m in data["models"]} <= {"structure", "margin", "image"}
    page = owner.get("/f/alfa/study").text
    assert rules[0].split(":")[0] in page


def test_call_list_is_ranked_with_explained_scores(with_prospects: FirmApp) -> None:
    owner, _csrf = with_prospects.as_role("owner")
    rows = owner.get("/f/alfa/calllist?format=json").json()["rows"]
    callable_rows = [r for r in rows if r["callable"]]
    assert callable_rows and all(re.match(r"^[+−] ", r["why"]) for r in callable_rows if r["why"])
    priorities = [r["priority"] for r in callable_rows]
    assert priorities == sorted(priorities, reverse=True)
    refused = [r for r in rows if not r["callable"]]
    assert refused and all(r["refused"] for r in refused)
    assert not any(r["code"] in {x["code"] for x in refused} for r in callable_rows)


def test_campaign_from_first_call_to_booked_meeting(with_prospects: FirmApp) -> None:
    app = with_prospects
    owner, csrf = app.as_role("owner")
    r = owner.post("/f/alfa/campaigns", data={"csrf_token": csrf, "name": "Margen otoño",
                                              "kind": "margin", "top": "5"})  # fmt: skip
    assert r.status_code == 200 and "/f/alfa/campaigns/" in str(r.url)
    cid = int(str(r.url).rstrip("/").split("/")[-1])
    members = owner.get(f"/f/alfa/campaigns/{cid}?format=json").json()["members"]
    assert 0 < len(members) <= 5
    code = members[0]["code"]
    assistant, a_csrf = app.as_role("assistant")
    assert assistant.get(f"/f/alfa/campaigns/{cid}/call").status_code == 403  # not assigned
    with app.app.state.cartera.store.session() as s:
        ids = {u.email: u.id for u, _r in firm_users(s, 1)}
    r = owner.post(
        f"/f/alfa/campaigns/{cid}",
        data={
            "csrf_token": csrf,
            "name": "Margen otoño",
            "script_es": "Hola {contact}, soy {assistant}.",
            "days": ["0", "1", "2", "3", "4"],
            "start": "09:00",
            "end": "14:00",
            "attempts": "3",
            "gap_days": "2",
            "assistants": [str(ids["assistant@alfa.es"])],
            "status": "active",
        },
    )
    assert r.status_code == 200, r.text[:300]
    screen = assistant.get(f"/f/alfa/campaigns/{cid}/call?prospect={code}")
    assert screen.status_code == 200 and "soy assistant@alfa.es." in screen.text
    r = assistant.post(
        f"/f/alfa/campaigns/{cid}/calls",
        data={"csrf_token": a_csrf, "prospect": code, "result": "no_answer"},
    )
    assert r.status_code == 200
    meet = (dt.datetime.now(CALL_TZ) + dt.timedelta(days=3)).replace(second=0, microsecond=0)
    r = assistant.post(
        f"/f/alfa/campaigns/{cid}/calls",
        data={
            "csrf_token": a_csrf,
            "prospect": code,
            "result": "reached",
            "outcome": "meeting_booked",
            "meeting_at": meet.strftime("%Y-%m-%dT%H:%M"),
            "note": "Quiere ver precios",
        },
    )
    assert r.status_code == 200, r.text[:500]
    link = re.search(r'id="ics-link" href="([^"]+)"', r.text)
    assert link is not None
    ics = Calendar.from_ical(assistant.get(link.group(1)).content)
    (event,) = ics.walk("VEVENT")
    assert event.decoded("dtstart") == meet
    with app.app.state.cartera.store.session() as s:
        items = [i for i in scheduled_items(s, 1) if i.subject_id == code]
        assert (
            len(items) == 1
            and items[0].kind == "meeting"
            and str(event["uid"]) == (items[0].calendar_uid)
        )
        campaign = S.find_campaign(s, 1, cid)
        assert campaign is not None
    # a closed prospect is not called again
    r = assistant.post(
        f"/f/alfa/campaigns/{cid}/calls",
        data={"csrf_token": a_csrf, "prospect": code, "result": "no_answer"},
    )
    assert r.status_code == 422
    funnel = owner.get("/f/alfa/funnel?format=json").json()
    row = next(f for f in funnel["by_campaign"] if f["campaign"] == str(cid))
    assert (row["called"], row["reached"], row["meeting"]) == (1, 1, 1)
    # after the meeting: proposal, then won; the prospect keeps its origin
    owner.post(f"/f/alfa/campaigns/{cid}/members/{code}/advance",
               data={"csrf_token": csrf, "stage": "proposal"})  # fmt: skip
    r = owner.post(f"/f/alfa/campaigns/{cid}/members/{code}/advance",
                   data={"csrf_token": csrf, "stage": "won", "client_id": "N001"})  # fmt: skip
    assert r.status_code == 200
    p = owner.get(f"/f/alfa/prospects/{code}?format=json").json()["prospect"]
    assert p["status"] == "won" and p["client_id"] == "N001"
    assert p["won_origin"]["campaign"] == str(cid) and p["won_origin"]["kind"] == "margin"


def _token(app: FirmApp, email: str) -> str:
    from cartera.store import people
    from cartera.store.sessions import create_api_token

    with app.app.state.cartera.store.session() as s:
        user = people.find_user(s, email)
        assert user is not None
        token, _row = create_api_token(s, user, "tests")
        s.commit()
    return token


def test_api_runs_a_campaign(with_prospects: FirmApp) -> None:
    from fastapi.testclient import TestClient

    app = with_prospects
    api = TestClient(app.app, headers={"Authorization": f"Bearer {_token(app, 'analyst@alfa.es')}"})
    listing = api.get("/api/v1/firms/alfa/calllist?kind=image").json()
    assert listing["prospects"] and {r["kind"] for r in listing["prospects"]} == {"image"}
    assert api.get("/api/v1/firms/alfa/prospects?q=zzzz-none").json()["total"] == 0
    r = api.post("/api/v1/firms/alfa/campaigns", json={"name": "API", "kind": "image", "top": 3,
                                                      "window_start": "25:00"})  # fmt: skip
    assert r.status_code == 422
    r = api.post("/api/v1/firms/alfa/campaigns", json={"name": "API", "kind": "image", "top": 3})
    assert r.status_code == 201, r.text
    body = r.json()
    code = body["enrolled"][0]
    cid = body["id"]
    at = "2026-12-07T10:00:00+01:00"
    r = api.post(f"/api/v1/firms/alfa/campaigns/{cid}/calls",
                 json={"prospect": code, "result": "busy", "at": at})  # fmt: skip
    assert r.status_code == 201 and r.json()["stage"] == "retry"
    assert r.json()["next_call"] == "2026-12-09T10:00:00+01:00"
    r = api.post(f"/api/v1/firms/alfa/campaigns/{cid}/calls", json={
        "prospect": code, "result": "reached", "outcome": "not_interested",
        "at": "2026-12-09T10:05:00"})  # fmt: skip
    assert r.status_code == 201 and r.json()["stage"] == "lost"
    again = api.post("/api/v1/firms/alfa/campaigns", json={"name": "Again", "kind": "image",
                                                          "prospects": [code]})  # fmt: skip
    assert again.json()["refused"] == [{"prospect": code, "reason": "not_interested"}]
    calls = api.get(f"/api/v1/firms/alfa/campaigns/{cid}/calls").json()
    assert [c["result"] for c in calls] == ["busy", "reached"]
    funnel = api.get("/api/v1/firms/alfa/funnel?by=kind").json()
    image = next(f for f in funnel if f["kind"] == "image")
    assert image["called"] >= 1 and image["reached"] >= 1
