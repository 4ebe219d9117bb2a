"""Settings errors that name the setting, its file and what was expected.

Pydantic reports a bad setting as a location tuple and an English message
(``Input should be greater than or equal to 0``). Users wrote a TOML key, so
the problems here say it as they wrote it, in their language, with the expected
value taken from the field's own type and bounds::

    cartera.toml: fixed_costs = «-5»: expected a number ≥ 0
    cartera.toml: fixd_costs: unknown setting; did you mean «fixed_costs»?
    cartera.toml, line 3: not valid TOML: «x = [»

Texts are translated when rendered (:class:`Expected` is formatted lazily), so
a problem built before the language is final is still said in it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
import types
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from cartera.errors import Problem, SettingsError
from cartera.i18n import N_, _, fmt_number
from cartera.numbers import NOT_A_NUMBER, NumberError

__all__ = ["Expected", "expected_of", "number_error", "settings_error", "toml_error"]

INVALID: Final = N_("Invalid settings.")
BAD_VALUE_IN_FILE: Final = N_("{setting} = «{value}»: {expected}")
BAD_VALUE: Final = N_("{setting} «{value}»: {expected}")
UNKNOWN_CLOSE: Final = N_("{setting}: unknown setting; did you mean «{match}»?")
UNKNOWN: Final = N_("{setting}: unknown setting; the settings are listed in docs/settings.md.")
NOT_TOML: Final = N_("Settings file {path}, line {line}: not valid TOML: «{text}»")
NOT_TEXT: Final = N_("Settings file {path} is not UTF-8 text.")
EXPECTED: Final = N_("expected {what}")
RANGE: Final = N_("{what} from {low} to {high}")
_KINDS: Final = {
    int: N_("a whole number"),
    float: N_("a number"),
    bool: N_("true or false"),
    dt.date: N_("a date like 2026-06-30"),
    str: N_("a text"),
}
_BOUNDS: Final = (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<"))
_TOML_POSITION: Final = re.compile(r"\(at line (?P<line>\d+), column \d+\)$")


@dataclass(frozen=True)
class Expected:
    """What a setting accepts, said in the language current when it is formatted."""

    message: str
    params: tuple[tuple[str, Any], ...] = ()
    bounds: tuple[tuple[str, float], ...] = ()

    def __format__(self, spec: str) -> str:
        what = _(self.message).format(**dict(self.params))
        said = {sign: fmt_number(x, _digits(x)) for sign, x in self.bounds}
        if set(said) == {"≥", "≤"}:
            what = _(RANGE).format(what=what, low=said["≥"], high=said["≤"])
        elif said:
            what = what + " " + " ".join(f"{sign} {x}" for sign, x in said.items())
        return _(EXPECTED).format(what=what)

    def __str__(self) -> str:
        return format(self, "")


@dataclass(frozen=True)
class _Number:
    """A number written in the language current when it is formatted."""

    value: float

    def __format__(self, spec: str) -> str:
        return fmt_number(self.value, _digits(self.value))


def _digits(value: float) -> int:
    return 0 if float(value).is_integer() else len(f"{value:g}".split(".")[-1])


def _inner(annotation: Any) -> Any:
    """``X | None`` → ``X``."""
    if get_origin(annotation) in (Union, types.UnionType):
        kinds = [a for a in get_args(annotation) if a is not type(None)]
        return kinds[0] if len(kinds) == 1 else annotation
    return annotation


def expected_of(name: str, field: FieldInfo) -> Expected:
    """What the setting ``name`` (its TOML key) accepts, from ``field``'s type and bounds."""
    kind = _inner(field.annotation)
    if get_origin(kind) is Literal:
        choices = ", ".join(str(c) for c in get_args(kind))
        return Expected(N_("one of {choices}"), (("choices", choices),))
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return Expected(N_("a table [{name}] of settings"), (("name", name),))
    bounds = tuple(
        (sign, float(getattr(m, attr)))
        for m in field.metadata
        for attr, sign in _BOUNDS
        if getattr(m, attr, None) is not None
    )
    lengths = {getattr(m, a, None) for m in field.metadata for a in ("min_length", "max_length")}
    lengths.discard(None)
    if kind is str and len(lengths) == 1:
        return Expected(N_("a text of {n} characters"), (("n", lengths.pop()),))
    return Expected(_KINDS.get(kind, N_("a valid value")), (), bounds)


