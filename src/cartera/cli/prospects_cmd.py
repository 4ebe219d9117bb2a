"""``cartera prospects import|list|score``: prospect lists, a prospect book, the call list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from cartera.cli.common import (
    print_json,
    settings_from_params,
    settings_options,
)
from cartera.cli.serve_cmd import data_option
from cartera.cli.study_cmd import analysis_and_clients
from cartera.i18n import N_, _, fmt_number

__all__ = ["check_format", "read_book", "register", "write_book"]


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


def check_format(value: str, allowed: tuple[str, ...]) -> None:
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
        from cartera.report.term_layout import Col, titled_table

        rows = [
            ["" if v is None else str(v) for v in row] for row in frame.select(columns).iter_rows()
        ]
        cols = [Col(c, [r[i] for r in rows], least=12) for i, c in enumerate(columns)]
        console = Console()
        console.print(titled_table("", cols, rows, console.width))


def register(app: typer.Typer) -> None:
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

    @group.command("import", help=_("Add prospect lists to a book, or to a firm of the web app, "
                                    "without clients or repeats."))  # fmt: skip
    def import_cmd(
        files: list[Path] = typer.Argument(..., help=_("Prospect lists (CSV or Excel).")),
        workspace: Path | None = typer.Option(None, "--workspace", help=_("The firm's workspace.")),
        into: Path | None = typer.Option(
            None, "--into", help=_("The prospect book (a Parquet file).")
        ),
        firm: str | None = typer.Option(
            None, "--firm", help=_("A firm of the web app: add to its prospects instead of a book.")
        ),
        data: Path | None = data_option(),
        do_not_call: Path | None = dnc_opt,
        lang: str | None = lang_opt,
    ) -> None:
        from cartera.errors import SettingsError
        from cartera.io import Workspace
        from cartera.study.book import add_to_book
        from cartera.study.prospects import read_do_not_call

        del lang
        console = Console(highlight=False, soft_wrap=True)
        if firm is not None:
            if workspace is not None or into is not None:
                raise SettingsError(N_("Give either --workspace and --into (a prospect book) "
                                       "or --firm, not both."))  # fmt: skip
            from cartera.cli.firm_cmd import import_prospect_lists
            from cartera.cli.serve_cmd import data_dir

            target, counts = import_prospect_lists(
                data_dir(data), firm, files, [do_not_call] if do_not_call else []
            )
            console.print(_("Prospects of {firm}: {added} added; {dnc} phones or e-mails added "
                            "to the do-not-call list.").format(
                firm=target.name, added=fmt_number(counts.get("added", 0)),
                dnc=fmt_number(counts["do_not_call_keys"])))  # fmt: skip
            for key, label in _FIRM_COUNT_LABELS.items():
                console.print(f"  {_(label)}: {fmt_number(counts.get(key, 0))}")
            return
        if workspace is None or into is None:
            raise SettingsError(N_("Give either --workspace and --into (a prospect book) "
                                   "or --firm, not both."))  # fmt: skip
        clients = Workspace.open(workspace).read("clients")
        dnc = read_do_not_call(do_not_call) if do_not_call else None
        book, counts = add_to_book(read_book(into), _read_lists(files), clients, dnc)
        write_book(book, into)
        console.print(_("Prospect book {path}: {total} prospects.").format(
            path=into, total=fmt_number(book.height)))  # fmt: skip
        for key, label in _COUNT_LABELS.items():
            console.print(f"  {_(label)}: {fmt_number(counts[key])}")

    @group.command("list", help=_("List the prospects of a book, or of a firm of the web app."))
    def list_cmd(
        book: Path | None = typer.Argument(None, help=_("The prospect book (a Parquet file).")),
        firm: str | None = typer.Option(
            None, "--firm", help=_("A firm of the web app: list its prospects instead of a book.")
        ),
        data: Path | None = data_option(),
        fmt: str = typer.Option("table", "--format", help=_("Output: table, json or csv.")),
        lang: str | None = lang_opt,
    ) -> None:
        from cartera.cli.firm_cmd import firm_prospects
        from cartera.cli.serve_cmd import data_dir
        from cartera.errors import SettingsError

        del lang
        check_format(fmt, ("table", "json", "csv"))
        if (book is None) == (firm is None):
            raise SettingsError(N_("Give either a prospect book or --firm, not both or neither."))
        if firm is not None:
            frame = firm_prospects(data_dir(data), firm)
        else:
            assert book is not None
            frame = read_book(book, must_exist=True)
        _print_frame(frame, fmt, ["id", "name", "tax_id", "sector", "region", "size", "phone",
                                  "source", "consent", "do_not_call"])  # fmt: skip

    score_firm_help = _(
        "A firm of the web app: score its prospects against its latest import, under its saved "
        "settings."
    )

    @group.command("score", help=_("Rank prospects by the gap of the portfolio they would close, "
                                   "with explained fit scores."))  # fmt: skip
    def score_cmd(
        workspace: Path | None = typer.Argument(
            None, help=_("A workspace folder (cartera import).")
        ),
        prospects: list[Path] | None = typer.Argument(
            None, help=_("Prospect lists (CSV or Excel) or a prospect book.")
        ),
        firm: str | None = typer.Option(None, "--firm", help=score_firm_help),
        data: Path | None = data_option(),
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
        from cartera.cli.common import SETTINGS_FLAGS
        from cartera.errors import SettingsError
        from cartera.study.prospects import read_do_not_call
        from cartera.study.ranking import rank_prospects

        check_format(fmt, ("table", "json", "csv"))
        params = locals()
        if firm is not None:
            given = [workspace, do_not_call, settings_file, *(params[k] for k in SETTINGS_FLAGS)]
            if prospects or any(v is not None for v in given):
                raise SettingsError(_FIRM_SCORE_ERROR)
            from cartera.cli.firm_cmd import firm_ranking
            from cartera.cli.serve_cmd import data_dir

            ranking = firm_ranking(data_dir(data), firm)
        else:
            if workspace is None or not prospects:
                raise SettingsError(N_("Give a workspace and prospect lists, or --firm."))
            analysis, clients = analysis_and_clients(workspace, params)
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
#: ``prospects import --firm``: the counts of the web's Prospects import.
_FIRM_COUNT_LABELS = {
    "read": N_("rows read"),
    "client": N_("already clients (left out)"),
    "earlier": N_("already among the firm's prospects (left out)"),
    "repeat": N_("repeated in the lists (left out)"),
    "do_not_call": N_("added but on the do-not-call list"),
    "no_consent": N_("added without consent recorded"),
    "no_source": N_("added without a source"),
}
_FIRM_SCORE_ERROR = N_(
    "With --firm the firm's prospects, do-not-call list and saved settings are used: leave out "
    "the workspace, the prospect lists, --do-not-call and the settings options."
)
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
    from cartera.i18n import fmt_money, fmt_pct
    from cartera.report.term_layout import NAME_MIN, Col, table_with_notes
    from cartera.study import kind_name
    from cartera.study.texts import METHOD_NAMES

    for gap in ranking.gaps:
        console.print("• " + _(_GAP_TEXT[gap.code]).format(severity=fmt_pct(gap.severity, 0)))
    for choice in ranking.models:
        auc = choice.auc.get(choice.method)
        console.print(_("Fit model for {kind}: {method} (cross-validated AUC {auc}).").format(
            kind=kind_name(choice.kind), method=_(METHOD_NAMES[choice.method]),
            auc="–" if auc is None else fmt_number(auc, 2)))  # fmt: skip
    heads = ("#", _("Prospect"), _("Kind"), _("Fit"), _("Expected margin"), _("Call"), _("Why"))
    rows = []
    for row in ranking.prospects.head(top).iter_rows(named=True):
        margin = row["expected_margin"]
        rows.append([
            str(row["rank"]), row["name"] or row["tax_id"] or "", kind_name(row["kind"]),
            fmt_pct(row["probability"], 0), "" if margin is None else fmt_money(margin),
            _("yes") if row["callable"] else _(_REFUSED[row["refused"]]), row["why"],
        ])  # fmt: skip
    # The reasons (why) beside the figures when they keep 30 cells, else under each row.
    least = {1: NAME_MIN, 6: 30}
    cols = [
        Col(h, [r[i] for r in rows], numeric=i in (0, 3, 4), weight=3 if i == 6 else 1,
            least=least.get(i, 0))
        for i, h in enumerate(heads)
    ]  # fmt: skip
    console.print(table_with_notes(_("Call list"), cols, rows, console.width, note=6))
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
