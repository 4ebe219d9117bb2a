"""The terminal dashboard of ``cartera analyze`` (Rich).

It lays out the shared :class:`~cartera.report.view.ReportView`: headline,
segment mix, clients to let go and to renegotiate with (with their reasons),
recommendations and, when given, the stress test. It adapts to the console
width (fewer columns under 80 characters) and uses colour only as a hint, so
it reads the same with ``NO_COLOR`` or when piped.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text

from cartera.i18n import _, fmt_number
from cartera.report.term_layout import (
    NAME_MIN,
    Col,
    Prose,
    fitted_table,
    longest_word,
    rows_with_notes,
)
from cartera.report.view import Figure, ReportView, Table, build_view
from cartera.report.view_parts import RecommendationView, StressView
from cartera.result import PortfolioAnalysis, StressResult

__all__ = ["dashboard", "render_dashboard"]

#: Below this width the headline and the client lists lay their notes under the figures.
NARROW = 80
#: The headline's label column wraps past this many cells (its longest word fits always).
LABEL_CAP = 28
#: A note column beside the figures is at least this wide, else the notes go under them.
NOTE_MIN = 32
#: Notes this wide beside the figures read well: the labels do not wrap to give them more.
NOTE_WIDE = 60
#: The reasons column of a client list is at least this wide beside the figures, else the
#: reasons go on the lines under each client.
REASONS_MIN = 50
#: The segment column shows only when the reasons beside it still get this many cells.
REASONS_WIDE = 70
#: Cells between two columns of a grid.
GAP = 2
#: How the spare width is shared between the text columns of a client list.
_RATIOS = {"name": 2, "reasons": 3}
_TONES = {"good": "green", "warn": "yellow", "bad": "bold red", "": ""}
_SEGMENT_STYLES = {
    "structure": "blue",
    "margin": "green",
    "image": "magenta",
    "regular": "",
    "new": "cyan",
    "dormant": "dim",
}


def render_dashboard(
    analysis: PortfolioAnalysis,
    console: Console,
    stress: StressResult | None = None,
    *,
    limit: int = 15,
) -> None:
    """Print the dashboard of ``analysis`` on ``console`` in the current language.

    ``limit`` caps the rows of each client list (the rest is counted).
    """
    view = build_view(analysis, stress, client_limit=0, list_limit=limit, terminal=True)
    console.print(dashboard(view, width=console.width, limit=limit))


def dashboard(view: ReportView, *, width: int = 120, limit: int = 15) -> RenderableType:
    """The dashboard of a view as one Rich renderable, laid out for ``width`` columns.

    Every text wraps at word boundaries and keeps a number and its unit together
    (:mod:`cartera.report.term_layout`); a column that would fall below a readable
    width moves its text under the figures instead.
    """
    shown = {f.note for f in view.headline}
    notes = [n for n in view.notes if n not in shown]  # said in the summary already
    parts: list[RenderableType] = [
        Prose(view.title, "bold"),
        Prose(view.subtitle, "dim"),
        Panel(_headline(view.headline, width - 4), title=view.labels["summary"], expand=True),
        _titled(view.labels["segments"], _segments(view.segments, width)),
        _client_list(view.labels["let_go"], view.let_go, view, width, limit, view.let_go_count),
        _client_list(
            view.labels["renegotiate"], view.renegotiate, view, width, limit, view.renegotiate_count
        ),
        _recommendations(view.labels["recommendations"], view.recommendations, view),
    ]
    if view.stress is not None:
        parts.append(_stress(view.labels["stress"], view.stress, width))
    if notes:
        parts.append(_titled(view.labels["notes"], Group(*(_bullet(n) for n in notes))))
    return Group(*parts)


def _titled(title: str, body: RenderableType) -> RenderableType:
    return Group(Text(""), Prose(title, "bold underline"), body)


def _bullet(text: str, style: str = "") -> RenderableType:
    return Prose(f"• {text}", style, hang=2)


def _headline(figures: list[Figure], room: int) -> RenderableType:
    """Label, value and note side by side when the note column gets ``NOTE_MIN`` cells;
    else each note on its own lines under its figure, across the label's width."""
    value_w = max((cell_len(f.text) for f in figures), default=0)
    label_nat = max((cell_len(f.label) for f in figures), default=0)
    label_least = max(
        max((longest_word(f.label) for f in figures), default=0), min(label_nat, LABEL_CAP)
    )
    notes = [f.note for f in figures if f.note]
    note_nat = max((cell_len(n) for n in notes), default=0)
    # The label wraps (down to LABEL_CAP) only when the notes would get under NOTE_WIDE.
    spare = room - label_nat - value_w - 2 * GAP
    label_w = label_nat if spare >= min(note_nat, NOTE_WIDE) else label_least
    note_w = room - label_w - value_w - 2 * GAP
    beside = note_w >= max([NOTE_MIN, *(longest_word(n) for n in notes)])
    grid = RichTable.grid(padding=(0, GAP))
    if beside:
        note_w = min(note_w, note_nat)
        grid.add_column(style="bold", width=label_w)
        grid.add_column(justify="right", width=value_w)
        grid.add_column(style="dim", width=max(note_w, 1))
    else:
        grid.add_column(style="bold", width=max(room - value_w - GAP, 1))
        grid.add_column(justify="right", width=value_w)
    for fig in figures:
        value = Text(fig.text, style=_TONES[fig.tone], no_wrap=True, overflow="fold")
        if beside:
            grid.add_row(Prose(fig.label), value, Prose(fig.note))
            continue
        grid.add_row(Prose(fig.label), value)
        if fig.note:
            grid.add_row(Padding(Prose(fig.note, "dim not bold"), (0, 0, 0, 2)), "")
    return grid


