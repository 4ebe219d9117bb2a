"""``cartera agenda``: whom to contact this week, ranked by the money at stake.

Reads a workspace (the analysis, its documents and its activities as the
interaction log), or with ``--firm`` a firm of the web app (its latest import,
its logged interactions, snoozes, reassignments and scheduled items), asks
:mod:`cartera.assistant` for the agenda and prints a table or JSON, or writes CSV/XLSX.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from cartera.cli.common import print_json, settings_from_flags
from cartera.cli.serve_cmd import data_option
from cartera.errors import SettingsError
from cartera.i18n import N_, _, fmt_date, fmt_money, set_language
from cartera.settings import Settings

__all__ = ["parse_week", "register"]

_FORMATS = ("table", "json", "csv", "xlsx")


def parse_week(text: str | None, default: dt.date) -> tuple[dt.date, dt.date]:
    """``2026-W45`` → its Monday..Sunday; a date → seven days from it; none → from ``default``."""
    if not text:
        return default, default + dt.timedelta(days=6)
    iso = re.fullmatch(r"(\d{4})-?W(\d{1,2})", text.strip(), flags=re.IGNORECASE)
    try:
        if iso:
            start = dt.date.fromisocalendar(int(iso[1]), int(iso[2]), 1)
        else:
            start = dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise SettingsError(
            N_("--week «{value}» is not a week; expected YYYY-Www or YYYY-MM-DD."), value=text
        ) from exc
    return start, start + dt.timedelta(days=6)


def register(app: typer.Typer) -> None:
    @app.command("agenda", help=_("Whom to contact this week, ranked by the money at stake."))
    def agenda(
        workspace: Path | None = typer.Argument(
            None, help=_("A workspace folder (cartera import); not with --firm.")
        ),
        week: str | None = typer.Option(
            None, "--week", help=_("Week: YYYY-Www, or the first of seven days (YYYY-MM-DD).")
        ),
        owner: str | None = typer.Option(None, "--owner", help=_("Only this owner's items.")),
        fmt: str = typer.Option("table", "--format", help=_("table, json, csv or xlsx.")),
        output: Path | None = typer.Option(
            None, "--output", "-o", help=_("File to write (needed for xlsx).")
        ),
        lang: str | None = typer.Option(None, "--lang", help=_("Language: es or en.")),
        settings_file: Path | None = typer.Option(
            None, "--settings", help=_("TOML settings file.")
        ),
        as_of: str | None = typer.Option(None, "--as-of", help=_("Date of the agenda.")),
        limit: int | None = typer.Option(
            None, "--limit", min=1, help=_("Only the first N items (by money at stake).")
        ),
        firm: str | None = typer.Option(
            None, "--firm", help=_("A firm of the web app instead of a workspace.")
        ),
        data: Path | None = data_option(),
    ) -> None:
        if fmt not in _FORMATS:
            raise SettingsError(N_("--format must be one of {choices}, not «{value}»."),
                                choices=", ".join(_FORMATS), value=fmt)  # fmt: skip
        if fmt == "xlsx" and output is None:
            raise SettingsError(N_("--format xlsx needs --output FILE."))
        settings = settings_from_flags(settings_file, lang, as_of=as_of)
        if settings.language and not lang:
            set_language(settings.language)
        if (workspace is None) == (firm is None):
            raise SettingsError(N_("Give either a workspace folder or --firm."))
        if firm is not None:
            rows, today, currency = _firm_rows(data, firm, settings_file, as_of, week, owner, limit)
        else:
            assert workspace is not None
            rows, today, currency = _rows(workspace, settings, settings_file, week, owner, limit)
        if fmt == "json":
            print_json({"as_of": today.isoformat(), "items": rows})
        elif fmt in ("csv", "xlsx"):
            _write(rows, fmt, output)
        else:
            _render(rows, currency, Console(highlight=False))


def _rows(
    workspace: Path,
    settings: Settings,
    settings_file: Path | None,
    week: str | None,
    owner: str | None,
    limit: int | None,
) -> tuple[list[dict[str, Any]], dt.date, str]:
    from cartera import analyze
    from cartera.assistant import (
        build_agenda,
        from_activities,
        load_assistant_settings,
        owners_from_log,
        plan,
    )
    from cartera.assistant.texts import agenda_rows
    from cartera.io.workspace import Workspace

    ws = Workspace.open(workspace)
    assistant = load_assistant_settings(settings_file)
    parse_week(week, dt.date.today())  # a bad --week fails before the analysis runs
    analysis = analyze(ws.path, settings=settings)
    _start, end = parse_week(week, analysis.as_of)
    log = from_activities(ws.read("activities"))
    due = plan(analysis.clients_frame, ws.read("documents"), log, assistant, analysis.as_of)
    items = build_agenda(
        due, until=end, owners=owners_from_log(log), default_owner=assistant.default_owner,
        owner=owner, limit=limit,
    )  # fmt: skip
    return agenda_rows(items, analysis.as_of, analysis.currency), analysis.as_of, analysis.currency


def _firm_rows(
    data: Path | None,
    firm: str,
    settings_file: Path | None,
    as_of: str | None,
    week: str | None,
    owner: str | None,
    limit: int | None,
) -> tuple[list[dict[str, Any]], dt.date, str]:
    from cartera.assistant.texts import agenda_rows
    from cartera.cli.followup_cmd import open_firm, parse_day
    from cartera.web import followup as W

    day = parse_day(as_of, "--as-of")
    parse_week(week, dt.date.today())  # a bad --week fails before the analysis runs
    with open_firm(data, firm) as fd:
        settings = W.assistant_settings(fd.session, fd.firm.id, settings_file)
        analysis, workspace = fd.analysis(day)
        fp = W.firm_plan(fd.session, fd.firm.id, analysis, workspace, settings)
        _start, end = parse_week(week, fp.as_of)
        items = W.agenda_items(fd.session, fd.firm.id, fp, until=end, owner=owner, limit=limit)
        booked = W.scheduled_rows(fd.session, fd.firm.id, until=end, today=fp.as_of, owner=owner)
    return booked + agenda_rows(items, fp.as_of, fp.currency), fp.as_of, fp.currency


def _write(rows: list[dict[str, Any]], fmt: str, output: Path | None) -> None:
    import polars as pl

    from cartera.assistant.texts import ROW_COLUMNS

    frame = pl.DataFrame(rows, schema={c: None for c in ROW_COLUMNS} if not rows else None)
    frame = frame.select(ROW_COLUMNS) if rows else pl.DataFrame({c: [] for c in ROW_COLUMNS})
    if fmt == "csv":
        text = frame.write_csv()
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
        return
    assert output is not None
    frame.write_excel(output, worksheet=_("Agenda"), autofit=True)


def _render(rows: list[dict[str, Any]], currency: str, console: Console) -> None:
    from cartera.report.term_layout import NAME_MIN, Col, table_with_notes

    heads = (_("Client"), _("Due on"), _("To do"), _("At stake"), _("Owner"), _("Why"))
    cells = []
    for r in rows:
        due = fmt_date(dt.date.fromisoformat(r["due"]))
        if r["days_overdue"]:
            due = _("{date} ({days} days late)").format(date=due, days=r["days_overdue"])
        cells.append((
            f"{r['name']} ({r['client_id']})", due, r["action"], r["why"],
            fmt_money(r["stake"], currency, digits=0), r["owner"] or _("unassigned"),
        ))  # fmt: skip
    # The reason (why) is the long text: beside the others when it keeps 30 cells, else
    # under its row; the owner gives way first when narrow.
    order = [0, 1, 2, 4, 5, 3]
    shown = [[c[i] for i in order] for c in cells]
    least = {0: NAME_MIN, 1: 12, 2: 16, 5: 30}
    cols = [
        Col(h, [c[i] for c in shown], numeric=i == 3, weight=3 if i == 5 else 1,
            least=least.get(i, 0))
        for i, h in enumerate(heads)
    ]  # fmt: skip
    console.print(table_with_notes(_("Agenda"), cols, shown, console.width, note=5))
    console.print(_("{n} items.").format(n=len(rows)))
