"""Payments received for the demo invoices (the ``cobros.csv`` table).

Each invoice is paid in full (VAT included) some days after its date, in one
payment or in 2–3 partial payments; some are never paid. Payments after the
end of the span have not happened yet, which leaves recent invoices open and
some older ones overdue. Credit notes are settled by compensation, not by a
payment (docs/decisions/0501-demo-data.md).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from cartera.demo.calendar import Span, weekday_shift
from cartera.demo.documents import Documents
from cartera.demo.kinds import KINDS

__all__ = ["PAYMENT_COLUMNS", "make_payments"]

PAYMENT_COLUMNS: Final = ("Nº factura", "Fecha cobro", "Cantidad cobrada")
_SLOW, _STRUCTURE, _TINY = (KINDS.index(k) for k in ("slow_payer", "structure", "tiny"))
#: Chance that an invoice is never paid, by kind (default for the others).
_UNPAID: Final = {_SLOW: 0.12, _STRUCTURE: 0.0, _TINY: 0.05}
_UNPAID_DEFAULT: Final = 0.02


def make_payments(
    codes: np.ndarray, docs: Documents, span: Span, rng: np.random.Generator
) -> pl.DataFrame:
    """One row per payment received.

    Parameters
    ----------
    codes
        Kind code per client.
    docs
        The invoices (``number``, ``client``, ``day``, ``due``, ``total``).

    Returns
    -------
    polars.DataFrame
        :data:`PAYMENT_COLUMNS`: ``Nº factura`` (String), ``Fecha cobro`` (Date),
        ``Cantidad cobrada`` (Float64, VAT included), in date order.
    """
    kind = codes[docs.client]
    n = kind.size
    pay_day = docs.day + _delay(kind, docs, codes.size, rng)
    unpaid_p = np.full(n, _UNPAID_DEFAULT)
    for code, p in _UNPAID.items():
        unpaid_p[kind == code] = p
    paid = rng.random(n) >= unpaid_p
    slow = kind == _SLOW
    u = rng.random(n)
    parts = np.where(
        u < np.where(slow, 0.75, 0.92), 1, np.where(u < np.where(slow, 0.9, 0.96), 2, 3)
    )
    parts[~paid] = 0
    invoice = np.repeat(np.arange(n), parts)
    part = np.arange(invoice.size) - np.repeat(np.cumsum(parts) - parts, parts)
    # Partial payments lead up to the day the invoice is settled, so that the day it
    # is fully paid keeps the client's habit.
    gap = rng.integers(15, 31, n)[invoice]
    day = pay_day[invoice] - (parts[invoice] - 1 - part) * gap
    earliest = docs.day[invoice] + 1
    day = weekday_shift(np.maximum(day, earliest), earliest)
    amount = _split_amounts(docs.total, invoice, part, parts, rng)
    keep = day <= span.last
    order = np.lexsort((part[keep], invoice[keep], docs.day[invoice[keep]], day[keep]))
    chosen = invoice[keep][order]
    return pl.DataFrame(
        {
            "Nº factura": docs.number.gather(pl.Series(chosen, dtype=pl.UInt32)),
            "Fecha cobro": pl.Series(day[keep][order].astype(np.int32)).cast(pl.Date),
            "Cantidad cobrada": amount[keep][order],
        }
    )


def _delay(kind: np.ndarray, docs: Documents, clients: int, rng: np.random.Generator) -> np.ndarray:
    """Days from invoice to (first) payment: near the terms, 150–190 for slow payers."""
    n = kind.size
    habit = rng.normal(0.0, 5.0, clients)[docs.client]  # some clients are a little late
    terms = docs.due - docs.day
    delay = terms + habit + rng.normal(2.0, 6.0, n)
    slow = kind == _SLOW
    delay[slow] = rng.uniform(150, 190, int(slow.sum()))
    return np.maximum(np.round(delay), 1).astype(np.int64)


def _split_amounts(
    totals: np.ndarray,
    invoice: np.ndarray,
    part: np.ndarray,
    parts: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Amounts of the payments of each invoice, in cents exactly adding up to its total."""
    weight = rng.uniform(0.2, 1.0, invoice.size)
    share = weight / np.bincount(invoice, weights=weight, minlength=totals.size)[invoice]
    amount = np.round(totals[invoice] * share, 2)
    last = part == parts[invoice] - 1
    before = np.bincount(invoice, weights=np.where(last, 0.0, amount), minlength=totals.size)
    amount[last] = np.round(totals[invoice[last]] - before[invoice[last]], 2)
    return amount
