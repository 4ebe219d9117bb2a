"""How to read input files when recognition needs help."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ReadOptions"]


class ReadOptions(BaseModel):
    """Options shared by every reader (the CLI's --mapping, --decimal, ...)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mapping: Path | None = Field(None, description="TOML mapping file that overrides recognition.")
    decimal: Literal["comma", "dot"] | None = Field(
        None, description="Decimal mark when a number column is ambiguous."
    )
    date_format: str | None = Field(
        None, description="strftime date format when a date column is ambiguous, e.g. %d/%m/%Y."
    )
    sheet: str | None = Field(None, description="XLSX sheet by name or 0-based index.")
    skip_bad_rows: bool = Field(
        False, description="Import the good rows and write the bad ones to a rejects file."
    )
