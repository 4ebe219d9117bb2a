"""The demo firm's fixed costs: what its planted structure clients carry 80 % of.

The seed defines the structure client by what it pays: "gracias a este
cliente, tú puedes pagar el 80 % de la estructura". The demo firm's yearly
fixed costs are therefore its structure clients' gross margin over the last
twelve months divided by 0.8, rounded up to a thousand, so that an analysis
with them sees every structure client carry its part and the portfolio a
realistic profit (docs/demo-data.md).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Final

import polars as pl

__all__ = ["STRUCTURE_SHARE", "demo_fixed_costs"]

#: Share of the fixed costs the structure clients pay (the seed's 80 %).
STRUCTURE_SHARE: Final = 0.8


def demo_fixed_costs(documents: pl.DataFrame, truth: pl.DataFrame) -> float:
    """Yearly fixed costs of the demo firm (currency, a multiple of 1,000).

    Parameters
    ----------
    documents
        The demo's document lines (``Código cliente, Fecha, Base imponible, Coste``).
    truth
        ``client_id, kind`` of every client.

    The twelve months are the analysis window's at its default ``as_of``, the
    last document date.
    """
    from cartera.engine.window import AnalysisWindow

    end = documents["Fecha"].max()
    if not isinstance(end, dt.date):
        return 0.0
    start = AnalysisWindow(as_of=end, months=12).start
    structure = truth.filter(pl.col("kind") == "structure")["client_id"]
    margin = documents.filter(
        pl.col("Código cliente").is_in(structure.implode()),
        pl.col("Fecha").is_between(start, end),
    ).select((pl.col("Base imponible") - pl.col("Coste")).sum())
    gross = float(margin.item() or 0.0)
    return float(math.ceil(max(gross, 0.0) / STRUCTURE_SHARE / 1_000.0) * 1_000)
