"""The firm settings form: every field with its value, default and documented reason.

Fields are read from :class:`cartera.settings.Settings` itself (top-level
numbers and the ``thresholds`` table) and from
:class:`cartera.assistant.settings.AssistantSettings` (the follow-up assistant's
cadences, dunning ladder, churn cut points, health weights and SMTP server), so
a new setting appears here with its help text without touching the page; values
are validated by those models. The SMTP password is never a field: the page
names the environment variable it is read from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError

from cartera.assistant.settings import (
    AssistantSettings,
    ChurnSettings,
    DunningLevel,
    HealthWeights,
    SmtpSettings,
)
from cartera.errors import Problem
from cartera.i18n import _
from cartera.settings import Settings, Thresholds, load_settings
from cartera.settings.problems import settings_error

__all__ = [
    "ASSISTANT_GROUPS",
    "FORM_FIELDS",
    "field_errors",
    "parse_assistant_form",
    "parse_form",
    "settings_fields",
]

_TOP = ("window_months", "fixed_costs", "hourly_cost", "order_cost", "return_cost",
        "annual_rate", "currency")  # fmt: skip
#: Form field names: top-level fields, then ``thresholds.<name>``.
FORM_FIELDS = (*_TOP, *(f"thresholds.{k}" for k in Thresholds.model_fields))
_SUBMODELS: dict[str, type[BaseModel]] = {
    "churn": ChurnSettings, "health": HealthWeights, "smtp": SmtpSettings}  # fmt: skip
#: The assistant's groups on the page, in order.
ASSISTANT_GROUPS = ("assistant", "dunning", "health", "churn", "smtp")
_NESTED = ("dunning", *_SUBMODELS)


def _kind(annotation: Any) -> tuple[str, tuple[str, ...]]:
    """The input of a field: ("number" | "text" | "list" | "choice", its choices)."""
    if annotation is bool:
        return "choice", ("true", "false")
    if get_origin(annotation) is Literal:
        return "choice", tuple(str(c) for c in get_args(annotation))
    if get_origin(annotation) is tuple:
        return "list", ()
    if annotation in (int, float):
        return "number", ()
    return "text", ()


def _shown(value: Any) -> str:
    """A value as the form writes it (lists comma-separated, None empty, bools true/false)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ", ".join(v.isoformat() if isinstance(v, dt.date) else str(v) for v in value)
    return str(value)


def _field(
    model: type[BaseModel], name: str, value: Any, prefix: str = "", default: Any = None
) -> dict[str, Any]:
    info = model.model_fields[name]
    if default is None:
        default = info.get_default(call_default_factory=True)
    kind, choices = _kind(info.annotation)
    if model is Settings or model is Thresholds:  # the analysis form, as it always was
        kind = "text" if isinstance(info.default, str) else "number"
        return {"name": prefix + name, "label": name, "value": value, "default": info.default,
                "help": _(info.description) if info.description else "", "kind": kind,
                "choices": (), "changed": value != info.default, "error": ""}  # fmt: skip
    return {
        "name": prefix + name,
        "label": name,
        "value": _shown(value),
        "default": _shown(default) if default not in ("", None, ()) else "—",
        "help": _(info.description) if info.description else "",
        "kind": kind,
        "choices": choices,
        "changed": value != default,
        "error": "",
    }


def _assistant_fields(current: AssistantSettings) -> dict[str, list[dict[str, Any]]]:
    base = AssistantSettings()
    groups: dict[str, list[dict[str, Any]]] = {g: [] for g in ASSISTANT_GROUPS}
    for name in AssistantSettings.model_fields:
        if name in _NESTED:
            continue
        group = "health" if name.startswith("health_") else "assistant"
        groups[group].append(_field(AssistantSettings, name, getattr(current, name), "assistant."))
    for i, level in enumerate(current.dunning):
        same = next((d for d in base.dunning if d.name == level.name), None)
        for key in ("days", "channel", "template"):
            f = _field(DunningLevel, key, getattr(level, key), f"assistant.dunning.{i}.",
                       getattr(same, key) if same is not None else None)  # fmt: skip
            f["label"] = f"{level.name} · {key}"
            if key == "channel":
                f["help"] = _("How this level reaches the client.")
            groups["dunning"].append(f)
    for sub, model in _SUBMODELS.items():
        values = getattr(current, sub)
        fields = [
            _field(model, k, getattr(values, k), f"assistant.{sub}.") for k in model.model_fields
        ]
        groups[sub][:0] = fields  # the weights before the red and green cuts
    return groups


