"""Portfolio figures from the per-client table alone.

:func:`summarise` is also what a what-if runs: the same per-client table with
some clients removed gives the portfolio after losing them, because every
figure (shares, Pareto N80, HHI, coverage, the whale curve's peak) is
recomputed here from ``revenue`` and the money columns, never read from the
shares the full analysis stored.
"""

from __future__ import annotations

import math
from typing import Any

import ibis
import ibis.expr.types as ir
from ibis.backends import BaseBackend

from cartera.engine.connect import to_arrow
from cartera.engine.figures import MAX_CURVE_POINTS, from_totals, pareto_band
from cartera.engine.window import AGING_BUCKETS
from cartera.result import SEGMENTS, CurvePoint, Portfolio
from cartera.settings import Settings

__all__ = [
    "MAX_CURVE_POINTS",
    "SUMMARY_COLUMNS",
    "curves",
    "from_totals",
    "pareto_band",
    "summarise",
    "totals_expr",
]

_EPS = 1e-9
_TOP = (1, 5, 10)


#: The per-client columns portfolio figures read; windows then carry only these.
_NEEDED = (
    "id",
    "segment",
    "revenue",
    "gross_margin",
    "cost_to_serve",
    "net_contribution",
    "service_hours",
    *(f"aging_{name}" for name, _lo, _hi in AGING_BUCKETS),
)
#: Every per-client column :func:`summarise` reads (``rank`` only breaks revenue ties).
SUMMARY_COLUMNS = (*_NEEDED, "rank")


def _ordered(clients: ir.Table) -> ir.Table:
    """Add ``_pos`` (positive revenue), ``_rn`` (1 = largest), ``_running`` and ``_total``.

    One window ordering (revenue descending; ties by the analysis' ``rank``
    when present, which encodes the client-id tie-break as an integer, else
    by id) serves every ordered figure, so the engine sorts once.
    """
    has_rank = "rank" in clients.columns
    clients = clients.select(*_NEEDED, *(["rank"] if has_rank else []))
    positive = ibis.greatest(clients.revenue, 0.0)
    order = [ibis.desc(clients.revenue), clients.rank if has_rank else clients.id]
    return clients.mutate(
        _pos=positive,
        _rn=ibis.row_number().over(order_by=order) + 1,
        _running=positive.sum().over(ibis.window(order_by=order, rows=(None, 0))),
        _total=positive.sum().over(ibis.window(order_by=order, rows=(None, None))),
    )


def totals_expr(clients: ir.Table) -> ir.Table:
    """The per-client table → one row of portfolio sums.

    Output columns: ``clients, positive_clients, revenue, gross_margin,
    positive_revenue, sum_sq, n80, top1, top5, top10, cost_to_serve,
    net_contribution, service_hours, structure_margin, whale_peak,
    aging_<bucket>…, seg_<segment>_{clients,revenue,gross_margin,net_contribution}…``.
    The whale curve's peak needs no sort: sorted from most to least
    profitable, the cumulative contribution peaks after the last positive
    client, at the sum of the positive contributions (or at the best client
    when none is positive).
    """
    t = _ordered(clients)
    before = (t._running - t._pos) / t._total
    t = t.mutate(_in80=ibis.ifelse((t._pos > 0) & (before < 0.8 - _EPS), 1, 0))
    gains = t.net_contribution.sum(where=t.net_contribution > 0)
    tops = {f"top{k}": t._pos.sum(where=t._rn <= k) for k in _TOP}
    aging = {f"aging_{n}": t[f"aging_{n}"].sum() for n, _lo, _hi in AGING_BUCKETS}
    segments: dict[str, ir.Value] = {}
    for name in SEGMENTS:  # the segment mix in the same pass
        inside = t.segment == name
        segments[f"seg_{name}_clients"] = ibis.ifelse(inside, 1, 0).sum()
        segments[f"seg_{name}_revenue"] = t.revenue.sum(where=inside)
        segments[f"seg_{name}_gross_margin"] = t.gross_margin.sum(where=inside)
        segments[f"seg_{name}_net_contribution"] = t.net_contribution.sum(where=inside)
    return t.aggregate(
        clients=t.count(),
        positive_clients=(t._pos > 0).sum(),
        revenue=t.revenue.sum(),
        gross_margin=t.gross_margin.sum(),
        positive_revenue=t._pos.sum(),
        sum_sq=(t._pos * t._pos).sum(),
        n80=t._in80.sum(),
        cost_to_serve=t.cost_to_serve.sum(),
        net_contribution=t.net_contribution.sum(),
        service_hours=t.service_hours.sum(),
        structure_margin=t.gross_margin.sum(where=t.segment == "structure"),
        whale_peak=ibis.ifelse(gains.notnull(), gains, t.net_contribution.max()),
        **tops,
        **aging,
        **segments,
    )


