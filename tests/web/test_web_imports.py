"""The imports page: preview, a role corrected in the page (written to the mapping), failures."""

from __future__ import annotations

import tomllib
from pathlib import Path

from web_helpers import add_user, login, make_app

from cartera.i18n import language
from cartera.web.pages.imports import preview, safe_name, stage_paths


def test_safe_name_keeps_no_folder() -> None:
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\\\x\\\\facturas 2024.csv") == "facturas 2024.csv"
    assert safe_name("..") == "file"


def test_preview_fix_a_role_then_import(tmp_path: Path, demo_dir: Path) -> None:
    app = make_app(tmp_path)
    add_user(app, "ana@alfa.es", "alfa", "analyst")
    client, csrf = login(app, "ana@alfa.es")
    files = [("files", (p.name, p.read_bytes())) for p in sorted(demo_dir.glob("*.csv"))]
    r = client.post("/f/alfa/imports", data={"csrf_token": csrf}, files=files)
    staged = str(r.url)
    assert "Razón social" in r.text and "facturas.csv" in r.text
    # roles read in the user's words, the code stays the value the form sends
    assert '<option value="client_name" selected>nombre del cliente</option>' in r.text
    assert ">client_name<" not in r.text and ">doc_number<" not in r.text
    # the contact person column is not a role; make "Persona de contacto" the client's name
    r = client.post(
        f"{staged}/role",
        data={"file": "clientes.csv", "table": "clients", "header": "Persona de contacto",
              "role": "client_name"},
        headers={"X-CSRF-Token": csrf, "HX-Request": "true"},
    )  # fmt: skip
    assert r.status_code == 200 and "<html" not in r.text
    token = staged.rsplit("/", 1)[1]
    mapping = tomllib.loads(
        (tmp_path / "firms" / "1" / "staging" / token / "mapping.toml").read_text("utf-8")
    )
    assert mapping["clients"]["files"] == ["clientes.csv"]
    assert mapping["activities"]["files"] == ["actividades.csv"]
    assert mapping["clients"]["columns"]["client_name"] == "Persona de contacto"
    r = client.post(f"{staged}/run", data={"csrf_token": csrf})
    assert r.status_code == 200 and "/imports/1" in str(r.url)
    names = client.get("/f/alfa/clients?per_page=500&format=json").json()["rows"]
    assert "Elena Soler" in {row["cells"][1]["text"] for row in names}
    # a wrong role name is refused with the reason, not a crash
    r = client.post(f"/f/alfa/imports/staged/{token}/role", data={"csrf_token": csrf})
    assert r.status_code in (404, 422)
    app.state.cartera.store.dispose()


def test_failed_import_is_recorded_with_its_reason(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    add_user(app, "ana@alfa.es", "alfa", "owner")
    client, csrf = login(app, "ana@alfa.es")
    r = client.post("/f/alfa/imports", data={"csrf_token": csrf},
                    files=[("files", ("rara.csv", b"foo;bar\n1;2\n"))])  # fmt: skip
    r = client.post(f"{r.url}/run", data={"csrf_token": csrf})
    assert r.status_code == 422
    history = client.get("/f/alfa/imports").text
    assert "fallida" in history and "rara.csv" in history
    assert client.get("/f/alfa/").status_code == 200  # still the empty page
    assert "Aún no hay datos" in client.get("/f/alfa/").text
    app.state.cartera.store.dispose()


def test_preview_roles_are_labels_in_each_language(tmp_path: Path, demo_dir: Path) -> None:
    from cartera.io.aliases import ALIASES
    from cartera.report.labels import _FIELDS

    stage = stage_paths(tmp_path, sorted(demo_dir.glob("*.csv")))
    for lang, name, code_label in (("es", "nombre del cliente", "serie de factura"),
                                   ("en", "client name", "invoice series")):  # fmt: skip
        with language(lang):
            files = {f["file"]: f for f in preview(stage)}
        clients = dict(files["clientes.csv"]["roles"])
        assert clients["client_name"] == name
        assert set(clients) == set(ALIASES["clients"])  # every role offered, once
        documents = dict(files["facturas.csv"]["roles"])
        assert documents["series"] == code_label
        # every role has a label of its own: none falls back to its code
        for f in files.values():
            assert all("_" not in label for _code, label in f["roles"])
    assert {r for roles in ALIASES.values() for r in roles} <= set(_FIELDS)
