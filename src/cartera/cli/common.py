"""Options shared by several commands, built at registration time (so help is localised)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import typer
from pydantic import Field
from pydantic.fields import FieldInfo

from cartera.errors import SettingsError
from cartera.i18n import N_, _, fmt_number
from cartera.io.options import ReadOptions
from cartera.numbers import NumberError, parse_number
from cartera.settings import Settings, load_settings

__all__ = [
    "InputArgs",
    "check_output_format",
    "input_options",
    "number_option",
    "number_parser",
    "print_json",
    "read_options",
    "settings_from_flags",
    "settings_from_params",
    "source_of",
    "whole_option",
]

#: The settings that are also flags of every data command (same names as in Settings).
SETTINGS_FLAGS = (
    "as_of",
    "window_months",
    "hourly_cost",
    "fixed_costs",
    "order_cost",
    "return_cost",
    "annual_rate",
    "currency",
)


class InputArgs:
    """The input files of a command: positional FILES/WORKSPACE plus explicit tables."""

    def __init__(
        self,
        inputs: list[Path] | None,
        documents: Path | None = None,
        payments: Path | None = None,
        clients: Path | None = None,
        activities: Path | None = None,
    ) -> None:
        self.inputs = list(inputs or [])
        self.documents = documents
        self.payments = payments
        self.clients = clients
        self.activities = activities

    def explicit(self) -> dict[str, Path | None]:
        return {
            "documents": self.documents,
            "payments": self.payments,
            "clients": self.clients,
            "activities": self.activities,
        }


def input_options() -> dict[str, Any]:
    """Typer parameter defaults for the input files, keyed by parameter name."""
    return {
        "inputs": typer.Argument(
            None, help=_("A workspace folder, or input files (their table is recognised).")
        ),
        "documents": typer.Option(None, "--documents", help=_("Invoices and credit notes file.")),
        "payments": typer.Option(None, "--payments", help=_("Payments received file.")),
        "clients": typer.Option(None, "--clients", help=_("Clients file.")),
        "activities": typer.Option(None, "--activities", help=_("Activities / hours file.")),
        "mapping": typer.Option(None, "--mapping", help=_("TOML file mapping columns to roles.")),
        "decimal": typer.Option(
            None, "--decimal", help=_("Decimal mark when ambiguous: comma or dot.")
        ),
        "date_format": typer.Option(
            None, "--date-format", help=_("Date format when ambiguous, e.g. %d/%m/%Y.")
        ),
        "sheet": typer.Option(None, "--sheet", help=_("Excel sheet name or 0-based index.")),
        "lang": typer.Option(None, "--lang", help=_("Language: es or en.")),
    }


def read_options(
    mapping: Path | None,
    decimal: str | None,
    date_format: str | None,
    sheet: str | None,
    skip_bad_rows: bool = False,
) -> ReadOptions:
    if decimal is not None and decimal not in ("comma", "dot"):
        raise SettingsError(N_("--decimal must be «comma» or «dot», not «{value}»."), value=decimal)
    return ReadOptions(
        mapping=mapping,
        decimal=decimal,
        date_format=date_format,
        sheet=sheet,
        skip_bad_rows=skip_bad_rows,
    )


def source_of(inputs: list[Path] | None) -> Path | list[Path] | None:
    """The positional inputs as ``cartera.analyze`` takes them: one path as itself (a
    workspace or a folder), several as a list, none as None."""
    if not inputs:
        return None
    return inputs[0] if len(inputs) == 1 else list(inputs)


def check_output_format(value: str) -> None:
    """``--format`` of the commands that print: ``table`` or ``json``."""
    if value not in ("table", "json"):
        raise SettingsError(N_("--format must be «table» or «json», not «{value}»."), value=value)


def settings_options() -> dict[str, Any]:
    """Typer parameter defaults for the settings flags (same names as the settings).

    Numeric flags are read in the user's language (:func:`cartera.numbers.parse_number`)
    and checked against the setting's bounds, so ``--fixed-costs 180.000`` is 180,000 in
    Spanish and an error naming both readings in English.
    """
    return {
        "settings_file": typer.Option(None, "--settings", help=_("TOML settings file.")),
        "as_of": typer.Option(None, "--as-of", help=_field_help("as_of")),
        "window_months": _number_flag("window_months"),
        "hourly_cost": _number_flag("hourly_cost"),
        "fixed_costs": _number_flag("fixed_costs"),
        "order_cost": _number_flag("order_cost"),
        "return_cost": _number_flag("return_cost"),
        "annual_rate": _number_flag("annual_rate"),
        "currency": typer.Option(None, "--currency", help=_field_help("currency")),
    }


def _number_flag(name: str) -> Any:
    flag = "--" + name.replace("_", "-")
    return number_option(flag, Settings.model_fields[name], help=_field_help(name))


def number_option(flag: str, field: FieldInfo, help: str, default: Any = None) -> Any:
    """A Typer option read by :func:`number_parser` with ``field``'s type and bounds."""
    return typer.Option(default, flag, help=help, parser=number_parser(flag, field))


