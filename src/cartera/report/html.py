"""The HTML report: one self-contained file that works offline.

The page is the Jinja2 template ``templates/report.html.j2`` filled from the
shared view. CSS, the small sorting script and plotly.js (read from the
installed ``plotly`` package, embedded once) are inlined, so opening the file
makes no network request. The same template, with static SVG charts and a
print stylesheet, makes the PDF (:mod:`cartera.report.pdf`).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from cartera.i18n import fmt_number
from cartera.report.charts import figures
from cartera.report.view import ReportView, build_view
from cartera.result import PortfolioAnalysis, StressResult

__all__ = ["page", "write"]

_HERE = Path(__file__).parent


@cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(_HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def asset(name: str) -> str:
    """A file of ``report/static`` as text."""
    return (_HERE / "static" / name).read_text(encoding="utf-8")


#: Plotly's basic bundle (scatter, bar, pie: every chart of the report), installed from the
#: npm package pinned in ``vendor/package.json`` (``make assets``); about a quarter of the
#: full bundle, which keeps the report under 1.5 MB.
BASIC_BUNDLE = _HERE / "vendor/node_modules/plotly.js-basic-dist-min/plotly-basic.min.js"


@cache
def plotly_js() -> str:
    """plotly.js to embed: the basic bundle when installed, else the ``plotly`` package's own.

    Either way it is read from a package installed from a registry, never fetched.
    """
    if BASIC_BUNDLE.is_file():
        return BASIC_BUNDLE.read_text(encoding="utf-8")
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


def sort_key(raw: float | int | str) -> str:
    """A cell's raw value for ``data-sort``: short (four decimals), still exact enough to sort."""
    if isinstance(raw, float):
        return repr(round(raw, 4))
    return str(raw)


def page(
    view: ReportView,
    *,
    static: bool = False,
    brief: bool = False,
    svgs: dict[str, str] | None = None,
    extra_css: str = "",
    limit: int | None = None,
    rec_limit: int | None = None,
) -> str:
    """The report page of ``view``.

    ``static`` inlines ``svgs`` (chart id → SVG) instead of Plotly; ``brief``
    leaves out the full client table and the inputs; ``limit`` caps the rows of
    the let-go and renegotiate tables and ``rec_limit`` each recommendation's list.
    """
    charts: list[dict[str, Any]] = figures(view.chart_data())
    for chart in charts:
        chart["svg"] = (svgs or {}).get(chart["id"], "")
    context = {
        "view": view,
        "charts": charts,
        "static": static,
        "brief": brief,
        "limit": limit,
        "rec_limit": rec_limit,
        "css": asset("report.css") + extra_css,
        "js": "" if static else asset("report.js"),
        "plotly_js": "" if static else plotly_js(),
        "chart_json": "" if static else _script_json(charts),
        "sort_key": sort_key,
        "fmt_number": fmt_number,
    }
    return environment().get_template("report.html.j2").render(context)


def compact(value: Any) -> Any:
    """Chart numbers as precise as a chart shows them: money to the unit, shares to 5 decimals.

    A float's full repr costs ~18 characters; rounded, the chart specs take about half.
    """
    if isinstance(value, float):
        return round(value) if abs(value) >= 100 else round(value, 5)
    if isinstance(value, dict):
        return {k: compact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [compact(v) for v in value]
    return value


def _script_json(charts: list[dict[str, Any]]) -> str:
    """Chart specs as JSON safe inside ``<script>`` (no ``</`` can close it early)."""
    specs = [{"id": c["id"], "figure": compact(c["figure"])} for c in charts]
    text = json.dumps(specs, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def write(analysis: PortfolioAnalysis, out: Path, stress: StressResult | None = None) -> Path:
    """Write the interactive HTML report of ``analysis`` to ``out``; return ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page(build_view(analysis, stress)), encoding="utf-8")
    return out