def _execute(expr: ir.Table, con: BaseBackend | None) -> list[dict[str, Any]]:
    return to_arrow(expr, con).to_pylist()


def summarise(
    clients: ir.Table, settings: Settings, *, con: BaseBackend | None = None
) -> Portfolio:
    """Every portfolio figure from the per-client table.

    Parameters
    ----------
    clients
        One row per client with at least ``id, segment, revenue,
        gross_margin, cost_to_serve, net_contribution, service_hours,
        aging_current … aging_over_120`` (the analysis frame has them all).
    settings
        Fixed costs, Pareto cut points and the large-client flag.
    con
        Backend to run on; default: the table's own (DuckDB for memtables).

    Returns
    -------
    Portfolio
        Totals, Pareto, HHI, top shares, segment mix, coverage, aging and the
        whale curve's peak. ``worst_single_loss`` is left to the scenarios.
    """
    row = _execute(totals_expr(clients), con)[0]
    return from_totals(
        row, settings, lambda positive, flag: _large_clients(clients, positive, flag, con)
    )


def _large_clients(
    clients: ir.Table, positive: float, flag: float, con: BaseBackend | None
) -> list[str]:
    """Ids of clients at or above ``flag`` of positive revenue, largest first."""
    big = clients.filter(clients.revenue >= flag * positive - _EPS * positive)
    big = big.order_by([ibis.desc(big.revenue), big.id]).select("id")
    return [r["id"] for r in _execute(big, con)]


def curves(
    clients: ir.Table,
    *,
    con: BaseBackend | None = None,
    points: int = MAX_CURVE_POINTS,
    n: int | None = None,
) -> tuple[list[CurvePoint], list[CurvePoint]]:
    """The Pareto and whale curves, sampled to at most ``points`` points each.

    Pareto: x = share of clients (by revenue rank), y = cumulative share of
    revenue. Whale: x = share of clients (by net contribution rank), y =
    cumulative net contribution in currency (empty without cost data). ``n``
    is the number of clients when the caller knows it (saves a query).
    """
    if n is None:
        n = int(_execute(clients.aggregate(n=clients.count()), con)[0]["n"] or 0)
    if n == 0:
        return [], []
    step = max(1, math.ceil(n / (points - 3)))  # + first, last and the origin

    def keep(rn: ir.IntegerValue) -> ir.BooleanValue:
        return (rn % step == 0) | (rn == n) | (rn == 1)

    t = _ordered(clients)
    t = t.mutate(_share=ibis.ifelse(t._total > 0, t._running / t._total, 0.0))
    pareto_rows = _execute(t.filter(keep(t._rn)).select("_rn", "_share"), con)
    w = clients.select("id", "net_contribution").filter(clients.net_contribution.notnull())
    order = [ibis.desc(w.net_contribution), w.id]
    w = w.mutate(
        _nc_rn=ibis.row_number().over(order_by=order) + 1,
        _nc_running=w.net_contribution.sum().over(ibis.window(order_by=order, rows=(None, 0))),
    )
    whale_rows = _execute(w.filter(keep(w._nc_rn)).select("_nc_rn", "_nc_running"), con)
    pareto = [CurvePoint(x=0.0, y=0.0)] + [
        CurvePoint(x=r["_rn"] / n, y=r["_share"]) for r in sorted(pareto_rows, key=_by("_rn"))
    ]
    whale = [
        CurvePoint(x=r["_nc_rn"] / n, y=r["_nc_running"])
        for r in sorted(whale_rows, key=_by("_nc_rn"))
    ]
    return pareto, ([CurvePoint(x=0.0, y=0.0), *whale] if whale else [])


def _by(key: str) -> Any:
    return lambda row: row[key]
