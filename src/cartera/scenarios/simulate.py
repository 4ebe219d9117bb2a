"""The what-if simulator on a cached analysis: lose clients, change costs and prices, fast.

:func:`cartera.scenarios.whatif.portfolio_without` reruns the engine's
portfolio summary (ibis → SQL → DuckDB) over the per-client frame; building
and compiling that SQL alone costs tens of milliseconds, on every call. A
:class:`Simulator` arranges the frame's columns once as numpy arrays (in the
engine's order: revenue descending, ties by rank) and computes the same sums
as :func:`cartera.engine.portfolio.totals_expr` with numpy, then hands them to
the engine's own :func:`~cartera.engine.figures.from_totals`, so every
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

from cartera.engine.figures import from_totals
from cartera.engine.window import AGING_BUCKETS
from cartera.errors import UnknownClientError
from cartera.result import SEGMENTS, CurvePoint, Portfolio, PortfolioAnalysis, WhatIfResult
from cartera.settings import Settings

__all__ = ["Simulator", "adjust_frame"]

_EPS = 1e-9
_TOP = (1, 5, 10)
_AGING = tuple(f"aging_{name}" for name, _lo, _hi in AGING_BUCKETS)
#: Float columns the sums read, kept as numpy arrays (null as NaN).
_MONEY = ("revenue", "gross_margin", "cost_to_serve", "net_contribution", "service_hours",
          "service_cost", *_AGING)  # fmt: skip
_STRUCTURE = SEGMENTS.index("structure")
#: Segment codes: SEGMENTS' positions, and one more for any other value.
_N_SEG = len(SEGMENTS) + 1
#: Columns summed per segment (the segment mix).
_MIX = ("revenue", "gross_margin", "net_contribution")
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


def _nansum(values: np.ndarray) -> float:
    """The sum of the non-null (non-NaN) values (0 when there are none)."""
    total = float(values.sum())
    return total if not math.isnan(total) else float(np.nansum(values))


def _inverse(order: np.ndarray) -> np.ndarray:
    """Each row's position in ``order``."""
    where = np.empty_like(order)
    where[order] = np.arange(order.size)
    return where


