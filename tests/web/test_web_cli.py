"""``cartera user add`` (the server itself runs in the browser test)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cartera.cli.app import run
from cartera.store import open_store, people
from cartera.store.engine import database_url


def test_user_add_creates_firm_user_and_role(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CARTERA_DATABASE_URL", raising=False)
    code = run(["user", "add", "Ana@Example.es", "--firm", "Clínica Sur", "--role", "owner",
                "--generate-password", "--data", str(tmp_path)])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0 and "ana@example.es" in out and "clinica-sur" in out
    password = out.split("Contraseña: ")[1].strip()
    assert len(password) >= 12
    monkeypatch.setenv("CARTERA_PASSWORD", "another good password")
    assert run(["user", "add", "bob@example.es", "--firm", "clinica-sur", "--role", "viewer",
                "--data", str(tmp_path)]) == 0  # fmt: skip
    store = open_store(database_url(tmp_path, env={}))
    with store.session() as s:
        assert people.authenticate(s, "ana@example.es", password) is not None
        bob = people.authenticate(s, "bob@example.es", "another good password")
        assert bob is not None
        assert [(f.slug, r) for f, r in people.user_firms(s, bob.id)] == [("clinica-sur", "viewer")]
    store.dispose()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "boss"], "Rol desconocido"),
        (["--role", "owner"], "al menos 12 caracteres"),
    ],
)
def test_user_add_errors_are_clear(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.setenv("CARTERA_PASSWORD", "short")
    code = run(["user", "add", "x@example.es", "--firm", "F", "--data", str(tmp_path), *args])
    assert code == 2
    assert message in capsys.readouterr().err


def test_firm_import_fills_the_firm_as_the_imports_page_does(
    tmp_path: Path,
    demo_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from web_helpers import login, make_app

    monkeypatch.delenv("CARTERA_DATABASE_URL", raising=False)
    monkeypatch.setenv("CARTERA_PASSWORD", "correct horse battery")
    data = tmp_path / "web"
    settings = tmp_path / "settings.toml"
    settings.write_text("fixed_costs = 123456\n", encoding="utf-8")
    assert run(["user", "add", "owner@demo.example", "--firm", "Demo", "--data", str(data)]) == 0
    files = [str(p) for p in sorted(demo_dir.glob("*.csv"))]
    lists = ["--prospects", str(demo_dir / "prospects" / "prospects.csv"),
             "--do-not-call", str(demo_dir / "prospects" / "robinson.csv")]  # fmt: skip
    code = run(["firm", "import", "demo", *files, "--settings", str(settings), "--data", str(data),
                *lists])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0 and "Importación 1 de Demo: 4 archivos" in out
    assert "Prospectos:" in out
    app = make_app(data)
    with app.state.cartera.store.session() as s:
        from cartera.store import runs

        history = runs.import_runs(s, 1)
        assert [(r.status, r.user_id, len(r.files)) for r in history] == [("ok", None, 4)]
        assert runs.firm_settings(s, 1).fixed_costs == 123456
    assert not any((data / "firms" / "1" / "staging").iterdir())  # nothing left staged
    client, _csrf = login(app, "owner@demo.example")
    dashboard = client.get("/f/demo/?format=json").json()
    assert dashboard["clients"] == "80" and dashboard["run_id"] == 1
    assert "123.456" in json.dumps(dashboard["assumptions"], ensure_ascii=False)
    prospects = client.get("/f/demo/prospects?format=json").json()
    assert prospects["total"] > 20 and prospects["do_not_call"] > 0
    assert client.get("/f/demo/calllist?format=json").json()["rows"]
    capsys.readouterr()
    assert run(["prospects", "list", "--firm", "Demo", "--data", str(data), "--format", "csv"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0].startswith("id,name,tax_id") and len(listed) == prospects["total"] + 1
    assert run(["prospects", "list", "--data", str(data)]) == 2
    written = history[0].manifest["tables"]["documents"]["rows_written"]
    assert written > 0 and f"documents: {written}" in client.get("/f/demo/imports").text
    app.state.cartera.store.dispose()


@pytest.mark.parametrize(
    ("firm", "files", "code", "message"),
    [
        ("nadie", ["x.csv"], 2, "Empresa desconocida «nadie»"),
        ("demo", ["no-such.csv"], 1, "Archivo no encontrado"),
    ],
)
def test_firm_import_errors_are_clear_and_record_nothing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    firm: str,
    files: list[str],
    code: int,
    message: str,
) -> None:
    monkeypatch.delenv("CARTERA_DATABASE_URL", raising=False)
    monkeypatch.setenv("CARTERA_PASSWORD", "correct horse battery")
    data = tmp_path / "web"
    assert run(["user", "add", "o@demo.example", "--firm", "Demo", "--data", str(data)]) == 0
    missing = [str(tmp_path / f) for f in files]
    assert run(["firm", "import", firm, *missing, "--data", str(data)]) == code
    assert message in capsys.readouterr().err
    store = open_store(database_url(data, env={}))
    with store.session() as s:
        from cartera.store import runs

        assert runs.import_runs(s, 1) == []
    store.dispose()


def test_firm_import_with_a_bad_prospect_list_imports_nothing(
    tmp_path: Path,
    demo_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CARTERA_DATABASE_URL", raising=False)
    monkeypatch.setenv("CARTERA_PASSWORD", "correct horse battery")
    data = tmp_path / "web"
    assert run(["user", "add", "o@demo.example", "--firm", "Demo", "--data", str(data)]) == 0
    bad = tmp_path / "lista.csv"
    bad.write_text("Foo;Bar\n1;2\n", encoding="utf-8")
    files = [str(p) for p in sorted(demo_dir.glob("*.csv"))]
    code = run(["firm", "import", "demo", *files, "--prospects", str(bad), "--data", str(data)])
    assert code != 0
    assert "lista.csv" in capsys.readouterr().err
    store = open_store(database_url(data, env={}))
    with store.session() as s:
        from cartera.store import runs

        assert runs.import_runs(s, 1) == []
    store.dispose()


def _demo_firm(tmp_path: Path, demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A web data folder with the firm Demo and one import of the demo export (no prospects)."""
    monkeypatch.delenv("CARTERA_DATABASE_URL", raising=False)
    monkeypatch.setenv("CARTERA_PASSWORD", "correct horse battery")
    data = tmp_path / "web"
    assert run(["user", "add", "owner@demo.example", "--firm", "Demo", "--data", str(data)]) == 0
    files = [str(p) for p in sorted(demo_dir.glob("*.csv"))]
    assert run(["firm", "import", "demo", *files, "--data", str(data)]) == 0
    return data


