"""Authorisation of every route, listed from the app itself.

A route added without its checks fails here: every route but the public ones
needs a logged-in user, every route under a firm needs the membership check
(``deps.member``), and a member of firm B gets 404 on every route of firm A.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount
from web_helpers import FirmApp, login

from cartera.web import deps

#: Routes anyone may call: the login and first-run pages, the assets, the API's schema.
PUBLIC = {
    ("GET", "/setup"),
    ("POST", "/setup"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("GET", "/static/vendor/plotly.min.js"),
    # the secret token in the URL is the key (survey links, calendar feeds)
    ("GET", "/survey/{slug}/{token}"),
    ("POST", "/survey/{slug}/{token}"),
    ("GET", "/calendar/{token}"),
}
#: Values for path parameters; ``firm`` is filled per test.
SAMPLE = {
    "client_id": "C00001",
    "token": "x" * 24,
    "run_id": "1",
    "token_id": "1",
    "member_id": "1",
    "interaction_id": "1",
    "slug": "alfa",
    "code": "P00001",
    "campaign_id": "1",
    "call_id": "1",
}


def api_routes(app: FastAPI) -> Iterator[tuple[str, str, APIRoute]]:
    """(method, full path, route) of every API route, mounted sub-apps included."""

    def walk(routes: list, prefix: str) -> Iterator[tuple[str, str, APIRoute]]:  # type: ignore[type-arg]
        for r in routes:
            if isinstance(r, APIRoute):
                for method in sorted(r.methods):
                    yield method, prefix + r.path, r
            elif hasattr(r, "original_router"):
                yield from walk(r.original_router.routes, prefix)
            elif isinstance(r, Mount) and hasattr(r.app, "routes"):
                yield from walk(r.app.routes, prefix + r.path)

    yield from walk(app.router.routes, "")


def calls(dependant: Dependant) -> set[object]:
    found = {dependant.call}
    for sub in dependant.dependencies:
        found |= calls(sub)
    return found


def fill(path: str, firm: str) -> str:
    values = {**SAMPLE, "firm": firm}
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


def test_the_listing_sees_every_route(firm_app: FirmApp) -> None:
    paths = {p for _m, p, _r in api_routes(firm_app.app)}
    assert {"/f/{firm}/", "/f/{firm}/clients/{client_id}", "/api/v1/firms/{firm}/stress"} <= paths
    study = {
        "/f/{firm}/study", "/f/{firm}/prospects", "/f/{firm}/prospects/import",
        "/f/{firm}/prospects/do-not-call", "/f/{firm}/prospects/{code}", "/f/{firm}/calllist",
        "/f/{firm}/campaigns", "/f/{firm}/campaigns/{campaign_id}",
        "/f/{firm}/campaigns/{campaign_id}/enroll",
        "/f/{firm}/campaigns/{campaign_id}/members/{code}/advance",
        "/f/{firm}/campaigns/{campaign_id}/call", "/f/{firm}/campaigns/{campaign_id}/calls",
        "/f/{firm}/campaigns/{campaign_id}/calls/{call_id}/meeting.ics", "/f/{firm}/funnel",
        "/api/v1/firms/{firm}/study", "/api/v1/firms/{firm}/prospects",
        "/api/v1/firms/{firm}/prospects/{code}", "/api/v1/firms/{firm}/do-not-call",
        "/api/v1/firms/{firm}/calllist", "/api/v1/firms/{firm}/campaigns",
        "/api/v1/firms/{firm}/campaigns/{campaign_id}",
        "/api/v1/firms/{firm}/campaigns/{campaign_id}/calls",
        "/api/v1/firms/{firm}/campaigns/{campaign_id}/calls/{call_id}/meeting.ics",
        "/api/v1/firms/{firm}/funnel",
    }  # fmt: skip
    assert study <= paths, study - paths
    assert len(paths) >= 25


def test_every_route_checks_user_and_firm(firm_app: FirmApp) -> None:
    for method, path, route in api_routes(firm_app.app):
        found = calls(route.dependant)
        if (method, path) in PUBLIC:
            continue
        assert deps.current_user in found, f"{method} {path} does not check the user"
        if "{firm}" in path:
            assert deps.member in found, f"{method} {path} does not check the firm membership"
        if method not in {"GET", "HEAD"}:
            assert deps.csrf_protect in found, f"{method} {path} has no CSRF check"


def _request(client: TestClient, method: str, url: str, csrf: str):  # type: ignore[no-untyped-def]
    headers = {"X-CSRF-Token": csrf, "Accept": "application/json"}
    if method == "POST":
        return client.post(
            url,
            headers=headers,
            data={"file": "x", "table": "documents", "header": "x"},
            follow_redirects=False,
        )
    return client.request(method, url, headers=headers, follow_redirects=False)


def firm_routes(app: FastAPI) -> list[tuple[str, str]]:
    return [(m, p) for m, p, _r in api_routes(app) if "{firm}" in p]


@pytest.mark.parametrize("role", ["owner", "viewer"])
def test_member_of_another_firm_gets_404_everywhere(firm_app: FirmApp, role: str) -> None:
    """Beta's owner (and, the other way round, alfa's members) never see the other firm."""
    client, csrf = firm_app.as_role("other")
    for method, path in firm_routes(firm_app.app):
        r = _request(client, method, fill(path, "alfa"), csrf)
        assert r.status_code == 404, f"{method} {path}: {r.status_code}"
    client, csrf = firm_app.as_role(role)
    for method, path in firm_routes(firm_app.app):
        r = _request(client, method, fill(path, "beta"), csrf)
        assert r.status_code == 404, f"{method} {path}: {r.status_code}"
    # a firm that does not exist answers the same
    r = _request(client, "GET", "/f/nobody/", csrf)
    assert r.status_code == 404


def test_anonymous_requests_are_refused_everywhere(firm_app: FirmApp) -> None:
    client = TestClient(firm_app.app)
    for method, path, _route in api_routes(firm_app.app):
        if (method, path) in PUBLIC:
            continue
        url = fill(path, "alfa")
        r = client.request(method, url, follow_redirects=False)
        if path.startswith("/api/"):
            assert r.status_code == 401, f"{method} {path}"
        else:
            assert r.status_code == 303, f"{method} {path}: {r.status_code}"
            assert r.headers["location"] == "/login"


ROLE_CAN = {
    "owner": {"read", "import", "settings", "follow_up", "prospects", "calls"},
    "analyst": {"read", "import", "settings", "follow_up", "prospects", "calls"},
    "assistant": {"read", "follow_up", "calls"},
    "viewer": {"read"},
}


@pytest.mark.parametrize("role", ["owner", "analyst", "assistant", "viewer"])
def test_roles_grant_what_they_say(firm_app: FirmApp, role: str) -> None:
    client, _csrf = firm_app.as_role(role)
    checks = {
        "read": "/f/alfa/clients",
        "import": "/f/alfa/imports",
        "settings": "/f/alfa/settings",
        "follow_up": "/f/alfa/clients/C00001/interactions",
    }
    for permission, url in checks.items():
        expected = 200 if permission in ROLE_CAN[role] else 403
        if permission == "follow_up":  # a change: an empty form is refused (422), not forbidden
            got = client.post(url, data={"csrf_token": _csrf}).status_code
            assert (got == 403) == (expected == 403), (role, url, got)
            continue
        assert client.get(url).status_code == expected, (role, url)
    # running campaigns and calling: a POST the role may not make is refused before anything
    _client, csrf = firm_app.as_role(role)
    r = client.post("/f/alfa/campaigns", data={"csrf_token": csrf, "name": "", "kind": "x"})
    assert (r.status_code == 403) == ("prospects" not in ROLE_CAN[role]), (role, r.status_code)
    r = client.post("/api/v1/firms/alfa/campaigns/999999/calls", json={},
                    headers={"X-CSRF-Token": csrf})  # fmt: skip
    assert (r.status_code == 403) == ("calls" not in ROLE_CAN[role]), (role, r.status_code)
    assert deps.PERMISSIONS[role] - {"members"} == ROLE_CAN[role]


def test_permission_table_is_the_documented_one() -> None:
    assert set(deps.PERMISSIONS) == {"owner", "analyst", "assistant", "viewer"}
    assert "members" in deps.PERMISSIONS["owner"]
    assert all("members" not in deps.PERMISSIONS[r] for r in ("analyst", "assistant", "viewer"))


def test_members_page_is_for_owners_and_keeps_an_owner(firm_app: FirmApp) -> None:
    owner, csrf = firm_app.as_role("owner")
    analyst, _c = firm_app.as_role("analyst")
    assert analyst.get("/f/alfa/members").status_code == 403
    page = owner.get("/f/alfa/members").text
    assert "viewer@alfa.es" in page
    r = owner.post("/f/alfa/members", data={"email": "new@alfa.es", "role": "viewer",
                                            "csrf_token": csrf})  # fmt: skip
    assert r.status_code == 200
    password = r.text.split('id="new-password">')[1].split("<")[0]
    client, _new_csrf = login(firm_app.app, "new@alfa.es", password)
    assert client.get("/f/alfa/").status_code == 200
    members = owner.get("/f/alfa/members?format=json").json()["members"]
    ids = {m["email"]: m["id"] for m in members}
    last_owner = f"/f/alfa/members/{ids['owner@alfa.es']}"
    r = owner.post(last_owner, data={"role": "viewer", "csrf_token": csrf})
    assert r.status_code == 422  # the last owner stays
    other, other_csrf = firm_app.as_role("other")  # beta's owner cannot touch alfa's members
    r = other.post(f"/f/beta/members/{ids['viewer@alfa.es']}",
                   data={"remove": "yes", "csrf_token": other_csrf})  # fmt: skip
    assert r.status_code == 404
    owner.post(f"/f/alfa/members/{ids['new@alfa.es']}", data={"remove": "yes", "csrf_token": csrf})
    assert client.get("/f/alfa/", follow_redirects=False).status_code == 404
