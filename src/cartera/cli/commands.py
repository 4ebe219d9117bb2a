"""Where every command module is registered on the app."""

from __future__ import annotations

import typer

from cartera.cli import (
    analyze_cmd,
    demo_cmd,
    io_cmds,
    report_cmd,
    scenario_cmds,
    serve_cmd,
    user_cmd,
)

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    for module in (demo_cmd, io_cmds, analyze_cmd, scenario_cmds, report_cmd, serve_cmd, user_cmd):
        module.register(app)
