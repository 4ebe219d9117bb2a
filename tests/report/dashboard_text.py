"""The dashboard as plain text at a given width and language (shared by the terminal tests)."""

from __future__ import annotations

import io

from rich.console import Console

from cartera.i18n import language
from cartera.report.terminal import render_dashboard
from cartera.result import PortfolioAnalysis


def dashboard_text(analysis: PortfolioAnalysis, width: int, lang: str, **kw: object) -> str:
    """What `cartera analyze` prints for ``analysis`` on a console ``width`` columns wide."""
    buf = io.StringIO()
    console = Console(file=buf, width=width, color_system=None, force_terminal=False)
    with language(lang):
        render_dashboard(analysis, console, **kw)  # type: ignore[arg-type]
    return buf.getvalue()
