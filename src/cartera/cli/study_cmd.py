"""``cartera profile`` and ``cartera prospects``: the study of issue 15 in the terminal.

Thin adapters: open the workspace, analyse it, call :mod:`cartera.study`,
render a Rich table or print JSON/CSV. Everything is imported on first use so
that the command line starts without the analysis engine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from cartera.cli.common import (
    check_output_format,
    print_json,
    settings_from_params,
    settings_options,
)
from cartera.i18n import N_, _, fmt_number, set_language

__all__ = ["register"]


def _analysis_and_clients(workspace: Path, params: dict[str, Any]) -> tuple[Any, Any]:
    """The analysis of ``workspace`` and its canonical clients table."""
    from cartera.analysis import analyze
    from cartera.io import Workspace

    settings = settings_from_params(params)
    if settings.language and not params.get("lang"):
        set_language(settings.language)
    ws = Workspace.open(workspace)
    return analyze(ws.path, settings=settings), ws.read("clients")


def register(app: typer.Typer) -> None:
    register_profile(app)
    register_prospects(app)
    register_campaign(app)


def register_profile(app: typer.Typer) -> None:
    so = settings_options()
    lang_opt = typer.Option(None, "--lang", help=_("Language: es or en."))

    @app.command(
        "profile",
        help=_("The ideal-client profile: which sectors, regions and sizes each segment has "
        "more often than the portfolio."),
    )  # fmt: skip
    def profile_cmd(
        workspace: Path = typer.Argument(..., help=_("A workspace folder (cartera import).")),
        min_support: int = typer.Option(
            3, "--min-support", help=_("Fewest clients of a segment that make a rule.")
        ),
        min_lift: float = typer.Option(
            1.5, "--min-lift", help=_("Least lift of an over-represented value.")
        ),
        fmt: str = typer.Option("table", "--format", help=_("Output: table or json.")),
        lang: str | None = lang_opt,
        settings_file: Path | None = so["settings_file"],
        as_of: str | None = so["as_of"],
        window_months: int | None = so["window_months"],
        hourly_cost: float | None = so["hourly_cost"],
        fixed_costs: float | None = so["fixed_costs"],
        order_cost: float | None = so["order_cost"],
        return_cost: float | None = so["return_cost"],
        annual_rate: float | None = so["annual_rate"],
        currency: str | None = so["currency"],
    ) -> None:
        from cartera.study import ProfileSettings, client_attributes, profile, rule_sentence

        check_output_format(fmt)
        rules = ProfileSettings(min_support=min_support, min_lift=min_lift)
        analysis, clients = _analysis_and_clients(workspace, locals())
        result = profile(client_attributes(analysis.clients_frame, clients), rules)
        if fmt == "json":
            data = result.to_dict()
            for seg, seg_data in zip(result.segments, data["segments"], strict=True):
                for rule, rule_data in zip(seg.rules, seg_data["rules"], strict=True):
                    rule_data["text"] = rule_sentence(rule)
            print_json(data)
            return
        _print_profile(result, Console(highlight=False, soft_wrap=True))


def _print_profile(result: Any, console: Console) -> None:
    from cartera.study import SEGMENT_CLIENTS, rule_sentence

    for seg in result.segments:
        title = _(SEGMENT_CLIENTS.get(seg.segment, seg.segment))
        console.print(f"[bold]{title}[/bold] ({fmt_number(seg.clients)})")
        if not seg.rules:
            console.print("  " + _("No attribute value stands out."))
        for rule in seg.rules:
            console.print("  • " + rule_sentence(rule))


def read_book(path: Path, must_exist: bool = False) -> Any:
    """The prospect book at ``path`` (empty when it does not exist yet, unless ``must_exist``)."""
    import polars as pl

    from cartera.errors import InputError
    from cartera.i18n import N_
    from cartera.study.book import BOOK_SCHEMA, empty_book

    if not path.exists():
        if must_exist:
            raise InputError(N_("{path} does not exist. Create it with: cartera prospects import "
                                "FILES --workspace WS --into {path}"), path=str(path))  # fmt: skip
        return empty_book()
    try:
        book = pl.read_parquet(path)
    except (OSError, pl.exceptions.ComputeError) as exc:
        raise InputError(N_("{path} is not a prospect book ({error})."), path=str(path),
                         error=str(exc)) from exc  # fmt: skip
    if list(book.columns) != list(BOOK_SCHEMA):
        raise InputError(N_("{path} is not a prospect book (its columns are {columns})."),
                         path=str(path), columns=", ".join(book.columns))  # fmt: skip
    return book


def write_book(book: Any, path: Path) -> None:
    """Write the book aside, then rename it over ``path`` (never half-written)."""
    import os

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    book.write_parquet(tmp)
    os.replace(tmp, path)


def _check_format(value: str, allowed: tuple[str, ...]) -> None:
    from cartera.errors import SettingsError
    from cartera.i18n import N_

    if value not in allowed:
        raise SettingsError(
            N_("--format must be one of {allowed}, not «{value}»."),
            allowed=", ".join(allowed), value=value,
        )  # fmt: skip


def _read_lists(files: list[Path]) -> Any:
    """Prospect lists, and prospect books as they are (ids and do-not-call flags kept)."""
    import polars as pl

    from cartera.study.book import BOOK_SCHEMA
    from cartera.study.prospects import read_prospects

    frames = []
    for f in files:
        if (
            f.suffix.lower() == ".parquet"
            and pl.read_parquet_schema(f).keys() == BOOK_SCHEMA.keys()
        ):
            frames.append(read_book(f).with_columns(pl.lit(f.name).alias("file")))
        else:
            frames.append(read_prospects(f))
    return pl.concat(frames, how="diagonal_relaxed")


def _is_book(path: Path, schema: dict[str, Any]) -> bool:
    import polars as pl

    if path.suffix.lower() != ".parquet" or not path.is_file():
        return False
    try:
        return pl.read_parquet_schema(path).keys() == schema.keys()
    except (OSError, pl.exceptions.PolarsError):
        return False  # read as a list, which reports what is wrong with it


def _print_frame(frame: Any, fmt: str, columns: list[str]) -> None:
    import sys

    if fmt == "json":
        print_json(frame.to_dicts())
    elif fmt == "csv":
        sys.stdout.write(frame.select(columns).write_csv())
    else:
        from rich.table import Table

        table = Table(*columns)
        for row in frame.select(columns).iter_rows():
            table.add_row(*("" if v is None else str(v) for v in row))
        Console().print(table)


def register_prospects(app: typer.Typer) -> None:
    group = typer.Typer(
        help=_("Prospect lists: import them into a book, list them, score them."),
        no_args_is_help=True,
    )
    app.add_typer(group, name="prospects")
    so = settings_options()
    lang_opt = typer.Option(None, "--lang", help=_("Language: es or en."))
    dnc_opt = typer.Option(
        None, "--do-not-call", help=_("Do-not-call list (e.g. a Robinson-list export).")
    )

    @group.command("import", help=_("Add prospect lists to a book, without clients or repeats."))
    def import_cmd(
        files: list[Path] = typer.Argument(..., help=_("Prospect lists (CSV or Excel).")),
        workspace: Path = typer.Option(..., "--workspace", help=_("The firm's workspace.")),
        into: Path = typer.Option(..., "--into", help=_("The prospect book (a Parquet file).")),
        do_not_call: Path | None = dnc_opt,
        lang: str | None = lang_opt,
    ) -> None:
        from cartera.io import Workspace
        from cartera.study.book import add_to_book
        from cartera.study.prospects import read_do_not_call

        del lang
        clients = Workspace.open(workspace).read("clients")
        dnc = read_do_not_call(do_not_call) if do_not_call else None
        book, counts = add_to_book(read_book(into), _read_lists(files), clients, dnc)
        write_book(book, into)
        console = Console(highlight=False, soft_wrap=True)
        console.print(_("Prospect book {path}: {total} prospects.").format(
            path=into, total=fmt_number(book.height)))  # fmt: skip
        for key, label in _COUNT_LABELS.items():
            console.print(f"  {_(label)}: {fmt_number(counts[key])}")

    @group.command("list", help=_("List the prospects of a book."))
    def list_cmd(
        book: Path = typer.Argument(..., help=_("The prospect book (a Parquet file).")),
        fmt: str = typer.Option("table", "--format", help=_("Output: table, json or csv.")),
        lang: str | None = lang_opt,
    ) -> None:
        del lang
        _check_format(fmt, ("table", "json", "csv"))
        frame = read_book(book, must_exist=True)
        _print_frame(frame, fmt, ["id", "name", "tax_id", "sector", "region", "size", "phone",
                                  "source", "consent", "do_not_call"])  # fmt: skip

    @group.command("score", help=_("Rank prospects by the gap of the portfolio they would close, "
                                   "with explained fit scores."))  # fmt: skip
    def score_cmd(
        workspace: Path = typer.Argument(..., help=_("A workspace folder (cartera import).")),
        prospects: list[Path] = typer.Argument(
            ..., help=_("Prospect lists (CSV or Excel) or a prospect book.")
        ),
        do_not_call: Path | None = dnc_opt,
        top: int = typer.Option(20, "--top", help=_("How many prospects to show in the table.")),
        fmt: str = typer.Option("table", "--format", help=_("Output: table, json or csv.")),
        lang: str | None = lang_opt,
        settings_file: Path | None = so["settings_file"],
        as_of: str | None = so["as_of"],
        window_months: int | None = so["window_months"],
        hourly_cost: float | None = so["hourly_cost"],
        fixed_costs: float | None = so["fixed_costs"],
        order_cost: float | None = so["order_cost"],
        return_cost: float | None = so["return_cost"],
        annual_rate: float | None = so["annual_rate"],
        currency: str | None = so["currency"],
    ) -> None:
        from cartera.study.prospects import read_do_not_call
        from cartera.study.ranking import rank_prospects

        _check_format(fmt, ("table", "json", "csv"))
        params = locals()
        analysis, clients = _analysis_and_clients(workspace, params)
        dnc = read_do_not_call(do_not_call) if do_not_call else None
        ranking = rank_prospects(
            analysis.clients_frame, analysis.portfolio, clients, _read_lists(prospects),
            settings_from_params(params), dnc,
        )  # fmt: skip
        if fmt == "json":
            print_json(ranking.to_dict())
            return
        if fmt == "csv":
            _print_frame(ranking.prospects, "csv", _CSV_COLUMNS)
            return
        _print_ranking(ranking, top, Console(highlight=False))


_COUNT_LABELS = {
    "read": N_("rows read"),
    "added": N_("new prospects added"),
    "client": N_("already clients (left out)"),
    "earlier": N_("already in the book (left out)"),
    "repeat": N_("repeated in the lists (left out)"),
    "do_not_call": N_("added but on the do-not-call list"),
    "no_consent": N_("added without consent recorded"),
    "no_source": N_("added without a source"),
}
_CSV_COLUMNS = [
    "rank", "name", "tax_id", "phone", "kind", "probability", "gap", "expected_revenue",
    "expected_margin", "closes", "why", "callable", "refused",
]  # fmt: skip
_REFUSED = {
    "do_not_call": N_("do not call"),
    "no_consent": N_("no consent"),
    "no_source": N_("no source"),
    "no_phone": N_("no phone"),
}


def _print_ranking(ranking: Any, top: int, console: Console) -> None:
    from rich.table import Table

    from cartera.i18n import fmt_money, fmt_pct
    from cartera.study import kind_name
    from cartera.study.texts import METHOD_NAMES

    for gap in ranking.gaps:
        console.print("• " + _(_GAP_TEXT[gap.code]).format(severity=fmt_pct(gap.severity, 0)))
    for choice in ranking.models:
        auc = choice.auc.get(choice.method)
        console.print(_("Fit model for {kind}: {method} (cross-validated AUC {auc}).").format(
            kind=kind_name(choice.kind), method=_(METHOD_NAMES[choice.method]),
            auc="–" if auc is None else fmt_number(auc, 2)))  # fmt: skip
    table = Table(
        "#",
        _("Prospect"),
        _("Kind"),
        _("Fit"),
        _("Expected margin"),
        _("Why"),
        _("Call"),
        title=_("Call list"),
    )
    for row in ranking.prospects.head(top).iter_rows(named=True):
        margin = row["expected_margin"]
        table.add_row(
            str(row["rank"]), row["name"] or row["tax_id"] or "", kind_name(row["kind"]),
            fmt_pct(row["probability"], 0), "" if margin is None else fmt_money(margin),
            row["why"], _("yes") if row["callable"] else _(_REFUSED[row["refused"]]),
        )  # fmt: skip
    console.print(table)
    if ranking.duplicates.height:
        console.print(_("{n} prospects left out: already clients or repeated.").format(
            n=fmt_number(ranking.duplicates.height)))  # fmt: skip


_GAP_TEXT = {
    "cover_fixed_costs": N_("Structure clients do not cover the fixed costs ({severity} short): "
                            "structure-like prospects first."),
    "seek_margin_clients": N_("Too few active margin clients ({severity} short): margin-like "
                              "prospects first."),
    "seek_image_clients": N_("Too few image clients ({severity} short): image-like prospects "
                             "first."),
    "spread_risk": N_("Sales depend on too few clients (80/10, {severity} short): mid-size "
                      "prospects first."),
}  # fmt: skip


def register_campaign(app: typer.Typer) -> None:
    group = typer.Typer(
        help=_("Call campaigns: scripts per kind, and a campaign's standing from its call log."),
        no_args_is_help=True,
    )
    app.add_typer(group, name="campaign")
    lang_opt = typer.Option(None, "--lang", help=_("Language: es or en."))
    kind_opt = typer.Option(..., "--kind", help=_("Target kind: structure, margin or image."))

    @group.command("script", help=_("The call script of a kind, its opening naming the value "
                                    "the firm gives clients of that kind."))  # fmt: skip
    def script_cmd(
        kind: str = kind_opt,
        firm: str = typer.Option(..., "--firm", help=_("Your firm's name.")),
        prospect: str = typer.Option(..., "--prospect", help=_("The prospect's name.")),
        contact: str | None = typer.Option(None, "--contact", help=_("The person called.")),
        assistant: str = typer.Option(..., "--assistant", help=_("Who calls.")),
        lang: str | None = lang_opt,
    ) -> None:
        from cartera.i18n import get_language
        from cartera.study import Campaign, script

        del lang  # already applied by cli.app.run before parsing
        _check_kind(kind)
        text = script(Campaign("script", "", kind), get_language(), firm=firm,
                      prospect=prospect, contact=contact, assistant=assistant)  # fmt: skip
        Console(highlight=False, soft_wrap=True).print(text)

    status_help = _(
        "Replay a campaign's call log over a prospect book: whom to call now, booked meetings "
        "(.ics) and the funnel."
    )

    @group.command("status", help=status_help)
    def status_cmd(
        book: Path = typer.Argument(..., help=_("The prospect book (a Parquet file).")),
        kind: str = kind_opt,
        calls: Path | None = typer.Option(None, "--calls", help=_("Call log (CSV or Excel).")),
        name: str = typer.Option("", "--name", help=_("Campaign name.")),
        attempts: int = typer.Option(3, "--attempts", help=_("Calls before giving up.")),
        gap_days: int = typer.Option(2, "--gap-days", help=_("Days between attempts.")),
        now: str | None = typer.Option(
            None, "--now", help=_("The moment to plan from (dd/mm/yyyy hh:mm; default: now).")
        ),
        ics: Path | None = typer.Option(
            None, "--ics", help=_("Write the booked meetings to this .ics file.")
        ),
        fmt: str = typer.Option("table", "--format", help=_("Output: table or json.")),
        lang: str | None = lang_opt,
    ) -> None:
        import datetime as dt

        from cartera.study import Campaign, RetryRule, book_prospects, to_ics
        from cartera.study.calls import read_calls
        from cartera.study.status import campaign_status

        del lang
        check_output_format(fmt)
        _check_kind(kind)
        moment = _moment(now)
        campaign = Campaign(book.stem, name or book.stem, kind, retry=RetryRule(attempts, gap_days))
        status = campaign_status(campaign, book_prospects(read_book(book, must_exist=True)),
                                 read_calls(calls) if calls else [], moment)  # fmt: skip
        if ics is not None:
            ics.write_bytes(to_ics(status.meetings, dt.datetime.now(dt.UTC)))
        if fmt == "json":
            print_json(_status_dict(status))
            return
        _print_status(status, Console(highlight=False, soft_wrap=True))


def _check_kind(kind: str) -> None:
    from cartera.errors import SettingsError
    from cartera.i18n import N_

    if kind not in ("structure", "margin", "image"):
        raise SettingsError(
            N_("--kind must be structure, margin or image, not «{value}»."), value=kind
        )


def _moment(text: str | None) -> Any:
    import datetime as dt

    from cartera.errors import SettingsError
    from cartera.i18n import N_
    from cartera.study.calls import parse_moment

    if text is None:
        return dt.datetime.now().replace(second=0, microsecond=0)
    value = parse_moment(text)
    if value is None:
        raise SettingsError(N_("--now «{value}» is not a date; expected dd/mm/yyyy hh:mm."),
                            value=text)  # fmt: skip
    return value


def _status_dict(status: Any) -> dict[str, Any]:
    import dataclasses

    def state(s: Any) -> dict[str, Any]:
        return {k: v.isoformat() if hasattr(v, "isoformat") else v
                for k, v in dataclasses.asdict(s).items()}  # fmt: skip

    return {
        "campaign": {
            "id": status.campaign.id,
            "name": status.campaign.name,
            "kind": status.campaign.kind,
        },
        "refused": [{"prospect": p.id, "reason": r} for p, r in status.enrollment.refused],
        "states": [state(s) for s in status.states.values()],
        "due": [s.prospect_id for s in status.due],
        "meetings": [
            {
                "uid": m.uid,
                "prospect": m.prospect_id,
                "title": m.title,
                "start": m.start.isoformat(),
                "end": m.end.isoformat(),
            }
            for m in status.meetings
        ],
        "funnel": status.funnel.to_dicts(),
    }


def _print_status(status: Any, console: Console) -> None:
    from cartera.i18n import fmt_pct
    from cartera.study.campaign import STAGE_NAMES

    enrolled = len(status.states)
    console.print(_("{name}: {enrolled} prospects in the campaign, {refused} refused "
                    "(do-not-call, consent, source or phone).").format(
        name=status.campaign.name, enrolled=fmt_number(enrolled),
        refused=fmt_number(len(status.enrollment.refused))))  # fmt: skip
    counts: dict[str, int] = {}
    for s in status.states.values():
        counts[s.stage] = counts.get(s.stage, 0) + 1
    console.print(", ".join(f"{_(STAGE_NAMES[k])}: {fmt_number(v)}" for k, v in counts.items()))
    console.print(_("To call now: {n}").format(n=fmt_number(len(status.due))))
    for item in status.meetings:
        console.print(f"  📅 {item.start:%d/%m/%Y %H:%M} {item.title}")
    if status.funnel.height:
        row = status.funnel.row(0, named=True)
        steps = ("called", "reached", "meeting", "proposal", "client")
        console.print(" → ".join(f"{_(_STEP_NAMES[k])} {fmt_number(row[k])}" for k in steps))
        rate = row["client_rate"]
        console.print(_("Clients won per prospect called: {rate}").format(
            rate="–" if rate is None else fmt_pct(rate)))  # fmt: skip


_STEP_NAMES = {
    "called": N_("called"),
    "reached": N_("reached"),
    "meeting": N_("meeting"),
    "proposal": N_("proposal"),
    "client": N_("client"),
}