def settings_fields(
    settings: Settings, assistant: AssistantSettings | None = None
) -> dict[str, list[dict[str, Any]]]:
    """{"general": [...], "thresholds": [...], "assistant": [...], ...}: each field's name,
    value, default and help (the assistant's groups when ``assistant`` is given)."""
    groups = {
        "general": [_field(Settings, k, getattr(settings, k)) for k in _TOP],
        "thresholds": [
            _field(Thresholds, k, getattr(settings.thresholds, k), "thresholds.")
            for k in Thresholds.model_fields
        ],
    }
    if assistant is not None:
        groups.update(_assistant_fields(assistant))
    return groups


def parse_form(form: Mapping[str, str], current: Settings) -> Settings:
    """Settings from the form's text values over ``current``; SettingsError names bad fields."""
    data = current.model_dump()
    for name in FORM_FIELDS:
        raw = form.get(name)
        if raw is None:
            continue
        raw = raw.strip().replace(",", ".") if name != "currency" else raw.strip().upper()
        if name.startswith("thresholds."):
            data["thresholds"][name.split(".", 1)[1]] = raw
        else:
            data[name] = raw
    return load_settings(**data)


def _value(model: type[BaseModel], key: str, raw: str) -> Any:
    info = model.model_fields.get(key)
    kind, _choices = _kind(info.annotation) if info is not None else ("text", ())
    raw = raw.strip()
    if kind == "list":
        return [part.strip() for part in raw.split(",") if part.strip()]
    if kind == "number":
        return raw.replace(",", ".")
    if info is not None and not info.is_required() and info.default is None and raw == "":
        return None
    return raw


def parse_assistant_form(form: Mapping[str, str], current: AssistantSettings) -> AssistantSettings:
    """The assistant settings from the form's ``assistant.*`` values over ``current``;
    SettingsError names each bad field as ``assistant.<key>``."""
    data = current.model_dump(mode="json")
    for name, raw in form.items():
        parts = name.split(".")
        if parts[0] != "assistant" or len(parts) < 2:
            continue
        if parts[1] == "dunning" and len(parts) == 4 and parts[2].isdigit():
            i = int(parts[2])
            if i < len(data["dunning"]):
                data["dunning"][i][parts[3]] = _value(DunningLevel, parts[3], raw)
        elif parts[1] in _SUBMODELS and len(parts) == 3:
            data[parts[1]][parts[2]] = _value(_SUBMODELS[parts[1]], parts[2], raw)
        elif len(parts) == 2 and parts[1] not in _NESTED:
            data[parts[1]] = _value(AssistantSettings, parts[1], raw)
    try:
        return AssistantSettings.model_validate(data)
    except ValidationError as exc:
        raise settings_error(exc, AssistantSettings, None, prefix="assistant.") from exc


def field_errors(
    fields: dict[str, list[dict[str, Any]]], problems: list[Problem], form: Mapping[str, str]
) -> list[str]:
    """Put each problem on the field it names (keeping what the user typed there); the
    problems that name no field (checks across fields) are returned for the page's top."""
    by_name = {f["name"]: f for group in fields.values() for f in group}
    for f in by_name.values():
        if f["name"] in form:
            f["value"] = form[f["name"]]
    rest: list[str] = []
    for problem in problems:
        target = by_name.get(str(problem.params.get("setting", "")))
        if target is not None:
            target["error"] = problem.text()
        else:
            rest.append(problem.render())
    return rest