def test_prospects_import_score_and_campaign_status_work_on_a_firm(
    tmp_path: Path,
    demo_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cartera.store import study as db
    from cartera.web import campaigns

    data = _demo_firm(tmp_path, demo_dir, monkeypatch)
    lists = demo_dir / "prospects"
    firm = ["--firm", "Demo", "--data", str(data)]
    capsys.readouterr()
    assert run(["prospects", "import", str(lists / "prospects.csv"), *firm,
                "--do-not-call", str(lists / "robinson.csv")]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "Prospectos de Demo:" in out
    added = int(out.split("Prospectos de Demo: ")[1].split(" ")[0].replace(".", ""))
    assert added > 20
    assert run(["prospects", "list", *firm, "--format", "csv"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == added + 1
    # The same list again: every row is already among the firm's prospects.
    assert run(["--lang", "en", "prospects", "import", str(lists / "prospects.csv"), *firm]) == 0
    out = capsys.readouterr().out
    assert "Prospects of Demo: 0 added" in out
    # (rows repeated in the first import match an earlier prospect now)
    assert "rows read: 46" in out and "already clients (left out): 4\n" in out
    assert "already among the firm's prospects (left out): 42\n" in out
    assert run(["prospects", "score", *firm, "--format", "json"]) == 0
    ranking = json.loads(capsys.readouterr().out)
    assert len(ranking["prospects"]) == added
    assert any(not p["callable"] and p["refused"] == "do_not_call" for p in ranking["prospects"])

    assert run(["campaign", "status", *firm]) == 0
    assert "Aún no hay campañas." in capsys.readouterr().out
    store = open_store(database_url(data, env={}))
    with store.session() as s:
        campaign = campaigns.new_campaign(s, 1, name="Primavera", kind="margin")
        codes = [p.code for p in db.prospects_of(s, 1) if not p.do_not_call][:5]
        campaigns.enroll_prospects(s, campaign, codes)
        enrolled = len(db.members(s, campaign))
        campaigns.new_campaign(s, 1, name="Imagen", kind="image")
        s.commit()
    store.dispose()
    assert run(["campaign", "status", *firm, "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert enrolled > 0
    assert sorted((c["name"], c["kind"], c.get("enrolled")) for c in found) == [
        ("Imagen", "image", None),
        ("Primavera", "margin", enrolled),
    ]
    assert run(["campaign", "status", *firm, "--kind", "image", "--format", "json"]) == 0
    assert [c["name"] for c in json.loads(capsys.readouterr().out)] == ["Imagen"]
    assert run(["--lang", "en", "campaign", "status", *firm]) == 0
    out = capsys.readouterr().out
    assert f"Primavera (margin, active)\n  enrolled\xa0{enrolled} → called\xa00" in out
    assert "Clients won per prospect called: –" in out


@pytest.mark.parametrize(
    ("args", "es", "en"),
    [
        (
            ["prospects", "import", "x.csv", "--into", "b.parquet", "--firm", "Demo"],
            "Indique --workspace y --into",
            "Give either --workspace and --into",
        ),
        (
            ["prospects", "import", "x.csv"],
            "Indique --workspace y --into",
            "Give either --workspace and --into",
        ),
        (
            ["prospects", "score", "ws", "x.csv", "--firm", "Demo"],
            "Con --firm se usan",
            "With --firm the firm's prospects",
        ),
        (
            ["prospects", "score", "--firm", "Demo", "--fixed-costs", "10"],
            "Con --firm se usan",
            "With --firm the firm's prospects",
        ),
        (["prospects", "score"], "Indique un espacio de trabajo", "Give a workspace"),
        (
            ["campaign", "status", "b.parquet", "--firm", "Demo"],
            "Indique un libro de prospectos o --firm",
            "Give either a prospect book or --firm",
        ),
        (
            ["campaign", "status", "--firm", "Demo", "--calls", "c.csv"],
            "van con un libro de prospectos",
            "go with a prospect book",
        ),
        (["campaign", "status", "b.parquet"], "--kind es obligatorio", "--kind is required"),
        (
            ["prospects", "score", "--firm", "Nadie"],
            "Empresa desconocida «Nadie»",
            "Unknown firm «Nadie»",
        ),
    ],
)
def test_firm_and_book_modes_errors_are_clear_in_both_languages(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    es: str,
    en: str,
) -> None:
    monkeypatch.delenv("CARTERA_DATABASE_URL", raising=False)
    monkeypatch.setenv("CARTERA_PASSWORD", "correct horse battery")
    data = tmp_path / "web"
    assert run(["user", "add", "o@demo.example", "--firm", "Demo", "--data", str(data)]) == 0
    capsys.readouterr()
    assert run([*args, "--data", str(data)]) == 2
    assert es in capsys.readouterr().err
    assert run(["--lang", "en", *args, "--data", str(data)]) == 2
    assert en in capsys.readouterr().err


def test_prospects_score_of_a_firm_without_an_import_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CARTERA_DATABASE_URL", raising=False)
    monkeypatch.setenv("CARTERA_PASSWORD", "correct horse battery")
    data = tmp_path / "web"
    assert run(["user", "add", "o@demo.example", "--firm", "Demo", "--data", str(data)]) == 0
    capsys.readouterr()
    assert run(["prospects", "score", "--firm", "demo", "--data", str(data)]) == 2
    assert "La empresa «Demo» aún no tiene ninguna importación" in capsys.readouterr().err
