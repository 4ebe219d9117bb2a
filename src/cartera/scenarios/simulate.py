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

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import polars as pl

from cartera.engine.portfolio import from_totals
from cartera.engine.window import AGING_BUCKETS
from cartera.errors import UnknownClientError
from cartera.result import SEGMENTS, Portfolio, PortfolioAnalysis, WhatIfResult
from cartera.settings import Settings

__all__ = ["Simulator", "adjust_frame", "simulate"]

_EPS = 1e-9
_TOP = (1, 5, 10)
_AGING = tuple(f"aging_{name}" for name, _lo, _hi in AGING_BUCKETS)
#: Float columns the sums read, kept as numpy arrays (null as NaN).
_MONEY = ("revenue", "gross_margin", "cost_to_serve", "net_contribution", "service_hours",
          "service_cost", *_AGING)  # fmt: skip
_STRUCTURE = SEGMENTS.index("structure")


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
    present = values[~np.isnan(values)]
    return float(present.sum()) if present.size else None


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
    500,000 clients); keep it with the analysis it came from.
    """

    def __init__(self, frame: pl.DataFrame, settings: Settings) -> None:
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
        codes = frame["segment"].replace_strict(
            {s: i for i, s in enumerate(SEGMENTS)}, default=len(SEGMENTS), return_dtype=pl.Int8
        )
        self._segment = codes.to_numpy()
        # Revenue descending, ties in tiebreak order (a stable sort of rows in that order).
        self._order = np.argsort(-cols["revenue"], kind="stable")

    @classmethod
    def of(cls, analysis: PortfolioAnalysis, settings: Settings | None = None) -> Simulator:
        """The simulator of ``analysis`` (``settings``: those it was computed with)."""
        return cls(analysis.clients_frame, settings or analysis._settings or Settings())

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
            hours = np.nan_to_num(c["service_hours"], nan=0.0)
            delta = hours * settings.hourly_cost - np.nan_to_num(c["service_cost"], nan=0.0)
            cut = np.where(self._segment == _STRUCTURE, revenue * price_cut, 0.0)
            cts = cts + delta
            net = net - delta - cut
            if price_cut != 0:
                revenue = revenue - cut
                gross = gross - cut
                order = np.argsort(-revenue, kind="stable")
        keep = ~self.mask(lost)[order] if lost else None

        def arranged(values: np.ndarray) -> np.ndarray:
            values = values[order]
            return values if keep is None else values[keep]

        rev, gm, nc = arranged(revenue), arranged(gross), arranged(net)
        seg = arranged(self._segment)
        row = self._totals(rev, gm, arranged(cts), nc, seg)
        row["service_hours"] = _sum(arranged(c["service_hours"]))
        for name in _AGING:
            row[name] = _sum(arranged(c[name]))
        ids = self.ids.to_numpy()[order]
        if keep is not None:
            ids = ids[keep]

        def large(positive: float, flag: float) -> list[str]:
            big = np.flatnonzero(rev >= flag * positive - _EPS * positive)
            chosen = sorted((-float(rev[i]), str(ids[i])) for i in big)
            return [i for _r, i in chosen]

        return from_totals(row, settings, large)

    @staticmethod
    def _totals(
        rev: np.ndarray, gm: np.ndarray, cts: np.ndarray, nc: np.ndarray, seg: np.ndarray
    ) -> dict[str, Any]:
        """:func:`~cartera.engine.portfolio.totals_expr`'s sums over rows in revenue order."""
        pos = np.maximum(rev, 0.0)
        running = np.cumsum(pos)
        total = running[-1] if running.size else 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            before = (running - pos) / total
        n80 = int(np.count_nonzero((pos > 0) & (before < 0.8 - _EPS)))
        gains = _sum(nc[nc > 0])
        best = float(np.nanmax(nc)) if np.any(~np.isnan(nc)) else None
        row: dict[str, Any] = {
            "clients": int(rev.size),
            "positive_clients": int(np.count_nonzero(pos > 0)),
            "revenue": _sum(rev),
            "gross_margin": _sum(gm),
            "positive_revenue": _sum(pos),
            "sum_sq": _sum(pos * pos),
            "n80": n80,
            "cost_to_serve": _sum(cts),
            "net_contribution": _sum(nc),
            "structure_margin": _sum(gm[seg == _STRUCTURE]),
            "whale_peak": gains if gains is not None else best,
        }
        for k in _TOP:
            row[f"top{k}"] = _sum(pos[:k])
        for i, name in enumerate(SEGMENTS):
            inside = seg == i
            row[f"seg_{name}_clients"] = int(np.count_nonzero(inside))
            row[f"seg_{name}_revenue"] = _sum(rev[inside])
            row[f"seg_{name}_gross_margin"] = _sum(gm[inside])
            row[f"seg_{name}_net_contribution"] = _sum(nc[inside])
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


def simulate(
    analysis: PortfolioAnalysis,
    ids: Iterable[str] = (),
    settings: Settings | None = None,
    *,
    price_cut: float = 0.0,
) -> WhatIfResult:
    """A what-if on an analysis in memory: lose ``ids``, under ``settings``, prices cut.

    ``before`` is the analysis' portfolio; ``after`` is computed with
    ``settings`` (default: the analysis'), e.g. other fixed costs or hourly cost.
    For many what-ifs on one analysis keep a :class:`Simulator`.
    """
    base = analysis._settings or Settings()
    sim = Simulator(analysis.clients_frame, base)
    return sim.what_if(analysis.portfolio, ids, settings or base, price_cut=price_cut)
