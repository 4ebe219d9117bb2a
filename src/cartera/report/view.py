"""The render-ready view of an analysis that every renderer shares.

:func:`build_view` turns a :class:`~cartera.result.PortfolioAnalysis` (and an
optional :class:`~cartera.result.StressResult`) into plain dataclasses whose
texts are already translated and whose numbers are already formatted in the
current language, next to the raw value (for sorting, Excel cells and
charts). Renderers only lay these out: no renderer formats a number or picks
a label itself, so the terminal, HTML, Excel and PDF always agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from cartera.i18n import _, fmt_date, fmt_number, fmt_share, get_language
from cartera.i18n_fast import money_format, number_format, percent_format
from cartera.report.assumptions import Assumption, assumptions
from cartera.report.clients import action_counts, clients_by_id, names_of, top_clients
from cartera.report.labels import (
    action_label,
    band_label,
    hhi_label,
    reason_text,
    segment_label,
)
from cartera.report.profile_view import ProfileView, profile_view
from cartera.report.view_parts import (
    ChartData,
    InputTable,
    RecommendationView,
    StressView,
    chart_data,
    input_tables,
    recommendation_views,
    stress_series,
    stress_view,
)
from cartera.result import SEGMENTS, ClientResult, PortfolioAnalysis, StressResult
from cartera.scenarios.texts import FIXED_COSTS_HINT, FIXED_COSTS_READER_HINT, reader_note

__all__ = [
    "HTML_CLIENT_LIMIT",
    "LIST_LIMIT",
    "Cell",
    "Column",
    "Figure",
    "ReportView",
    "Table",
    "build_view",
    "with_stress",
]

Kind = Literal["text", "money", "pct", "number", "int", "days"]
Tone = Literal["", "good", "warn", "bad"]

#: The view's client table holds the first this many clients by revenue (the Excel file
#: lists every client): enough for a small firm's whole portfolio, and it keeps the HTML
#: report under its size budget at any number of clients.
HTML_CLIENT_LIMIT = 150
#: Rows of each client list of the view (clients to let go, to renegotiate with, and each
#: recommendation's clients); the counts stay exact and the Excel file lists every one.
LIST_LIMIT = 50


@dataclass(frozen=True)
class Cell:
    """A value as shown (``text``) and as stored (``raw``; ``None`` when undefined)."""

    text: str
    raw: float | int | str | None


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind = "text"


@dataclass(frozen=True)
class Table:
    """Rows of cells under localised column headers; ``keys`` tag each row (client ids)."""

    columns: list[Column]
    rows: list[list[Cell]]
    keys: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Figure:
    """One headline figure: ``label`` and ``text`` (value) with an optional ``note``."""

    key: str
    label: str
    text: str
    raw: float | str | None
    note: str = ""
    tone: Tone = ""
    #: The figure's unit and, when the note is a number too, that number and its unit.
    kind: Kind = "money"
    note_raw: float | None = None
    note_kind: Kind = "pct"


@dataclass(frozen=True)
class ReportView:
    """Everything a report shows, localised.

    ``clients`` holds the first ``client_limit`` clients by revenue rank and ``let_go``
    / ``renegotiate`` the first ``list_limit`` of those actions; the ``*_count`` fields
    say how many there are in all. ``assumptions`` are the settings the figures rest on.
    """

    lang: str
    title: str
    subtitle: str
    currency: str
    headline: list[Figure]
    segments: Table
    clients: Table
    let_go: Table
    renegotiate: Table
    recommendations: list[RecommendationView]
    notes: list[str]
    #: ``None`` in a terminal view, which draws no chart (:meth:`chart_data`).
    charts: ChartData | None
    stress: StressView | None
    inputs: list[InputTable]
    labels: dict[str, str]
    client_count: int = 0
    let_go_count: int = 0
    renegotiate_count: int = 0
    assumptions: list[Assumption] = field(default_factory=list)
    #: Who the clients of each kind are (the ideal-client profile); ``None``: not shown.
    profile: ProfileView | None = None

    def chart_data(self) -> ChartData:
        """The charts' data of a report or page view (a terminal view has none)."""
        if self.charts is None:
            raise ValueError("a terminal view has no charts")
        return self.charts


