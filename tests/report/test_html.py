"""The HTML report as a file: self-contained, localised, one plotly.js, sortable data."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from cartera.result import PortfolioAnalysis


@pytest.mark.parametrize("lang", ["es", "en"])
def test_self_contained(fixture_report: Callable[[str, str], Path], lang: str) -> None:
    html = fixture_report("html", lang).read_text(encoding="utf-8")
    scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    assert len(scripts) == 2  # plotly.js once, our script once
    assert scripts[0].startswith("/**") and "plotly.js (basic - minified) v4" in scripts[0][:300]
    # Outside plotly.js (whose own strings name its website): no external resource.
    page = html.replace(scripts[0], "")
    assert not re.search(r"""(src|href|url)\s*[=(]\s*["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page
    assert f'<html lang="{lang}">' in html


def test_spanish_labels_and_numbers(fixture_report: Callable[[str, str], Path]) -> None:
    html = fixture_report("html", "es").read_text(encoding="utf-8")
    for text in (
        "Informe de la cartera de clientes",
        "Clientes a dejar ir (3)",
        "Clientes con los que renegociar (2)",
        "Recomendaciones",
        "Prueba de estrés ante una crisis",
        "1.267.840\xa0€",
        "paga a 172 días (límite 120)",
    ):
        assert text in html, text


def test_english_labels_and_numbers(fixture_report: Callable[[str, str], Path]) -> None:
    html = fixture_report("html", "en").read_text(encoding="utf-8")
    for text in ("Client portfolio report", "Clients to let go (3)", "€1,267,840", "Let go"):
        assert text in html, text
    assert "Informe" not in html


def test_client_table_carries_raw_values_for_sorting(
    fixture_report: Callable[[str, str], Path], analysis: PortfolioAnalysis
) -> None:
    html = fixture_report("html", "en").read_text(encoding="utf-8")
    table = html.split('id="client-table"')[1].split("</table>")[0]
    rows = re.findall(r'<tr class="seg-(\w+)" data-id="(\w+)">', table)
    assert [cid for _seg, cid in rows] == [
        c.id for c in sorted(analysis.clients, key=lambda c: c.metrics.rank)
    ]
    top = analysis.clients[0] if analysis.clients[0].metrics.rank == 1 else None
    assert top is not None
    assert f'data-sort="{top.metrics.revenue}"' in table


@pytest.mark.parametrize("lang", ["es", "en"])
def test_under_the_size_budget(fixture_report: Callable[[str, str], Path], lang: str) -> None:
    """Plotly's basic bundle (from the pinned npm package), not the full one: under 1.5 MB."""
    from cartera.report.html import BASIC_BUNDLE

    assert BASIC_BUNDLE.is_file(), "run `make assets` (npm ci in src/cartera/report/vendor)"
    assert fixture_report("html", lang).stat().st_size < 1_500_000


def test_charts_come_before_recommendations_and_tables(
    fixture_report: Callable[[str, str], Path],
) -> None:
    html = fixture_report("html", "en").read_text(encoding="utf-8")
    order = [
        html.index(f'<section id="{name}"')
        for name in ("summary", "charts", "recommendations", "segments", "assumptions", "lists")
    ]
    assert order == sorted(order)
    # The long lists are folded: the client table sits inside a closed <details>.
    assert re.search(r'<details id="clients">\s*<summary>', html)


def test_recommendations_list_their_clients(fixture_report: Callable[[str, str], Path]) -> None:
    html = fixture_report("html", "en").read_text(encoding="utf-8")
    item = html.split('data-code="let_go"')[1].split("</li>")[0]
    assert "High priority" in item and "Change in profit" in item and "+€5,125" in item
    for cid in ("C009", "C015", "C016"):
        assert f'data-id="{cid}"' in item
    assert "more" not in item
    assert "Assumptions" in html and "Fixed costs per year" in html
    assert "--fixed-costs" not in html and "←" not in html
