"""Input that was once read with something quietly lost: now read right, or refused."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from cartera.cli.app import run

DEMO = Path(__file__).parent.parent / "data" / "demo"
FACTURAS = (DEMO / "facturas.csv").read_bytes().decode("cp1252")
HEAD = "Nº factura;Fecha;Cliente;Base imponible\n"


def _err(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return captured.err


def _rows(n: int) -> str:
    return "".join(f"F{i};15/01/2024;Cliente {i};{i}00\n" for i in range(1, n + 1))


@pytest.mark.parametrize("at", [2, 31, 40])
def test_row_with_more_cells_than_the_header_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], at: int
) -> None:
    """Within the first 30 rows (read to find the header) or after them, the same message."""
    lines = _rows(45).splitlines(keepends=True)
    lines[at - 2] = lines[at - 2].rstrip("\n") + ";extra\n"
    path = tmp_path / "ragged.csv"
    path.write_text(HEAD + "".join(lines), encoding="utf-8")
    assert run(["import", str(path), "--into", str(tmp_path / "ws"), "--lang", "en"]) == 1
    err = _err(capsys)
    assert f"ragged.csv, row {at}, column «(E)»: this row has more fields than the header" in err
    assert not (tmp_path / "ws").exists()


def test_trailing_empty_cells_are_not_extra_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "trailing.csv"
    path.write_text(HEAD + _rows(3).replace("\n", ";\n"), encoding="utf-8")
    assert run(["import", str(path), "--into", str(tmp_path / "ws"), "--lang", "en"]) == 0
    assert "3 rows read, 3 accepted" in capsys.readouterr().out


def test_mac_roman_is_read_as_mac_roman(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(FACTURAS.encode("mac_roman"))
    assert run(["inspect", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["encoding"] == "mac_roman"
    assert [c["header"] for c in data["columns"]][:3] == ["Nº factura", "Fecha", "Código cliente"]
    assert run(["import", str(path), "--into", str(tmp_path / "ws")]) == 0
    names = pl.read_parquet(tmp_path / "ws" / "clients.parquet")["name"].to_list()
    assert {"Óptica Íñiguez", "Muñoz y Asociados S.A.", "Construcciones Pérez S.L."} <= set(names)


def test_cp1252_with_curly_apostrophes_stays_cp1252(tmp_path: Path) -> None:
    from cartera.io.transcode import looks_mac_roman

    path = tmp_path / "win.csv"
    path.write_bytes("Cliente;Importe\nL’Hospitalet;1\nD’Or;2\nPérez;3\n".encode("cp1252"))
    assert not looks_mac_roman(path)
    path.write_bytes("Cliente;Importe\nPérez;1\nMuñoz;2\n".encode("mac_roman"))
    assert looks_mac_roman(path)
    # One Mac Roman letter kind only (``’`` alone) is not enough: cp1252 is kept.
    path.write_bytes(b"Cliente;Importe\nl\x92Hospitalet;1\nd\x92Or;2\n")
    assert not looks_mac_roman(path)
    # No accented name at all: the ``Nº`` of the header tells (found by the fuzzing harness).
    path.write_bytes("Nº factura;Cliente\nF1;A\n".encode("mac_roman"))
    assert looks_mac_roman(path)
    path.write_bytes("Nº factura;Cliente\nF1;A\n".encode("cp1252"))
    assert not looks_mac_roman(path)


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Nº factura", "Fecha", "Cliente", "Base imponible", "Notas"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_formula_without_saved_result_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _workbook(
        tmp_path / "formulas.xlsx",
        [["F1", "15/01/2024", "Pérez", 100, ""], ["F2", "16/01/2024", "Gómez", "=D2*2", "=1+1"]],
    )
    assert run(["import", str(path), "--into", str(tmp_path / "ws"), "--lang", "en"]) == 1
    err = _err(capsys)
    assert "formulas.xlsx, row 3, column «Base imponible»: the cell holds a formula without" in err
    assert "«Notas»" not in err, "an unused column's formula does not matter"
    assert "empty, but a value is required" not in err


def test_spreadsheet_error_is_named_not_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _workbook(
        tmp_path / "errors.xlsx",
        [["F1", "15/01/2024", "Pérez", "#DIV/0!", ""], ["F2", "16/01/2024", "Gómez", 5, ""]],
    )
    assert run(["import", str(path), "--into", str(tmp_path / "ws"), "--lang", "es"]) == 1
    err = _err(capsys)
    assert (
        "errors.xlsx, fila 2, columna «Base imponible», valor «#DIV/0!»: la celda contiene el "
        "error de hoja de cálculo #DIV/0!" in err
    )
    assert "vacío" not in err
    skip = ["import", str(path), "--into", str(tmp_path / "ws"), "--skip-bad-rows"]
    assert run([*skip, "--lang", "en"]) == 0
    assert "1 rejected" in capsys.readouterr().out


def test_password_protected_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = _workbook(tmp_path / "plain.xlsx", [["F1", "15/01/2024", "Pérez", 100, ""]])
    locked = tmp_path / "locked.xlsx"
    with plain.open("rb") as src, locked.open("wb") as dst:
        OOXMLFile(src).encrypt("secreto", dst)
    assert run(["import", str(locked), "--into", str(tmp_path / "ws"), "--lang", "en"]) == 1
    err = _err(capsys)
    assert "locked.xlsx: the workbook is protected with a password." in err
    assert "calamine" not in err.lower() and "ole" not in err.lower()
