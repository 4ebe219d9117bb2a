"""Placeholder until its owner lands the command."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    del app
