"""Dependence: the single client whose departure hurts profit most.

Profit is the sum of the clients' net contributions less the fixed costs, so
losing client *i* changes profit by exactly ``−net_contribution_i``: the worst
single loss is the client with the largest net contribution. Without cost data
(no contribution) it is the largest client by revenue. Profit and fixed-cost
coverage after its departure come from the engine's summary of the portfolio
without it, so they match a ``cartera whatif --lose`` of that client.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import polars as pl

from cartera.result import WorstLoss

if TYPE_CHECKING:
    from cartera.scenarios.simulate import Simulator

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
    # The first row of that order without sorting every client: the largest key, then
    # among its ties the largest revenue, then the first id (a null key or revenue
    # sorts last, as in a sort with nulls last; NaN sorts above every number).
    ranked = frame.select(list(dict.fromkeys((key, "revenue", "id"))))
    for name in (key, "revenue"):
        column = ranked[name]
        if column.null_count() < ranked.height:
            ranked = ranked.filter(pl.col(name).is_not_null())
            top = column.drop_nulls().sort(descending=True)[0]
            nan = isinstance(top, float) and math.isnan(top)
            ranked = ranked.filter(pl.col(name).is_nan() if nan else pl.col(name) == top)
    return str(ranked["id"].sort()[0])


def worst_single_loss(
    frame: pl.DataFrame, settings: Any, *, simulator: Simulator | None = None
) -> WorstLoss | None:
    """The worst single loss with profit and coverage after it (``None`` without clients).

    ``simulator``, the frame's :class:`~cartera.scenarios.simulate.Simulator` when
    the caller has one, computes the portfolio after (what ``cartera whatif
    --lose`` shows) instead of the engine's summary over a copy of the frame.
    """
    from cartera.scenarios.whatif import portfolio_without

    client = worst_client(frame)
    if client is None:
        return None
    if simulator is not None:
        after = simulator.portfolio(settings, lost=[client])
    else:
        after = portfolio_without(frame, [client], settings)
    return WorstLoss(
        client=client, profit_after=after.profit, coverage_after=after.fixed_cost_coverage
    )
