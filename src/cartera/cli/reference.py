"""Generate the CLI reference (docs/cli.md) from the commands themselves.

Built from the command objects rather than from rendered ``--help`` text, so the
output does not depend on the terminal; ``tests/cli/test_reference.py`` fails
when docs/cli.md drifts from the code. Regenerate with
``python -m cartera.cli.reference > docs/cli.md``.
"""

from __future__ import annotations

import sys
from typing import Any

from typer.main import get_command

from cartera.i18n import language

__all__ = ["cli_reference"]


def _param_line(param: Any) -> str:
    names = ", ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
    if param.param_type_name == "argument":
        names = "`" + (param.name or "").upper() + "`"
    help_text = " ".join((getattr(param, "help", None) or "").split())
    extra = []
    if getattr(param, "required", False):
        extra.append("required")
    default = getattr(param, "default", None)
    if default not in (None, False, (), []) and not callable(default):
        extra.append(f"default: `{default}`")
    suffix = f" ({'; '.join(extra)})" if extra else ""
    return f"- {names}{suffix}: {help_text}".rstrip(": ")


def _commands(group: Any, prefix: str) -> list[tuple[str, Any]]:
    """(full name, command) of every command, sub-commands of a group included, by name."""
    out: list[tuple[str, Any]] = []
    for name in sorted(group.commands):
        cmd = group.commands[name]
        if hasattr(cmd, "commands"):
            out += _commands(cmd, f"{prefix} {name}")
        else:
            out.append((f"{prefix} {name}", cmd))
    return out


def cli_reference() -> str:
    """Markdown for every command and option, in English."""
    from cartera.cli.app import build_app

    with language("en"):
        group: Any = get_command(build_app())
        lines = [
            "# Command-line reference",
            "",
            "Generated from the code by `python -m cartera.cli.reference`; every command "
            "also takes `--help`, and `--lang es` shows it in Spanish.",
            "",
        ]
        for name, cmd in _commands(group, "cartera"):
            lines += [f"## `{name}`", "", " ".join((cmd.help or "").split()), ""]
            params = [p for p in cmd.params if p.name != "help"]
            lines += [_param_line(p) for p in params]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    sys.stdout.write(cli_reference())
