"""How to read input files when recognition needs help."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["ReadOptions"]


class ReadOptions(BaseModel):
    """Options shared by every reader (the CLI's --mapping, --decimal, ...)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mapping: Path | None = Field(
        default=None, description="TOML mapping file that overrides recognition."
    )
    decimal: Literal["comma", "dot"] | None = Field(
        default=None, description="Decimal mark when a number column is ambiguous."
    )
    date_format: str | None = Field(
        default=None,
        description="strftime date format when a date column is ambiguous, e.g. %d/%m/%Y.",
    )
    sheet: str | None = Field(default=None, description="XLSX sheet by name or 0-based index.")
    delimiter: str | None = Field(
        default=None,
        min_length=1,
        max_length=1,
        description="CSV separator when detection fails, e.g. ';' (a space: whitespace columns).",
    )
    currency: str | None = Field(
        default=None,
        min_length=3,
        max_length=3,
        description="Keep only the documents in this currency when a file has several.",
    )
    skip_bad_rows: bool = Field(
        default=False, description="Import the good rows and write the bad ones to a rejects file."
    )
    today: dt.date | None = Field(
        default=None,
        description="Date after which a document, payment or activity date is refused as "
        "in the future. Default: the computer's date.",
    )
    overpayment_tolerance: float = Field(
        default=0.05,
        ge=0,
        description="Payments may add up to a document's total times 1 + this before they are "
        "bad rows (fraction). 0.05 by default: rounding and bank fees, not a second payment.",
    )

    @field_validator("currency")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        """``eur`` is ``EUR``: the code labels every figure, as the files' codes do."""
        return value.upper() if value is not None else None