# The cached formatters of cartera.i18n_fast: Babel's texts (tested equal at every
# rounding edge), without parsing the locale and pattern again for every cell.
def money(value: float | None, currency: str) -> Cell:
    if value is None:
        return Cell("–", None)
    return Cell(money_format(currency, digits=0)(value), value)


def pct(value: float | None, digits: int = 1) -> Cell:
    return Cell("–", None) if value is None else Cell(percent_format(digits)(value), value)


def share(value: float | None, digits: int = 1) -> Cell:
    """A share of a whole: as :func:`pct`, with ``'< 0,1 %'`` for a tiny positive one."""
    return Cell("–", None) if value is None else Cell(fmt_share(value, digits), value)


def number(value: float | None, digits: int = 0) -> Cell:
    return Cell("–", None) if value is None else Cell(number_format(digits)(value), value)


def build_view(
    analysis: PortfolioAnalysis,
    stress: StressResult | None = None,
    *,
    client_limit: int | None = HTML_CLIENT_LIMIT,
    list_limit: int | None = LIST_LIMIT,
    terminal: bool = False,
) -> ReportView:
    """The localised view of ``analysis`` (and ``stress``) in the current language.

    ``terminal``: the reader is at the command line, so advice names the options to use
    (``--fixed-costs``); a report or a page says it in the firm's terms instead.

    Only the clients shown are formatted (``None`` limits: all of them), so building
    the view of 500,000 clients costs about what building it for a few hundred does.
    """
    cur = analysis.currency
    window = _("{start} to {end}").format(
        start=fmt_date(analysis.window.start), end=fmt_date(analysis.window.end)
    )
    counts = action_counts(analysis)
    let_go = top_clients(analysis, list_limit, action="let_go")
    renegotiate = top_clients(analysis, list_limit, action="renegotiate")
    return ReportView(
        lang=get_language(),
        title=_("Client portfolio report"),
        subtitle=_("Analysis as of {date}, window {window}").format(
            date=fmt_date(analysis.as_of), window=window
        ),
        currency=cur,
        headline=headline(analysis, terminal),
        segments=segment_table(analysis),
        clients=client_table(top_clients(analysis, client_limit), cur),
        let_go=action_table(let_go, cur),
        renegotiate=action_table(renegotiate, cur),
        recommendations=_with_client_tables(
            analysis, recommendation_views(analysis, list_limit), list_limit
        ),
        notes=[_(n if terminal else reader_note(n)) for n in analysis.notes],
        charts=None if terminal else chart_data(analysis, stress),
        stress=stress_view(stress, cur) if stress is not None else None,
        inputs=input_tables(analysis),
        labels=page_labels(),
        client_count=analysis.portfolio.clients,
        let_go_count=counts.get("let_go", 0),
        renegotiate_count=counts.get("renegotiate", 0),
        assumptions=assumptions(analysis, stress),
        profile=None if terminal else profile_view(analysis),
    )


def with_stress(
    view: ReportView, analysis: PortfolioAnalysis, stress: StressResult | None
) -> ReportView:
    """``view``, built without a stress test, with ``stress``'s parts added.

    The same view as :func:`build_view` with ``stress`` (and the same limits) builds; the
    rest is not built again, so a writer can build it while the stress test still runs.
    """
    if stress is None:
        return view
    return replace(
        view,
        charts=None if view.charts is None else replace(view.charts, **stress_series(stress)),
        stress=stress_view(stress, analysis.currency),
        assumptions=assumptions(analysis, stress),
    )


def _with_client_tables(
    analysis: PortfolioAnalysis, views: list[RecommendationView], limit: int | None
) -> list[RecommendationView]:
    """``views`` with the table of their first ``limit`` clients (every client's row found in
    one pass over the analysis' clients)."""
    listed = [list(dict.fromkeys(rec.client_ids[:limit])) for rec in views]
    found = {c.id: c for c in clients_by_id(analysis, [cid for ids in listed for cid in ids])}
    cur = analysis.currency
    return [
        replace(rec, client_table=action_table([found[i] for i in ids if i in found], cur))
        for rec, ids in zip(views, listed, strict=True)
    ]


