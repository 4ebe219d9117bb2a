"""Sessions, CSRF, login rate limiting, first run, secure headers, secret keys."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from web_helpers import PASSWORD, add_user, login, make_app

from cartera.errors import SettingsError
from cartera.store.models import WebSession
from cartera.web.config import load_web_settings
from cartera.web.security import CSP, RateLimiter


@pytest.fixture
def app(tmp_path: Path):  # type: ignore[no-untyped-def]
    app = make_app(tmp_path, login_attempts=3, login_window_s=60)
    add_user(app, "ana@alfa.es", "alfa", "owner")
    yield app
    app.state.cartera.store.dispose()


def test_first_run_creates_the_owner_once(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    client = TestClient(app)
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"
    assert client.get("/login", follow_redirects=False).headers["location"] == "/setup"
    r = client.post("/setup", data={"firm_name": "Clínica Sur", "email": "a@b.es",
                                    "password": "short"})  # fmt: skip
    assert r.status_code == 422 and "12" in r.text
    r = client.post("/setup", data={"firm_name": "Clínica Sur", "email": "a@b.es",
                                    "password": PASSWORD})  # fmt: skip
    assert r.status_code == 200 and str(r.url).endswith("/f/clinica-sur/")
    assert TestClient(app).get("/setup").status_code == 404
    r = TestClient(app).post("/setup", data={"firm_name": "X", "email": "evil@b.es",
                                             "password": PASSWORD})  # fmt: skip
    assert r.status_code == 404


def test_csrf_is_required_on_every_post(app) -> None:  # type: ignore[no-untyped-def]
    client, csrf = login(app, "ana@alfa.es")
    url = "/f/alfa/settings"
    assert client.post(url, data={"fixed_costs": "1"}).status_code == 403
    assert client.post(url, data={"fixed_costs": "1", "csrf_token": "wrong"}).status_code == 403
    assert client.post(url, data={"fixed_costs": "1"},
                       headers={"X-CSRF-Token": csrf[:-1]}).status_code == 403  # fmt: skip
    assert client.post(url, data={"fixed_costs": "1", "csrf_token": csrf}).status_code == 200
    assert client.post(url, data={"fixed_costs": "1"},
                       headers={"X-CSRF-Token": csrf}).status_code == 200  # fmt: skip
    # another session's token does not work either
    _other, other_csrf = login(app, "ana@alfa.es")
    assert client.post(url, data={"fixed_costs": "1", "csrf_token": other_csrf}).status_code == 403


@pytest.mark.parametrize(("failures", "blocked"), [(2, False), (3, True), (4, True)])
def test_login_rate_limit_edge(app, failures: int, blocked: bool) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    for _i in range(failures):
        r = client.post("/login", data={"email": "ana@alfa.es", "password": "wrong password!"})
        assert r.status_code in (401, 429)
    r = client.post("/login", data={"email": "ana@alfa.es", "password": PASSWORD},
                    follow_redirects=False)  # fmt: skip
    assert (r.status_code == 429) is blocked
    if not blocked:
        assert r.status_code == 303


def test_rate_limiter_window_edges() -> None:
    now = [0.0]
    limiter = RateLimiter(2, 10.0, clock=lambda: now[0])
    limiter.hit("k")
    assert limiter.blocked("k") == 0
    limiter.hit("k")
    assert limiter.blocked("k") == pytest.approx(10.0)
    now[0] = 9.999
    assert limiter.blocked("k") == pytest.approx(0.001)
    now[0] = 10.0  # the first hit leaves the window exactly now
    assert limiter.blocked("k") == 0
    assert limiter.blocked("other") == 0


def test_wrong_password_and_unknown_email_read_the_same(app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    a = client.post("/login", data={"email": "ana@alfa.es", "password": "not the password"})
    b = client.post("/login", data={"email": "nobody@alfa.es", "password": "not the password"})
    assert a.status_code == b.status_code == 401
    assert (
        "Correo o contraseña incorrectos." in a.text
        and "Correo o contraseña incorrectos." in b.text
    )


def test_cross_site_login_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    r = TestClient(app).post("/login", data={"email": "ana@alfa.es", "password": PASSWORD},
                             headers={"Origin": "https://evil.example"})  # fmt: skip
    assert r.status_code == 403


def test_security_headers_on_pages_and_errors(app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    for r in (client.get("/login"), client.get("/nope"), client.get("/static/app.js")):
        assert r.headers["content-security-policy"] == CSP
        assert "frame-ancestors 'none'" in CSP and "script-src 'self';" in CSP
        assert "unsafe-inline" not in CSP.split("script-src")[1].split(";")[0]
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["x-content-type-options"] == "nosniff"


def test_pages_have_no_inline_script(app) -> None:  # type: ignore[no-untyped-def]
    client, _csrf = login(app, "ana@alfa.es")
    for url in ("/login", "/account/tokens", "/f/alfa/", "/f/alfa/imports", "/f/alfa/settings"):
        html = client.get(url).text
        for tag in html.split("<script")[1:]:
            head = tag.split(">", 1)[0]
            assert "src=" in head or 'type="application/json"' in head, (url, head)
        assert " on" + "click=" not in html


def test_session_cookie_is_signed_httponly_and_expires(app) -> None:  # type: ignore[no-untyped-def]
    client, _csrf = login(app, "ana@alfa.es")
    cookie = client.cookies.get("cartera_session")
    assert cookie is not None
    r = client.post("/login", data={"email": "ana@alfa.es", "password": PASSWORD},
                    follow_redirects=False)  # fmt: skip
    assert "httponly" in r.headers["set-cookie"].lower()
    assert "samesite=lax" in r.headers["set-cookie"].lower()
    tampered = TestClient(app, cookies={"cartera_session": cookie[:-2] + "xx"})
    assert tampered.get("/f/alfa/", follow_redirects=False).status_code == 303
    assert client.get("/f/alfa/", follow_redirects=False).status_code == 200
    with app.state.cartera.store.session() as s:
        past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        s.execute(update(WebSession).values(expires_at=past))
        s.commit()
    assert client.get("/f/alfa/", follow_redirects=False).headers["location"] == "/login"


def test_logout_ends_the_session_server_side(app) -> None:  # type: ignore[no-untyped-def]
    client, csrf = login(app, "ana@alfa.es")
    cookie = client.cookies.get("cartera_session")
    assert client.post("/logout", data={"csrf_token": csrf}).status_code == 200
    replay = TestClient(app, cookies={"cartera_session": cookie})
    assert replay.get("/f/alfa/", follow_redirects=False).status_code == 303


def test_language_choice_is_saved_for_the_user(app) -> None:  # type: ignore[no-untyped-def]
    client, csrf = login(app, "ana@alfa.es")
    assert 'lang="es"' in client.get("/f/alfa/").text
    client.post("/language", data={"lang": "en", "next": "/f/alfa/", "csrf_token": csrf})
    assert (
        'lang="en"' in client.get("/f/alfa/").text and "No data yet" in client.get("/f/alfa/").text
    )
    fresh, _csrf = login(app, "ana@alfa.es")  # a new browser gets the saved choice
    assert 'lang="en"' in fresh.get("/f/alfa/").text
    r = client.post("/language", data={"lang": "en", "next": "//evil.example", "csrf_token": csrf},
                    follow_redirects=False)  # fmt: skip
    assert r.headers["location"] == "/"


@pytest.mark.parametrize("key", ["changeme", "x" * 31, "secret"])
def test_weak_secret_keys_are_refused(tmp_path: Path, key: str) -> None:
    with pytest.raises(SettingsError):
        load_web_settings(tmp_path, env={"CARTERA_SECRET_KEY": key})


def test_secret_key_is_generated_once_and_private(tmp_path: Path) -> None:
    a = load_web_settings(tmp_path, env={})
    b = load_web_settings(tmp_path, env={})
    assert a.secret_key == b.secret_key and len(a.secret_key) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert load_web_settings(tmp_path, env={"CARTERA_SECRET_KEY": "k" * 32}).secret_key == "k" * 32
    assert "secret_key" not in repr(a) or a.secret_key not in repr(a)


def test_missing_front_end_files_fail_clearly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from cartera.web import assets

    monkeypatch.setattr(assets, "VENDOR_FILES", ("htmx.min.js", "missing.js"))
    with pytest.raises(SettingsError) as info:
        assets.check_assets()
    assert "missing.js" in info.value.render() and "make web-assets" in info.value.render()
