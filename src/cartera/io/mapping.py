"""The mapping file (TOML) that overrides header recognition.

One section per table; every key is optional::

    [documents]
    files = ["ventas_2025.csv"]        # these files hold documents
    sheet = "Ventas"                   # Excel sheet (name or 0-based index)
    decimal = "comma"                  # comma | dot
    date_format = "%d/%m/%Y"           # strftime format of the date columns
    ignore = ["Observaciones"]         # columns never used
    delimiter = ";"                    # CSV separator (else detected)
    exclude_status = ["Borrador"]      # statuses that are not revenue (default: drafts,
                                       # cancelled, void, proforma, rejected...)

    [documents.filter]                 # keep only rows whose column holds one of the values
    "Account Type" = ["Income"]

    [documents.columns]                # role = "header as written in the file"
    doc_number = "Nº fra."
    date = "F. emisión"
    net = "Neto"

    [currency]                         # convert a file with several currencies
    base = "EUR"                       # the currency every amount is converted into
    [currency.rates]                   # 1 unit of the code = rate units of the base
    USD = 0.92

Roles are those of :data:`cartera.io.aliases.ALIASES`.
"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from cartera.errors import Problem, SettingsError
from cartera.i18n import N_
from cartera.io.aliases import ALIASES, normalise_word

__all__ = ["CurrencyMapping", "Mapping", "TableMapping", "load_mapping"]


class TableMapping(BaseModel):
    """Overrides for one table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    files: list[str] = Field(default_factory=list)
    sheet: str | None = None
    decimal: Literal["comma", "dot"] | None = None
    date_format: str | None = None
    ignore: list[str] = Field(default_factory=list)
    columns: dict[str, str] = Field(default_factory=dict)
    delimiter: str | None = Field(default=None, min_length=1, max_length=1)
    exclude_status: list[str] | None = None
    filter: dict[str, list[str]] = Field(default_factory=dict)

    def excluded_status(self) -> frozenset[str]:
        """The status words whose documents are not revenue (normalised), default or given."""
        from cartera.io.rows import EXCLUDED_STATUS

        if self.exclude_status is None:
            return EXCLUDED_STATUS
        return frozenset(normalise_word(w).replace("%", "") for w in self.exclude_status)

    @field_validator("sheet", mode="before")
    @classmethod
    def _sheet_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value

    def matches(self, path: Path) -> bool:
        return any(
            fnmatch.fnmatch(path.name, pattern) or pattern == str(path) for pattern in self.files
        )


class CurrencyMapping(BaseModel):
    """Exchange rates: every money amount of a documents file is converted into ``base``
    (``rates[code]`` units of the base per unit of ``code``) before any total."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    base: str = Field(min_length=3, max_length=3)
    rates: dict[str, float] = Field(default_factory=dict)

    @field_validator("base")
    @classmethod
    def _base_code(cls, value: str) -> str:
        return value.strip().upper()

    @field_validator("rates")
    @classmethod
    def _positive_rates(cls, value: dict[str, float]) -> dict[str, float]:
        bad = [code for code, rate in value.items() if not rate > 0 or rate == float("inf")]
        if bad:
            raise ValueError(f"rates must be positive numbers: {', '.join(bad)}")
        return {code.strip().upper(): rate for code, rate in value.items()}


class Mapping(BaseModel):
    """The whole mapping file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    documents: TableMapping = Field(default_factory=TableMapping)
    payments: TableMapping = Field(default_factory=TableMapping)
    clients: TableMapping = Field(default_factory=TableMapping)
    activities: TableMapping = Field(default_factory=TableMapping)
    currency: CurrencyMapping | None = None

    def table(self, name: str) -> TableMapping:
        table: TableMapping = getattr(self, name)
        return table

    def table_for(self, path: Path) -> str | None:
        """The table whose ``files`` list names ``path``."""
        for name in ALIASES:
            if self.table(name).matches(path):
                return name
        return None


def load_mapping(path: Path | None) -> Mapping:
    """Read and validate a mapping file (an empty mapping when ``path`` is None)."""
    if path is None:
        return Mapping()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise SettingsError(N_("The mapping file {file} does not exist."), file=str(path)) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(
            N_("The mapping file {file} is not valid TOML: {detail}"),
            file=path.name,
            detail=str(exc),
        ) from exc
    try:
        mapping = Mapping.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem(
                N_("{where}: {detail}"),
                file=path.name,
                params={"where": ".".join(str(p) for p in err["loc"]), "detail": err["msg"]},
            )
            for err in exc.errors()
        ]
        raise SettingsError(
            N_("The mapping file {file} has errors."), problems, file=path.name
        ) from exc
    problems = [
        Problem(
            N_("«{role}» is not a role of the {table} table; roles: {roles}"),
            file=path.name,
            params={"role": role, "table": table, "roles": ", ".join(ALIASES[table])},
        )
        for table in ALIASES
        for role in mapping.table(table).columns
        if role not in ALIASES[table]
    ]
    if problems:
        raise SettingsError(N_("The mapping file {file} has errors."), problems, file=path.name)
    return mapping
