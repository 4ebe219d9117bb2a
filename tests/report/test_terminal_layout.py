"""The dashboard reads at every common width: no word split, no line too long.

A word is what lies between ASCII spaces, so ``1.188 €`` and ``0,10 %`` (number and
unit joined by a no-break space) are one word. The old layout broke both: it gave
the summary's labels most of the width and left the notes 5 columns ("Sin / coste /
s / fijos"), and Rich broke numbers from their units.
"""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from dashboard_text import dashboard_text
from rich.console import Console

from cartera.i18n import fmt_share, language
from cartera.report.labels import reason_text
from cartera.report.terminal import NOTE_MIN, dashboard
from cartera.report.view import Figure, ReportView, build_view
from cartera.result import PortfolioAnalysis, Reason, StressResult
from cartera.scenarios.texts import FIXED_COSTS_HINT

WIDTHS = [80, 100, 120, 160]


def large_firm(analysis: PortfolioAnalysis) -> PortfolioAnalysis:
    """The fixture at the scale of the 500,000-client workspace: ten-digit figures, no
    fixed costs (the longest headline label and note), a client far below 0.001 %."""
    p = analysis.portfolio
    for field in ("revenue", "gross_margin", "cost_to_serve", "net_contribution"):
        setattr(p, field, getattr(p, field) * 10_000)
    p.fixed_costs, p.profit, p.fixed_cost_coverage = None, None, None
    assert p.worst_single_loss is not None
    p.worst_single_loss.coverage_after = None
    kiosk = next(c for c in analysis.clients if c.id == "C015")
    kiosk.reasons[0] = Reason(code="low_volume", value=0.0000029, threshold=0.001)
    analysis.notes = [FIXED_COSTS_HINT]
    return analysis


def _texts(view: ReportView, limit: int = 15) -> list[str]:
    """Every text of the view the dashboard prints."""
    texts = [view.title, view.subtitle, *view.notes]
    for fig in view.headline:
        texts += [fig.label, fig.text, fig.note]
    texts += [col.label for col in view.segments.columns]
    for table in (view.segments, view.let_go, view.renegotiate):
        texts += [cell.text for row in table.rows[:limit] for cell in row]
    for rec in view.recommendations:
        texts += [rec.title, rec.text]
    if view.stress is not None:
        texts += [t for pair in (*view.stress.figures, *view.stress.named) for t in pair]
        texts += [cell for row in view.stress.tail[:10] for cell in row]
    return texts


def assert_reads_well(out: str, texts: list[str], width: int) -> None:
    """No line past ``width``; every word of ``texts`` whole on one line of ``out``."""
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= width
    for text in texts:
        for word in text.split(" "):
            assert not word or any(word in line for line in lines), (word, text)


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("firm", ["fixture", "large"])
def test_every_word_whole_and_every_line_fits(
    analysis: PortfolioAnalysis, firm: str, width: int, lang: str, stress: StressResult
) -> None:
    analysis = analysis if firm == "fixture" else large_firm(analysis)
    out = dashboard_text(analysis, width, lang, stress=stress)
    with language(lang):
        view = build_view(analysis, stress, terminal=True)
    assert_reads_well(out, _texts(view), width)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_large_firm_summary_is_short_at_80(analysis: PortfolioAnalysis, lang: str) -> None:
    """The summary of the large firm takes a few lines per figure, not ~80 (the old
    layout: one syllable per line), and its note is not repeated under Notes."""
    out = dashboard_text(large_firm(analysis), 80, lang)
    summary = out.split("╰")[0]
    assert len(summary.splitlines()) <= 25
    hint = out.count("--fixed-costs")
    assert hint == 1


def _one_figure(analysis: PortfolioAnalysis, note_words: int) -> ReportView:
    view = build_view(analysis, terminal=True)
    note = " ".join(["palabra"] * note_words)  # 8 cells a word
    fig = Figure("revenue", "Ventas", "1.000 €", 1000.0, note=note)
    return replace(view, headline=[fig])


@pytest.mark.parametrize(("width", "beside"), [(52, False), (53, True), (54, True)])
def test_notes_go_beside_from_note_min(
    analysis: PortfolioAnalysis, width: int, beside: bool
) -> None:
    """Label 6 + gap 2 + value 7 + gap 2 + panel 4: the note column gets width - 21
    cells, and goes beside the figure only from NOTE_MIN (32) cells, at width 53."""
    assert NOTE_MIN == 32
    view = _one_figure(analysis, 5)  # a 39-cell note
    buf = io.StringIO()
    Console(file=buf, width=width, color_system=None).print(dashboard(view, width=width))
    line = next(line for line in buf.getvalue().splitlines() if "Ventas" in line)
    assert ("palabra" in line) is beside


@pytest.mark.parametrize(("width", "beside"), [(80, False), (120, True), (160, True)])
def test_reasons_beside_or_under_the_client(
    analysis: PortfolioAnalysis, width: int, beside: bool
) -> None:
    """Beside the figures when the reasons column gets REASONS_MIN cells; else under the
    client across the whole width: two lines for the longest reasons of the fixture."""
    out = dashboard_text(analysis, width, "en")
    lines = out.split("Clients to let go (3)")[1].split("\n\n")[0].splitlines()
    row = next(i for i, line in enumerate(lines) if "Comercial Sánchez y Cía" in line)
    assert ("pays in 172 days" in lines[row]) is beside
    if not beside:
        assert lines[row + 1].startswith("  pays in 172 days")
        assert "after serving it" in lines[row + 2]
        assert "Muebles Ibáñez" in lines[row + 3]


# A share that rounds to zero at 3 decimals (under 0.0005 %) prints as the bound.
@pytest.mark.parametrize(
    ("value", "es", "en"),
    [
        (0.0000049, "<\xa00,001\xa0%", "<\xa00.001%"),
        (0.000005, "<\xa00,001\xa0%", "<\xa00.001%"),  # half a step: Babel rounds to even, 0
        (0.0000051, "0,001\xa0%", "0.001%"),
        (0.00001, "0,001\xa0%", "0.001%"),
        (0.0, "0,000\xa0%", "0.000%"),
    ],
)
def test_tiny_share_bound(value: float, es: str, en: str) -> None:
    for lang, expected in (("es", es), ("en", en)):
        with language(lang):
            assert fmt_share(value, 3) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("es", "solo compra el <\xa00,001\xa0% de las ventas (menos de 0,10\xa0%)"),
        ("en", "buys only <\xa00.001% of revenue (under 0.10%)"),
    ],
)
def test_low_volume_reason_of_a_tiny_client(lang: str, expected: str) -> None:
    with language(lang):
        reason = Reason(code="low_volume", value=0.0000029, threshold=0.001)
        assert reason_text(reason) == expected


def test_tiny_share_in_the_client_table(analysis: PortfolioAnalysis) -> None:
    """The client table's share column (one decimal): a tiny client reads '< 0.1%'."""
    analysis = large_firm(analysis)
    kiosk = next(c for c in analysis.clients if c.id == "C015")
    kiosk.metrics.revenue_share = 0.00049
    with language("en"):
        view = build_view(analysis)
    col = [c.key for c in view.clients.columns].index("revenue_share")
    row = view.clients.keys.index("C015")
    assert view.clients.rows[row][col].text == "<\xa00.1%"
    assert view.clients.rows[row][col].raw == 0.00049