def _field_at(model: type[BaseModel], loc: Sequence[str | int]) -> tuple[type[BaseModel], str]:
    """The model holding the last key of ``loc`` and that key (list items are followed)."""
    for key in loc[:-1]:
        if str(key).isdigit() or str(key) not in model.model_fields:
            continue
        kind = _inner(model.model_fields[str(key)].annotation)
        if get_origin(kind) in (list, tuple):
            kind = get_args(kind)[0]
        if not (isinstance(kind, type) and issubclass(kind, BaseModel)):
            break
        model = kind
    return model, str(loc[-1])


def _problem(err: Any, model: type[BaseModel], source: str | None, prefix: str) -> Problem:
    loc = [str(p) for p in err["loc"]]
    setting = prefix + ".".join(loc)
    owner, key = _field_at(model, loc) if loc else (model, "")
    if err["type"] == "extra_forbidden":
        close = difflib.get_close_matches(key, list(owner.model_fields), n=1, cutoff=0.6)
        if close:
            return Problem(UNKNOWN_CLOSE, file=source, params={"setting": setting,
                                                               "match": close[0]},
                           code="unknown_setting")  # fmt: skip
        return Problem(UNKNOWN, file=source, params={"setting": setting}, code="unknown_setting")
    error = err.get("ctx", {}).get("error")
    if err["type"] == "value_error" and error is not None:  # a check across fields:
        message, *rest = error.args  # a catalog id, and its parameters when it has some
        given = rest[0] if rest and isinstance(rest[0], dict) else {}
        params = {k: _Number(v) if isinstance(v, float) else v for k, v in given.items()}
        return Problem(str(message), file=source, params=params, code="bad_setting")
    known = key in owner.model_fields
    expected = expected_of(key, owner.model_fields[key]) if known else Expected(N_("a valid value"))
    value = err.get("input")
    shown = value if not isinstance(value, dict) else "[…]"
    return Problem(
        BAD_VALUE_IN_FILE if source is not None else BAD_VALUE,
        file=source,
        params={"setting": setting, "value": shown, "expected": expected},
        code="bad_setting",
    )


def settings_error(
    exc: ValidationError, model: type[BaseModel], source: str | None, prefix: str = ""
) -> SettingsError:
    """The :class:`SettingsError` for pydantic's ``exc`` on ``model`` read from ``source``
    (a file name, or ``None`` for flags); ``prefix`` is the TOML table the model sits in
    (``"assistant."``)."""
    problems = [_problem(err, model, source, prefix) for err in exc.errors()]
    return SettingsError(INVALID, problems)


def number_error(exc: NumberError, model: type[BaseModel], source: str) -> SettingsError:
    """The error for a settings value written as text that is not a number: a value that
    is no number at all says what the setting expects; an ambiguous one keeps its two
    readings."""
    if exc.message != NOT_A_NUMBER:
        problem = Problem(exc.message, file=source, params=exc.params, code="bad_setting")
        return SettingsError(INVALID, [problem])
    setting = str(exc.params["option"])
    owner, key = _field_at(model, setting.split("."))
    params = {"setting": setting, "value": exc.params["value"]}
    params["expected"] = expected_of(key, owner.model_fields[key])
    return SettingsError(INVALID, [Problem(BAD_VALUE_IN_FILE, file=source, params=params)])


def toml_error(path: str, text: str, exc: tomllib.TOMLDecodeError) -> SettingsError:
    """The error for a TOML syntax fault: the line number and the line as written."""
    match = _TOML_POSITION.search(str(exc))
    lines = text.splitlines() or [""]
    number = int(match["line"]) if match else len(lines)
    line = lines[min(number, len(lines)) - 1].strip() if lines else ""
    return SettingsError(NOT_TOML, path=path, line=number, text=line[:80])
