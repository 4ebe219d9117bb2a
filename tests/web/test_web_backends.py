"""A small real subset of the web tests on both stores: SQLite and a throw-away PostgreSQL.

Login, a firm's pages closed to another firm's member (404), and an import run
recorded through the Imports page; each on a freshly migrated, empty store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from web_helpers import PASSWORD, add_user, login, make_app, upload_and_import

from cartera.store import people, runs
from cartera.store.engine import downgrade


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FastAPI]:
    overrides: dict[str, object] = {}
    if request.param == "postgresql":
        overrides["database_url"] = request.getfixturevalue("postgres_url")
    made = make_app(tmp_path, **overrides)
    store = made.state.cartera.store
    assert store.engine.dialect.name == request.param
    add_user(made, "ana@alfa.es", "alfa", "owner")
    add_user(made, "bea@beta.es", "beta", "owner")
    yield made
    if request.param == "postgresql":  # leave the database empty for the next test
        downgrade(store.engine, "base")
        with store.engine.begin() as con:
            con.execute(text("DROP TABLE IF EXISTS alembic_version"))
    store.dispose()


def test_login_right_and_wrong_password(app: FastAPI) -> None:
    client = TestClient(app)
    wrong = client.post("/login", data={"email": "ana@alfa.es", "password": PASSWORD + "x"},
                        follow_redirects=False)  # fmt: skip
    assert wrong.status_code != 303 and "session" not in wrong.cookies
    client, _csrf = login(app, "Ana@Alfa.es")
    assert client.get("/f/alfa/").status_code == 200


def test_another_firms_member_gets_404(app: FastAPI) -> None:
    client, _csrf = login(app, "bea@beta.es")
    member, _csrf = login(app, "ana@alfa.es")
    for path in ("/f/alfa/", "/f/alfa/imports", "/f/alfa/settings", "/f/alfa/members"):
        assert client.get(path).status_code == 404, path
        assert member.get(path).status_code == 200, path
    assert client.get("/f/beta/").status_code == 200


def test_an_import_run_is_recorded(app: FastAPI, demo_dir: Path) -> None:
    client, csrf = login(app, "ana@alfa.es")
    url = upload_and_import(client, csrf, "alfa", demo_dir)
    with app.state.cartera.store.session() as s:
        firm = people.firm_by_slug(s, "alfa")
        assert firm is not None
        history = runs.import_runs(s, firm.id)
        assert [(r.status, len(r.files)) for r in history] == [("ok", 4)]
        assert url.endswith(f"/f/alfa/imports/{history[0].id}")
    assert client.get("/f/alfa/?format=json").json()["clients"] == "80"


def test_follow_up_done_and_survey_on_both_stores(app: FastAPI, demo_dir: Path) -> None:
    from cartera.store import followup

    client, csrf = login(app, "ana@alfa.es")
    upload_and_import(client, csrf, "alfa", demo_dir)
    items = client.get("/f/alfa/agenda?format=json").json()["items"]
    key = items[0]["key"]
    r = client.post("/f/alfa/agenda/done", data={"key": key, "kind": "call", "outcome": "ok",
                                                 "csrf_token": csrf})  # fmt: skip
    assert r.status_code == 200
    assert key not in [i["key"] for i in client.get("/f/alfa/agenda?format=json").json()["items"]]
    cid = items[0]["client_id"]
    r = client.post(f"/f/alfa/clients/{cid}/survey",
                    data={"scale": "nps", "lang": "es", "csrf_token": csrf})  # fmt: skip
    url = r.text.split('id="survey-url">')[1].split("<")[0].replace("http://testserver", "")
    public = TestClient(app)
    assert public.post(url, data={"score": "3"}).status_code == 200
    assert public.post(url, data={"score": "9"}).status_code == 410
    follow = client.get(f"/f/alfa/clients/{cid}?format=json").json()["follow_up"]
    assert [i["outcome"] for i in follow["interactions"][:2]] == ["nps:3", "ok"]
    with app.state.cartera.store.session() as s:
        firm = people.firm_by_slug(s, "alfa")
        assert firm is not None
        before = followup.log_version(s, firm.id)
        assert followup.log_version(s, firm.id) == before  # stable while nothing is logged
        followup.add_interaction(s, firm.id, client_id=cid, when=dt.date.today(), kind="note",
                                 channel=None, outcome=None, note="x", next_step="",
                                 user_id=None, rule=None)  # fmt: skip
        s.commit()
        assert followup.log_version(s, firm.id) != before


def test_prospects_campaign_and_a_booked_meeting(app: FastAPI, demo_dir: Path) -> None:
    """The study pages on both stores: prospects in, a campaign, a meeting in the agenda."""
    import datetime as dt

    from cartera.store.followup import scheduled_items

    client, csrf = login(app, "ana@alfa.es")
    upload_and_import(client, csrf, "alfa", demo_dir)
    listed = {"file": ("p.csv", (demo_dir / "prospects" / "prospects.csv").read_bytes())}
    assert client.post("/f/alfa/prospects/import", data={"csrf_token": csrf},
                       files=listed).status_code == 200  # fmt: skip
    assert client.get("/f/alfa/prospects?q=p0000&format=json").json()["total"] == 9
    r = client.post("/f/alfa/campaigns", data={"csrf_token": csrf, "name": "Imagen",
                                               "kind": "image", "top": "2"})  # fmt: skip
    cid = str(r.url).rstrip("/").split("/")[-1]
    code = client.get(f"/f/alfa/campaigns/{cid}?format=json").json()["members"][0]["code"]
    meet = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).strftime("%Y-%m-%dT10:00")
    r = client.post(f"/f/alfa/campaigns/{cid}/calls", data={
        "csrf_token": csrf, "prospect": code, "result": "reached",
        "outcome": "meeting_booked", "meeting_at": meet})  # fmt: skip
    assert r.status_code == 200 and 'id="ics-link"' in r.text
    with app.state.cartera.store.session() as s:
        firm = people.firm_by_slug(s, "alfa")
        assert firm is not None
        assert [i.subject_id for i in scheduled_items(s, firm.id)] == [code]
    funnel = client.get("/f/alfa/funnel?format=json").json()["by_kind"]
    assert [(f["kind"], f["meeting"]) for f in funnel] == [("image", 1)]
