"""All settings in one validated object, loadable from TOML.

Every field has a default, a unit and a help text; the CLI flags, the docs
(docs/settings.md) and the tests read these same fields. Rule thresholds live
in :mod:`cartera.settings.rules`, scenario and target settings in
:mod:`cartera.settings.scenario`.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cartera.errors import SettingsError
from cartera.i18n import N_
from cartera.numbers import NumberError, coerce_numbers
from cartera.settings.problems import NOT_TEXT, number_error, settings_error, toml_error
from cartera.settings.rules import Thresholds
from cartera.settings.scenario import StressSettings, Targets

__all__ = [
    "Settings",
    "StressSettings",
    "Targets",
    "Thresholds",
    "load_settings",
    "read_toml",
]


class Settings(BaseModel):
    """What an analysis needs besides the data."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    as_of: dt.date | None = Field(
        None,
        description="Date the analysis is made at (unit: date). Default: the latest document date, "
        "so an old export is analysed as of its own end rather than today.",
    )
    window_months: int = Field(
        12,
        ge=1,
        le=120,
        description="Length of the analysis window in months, ending at as_of. 12 by default: "
        "a full "
        "year evens out seasonality; the previous window of the same length gives trends.",
    )
    hourly_cost: float = Field(
        40.0,
        ge=0,
        description="Loaded cost of one hour of service (currency/hour). 40 by default: a typical "
        "Spanish SME salaried hour with social charges and overhead.",
    )
    fixed_costs: float = Field(
        0.0,
        ge=0,
        description="Fixed costs per year (salaries, rent...) in currency. 0 by default "
        "because only "
        "the firm knows them; when 0, profit equals net contribution and coverage is not judged.",
    )
    order_cost: float = Field(
        15.0,
        ge=0,
        description="Cost of processing one order (currency/order): invoicing, picking, shipping "
        "admin. 15 by default, a conservative small-firm figure.",
    )
    return_cost: float = Field(
        25.0,
        ge=0,
        description="Cost of handling one credit note or return (currency/document). "
        "25 by default: "
        "reverse logistics and admin usually cost more than an order.",
    )
    annual_rate: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Annual cost of funds used to price the credit granted to clients (fraction). "
        "0.05 by default: a typical SME credit line.",
    )
    currency: str = Field(
        "EUR", min_length=3, max_length=3, description="ISO 4217 currency of the amounts."
    )
    image_clients: list[str] = Field(
        [],
        description="Ids of the image clients (codes, else tax ids, else names, matched as the "
        "import matches client ids), for a clients file without an image-client column; they "
        "add to any such column. Empty by default: only the firm knows which clients it keeps "
        "for their name.",
    )
    language: Literal["es", "en"] | None = Field(
        None,
        description="Language of messages and reports (es or en). Default: the system locale, "
        "Spanish when unsure.",
    )
    thresholds: Thresholds = Field(default_factory=lambda: Thresholds())
    stress: StressSettings = Field(default_factory=lambda: StressSettings())
    targets: Targets = Field(default_factory=lambda: Targets())

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with the given top-level fields replaced (``None`` values are ignored)."""
        data = self.model_dump()
        data.update({k: v for k, v in overrides.items() if v is not None})
        return _validate(data, source=None)


#: Tables of a settings file read by another part (cartera.assistant), not by :class:`Settings`.
OTHER_TABLES = ("assistant",)


def _validate(data: dict[str, Any], source: str | None) -> Settings:
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise settings_error(exc, Settings, source) from exc


def read_toml(path: str | Path) -> dict[str, Any]:
    """A settings file's tables; a missing file, a file that is not UTF-8 and a TOML syntax
    fault are :class:`SettingsError` naming the file (and the line)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SettingsError(N_("Settings file not found: {path}"), path=str(p)) from exc
    except UnicodeDecodeError as exc:
        raise SettingsError(NOT_TEXT, path=str(p)) from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_error(str(p), text, exc) from exc


def load_settings(path: str | Path | None = None, **overrides: Any) -> Settings:
    """Settings from a TOML file (optional) with flag overrides on top."""
    data: dict[str, Any] = {}
    if path is not None:
        data = {k: v for k, v in read_toml(path).items() if k not in OTHER_TABLES}
        try:  # "180.000", "0,05": read in the user's language
            data = coerce_numbers(data, Settings)
        except NumberError as exc:
            raise number_error(exc, Settings, str(path)) from exc
    data.update({k: v for k, v in overrides.items() if v is not None})
    return _validate(data, source=str(path) if path else None)
