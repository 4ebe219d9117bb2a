"""Helpers of the web tests: an app on a data folder, users, logins, an imported firm."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from cartera.store import people
from cartera.web.app import create_app
from cartera.web.config import load_web_settings

PASSWORD = "correct horse battery"
ROLES = ("owner", "analyst", "assistant", "viewer")


def make_app(data: Path, **overrides: object) -> FastAPI:
    return create_app(load_web_settings(data, env={}, **overrides))


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf-token" content="([^"]*)"', html)
    assert found is not None, "no CSRF meta tag"
    return found.group(1)


def login(app: FastAPI, email: str, password: str = PASSWORD) -> tuple[TestClient, str]:
    """A client logged in as ``email`` and its CSRF token."""
    client = TestClient(app)
    r = client.post("/login", data={"email": email, "password": password}, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = client.get("/account/tokens")
    return client, csrf_of(page.text)


def add_user(app: FastAPI, email: str, firm_slug: str, role: str) -> None:
    store = app.state.cartera.store
    with store.session() as s:
        firm = people.firm_by_slug(s, firm_slug)
        if firm is None:
            firm = people.create_firm(s, firm_slug.capitalize(), slug=firm_slug)
        user = people.find_user(s, email) or people.create_user(s, email, PASSWORD)
        people.add_member(s, user, firm, role)
        s.commit()


def upload_and_import(client: TestClient, csrf: str, slug: str, demo: Path) -> str:
    """Upload every demo file, import; return the run page URL."""
    files = [("files", (p.name, p.read_bytes())) for p in sorted(demo.glob("*.csv"))]
    r = client.post(f"/f/{slug}/imports", data={"csrf_token": csrf}, files=files)
    assert r.status_code == 200 and "/imports/staged/" in str(r.url), r.text[:500]
    r = client.post(f"{r.url}/run", data={"csrf_token": csrf})
    assert r.status_code == 200, r.text[:2000]
    return str(r.url)


@dataclass
class FirmApp:
    app: FastAPI
    data: Path
    clients: dict[str, tuple[TestClient, str]] = field(default_factory=dict)

    def as_role(self, role: str) -> tuple[TestClient, str]:
        return self.clients[role]
