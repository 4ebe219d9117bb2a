"""Business days: a due date that falls on a weekend or holiday moves forward."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import polars as pl

__all__ = ["next_business_day", "roll_forward"]


def _days(holidays: Sequence[dt.date]) -> np.ndarray:
    return np.array(list(holidays), dtype="datetime64[D]")


def next_business_day(day: dt.date, holidays: Sequence[dt.date] = ()) -> dt.date:
    """``day`` itself when it is Monday-Friday and no holiday, else the next such day."""
    rolled = np.busday_offset(np.datetime64(day, "D"), 0, roll="forward", holidays=_days(holidays))
    return dt.date.fromisoformat(str(rolled))


def roll_forward(dates: pl.Series, holidays: Sequence[dt.date] = ()) -> pl.Series:
    """:func:`next_business_day` for a whole date column (nulls stay null)."""
    values = dates.cast(pl.Date).to_numpy().astype("datetime64[D]")
    valid = ~np.isnat(values)
    out = values.copy()
    if valid.any():
        out[valid] = np.busday_offset(values[valid], 0, roll="forward", holidays=_days(holidays))
    return pl.Series(dates.name, out).cast(pl.Date)
