"""The REST API: tokens, the JSON contracts, imports by upload, and schemathesis (no 5xx)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from web_helpers import FirmApp, add_user, login, make_app

from cartera.store import people
from cartera.store.sessions import create_api_token


def token_for(fa: FirmApp, email: str) -> str:
    with fa.app.state.cartera.store.session() as s:
        user = people.find_user(s, email)
        assert user is not None
        token, _row = create_api_token(s, user, "tests")
        s.commit()
    return token


@pytest.fixture(scope="module")
def api(firm_app: FirmApp) -> TestClient:
    client = TestClient(firm_app.app)
    client.headers["Authorization"] = f"Bearer {token_for(firm_app, 'viewer@alfa.es')}"
    return client


def test_openapi_is_served_under_api_v1(api: TestClient) -> None:
    spec = api.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "Cartera API"
    assert "/firms/{firm}/analysis" in spec["paths"]


def test_token_acts_with_the_users_role(api: TestClient) -> None:
    assert api.get("/api/v1/firms").json() == [{"slug": "alfa", "name": "Alfa", "role": "viewer"}]
    assert api.get("/api/v1/firms/alfa/analysis").status_code == 200
    assert api.get("/api/v1/firms/alfa/imports").status_code == 403  # viewers do not import
    assert api.get("/api/v1/firms/beta/analysis").status_code == 404


def test_bad_and_revoked_tokens_get_401(firm_app: FirmApp) -> None:
    client = TestClient(firm_app.app)
    assert client.get("/api/v1/firms", headers={"Authorization": "Bearer nope"}).status_code == 401
    browser, csrf = firm_app.as_role("analyst")
    page = browser.post("/account/tokens", data={"label": "cli", "csrf_token": csrf}).text
    token = page.split('id="new-token">')[1].split("<")[0]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/firms", headers=headers).status_code == 200
    with firm_app.app.state.cartera.store.session() as s:
        from sqlalchemy import select

        from cartera.store.models import ApiToken
        from cartera.store.secrets import hash_token

        row = s.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
        assert row is not None and token not in row.token_hash
        token_id = row.id
    browser.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf})
    assert client.get("/api/v1/firms", headers=headers).status_code == 401


def test_analysis_is_the_json_contract(api: TestClient, firm_app: FirmApp) -> None:
    response = api.get("/api/v1/firms/alfa/analysis")
    assert response.headers["content-type"] == "application/json"
    data = response.json()
    schema = Path(__file__).resolve().parents[2] / "docs" / "schema" / "analysis.schema.json"
    jsonschema.validate(data, json.loads(schema.read_text(encoding="utf-8")))
    from cartera.result import SCHEMA_VERSION

    assert data["schema"] == SCHEMA_VERSION == 2
    assert {"as_of", "window", "currency", "portfolio", "clients", "recommendations"} <= set(data)
    assert len(data["clients"]) == data["portfolio"]["clients"]


def test_clients_client_whatif_and_stress(api: TestClient) -> None:
    page = api.get("/api/v1/firms/alfa/clients?sort=revenue&desc=true&per_page=10").json()
    assert page["total"] >= 10 and len(page["clients"]) == 10
    revenues = [c["metrics"]["revenue"] for c in page["clients"]]
    assert revenues == sorted(revenues, reverse=True)
    top = page["clients"][0]
    assert api.get(f"/api/v1/firms/alfa/clients/{top['id']}").json() == top
    assert api.get("/api/v1/firms/alfa/clients/NOPE").status_code == 404
    whatif = api.get(f"/api/v1/firms/alfa/whatif?lose={top['id']}").json()
    assert whatif["lost"] == [top["id"]]
    assert whatif["after"]["revenue"] == pytest.approx(
        whatif["before"]["revenue"] - top["metrics"]["revenue"]
    )
    unknown = api.get("/api/v1/firms/alfa/whatif?lose=NOPE")
    assert unknown.status_code == 422 and "NOPE" in unknown.json()["detail"]
    stress = api.get("/api/v1/firms/alfa/stress?scenarios=500&seed=3").json()
    assert stress["scenarios"] == 500 and stress["seed"] == 3
    assert api.get("/api/v1/firms/alfa/stress?scenarios=50").status_code == 422


def test_upload_imports_and_records_the_run(tmp_path: Path, demo_dir: Path) -> None:
    app = make_app(tmp_path)
    add_user(app, "ana@alfa.es", "alfa", "analyst")
    browser, _csrf = login(app, "ana@alfa.es")
    fa = FirmApp(app, tmp_path)
    client = TestClient(app, headers={"Authorization": f"Bearer {token_for(fa, 'ana@alfa.es')}"})
    files = [("files", (p.name, p.read_bytes())) for p in sorted(demo_dir.glob("*.csv"))]
    r = client.post("/api/v1/firms/alfa/imports", files=files)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "ok" and len(body["files"]) == 4
    assert all(len(f["sha256"]) == 64 for f in body["files"])
    bad = client.post("/api/v1/firms/alfa/imports", files=[("files", ("x.csv", b"a;b\n1;2\n"))])
    assert bad.status_code == 422
    runs = client.get("/api/v1/firms/alfa/imports").json()
    assert [r["status"] for r in runs] == ["failed", "ok"]
    assert browser.get("/f/alfa/").status_code == 200
    app.state.cartera.store.dispose()


@pytest.fixture(scope="module")
def schema(firm_app: FirmApp):  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", firm_app.app)


def test_schemathesis_finds_no_server_error(firm_app: FirmApp, schema) -> None:  # type: ignore[no-untyped-def]
    """Every GET operation, with generated parameters (bounded), answers without a 5xx.

    The firm parameter is pinned to the test firm half of the time so that the
    generated queries reach the analysis, not only the 404 of unknown firms.
    """
    token = token_for(firm_app, "owner@alfa.es")
    operations = [op.ok() for op in schema.get_all_operations()]
    gets = [op for op in operations if op.method.upper() == "GET"]
    assert len(gets) >= 7
    seen: list[int] = []
    for operation in gets:

        @settings(max_examples=6, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(case=operation.as_strategy(), pin=st.booleans())
        def run(case, pin: bool) -> None:  # type: ignore[no-untyped-def]
            if pin and "firm" in (case.path_parameters or {}):
                case.path_parameters["firm"] = "alfa"
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            seen.append(response.status_code)
            assert response.status_code < 500, (case.path, response.text[:300])

        run()
    assert 200 in seen  # the generated calls did reach real answers
