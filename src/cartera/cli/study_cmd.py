"""``cartera profile``, ``prospects`` and ``campaign``: the study of issue 15 in the terminal.

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
from cartera.i18n import _, fmt_number, set_language

__all__ = ["analysis_and_clients", "register"]


def analysis_and_clients(workspace: Path, params: dict[str, Any]) -> tuple[Any, Any]:
    """The analysis of ``workspace`` and its canonical clients table."""
    from cartera.analysis import analyze
    from cartera.io import Workspace

    settings = settings_from_params(params)
    if settings.language and not params.get("lang"):
        set_language(settings.language)
    ws = Workspace.open(workspace)
    return analyze(ws.path, settings=settings), ws.read("clients")


def register(app: typer.Typer) -> None:
    from cartera.cli import campaign_cmd, prospects_cmd

    register_profile(app)
    prospects_cmd.register(app)
    campaign_cmd.register(app)


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
        analysis, clients = analysis_and_clients(workspace, locals())
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
    from rich.padding import Padding

    from cartera.report.term_layout import Prose
    from cartera.study import SEGMENT_CLIENTS, rule_sentence

    for seg in result.segments:
        title = _(SEGMENT_CLIENTS.get(seg.segment, seg.segment))
        console.print(Prose(f"{title} ({fmt_number(seg.clients)})", "bold"))
        if not seg.rules:
            console.print(Padding(Prose(_("No attribute value stands out.")), (0, 0, 0, 2)))
        # A sentence wraps at the console's width, under its bullet.
        for rule in seg.rules:
            console.print(Padding(Prose("• " + rule_sentence(rule), hang=2), (0, 0, 0, 2)))
