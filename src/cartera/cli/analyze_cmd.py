"""``cartera analyze``: the dashboard table or the JSON contract."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console

from cartera.cli.common import (
    check_output_format,
    input_options,
    read_options,
    settings_from_params,
    settings_options,
    source_of,
)
from cartera.cli.io_cmds import DELIMITER_HELP, DOCUMENTS_HELP, SKIP_HELP, with_extras
from cartera.i18n import _, set_language

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    io, st = input_options(), settings_options()

    @app.command(
        "analyze", help=_("Analyse the client portfolio: segments, actions, concentration.")
    )
    def analyze(
        inputs: list[Path] | None = io["inputs"],
        documents: list[Path] | None = typer.Option(None, "--documents", help=_(DOCUMENTS_HELP)),
        payments: Path | None = io["payments"],
        clients: Path | None = io["clients"],
        activities: Path | None = io["activities"],
        mapping: Path | None = io["mapping"],
        decimal: str | None = io["decimal"],
        date_format: str | None = io["date_format"],
        sheet: str | None = io["sheet"],
        delimiter: str | None = typer.Option(None, "--delimiter", help=_(DELIMITER_HELP)),
        skip_bad_rows: bool = typer.Option(False, "--skip-bad-rows", help=_(SKIP_HELP)),
        lang: str | None = io["lang"],
        settings_file: Path | None = st["settings_file"],
        as_of: str | None = st["as_of"],
        window_months: int | None = st["window_months"],
        hourly_cost: float | None = st["hourly_cost"],
        fixed_costs: float | None = st["fixed_costs"],
        order_cost: float | None = st["order_cost"],
        return_cost: float | None = st["return_cost"],
        annual_rate: float | None = st["annual_rate"],
        currency: str | None = st["currency"],
        fmt: str = typer.Option("table", "--format", help=_("Output: table or json.")),
        engine: str = typer.Option("duckdb", "--engine", help=_("Engine: duckdb or spark.")),
        spark_master: str | None = typer.Option(
            None, "--spark-master", help=_("Spark master URL (default: local[2]).")
        ),
    ) -> None:
        from cartera.analysis import analyze as run_analysis

        check_output_format(fmt)
        settings = settings_from_params(locals())
        options = with_extras(
            read_options(mapping, decimal, date_format, sheet, skip_bad_rows), delimiter, currency
        )
        if settings.language and not lang:
            set_language(settings.language)
        analysis = run_analysis(
            source_of(inputs), documents=documents or None, payments=payments, clients=clients,
            activities=activities, options=options,
            settings=settings, engine=engine, spark_master=spark_master,
        )  # fmt: skip
        if fmt == "json":
            from cartera.contract_stream import write_contract

            # parses to print_json(analysis.to_contract())'s, without per-client objects
            write_contract(analysis, sys.stdout)
            sys.stdout.flush()
            return
        from cartera.report.terminal import render_dashboard

        render_dashboard(analysis, Console())
