"""Files and faults that once ended in a traceback: each ends in a message and an exit code.

Every case goes through the real entry point (``cartera.cli.app.run``) and checks the
exit code, the message (file, row, column where it is a row's fault) and that nothing
half-written is left behind.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import polars as pl
import pytest

from cartera.cli.app import run

DEMO = Path(__file__).parent.parent / "data" / "demo"
FACTURAS = (DEMO / "facturas.csv").read_bytes().decode("cp1252")

pytestmark = pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")


def _cr_only(tmp_path: Path) -> Path:
    path = tmp_path / "mac.csv"
    path.write_bytes(FACTURAS.replace("\r\n", "\n").replace("\n", "\r").encode("cp1252"))
    return path


def _out(capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return captured.out, captured.err


def test_cr_only_line_ends_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["import", str(_cr_only(tmp_path)), "--into", str(tmp_path / "ws")]) == 0
    out, _err = _out(capsys)
    assert "documentos: 10 filas leídas, 10 aceptadas, 0 rechazadas" in out
    clients = pl.read_parquet(tmp_path / "ws" / "clients.parquet")
    assert "Óptica Íñiguez" in clients["name"].to_list()


def test_cr_only_line_ends_inspect_and_analyze(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _cr_only(tmp_path)
    assert run(["inspect", str(path), "--lang", "en"]) == 0
    out, _err = _out(capsys)
    assert "Rows: 10" in out and "Looks like: documents" in out
    assert run(["analyze", str(path), "--format", "json", "--lang", "en"]) == 0
    out, _err = _out(capsys)
    assert '"clients"' in out


def _quote_file(tmp_path: Path) -> Path:
    path = tmp_path / "quote.csv"
    path.write_text(
        "Nº factura;Fecha;Cliente;Base imponible\n"
        "F1;15/01/2024;Pérez;100\n"
        'F2;16/01/2024;"Gómez;200\n'
        "F3;17/01/2024;Ruiz;300\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("command", ["inspect", "import"])
def test_unterminated_quote_names_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    args = [command, str(_quote_file(tmp_path)), "--lang", "en"]
    if command == "import":
        args += ["--into", str(tmp_path / "ws")]
    assert run(args) == 1
    err = _out(capsys)[1]
    assert "quote.csv, row 3, column «Cliente»" in err
    assert "never closed" in err
    assert "Gómez;200\nF3" not in err, "no dump of raw text"
    assert not (tmp_path / "ws").exists()


def test_stray_quote_names_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "stray.csv"
    path.write_text(
        "Nº factura;Fecha;Cliente;Base imponible\n"
        "F1;15/01/2024;Pérez;100\n"
        "F2;16/01/2024;Gómez;200\n"
        'F3;17/01/2024;Ruiz 5" S.L.;300\n',
        encoding="utf-8",
    )
    assert run(["inspect", str(path), "--lang", "en"]) == 1
    err = _out(capsys)[1]
    assert "stray.csv, row 4, column «Cliente»" in err and "double the quotes" in err


def test_empty_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import xlsxwriter

    path = tmp_path / "vacio.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Hoja1")
    book.close()
    for args in (["import", str(path), "--into", str(tmp_path / "ws")], ["inspect", str(path)]):
        assert run([*args, "--lang", "en"]) == 1
        err = _out(capsys)[1]
        assert "vacio.xlsx: the workbook has no data; every sheet is empty." in err
    assert run(["inspect", str(path), "--sheet", "Hoja1", "--lang", "es"]) == 1
    assert "la hoja «Hoja1» está vacía" in _out(capsys)[1]


def test_into_a_folder_without_permission(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    assert run(["import", str(DEMO), "--into", str(tmp_path / "ro" / "ws"), "--lang", "en"]) == 1
    err = _out(capsys)[1]
    assert f"Cannot write {tmp_path / 'ro' / 'ws'}: permission denied" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into any folder")
def test_into_a_read_only_folder_for_real(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "ro").mkdir(mode=0o555)
    assert run(["import", str(DEMO), "--into", str(tmp_path / "ro" / "ws"), "--lang", "en"]) == 1
    assert "permission denied" in _out(capsys)[1]


@pytest.mark.parametrize(
    "failure",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        pl.exceptions.ComputeError("failed to write: No space left on device (os error 28)"),
    ],
)
def test_disk_full_during_import_keeps_the_old_workspace(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    failure: Exception,
) -> None:
    ws = tmp_path / "ws"
    assert run(["import", str(DEMO / "facturas.csv"), "--into", str(ws)]) == 0
    before = (ws / "manifest.json").read_bytes()
    capsys.readouterr()
    real = pl.DataFrame.write_parquet

    def fill_disk(self: pl.DataFrame, file: Path, **kwargs: object) -> None:
        if Path(file).name == "clients.parquet":
            Path(file).write_bytes(b"PAR1 cut short")
            raise failure
        real(self, file, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pl.DataFrame, "write_parquet", fill_disk)
    assert run(["import", str(DEMO), "--into", str(ws), "--lang", "en"]) == 1
    err = _out(capsys)[1]
    assert f"Cannot write {ws}: the disk is full; free some space and run again." in err
    assert (ws / "manifest.json").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ws"], "no aside folder left"


def test_report_disk_full_leaves_no_cut_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cartera.report import html

    out = tmp_path / "out" / "report.html"
    out.parent.mkdir()
    out.write_text("the previous report", encoding="utf-8")

    def fill_disk(analysis: object, target: Path, stress: object = None) -> Path:
        target.write_text("<html><body>cut sh", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(html, "write", fill_disk)
    args = ["report", str(DEMO), "--out", str(out), "--no-stress", "--lang", "en"]
    assert run(args) == 1
    err = _out(capsys)[1]
    assert "the disk is full" in err
    assert out.read_text(encoding="utf-8") == "the previous report"
    assert sorted(p.name for p in out.parent.iterdir()) == ["report.html"]


def test_report_is_moved_in_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    assert run(["report", str(DEMO), "--out", str(out), "--no-stress"]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert out.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_markup_in_a_client_name_is_printed_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(DEMO, data)
    text = FACTURAS.replace("Óptica Íñiguez", "Óptica [/] [bold]Íñiguez")
    (data / "facturas.csv").write_bytes(text.encode("cp1252"))
    clients = (data / "clientes.csv").read_bytes().decode("cp1252")
    (data / "clientes.csv").write_bytes(
        clients.replace("Óptica Íñiguez", "Óptica [/] [bold]Íñiguez").encode("cp1252")
    )
    assert run(["whatif", str(data), "--lose", "C0003", "--lang", "en"]) == 0
    out, _err = _out(capsys)
    assert "Óptica [/] [bold]Íñiguez (C0003)" in out
    assert run(["analyze", str(data), "--lang", "en"]) == 0
    out, _err = _out(capsys)
    assert "Óptica [/] [bold]Íñiguez" in out
    assert run(["stress", str(data), "--scenarios", "200", "--lang", "en"]) == 0
    _out(capsys)


def _workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    ws = tmp_path / "ws"
    assert run(["import", str(DEMO), "--into", str(ws)]) == 0
    capsys.readouterr()
    return ws


@pytest.mark.parametrize("damage", ["truncated", "foreign", "missing"])
def test_damaged_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str) -> None:
    ws = _workspace(tmp_path, capsys)
    table = ws / "documents.parquet"
    if damage == "truncated":
        table.write_bytes(table.read_bytes()[: table.stat().st_size // 2])
    elif damage == "foreign":
        pl.DataFrame({"a": [1, 2]}).write_parquet(table)
    else:
        table.unlink()
    assert run(["analyze", str(ws), "--lang", "en"]) == 1
    err = _out(capsys)[1]
    assert f"The workspace {ws} is damaged" in err
    assert f"cartera import FILES --into {ws} --force" in err
    assert "documents.parquet" in err
    # The same files again are not "unchanged": the damaged workspace is rebuilt.
    assert run(["import", str(DEMO), "--into", str(ws), "--lang", "en"]) == 0
    out, _err = _out(capsys)
    assert "unchanged" not in out and "Imported into" in out
    assert run(["analyze", str(ws), "--format", "json"]) == 0
    _out(capsys)


def test_force_reimports_the_same_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = _workspace(tmp_path, capsys)
    assert run(["import", str(DEMO), "--into", str(ws), "--lang", "en"]) == 0
    assert "unchanged" in _out(capsys)[0]
    assert run(["import", str(DEMO), "--into", str(ws), "--force", "--lang", "en"]) == 0
    out, _err = _out(capsys)
    assert "unchanged" not in out and "Imported into" in out


def test_documents_without_amount_say_the_amount_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sin_importe.csv"
    path.write_text("Nº factura;Fecha;Cliente\nF1;15/01/2024;Acme\n", encoding="utf-8")
    assert run(["import", str(path), "--into", str(tmp_path / "ws"), "--lang", "en"]) == 1
    err = _out(capsys)[1]
    assert "sin_importe.csv: no column for «net / amount / total / unit_price»" in err
    assert "«Base imponible»" in err
