"""What-if loss: the portfolio before and after some clients leave.

A what-if is the engine's own portfolio summary run again over the per-client
table without the lost clients, so every figure (profit, coverage, HHI, N80
and its band) is computed exactly as in the analysis.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

import polars as pl

from cartera.errors import UnknownClientError
from cartera.result import Portfolio, PortfolioAnalysis, WhatIfResult

__all__ = ["DELTA_KEYS", "portfolio_without", "resolve_ids", "what_if"]

#: Portfolio figures compared before → after; the two N80 keys come from ``pareto``.
DELTA_KEYS = (
    "clients",
    "revenue",
    "gross_margin",
    "margin_pct",
    "cost_to_serve",
    "net_contribution",
    "profit",
    "fixed_cost_coverage",
    "service_hours",
    "hhi",
    "effective_clients",
    "top1_share",
    "top5_share",
    "top10_share",
    "clients_for_80pct",
    "share_of_clients_for_80pct",
)
_PATHS = {
    "clients_for_80pct": "pareto.clients_for_80pct",
    "share_of_clients_for_80pct": "pareto.share_of_clients_for_80pct",
}


def resolve_ids(frame: pl.DataFrame, ids: Iterable[str]) -> list[str]:
    """The requested ids, stripped and de-duplicated, in the order given.

    Raises
    ------
    UnknownClientError
        Listing every id not in ``frame["id"]`` with up to three close matches
        (similar ids, or ids whose name contains the text).
    """
    wanted = list(dict.fromkeys(i.strip() for i in ids if i and i.strip()))
    known = [str(x) for x in frame["id"].to_list()] if frame.height else []
    known_set = set(known)
    unknown = [i for i in wanted if i not in known_set]
    if unknown:
        names = [str(x or "") for x in frame["name"].to_list()] if frame.height else []
        raise UnknownClientError(unknown, {u: _close(u, known, names) for u in unknown})
    return wanted


def _close(text: str, ids: list[str], names: list[str]) -> list[str]:
    by_id = difflib.get_close_matches(text, ids, n=3, cutoff=0.6)
    upper = {i.upper(): i for i in ids}
    exact_case = [upper[text.upper()]] if text.upper() in upper else []
    needle = text.casefold()
    # A name match needs a few letters; one or two would match half the names.
    by_name = (
        [i for i, n in zip(ids, names, strict=True) if needle in n.casefold()]
        if len(needle) >= 3
        else []
    )
    return list(dict.fromkeys(exact_case + by_id + by_name))[:3]


def portfolio_without(frame: pl.DataFrame, ids: Iterable[str], settings: Any) -> Portfolio:
    """The engine's portfolio summary of ``frame`` without the clients ``ids``.

    Parameters
    ----------
    frame
        The per-client frame (``PortfolioAnalysis.clients_frame``); its columns are
        what :func:`cartera.engine.portfolio.summarise` reads.
    """
    import ibis

    from cartera.engine.portfolio import SUMMARY_COLUMNS, summarise

    lost = list(ids)
    # Only the columns the summary reads: the engine copies a fraction of the frame.
    kept = frame.select(c for c in SUMMARY_COLUMNS if c in frame.columns)
    kept = kept.filter(~pl.col("id").is_in(lost)) if lost else kept
    return summarise(ibis.memtable(kept), settings)


def what_if(analysis: PortfolioAnalysis, ids: Iterable[str], settings: Any = None) -> WhatIfResult:
    """Lose the clients ``ids`` at once.

    The portfolio after is computed by :class:`cartera.scenarios.simulate.Simulator`
    (the engine's sums with numpy); keep one to run many what-ifs on one analysis.

    Returns
    -------
    WhatIfResult
        ``before`` (the analysis' portfolio), ``after`` (recomputed without them),
        ``delta`` (after − before for :data:`DELTA_KEYS`, ``None`` when either side is
        undefined), ``lost`` and ``hours_freed`` (their service hours).
    """
    from cartera.scenarios.simulate import Simulator
    from cartera.settings import Settings

    chosen = settings if settings is not None else analysis._settings
    chosen = chosen if chosen is not None else Settings()
    # The simulator computes the engine's sums with numpy (equal to portfolio_without,
    # see tests/scenarios/test_simulate.py) without building SQL on every call. The
    # frame's service costs stay as computed: only the portfolio settings apply.
    simulator = Simulator.of(analysis)
    chosen = chosen.model_copy(update={"hourly_cost": simulator.settings.hourly_cost})
    return simulator.what_if(analysis.portfolio, ids, chosen)


def deltas(before: Portfolio, after: Portfolio) -> dict[str, float | None]:
    """``after − before`` for each of :data:`DELTA_KEYS` (``None`` if either is undefined)."""
    out: dict[str, float | None] = {}
    b, a = before.model_dump(), after.model_dump()
    for key in DELTA_KEYS:
        path = _PATHS.get(key, key)
        x, y = _get(b, path), _get(a, path)
        out[key] = None if x is None or y is None else float(y) - float(x)
    return out


def _get(data: dict[str, Any], dotted: str) -> Any:
    for part in dotted.split("."):
        data = data.get(part) if isinstance(data, dict) else None  # type: ignore[assignment]
    return data
