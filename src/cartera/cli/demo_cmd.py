"""``cartera demo DIR``: write a seeded demo portfolio as a Spanish accounting export."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from cartera.cli.common import input_options, whole_option
from cartera.i18n import _, fmt_number

__all__ = ["register"]

#: Bounds of the demo's size flags (about 1 GB of CSV at the top; more would exhaust memory).
MAX_CLIENTS = 1_000_000
MAX_LINES = 50_000_000


def register(app: typer.Typer) -> None:
    @app.command(
        "demo",
        help=_("Write a demo portfolio (two years of invoices, payments, clients and "
        "activities) as a Spanish accounting export: cp1252, «;», decimal comma."),
    )  # fmt: skip
    def demo(
        folder: Path = typer.Argument(
            ..., help=_("Folder to write the demo files into (created if missing).")
        ),
        clients: int = whole_option(
            "--clients", 400, _("Number of clients."), ge=1, le=MAX_CLIENTS
        ),
        lines: int = whole_option(
            "--lines", 30_000, _("Number of invoice lines."), ge=1, le=MAX_LINES
        ),
        seed: int = whole_option(
            "--seed", 7, _("Random seed: the same seed writes the same files."), ge=0, le=2**63
        ),
        settings_out: Path | None = typer.Option(
            None,
            "--settings-out",
            help=_(
                "Also write a settings file with the demo firm's fixed costs (TOML), to pass "
                "to analyze and report with --settings."
            ),
        ),
        lang: str | None = input_options()["lang"],
    ) -> None:
        from cartera.demo import FILES, write_demo

        del lang  # already applied by cli.app.run before parsing
        data = write_demo(folder, clients=clients, lines=lines, seed=seed)
        console = Console(highlight=False, soft_wrap=True)
        console.print(_("Demo data written to {folder}:").format(folder=folder))
        for table, name in FILES.items():
            rows = fmt_number(data.table(table).height)
            console.print("  " + _("{file}: {rows} rows").format(file=folder / name, rows=rows))
        fixed = fmt_number(data.fixed_costs)
        console.print(
            _("The demo firm's fixed costs are {fixed} a year (its structure clients carry 80 % "
            "of them).").format(fixed=fixed)
        )  # fmt: skip
        if settings_out is not None:
            settings_out.parent.mkdir(parents=True, exist_ok=True)
            settings_out.write_text(f"fixed_costs = {data.fixed_costs:.0f}\n", encoding="utf-8")
            console.print(_("Settings written to {path}").format(path=settings_out))
            hint = f"--settings {settings_out}"
        else:
            hint = f"--fixed-costs {data.fixed_costs:.0f}"
        console.print(
            _("Analyse it with: cartera analyze {folder}").format(folder=folder) + " " + hint
        )
