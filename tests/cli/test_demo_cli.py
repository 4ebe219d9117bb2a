"""``cartera demo DIR``: writes the four export files and says where they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from cartera.cli.app import run
from cartera.demo import FILES


def test_demo_writes_the_four_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "nueva" / "demo"
    code = run(["demo", str(folder), "--clients", "30", "--lines", "2000", "--seed", "5",
                "--lang", "es"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted([*FILES.values(), "prospects"])
    assert "Datos de demostración escritos en" in out
    assert "clientes.csv: 30 filas" in out
    assert (folder / "facturas.csv").read_bytes().startswith("Nº factura;".encode("cp1252"))


def test_demo_in_english_and_same_seed_same_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--clients", "25", "--lines", "1500", "--lang", "en"]
    assert run(["demo", str(tmp_path / "a"), *args]) == 0
    assert run(["demo", str(tmp_path / "b"), *args]) == 0
    out = capsys.readouterr().out
    assert "Demo data written to" in out and "Analyse it with: cartera analyze" in out
    for name in FILES.values():
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_demo_too_few_clients_is_a_clean_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["demo", str(tmp_path), "--clients", "5", "--lang", "en"])
    captured = capsys.readouterr()
    assert code == 2  # a settings error
    assert "--clients must be at least 20" in captured.err
    assert "Traceback" not in captured.err
    assert not list(tmp_path.iterdir())


def test_demo_help_is_translated(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["demo", "--help", "--lang", "es"]) == 0
    assert "Número de líneas de factura" in capsys.readouterr().out
