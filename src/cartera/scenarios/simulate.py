"""The what-if simulator on a cached analysis: lose clients, change costs and prices, fast.

:func:`cartera.scenarios.whatif.portfolio_without` reruns the engine's
portfolio summary (ibis → SQL → DuckDB) over the per-client frame; building
and compiling that SQL alone costs tens of milliseconds, on every call. A
:class:`Simulator` arranges the frame's columns once as numpy arrays (in the
engine's order: revenue descending, ties by rank) and computes the same sums
as :func:`cartera.engine.portfolio.totals_expr` with numpy, then hands them to
the engine's own :func:`~cartera.engine.portfolio.from_totals`, so every
figure (profit, coverage, HHI, the Pareto point and band, the segment mix) is
derived exactly as in the analysis. A parity test holds it equal to the
engine's full recomputation.

The adjustments (:func:`adjust_frame`) are another hourly cost (service cost
at the new rate) and a structure price cut (structure clients' revenue and
margin cut, their costs unchanged).
"""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import polars as pl

from cartera.engine.portfolio import from_totals
from cartera.engine.window import AGING_BUCKETS
from cartera.errors import UnknownClientError
from cartera.result import SEGMENTS, Portfolio, PortfolioAnalysis, WhatIfResult
from cartera.settings import Settings

__all__ = ["Simulator", "adjust_frame"]

_EPS = 1e-9
_TOP = (1, 5, 10)
_AGING = tuple(f"aging_{name}" for name, _lo, _hi in AGING_BUCKETS)
#: Float columns the sums read, kept as numpy arrays (null as NaN).
_MONEY = ("revenue", "gross_margin", "cost_to_serve", "net_contribution", "service_hours",
          "service_cost", *_AGING)  # fmt: skip
_STRUCTURE = SEGMENTS.index("structure")
#: The simulator of each analysis in memory (by id, with a weak reference to check it).
_KEPT: dict[int, tuple[weakref.ref[PortfolioAnalysis], Simulator]] = {}
_KEPT_LOCK = threading.Lock()


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


def _sum(values: np.ndarray) -> float | None:
    """SQL's SUM: nulls (NaN) skipped, ``None`` when nothing is left."""
    total = float(values.sum())
    if not math.isnan(total):
        return total if values.size else None
    present = values[~np.isnan(values)]
    return float(present.sum()) if present.size else None


def _by_segment(values: np.ndarray, seg: np.ndarray, counts: np.ndarray) -> list[float | None]:
    """SQL's ``SUM(values) FILTER (segment = s)`` for each segment code (``None``: no value)."""
    valid = ~np.isnan(values)
    if valid.all():
        sums, present = np.bincount(seg, weights=values, minlength=counts.size), counts
    else:
        inside = seg[valid]
        sums = np.bincount(inside, weights=values[valid], minlength=counts.size)
        present = np.bincount(inside, minlength=counts.size)
    return [float(sums[i]) if present[i] else None for i in range(len(SEGMENTS))]


def _forget(key: int, simulator: Simulator) -> None:
    with _KEPT_LOCK:
        if key in _KEPT and _KEPT[key][1] is simulator:
            del _KEPT[key]