def _segments(table: Table, width: int) -> RenderableType:
    """The segment mix; the last figure columns give way when the console is narrow."""
    for n in range(len(table.columns), 1, -1):
        out = _fitted(table, [c.key for c in table.columns[:n]], width, edge=width >= NARROW)
        if out is not None:
            return out
    return _fitted(table, [c.key for c in table.columns[:2]], None) or Text("")


def _fitted(
    table: Table,
    keys: list[str],
    width: int | None,
    *,
    edge: bool = False,
    least: dict[str, int] | None = None,
    under: str = "",
) -> RenderableType | None:
    """``table``'s columns ``keys`` sized by :func:`fitted_table` (``None``: they do not
    fit in ``width``); ``under``: the column whose texts go under each row."""
    index = {c.key: i for i, c in enumerate(table.columns)}
    cols = [
        Col(
            table.columns[index[k]].label,
            [row[index[k]].text for row in table.rows],
            numeric=table.columns[index[k]].kind != "text",
            weight=_RATIOS.get(k, 1),
            least=(least or {}).get(k, 0),
        )
        for k in keys
    ]
    rows = [[row[index[k]].text for k in keys] for row in table.rows]
    styles = [_SEGMENT_STYLES.get(tag, "") for tag in table.tags]
    if under:
        notes = [row[index[under]].text for row in table.rows]
        return rows_with_notes(cols, rows, notes, width, styles=styles)
    return fitted_table(cols, rows, width, edge=edge, pad_edge=edge, styles=styles)


def _client_list(
    title: str, table: Table, view: ReportView, width: int, limit: int, total: int
) -> RenderableType:
    """The first ``limit`` rows of ``table``; ``total`` is how many clients the list has."""
    if not table.rows:
        return _titled(title, Text(view.labels["none"], style="dim"))
    shown = Table(table.columns, table.rows[:limit], table.keys[:limit], table.tags[:limit])
    body: list[RenderableType] = [_client_rows(shown, width)]
    hidden = max(total, len(table.rows)) - min(limit, len(table.rows))
    if hidden > 0:
        more = _("… and {n} more (see the HTML or Excel report).").format(n=fmt_number(hidden))
        body.append(Prose(more, "dim"))
    count = f"{title} ({fmt_number(max(total, len(table.rows)))})"
    return _titled(count, Group(*body))


def _client_rows(table: Table, width: int) -> RenderableType:
    """The reasons beside the figures when they get ``REASONS_MIN`` cells (with the
    segment when they get ``REASONS_WIDE``); else on the lines under each client."""
    for keys, reasons in (
        (["name", "segment", "revenue", "net_contribution", "reasons"], REASONS_WIDE),
        (["name", "revenue", "net_contribution", "reasons"], REASONS_MIN),
    ):
        out = _fitted(table, keys, width, least={"name": NAME_MIN, "reasons": reasons})
        if out is not None:
            return out
    under = {"name": NAME_MIN}
    for keys in (["name", "revenue", "net_contribution"], ["name", "revenue"]):
        out = _fitted(table, keys, width, least=under, under="reasons")
        if out is not None:
            return out
    # Too narrow for any layout: the least columns, and the console wraps them.
    return _fitted(table, ["name", "revenue"], None, under="reasons") or Text("")


def _recommendations(
    title: str, recs: list[RecommendationView], view: ReportView
) -> RenderableType:
    if not recs:
        return _titled(title, Text(view.labels["none"], style="dim"))
    lines: list[RenderableType] = []
    for n, rec in enumerate(recs, start=1):
        lines.append(Prose(f"{n}. {rec.title}", "bold", hang=3))
        if rec.text and rec.text != rec.title:
            lines.append(Padding(Prose(rec.text), (0, 0, 0, 3)))
    return _titled(title, Group(*lines))


def _stress(title: str, stress: StressView, width: int) -> RenderableType:
    rows = [*stress.figures, *stress.named]
    value_w = max((cell_len(v) for _l, v in rows), default=0)
    label_w = min(max((cell_len(label) for label, _v in rows), default=0), width - value_w - GAP)
    grid = RichTable.grid(padding=(0, GAP))
    grid.add_column(style="bold", width=max(label_w, 1))
    grid.add_column(justify="right", width=value_w)
    for label, value in rows:
        grid.add_row(Prose(label), Text(value, no_wrap=True))
    parts: list[RenderableType] = [grid]
    if stress.tail:
        cols = [
            Col(header, [row[i] for row in stress.tail[:10]], numeric=i == 2, least=NAME_MIN)
            for i, header in enumerate(stress.tail_columns)
        ]
        tail = fitted_table(cols, stress.tail[:10], width, edge=True)
        tail = tail or fitted_table(cols, stress.tail[:10], None, edge=False, pad_edge=False)
        if tail is not None:
            parts.append(tail)
    return _titled(title, Group(*parts))
