"""The clients a report shows, picked without building one object per client.

At hundreds of thousands of clients a report shows only some of them (the
largest, the first of each list); the analysis keeps every client in a polars
frame (``clients_frame``, sorted by revenue rank) and builds its list of
:class:`~cartera.result.ClientResult` only when asked. These helpers select
rows of the frame first and turn only those into results, so a report never
pays for the whole list. An analysis built by hand (no frame) is read from its
``clients`` list, with the same answers.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from cartera.result import ClientResult, PortfolioAnalysis

__all__ = ["action_counts", "clients_by_id", "names_of", "top_clients"]


def _frame(analysis: PortfolioAnalysis) -> pl.DataFrame | None:
    """The analysis' frame when its client list was not built (the large-portfolio path)."""
    if "clients" in analysis.__dict__:
        return None
    frame = analysis._frame
    return frame if frame is not None and "rank" in frame.columns else None


def _results(analysis: PortfolioAnalysis, rows: pl.DataFrame) -> list[ClientResult]:
    # The analysis' own conversion, so the objects equal those of ``analysis.clients``.
    from cartera.analysis import client_results

    return client_results(rows, analysis._settings)


def top_clients(
    analysis: PortfolioAnalysis, limit: int | None = None, action: str | None = None
) -> list[ClientResult]:
    """The first ``limit`` clients (all when ``None``) by revenue rank, of ``action`` if given."""
    frame = _frame(analysis)
    if frame is not None:
        # The rows' positions first (a filter of the whole frame would copy every column
        # of tens of thousands of let-go clients to show fifteen).
        picked = frame.select("rank", "action", _at=pl.int_range(pl.len(), dtype=pl.UInt32))
        if action is not None:
            picked = picked.filter(pl.col("action") == action)
        picked = picked.sort("rank") if not picked["rank"].is_sorted() else picked
        at = picked["_at"] if limit is None else picked["_at"].head(limit)
        return _results(analysis, frame[at])
    chosen = [c for c in analysis.clients if action is None or c.action == action]
    chosen.sort(key=lambda c: c.metrics.rank)
    return chosen if limit is None else chosen[:limit]


def clients_by_id(analysis: PortfolioAnalysis, ids: Iterable[str]) -> list[ClientResult]:
    """The clients ``ids`` in that order (unknown ids are left out)."""
    wanted = list(dict.fromkeys(ids))
    frame = _frame(analysis)
    if frame is not None:
        rows = frame.filter(pl.col("id").is_in(wanted))
        by_id = {c.id: c for c in _results(analysis, rows)}
    else:
        keep = set(wanted)
        by_id = {c.id: c for c in analysis.clients if c.id in keep}
    return [by_id[i] for i in wanted if i in by_id]


def action_counts(analysis: PortfolioAnalysis) -> dict[str, int]:
    """How many clients have each action (``{"let_go": 72, ...}``; absent actions left out)."""
    frame = _frame(analysis)
    if frame is not None:
        counts = frame.group_by("action").len()
        return {str(a): int(n) for a, n in counts.iter_rows()}
    out: dict[str, int] = {}
    for c in analysis.clients:
        out[c.action] = out.get(c.action, 0) + 1
    return out


def names_of(analysis: PortfolioAnalysis, ids: Iterable[str]) -> dict[str, str]:
    """``{id: name}`` of the clients ``ids`` (the id when a client has no name)."""
    wanted = list(dict.fromkeys(ids))
    frame = _frame(analysis)
    if frame is not None:
        rows = frame.filter(pl.col("id").is_in(wanted)).select("id", "name")
        pairs = zip(rows["id"].to_list(), rows["name"].to_list(), strict=True)
        return {str(i): str(n or i) for i, n in pairs}
    keep = set(wanted)
    return {c.id: c.name or c.id for c in analysis.clients if c.id in keep}
