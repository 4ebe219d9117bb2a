"""The analysis window and the date helpers the metrics share.

The window is the ``months`` months ending at ``as_of`` (both ends included);
the previous window has the same length and ends the day before. When
``as_of`` is the last day of a month the windows are whole calendar months
(the usual case: an export run at month end), otherwise they are month-long
slices anchored on ``as_of``'s day.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Ibis is imported by the helpers that build expressions, not by the window
    import ibis.expr.types as ir

__all__ = [
    "AGING_BUCKETS",
    "AnalysisWindow",
    "aging_bucket",
    "days_between",
    "month_slot",
    "month_starts",
]

#: Aging buckets of open amounts by days past due (Odoo's layout): name → (low, high) days.
AGING_BUCKETS: tuple[tuple[str, int | None, int | None], ...] = (
    ("current", None, 0),
    ("1_30", 1, 30),
    ("31_60", 31, 60),
    ("61_90", 61, 90),
    ("91_120", 91, 120),
    ("over_120", 121, None),
)


def _shift_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved back ``months`` months; month ends stay month ends."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    is_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return dt.date(year, month + 1, last if is_end else min(day.day, last))


@dataclass(frozen=True)
class AnalysisWindow:
    """``start``..``as_of`` (inclusive) and the previous window ``previous_start``..``start``-1."""

    as_of: dt.date
    months: int

    @property
    def start(self) -> dt.date:
        return _shift_months(self.as_of, self.months) + dt.timedelta(days=1)

    @property
    def previous_start(self) -> dt.date:
        return _shift_months(self.as_of, 2 * self.months) + dt.timedelta(days=1)

    @property
    def month_end_aligned(self) -> bool:
        return self.as_of.day == calendar.monthrange(self.as_of.year, self.as_of.month)[1]


def days_between(later: ir.DateValue, earlier: ir.DateValue) -> ir.IntegerValue:
    """Whole days from ``earlier`` to ``later`` (``date_diff`` / ``datediff``)."""
    return later.delta(earlier, unit="day")


def month_starts(window: AnalysisWindow) -> list[dt.date]:
    """First day of each month slot of the window: slot 0 ends at as_of, slot k a month earlier."""
    return [_shift_months(window.as_of, k + 1) + dt.timedelta(days=1) for k in range(window.months)]


def month_slot(
    date: ir.DateValue, window: AnalysisWindow, values: list[int] | None = None
) -> ir.IntegerValue:
    """Which month of the window ``date`` falls in: 0 = the month ending at as_of, -1 outside.

    Compares ``date`` with the slots' constant start dates (no per-line date
    arithmetic). ``values`` replaces the slot numbers (e.g. by ``2 ** slot``).
    """
    import ibis

    starts = month_starts(window)
    out = values or list(range(window.months))
    return ibis.cases(*[(date >= start, out[k]) for k, start in enumerate(starts)], else_=-1).cast(
        "int64"
    )


def aging_bucket(due: ir.DateValue, as_of: dt.date, name: str) -> ir.BooleanValue:
    """True where a document due on ``due`` is in the aging bucket ``name`` at ``as_of``.

    Written as comparisons of ``due`` with constant dates (``low ≤ as_of − due
    ≤ high`` days) so that no day count is computed per line.
    """
    import ibis

    for bucket, low, high in AGING_BUCKETS:
        if bucket == name:
            cond: ir.BooleanValue = ibis.literal(True)
            if low is not None:
                cond = cond & (due <= as_of - dt.timedelta(days=low))
            if high is not None:
                cond = cond & (due >= as_of - dt.timedelta(days=high))
            return cond
    raise ValueError(name)