def _segment_sums(values: np.ndarray, seg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per segment code: the sum of the non-null values and how many there are."""
    valid = ~np.isnan(values)
    if valid.all():
        return np.bincount(seg, weights=values, minlength=_N_SEG), np.bincount(
            seg, minlength=_N_SEG
        )
    inside = seg[valid]
    return (np.bincount(inside, weights=values[valid], minlength=_N_SEG),
            np.bincount(inside, minlength=_N_SEG))  # fmt: skip


def _whale_sums(ids: pl.Series, net: np.ndarray) -> np.ndarray:
    """Running sums of the known contributions, largest first (ties by id, as the engine).

    Equal values add up to the same sums in any order, so the values are sorted
    alone (ids are strings: sorting by them too costs ten times more); except
    ``0.0`` and ``-0.0``, equal but not the same sum while nothing else was added:
    with both and no positive contribution before them, the ids order them.
    """
    known = net[~np.isnan(net)]
    ordered = np.sort(known)[::-1]
    if not (ordered > 0).any() and (ordered == 0).any() and np.signbit(known[known == 0]).any():
        frame = pl.DataFrame({"id": ids, "nc": net}).filter(pl.col("nc").is_not_nan())
        ordered = frame.sort(["nc", "id"], descending=[True, False])["nc"].to_numpy()
    return np.cumsum(ordered)


def _sampled(count: int, step: int, n: int) -> list[int]:
    """Positions (0-based) among ``count`` ranks of rank 1, every ``step``-th and rank ``n``."""
    if count == 0:
        return []
    return sorted({0, *range(step - 1, count, step), *([n - 1] if n <= count else [])})


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

    Building one reads about a dozen columns as numpy arrays (views of the frame's
    buffers where they have no nulls); :meth:`of` keeps one per analysis in memory.
    """

    def __init__(self, frame: pl.DataFrame, settings: Settings) -> None:
        self.frame = frame
        tiebreak = "rank" if "rank" in frame.columns else "id"
        #: Whether the rows are ``frame``'s, in its order (positions in it are rows here).
        self.in_frame_order = frame[tiebreak].is_sorted()
        frame = frame if self.in_frame_order else frame.sort(tiebreak)
        self.settings = settings
        self.ids = frame["id"].cast(pl.String)
        self._names = frame["name"] if "name" in frame.columns else pl.Series([""] * frame.height)
        self.size = frame.height
        cols: dict[str, np.ndarray] = {}
        for name in _MONEY:
            series = frame[name] if name in frame.columns else pl.Series(name, [0.0] * self.size)
            # Read only: a view of the frame's own buffer when it has no nulls (no copy).
            cols[name] = series.cast(pl.Float64).to_numpy()
        self._cols = cols
        self._hours = np.nan_to_num(cols["service_hours"], nan=0.0)
        self._service = np.nan_to_num(cols["service_cost"], nan=0.0)
        codes = frame["segment"].replace_strict(
            {s: i for i, s in enumerate(SEGMENTS)}, default=len(SEGMENTS), return_dtype=pl.Int8
        )
        self._segment = codes.to_numpy()
        # Revenue descending, ties in tiebreak order (a stable sort of rows in that order).
        self._order = np.argsort(-cols["revenue"], kind="stable")
        self._where = _inverse(self._order)
        # Whole-column sums and per-segment sums, subtracted from when clients are lost.
        self._valid = {k: int(np.count_nonzero(~np.isnan(v))) for k, v in cols.items()}
        self._sums = {k: _nansum(v) for k, v in cols.items()}
        self._seg_counts = np.bincount(self._segment, minlength=_N_SEG)
        self._seg_sums = {k: _segment_sums(cols[k], self._segment) for k in _MIX}

    @classmethod
    def of(cls, analysis: PortfolioAnalysis) -> Simulator:
        """The simulator of ``analysis``, built on first use and kept while it lives."""
        frame = analysis.clients_frame
        with _KEPT_LOCK:
            kept = _KEPT.get(id(analysis))
        if kept is not None and kept[0]() is analysis and kept[1].frame is frame:
            return kept[1]
        return cls(frame, analysis._settings or Settings()).keep(analysis)

    def keep(self, analysis: PortfolioAnalysis) -> Simulator:
        """Keep this simulator as ``analysis``' own (what :meth:`of` returns) while it lives.

        For the analysis that built it from its frame and settings (the
        analysis' portfolio and curves come from it).
        """
        key = id(analysis)
        with _KEPT_LOCK:
            _KEPT[key] = (weakref.ref(analysis), self)
        weakref.finalize(analysis, _forget, key, self)
        return self

    def curves(self, points: int) -> tuple[list[CurvePoint], list[CurvePoint]]:
        """The Pareto and whale curves, as :func:`cartera.engine.portfolio.curves` samples them.

        Pareto: cumulative share of the positive revenue by revenue rank; whale:
        cumulative net contribution by contribution rank (ties by id), each
        sampled every ``ceil(n / (points - 3))`` ranks plus the first and last.
        """
        n = self.size
        if n == 0:
            return [], []
        step = max(1, math.ceil(n / (points - 3)))  # + first, last and the origin
        ranked = np.maximum(self._cols["revenue"][self._order], 0.0)
        running = np.cumsum(ranked)
        total = float(running[-1])
        shares = running / total if total > 0 else np.zeros(n)
        pareto = [CurvePoint(x=0.0, y=0.0)] + [
            CurvePoint(x=(i + 1) / n, y=float(shares[i])) for i in _sampled(n, step, n)
        ]
        cumulative = _whale_sums(self.ids, self._cols["net_contribution"])
        whale = [
            CurvePoint(x=(i + 1) / n, y=float(cumulative[i]))
            for i in _sampled(cumulative.size, step, n)
        ]
        return pareto, ([CurvePoint(x=0.0, y=0.0), *whale] if whale else [])

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

    def rows(self, ids: Sequence[str]) -> np.ndarray:
        """Row positions of the clients ``ids``."""
        if not ids:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(self.ids.is_in(list(ids)).to_numpy())

    # -- figures -------------------------------------------------------------

    def portfolio(
        self,
        settings: Settings,
        *,
        lost: Sequence[str] = (),
        price_cut: float = 0.0,
        lost_at: np.ndarray | None = None,
    ) -> Portfolio:
        """The portfolio under ``settings`` with structure prices cut, without ``lost``.

        Equal to ``summarise(adjust_frame(frame, …) without lost, settings)``:
        service cost at ``settings.hourly_cost`` (the frame's is at the
        simulator's settings'), ``price_cut`` (0–1) off structure clients'
        revenue and margin. ``lost`` must be known ids (see :meth:`resolve`);
        ``lost_at``, when the caller has them, are their positions in the frame the
        simulator was built from (no look-up of the ids; used when its rows are in
        that frame's order). Sums over the clients kept are the whole column's minus
        the lost rows'.
        """
        c = self._cols
        money = {k: c[k] for k in _MONEY}
        order, where = self._order, self._where
        if settings.hourly_cost != self.settings.hourly_cost or price_cut != 0:
            # The same operations, in the same order, as adjust_frame (same floats).
            delta = self._hours * settings.hourly_cost - self._service
            money["cost_to_serve"] = c["cost_to_serve"] + delta
            money["net_contribution"] = c["net_contribution"] - delta
            if price_cut != 0:
                cut = np.where(self._segment == _STRUCTURE, c["revenue"] * price_cut, 0.0)
                money["net_contribution"] = money["net_contribution"] - cut
                money["revenue"] = c["revenue"] - cut
                money["gross_margin"] = c["gross_margin"] - cut
                order = np.argsort(-money["revenue"], kind="stable")
                where = _inverse(order)
        if lost_at is not None and self.in_frame_order:
            rows = np.unique(np.asarray(lost_at, dtype=np.int64))  # as rows() gives them
        else:
            rows = self.rows(lost)
        ranked = np.maximum(money["revenue"][order], 0.0)  # positive revenue, largest first
        at = np.sort(where[rows])
        ranked[at] = 0.0  # a lost client adds nothing to the running sums
        row = self._ranked_sums(ranked, at, self.size - rows.size)
        for name in ("revenue", "gross_margin", "cost_to_serve", "net_contribution",
                     "service_hours", *_AGING):  # fmt: skip
            row[name] = self._total(money[name], name, rows)
        row.update(self._mix(money, rows))
        row["structure_margin"] = row["seg_structure_gross_margin"]
        row["whale_peak"] = self._whale_peak(money["net_contribution"], rows)
        revenue = money["revenue"]

        def large(positive: float, flag: float) -> list[str]:
            big = np.setdiff1d(np.flatnonzero(revenue >= flag * positive - _EPS * positive), rows)
            ids = self.ids.gather(big).to_list()
            chosen = sorted(zip((-float(revenue[i]) for i in big), ids, strict=True))
            return [i for _r, i in chosen]

        return from_totals(row, settings, large)

    @staticmethod
    def _ranked_sums(ranked: np.ndarray, at: np.ndarray, clients: int) -> dict[str, Any]:
        """Pareto sums over the positive revenue in order (lost clients' entries are 0)."""
        running = np.cumsum(ranked)
        total = running[-1] if running.size else 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            before = (running - ranked) / total
        row: dict[str, Any] = {
            "clients": clients,
            "positive_clients": int(np.count_nonzero(ranked)),
            "positive_revenue": float(total) if clients else None,
            "sum_sq": float((ranked * ranked).sum()) if clients else None,
            "n80": int(np.count_nonzero((ranked > 0) & (before < 0.8 - _EPS))),
        }
        # The first k kept clients: skip the lost ones among the first positions.
        first = ranked[: _TOP[-1] + at.size]
        first = np.delete(first, at[at < first.size]) if at.size else first
        for k in _TOP:
            row[f"top{k}"] = float(first[:k].sum()) if clients else None
        return row

    def _total(self, values: np.ndarray, name: str, rows: np.ndarray) -> float | None:
        """SQL's SUM over the kept rows: nulls skipped, ``None`` when nothing is left."""
        lost = values[rows]
        valid = self._valid[name] - int(np.count_nonzero(~np.isnan(lost)))
        if valid <= 0:
            return None
        whole = self._sums[name] if values is self._cols[name] else _nansum(values)
        return whole - _nansum(lost) if rows.size else whole

    def _mix(self, money: dict[str, np.ndarray], rows: np.ndarray) -> dict[str, Any]:
        """The segment mix over the kept rows (clients and sums per segment)."""
        seg = self._segment
        lost_seg = seg[rows]
        counts = self._seg_counts - np.bincount(lost_seg, minlength=_N_SEG)
        out: dict[str, Any] = {}
        for i, name in enumerate(SEGMENTS):
            out[f"seg_{name}_clients"] = int(counts[i])
        for key in _MIX:
            values = money[key]
            sums, present = (self._seg_sums[key] if values is self._cols[key]
                             else _segment_sums(values, seg))  # fmt: skip
            if rows.size:
                lost = values[rows]
                ok = ~np.isnan(lost)
                sums = sums - np.bincount(lost_seg[ok], weights=lost[ok], minlength=_N_SEG)
                present = present - np.bincount(lost_seg[ok], minlength=_N_SEG)
            for i, name in enumerate(SEGMENTS):
                out[f"seg_{name}_{key}"] = float(sums[i]) if present[i] > 0 else None
        return out

    @staticmethod
    def _whale_peak(net: np.ndarray, rows: np.ndarray) -> float | None:
        """Sum of the kept positive contributions; without any, the best contribution."""
        gaining = net > 0
        lost = net[rows]
        lost_gaining = lost > 0
        if np.count_nonzero(gaining) > np.count_nonzero(lost_gaining):
            return float(net[gaining].sum()) - float(lost[lost_gaining].sum())
        kept = np.delete(net, rows) if rows.size else net
        return float(np.nanmax(kept)) if kept.size and not np.isnan(kept).all() else None

    def hours(self, lost: Sequence[str]) -> float:
        """Service hours of the clients ``lost`` (freed if they leave)."""
        if not lost:
            return 0.0
        return float(np.nansum(self._cols["service_hours"][self.rows(lost)]))

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
