"""The what-if simulator's frame adjustments: another hourly cost, a structure price cut.

Both act on the per-client frame before :func:`cartera.scenarios.what_if`'s
portfolio summary runs again, so every figure (profit, coverage, HHI, Pareto)
is recomputed by the engine exactly as in the analysis.
"""

from __future__ import annotations

import contextlib
import queue
from collections.abc import Iterator, Sequence
from typing import Any

import polars as pl

from cartera.result import Portfolio, WhatIfResult
from cartera.settings import Settings

__all__ = ["adjust_frame", "portfolio_after", "what_if"]

#: Idle DuckDB backends for the what-if summaries. ibis's default backend is one
#: connection shared by every thread, and DuckDB refuses a call on a busy connection;
#: a pool (not thread-locals) keeps them owned by the main thread, closed at exit.
_POOL: queue.SimpleQueue[Any] = queue.SimpleQueue()


@contextlib.contextmanager
def _connection() -> Iterator[Any]:
    try:
        con = _POOL.get_nowait()
    except queue.Empty:
        import ibis

        con = ibis.duckdb.connect()
    try:
        yield con
    finally:
        _POOL.put(con)


def portfolio_after(frame: pl.DataFrame, lost: Sequence[str], settings: Settings) -> Portfolio:
    """The engine's portfolio summary of ``frame`` without the clients ``lost``.

    Same as :func:`cartera.scenarios.whatif.portfolio_without`, run on this
    thread's connection so that concurrent requests do not share one.
    """
    import ibis

    from cartera.engine.portfolio import summarise

    kept = frame.filter(~pl.col("id").is_in(list(lost))) if lost else frame
    with _connection() as con:
        return summarise(ibis.memtable(kept), settings, con=con)


def what_if(
    before: Portfolio, frame: pl.DataFrame, ids: Sequence[str], settings: Settings
) -> WhatIfResult:
    """:func:`cartera.scenarios.what_if` on this thread's connection (unknown ids refused)."""
    from cartera.scenarios.whatif import deltas, resolve_ids

    lost = resolve_ids(frame, ids)
    after = portfolio_after(frame, lost, settings)
    hours = frame.filter(pl.col("id").is_in(lost))["service_hours"].fill_null(0).sum()
    return WhatIfResult(before=before, after=after, delta=deltas(before, after), lost=lost,
                        hours_freed=float(hours or 0.0))  # fmt: skip


def adjust_frame(frame: pl.DataFrame, *, hourly_cost: float, old_hourly_cost: float,
                 structure_price_cut: float) -> pl.DataFrame:  # fmt: skip
    """``frame`` with service cost at ``hourly_cost`` and structure prices cut.

    Parameters
    ----------
    frame
        The per-client frame (``service_hours``, ``service_cost``, ``cost_to_serve``,
        ``net_contribution``, ``revenue``, ``gross_margin``, ``segment``).
    structure_price_cut
        Fraction (0–1) taken off the revenue of structure clients; the cost of
        what they buy stays, so the cut comes off their margin and contribution.

    Returns
    -------
    polars.DataFrame
        The same columns; ``service_cost``, ``cost_to_serve``, ``net_contribution``,
        ``revenue``, ``gross_margin`` and ``margin_pct`` changed where they apply.
    """
    if hourly_cost == old_hourly_cost and structure_price_cut == 0:
        return frame
    hours = pl.col("service_hours").fill_null(0.0)
    new_service = hours * hourly_cost
    service_delta = new_service - pl.col("service_cost").fill_null(0.0)
    cut = (
        pl.when(pl.col("segment") == "structure")
        .then(pl.col("revenue") * structure_price_cut)
        .otherwise(0.0)
    )
    revenue = pl.col("revenue") - cut
    gross = pl.col("gross_margin") - cut
    return frame.with_columns(
        service_cost=new_service,
        cost_to_serve=pl.col("cost_to_serve") + service_delta,
        net_contribution=pl.col("net_contribution") - service_delta - cut,
        revenue=revenue,
        gross_margin=gross,
        margin_pct=pl.when(revenue > 0).then(gross / revenue).otherwise(None),
    )
