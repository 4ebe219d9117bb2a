"""The Excel report (XlsxWriter), readable in Excel and LibreOffice.

Sheets, in order: summary (headline, segment mix and, when given, the stress
test), clients (every client; autofilter, frozen header, number formats in the
locale's currency style, rows tinted by segment), Pareto (the curve's points
and a native scatter chart with the 80% line and the 80/10–80/20–80/40
points), recommendations, the clients of each recommendation (every one), the
client profile (when the analysis read a clients table), assumptions, and what
was read. Cells that hold numbers store numbers; formats
only change how they look. The workbook is written in XlsxWriter's
``constant_memory`` mode (each row goes to disk as it is written), and the
client rows stream from the analysis' frame, so 500,000 clients fit in bounded
memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from cartera.i18n import _, get_language
from cartera.report.charts import money_affixes
from cartera.report.palette import ACCENT, BAD, MUTED, SEGMENT_COLOURS, SEGMENT_TINTS
from cartera.report.view import (
    Cell,
    ReportView,
    Table,
    build_view,
    client_columns,
    page_labels,
    with_stress,
)
from cartera.report.xlsx_rows import CLIENT_KEYS, client_frames
from cartera.report.xlsx_stream import StreamingSheet, write_frames
from cartera.result import PortfolioAnalysis, StressResult
from cartera.scenarios import texts

__all__ = ["sheet_names", "write"]

_INVALID = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_names() -> dict[str, str]:
    """Localised sheet names (Excel allows 31 characters and no ``[]:*?/\\``)."""
    names = {
        "summary": _("Summary"),
        "clients": _("Clients"),
        "pareto": _("Pareto"),
        "recommendations": _("Recommendations"),
        "rec_clients": _("Recommendation clients"),
        "profile": _("Client profile"),
        "assumptions": _("Assumptions"),
        "inputs": _("What was read"),
    }
    return {k: v.translate(_INVALID)[:31] for k, v in names.items()}


class _Formats:
    """Cell formats by (column kind, segment tint), created once per workbook."""

    def __init__(self, book: Workbook, currency: str) -> None:
        prefix, suffix = money_affixes(currency)
        quote = lambda s: f'"{s}"' if s else ""  # noqa: E731
        self.book = book
        self.codes = {
            "money": f"{quote(prefix)}#,##0{quote(suffix)}",
            "pct": "0.0%",
            "number": "#,##0.0",
            "int": "#,##0",
            "days": "#,##0",
            "text": "@",
        }
        self._cache: dict[tuple[str, str, bool], Any] = {}
        self.title = book.add_format({"bold": True, "font_size": 16, "font_color": ACCENT})
        self.subtitle = book.add_format({"italic": True, "font_color": MUTED})
        self.heading = book.add_format({"bold": True, "font_size": 12, "bottom": 2})
        self.header = book.add_format(
            {"bold": True, "bg_color": "#EEF1F5", "bottom": 1, "text_wrap": True, "valign": "top"}
        )
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.label = book.add_format({"bold": True, "valign": "top"})

    def cell(self, kind: str, segment: str = "", bad: bool = False) -> Any:
        key = (kind, segment, bad)
        if key not in self._cache:
            spec: dict[str, Any] = {"num_format": self.codes[kind], "valign": "top"}
            if segment in SEGMENT_TINTS:
                spec["bg_color"] = SEGMENT_TINTS[segment]
            if bad:
                spec["font_color"] = BAD
            if kind == "text":
                spec["text_wrap"] = True
            self._cache[key] = self.book.add_format(spec)
        return self._cache[key]


def _value(cell: Cell, kind: str) -> Any:
    if kind == "text":
        return cell.text
    return cell.raw if isinstance(cell.raw, int | float) else None


def write_table(
    sheet: Worksheet, fmt: _Formats, table: Table, row: int, *, tint: bool = False
) -> int:
    """Write ``table`` with its header at ``row``; return the row after it."""
    for c, col in enumerate(table.columns):
        sheet.write_string(row, c, col.label, fmt.header)
    for r, cells in enumerate(table.rows, start=row + 1):
        segment = table.tags[r - row - 1] if tint and r - row - 1 < len(table.tags) else ""
        for c, (col, cell) in enumerate(zip(table.columns, cells, strict=True)):
            value = _value(cell, col.kind)
            negative = isinstance(value, int | float) and value < 0 and col.kind == "money"
            style = fmt.cell(col.kind, segment, negative)
            if value is None:
                sheet.write_blank(r, c, None, style)
            elif col.kind == "text":
                sheet.write_string(r, c, str(value), style)
            else:
                sheet.write_number(r, c, value, style)
    return row + len(table.rows) + 1


def summary_sheet(book: Workbook, fmt: _Formats, view: ReportView, name: str | Worksheet) -> None:
    """The summary; ``name`` may be the sheet itself, added earlier to keep it first."""
    sheet = _sheet(book, name)
    name = sheet.name
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 4, 18)
    sheet.write_string(0, 0, view.title, fmt.title)
    sheet.write_string(1, 0, view.subtitle, fmt.subtitle)
    row = 3
    sheet.write_string(row, 0, view.labels["summary"], fmt.heading)
    for fig in view.headline:
        row += 1
        sheet.write_string(row, 0, fig.label, fmt.label)
        if isinstance(fig.raw, int | float):
            sheet.write_number(row, 1, fig.raw, fmt.cell(fig.kind, bad=fig.tone == "bad"))
        else:
            sheet.write_string(row, 1, fig.text, fmt.cell("text"))
        if fig.note_raw is not None:
            sheet.write_number(row, 2, fig.note_raw, fmt.cell(fig.note_kind))
        else:
            sheet.write_string(row, 2, fig.note, fmt.subtitle)
    row += 2
    sheet.write_string(row, 0, view.labels["segments"], fmt.heading)
    seg_top = row + 1
    row = write_table(sheet, fmt, view.segments, seg_top, tint=True)
    _segment_chart(book, sheet, view, name, seg_top, row - 1)
    if view.stress is not None:
        row += 1
        sheet.write_string(row, 0, view.labels["stress"], fmt.heading)
        for label, value, kind in view.stress.values:
            row += 1
            sheet.write_string(row, 0, label, fmt.label)
            if value is None:
                sheet.write_blank(row, 1, None, fmt.cell(kind))
            else:
                sheet.write_number(row, 1, value, fmt.cell(kind, bad=kind == "money" and value < 0))


def _segment_chart(
    book: Workbook, sheet: Worksheet, view: ReportView, name: str, top: int, last: int
) -> None:
    if last <= top:
        return
    chart = book.add_chart({"type": "column"})
    points = [{"fill": {"color": SEGMENT_COLOURS.get(k, MUTED)}} for k in view.segments.tags]
    for col, pattern in ((2, None), (3, {"pattern": "light_upward_diagonal"})):
        series: dict[str, Any] = {
            "name": [name, top, col],
            "categories": [name, top + 1, 0, last, 0],
            "values": [name, top + 1, col, last, col],
            "points": points,
        }
        if pattern:
            series["points"] = [
                {"pattern": {**pattern, "fg_color": p["fill"]["color"], "bg_color": "#FFFFFF"}}
                for p in points
            ]
        chart.add_series(series)
    chart.set_title({"name": view.labels["segments"]})
    chart.set_y_axis({"num_format": "#,##0", "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom"})
    sheet.insert_chart(3, 4, chart, {"x_scale": 1.2, "y_scale": 1.1})


def _styles(fmt: _Formats, kind: str, column: str) -> pl.Expr:
    """Each row's format index for a ``kind`` column: tinted by segment, red when negative."""

    def by_segment(bad: bool) -> pl.Expr:
        table = {seg: fmt.cell(kind, seg, bad)._get_xf_index() for seg in SEGMENT_TINTS}
        default = fmt.cell(kind, "", bad)._get_xf_index()
        return pl.col("_segment").replace_strict(table, default=default, return_dtype=pl.Int64)

    if kind != "money":
        return by_segment(False)
    return pl.when(pl.col(column) < 0).then(by_segment(True)).otherwise(by_segment(False))


