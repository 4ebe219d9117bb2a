"""``cartera report`` on an imported demo workspace."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from cartera.cli.app import run
from cartera.demo import write_demo
from cartera.io import import_files

# ibis 12 on duckdb 1.4 calls a deprecated duckdb method when it reads Parquet.
pytestmark = pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report_cli")
    write_demo(root / "data", clients=80, lines=3000, seed=5)
    import_files([root / "data"], into=root / "ws")
    return root / "ws"


def test_html_report_prints_its_path(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "informe.html"
    code = run(["report", str(workspace), "--format", "html", "--out", str(out), "--lang", "es"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.out.strip() == str(out)
    html = out.read_text(encoding="utf-8")
    assert "Informe de la cartera de clientes" in html
    assert "Prueba de estrés ante una crisis" in html  # stress is on by default


def test_xlsx_without_stress_in_english(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.xlsx"
    code = run(["report", str(workspace), "--format", "xlsx", "--out", str(out), "--lang", "en",
                "--no-stress", "--fixed-costs", "50000"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "Summary"
    labels = [r[0] for r in book["Summary"].iter_rows(values_only=True)]
    assert "Crisis stress test" not in labels
    assert "Profit" in labels


def test_all_formats_into_a_folder(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["report", str(workspace), "--format", "all", "--out", str(tmp_path / "out"),
                "--no-stress", "--lang", "en"])  # fmt: skip
    printed = capsys.readouterr().out.split()
    assert code == 0
    assert [Path(p).suffix for p in printed] == [".html", ".xlsx", ".pdf"]
    assert all(Path(p).stat().st_size > 1000 for p in printed)


def test_unknown_format_is_a_clear_error(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["report", str(workspace), "--format", "docx", "--out", str(tmp_path / "x"),
                "--lang", "en"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 2
    assert "Unknown report format «docx»" in captured.err
    assert "Traceback" not in captured.err


def test_help_is_localised(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["report", "--help", "--lang", "es"]) == 0
    assert "Escribe el informe de la cartera" in capsys.readouterr().out


def _cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(path)
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in book}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_xlsx_with_the_stress_test_alongside_is_the_same_book(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    """The command runs the stress test in a thread while the clients sheet is written; the
    book equals the one written with the finished result, sheet by sheet and cell by cell."""
    from cartera.analysis import analyze
    from cartera.i18n import language
    from cartera.report import xlsx
    from cartera.scenarios import stress_test

    out = tmp_path / "command.xlsx"
    code = run(["report", str(workspace), "--format", "xlsx", "--out", str(out), "--lang", lang])
    assert code == 0, capsys.readouterr().err
    analysis = analyze(workspace)
    with language(lang):
        direct = xlsx.write(analysis, tmp_path / "direct.xlsx", stress_test(analysis))
        order = list(xlsx.sheet_names().values())
        called: list[bool] = []
        deferred = xlsx.write(
            analysis,
            tmp_path / "deferred.xlsx",
            lambda: called.append(True) or stress_test(analysis),
        )
    book = _cells(out)
    assert called == [True]
    assert list(book) == order  # the summary stays the first sheet
    assert book == _cells(direct) == _cells(deferred)
    stress_label = "Prueba de estrés ante una crisis" if lang == "es" else "Crisis stress test"
    assert any(stress_label in str(cell) for row in book[next(iter(book))] for cell in row)


@pytest.mark.parametrize("fmt", ["html", "xlsx"])
def test_a_report_without_a_cost_column_leaves_out_only_the_stress_test(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    """Most exports have no cost column: the report is written, saying what it leaves out
    (it used to refuse the whole report)."""
    data = tmp_path / "ventas.csv"
    data.write_text(
        "Invoice,Date,Customer,Amount\n1,2025-01-15,Acme,100.00\n2,2025-02-16,Beta,50.00\n"
        "3,2025-03-17,Acme,70.00\n",
        encoding="utf-8",
    )
    out = tmp_path / f"report.{fmt}"
    code = run(["--lang", "en", "report", str(data), "--format", fmt, "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert out.is_file()
    assert "leaves out the crisis stress test" in captured.err
    code = run(["--lang", "es", "report", str(data), "--format", fmt, "--out", str(out)])
    assert code == 0
    assert "deja fuera la prueba de estrés" in capsys.readouterr().err
