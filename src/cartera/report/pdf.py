"""The PDF brief (WeasyPrint): the HTML template with static charts and print styles.

It is the same page as the HTML report with ``brief=True`` (no full client
table, no input details, client lists cut to :data:`LISTED_ROWS`), the charts
drawn as SVG by :mod:`cartera.report.static_charts` and ``static/pdf.css`` on
top; for a typical portfolio it fills 2–4 A4 pages. WeasyPrint and matplotlib
are the ``pdf`` extra.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from cartera.errors import MissingExtraError
from cartera.report.charts import figures
from cartera.report.html import asset, page
from cartera.report.static_charts import svg_figures
from cartera.report.view import ReportView, build_view
from cartera.result import PortfolioAnalysis, StressResult

__all__ = ["LISTED_ROWS", "REC_LISTED", "brief_html", "write"]

#: Rows of the let-go and renegotiate lists in the brief; the rest is counted.
LISTED_ROWS = 12
#: Clients listed under each recommendation in the brief (a few lines of names in
#: columns); past it the brief says how many there are and that the Excel file has all.
REC_LISTED = 50


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango missing on the system
        raise MissingExtraError("pdf", "weasyprint") from exc
    # WeasyPrint logs every unsupported CSS property at WARNING; keep the CLI quiet.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint


def brief_html(view: ReportView) -> str:
    """The print page of ``view`` with every chart inlined as SVG."""
    ids = [chart["id"] for chart in figures(view.chart_data())]
    return page(
        view,
        static=True,
        brief=True,
        svgs=svg_figures(view.chart_data(), ids),
        extra_css=asset("pdf.css"),
        limit=LISTED_ROWS,
        rec_limit=REC_LISTED,
    )


def write(analysis: PortfolioAnalysis, out: Path, stress: StressResult | None = None) -> Path:
    """Write the PDF brief of ``analysis`` to ``out``; return ``out``."""
    weasyprint = _weasyprint()
    view = build_view(analysis, stress)
    html = brief_html(view)
    out.parent.mkdir(parents=True, exist_ok=True)
    document = weasyprint.HTML(string=html, base_url=str(out.parent))
    document.write_pdf(str(out), metadata=None)
    return out