def write_client_frames(
    sheet: StreamingSheet,
    fmt: _Formats,
    frames: Iterable[pl.DataFrame],
    start: int,
    lead: tuple[tuple[Any, str], ...] = (),
) -> int:
    """Client rows (``client_frames`` slices) from ``start``, after ``lead`` cells per row.

    ``lead`` is ``((value, kind), ...)``, the same in every row. Returns the row count.
    """
    kinds = {c.key: c.kind for c in client_columns()}
    names = [f"_lead{i}" for i in range(len(lead))]
    columns = [(n, kind, _styles(fmt, kind, n)) for n, (_v, kind) in zip(names, lead, strict=True)]
    columns += [(k, kinds[k], _styles(fmt, kinds[k], k)) for k in CLIENT_KEYS]
    literals = [pl.lit(v).alias(n) for n, (v, _k) in zip(names, lead, strict=True)]
    with_lead = (f.with_columns(literals) if literals else f for f in frames)
    return write_frames(sheet, with_lead, columns, start)


def clients_sheet(book: Workbook, fmt: _Formats, name: str, analysis: PortfolioAnalysis) -> None:
    """Every client by revenue rank, straight from the analysis (not only the view's first)."""
    sheet = book.add_worksheet(name, worksheet_class=StreamingSheet)
    columns = client_columns()
    _column_widths(sheet, [c.key for c in columns], [c.label for c in columns])
    sheet.set_row(0, 30)
    for c, col in enumerate(columns):
        sheet.write_string(0, c, col.label, fmt.header)
    n = write_client_frames(sheet, fmt, client_frames(analysis, get_language()), 1)
    sheet.freeze_panes(1, 3)
    sheet.autofilter(0, 0, max(n, 1), len(columns) - 1)