def whole_option(flag: str, default: int, help: str, *, ge: int, le: int) -> Any:
    """A whole-number option between ``ge`` and ``le``, read as :func:`number_option`."""
    field = FieldInfo.from_annotated_attribute(int, Field(ge=ge, le=le))
    return number_option(flag, field, help, default)


def number_parser(flag: str, field: FieldInfo) -> Callable[[str], float | int]:
    """Read an option's text as a number in the user's language, whole when ``field`` is an
    int, within ``field``'s bounds (``ge``/``gt``/``le``/``lt``); errors name ``flag``."""
    whole = field.annotation is int

    def parse(text: str | float) -> float | int:
        if not isinstance(text, str):  # the option's default
            return text
        value = parse_number(text, option=flag, whole=whole)
        for bound in field.metadata:
            for attr, ok, message in _BOUNDS:
                limit = getattr(bound, attr, None)
                if limit is not None and not ok(value, limit):
                    raise NumberError(message, option=flag, value=text, limit=fmt_number(limit))
        return int(value) if whole else value

    return parse


_BOUNDS: Final[list[tuple[str, Callable[[float, float], bool], str]]] = [
    ("ge", lambda v, x: v >= x, N_("{option} must be {limit} or more, not «{value}».")),
    ("gt", lambda v, x: v > x, N_("{option} must be more than {limit}, not «{value}».")),
    ("le", lambda v, x: v <= x, N_("{option} must be {limit} or less, not «{value}».")),
    ("lt", lambda v, x: v < x, N_("{option} must be less than {limit}, not «{value}».")),
]


def _field_help(name: str) -> str:
    return _(Settings.model_fields[name].description or name)


def settings_from_flags(
    settings_file: Path | None, lang: str | None = None, **flags: Any
) -> Settings:
    """Settings file, then flags on top; ``as_of`` accepts ISO or dd/mm/yyyy."""
    as_of = flags.pop("as_of", None)
    if isinstance(as_of, str):
        flags["as_of"] = _parse_as_of(as_of)
    if lang:
        flags["language"] = lang
    return load_settings(settings_file, **flags)


def settings_from_params(params: dict[str, Any]) -> Settings:
    """Settings from a command's parameters (its ``locals()``): file, ``--lang``, flags."""
    return settings_from_flags(
        params["settings_file"], params.get("lang"), **{k: params[k] for k in SETTINGS_FLAGS}
    )


def _parse_as_of(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise SettingsError(
        N_("--as-of «{value}» is not a date; expected YYYY-MM-DD or DD/MM/YYYY."), value=text
    )


def print_json(data: Any) -> None:
    """Print JSON alone on stdout (UTF-8, no NaN)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n")
    sys.stdout.flush()
