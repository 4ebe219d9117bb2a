"""The terminal dashboard of ``cartera analyze`` (Rich).

It lays out the shared :class:`~cartera.report.view.ReportView`: headline,
segment mix, clients to let go and to renegotiate with (with their reasons),
recommendations and, when given, the stress test. It adapts to the console
width (fewer columns under 80 characters) and uses colour only as a hint, so
it reads the same with ``NO_COLOR`` or when piped.
"""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text

from cartera.i18n import _, fmt_number
from cartera.report.view import Figure, ReportView, Table, build_view
from cartera.report.view_parts import RecommendationView, StressView
from cartera.result import PortfolioAnalysis, StressResult

__all__ = ["dashboard", "render_dashboard"]

#: Below this width the tables drop their secondary columns.
NARROW = 80
#: Below this width the client lists leave out the segment column.
MEDIUM = 110
#: Share of the free width that text columns take when a table fills the console.
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
    view = build_view(analysis, stress, terminal=True)
    console.print(dashboard(view, width=console.width, limit=limit))


def dashboard(view: ReportView, *, width: int = 120, limit: int = 15) -> RenderableType:
    """The dashboard of a view as one Rich renderable, laid out for ``width`` columns."""
    narrow = width < NARROW
    parts: list[RenderableType] = [
        Text(view.title, style="bold"),
        Text(view.subtitle, style="dim"),
        Panel(_headline(view.headline, narrow), title=view.labels["summary"], expand=True),
        _titled(
            view.labels["segments"],
            _table(view.segments, narrow=narrow, keep=("segment", "clients", "revenue")),
        ),
        _client_list(view.labels["let_go"], view.let_go, view, width, limit, view.let_go_count),
        _client_list(
            view.labels["renegotiate"], view.renegotiate, view, width, limit, view.renegotiate_count
        ),
        _recommendations(view.labels["recommendations"], view.recommendations, view),
    ]
    if view.stress is not None:
        parts.append(_stress(view.labels["stress"], view.stress))
    if view.notes:
        parts.append(_titled(view.labels["notes"], Text("\n".join(f"• {n}" for n in view.notes))))
    return Group(*parts)


def _titled(title: str, body: RenderableType) -> RenderableType:
    return Group(Text(""), Text(title, style="bold underline"), body)


def _headline(figures: list[Figure], narrow: bool) -> RenderableType:
    grid = RichTable.grid(padding=(0, 2), expand=narrow)
    grid.add_column(style="bold", no_wrap=not narrow, ratio=1 if narrow else None)
    grid.add_column(justify="right", no_wrap=True)
    if not narrow:
        grid.add_column(style="dim", overflow="fold")
    for fig in figures:
        value = Text(fig.text, style=_TONES[fig.tone])
        if narrow:
            grid.add_row(Text(fig.label), value)
            if fig.note:
                grid.add_row(Padding(Text(fig.note, style="dim"), (0, 0, 0, 2)), "")
        else:
            grid.add_row(Text(fig.label), value, Text(fig.note))
    return grid


def _table(
    table: Table, *, narrow: bool, keep: tuple[str, ...] = (), expand: bool = False
) -> RichTable:
    """``keep`` lists the columns shown when narrow (all when empty)."""
    cols = [(i, c) for i, c in enumerate(table.columns) if not narrow or not keep or c.key in keep]
    out = RichTable(show_edge=not narrow, pad_edge=False, expand=expand, header_style="bold")
    for _i, col in cols:
        numeric = col.kind != "text"
        out.add_column(
            col.label,
            justify="right" if numeric else "left",
            no_wrap=numeric or col.key == "segment",
            overflow="fold",
            ratio=_RATIOS.get(col.key) if expand else None,
        )
    for r, row in enumerate(table.rows):
        tag = table.tags[r] if r < len(table.tags) else ""
        # Cells are data (client names may hold ``[/]``): Text, never read as Rich markup.
        out.add_row(*(Text(row[i].text) for i, _c in cols), style=_SEGMENT_STYLES.get(tag, ""))
    return out


def _client_list(
    title: str, table: Table, view: ReportView, width: int, limit: int, total: int
) -> RenderableType:
    """The first ``limit`` rows of ``table``; ``total`` is how many clients the list has."""
    if not table.rows:
        return _titled(title, Text(view.labels["none"], style="dim"))
    shown = Table(table.columns, table.rows[:limit], table.keys[:limit], table.tags[:limit])
    keep: tuple[str, ...] = ("name", "revenue", "reasons")
    if width >= NARROW:
        keep = (*keep, "net_contribution") if width < MEDIUM else ()
    body: list[RenderableType] = [_table(shown, narrow=bool(keep), keep=keep, expand=True)]
    hidden = max(total, len(table.rows)) - min(limit, len(table.rows))
    if hidden > 0:
        more = _("… and {n} more (see the HTML or Excel report).").format(n=fmt_number(hidden))
        body.append(Text(more, style="dim"))
    count = f"{title} ({fmt_number(max(total, len(table.rows)))})"
    return _titled(count, Group(*body))


def _recommendations(
    title: str, recs: list[RecommendationView], view: ReportView
) -> RenderableType:
    if not recs:
        return _titled(title, Text(view.labels["none"], style="dim"))
    lines: list[RenderableType] = []
    for n, rec in enumerate(recs, start=1):
        lines.append(Text(f"{n}. {rec.title}", style="bold"))
        if rec.text and rec.text != rec.title:
            lines.append(Padding(Text(rec.text), (0, 0, 0, 3)))
    return _titled(title, Group(*lines))


def _stress(title: str, stress: StressView) -> RenderableType:
    grid = RichTable.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(justify="right", no_wrap=True)
    for label, value in [*stress.figures, *stress.named]:
        grid.add_row(Text(label), Text(value))
    parts: list[RenderableType] = [grid]
    if stress.tail:
        tail = RichTable(header_style="bold", pad_edge=False)
        for i, col in enumerate(stress.tail_columns):
            tail.add_column(col, justify="right" if i == 2 else "left", overflow="fold")
        for row in stress.tail[:10]:
            tail.add_row(*(Text(cell) for cell in row))
        parts.append(tail)
    return _titled(title, Group(*parts))