_WIDTHS = {"name": 34, "reasons": 60, "id": 12, "segment": 13, "action": 13, "rank": 7}


def _column_widths(sheet: Worksheet, keys: list[str], labels: list[str]) -> None:
    for c, (key, label) in enumerate(zip(keys, labels, strict=True)):
        sheet.set_column(c, c, _WIDTHS.get(key, max(12, min(len(label) + 2, 22))))


def _sheet(book: Workbook, name: str | Worksheet) -> Worksheet:
    """The sheet ``name``, added now, or the sheet itself (added earlier to keep the order)."""
    return book.add_worksheet(name) if isinstance(name, str) else name


def pareto_sheet(book: Workbook, fmt: _Formats, view: ReportView, name: str | Worksheet) -> None:
    """Curve points in A:B, the reference points in D:E, and a native chart."""
    data = view.chart_data()
    t = data.text
    sheet = _sheet(book, name)
    name = sheet.name
    sheet.set_column(0, 1, 20)
    sheet.set_column(3, 4, 16)
    pct = fmt.cell("pct")
    last = len(data.pareto)
    refs = [(0.0, ""), (1.0, ""), *((x, label) for x, label in data.pareto_references)]
    if data.pareto_point is not None:
        refs.append((data.pareto_point, t["portfolio"]))
    # Row by row (constant-memory mode writes each row once): curve in A:B, references in D:F.
    sheet.write_row(0, 0, [t["clients_axis"], t["revenue_axis"]], fmt.header)
    sheet.write_row(0, 3, [t["line80"], ""], fmt.header)
    for r in range(1, max(last, len(refs)) + 1):
        if r <= last:
            x, y = data.pareto[r - 1]
            sheet.write_number(r, 0, x, pct)
            sheet.write_number(r, 1, y, pct)
        if r <= len(refs):
            x, label = refs[r - 1]
            sheet.write_number(r, 3, x, pct)
            sheet.write_number(r, 4, 0.8, pct)
            sheet.write_string(r, 5, label)
    if last < 2:
        return
    chart = book.add_chart({"type": "scatter", "subtype": "straight"})
    chart.add_series(
        {
            "name": t["portfolio"],
            "categories": [name, 1, 0, last, 0],
            "values": [name, 1, 1, last, 1],
            "line": {"color": ACCENT, "width": 2.5},
            "marker": {"type": "none"},
        }
    )
    chart.add_series(
        {
            "name": t["line80"],
            "categories": [name, 1, 3, 2, 3],
            "values": [name, 1, 4, 2, 4],
            "line": {"color": BAD, "dash_type": "dash", "width": 1.25},
            "marker": {"type": "none"},
        }
    )
    n_refs = len(refs)
    chart.add_series(
        {
            "name": "80/10 · 80/20 · 80/40",
            "categories": [name, 3, 3, n_refs, 3],
            "values": [name, 3, 4, n_refs, 4],
            "line": {"none": True},
            "marker": {
                "type": "circle",
                "size": 7,
                "border": {"color": MUTED},
                "fill": {"color": "#FFFFFF"},
            },
            "data_labels": {
                "custom": [{"value": lab} for _x, lab in refs[2:]],
                "position": "below",
            },
        }
    )
    chart.set_title({"name": t["pareto"]})
    chart.set_x_axis(
        {
            "name": t["clients_axis"],
            "min": 0,
            "max": 1,
            "num_format": "0%",
            "major_gridlines": {"visible": True},
        }
    )
    chart.set_y_axis({"name": t["revenue_axis"], "min": 0, "max": 1, "num_format": "0%"})
    chart.set_legend({"position": "bottom"})
    sheet.insert_chart(1, 7, chart, {"x_scale": 1.6, "y_scale": 1.5})


