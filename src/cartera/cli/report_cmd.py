"""``cartera report``: write the HTML, Excel or PDF report of an analysis."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import typer

from cartera.cli.common import (
    input_options,
    read_options,
    settings_from_params,
    settings_options,
    source_of,
)
from cartera.errors import OutputError
from cartera.i18n import _, set_language

__all__ = ["register", "write_atomically"]


def register(app: typer.Typer) -> None:
    io, st = input_options(), settings_options()

    @app.command("report", help=_("Write the report of the portfolio: HTML, Excel or PDF."))
    def report(
        inputs: list[Path] | None = io["inputs"],
        fmt: str = typer.Option(
            "html", "--format", help=_("Report format: html, xlsx, pdf, or all three.")
        ),
        out: Path = typer.Option(..., "--out", help=_("Output file; a folder with --format all.")),
        stress: bool = typer.Option(
            True, "--stress/--no-stress", help=_("Include the crisis stress test.")
        ),
        documents: Path | None = io["documents"],
        payments: Path | None = io["payments"],
        clients: Path | None = io["clients"],
        activities: Path | None = io["activities"],
        mapping: Path | None = io["mapping"],
        decimal: str | None = io["decimal"],
        date_format: str | None = io["date_format"],
        sheet: str | None = io["sheet"],
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
    ) -> None:
        from cartera.analysis import analyze
        from cartera.report import check_format, progress, render, render_all
        from cartera.scenarios import stress_test

        check_format(fmt, allow_all=True)
        settings = settings_from_params(locals())
        if settings.language and not lang:
            set_language(settings.language)
        source = source_of(inputs)
        with progress(_("Analysing the portfolio")):
            analysis = analyze(
                source, documents=documents, payments=payments, clients=clients,
                activities=activities, options=read_options(mapping, decimal, date_format, sheet),
                settings=settings,
            )  # fmt: skip
        if stress and analysis.portfolio.gross_margin is None:
            # Most exports have no cost column: the report is still written, without the one
            # section that needs margins (it used to refuse the whole report).
            typer.echo(
                _(
                    "No cost column: the report leaves out the crisis stress test, which needs "
                    "each client's gross margin."
                ),
                err=True,
            )
            stress = False
        if stress and fmt == "xlsx":
            # The stress test runs in a thread while the clients sheet, which does not need
            # it, is written: numpy and polars release the interpreter lock (decision 0407).
            from cartera.report import xlsx

            with ThreadPoolExecutor(1) as pool, progress(_("Writing the report")):
                future = pool.submit(stress_test, analysis, settings)
                paths = write_atomically(
                    out.parent,
                    lambda aside: [xlsx.write(analysis, aside / out.name, future.result)],
                )
        else:
            result = None
            if stress:
                with progress(_("Running the crisis stress test")):
                    result = stress_test(analysis, settings)
            with progress(_("Writing the report")):
                if fmt == "all":
                    paths = write_atomically(out, lambda aside: render_all(analysis, aside, result))
                else:
                    paths = write_atomically(
                        out.parent, lambda aside: [render(fmt, analysis, aside / out.name, result)]
                    )
        for path in paths:
            typer.echo(str(path))


#: ``.cartera-report.tmp-<pid>-<hex>``: where a report is written before it is moved in place.
_ASIDE = re.compile(r"^\.cartera-report\.tmp-(?P<pid>\d+)-[a-z0-9_]{8}$")


def write_atomically(folder: Path, write: Callable[[Path], list[Path]]) -> list[Path]:
    """Run ``write`` into a hidden folder beside the output, then move each file it wrote
    into ``folder`` by a rename: a full disk or a kill never leaves a cut report, and an
    earlier report stays whole until the new one replaces it. Aside folders of killed runs
    are removed first."""
    from cartera.io.scratch import sweep

    folder = folder.absolute()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for stale, _match in sweep(folder, _ASIDE):
            shutil.rmtree(stale, ignore_errors=True)
        aside = Path(tempfile.mkdtemp(prefix=f".cartera-report.tmp-{os.getpid()}-", dir=folder))
    except OSError as exc:
        raise OutputError.writing(folder, exc) from exc
    try:
        written = write(aside)
        paths = [folder / path.name for path in written]
        for path, target in zip(written, paths, strict=True):
            os.replace(path, target)
    except Exception as exc:  # a writer library may wrap the operating system's error
        failure = OutputError.from_failure(folder, exc)
        if failure is None:
            raise
        raise failure from exc
    finally:
        shutil.rmtree(aside, ignore_errors=True)
    return paths
