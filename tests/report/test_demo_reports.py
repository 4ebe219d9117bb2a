"""Every format for the demo portfolio in both languages, read back and checked."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader
from test_browser import CHARTS, assert_chart_visible, open_report

from cartera.i18n import fmt_money, language
from cartera.result import PortfolioAnalysis, StressResult

# ibis's DuckDB backend still calls a method newer duckdb deprecates (third-party, harmless).
pytestmark = pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")

LANGS = ("es", "en")
HEADINGS = {
    "es": ["Informe de la cartera de clientes", "Resumen", "Mezcla de segmentos",
           "Clientes a dejar ir", "Recomendaciones", "Gráficos",
           "Prueba de estrés ante una crisis"],
    "en": ["Client portfolio report", "Summary", "Segment mix", "Clients to let go",
           "Recommendations", "Charts", "Crisis stress test"],
}  # fmt: skip


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[PortfolioAnalysis, StressResult, dict[tuple[str, str], Path]]:
    """A small demo portfolio analysed once, with every report in both languages."""
    from cartera import analyze
    from cartera.demo import write_demo
    from cartera.report import render_all
    from cartera.scenarios import stress_test

    root = tmp_path_factory.mktemp("demo")
    write_demo(root / "data", clients=120, lines=6000)
    analysis = analyze(root / "data")
    result = stress_test(analysis, scenarios=2000)
    paths = {}
    for lang in LANGS:
        for path in render_all(analysis, root / lang, result, lang=lang):
            paths[path.suffix.lstrip("."), lang] = path
    return analysis, result, paths


def _text(value: Any) -> str:
    return " ".join(str(value).replace("\xa0", " ").split())


@pytest.mark.parametrize("lang", LANGS)
def test_demo_html(demo: Any, lang: str) -> None:
    analysis, _stress, paths = demo
    html = paths["html", lang].read_text(encoding="utf-8")
    for heading in HEADINGS[lang]:
        assert heading in html
    with language(lang):
        assert fmt_money(analysis.portfolio.revenue, analysis.currency, digits=0) in html
    for chart in CHARTS:
        assert f'id="chart-{chart}"' in html
    assert html.count('<tr class="seg-') >= min(len(analysis.clients), 250)


@pytest.mark.parametrize("lang", LANGS)
def test_demo_xlsx(demo: Any, lang: str) -> None:
    analysis, _stress, paths = demo
    book = openpyxl.load_workbook(paths["xlsx", lang], read_only=True)
    assert len(book.sheetnames) == 8  # with the client profile: the demo clients have attributes
    rows = list(book[book.sheetnames[1]].iter_rows(values_only=True))
    book.close()
    assert len(rows) - 1 == len(analysis.clients)
    by_id = {str(r[1]): r for r in rows[1:]}
    for client in analysis.clients:
        assert by_id[client.id][5] == pytest.approx(client.metrics.revenue)
        assert by_id[client.id][2] == client.name
    with zipfile.ZipFile(paths["xlsx", lang]) as zf:
        assert any(n.startswith("xl/charts/chart") for n in zf.namelist())


@pytest.mark.parametrize("lang", LANGS)
def test_demo_pdf(demo: Any, lang: str) -> None:
    analysis, result, paths = demo
    reader = PdfReader(paths["pdf", lang])
    assert 2 <= len(reader.pages) <= 6  # a brief: summary, charts, recommendations, lists
    text = _text(" ".join(p.extract_text() or "" for p in reader.pages))
    for heading in HEADINGS[lang]:
        assert heading in text, heading
    with language(lang):
        revenue = fmt_money(analysis.portfolio.revenue, analysis.currency, digits=0)
        p5 = fmt_money(result.profit_p5, analysis.currency, digits=0)
    assert _text(revenue) in text
    assert _text(p5) in text


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_demo_html_in_chromium(page: Any, demo: Any, artifacts: Path, lang: str) -> None:
    _analysis, _stress, paths = demo
    page.set_viewport_size({"width": 1280, "height": 900})
    errors, requests = open_report(page, paths["html", lang])
    for chart in CHARTS:
        assert_chart_visible(page, chart)
    assert errors == [] and requests == []
    page.screenshot(path=str(artifacts / f"demo-report-{lang}.png"), full_page=True)


@pytest.mark.parametrize("lang", LANGS)
def test_demo_profile_in_every_format(demo: Any, lang: str) -> None:
    """The demo's planted traits give structure clients rules; each format says them alike."""
    from cartera.study import client_attributes, profile, rule_sentence

    analysis, _stress, paths = demo
    assert analysis._client_attributes is not None
    result = profile(client_attributes(analysis.clients_frame, analysis._client_attributes))
    with language(lang):
        sentences = [_text(rule_sentence(r)) for s in result.segments for r in s.rules]
    assert result.segment("structure").rules and sentences
    html = _text(paths["html", lang].read_text(encoding="utf-8"))
    pdf = _text(" ".join(p.extract_text() or "" for p in PdfReader(paths["pdf", lang]).pages))
    book = openpyxl.load_workbook(paths["xlsx", lang], read_only=True)
    cells = [_text(c) for row in book[book.sheetnames[5]].iter_rows(values_only=True) for c in row
             if c is not None]  # fmt: skip
    book.close()
    title = {
        "en": "Who your clients of each kind are",
        "es": "Quiénes son sus clientes de cada tipo",
    }
    for text in (html, pdf, " ".join(cells)):
        assert title[lang] in text
    for sentence in sentences:
        assert sentence in html
        assert sentence in pdf
        assert sentence in cells
