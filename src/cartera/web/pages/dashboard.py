"""The dashboard's data: headline figures, charts, segment mix, recommendations, assumptions.

Built from the report's view model (:mod:`cartera.report.view`,
:mod:`cartera.report.view_parts`, :mod:`cartera.report.charts`), so the page
and the reports show the same figures with the same labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cartera.i18n import N_, _, fmt_money, fmt_number, fmt_pct, get_language
from cartera.report.charts import figures
from cartera.report.view import headline, segment_table
from cartera.report.view_parts import chart_data, recommendation_views
from cartera.scenarios.texts import reader_note
from cartera.settings import Settings
from cartera.web.analyses import FirmAnalysis

__all__ = ["RecommendationItem", "assumptions", "dashboard_data"]

#: Charts the dashboard draws, in order (the rest are on the client and what-if pages).
DASHBOARD_CHARTS = ("chart-pareto", "chart-segments", "chart-whale", "chart-aging", "chart-worst")
#: The impact figure shown as a recommendation's money, first one present wins.
MONEY_IMPACT = (
    ("profit_change", N_("Profit change")),
    ("contribution", N_("Contribution")),
    ("revenue_lost", N_("Revenue lost")),
    ("revenue_drop", N_("Revenue drop")),
    ("gap", N_("Margin missing")),
    ("revenue_to_add", N_("Revenue to add")),
    ("amount", N_("Amount")),
    ("cost", N_("Cost")),
    ("crisis_profit", N_("Profit in a crisis")),
    ("profit_after", N_("Profit after")),
    ("revenue", N_("Revenue")),
)


@dataclass(frozen=True)
class RecommendationItem:
    code: str
    priority: int
    title: str
    text: str
    impact_label: str
    impact: str
    impact_raw: float | None
    clients: int


def _money_impact(impact: dict[str, float | None], currency: str) -> tuple[str, str, float | None]:
    for key, label in MONEY_IMPACT:
        value = impact.get(key)
        if value is not None:
            return _(label), fmt_money(value, currency, digits=0), value
    return "", "", None


def recommendations(fa: FirmAnalysis) -> list[RecommendationItem]:
    """Short items, priority first: title, one sentence, money impact, number of clients."""
    analysis = fa.analysis
    by_code = {r.code: r for r in analysis.recommendations}
    items = []
    for view in recommendation_views(analysis):
        rec = by_code[view.code]
        label, text, raw = _money_impact(rec.impact, analysis.currency)
        items.append(
            RecommendationItem(
                view.code, view.priority, view.title, view.text, label, text, raw, len(rec.clients)
            )
        )
    return items


def assumptions(settings: Settings, currency: str) -> list[tuple[str, str]]:
    """The settings an analysis used, as (label, value) pairs shown under every page."""
    return [
        (_("Window"), _("{n} months").format(n=settings.window_months)),
        (_("Fixed costs per year"), fmt_money(settings.fixed_costs, currency, digits=0)),
        (_("Cost of one service hour"), fmt_money(settings.hourly_cost, currency)),
        (_("Cost of one order"), fmt_money(settings.order_cost, currency)),
        (_("Cost of one return"), fmt_money(settings.return_cost, currency)),
        (_("Yearly cost of funds"), fmt_pct(settings.annual_rate)),
    ]


def dashboard_data(fa: FirmAnalysis) -> dict[str, Any]:
    """Everything the dashboard shows, computed once per analysis and language."""
    return fa.remember(("dashboard", get_language()), lambda: _dashboard(fa))


def _dashboard(fa: FirmAnalysis) -> dict[str, Any]:
    analysis = fa.analysis
    charts = [c for c in figures(chart_data(analysis, None)) if c["id"] in DASHBOARD_CHARTS]
    return {
        "as_of": analysis.as_of.isoformat(),
        "clients": fmt_number(analysis.portfolio.clients),
        "headline": headline(analysis),
        "segments": segment_table(analysis),
        "recommendations": recommendations(fa),
        "charts": charts,
        "notes": [_(reader_note(n)) for n in analysis.notes],
        "assumptions": assumptions(fa.settings, analysis.currency),
        "run_id": fa.run_id,
    }
