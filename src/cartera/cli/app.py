"""The ``cartera`` Typer application.

Commands live in one module each and register themselves on :data:`app`.
:func:`main` is the console entry point: it picks the language before Typer
parses (so ``--help`` is localised) and turns every :class:`CarteraError` into
a message on stderr and an exit code, never a traceback.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Sequence

import typer
from rich.console import Console
from rich.text import Text

from cartera.cli.typer_i18n import localise_typer
from cartera.errors import CarteraError, os_error_text
from cartera.i18n import _, set_language

__all__ = ["build_app", "main", "run"]


def _language_from_argv(argv: Sequence[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def build_app() -> typer.Typer:
    """A fresh app whose help texts are in the current language."""
    from cartera.cli import commands

    app = typer.Typer(
        name="cartera",
        help=_(
            "Cartera: which clients keep the firm alive, which make it money, which give "
            "it a name, and which to let go."
        ),
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode="rich",
        pretty_exceptions_enable=False,
    )
    app.callback()(_global_options)
    commands.register(app)
    return app


def _global_options(
    lang: str | None = typer.Option(
        None, "--lang", help=_("Language: es or en."), show_default=False
    ),
) -> None:
    """The options given before the command (``cartera --lang es analyze …``).

    The language itself was chosen from ``argv`` before Typer parsed (so the help is
    in it); this callback only lets Typer accept the option here.
    """


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv``; return the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    set_language(_language_from_argv(args))
    localise_typer()
    app = build_app()
    try:
        app(args=args, prog_name="cartera")
    except SystemExit as exc:  # --help, usage errors and normal ends (standalone mode)
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except CarteraError as exc:
        _print_error(exc.render())
        return exc.exit_code
    except OSError as exc:  # a file the core could not read or write, outside its checks
        _print_error(os_error_text(exc))
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


def _print_error(text: str) -> None:
    Console(stderr=True, highlight=False, soft_wrap=True).print(
        Text.assemble((_("Error") + ": ", "bold red"), text)
    )


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM ends the run like Ctrl+C, so scratch folders and aside workspaces are removed."""
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    sys.exit(run())
