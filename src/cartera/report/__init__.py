"""Renderers of the result object: terminal, HTML, Excel and PDF.

Every renderer reads the same localised :class:`~cartera.report.view.ReportView`
built from a :class:`~cartera.result.PortfolioAnalysis` (and an optional
:class:`~cartera.result.StressResult`); none computes a figure. File renderers
are registered by format name and imported on first use, so the PDF's
optional dependencies are only needed when a PDF is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cartera.errors import SettingsError
from cartera.i18n import N_, get_language, language
from cartera.report.progress import progress, quiet_progress
from cartera.result import PortfolioAnalysis, StressResult

if TYPE_CHECKING:
    from cartera.report.terminal import render_dashboard

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "check_format",
    "progress",
    "quiet_progress",
    "render",
    "render_all",
    "render_dashboard",
]


def __getattr__(name: str) -> Any:
    # The terminal dashboard (and the view model, scenarios and NumPy behind it) is loaded
    # when first asked for: commands that only need a label of this package start faster.
    if name == "render_dashboard":
        from cartera.report.terminal import render_dashboard

        return render_dashboard
    raise AttributeError(f"module 'cartera.report' has no attribute {name!r}")


Renderer = Callable[[PortfolioAnalysis, Path, "StressResult | None"], Path]

#: Format name → module under cartera.report with a ``write(analysis, out, stress)``.
FORMATS: dict[str, str] = {"html": "html", "xlsx": "xlsx", "pdf": "pdf"}
SUFFIXES: dict[str, str] = {"html": ".html", "xlsx": ".xlsx", "pdf": ".pdf"}


def check_format(fmt: str, *, allow_all: bool = False) -> None:
    """Raise ``SettingsError`` unless ``fmt`` is a report format (or ``all`` when allowed)."""
    choices = [*FORMATS, "all"] if allow_all else list(FORMATS)
    if fmt not in choices:
        raise SettingsError(
            N_("Unknown report format «{value}»; choose one of: {choices}."),
            value=fmt,
            choices=", ".join(choices),
        )


def renderer(fmt: str) -> Renderer:
    """The ``write`` function of a format (``SettingsError`` for an unknown one)."""
    check_format(fmt)
    module = importlib.import_module(f"cartera.report.{FORMATS[fmt]}")
    write: Renderer = module.write
    return write


def render(
    fmt: str,
    analysis: PortfolioAnalysis,
    out: str | Path,
    stress: StressResult | None = None,
    lang: str | None = None,
) -> Path:
    """Write the ``fmt`` report of ``analysis`` to ``out`` in ``lang`` (default: current)."""
    with language(lang or get_language()):
        return renderer(fmt)(analysis, Path(out), stress)


def render_all(
    analysis: PortfolioAnalysis,
    folder: str | Path,
    stress: StressResult | None = None,
    lang: str | None = None,
    stem: str = "cartera-report",
) -> list[Path]:
    """Write every format into ``folder`` as ``<stem>.<suffix>``; return the paths."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    return [
        render(fmt, analysis, target / f"{stem}{SUFFIXES[fmt]}", stress, lang) for fmt in FORMATS
    ]
