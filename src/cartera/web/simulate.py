"""The what-if simulator's frame adjustments: another hourly cost, a structure price cut.

Both act on the per-client frame before :func:`cartera.scenarios.what_if`'s
portfolio summary runs again, so every figure (profit, coverage, HHI, Pareto)
is recomputed by the engine exactly as in the analysis.
"""

from __future__ import annotations

import polars as pl

__all__ = ["adjust_frame"]


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
