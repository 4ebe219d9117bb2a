"""``cartera inspect`` and ``cartera import`` through the real CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cartera.cli.app import run

DATA = Path(__file__).parent.parent / "data"


def test_inspect_table(capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["inspect", str(DATA / "demo" / "facturas.csv"), "--lang", "es"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Parece: documentos" in out
    assert "Base imponible" in out and "net" in out and "1.234,56" in out
    assert "cp1252" in out


def test_inspect_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = run(
        [
            "inspect",
            str(DATA / "dialects" / "libro_expedidas.xlsx"),
            "--format",
            "json",
            "--lang",
            "en",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["table"] == "documents" and data["sheet"] == "EXPEDIDAS"
    roles = {c["header"]: c["role"] for c in data["columns"]}
    assert roles["Base Imponible"] == "net"


def test_inspect_shows_ambiguity_instead_of_failing(capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["inspect", str(DATA / "bad" / "ambiguous_dates.csv"), "--lang", "en"])
    assert code == 0
    assert "--date-format" in capsys.readouterr().out


def test_import_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["import", str(DATA / "demo"), "--into", str(tmp_path / "ws"), "--lang", "es"])
    out = capsys.readouterr().out
    assert code == 0
    assert "documentos: 10 filas leídas, 10 aceptadas, 0 rechazadas" in out
    assert "«Base imponible»" in out
    assert run(["import", str(DATA / "demo"), "--into", str(tmp_path / "ws"), "--lang", "en"]) == 0
    assert "unchanged" in capsys.readouterr().out


def test_import_explicit_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = DATA / "dialects"
    code = run(
        ["import", "--documents", str(d / "english_invoices.csv"),
         "--payments", str(d / "payments.csv"), "--clients", str(d / "customers.csv"),
         "--into", str(tmp_path / "ws"), "--lang", "en"]
    )  # fmt: skip
    assert code == 0
    assert "payments: 4 rows read, 4 accepted, 0 rejected" in capsys.readouterr().out


def test_bad_rows_refused_then_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = str(DATA / "bad" / "bad_rows.csv")
    code = run(["import", bad, "--into", str(tmp_path / "ws"), "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 1
    assert "row 3, column «Fecha», value «31/02/2024»" in err
    assert "Traceback" not in err
    assert not (tmp_path / "ws").exists()
    code = run(["import", bad, "--into", str(tmp_path / "ws"), "--skip-bad-rows", "--lang", "en"])
    assert code == 0
    assert "6 rejected" in capsys.readouterr().out
    assert (tmp_path / "ws" / "rejects" / "bad_rows.documents.rejects.csv").is_file()


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["inspect", str(DATA / "bad" / "report.csv")], 1),
        (["inspect", str(DATA / "bad" / "ambiguous_decimal.csv"), "--table", "activities"], 1),
        (["import", str(DATA / "bad" / "ambiguous_dates.csv"), "--into", "{tmp}/ws"], 2),
        (["import", str(DATA / "demo"), "--into", "{tmp}/ws", "--decimal", "coma"], 2),
        (["inspect", str(DATA / "demo" / "facturas.csv"), "--format", "xml"], 2),
    ],
)
def test_errors_exit_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int
) -> None:
    assert run([a.replace("{tmp}", str(tmp_path)) for a in args]) == code
    err = capsys.readouterr().err
    assert err.startswith("Error") and "Traceback" not in err


def test_decimal_and_date_format_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(
        ["import", str(DATA / "bad" / "ambiguous_dates.csv"), "--into", str(tmp_path / "ws"),
         "--date-format", "%d/%m/%Y", "--lang", "en"]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err


def test_inspect_unknown_table(capsys: pytest.CaptureFixture[str]) -> None:
    code = run(
        ["inspect", str(DATA / "demo" / "facturas.csv"), "--table", "ventas", "--lang", "es"]
    )
    assert code == 1
    assert "Tabla desconocida «ventas»" in capsys.readouterr().err
