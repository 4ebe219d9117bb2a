"""Where every command module is registered on the app."""

from __future__ import annotations

import typer

from cartera.cli import (
    agenda_cmd,
    analyze_cmd,
    demo_cmd,
    firm_cmd,
    followup_cmd,
    io_cmds,
    report_cmd,
    scenario_cmds,
    serve_cmd,
    study_cmd,
    user_cmd,
)

__all__ = ["register"]

MODULES = (
    demo_cmd,
    io_cmds,
    analyze_cmd,
    scenario_cmds,
    report_cmd,
    agenda_cmd,
    followup_cmd,
    study_cmd,
    serve_cmd,
    user_cmd,
    firm_cmd,
)


def register(app: typer.Typer) -> None:
    for module in MODULES:
        module.register(app)
