"""``cartera inspect`` and ``cartera import``: thin adapters over :mod:`cartera.io`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from cartera.cli.common import input_options, print_json, read_options
from cartera.errors import SettingsError
from cartera.i18n import N_, _, fmt_number
from cartera.io.options import ReadOptions
from cartera.report.term_layout import Col, Prose, titled_table

if TYPE_CHECKING:  # the importer's modules load when a command reads a file
    from cartera.io.inspect import InspectResult

__all__ = [
    "DELIMITER_HELP",
    "DOCUMENTS_HELP",
    "SKIP_HELP",
    "register",
    "render_inspect",
    "with_extras",
]

DELIMITER_HELP = N_(
    "Column separator of CSV/text files when detection fails: a character such as ';', or "
    "' ' for columns separated by runs of spaces."
)
DOCUMENTS_HELP = N_("Invoices and credit notes file (repeat the option for several files).")
CURRENCY_HELP = N_(
    "Keep only the documents in this currency (a code such as EUR or USD) when a file has "
    "several; the others are left out with a note."
)
SKIP_HELP = N_(
    "Import the good rows and write the bad ones, with their reasons, to the workspace's "
    "rejects folder."
)


_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "space": " ", "spaces": " "}


def with_extras(
    options: ReadOptions, delimiter: str | None, currency: str | None = None
) -> ReadOptions:
    """``options`` with ``--delimiter`` (``tab`` and ``space`` by name) and ``--currency``."""
    if delimiter is not None:
        delimiter = _DELIMITER_NAMES.get(delimiter.lower(), delimiter)
        if len(delimiter) != 1:
            raise SettingsError(
                N_("--delimiter must be one character (or «tab», «space»), not «{value}»."),
                value=delimiter,
            )
    return options.model_copy(
        update={"delimiter": delimiter, "currency": currency.upper() if currency else None}
    )


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def _columns(heads: Sequence[str], rows: Sequence[Sequence[str]]) -> list[Col]:
    return [Col(h, [row[i] for row in rows], least=12) for i, h in enumerate(heads)]


def render_inspect(result: InspectResult, console: Console) -> None:
    """The inspect report: file facts, a table of columns, notes and first problems."""
    facts = [
        (_("File"), result.file),
        (_("Format"), result.format),
        (_("Looks like"), _(result.table)),
        (_("Rows"), fmt_number(result.rows)),
        (_("Header row"), str(result.header_row)),
    ]
    if result.encoding:
        facts.append((_("Encoding"), result.encoding))
    if result.delimiter:
        shown = {"\t": "tab", " ": _("runs of spaces")}.get(result.delimiter, result.delimiter)
        facts.append((_("Delimiter"), shown))
    if result.sheet:
        facts.append((_("Sheet"), result.sheet))
    for label, value in facts:
        console.print(f"[bold]{label}:[/bold] {value}", markup=True)
    if result.scores:
        # A table and its count are one word: never "clientes" at the end of a line, "3" below.
        scores = ", ".join(f"{_(t)}\xa0{n}" for t, n in result.scores.items())
        text = _("Columns recognised per table: {scores}").format(scores=scores)
        console.print(Prose(text))
    width = console.width
    heads = (_("Column"), _("Role"), _("Convention"), _("Values"), _("Read as"))
    # One sample a line, next to the value it was read as.
    rows = [
        (c.header, c.role or _("(not used)"), c.convention or "", "\n".join(c.samples),
         "\n".join(c.parsed))
        for c in result.columns
    ]  # fmt: skip
    console.print(titled_table("", _columns(heads, rows), rows, width))
    if result.roles:
        heads = (_("Role"), _("Column"), _("Why"), _("Runner-up"), _("Why not"))
        found = [
            (r.role, r.column, r.reason, r.runner_up or "", r.runner_reason or "")
            for r in result.roles
        ]
        # Runner-up columns with nothing in them are left out.
        keep = [i for i in range(len(heads)) if i < 3 or any(row[i] for row in found)]
        picked = [[row[i] for i in keep] for row in found]
        cols = _columns([heads[i] for i in keep], picked)
        console.print(titled_table(_("How each role was chosen"), cols, picked, width))
    for note in result.notes:
        console.print(f"· {note}", markup=False)
    if result.problem_count:
        console.print(
            _("{n} problems an import would refuse, first ones:").format(
                n=fmt_number(result.problem_count)
            ),
            markup=False,
        )
        for problem in result.problems:
            console.print(f"  - {problem}", markup=False)


def register(app: typer.Typer) -> None:
    opts = input_options()

    @app.command(
        "inspect",
        help=_(
            "Show how cartera reads a file: its table, each column's role, the conventions "
            "detected and sample values."
        ),
    )
    def inspect_cmd(
        file: Path = typer.Argument(..., help=_("A CSV, Excel or Parquet file.")),
        table: str | None = typer.Option(
            None,
            "--table",
            help=_("Read it as this table: documents, payments, clients or activities."),
        ),
        mapping: Path | None = opts["mapping"],
        decimal: str | None = opts["decimal"],
        date_format: str | None = opts["date_format"],
        sheet: str | None = opts["sheet"],
        delimiter: str | None = typer.Option(None, "--delimiter", help=_(DELIMITER_HELP)),
        lang: str | None = opts["lang"],
        output: str = typer.Option("table", "--format", help=_("Output format: table or json.")),
    ) -> None:
        if output not in ("table", "json"):
            raise SettingsError(
                N_("--format must be «table» or «json», not «{value}»."), value=output
            )
        options = with_extras(read_options(mapping, decimal, date_format, sheet), delimiter)
        from cartera.io.inspect import inspect_file

        result = inspect_file(file, table=table, options=options)
        if output == "json":
            print_json(result.as_dict())
        else:
            render_inspect(result, _console())

    @app.command(
        "import",
        help=_(
            "Read export files (CSV, Excel, Parquet), check them and write a workspace folder of "
            "canonical tables."
        ),
    )
    def import_cmd(
        inputs: list[Path] | None = opts["inputs"],
        into: Path = typer.Option(
            ...,
            "--into",
            help=_("Workspace folder to write (new, empty, or a previous workspace)."),
        ),
        documents: list[Path] | None = typer.Option(None, "--documents", help=_(DOCUMENTS_HELP)),
        payments: Path | None = opts["payments"],
        clients: Path | None = opts["clients"],
        activities: Path | None = opts["activities"],
        skip_bad_rows: bool = typer.Option(False, "--skip-bad-rows", help=_(SKIP_HELP)),
        delimiter: str | None = typer.Option(None, "--delimiter", help=_(DELIMITER_HELP)),
        currency: str | None = typer.Option(None, "--currency", help=_(CURRENCY_HELP)),
        force: bool = typer.Option(
            False,
            "--force",
            help=_(
                "Read and write the files again even when the workspace already holds them "
                "(rebuilds a damaged workspace)."
            ),
        ),
        mapping: Path | None = opts["mapping"],
        decimal: str | None = opts["decimal"],
        date_format: str | None = opts["date_format"],
        sheet: str | None = opts["sheet"],
        lang: str | None = opts["lang"],
    ) -> None:
        options = with_extras(
            read_options(mapping, decimal, date_format, sheet, skip_bad_rows), delimiter, currency
        )
        from cartera.io.importer import import_files

        summary = import_files(
            inputs or [],
            into=into,
            documents=documents or None,
            payments=payments,
            clients=clients,
            activities=activities,
            options=options,
            force=force,
        )
        _console().print(summary.render(), markup=False)
