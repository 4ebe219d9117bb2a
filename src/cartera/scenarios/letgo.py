"""The let-go plan: let every ``let_go`` client go at once, or renegotiate each.

Letting go changes profit by minus the clients' net contribution and frees
their service hours; the concentration after comes from the engine's portfolio
summary. The alternative for each client is the smallest change that makes it
break even (net contribution ≥ 0):

* a price rise ``r = −net_contribution / revenue`` (the rise goes straight to
  margin because the cost of the goods does not change), or
* shorter payment terms: the financing cost grows with the days a client takes
  to pay, so paying in ``T`` instead of ``D`` days saves
  ``financing_cost · (1 − T/D)``. ``T`` is the longest usual term
  (:data:`USUAL_TERMS`) whose saving covers the gap; when not even cash
  payment covers it, only a price rise can.

A client that already breaks even (a late payer with positive contribution)
gets the target terms of the settings instead (60 days by default, the
Spanish B2B ceiling) and the financing cost that would save.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import numpy as np
import polars as pl

from cartera.result import Portfolio

if TYPE_CHECKING:
    from cartera.scenarios.simulate import Simulator

__all__ = [
    "USUAL_TERMS",
    "LetGoPlan",
    "Renegotiation",
    "let_go_plan",
    "renegotiation",
    "renegotiation_table",
    "renegotiations",
]

#: Payment terms offered when renegotiating, in days (longest first); 0 is cash.
USUAL_TERMS = (120, 90, 60, 45, 30, 15, 0)
#: The per-client columns :func:`renegotiation` reads.
_ROW_COLUMNS = ("id", "name", "revenue", "net_contribution", "financing_cost", "days_to_pay")
#: The per-client columns :func:`let_go_plan` selects its clients and sums by.
_PLAN_COLUMNS = (*_ROW_COLUMNS, "segment", "image", "action", "service_hours", "overdue")


class Renegotiation(NamedTuple):
    """What would make one client break even (or pay on target terms).

    A named tuple, not a dataclass: a tuple is built several times faster (the
    plans keep their tens of thousands as columns, :attr:`LetGoPlan.table`).
    """

    client: str
    name: str
    contribution: float | None
    revenue: float
    price_rise: float | None  # fraction of revenue; 0 when it already breaks even
    terms_days: int | None  # new terms that close the gap alone; None: price only
    current_days: float | None  # amount-weighted days to pay today
    gain: float | None  # contribution gained by the terms change alone

    def as_params(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in PARAM_COLUMNS}


#: The columns of :func:`renegotiation_table`: :class:`Renegotiation`'s fields, typed.
_TABLE_SCHEMA = {"client": pl.String, "name": pl.String, "contribution": pl.Float64,
                 "revenue": pl.Float64, "price_rise": pl.Float64, "terms_days": pl.Int64,
                 "current_days": pl.Float64, "gain": pl.Float64}  # fmt: skip
#: The fields a recommendation lists for each alternative (:meth:`Renegotiation.as_params`).
PARAM_COLUMNS = ("client", "name", "contribution", "price_rise", "terms_days", "current_days",
                 "gain")  # fmt: skip


@dataclass(frozen=True)
class LetGoPlan:
    """The effect of letting go ``clients`` at once, and each one's alternative.

    ``table`` holds the alternatives as columns (:class:`Renegotiation`'s fields, one row per
    client of ``clients``, in their order): at tens of thousands of clients one
    object each costs more than the recommendation that lists them needs.
    """

    clients: list[str]
    profit_change: float | None
    revenue_lost: float
    hours_freed: float
    overdue_freed: float
    before: Portfolio
    after: Portfolio | None
    table: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=_TABLE_SCHEMA))

    @property
    def alternatives(self) -> list[Renegotiation]:
        """One :class:`Renegotiation` per client, in the order of ``clients``."""
        return list(map(Renegotiation._make, self.table.rows()))


def renegotiation(row: dict[str, Any], target_terms: int) -> Renegotiation:
    """Break-even price rise and payment terms of one client.

    Parameters
    ----------
    row
        One row of the per-client frame: ``id, name, revenue, net_contribution,
        financing_cost, days_to_pay``.
    """
    return _renegotiation(
        row["id"],
        row.get("name"),
        row.get("revenue"),
        row.get("net_contribution"),
        row.get("days_to_pay"),
        row.get("financing_cost"),
        target_terms,
    )


def renegotiations(frame: pl.DataFrame, target_terms: int) -> list[Renegotiation]:
    """:func:`renegotiation` of every row of ``frame``, in order, from its columns."""
    return list(map(Renegotiation._make, renegotiation_table(frame, target_terms).rows()))


def renegotiation_table(frame: pl.DataFrame, target_terms: int) -> pl.DataFrame:
    """:func:`renegotiations` as a frame: one row per row of ``frame``, a column per
    :class:`Renegotiation` field.

    The same arithmetic on the same float64 values, as whole-column numpy
    operations (IEEE rounding makes each element's result the one Python's
    floats give): at hundreds of thousands of let-go clients the row-by-row
    branches cost more than the sums. Nulls where :func:`renegotiation` gives
    ``None``.
    """
    n = frame.height

    def values(name: str) -> tuple[np.ndarray, np.ndarray]:
        """The column as float64 (null as NaN) and its null mask (a missing column: all null)."""
        if name not in frame.columns:
            return np.full(n, np.nan), np.ones(n, dtype=bool)
        series = frame[name].cast(pl.Float64)
        return series.to_numpy().astype(np.float64), series.is_null().to_numpy()

    def or_zero(name: str) -> np.ndarray:
        """``float(value or 0.0)``: null and ±0 become 0.0, NaN stays."""
        column, null = values(name)
        return np.where(null | (column == 0.0), 0.0, column)

    revenue, financing = or_zero("revenue"), or_zero("financing_cost")
    contribution, no_contribution = values("net_contribution")
    days, no_days = values("days_to_pay")
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.where(-contribution > 0.0, -contribution, 0.0)  # max(0.0, -c)
        price_rise = gap / revenue
        longest = days * (1.0 - gap / financing)
        # Terms apply with a contribution, a positive number of days and a financing cost.
        can = ~no_contribution & (days > 0) & (financing > 0)
        closing = can & (gap > 0) & (longest >= 0)  # the longest usual terms that close the gap
        usual = np.select([longest >= t for t in USUAL_TERMS], USUAL_TERMS, default=0)
        target = can & ~(gap > 0) & (days > target_terms)  # already even: the target terms
        terms = np.where(closing, usual, target_terms)
        has_terms = closing | target
        gain = financing * (1.0 - terms / days)

    def nullable(column: np.ndarray, null: np.ndarray, dtype: Any = pl.Float64) -> pl.Series:
        """``column`` as a polars Series with nulls (Python ``None``) where ``null``."""
        return pl.Series(column, dtype=dtype).scatter(np.flatnonzero(null), None)

    has_names = "name" in frame.columns
    names = frame["name"].cast(pl.String) if has_names else pl.repeat("", n, eager=True)
    columns = {
        "client": frame["id"].cast(pl.String),
        "name": names.fill_null(""),
        "contribution": nullable(contribution, no_contribution),
        "revenue": pl.Series(revenue, dtype=pl.Float64),
        "price_rise": nullable(price_rise, no_contribution | ~(revenue > 0)),
        "terms_days": nullable(terms, ~has_terms, pl.Int64),
        "current_days": nullable(days, no_days),
        "gain": nullable(gain, ~has_terms),
    }
    return pl.DataFrame(columns)


def _renegotiation(
    client: Any,
    name: Any,
    revenue_value: Any,
    contribution: Any,
    days: Any,
    financing_value: Any,
    target_terms: int,
) -> Renegotiation:
    revenue = float(revenue_value or 0.0)
    financing = float(financing_value or 0.0)
    price_rise: float | None = None
    terms: int | None = None
    gain: float | None = None
    if contribution is not None:
        gap = max(0.0, -float(contribution))
        price_rise = gap / revenue if revenue > 0 else None
        if days is not None and days > 0 and financing > 0:
            if gap > 0:
                longest = float(days) * (1.0 - gap / financing)
                terms = next((t for t in USUAL_TERMS if t <= longest), None)
                terms = terms if longest >= 0 else None
            elif days > target_terms:
                terms = target_terms
            if terms is not None:
                gain = financing * (1.0 - terms / float(days))
    return Renegotiation(
        client=str(client),
        name=str(name or ""),
        contribution=None if contribution is None else float(contribution),
        revenue=revenue,
        price_rise=price_rise,
        terms_days=terms,
        current_days=None if days is None else float(days),
        gain=gain,
    )


def let_go_plan(
    frame: pl.DataFrame,
    before: Portfolio,
    settings: Any,
    *,
    only: Literal["all", "losing", "contributing"] = "all",
    simulator: Simulator | None = None,
) -> LetGoPlan:
    """Let every ``action == "let_go"`` client go at once (image clients never).

    Parameters
    ----------
    frame
        The per-client frame: ``id, name, segment, image, action, revenue,
        net_contribution, service_hours, overdue, financing_cost, days_to_pay``.
    before
        The portfolio today.
    only
        ``losing``: just those with a negative (or unknown) net contribution, whose
        departure raises profit; ``contributing``: the clients with a let-go reason
        that still pay their way (action ``renegotiate`` outside the structure and
        image segments, and any the firm's policy lets go), whose departure costs
        profit: renegotiate first.
    simulator
        The frame's :class:`~cartera.scenarios.simulate.Simulator`, when the caller
        has one: it computes the portfolio after (else the engine's summary does).
    """
    # The columns the plan reads, so that filters copy a fraction of the frame; and each
    # row's position, so that the simulator need not look the ids up.
    narrow = frame.select(
        *(c for c in _PLAN_COLUMNS if c in frame.columns), _at=pl.int_range(pl.len())
    )
    chosen = let_go_clients(narrow)
    losing = pl.col("net_contribution").is_null() | (pl.col("net_contribution") < 0)
    if only == "losing":
        chosen = chosen.filter(losing)
    elif only == "contributing":
        chosen = pl.concat([chosen.filter(~losing), renegotiate_clients(narrow)])
    # The columns a renegotiation reads, the worst contribution first.
    wanted = [c for c in _ROW_COLUMNS if c in chosen.columns]
    rows = chosen.select(wanted).sort("net_contribution", nulls_last=True)
    table = renegotiation_table(rows, settings.targets.target_terms_days)
    ids = table["client"].to_list()
    contribution = chosen["net_contribution"]
    profit_change: float | None = 0.0
    if ids:
        known = contribution.null_count() < len(ids)
        profit_change = -float(contribution.sum()) if known else None
    return LetGoPlan(
        clients=ids,
        profit_change=profit_change,
        revenue_lost=float(chosen["revenue"].sum() or 0.0),
        hours_freed=float(chosen["service_hours"].fill_null(0).sum() or 0.0),
        overdue_freed=float(chosen["overdue"].fill_null(0).sum() or 0.0),
        before=before,
        after=_after(frame, ids, chosen["_at"], settings, simulator) if ids else None,
        table=table,
    )


def _after(
    frame: pl.DataFrame, ids: list[str], at: pl.Series, settings: Any, simulator: Simulator | None
) -> Portfolio:
    from cartera.scenarios.whatif import portfolio_without

    if simulator is not None:
        lost_at = at.to_numpy() if simulator.frame is frame else None
        return simulator.portfolio(settings, lost=ids, lost_at=lost_at)
    return portfolio_without(frame, ids, settings)


def let_go_clients(frame: pl.DataFrame, *, exclude_image: bool = True) -> pl.DataFrame:
    """Rows with action ``let_go``; image clients (segment or flag) are kept out."""
    if frame.height == 0:
        return frame
    chosen = frame.filter(pl.col("action") == "let_go")
    if exclude_image:
        chosen = chosen.filter(~is_image(frame))
    return chosen


def renegotiate_clients(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows with action ``renegotiate`` for a let-go reason: not structure, not image clients."""
    if frame.height == 0:
        return frame
    return frame.filter(
        (pl.col("action") == "renegotiate") & (pl.col("segment") != "structure") & ~is_image(frame)
    )


def is_image(frame: pl.DataFrame) -> pl.Expr:
    """True for an image client, by segment or by the clients file's flag (if any)."""
    by_segment = pl.col("segment") == "image"
    if "image" not in frame.columns:
        return by_segment
    return by_segment | pl.col("image").fill_null(False)