def recommendations_sheet(
    book: Workbook, fmt: _Formats, view: ReportView, name: str | Worksheet
) -> None:
    """One row per recommendation: priority, title, sentence, main money figure, clients."""
    sheet = _sheet(book, name)
    headers = [
        view.labels["priority"],
        _("Recommendation"),
        _("What to do"),
        _("Figure"),
        _("Amount"),
        _("Clients"),
    ]
    sheet.write_row(0, 0, headers, fmt.header)
    for r, rec in enumerate(view.recommendations, start=1):
        sheet.write_number(r, 0, rec.priority, fmt.cell("int"))
        sheet.write_string(r, 1, rec.title, fmt.wrap)
        sheet.write_string(r, 2, rec.text, fmt.wrap)
        if rec.money is not None and rec.money_value is not None:
            sheet.write_string(r, 3, rec.money[0], fmt.wrap)
            sheet.write_number(r, 4, rec.money_value, fmt.cell("money"))
        sheet.write_number(r, 5, rec.client_count, fmt.cell("int"))
    for col, width in enumerate((10, 28, 90, 22, 16, 10)):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)


def recommendation_clients_sheet(
    book: Workbook, fmt: _Formats, analysis: PortfolioAnalysis, name: str
) -> None:
    """Every client of every recommendation, one row each, with its figures and reasons.

    Read from the analysis (priority order, as the view lists them), not the view: the
    sheet does not wait for the stress test the view includes.
    """
    sheet = book.add_worksheet(name, worksheet_class=StreamingSheet)
    columns = client_columns()
    labels = [page_labels()["priority"], _("Recommendation"), *(c.label for c in columns)]
    _column_widths(sheet, ["rank", "rec", *(c.key for c in columns)], labels)
    sheet.set_column(1, 1, 28)
    sheet.set_row(0, 30)
    sheet.write_row(0, 0, labels, fmt.header)
    row = 1
    for rec in sorted(analysis.recommendations, key=lambda r: r.priority):
        if not rec.clients:
            continue
        lead = ((rec.priority, "int"), (texts.title(rec.code), "text"))
        frames = client_frames(analysis, get_language(), list(rec.clients))
        row += write_client_frames(sheet, fmt, frames, row, lead)
    sheet.freeze_panes(1, 2)
    sheet.autofilter(0, 0, max(row - 1, 1), len(labels) - 1)


