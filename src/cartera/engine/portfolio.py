"""Portfolio figures from the per-client table alone.

:func:`summarise` is also what a what-if runs: the same per-client table with
some clients removed gives the portfolio after losing them, because every
figure (shares, Pareto N80, HHI, coverage, the whale curve's peak) is
recomputed here from ``revenue`` and the money columns, never read from the
shares the full analysis stored.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import ibis
import ibis.expr.types as ir
from ibis.backends import BaseBackend

from cartera.engine.connect import to_arrow
from cartera.engine.window import AGING_BUCKETS
from cartera.result import SEGMENTS, AgingBucket, CurvePoint, Pareto, Portfolio, SegmentFigures
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

#: Charts never need more points than this; curves are sampled by rank.
MAX_CURVE_POINTS = 500
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


def pareto_band(share: float | None, settings: Settings) -> str:
    """The seed's reading of N80 (share of clients making 80 % of revenue).

    At most ``pareto_high_risk`` → ``high_risk``; at least ``pareto_low_risk``
    → ``low_risk_high_cost``; in between ``typical``; no revenue → ``undefined``.
    """
    th = settings.thresholds
    if share is None:
        return "undefined"
    if share <= th.pareto_high_risk:
        return "high_risk"
    if share >= th.pareto_low_risk:
        return "low_risk_high_cost"
    return "typical"


def _num(value: Any) -> float | None:
    """A database scalar as a finite float, or None (null, NaN)."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


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


def from_totals(
    row: dict[str, Any], settings: Settings, large_clients: Callable[[float, float], list[str]]
) -> Portfolio:
    """The :class:`Portfolio` of one row of :func:`totals_expr`'s sums.

    ``large_clients(positive_revenue, flag)`` lists the ids of the clients at or
    above ``flag`` of the positive revenue, largest first (ties by id); it is
    called only when the largest client is that large. :func:`summarise` and
    the what-if simulator (:mod:`cartera.scenarios.simulate`), which computes
    the same sums with numpy, share this step.
    """
    has_margin = row["gross_margin"] is not None
    positive = _num(row["positive_revenue"]) or 0.0

    def share(k: str) -> float:
        return (_num(row[k]) or 0.0) / positive if positive > 0 else 0.0

    hhi = 10_000 * (_num(row["sum_sq"]) or 0.0) / positive**2 if positive > 0 else 0.0
    n_pos = int(row["positive_clients"] or 0)
    n80 = int(row["n80"] or 0)
    share80 = n80 / n_pos if n_pos else None
    flag = settings.targets.flag_client_share
    # Only ask for the large clients' ids when the largest one is large.
    large = large_clients(positive, flag) if share("top1") >= flag - _EPS else []
    revenue = _num(row["revenue"]) or 0.0
    gross = _num(row["gross_margin"])
    net = _num(row["net_contribution"])
    # Fixed costs are per year; the window may be shorter or longer.
    fixed = settings.fixed_costs * settings.window_months / 12
    structure_gm = _num(row["structure_margin"]) or (0.0 if gross is not None else None)
    total_nc = net or 0.0
    return Portfolio(
        clients=int(row["clients"] or 0),
        revenue=revenue,
        gross_margin=gross,
        margin_pct=gross / revenue if gross is not None and revenue > 0 else None,
        cost_to_serve=_num(row["cost_to_serve"]) or 0.0,
        net_contribution=net,
        fixed_costs=fixed,
        profit=net - fixed if net is not None else None,
        pareto=Pareto(
            clients_for_80pct=n80,
            share_of_clients_for_80pct=share80,
            band=pareto_band(share80, settings),
        ),
        hhi=hhi,
        effective_clients=10_000 / hhi if hhi > 0 else None,
        top1_share=share("top1"),
        top5_share=share("top5"),
        top10_share=share("top10"),
        large_clients=large,
        fixed_cost_coverage=structure_gm / fixed
        if structure_gm is not None and fixed > 0
        else None,
        service_hours=_num(row["service_hours"]) or 0.0,
        segments=_segment_figures(row, has_margin),
        aging=[
            AgingBucket(bucket=name, amount=_num(row[f"aging_{name}"]) or 0.0)
            for name, _lo, _hi in AGING_BUCKETS
        ],
        whale_peak_share=(_num(row["whale_peak"]) or 0.0) / total_nc if total_nc > 0 else None,
    )


def _large_clients(
    clients: ir.Table, positive: float, flag: float, con: BaseBackend | None
) -> list[str]:
    """Ids of clients at or above ``flag`` of positive revenue, largest first."""
    big = clients.filter(clients.revenue >= flag * positive - _EPS * positive)
    big = big.order_by([ibis.desc(big.revenue), big.id]).select("id")
    return [r["id"] for r in _execute(big, con)]


def _segment_figures(row: dict[str, Any], has_margin: bool) -> dict[str, SegmentFigures]:
    """All six segments; an empty one has zeros (and no margin when the data has none)."""
    empty = 0.0 if has_margin else None
    figures: dict[str, SegmentFigures] = {}
    for name in SEGMENTS:
        n = int(row[f"seg_{name}_clients"] or 0)
        margin, contribution = (
            (_num(row[f"seg_{name}_gross_margin"]), _num(row[f"seg_{name}_net_contribution"]))
            if n
            else (empty, empty)
        )
        figures[name] = SegmentFigures(
            clients=n,
            revenue=_num(row[f"seg_{name}_revenue"]) or 0.0,
            gross_margin=margin,
            net_contribution=contribution,
        )
    return figures


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