def headline(analysis: PortfolioAnalysis, terminal: bool = False) -> list[Figure]:
    """Revenue, margin, contribution, profit, Pareto, HHI and worst single loss."""
    p, cur = analysis.portfolio, analysis.currency
    m = money
    figures = [
        Figure("clients", _("Clients"), fmt_number(p.clients), p.clients, kind="int"),
        Figure("revenue", _("Revenue"), m(p.revenue, cur).text, p.revenue),
        Figure(
            "gross_margin",
            _("Gross margin"),
            m(p.gross_margin, cur).text,
            p.gross_margin,
            note=pct(p.margin_pct).text if p.margin_pct is not None else "",
            note_raw=p.margin_pct,
        ),
        Figure(
            "net_contribution",
            _("Net contribution"),
            m(p.net_contribution, cur).text,
            p.net_contribution,
            note=_("after {cost} cost to serve").format(cost=m(p.cost_to_serve, cur).text),
            tone=_sign_tone(p.net_contribution),
        ),
        Figure(
            "profit",
            _("Profit"),
            m(p.profit, cur).text,
            p.profit,
            note=_("after {fixed} fixed costs").format(fixed=m(p.fixed_costs, cur).text),
            tone=_sign_tone(p.profit),
        )
        if p.fixed_costs
        else Figure(
            "profit",
            _("Fixed costs"),
            _("not given"),
            None,
            note=_(FIXED_COSTS_HINT if terminal else FIXED_COSTS_READER_HINT),
        ),
        _pareto_figure(analysis),
        Figure(
            "hhi",
            _("Concentration (HHI)"),
            fmt_number(p.hhi),
            p.hhi,
            note=hhi_label(p.hhi),
            tone="bad" if p.hhi > 1800 else ("warn" if p.hhi >= 1000 else "good"),
            kind="int",
        ),
    ]
    worst = _worst_loss_figure(analysis)
    if worst is not None:
        figures.append(worst)
    return figures


def _sign_tone(value: float | None) -> Tone:
    if value is None:
        return ""
    return "bad" if value < 0 else "good"


def _pareto_figure(analysis: PortfolioAnalysis) -> Figure:
    par = analysis.portfolio.pareto
    share = par.share_of_clients_for_80pct
    text = "–" if share is None else _("80/{share}").format(share=fmt_number(share * 100))
    tone: Tone = {"high_risk": "bad", "typical": "", "low_risk_high_cost": "warn"}.get(par.band, "")  # type: ignore[assignment]
    note = _("80% of revenue from {n} clients ({share}): {band}").format(
        n=fmt_number(par.clients_for_80pct),
        share=pct(share).text,
        band=band_label(par.band),
    )
    return Figure("pareto", _("Pareto"), text, share, note=note, tone=tone, kind="pct")


def _worst_loss_figure(analysis: PortfolioAnalysis) -> Figure | None:
    worst = analysis.portfolio.worst_single_loss
    # Without cost data there is no contribution after the loss to show (decision 0948);
    # the concentration figures already name the largest client.
    if worst is None or worst.profit_after is None:
        return None
    name = _client_name(analysis, worst.client)
    note = _("if {client} leaves").format(client=name)
    if worst.coverage_after is not None:
        note += "; " + _("fixed costs covered {share}").format(share=pct(worst.coverage_after).text)
    label = (
        _("Profit after worst single loss")
        if analysis.portfolio.fixed_costs
        else _("Net contribution after worst single loss")
    )
    return Figure(
        "worst_single_loss",
        label,
        money(worst.profit_after, analysis.currency).text,
        worst.profit_after,
        note=note,
        tone=_sign_tone(worst.profit_after),
    )


def _client_name(analysis: PortfolioAnalysis, client_id: str) -> str:
    name = names_of(analysis, [client_id]).get(client_id, client_id)
    return f"{name} ({client_id})" if name and name != client_id else client_id


def segment_table(analysis: PortfolioAnalysis) -> Table:
    """One row per segment present, in the contract's order: clients, revenue, margins."""
    p, cur = analysis.portfolio, analysis.currency
    columns = [
        Column("segment", _("Segment")),
        Column("clients", _("Clients"), "int"),
        Column("revenue", _("Revenue"), "money"),
        Column("gross_margin", _("Gross margin"), "money"),
        Column("net_contribution", _("Net contribution"), "money"),
    ]
    rows, keys = [], []
    for code in SEGMENTS:
        seg = p.segments.get(code)
        if seg is None or seg.clients == 0:
            continue
        keys.append(code)
        rows.append(
            [
                Cell(segment_label(code), code),
                number(seg.clients),
                money(seg.revenue, cur),
                money(seg.gross_margin, cur),
                money(seg.net_contribution, cur),
            ]
        )
    return Table(columns, rows, keys, tags=keys)


