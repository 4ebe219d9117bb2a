"""Dependence: the single client whose departure hurts profit most.

Profit is the sum of the clients' net contributions less the fixed costs, so
losing client *i* changes profit by exactly ``−net_contribution_i``: the worst
single loss is the client with the largest net contribution. Without cost data
(no contribution) it is the largest client by revenue. Profit and fixed-cost
coverage after its departure come from the engine's summary of the portfolio
without it, so they match a ``cartera whatif --lose`` of that client.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from cartera.result import WorstLoss

__all__ = ["worst_client", "worst_single_loss"]


def worst_client(frame: pl.DataFrame) -> str | None:
    """Id of the client with the largest net contribution (revenue when unknown).

    Parameters
    ----------
    frame
        Columns ``id, revenue, net_contribution``; ties go to the higher revenue,
        then to the id that sorts first, so the answer is stable.
    """
    if frame.height == 0:
        return None
    has_contribution = frame["net_contribution"].null_count() < frame.height
    key = "net_contribution" if has_contribution else "revenue"
    # Three columns sorted, not the whole frame (hundreds of thousands of rows × every metric).
    ranked = frame.select(list(dict.fromkeys((key, "revenue", "id")))).sort(
        [key, "revenue", "id"], descending=[True, True, False], nulls_last=True
    )
    return str(ranked["id"][0])


def worst_single_loss(frame: pl.DataFrame, settings: Any) -> WorstLoss | None:
    """The worst single loss with profit and coverage after it (``None`` without clients)."""
    from cartera.scenarios.whatif import portfolio_without

    client = worst_client(frame)
    if client is None:
        return None
    after = portfolio_without(frame, [client], settings)
    return WorstLoss(
        client=client, profit_after=after.profit, coverage_after=after.fixed_cost_coverage
    )
