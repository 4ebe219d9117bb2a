"""Parts of the report view: chart series, recommendations, stress test, inputs.

Split from :mod:`cartera.report.view` to keep modules small; the same rule
holds: texts translated, numbers formatted, nothing computed that the result
object does not already hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cartera.analysis import NOTE_NO_DUE
from cartera.i18n import N_, _, fmt_money, fmt_number, fmt_pct, fmt_share, get_language
from cartera.report.clients import names_of, top_clients
from cartera.report.labels import aging_label, field_label, segment_label
from cartera.result import SEGMENTS, PortfolioAnalysis, Recommendation, StressResult
from cartera.scenarios import texts

if TYPE_CHECKING:
    from cartera.report.view import Table

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
    "stress_series",
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
    """One recommendation as a short item.

    ``clients`` are the names of the clients it concerns (the first ones when the view
    was built with a limit) and ``client_ids`` the ids of every one; ``client_table``
    holds the first rows of them (``client_count`` in all);
    ``impact`` the figures behind it, ``money`` the main money figure (label, text).
    ``text`` names no more than a few clients: a longer list is ``client_table``.
    """

    code: str
    priority: int
    title: str
    text: str
    clients: list[str]
    priority_label: str = ""
    money: tuple[str, str] | None = None
    impact: list[tuple[str, str]] = field(default_factory=list)
    client_ids: list[str] = field(default_factory=list)
    client_count: int = 0
    client_table: Table | None = None
    money_value: float | None = None


@dataclass(frozen=True)
class StressView:
    """Stress figures as ``(label, text)``; ``values`` the same as ``(label, raw, kind)``."""

    figures: list[tuple[str, str]]
    named: list[tuple[str, str]]
    tail_columns: list[str]
    tail: list[list[str]]
    values: list[tuple[str, float | int | None, str]] = field(default_factory=list)
    tail_shares: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class InputTable:
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)


def chart_text(profit_known: bool = True) -> dict[str, str]:
    """The charts' texts; without fixed costs (``profit_known`` false) nothing is called profit."""
    text = {
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
    if not profit_known:
        text.update(
            profit_now=_("Net contribution now"),
            profit_after=_("Net contribution without {client}"),
            profit=_("Net contribution"),
            stress=_("Crisis stress test: distribution of yearly net contribution"),
        )
    return text


def chart_data(analysis: PortfolioAnalysis, stress: StressResult | None) -> ChartData:
    """The series of every chart (shares as fractions, money in the analysis currency)."""
    p, cur = analysis.portfolio, analysis.currency
    segments = [
        (code, fig.revenue, fig.gross_margin, fig.net_contribution)
        for code in SEGMENTS
        if (fig := p.segments.get(code)) is not None and fig.clients > 0
    ]
    worst = None
    # Without cost data there is no profit before or after to draw (decision 0948).
    if p.worst_single_loss is not None and p.profit is not None:
        client = p.worst_single_loss.client
        name = names_of(analysis, [client]).get(client) or client
        worst = (name, p.profit, p.worst_single_loss.profit_after)
    return ChartData(
        lang=get_language(),
        currency=cur,
        text=chart_text(bool(p.fixed_costs)),
        segment_names={code: segment_label(code) for code in SEGMENTS},
        pareto=[(pt.x, pt.y) for pt in analysis.pareto_curve],
        pareto_point=p.pareto.share_of_clients_for_80pct,
        pareto_references=PARETO_REFERENCES,
        whale=[(pt.x, pt.y) for pt in analysis.whale_curve],
        whale_share=whale_shares(analysis),
        whale_total=analysis.whale_curve[-1].y if analysis.whale_curve else None,
        segments=segments,
        bubbles=_bubbles(analysis),
        # Without due dates every open amount is "current": no aging to chart (decision 0948).
        aging=[]
        if NOTE_NO_DUE in analysis.notes
        else [(aging_label(b.bucket), b.amount) for b in p.aging],
        worst=worst,
        **stress_series(stress),
    )


def stress_series(stress: StressResult | None) -> dict[str, Any]:
    """The stress test's fields of :class:`ChartData` (empty without a stress test)."""
    return {
        "stress": [(pt.x, pt.y) for pt in stress.histogram] if stress else [],
        "stress_p5": stress.profit_p5 if stress else None,
        "stress_expected": stress.expected_profit if stress else None,
        "stress_baseline": stress.baseline_profit if stress else None,
    }


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
    out: list[Bubble] = []
    for c in top_clients(analysis, BUBBLE_LIMIT):
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


#: Codes whose sentence lists the clients (``texts.client_list``); past this many it would
#: end "and N more": the sentence then points at the item's list instead.
_LISTING = frozenset(
    (
        "let_go",
        "renegotiate_or_let_go",
        "spread_risk",
        "cover_fixed_costs",
        "keep_image",
        "collect_overdue",
        "follow_up",
    )
)
_SENTENCE_CLIENTS = 4
_PRIORITIES = {1: N_("High priority"), 2: N_("Medium priority"), 3: N_("Low priority")}
#: The impact figure an item leads with, the first one present in this order.
_MONEY_KEYS = (
    "profit_change",
    "profit_after",
    "amount",
    "financing_saving",
    "gain",
    "revenue_drop",
    "gap",
    "contribution",
    "revenue_to_add",
    "crisis_profit",
    "gross_margin_total",
    "cost",
)


def recommendation_views(
    analysis: PortfolioAnalysis, limit: int | None = None
) -> list[RecommendationView]:
    """Recommendations by priority (1 first) as titled items with their figures and clients.

    ``clients`` names the first ``limit`` clients of each (all when ``None``): a report
    shows that many, so at 500,000 clients the names of the rest are not looked up;
    ``client_ids`` and ``client_count`` stay complete.
    """
    shown = {
        id(rec): rec.clients if limit is None else rec.clients[:limit]
        for rec in analysis.recommendations
    }
    every_id = [cid for ids in shown.values() for cid in ids]
    known = names_of(analysis, every_id) if every_id else {}
    out = []
    for rec in sorted(analysis.recommendations, key=lambda r: r.priority):
        own = rec.params.get("names", {})
        out.append(
            RecommendationView(
                code=rec.code,
                priority=rec.priority,
                title=texts.title(rec.code),
                text=_sentence(rec),
                clients=[own.get(cid) or known.get(cid, cid) for cid in shown[id(rec)]],
                priority_label=_(_PRIORITIES[rec.priority]) if rec.priority in _PRIORITIES else "",
                money=_money_figure(rec, analysis.currency),
                impact=[
                    (texts.impact_label(k), texts.format_impact(k, v, analysis.currency))
                    for k, v in rec.impact.items()
                    if v is not None
                ],
                client_ids=list(rec.clients),
                client_count=len(rec.clients),
                money_value=rec.impact.get(k) if (k := _money_key(rec)) else None,
            )
        )
    return out


def _sentence(rec: Recommendation) -> str:
    """The recommendation's sentence; a long client list is referred to, not cut short."""
    if rec.code not in _LISTING or len(rec.clients) <= _SENTENCE_CLIENTS:
        return texts.describe(rec)
    n = fmt_number(len(rec.clients))
    if rec.code == "keep_image":  # its sentence for one client would read "client the N …"
        contribution = texts.format_impact(
            "contribution", rec.impact.get("contribution"), rec.params.get("currency", "EUR")
        )
        return _(
            "Keep the {n} image clients listed below despite their low profit ({contribution} "
            "together): they bring credibility and references."
        ).format(n=n, contribution=contribution)
    them = _("the {n} clients listed below").format(n=n)
    short = rec.model_copy(update={"clients": [them]})
    text = texts.describe(short)
    return text[:1].upper() + text[1:]


def _money_key(rec: Recommendation) -> str | None:
    return next((k for k in _MONEY_KEYS if rec.impact.get(k) is not None), None)


def _money_figure(rec: Recommendation, currency: str) -> tuple[str, str] | None:
    key = _money_key(rec)
    if key is None:
        return None
    value = rec.impact[key]
    text = texts.format_impact(key, value, currency)
    if key == "profit_change" and value is not None and value > 0:
        text = "+" + text
    return texts.impact_label(key), text


def stress_view(stress: StressResult, currency: str) -> StressView:
    """Headline figures, named scenarios and the clients behind the worst years."""

    from cartera.scenarios.texts import stress_figures

    def m(v: float) -> str:
        return fmt_money(v, currency, digits=0)

    figures = stress_figures(stress, currency)
    # ``today`` repeats the first figure.
    named = [(_scenario_name(k), m(v)) for k, v in stress.named.items() if k != "today"]
    tail = [
        [t.name or t.client, segment_label(t.segment), fmt_share(t.share_of_tail_loss)]
        for t in stress.tail_clients
    ]
    columns = [_("Client"), _("Segment"), _("Share of the loss in bad years")]
    values: list[tuple[str, float | int | None, str]] = [
        (figures[0][0], stress.baseline_profit, "money"),
        (figures[1][0], stress.expected_profit, "money"),
        (figures[2][0], stress.profit_p5, "money"),
        (figures[3][0], stress.p_loss, "pct"),
        (figures[4][0], stress.p_fixed_costs_uncovered, "pct"),
        (_("Simulated years"), stress.scenarios, "int"),
        (_("Random seed"), stress.seed, "int"),
    ]
    values += [(_scenario_name(k), v, "money") for k, v in stress.named.items() if k != "today"]
    return StressView(
        figures=figures,
        named=named,
        tail_columns=columns,
        tail=tail,
        values=values,
        tail_shares=[t.share_of_tail_loss for t in stress.tail_clients],
    )


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


_CONVENTIONS = {
    "decimal": N_("decimal mark"),
    "date": N_("dates"),
    "encoding": N_("text encoding"),
    "comma": N_("comma"),
    "dot": N_("dot"),
}


def _field(key: str) -> str:
    return field_label(key)


def _convention(value: Any) -> str:
    text = str(value)
    if "%" in text:  # a date format: %d/%m/%Y → dd/mm/yyyy
        for code, word in (("%d", "dd"), ("%m", "mm"), ("%Y", "yyyy"), ("%y", "yy")):
            text = text.replace(code, word)
        return text
    return _(_CONVENTIONS[text]) if text in _CONVENTIONS else text


def _input_value(value: Any, key: str = "") -> str:
    if isinstance(value, dict):
        if key == "columns":  # field → the export's header, in the reader's words
            return "; ".join(f"{_field(k)}: «{v}»" for k, v in value.items())
        if key == "conventions":
            return "; ".join(
                f"{_(_CONVENTIONS[k]) if k in _CONVENTIONS else k}: {_convention(v)}"
                for k, v in value.items()
            )
        return "; ".join(f"{k}: {v}" for k, v in value.items())
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
            (_(_INPUT_KEYS[k]) if k in _INPUT_KEYS else k.replace("_", " "), _input_value(v, k))
            for k, v in info.items()
        ]
        out.append(InputTable(title, rows))
    if analysis.input_summary.notes:
        out.append(InputTable(_("Notes"), [("", _(n)) for n in analysis.input_summary.notes]))
    return out
