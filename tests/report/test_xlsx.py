"""The Excel report read back with openpyxl: sheets, values, formats, the chart part."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from cartera.result import PortfolioAnalysis

SHEETS = {
    "es": [
        "Resumen",
        "Clientes",
        "Pareto",
        "Recomendaciones",
        "Clientes por recomendación",
        "Supuestos",
        "Qué se ha leído",
    ],
    "en": [
        "Summary",
        "Clients",
        "Pareto",
        "Recommendations",
        "Recommendation clients",
        "Assumptions",
        "What was read",
    ],
}


def client_rows(path: Path, sheet: str) -> tuple[list[str], list[list[object]]]:
    book = openpyxl.load_workbook(path, read_only=True)
    rows = [list(r) for r in book[sheet].iter_rows(values_only=True)]
    book.close()
    return [str(h) for h in rows[0]], rows[1:]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_sheets_and_chart_part(fixture_report: Callable[[str, str], Path], lang: str) -> None:
    path = fixture_report("xlsx", lang)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == SHEETS[lang]
    with zipfile.ZipFile(path) as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
        pareto_chart = next(
            zf.read(n).decode() for n in charts if "<c:scatterChart>" in zf.read(n).decode()
        )
    assert len(charts) == 2  # Pareto (scatter) and segment mix (columns)
    assert "Pareto!$A$2" in pareto_chart and "80/20" in pareto_chart


def test_client_values_equal_the_analysis(
    fixture_report: Callable[[str, str], Path], analysis: PortfolioAnalysis
) -> None:
    header, rows = client_rows(fixture_report("xlsx", "en"), "Clients")
    col = {h: i for i, h in enumerate(header)}
    by_id = {str(r[col["Client id"]]): r for r in rows}
    assert len(rows) == len(analysis.clients)
    for client in analysis.clients:
        row = by_id[client.id]
        assert row[col["Client"]] == client.name
        assert row[col["Revenue"]] == pytest.approx(client.metrics.revenue)
        assert row[col["Net contribution"]] == pytest.approx(client.metrics.net_contribution)
        assert row[col["Share"]] == pytest.approx(client.metrics.revenue_share)
        assert row[col["Rank"]] == client.metrics.rank


def test_client_sheet_layout(fixture_report: Callable[[str, str], Path]) -> None:
    book = openpyxl.load_workbook(fixture_report("xlsx", "es"))
    sheet = book["Clientes"]
    assert sheet.freeze_panes == "D2"
    assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
    header = [c.value for c in sheet[1]]
    revenue = sheet.cell(row=2, column=header.index("Ventas") + 1)
    assert revenue.number_format == '#,##0"\xa0€"'  # Spanish: sign after the number
    share = sheet.cell(row=2, column=header.index("Peso") + 1)
    assert share.number_format == "0.0%"
    fill = sheet.cell(row=2, column=1).fill.fgColor.rgb
    assert str(fill).upper().endswith("DFE9F6")  # structure tint on the top client
    english = openpyxl.load_workbook(fixture_report("xlsx", "en"))["Clients"]
    assert english.cell(row=2, column=header.index("Ventas") + 1).number_format == '"€"#,##0'


def test_summary_and_recommendations(
    fixture_report: Callable[[str, str], Path], analysis: PortfolioAnalysis
) -> None:
    book = openpyxl.load_workbook(fixture_report("xlsx", "en"))
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r[0]}
    assert summary["Revenue"] == pytest.approx(analysis.portfolio.revenue)
    assert summary["Profit"] == pytest.approx(analysis.portfolio.profit)
    recs = list(book["Recommendations"].iter_rows(values_only=True))
    assert len(recs) == len(analysis.recommendations) + 1
    assert any("Comercial Sánchez y Cía" in str(r[2]) for r in recs[1:])
    inputs = [r for r in book["What was read"].iter_rows(values_only=True) if r[0]]
    assert ("Source file", "facturas.csv") in inputs


def test_numbers_are_stored_as_numbers(
    fixture_report: Callable[[str, str], Path], analysis: PortfolioAnalysis
) -> None:
    """Stress figures, the margin % and the Pareto share are numbers with number formats."""
    book = openpyxl.load_workbook(fixture_report("xlsx", "en"))
    cells = {r[0].value: r for r in book["Summary"].iter_rows() if r[0].value}
    margin = cells["Gross margin"][2]
    assert margin.value == pytest.approx(analysis.portfolio.margin_pct)
    assert margin.number_format == "0.0%"
    assert cells["Pareto"][1].value == pytest.approx(0.3125)  # 5 of 16 clients
    p5 = cells["Profit in the worst 5% of years"][1]
    assert p5.value == -31_000 and p5.number_format == '"€"#,##0'
    assert cells["Chance of a loss"][1].value == pytest.approx(0.38)
    assert cells["Chance of a loss"][1].number_format == "0.0%"
    assert cells["Simulated years"][1].value == 10_000
    assert cells["Largest client leaves"][1].value == -45_000


def test_every_client_of_every_recommendation(
    fixture_report: Callable[[str, str], Path], analysis: PortfolioAnalysis
) -> None:
    header, rows = client_rows(fixture_report("xlsx", "en"), "Recommendation clients")
    col = {h: i for i, h in enumerate(header)}
    listed = [(r[col["Recommendation"]], r[col["Client id"]]) for r in rows]
    assert listed[:3] == [("Let go", "C009"), ("Let go", "C015"), ("Let go", "C016")]
    expected = sum(len(r.clients) for r in analysis.recommendations)
    assert len(rows) == expected
    recs = list(openpyxl.load_workbook(fixture_report("xlsx", "en"))["Recommendations"].values)
    let_go = next(r for r in recs if r[1] == "Let go")
    assert let_go[0] == 1 and let_go[3] == "Change in profit" and let_go[4] == 5_125
    assert let_go[5] == 3


@pytest.mark.parametrize("lang", ["es", "en"])
def test_recommendation_clients_follow_the_recommendations_sheet(
    fixture_report: Callable[[str, str], Path], lang: str
) -> None:
    """The client rows are written before the view (from the analysis): their priorities,
    titles and counts are those of the recommendations sheet, in its order."""
    path = fixture_report("xlsx", lang)
    book = openpyxl.load_workbook(path, read_only=True)
    recommendations, clients = (
        list(book[s].iter_rows(values_only=True)) for s in SHEETS[lang][3:5]
    )
    book.close()
    listed = [(r[0], r[1], r[5]) for r in recommendations[1:] if r[5]]
    seen: list[tuple[object, object, int]] = []
    for priority, title, *_rest in clients[1:]:
        if seen and seen[-1][:2] == (priority, title):
            seen[-1] = (priority, title, seen[-1][2] + 1)
        else:
            seen.append((priority, title, 1))
    assert seen == listed and len(listed) >= 2


def test_assumptions_sheet(fixture_report: Callable[[str, str], Path]) -> None:
    sheet = openpyxl.load_workbook(fixture_report("xlsx", "en"))["Assumptions"]
    values = {r[0].value: r[1] for r in sheet.iter_rows() if r[0].value}
    fixed = values["Fixed costs per year (salaries, rent…)"]
    assert fixed.value == 180_000 and fixed.number_format == '"€"#,##0'
    assert values["Late payment: days to pay above"].value == 120
