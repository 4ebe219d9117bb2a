"""A realistic, seeded demo portfolio written as a Spanish accounting export.

:func:`generate` draws two years of invoices, credit notes, payments, clients
and activities in which every kind of client of DESIGN.md is planted
(structure, margin, image, slow payers, returners, tiny, draining, new,
dormant, regular); ``truth`` says which client is which. :func:`write_demo`
writes the four files that ``cartera import`` reads. The same generator feeds
the benchmarks (millions of lines): everything is vectorised NumPy and polars.
See docs/demo-data.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import polars as pl

from cartera.demo.activities import ACTIVITY_COLUMNS, make_activities
from cartera.demo.calendar import Span
from cartera.demo.clients import CLIENT_COLUMNS, make_clients
from cartera.demo.costs import demo_fixed_costs
from cartera.demo.documents import DOCUMENT_COLUMNS, make_documents
from cartera.demo.export import ENCODING, write_table
from cartera.demo.kinds import KINDS, MIN_CLIENTS, assign_kinds, kind_counts
from cartera.demo.payments import PAYMENT_COLUMNS, make_payments
from cartera.demo.prospects import SIZE_COLUMN, plant_traits, write_prospects
from cartera.errors import SettingsError
from cartera.i18n import N_

__all__ = [
    "COLUMNS",
    "DEFAULT_END",
    "ENCODING",
    "FILES",
    "KINDS",
    "DemoData",
    "generate",
    "kind_counts",
    "write_demo",
]

DEFAULT_END: Final = dt.date(2026, 10, 31)
#: File name of each table in a demo folder.
FILES: Final = {
    "documents": "facturas.csv",
    "payments": "cobros.csv",
    "clients": "clientes.csv",
    "activities": "actividades.csv",
}
#: Header of each file, in order.
COLUMNS: Final = {
    "documents": DOCUMENT_COLUMNS,
    "payments": PAYMENT_COLUMNS,
    "clients": (*CLIENT_COLUMNS, SIZE_COLUMN),
    "activities": ACTIVITY_COLUMNS,
}


@dataclass(frozen=True)
class DemoData:
    """The demo tables, typed, in the export layout (columns of :data:`COLUMNS`).

    Dates are ``pl.Date``, numbers Float64, ``Cliente imagen`` Boolean.
    ``truth`` has one row per client: ``client_id`` (= ``Código cliente``) and
    ``kind`` (one of :data:`KINDS`). ``fixed_costs`` is the firm's yearly
    fixed costs (:func:`cartera.demo.costs.demo_fixed_costs`).
    """

    documents: pl.DataFrame
    payments: pl.DataFrame
    clients: pl.DataFrame
    activities: pl.DataFrame
    truth: pl.DataFrame
    #: the firm's yearly fixed costs (its structure clients carry 80 % of them)
    fixed_costs: float = 0.0

    def table(self, name: str) -> pl.DataFrame:
        """The table called ``name`` (a key of :data:`FILES`)."""
        frame: pl.DataFrame = getattr(self, name)
        return frame


def generate(
    clients: int = 400, lines: int = 30_000, seed: int = 7, end: dt.date = DEFAULT_END
) -> DemoData:
    """Draw a demo portfolio: two years of activity ending at ``end``.

    Parameters
    ----------
    clients
        Number of clients (at least 20, so that every kind is present).
    lines
        Number of invoice lines; credit-note lines come on top (a few percent).
    seed
        Same seed, same data, byte for byte.
    end
        Last day of the two years.

    Raises
    ------
    SettingsError
        When ``clients`` or ``lines`` is too small or ``seed`` negative.
    """
    if clients < MIN_CLIENTS:
        raise SettingsError(
            N_("--clients must be at least {minimum}, so that every kind of client is present."),
            minimum=MIN_CLIENTS,
        )
    if seed < 0:
        raise SettingsError(N_("--seed must be zero or positive, not {value}."), value=seed)
    streams = [
        np.random.Generator(np.random.PCG64(s)) for s in np.random.SeedSequence(seed).spawn(5)
    ]
    span = Span(end)
    codes = assign_kinds(clients, streams[0])
    client_table = plant_traits(make_clients(codes, streams[1]), codes, seed)
    docs = make_documents(codes, client_table, lines, span, streams[2])
    payments = make_payments(codes, docs, span, streams[3])
    invoices = np.bincount(docs.client, minlength=clients)
    activities = make_activities(
        codes, client_table["Código cliente"], invoices, docs.gross_margin, span, streams[4]
    )
    truth = pl.DataFrame(
        {
            "client_id": client_table["Código cliente"],
            "kind": pl.Series(KINDS).gather(pl.Series(codes, dtype=pl.UInt32)),
        }
    )
    fixed = demo_fixed_costs(docs.frame, truth)
    return DemoData(docs.frame, payments, client_table, activities, truth, fixed)


def write_demo(
    folder: str | Path,
    clients: int = 400,
    lines: int = 30_000,
    seed: int = 7,
    end: dt.date = DEFAULT_END,
) -> DemoData:
    """Generate a demo portfolio and write its four files into ``folder`` (created if needed).

    The files are :data:`FILES`, in the export format described in docs/demo-data.md.
    """
    data = generate(clients=clients, lines=lines, seed=seed, end=end)
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    for table, name in FILES.items():
        write_table(data.table(table), table, path / name)
    write_prospects(path, data.clients, seed)
    return data
