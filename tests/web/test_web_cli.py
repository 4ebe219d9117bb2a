"""``cartera user add`` (the server itself runs in the browser test)."""

from __future__ import annotations

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
