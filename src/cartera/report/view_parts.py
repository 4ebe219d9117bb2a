"""Parts of the report view: chart series, recommendations, stress test, inputs.

Split from :mod:`cartera.report.view` to keep modules small; the same rule
holds: texts translated, numbers formatted, nothing computed that the result
object does not already hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cartera.i18n import N_, _, fmt_money, fmt_number, fmt_pct, get_language
from cartera.report.labels import aging_label, segment_label
from cartera.result import SEGMENTS, PortfolioAnalysis, StressResult
from cartera.scenarios import texts

__all__ = [
    "BUBBLE_LIMIT",
    "Bubble",
    "ChartData",
    "InputTable",
    "RecommendationView",
    "StressView",
    "chart_data",
    "input_tables",
    "recommendation_views",
    "stress_view",
]

#: The bubble chart shows the largest clients only: past a few hundred points
#: the bubbles hide each other and the page gets heavy.
BUBBLE_LIMIT = 400

#: The seed's reference shapes: 80% of sales from 10%, 20% and 40% of clients.
PARETO_REFERENCES = ((0.1, "80/10"), (0.2, "80/20"), (0.4, "80/40"))


@dataclass(frozen=True)
class Bubble:
    id: str
    name: str
    segment: str
    revenue: float
    margin_pct: float
    net_contribution: float
    hover: str


@dataclass(frozen=True)
class ChartData:
    """Raw series of every chart with localised titles, axis names and legends."""

    lang: str
    currency: str
    text: dict[str, str]
    segment_names: dict[str, str]
    pareto: list[tuple[float, float]]
    pareto_point: float | None
    pareto_references: tuple[tuple[float, str], ...]
    whale: list[tuple[float, float]]
    segments: list[tuple[str, float, float | None, float | None]]
    bubbles: list[Bubble]
    aging: list[tuple[str, float]]
    worst: tuple[str, float | None, float | None] | None
    stress: list[tuple[float, float]]
    stress_p5: float | None
    stress_expected: float | None
    stress_baseline: float | None
    #: The whale curve as shares of the total net contribution (y = 1 at the last client);
    #: empty when that total is not positive (then a share means nothing: ``whale`` is drawn).
    whale_share: list[tuple[float, float]] = field(default_factory=list)
    whale_total: float | None = None


@dataclass(frozen=True)
class RecommendationView:
    code: str
    priority: int
    title: str
    text: str
    clients: list[str]


@dataclass(frozen=True)
class StressView:
    figures: list[tuple[str, str]]
    named: list[tuple[str, str]]
    tail_columns: list[str]
    tail: list[list[str]]


@dataclass(frozen=True)
class InputTable:
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)


def chart_text() -> dict[str, str]:
    return {
        "pareto": _("Pareto curve: share of revenue by share of clients"),
        "clients_axis": _("Share of clients (largest first)"),
        "revenue_axis": _("Cumulative share of revenue"),
        "line80": _("80% of revenue"),
        "portfolio": _("This portfolio"),
        "equality": _("All clients equal"),
        "segments": _("Segment mix"),
        "revenue": _("Revenue"),
        "gross_margin": _("Gross margin"),
        "net_contribution": _("Net contribution"),
        "bubbles": _("Margin % against revenue (size: net contribution)"),
        "bubbles_axis_x": _("Revenue"),
        "bubbles_axis_y": _("Gross margin %"),
        "bubbles_negative": _("Hollow: negative contribution"),
        "whale": _("Whale curve: cumulative net contribution"),
        "whale_axis": _("Net contribution, cumulative %"),
        "whale_money_axis": _("Net contribution, cumulative"),
        "whale_clients_axis": _("Share of clients (most profitable first)"),
        "whale_total": _("All clients: 100%"),
        "aging": _("Aging of receivables"),
        "amount": _("Open amount"),
        "worst": _("Worst single loss"),
        "profit_now": _("Profit now"),
        "profit_after": _("Profit without {client}"),
        "profit": _("Profit"),
        "stress": _("Crisis stress test: distribution of yearly profit"),
        "stress_axis": _("Share of simulated years"),
        "p5": _("Worst 5% line"),
        "expected": _("Expected"),
        "baseline": _("Today"),
    }


def chart_data(analysis: PortfolioAnalysis, stress: StressResult | None) -> ChartData:
    """The series of every chart (shares as fractions, money in the analysis currency)."""
    p, cur = analysis.portfolio, analysis.currency
    segments = [
        (code, fig.revenue, fig.gross_margin, fig.net_contribution)
        for code in SEGMENTS
        if (fig := p.segments.get(code)) is not None and fig.clients > 0
    ]
    worst = None
    if p.worst_single_loss is not None:
        names = {c.id: c.name for c in analysis.clients}
        client = p.worst_single_loss.client
        worst = (names.get(client) or client, p.profit, p.worst_single_loss.profit_after)
    return ChartData(
        lang=get_language(),
        currency=cur,
        text=chart_text(),
        segment_names={code: segment_label(code) for code in SEGMENTS},
        pareto=[(pt.x, pt.y) for pt in analysis.pareto_curve],
        pareto_point=p.pareto.share_of_clients_for_80pct,
        pareto_references=PARETO_REFERENCES,
        whale=[(pt.x, pt.y) for pt in analysis.whale_curve],
        whale_share=whale_shares(analysis),
        whale_total=analysis.whale_curve[-1].y if analysis.whale_curve else None,
        segments=segments,
        bubbles=_bubbles(analysis),
        aging=[(aging_label(b.bucket), b.amount) for b in p.aging],
        worst=worst,
        stress=[(pt.x, pt.y) for pt in stress.histogram] if stress else [],
        stress_p5=stress.profit_p5 if stress else None,
        stress_expected=stress.expected_profit if stress else None,
        stress_baseline=stress.baseline_profit if stress else None,
    )


def whale_shares(analysis: PortfolioAnalysis) -> list[tuple[float, float]]:
    """The whale curve with y as a share of the total net contribution (its last point).

    The engine gives y in currency; a reader compares it with the total: the curve rises
    above 100% while profitable clients are added and falls back to 100% as the
    loss-making ones are. Without a positive total there is no meaningful share: ``[]``.
    """
    curve = analysis.whale_curve
    if len(curve) < 2 or curve[-1].y <= 0:
        return []
    total = curve[-1].y
    return [(pt.x, pt.y / total) for pt in curve]


def _bubbles(analysis: PortfolioAnalysis) -> list[Bubble]:
    cur = analysis.currency
    ranked = sorted(analysis.clients, key=lambda c: c.metrics.rank)
    out: list[Bubble] = []
    for c in ranked:
        m = c.metrics
        if m.margin_pct is None or m.net_contribution is None:
            continue
        hover = "<br>".join(
            (
                f"{c.name} ({c.id})",
                segment_label(c.segment),
                f"{_('Revenue')}: {fmt_money(m.revenue, cur, digits=0)}",
                f"{_('Margin %')}: {fmt_pct(m.margin_pct)}",
                f"{_('Net contribution')}: {fmt_money(m.net_contribution, cur, digits=0)}",
            )
        )
        out.append(
            Bubble(c.id, c.name, c.segment, m.revenue, m.margin_pct, m.net_contribution, hover)
        )
        if len(out) >= BUBBLE_LIMIT:
            break
    return out


def recommendation_views(analysis: PortfolioAnalysis) -> list[RecommendationView]:
    """Recommendations by priority (1 first): title and sentence from the scenarios area."""
    names = {c.id: c.name or c.id for c in analysis.clients}
    return [
        RecommendationView(
            code=rec.code,
            priority=rec.priority,
            title=texts.title(rec.code),
            text=texts.describe(rec),
            clients=[names.get(cid, cid) for cid in rec.clients],
        )
        for rec in sorted(analysis.recommendations, key=lambda r: r.priority)
    ]


def stress_view(stress: StressResult, currency: str) -> StressView:
    """Headline figures, named scenarios and the clients behind the worst years."""

    def m(v: float) -> str:
        return fmt_money(v, currency, digits=0)

    figures = [
        (_("Profit today"), m(stress.baseline_profit)),
        (_("Expected profit in a crisis"), m(stress.expected_profit)),
        (_("Profit in the worst 5% of years"), m(stress.profit_p5)),
        (_("Chance of a loss"), fmt_pct(stress.p_loss)),
        (_("Chance fixed costs are not covered"), fmt_pct(stress.p_fixed_costs_uncovered)),
        (_("Simulated years (seed)"), f"{fmt_number(stress.scenarios)} ({stress.seed})"),
    ]
    # ``today`` repeats the first figure.
    named = [(_scenario_name(k), m(v)) for k, v in stress.named.items() if k != "today"]
    tail = [
        [t.name or t.client, segment_label(t.segment), fmt_pct(t.share_of_tail_loss)]
        for t in stress.tail_clients
    ]
    columns = [_("Client"), _("Segment"), _("Share of the loss in bad years")]
    return StressView(figures=figures, named=named, tail_columns=columns, tail=tail)


_SCENARIOS = {
    "top_client_gone": N_("Largest client leaves"),
    "margin_clients_gone": N_("All margin clients leave"),
    "structure_price_drop": N_("Structure clients cut prices"),
    "crisis": N_("Margin clients leave and structure clients cut prices"),
}


def _scenario_name(key: str) -> str:
    return _(_SCENARIOS[key]) if key in _SCENARIOS else key.replace("_", " ").capitalize()


_TABLE_NAMES = {
    "documents": N_("Invoices and credit notes"),
    "payments": N_("Payments"),
    "clients": N_("Clients"),
    "activities": N_("Activities"),
}

_INPUT_KEYS = {
    "source": N_("Source file"),
    "file": N_("Source file"),
    "rows_read": N_("Rows read"),
    "rows_accepted": N_("Rows accepted"),
    "rows_rejected": N_("Rows rejected"),
    "columns": N_("Columns recognised"),
    "conventions": N_("Conventions"),
    "notes": N_("Notes"),
}


def _input_value(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k} ← {v}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "; ".join(_(str(v)) for v in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return fmt_number(value)
    return str(value)


def input_tables(analysis: PortfolioAnalysis) -> list[InputTable]:
    """What the analysis read: one block per input table, as label → text rows."""
    out = []
    for name, info in analysis.input_summary.tables.items():
        title = _(_TABLE_NAMES[name]) if name in _TABLE_NAMES else name
        rows = [
            (_(_INPUT_KEYS[k]) if k in _INPUT_KEYS else k.replace("_", " "), _input_value(v))
            for k, v in info.items()
        ]
        out.append(InputTable(title, rows))
    if analysis.input_summary.notes:
        out.append(InputTable(_("Notes"), [("", _(n)) for n in analysis.input_summary.notes]))
    return out
