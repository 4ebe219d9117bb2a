"""Typer's and Click's own texts in the user's language.

Typer (0.29) carries its own copy of Click, whose messages are plain English
f-strings (no gettext domain to translate through), and keeps its help labels
in module constants read when Typer is imported. So the command-line layer is
translated where it is printed:

* help screens: the panel titles, ``[default: …]``, ``[required]``, the help
  option's text, ``Usage:``, ``[OPTIONS]`` and the value types (``<int>``)
  are set from cartera's catalog before each run (:func:`localise_typer`);
* usage errors: Typer's error printer is replaced by one that translates the
  usage line, the ``Try … --help`` hint and the message, matched against the
  templates of Click's messages (:func:`translate_usage_error`). A message
  matching no template is shown as Click wrote it.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import re
import sys
from collections.abc import Callable, Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any, Final

from cartera.i18n import N_, _

__all__ = ["localise_typer", "translate_usage_error"]

#: Click's error messages: a pattern and the message id that says it (same fields).
_MESSAGES: Final[list[tuple[re.Pattern[str], str]]] = [
    (re.compile(r"^Missing option (?P<name>.+)\.$"), N_("Missing option {name}.")),
    (re.compile(r"^Missing argument (?P<name>.+)\.$"), N_("Missing argument {name}.")),
    (re.compile(r"^Missing parameter: (?P<name>.+)$"), N_("Missing parameter: {name}")),
    (
        re.compile(r"^No such option: (?P<name>\S+) \(Possible options: (?P<options>.+)\)$"),
        N_("No such option: {name} (did you mean {options}?)"),
    ),
    (re.compile(r"^No such option: (?P<name>\S+)$"), N_("No such option: {name}")),
    (
        re.compile(r"^No such command (?P<name>.+)\. Did you mean (?P<options>.+)\?$"),
        N_("No such command {name}. Did you mean {options}?"),
    ),
    (re.compile(r"^No such command (?P<name>.+)\.$"), N_("No such command {name}.")),
    (re.compile(r"^Missing command\.$"), N_("Missing command.")),
    (
        re.compile(r"^Option (?P<name>'.+') requires an argument\.$"),
        N_("Option {name} requires a value."),
    ),
    (
        re.compile(r"^Option (?P<name>'.+') requires (?P<count>\d+) arguments\.$"),
        N_("Option {name} requires {count} values."),
    ),
    (
        re.compile(r"^Option (?P<name>'.+') does not take a value\.$"),
        N_("Option {name} does not take a value."),
    ),
    (
        re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((?P<args>.+)\)$"),
        N_("Unexpected extra arguments: {args}"),
    ),
    (
        re.compile(r"^Invalid value for (?P<name>.+?): (?P<detail>.+)$", re.DOTALL),
        N_("Invalid value for {name}: {detail}"),
    ),
    (re.compile(r"^Invalid value: (?P<detail>.+)$", re.DOTALL), N_("Invalid value: {detail}")),
    (
        re.compile(r"^Input should be a valid integer.*$"),
        N_("expected a whole number"),
    ),
    (re.compile(r"^Input should be a valid number.*$"), N_("expected a number")),
    (re.compile(r"^Input should be a valid boolean.*$"), N_("expected yes or no")),
    (
        re.compile(r"^(?P<value>.+) is not one of (?P<choices>.+)\.$"),
        N_("{value} is not one of {choices}."),
    ),
]
#: Help labels: Typer's constant → message id.
_LABELS: Final = {
    "DEPRECATED_STRING": N_("(deprecated) "),
    "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "ABORTED_TEXT": N_("Aborted."),
}
HELP_OPTION: Final = N_("Show this message and exit.")
#: Value types as the help shows them.
_TYPES: Final = {
    "<int>": N_("<int>"),
    "<float>": N_("<float>"),
    "<str>": N_("<str>"),
    "<path>": N_("<path>"),
    "<bool>": N_("<bool>"),
}
_METAVARS: Final = {"[OPTIONS]": N_("[OPTIONS]"), "COMMAND [ARGS]...": N_("COMMAND [ARGS]...")}
_USAGE: Final = N_("Usage: ")
_TRY: Final = N_("Try '{command} {option}' for help.")
_PATCHED = "_cartera_localised"


def translate_message(text: str) -> str:
    """A Click message in the current language (as it is when no template matches)."""
    for pattern, message in _MESSAGES:
        match = pattern.match(text)
        if match is None:
            continue
        fields = match.groupdict()
        if "detail" in fields:
            fields["detail"] = translate_message(fields["detail"])
        return _(message).format(**fields)
    return text


def translate_usage_error(error: Any) -> None:
    """Print a Click usage error as Typer does, in the current language."""
    from rich.markup import escape
    from typer import rich_utils

    if error.__class__.__name__ == "NoArgsIsHelpError":
        return
    console = rich_utils._get_rich_console(stderr=True)
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        console.print(rich_utils.highlighter(ctx.get_usage()), style=rich_utils.STYLE_USAGE_COMMAND)
        if ctx.command.get_help_option(ctx) is not None:
            hint = _(_TRY).format(command=ctx.command_path, option=ctx.help_option_names[0])
            console.print(escape(hint), style=rich_utils.STYLE_ERRORS_SUGGESTION)
    console.print(
        rich_utils.Panel(
            rich_utils.highlighter(translate_message(error.format_message())),
            border_style=rich_utils.STYLE_ERRORS_PANEL_BORDER,
            title=_(_LABELS["ERRORS_PANEL_TITLE"]),
            title_align=rich_utils.ALIGN_ERRORS_PANEL,
        )
    )


def localise_typer() -> None:
    """Set Typer's help labels in the current language and route its usage errors and help
    pieces through cartera's catalog (the wrappers are installed once; they translate at
    each call, so a later language change is followed).

    Typer imports its Rich printer (``typer.rich_utils``: Rich's Markdown, syntax and
    traceback modules, ~35 ms) only to print help or an error; until it does, the
    labels wait and are set right after that import (:class:`_AfterImport`), so a
    command that just runs does not load it.
    """
    from typer import core
    from typer._click import formatting

    _labels.clear()
    _labels.update((name, _(message)) for name, message in _LABELS.items())
    rich_utils = sys.modules.get(_RICH_UTILS)
    if rich_utils is not None:
        _localise_rich_utils(rich_utils)
    elif not any(isinstance(f, _AfterImport) and f.name == _RICH_UTILS for f in sys.meta_path):
        sys.meta_path.insert(0, _AfterImport(_RICH_UTILS, _localise_rich_utils))
    if getattr(core, _PATCHED, False):
        return
    # Typer's own printers, replaced by wrappers (setattr: they are module functions and a
    # method, which type checkers would not let be assigned).
    write_usage = _write_usage(formatting.HelpFormatter.write_usage)
    setattr(formatting.HelpFormatter, "write_usage", write_usage)  # noqa: B010
    for cls in (core.TyperOption, core.TyperArgument):
        setattr(cls, "display_type_rich", _display_type(cls.display_type_rich))  # noqa: B010
    setattr(core, _PATCHED, True)


#: The help labels in the language of the last :func:`localise_typer` call.
_labels: dict[str, str] = {}
_RICH_UTILS: Final = "typer.rich_utils"


def _localise_rich_utils(rich_utils: ModuleType) -> None:
    """Typer's Rich printer with the current labels and cartera's wrappers (installed once)."""
    for name, text in _labels.items():
        setattr(rich_utils, name, text)
    if getattr(rich_utils, _PATCHED, False):
        return
    setattr(rich_utils, "rich_format_error", translate_usage_error)  # noqa: B010
    setattr(rich_utils, "_get_parameter_help", _parameter_help(rich_utils._get_parameter_help))  # noqa: B010
    setattr(rich_utils, _PATCHED, True)


class _AfterImport(importlib.abc.MetaPathFinder):
    """Calls ``then(module)`` right after module ``name`` is first executed (then leaves).

    The module is found by the other finders and loaded by its own loader, as
    usual; only the loader's ``exec_module`` is followed by ``then``.
    """

    def __init__(self, name: str, then: Callable[[ModuleType], None]) -> None:
        self.name, self.then = name, then

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        loader = spec.loader if spec is not None else None
        if loader is None:
            return spec
        run, then = loader.exec_module, self.then

        def exec_module(module: ModuleType) -> None:
            run(module)
            then(module)

        setattr(loader, "exec_module", exec_module)  # noqa: B010 - this loader, this module
        return spec


def _parameter_help(original: Callable[..., Any]) -> Callable[..., Any]:
    def parameter_help(*, param: Any, ctx: Any, markup_mode: Any) -> Any:
        if getattr(param, "help", None) in (HELP_OPTION, _(HELP_OPTION)):
            param.help = _(HELP_OPTION)
        text = getattr(param, "help", None)
        if markup_mode != "rich" or not text:
            return original(param=param, ctx=ctx, markup_mode=markup_mode)
        # Help texts are plain text: "[assistant]" is a TOML table, not a Rich style tag
        # (Rich would drop it). Escaped for this rendering only.
        from rich.markup import escape

        param.help = escape(text)
        try:
            return original(param=param, ctx=ctx, markup_mode=markup_mode)
        finally:
            param.help = text

    return parameter_help


def _write_usage(original: Callable[..., None]) -> Callable[..., None]:
    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english, message in _METAVARS.items():
            args = args.replace(english, _(message))
        original(self, prog, args, _(_USAGE) if prefix is None else prefix)

    return write_usage


def _display_type(original: Callable[[Any, Any], str | None]) -> Callable[[Any, Any], str | None]:
    def display_type_rich(self: Any, ctx: Any) -> str | None:
        text = original(self, ctx)
        return _(_TYPES[text]) if text in _TYPES else text

    return display_type_rich