def client_columns() -> list[Column]:
    return [
        Column("rank", _("Rank"), "int"),
        Column("id", _("Client id")),
        Column("name", _("Client")),
        Column("segment", _("Segment")),
        Column("action", _("Action")),
        Column("revenue", _("Revenue"), "money"),
        Column("revenue_share", _("Share"), "pct"),
        Column("gross_margin", _("Gross margin"), "money"),
        Column("margin_pct", _("Margin %"), "pct"),
        Column("cost_to_serve", _("Cost to serve"), "money"),
        Column("net_contribution", _("Net contribution"), "money"),
        Column("days_to_pay", _("Days to pay"), "days"),
        Column("overdue", _("Overdue"), "money"),
        Column("return_rate", _("Returns"), "pct"),
        Column("service_hours", _("Service hours"), "number"),
        Column("reasons", _("Reasons")),
    ]


def client_row(c: ClientResult, currency: str) -> list[Cell]:
    m = c.metrics
    reasons = "; ".join(reason_text(r, currency) for r in c.reasons)
    return [
        number(m.rank),
        Cell(c.id, c.id),
        Cell(c.name, c.name),
        Cell(segment_label(c.segment), c.segment),
        Cell(action_label(c.action), c.action),
        money(m.revenue, currency),
        share(m.revenue_share),
        money(m.gross_margin, currency),
        pct(m.margin_pct),
        money(m.cost_to_serve, currency),
        money(m.net_contribution, currency),
        number(m.days_to_pay),
        money(m.overdue, currency),
        pct(m.return_rate),
        number(m.service_hours, 1),
        Cell(reasons, reasons),
    ]


def client_table(clients: list[ClientResult], currency: str) -> Table:
    """Every client by revenue rank; ``tags`` are the segment codes (row colours)."""
    return Table(
        client_columns(),
        [client_row(c, currency) for c in clients],
        keys=[c.id for c in clients],
        tags=[c.segment for c in clients],
    )


def action_table(clients: list[ClientResult], currency: str) -> Table:
    """Clients of one action: who, how much, what they leave, and why."""
    columns = [
        Column("name", _("Client")),
        Column("segment", _("Segment")),
        Column("revenue", _("Revenue"), "money"),
        Column("net_contribution", _("Net contribution"), "money"),
        Column("reasons", _("Reasons")),
    ]
    rows = [
        [
            Cell(c.name or c.id, c.id),
            Cell(segment_label(c.segment), c.segment),
            money(c.metrics.revenue, currency),
            money(c.metrics.net_contribution, currency),
            Cell(
                "; ".join(reason_text(r, currency) for r in c.reasons),
                ",".join(r.code for r in c.reasons),
            ),
        ]
        for c in clients
    ]
    return Table(columns, rows, keys=[c.id for c in clients], tags=[c.segment for c in clients])


def page_labels() -> dict[str, str]:
    """Section titles and captions of the report pages (templates print these)."""
    return {
        "summary": _("Summary"),
        "segments": _("Segment mix"),
        "let_go": _("Clients to let go"),
        "renegotiate": _("Clients to renegotiate with"),
        "none": _("None."),
        "recommendations": _("Recommendations"),
        "clients": _("Clients"),
        "charts": _("Charts"),
        "stress": _("Crisis stress test"),
        "inputs": _("What was read"),
        "notes": _("Notes"),
        "sort_hint": _("Click a column header to sort."),
        "generated_by": _("Made with Cartera"),
        "client_limit": _(
            "Showing the first {n} clients by revenue; the Excel report lists all."
        ).format(n=fmt_number(HTML_CLIENT_LIMIT)),
        "filter": _("Filter clients"),
        "priority": _("Priority"),
        "assumptions": _("Assumptions"),
        "assumptions_intro": _("The figures of this report rest on these settings."),
        "long_tables": _("Client lists"),
        "show_list": _("Show the list"),
        "rec_clients": _("Clients of this recommendation"),
        "impact": _("Impact"),
        "list_cut": _("The first {shown} of {total} by revenue; the Excel report lists every one."),
        "table_cut": _(
            "The first {shown} of {total} clients by revenue; the Excel report lists every one."
        ),
    }
