"""The firm settings form: every field with its value, default and documented reason.

Fields are read from :class:`cartera.settings.Settings` itself (top-level
numbers and the ``thresholds`` table), so a new setting appears here with its
help text without touching the page; values are validated by that model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from cartera.errors import SettingsError
from cartera.i18n import _
from cartera.settings import Settings, Thresholds, load_settings

__all__ = ["FORM_FIELDS", "parse_form", "settings_fields"]

_TOP = ("window_months", "fixed_costs", "hourly_cost", "order_cost", "return_cost",
        "annual_rate", "currency")  # fmt: skip
#: Form field names: top-level fields, then ``thresholds.<name>``.
FORM_FIELDS = (*_TOP, *(f"thresholds.{k}" for k in Thresholds.model_fields))


def _field(model: type[BaseModel], name: str, value: Any, prefix: str = "") -> dict[str, Any]:
    info = model.model_fields[name]
    return {
        "name": prefix + name,
        "value": value,
        "default": info.default,
        "help": _(info.description) if info.description else "",
        "kind": "text" if isinstance(info.default, str) else "number",
        "changed": value != info.default,
    }


def settings_fields(settings: Settings) -> dict[str, list[dict[str, Any]]]:
    """{"general": [...], "thresholds": [...]}: each field's name, value, default, help."""
    return {
        "general": [_field(Settings, k, getattr(settings, k)) for k in _TOP],
        "thresholds": [
            _field(Thresholds, k, getattr(settings.thresholds, k), "thresholds.")
            for k in Thresholds.model_fields
        ],
    }


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
    try:
        return load_settings(**data)
    except SettingsError:
        raise