class Simulator:
    """One analysis' per-client frame, arranged once for many what-ifs.

    Parameters
    ----------
    frame
        The per-client frame (``PortfolioAnalysis.clients_frame``): ``id``,
        ``segment``, the money columns :func:`~cartera.engine.portfolio.summarise`
        reads, ``service_cost`` and, when present, ``rank`` (ties in revenue are
        ordered by it, else by id, as in the engine).
    settings
        The settings the frame was computed with (its service cost is at their
        hourly cost).

    Building one copies about a dozen columns (a few tens of megabytes at
    500,000 clients); :meth:`of` keeps one per analysis in memory.
    """

    def __init__(self, frame: pl.DataFrame, settings: Settings) -> None:
        self.frame = frame
        tiebreak = "rank" if "rank" in frame.columns else "id"
        frame = frame if frame[tiebreak].is_sorted() else frame.sort(tiebreak)
        self.settings = settings
        self.ids = frame["id"].cast(pl.String)
        self._names = frame["name"] if "name" in frame.columns else pl.Series([""] * frame.height)
        self.size = frame.height
        cols: dict[str, np.ndarray] = {}
        for name in _MONEY:
            series = frame[name] if name in frame.columns else pl.Series(name, [0.0] * self.size)
            cols[name] = series.cast(pl.Float64).to_numpy().astype(np.float64, copy=True)
        self._cols = cols
        self._hours = np.nan_to_num(cols["service_hours"], nan=0.0)
        self._service = np.nan_to_num(cols["service_cost"], nan=0.0)
        codes = frame["segment"].replace_strict(
            {s: i for i, s in enumerate(SEGMENTS)}, default=len(SEGMENTS), return_dtype=pl.Int8
        )
        self._segment = codes.to_numpy()
        # Revenue descending, ties in tiebreak order (a stable sort of rows in that order).
        self._order = np.argsort(-cols["revenue"], kind="stable")

    @classmethod
    def of(cls, analysis: PortfolioAnalysis) -> Simulator:
        """The simulator of ``analysis``, built on first use and kept while it lives."""
        frame = analysis.clients_frame
        key = id(analysis)
        with _KEPT_LOCK:
            kept = _KEPT.get(key)
        if kept is not None and kept[0]() is analysis and kept[1].frame is frame:
            return kept[1]
        simulator = cls(frame, analysis._settings or Settings())
        with _KEPT_LOCK:
            _KEPT[key] = (weakref.ref(analysis), simulator)
        weakref.finalize(analysis, _forget, key, simulator)
        return simulator

    # -- which clients -------------------------------------------------------

    def resolve(self, ids: Iterable[str]) -> list[str]:
        """The ids asked for, stripped and de-duplicated, in order; unknown ones refused.

        Raises
        ------
        UnknownClientError
            As :func:`cartera.scenarios.whatif.resolve_ids` (with close matches).
        """
        wanted = list(dict.fromkeys(i.strip() for i in ids if i and i.strip()))
        if not wanted:
            return []
        found = set(self.ids.filter(self.ids.is_in(wanted)).to_list())
        if len(found) < len(wanted):
            from cartera.scenarios.whatif import resolve_ids

            frame = pl.DataFrame({"id": self.ids, "name": self._names.fill_null("")})
            resolve_ids(frame, wanted)  # raises with the close matches
            raise UnknownClientError([i for i in wanted if i not in found], {})
        return wanted

    def mask(self, ids: Sequence[str]) -> np.ndarray:
        """True for the rows of the clients ``ids``."""
        if not ids:
            return np.zeros(self.size, dtype=bool)
        return self.ids.is_in(list(ids)).to_numpy()

    # -- figures -------------------------------------------------------------

    def portfolio(
        self, settings: Settings, *, lost: Sequence[str] = (), price_cut: float = 0.0
    ) -> Portfolio:
        """The portfolio under ``settings`` with structure prices cut, without ``lost``.

        Equal to ``summarise(adjust_frame(frame, …) without lost, settings)``:
        service cost at ``settings.hourly_cost`` (the frame's is at the
        simulator's settings'), ``price_cut`` (0–1) off structure clients'
        revenue and margin. ``lost`` must be known ids (see :meth:`resolve`).
        """
        c = self._cols
        revenue, gross, cts, net = (c["revenue"], c["gross_margin"], c["cost_to_serve"],
                                    c["net_contribution"])  # fmt: skip
        order = self._order
        if settings.hourly_cost != self.settings.hourly_cost or price_cut != 0:
            # The same operations, in the same order, as adjust_frame (same floats).
            delta = self._hours * settings.hourly_cost - self._service
            cut = np.where(self._segment == _STRUCTURE, revenue * price_cut, 0.0)
            cts = cts + delta
            net = net - delta - cut
            if price_cut != 0:
                revenue = revenue - cut
                gross = gross - cut
                order = np.argsort(-revenue, kind="stable")
        keep = ~self.mask(lost) if lost else None
        if keep is not None:
            order = order[keep[order]]

        def kept(values: np.ndarray) -> np.ndarray:
            return values if keep is None else values[keep]

        ranked = revenue[order]  # revenue, largest first (ties in rank order)
        row = self._totals(ranked, kept(revenue), kept(gross), kept(cts), kept(net),
                           kept(self._segment))  # fmt: skip
        row["revenue"] = _sum(kept(revenue))
        row["service_hours"] = _sum(kept(c["service_hours"]))
        for name in _AGING:
            row[name] = _sum(kept(c[name]))

        def large(positive: float, flag: float) -> list[str]:
            big = np.flatnonzero(ranked >= flag * positive - _EPS * positive)
            ids = self.ids.gather(order[big]).to_list()
            chosen = sorted(zip((-float(ranked[i]) for i in big), ids, strict=True))
            return [i for _r, i in chosen]

        return from_totals(row, settings, large)

    @staticmethod
    def _totals(
        ranked: np.ndarray,
        rev: np.ndarray,
        gm: np.ndarray,
        cts: np.ndarray,
        nc: np.ndarray,
        seg: np.ndarray,
    ) -> dict[str, Any]:
        """:func:`~cartera.engine.portfolio.totals_expr`'s sums (``ranked``: revenue in order)."""
        pos = np.maximum(ranked, 0.0)
        running = np.cumsum(pos)
        total = running[-1] if running.size else 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            before = (running - pos) / total
        gains = _sum(nc[nc > 0])
        best = float(np.nanmax(nc)) if nc.size and not np.isnan(nc).all() else None
        gm_structure = gm[seg == _STRUCTURE]
        row: dict[str, Any] = {
            "clients": int(ranked.size),
            "positive_clients": int(np.count_nonzero(pos)),
            "gross_margin": _sum(gm),
            "positive_revenue": float(running[-1]) if running.size else None,
            "sum_sq": float((pos * pos).sum()) if pos.size else None,
            "n80": int(np.count_nonzero((pos > 0) & (before < 0.8 - _EPS))),
            "cost_to_serve": _sum(cts),
            "net_contribution": _sum(nc),
            "structure_margin": _sum(gm_structure),
            "whale_peak": gains if gains is not None else best,
        }
        for k in _TOP:
            row[f"top{k}"] = float(running[min(k, running.size) - 1]) if running.size else None
        counts = np.bincount(seg, minlength=len(SEGMENTS) + 1)
        mix = {k: _by_segment(v, seg, counts) for k, v in
               (("revenue", rev), ("gross_margin", gm), ("net_contribution", nc))}  # fmt: skip
        for i, name in enumerate(SEGMENTS):
            row[f"seg_{name}_clients"] = int(counts[i])
            for key, sums in mix.items():
                row[f"seg_{name}_{key}"] = sums[i]
        return row

    def hours(self, lost: Sequence[str]) -> float:
        """Service hours of the clients ``lost`` (freed if they leave)."""
        if not lost:
            return 0.0
        return float(np.nansum(self._cols["service_hours"][self.mask(lost)]))

    def what_if(
        self,
        before: Portfolio,
        ids: Iterable[str],
        settings: Settings,
        *,
        price_cut: float = 0.0,
    ) -> WhatIfResult:
        """``before`` and the portfolio after losing ``ids`` under ``settings`` and ``price_cut``.

        Raises
        ------
        UnknownClientError
            When an id is not a client of the analysis.
        """
        from cartera.scenarios.whatif import deltas

        lost = self.resolve(ids)
        after = self.portfolio(settings, lost=lost, price_cut=price_cut)
        return WhatIfResult(before=before, after=after, delta=deltas(before, after), lost=lost,
                            hours_freed=self.hours(lost))  # fmt: skip
