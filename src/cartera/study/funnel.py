"""Campaign funnels: called → reached → meeting → proposal → client, as plain counts.

Every step counts the prospects that got at least that far, so each rate is a
share of the step before it (and ``client_rate`` of the prospects called).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import polars as pl

from cartera.study.campaign import Campaign, ProspectState

__all__ = ["FUNNEL_STEPS", "funnel"]

FUNNEL_STEPS: Final = ("enrolled", "called", "reached", "meeting", "proposal", "client")
_RATES: Final = (
    ("reached_rate", "reached", "called"),
    ("meeting_rate", "meeting", "reached"),
    ("proposal_rate", "proposal", "meeting"),
    ("won_rate", "client", "proposal"),
    ("client_rate", "client", "called"),
)


def _row(campaign: Campaign, state: ProspectState) -> dict[str, object]:
    return {
        "campaign": campaign.id,
        "kind": campaign.kind,
        "enrolled": 1,
        "called": int(state.calls > 0),
        "reached": int(state.reached),
        "meeting": int(state.meeting_at is not None),
        "proposal": int(state.proposed),
        "client": int(state.stage == "won"),
    }


def funnel(
    members: Iterable[tuple[Campaign, ProspectState]], by: tuple[str, ...] = ("campaign", "kind")
) -> pl.DataFrame:
    """Funnel counts and rates.

    Parameters
    ----------
    members
        (campaign, state) of every prospect enrolled in a campaign.
    by
        Grouping: ``("campaign", "kind")`` (default) or ``("kind",)``.

    Returns
    -------
    pl.DataFrame
        ``by`` columns, then :data:`FUNNEL_STEPS` counts (Int64) and the rates
        ``reached_rate, meeting_rate, proposal_rate, won_rate, client_rate``
        (Float64; null when the step before is 0), sorted by ``by``.
    """
    rows = [_row(c, s) for c, s in members]
    schema = {"campaign": pl.String, "kind": pl.String, **dict.fromkeys(FUNNEL_STEPS, pl.Int64)}
    frame = pl.DataFrame(rows, schema=schema)
    counts = frame.group_by(list(by)).agg(pl.col(list(FUNNEL_STEPS)).sum()).sort(list(by))
    return counts.with_columns(
        pl.when(pl.col(den) > 0).then(pl.col(num) / pl.col(den)).alias(name)
        for name, num, den in _RATES
    )
