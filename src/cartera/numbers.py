"""Numbers typed by a person (options, settings values) read in the user's language.

A Spanish user writes ``180.000`` for a hundred and eighty thousand, ``0,05``
for five hundredths and ``1.234,56``; an English user ``180,000``, ``0.05`` and
``1,234.56``. :func:`parse_number` reads both ways and refuses only what the
language cannot decide: a single mark followed by exactly three digits where the
mark is the language's *decimal* mark (``180.000`` in English, ``180,000`` in
Spanish), naming both readings. Everything else has one reading whatever the
language: ``0.05`` and ``0,05`` (a thousands group never follows a lone 0),
``1234.5`` (nor follows four digits, nor has two digits), ``2.500.000`` (a
decimal mark appears once), ``1.234,56`` (the last mark is the decimal one).

This is the one parser of every numeric command-line option and of settings
values written as text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from cartera.errors import CarteraError
from cartera.i18n import N_, get_language

__all__ = ["NumberError", "coerce_numbers", "parse_number"]

_SPACES: Final = re.compile(r"[\s\u00a0\u202f\u2009']")
_SHAPE: Final = re.compile(r"^[+-]?\d[\d.,]*$")
_GROUPS: Final = re.compile(r"^\d{1,3}(?:[.,]\d{3})*$")
#: The decimal mark of each language (the other mark groups thousands).
DECIMAL_MARK: Final = {"es": ",", "en": "."}
EXAMPLE: Final = {"es": "1.234,56", "en": "1,234.56"}

NOT_A_NUMBER: Final = N_("{option} must be a number like {example}, not «{value}».")
AMBIGUOUS: Final = N_(
    "{option} «{value}» can be read as {first} or as {second}; write it without the "
    "thousands separator, or with the decimal mark of your language ({example})."
)
NOT_WHOLE: Final = N_("{option} must be a whole number, not «{value}».")


class NumberError(CarteraError):
    """A number an option or a setting cannot be read as (exit code 2, as a bad option)."""

    exit_code = 2


def _plain(value: float, decimal: str) -> str:
    """``value`` without thousands separators, with the language's decimal mark."""
    return str(int(value)) if value == int(value) else f"{value:.10g}".replace(".", decimal)


def parse_number(
    text: str, *, option: str, language: str | None = None, whole: bool = False
) -> float:
    """``text`` as a number in ``language`` (default: the current one); see the module doc.

    Raises :class:`NumberError` naming ``option`` (``--fixed-costs``, ``stress.scenarios``)
    when ``text`` is not a number, is ambiguous, or is not whole when ``whole`` is true.
    """
    lang = language or get_language()
    decimal = DECIMAL_MARK.get(lang, ",")
    params = {"option": option, "value": text, "example": EXAMPLE.get(lang, "1.234,56")}
    compact = _SPACES.sub("", text.strip())
    if not _SHAPE.match(compact):
        raise NumberError(NOT_A_NUMBER, **params)
    sign = -1.0 if compact.startswith("-") else 1.0
    body = compact.lstrip("+-")
    readings = _readings(body, decimal)
    if not readings:
        raise NumberError(NOT_A_NUMBER, **params)
    if len(readings) > 1:
        first, second = (_plain(sign * r, decimal) for r in readings)
        raise NumberError(AMBIGUOUS, first=first, second=second, **params)
    value = sign * readings[0]
    if whole and value != int(value):
        raise NumberError(NOT_WHOLE, **params)
    return value


def _readings(body: str, decimal: str) -> list[float]:
    """Every value ``body`` (digits and marks, no sign) can mean; two when ambiguous."""
    marks = [c for c in body if c in ".,"]
    if not marks:
        return [float(body)]
    if body.endswith((".", ",")):
        return []
    last = marks[-1]
    head, _sep, tail = body.rpartition(last)
    if len(set(marks)) == 2:  # both marks: the last is the decimal one
        if marks.count(last) > 1 or not _GROUPS.match(head):
            return []
        return [float(head.replace(".", "").replace(",", "") + "." + tail)]
    if len(marks) > 1:  # one mark, repeated: thousands groups
        return [float(body.replace(last, ""))] if _GROUPS.match(body) else []
    as_decimal = float(head + "." + tail)
    thousands = _GROUPS.match(body) is not None and not head.startswith("0")
    if not thousands:
        return [as_decimal]
    as_thousands = float(head + tail)
    if last != decimal:  # the language's thousands separator: read as thousands
        return [as_thousands]
    return [as_decimal, as_thousands]


def coerce_numbers(data: Mapping[str, Any], model: Any, prefix: str = "") -> dict[str, Any]:
    """``data`` (a settings table) with text values of numeric fields of ``model`` (a
    pydantic model class) read by :func:`parse_number`; nested models are followed."""
    out = dict(data)
    for name, info in getattr(model, "model_fields", {}).items():
        value = out.get(name)
        kind = info.annotation
        if isinstance(value, Mapping) and hasattr(kind, "model_fields"):
            out[name] = coerce_numbers(value, kind, f"{prefix}{name}.")
        elif isinstance(value, str) and kind in (int, float):
            number = parse_number(value, option=f"{prefix}{name}", whole=kind is int)
            out[name] = int(number) if kind is int else number
    return out