def profile_sheet(book: Workbook, fmt: _Formats, view: ReportView, name: str) -> None:
    """Who the clients of each kind are: one row per rule with its counts, shares and lift."""
    profile = view.profile
    if profile is None:
        return
    sheet = book.add_worksheet(name)
    sheet.write_string(0, 0, profile.title, fmt.heading)
    sheet.write_string(1, 0, profile.note or profile.intro, fmt.subtitle)
    if profile.note:
        sheet.set_column(0, 0, 110)
        return
    kinds = ("text", "text", "text", "int", "int", "pct", "pct", "number", "text")
    for col, width in enumerate((18, 16, 30, 12, 12, 10, 12, 8, 90)):
        sheet.set_column(col, col, width)
    sheet.set_row(3, 30)
    sheet.write_row(3, 0, profile.columns, fmt.header)
    for r, row in enumerate(profile.rows, start=4):
        for c, (value, kind) in enumerate(zip(row, kinds, strict=True)):
            if kind == "text":
                sheet.write_string(r, c, str(value), fmt.wrap)
            else:
                sheet.write_number(r, c, value, fmt.cell(kind))
    if not profile.rows:
        sheet.write_string(4, 0, view.labels["none"])
    sheet.freeze_panes(4, 0)


def assumptions_sheet(book: Workbook, fmt: _Formats, view: ReportView, name: str) -> None:
    """The settings behind the figures: label, value (a number where it is one), note."""
    sheet = book.add_worksheet(name)
    sheet.set_column(0, 0, 52)
    sheet.set_column(1, 1, 26)
    sheet.set_column(2, 2, 70)
    sheet.write_string(0, 0, view.labels["assumptions_intro"], fmt.subtitle)
    for r, a in enumerate(view.assumptions, start=2):
        sheet.write_string(r, 0, a.label, fmt.label)
        if a.kind != "text" and isinstance(a.raw, int | float):
            sheet.write_number(r, 1, a.raw, fmt.cell(a.kind))
        else:
            sheet.write_string(r, 1, a.text, fmt.cell("text"))
        if a.note:
            sheet.write_string(r, 2, a.note, fmt.subtitle)


def inputs_sheet(book: Workbook, fmt: _Formats, view: ReportView, name: str) -> None:
    sheet = book.add_worksheet(name)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 90)
    row = 0
    for block in view.inputs:
        sheet.write_string(row, 0, block.title, fmt.heading)
        for label, text in block.rows:
            row += 1
            sheet.write_string(row, 0, label, fmt.label)
            sheet.write_string(row, 1, text, fmt.wrap)
        row += 2
    if not view.inputs:
        sheet.write_string(0, 0, view.labels["none"])


def write(
    analysis: PortfolioAnalysis,
    out: Path,
    stress: StressResult | Callable[[], StressResult | None] | None = None,
) -> Path:
    """Write the Excel report of ``analysis`` to ``out``; return ``out``.

    ``stress`` may be a function that returns the stress test's result (a future's
    ``result``): it is called only after the sheets of client rows and the view without
    the stress test, which do not need it, are built, so a stress test running in another
    thread overlaps them.
    """
    names = sheet_names()
    out.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(
        str(out),
        {"strings_to_numbers": False, "strings_to_urls": False, "constant_memory": True},
    )
    fmt = _Formats(book, analysis.currency)
    # The sheets are added in the book's order; those that show the view are filled after
    # the client rows (a constant-memory sheet is written in row order, sheets in any).
    summary = book.add_worksheet(names["summary"])
    clients_sheet(book, fmt, names["clients"], analysis)
    pareto = book.add_worksheet(names["pareto"])
    recommendations = book.add_worksheet(names["recommendations"])
    recommendation_clients_sheet(book, fmt, analysis, names["rec_clients"])
    view = with_stress(build_view(analysis), analysis, stress() if callable(stress) else stress)
    book.set_properties({"title": view.title, "subject": view.subtitle, "author": "Cartera"})
    summary_sheet(book, fmt, view, summary)
    pareto_sheet(book, fmt, view, pareto)
    recommendations_sheet(book, fmt, view, recommendations)
    profile_sheet(book, fmt, view, names["profile"])
    assumptions_sheet(book, fmt, view, names["assumptions"])
    inputs_sheet(book, fmt, view, names["inputs"])
    book.close()
    return out
