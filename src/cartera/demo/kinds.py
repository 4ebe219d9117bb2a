"""The kinds of client planted in the demo portfolio and how each one behaves.

Each kind is a :class:`KindSpec`: how many clients of it (share of the
portfolio), how much it buys (line volume and line value), its prices
(discount off list, price factor), its payment terms and its return rate.
The numbers are chosen so that the kinds are told apart by clear,
economically meaningful gaps (see docs/demo-data.md), not by artefacts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

__all__ = [
    "KINDS",
    "MIN_CLIENTS",
    "SPECS",
    "KindSpec",
    "assign_kinds",
    "kind_counts",
    "spec_array",
    "spec_uniform",
]

#: Every kind, in a fixed order (its index is the kind code used in arrays).
KINDS: Final = (
    "structure",
    "margin",
    "image",
    "slow_payer",
    "returner",
    "tiny",
    "draining",
    "new",
    "dormant",
    "regular",
)


@dataclass(frozen=True)
class KindSpec:
    """How the clients of one kind buy, pay and return.

    Money amounts are in euros; fractions are 0–1.
    """

    share: float  #: fraction of the clients (the regular kind takes the rest)
    minimum: int  #: at least this many clients of the kind
    weight: float  #: relative number of invoice lines per client (0: fixed_lines)
    weight_sigma: float  #: lognormal spread of that volume between clients
    min_lines: int  #: invoice lines per client at least (2 years)
    line_value: float  #: median net value of one line
    invoice_lines: float  #: mean lines per invoice (1–5)
    discount: tuple[float, float]  #: usual discount off list price
    price_factor: tuple[float, float]  #: price charged relative to the list price
    terms: tuple[int, ...]  #: payment terms (days) to choose from
    return_rate: tuple[float, float]  #: share of lines returned with a credit note
    fixed_lines: tuple[int, int] = (0, 0)  #: lines drawn in this range when weight is 0


SPECS: Final[dict[str, KindSpec]] = {
    # Top revenue, every month, big discounts: carries the fixed costs at a thin margin.
    "structure": KindSpec(
        0.02, 3, 35.0, 0.05, 120, 900.0, 3.0, (0.15, 0.20), (1.0, 1.0), (60, 90), (0.0, 0.02)
    ),
    # Occasional, sizeable orders at a premium price (urgent or custom work).
    "margin": KindSpec(
        0.05, 1, 2.2, 0.25, 8, 1800.0, 2.5, (0.0, 0.0), (1.4, 1.7), (30, 60), (0.0, 0.02)
    ),
    # Reputation: modest revenue, sold cheap.
    "image": KindSpec(
        0.02, 2, 2.0, 0.3, 6, 350.0, 2.5, (0.10, 0.15), (1.0, 1.0), (30, 60), (0.0, 0.02)
    ),
    "slow_payer": KindSpec(
        0.04, 1, 1.2, 0.4, 6, 500.0, 2.5, (0.0, 0.05), (1.0, 1.02), (160,), (0.0, 0.03)
    ),
    "returner": KindSpec(
        0.03, 1, 1.5, 0.4, 8, 500.0, 2.5, (0.0, 0.05), (1.0, 1.02), (30, 60), (0.28, 0.40)
    ),
    # A couple of small orders a year but support calls that cost more than the margin.
    "tiny": KindSpec(
        0.08, 1, 0.0, 0.0, 2, 60.0, 1.0, (0.0, 0.0), (1.0, 1.02), (30,), (0.0, 0.0), (3, 6)
    ),
    # Normal buyer whose meetings eat the margin (hours set in activities).
    "draining": KindSpec(
        0.03, 1, 2.2, 0.15, 6, 500.0, 2.5, (0.0, 0.05), (1.0, 1.02), (30, 60), (0.0, 0.03)
    ),
    # First invoice in the last four months.
    "new": KindSpec(0.05, 1, 0.4, 0.4, 3, 500.0, 2.5, (0.0, 0.05), (1.0, 1.02), (30,), (0.0, 0.02)),
    # Bought in the first part of the two years only.
    "dormant": KindSpec(
        0.06, 1, 0.8, 0.5, 4, 500.0, 2.5, (0.0, 0.05), (1.0, 1.02), (30, 60), (0.0, 0.02)
    ),
    "regular": KindSpec(
        0.0,
        1,
        1.0,
        1.0,
        10,
        500.0,
        2.5,
        (0.0, 0.06),
        (1.0, 1.02),
        (30, 30, 30, 60, 60, 60, 90),
        (0.0, 0.03),
    ),
}

#: Fewest clients for which every kind gets at least its minimum and some regulars remain.
MIN_CLIENTS: Final = 20


def kind_counts(clients: int) -> dict[str, int]:
    """Clients per kind for a portfolio of ``clients`` (regular takes the rest)."""
    counts = {
        kind: max(spec.minimum, round(spec.share * clients))
        for kind, spec in SPECS.items()
        if kind != "regular"
    }
    counts["regular"] = clients - sum(counts.values())
    return counts


def assign_kinds(clients: int, rng: np.random.Generator) -> np.ndarray:
    """Kind code (index into :data:`KINDS`) of each client, shuffled over client ids."""
    counts = kind_counts(clients)
    codes = np.repeat(np.arange(len(KINDS), dtype=np.int8), [counts[k] for k in KINDS])
    return rng.permutation(codes)


def spec_array(name: str, codes: np.ndarray) -> np.ndarray:
    """Per-client array of the scalar field ``name`` of each client's kind."""
    table = np.array([getattr(SPECS[k], name) for k in KINDS], dtype=np.float64)
    return table[codes]


def spec_uniform(name: str, codes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Per-client draw, uniform within the ``(low, high)`` field ``name`` of each kind."""
    low = np.array([getattr(SPECS[k], name)[0] for k in KINDS], dtype=np.float64)[codes]
    high = np.array([getattr(SPECS[k], name)[1] for k in KINDS], dtype=np.float64)[codes]
    return low + (high - low) * rng.random(codes.size)
