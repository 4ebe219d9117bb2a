"""The terminal dashboard: every section, both languages, narrow and wide, no colour."""

from __future__ import annotations

import io

import pytest
from dashboard_text import dashboard_text
from rich.console import Console

from cartera.i18n import language
from cartera.report.progress import progress, quiet_progress
from cartera.report.terminal import render_dashboard
from cartera.result import PortfolioAnalysis, StressResult


@pytest.mark.parametrize("width", [60, 120])
def test_lines_fit_the_console(analysis: PortfolioAnalysis, width: int) -> None:
    out = dashboard_text(analysis, width, "es")
    assert max(len(line) for line in out.splitlines()) <= width
    assert "\x1b[" not in out


def test_spanish_dashboard_has_every_section(
    analysis: PortfolioAnalysis, stress: StressResult
) -> None:
    out = dashboard_text(analysis, 120, "es", stress=stress)
    for heading in (
        "Resumen",
        "Mezcla de segmentos",
        "Clientes a dejar ir (3)",
        "Clientes con los que renegociar (2)",
        "Recomendaciones",
        "Prueba de estrés",
    ):
        assert heading in out
    assert "1.267.840\xa0€" in out  # revenue, Spanish grouping and suffix sign
    assert "paga a 172 días (límite 120)" in out
    assert "Comercial Sánchez y Cía" in out
    assert "Distribuciones Levante S.L. (C001)" in out  # worst single loss
    assert "-31.000\xa0€" in out  # stress p5


def test_english_dashboard_uses_english_formats(analysis: PortfolioAnalysis) -> None:
    out = dashboard_text(analysis, 120, "en")
    assert "€1,267,840" in out
    assert "Clients to let go (3)" in out
    assert "pays in 210 days (limit 120)" in out
    assert "Typical: around 80/20" in out
    assert "Crisis stress test" not in out  # no stress result given


def test_narrow_drops_secondary_columns(analysis: PortfolioAnalysis) -> None:
    # 44 columns: the name (24), the revenue and the net contribution (16) need 51.
    narrow = dashboard_text(analysis, 44, "en")
    wide = dashboard_text(analysis, 120, "en")
    assert "Net contribution" in wide.split("Clients to let go")[1]
    assert "Net contribution" not in narrow.split("Clients to let go")[1].split("Recommend")[0]
    assert "Kiosco La Esquina" in narrow


def test_long_lists_are_cut_and_counted(analysis: PortfolioAnalysis) -> None:
    out = dashboard_text(analysis, 120, "en", limit=1)
    assert "… and 2 more" in out
    assert "Muebles Ibáñez" not in out.split("Clients to let go")[1].split("Clients to reneg")[0]


def test_progress_is_silent_when_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    with progress("working", total=3) as step:
        step.advance()
        step.update(completed=3)
    with quiet_progress(), progress("working", total=3, enabled=None) as step:
        step.advance()
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_no_color_is_respected(
    analysis: PortfolioAnalysis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    buf = io.StringIO()
    console = Console(file=buf, width=100, force_terminal=True)
    render_dashboard(analysis, console)
    out = buf.getvalue()
    assert "Clientes a dejar ir (3)" in out
    assert not any(f"\x1b[{code}" in out for code in ("31m", "32m", "33m", "34m", "35m", "36m"))


@pytest.mark.parametrize(("limit", "more"), [(1, "… and 2 more"), (2, "… and 1 more"), (3, None)])
def test_counts_stay_exact_when_the_view_is_cut(
    analysis: PortfolioAnalysis, limit: int, more: str | None
) -> None:
    """The view holds only the first rows of each list; the dashboard counts them all."""
    from cartera.report.terminal import dashboard
    from cartera.report.view import build_view

    buf = io.StringIO()
    with language("en"):
        view = build_view(analysis, list_limit=limit)
        Console(file=buf, width=120, color_system=None).print(dashboard(view, limit=limit))
    out = buf.getvalue()
    assert "Clients to let go (3)" in out
    assert (more in out) if more else ("more (see" not in out.split("renegotiate")[0])
