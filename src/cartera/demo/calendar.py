"""When each client buys: invoice dates by kind over the two demo years.

Dates are integers (days since 1970-01-01) so that millions of them are drawn
and shifted with NumPy; they become ``pl.Date`` only when the frame is built.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from cartera.demo.kinds import KINDS

__all__ = ["Span", "invoice_days", "weekday_shift"]

_EPOCH = dt.date(1970, 1, 1)
#: New clients' first invoice falls within this many days before the end.
NEW_DAYS = 120
#: Dormant clients buy nothing in this many days before the end (the second year).
DORMANT_QUIET_DAYS = 365


@dataclass(frozen=True)
class Span:
    """The two demo years: ``days`` consecutive days ending at ``end`` (inclusive)."""

    end: dt.date
    days: int = 730

    @property
    def first(self) -> int:
        """First day as days since 1970-01-01."""
        return (self.end - _EPOCH).days - self.days + 1

    @property
    def last(self) -> int:
        return (self.end - _EPOCH).days

    def month_buckets(self) -> tuple[np.ndarray, np.ndarray]:
        """Start offset and length (days) of each calendar month within the span."""
        starts, lengths = [], []
        day = _EPOCH + dt.timedelta(days=self.first)
        while day <= self.end:  # one step per month: ~25 iterations
            nxt = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
            stop = min(nxt, self.end + dt.timedelta(days=1))
            starts.append((day - _EPOCH).days - self.first)
            lengths.append((stop - day).days)
            day = stop
        return np.array(starts, dtype=np.int64), np.array(lengths, dtype=np.int64)


def weekday_shift(days: np.ndarray, low: int | np.ndarray) -> np.ndarray:
    """Move weekend days to the Friday before (or the Monday after when before ``low``)."""
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    back = np.where(weekday == 5, 1, np.where(weekday == 6, 2, 0))
    forward = np.where(weekday == 5, 2, np.where(weekday == 6, 1, 0))
    shifted = days - back
    return np.where(shifted < low, days + forward, shifted)


def invoice_days(
    kind: np.ndarray,
    client: np.ndarray,
    j: np.ndarray,
    count: np.ndarray,
    span: Span,
    rng: np.random.Generator,
) -> np.ndarray:
    """Date (days since epoch) of each invoice.

    Parameters
    ----------
    kind, client, j, count
        Per invoice: the client's kind code, the client index, the invoice's
        position among that client's invoices (0, 1, ...) and how many it has.

    Returns
    -------
    numpy.ndarray
        Per invoice, a weekday within the span. Structure clients buy every month
        (invoice ``j`` in month ``j mod months``); margin clients in 2–5 months of
        each year; new clients only in the last ``NEW_DAYS``; dormant clients not in
        the last ``DORMANT_QUIET_DAYS``. Every client buys at a steady pace within
        its period (invoice ``j`` of ``n`` near ``j/n`` of it, jittered), so that a
        regular client is not mistaken for a dormant one by chance.
    """
    low = np.zeros(kind.size, dtype=np.int64)
    length = np.full(kind.size, span.days, dtype=np.int64)
    new = kind == KINDS.index("new")
    low[new], length[new] = span.days - NEW_DAYS, NEW_DAYS
    dormant = kind == KINDS.index("dormant")
    length[dormant] = span.days - DORMANT_QUIET_DAYS
    order = (j + rng.random(kind.size)) / count
    offset = low + (order * length).astype(np.int64)
    starts, lengths = span.month_buckets()
    structure = kind == KINDS.index("structure")
    offset[structure] = _in_month(j[structure] % starts.size, starts, lengths, rng)
    margin = kind == KINDS.index("margin")
    if margin.any():
        months = _margin_months(client[margin], j[margin], starts.size, rng)
        offset[margin] = _in_month(months, starts, lengths, rng)
    return weekday_shift(span.first + offset, span.first)


def _in_month(
    month: np.ndarray, starts: np.ndarray, lengths: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    return starts[month] + (rng.random(month.size) * lengths[month]).astype(np.int64)


def _margin_months(
    client: np.ndarray, j: np.ndarray, months: int, rng: np.random.Generator
) -> np.ndarray:
    """Month of each margin invoice: 2–5 chosen months in each half of the span."""
    ids, local = np.unique(client, return_inverse=True)
    half = months // 2
    scores = rng.random((ids.size, months))
    # One of the last four months is always chosen: occasional, but not lapsed.
    scores[np.arange(ids.size), months - 1 - rng.integers(0, 4, ids.size)] -= 1.0
    active = np.zeros((ids.size, months), dtype=bool)
    for block in (slice(0, half), slice(half, months)):  # two halves, not a loop over rows
        ranks = np.argsort(np.argsort(scores[:, block], axis=1), axis=1)
        active[:, block] = ranks < rng.integers(2, 6, (ids.size, 1))
    order = np.argsort(~active, axis=1, kind="stable")  # active months first, in order
    count = active.sum(axis=1)
    return order[local, j % count[local]]
