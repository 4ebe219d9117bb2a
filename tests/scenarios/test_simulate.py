"""The fast what-if simulator equals the engine's full recomputation.

For random portfolios, ticked clients and slider positions (fixed costs,
hourly cost, structure price cut) the :class:`Simulator`'s portfolio equals
``summarise`` run by the engine over the adjusted frame without the lost
clients: money to the cent, counts and bands exactly, shares and HHI to
rounding.
"""

from __future__ import annotations

import math
from typing import Any

import ibis
import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from cartera.engine.portfolio import curves, summarise
from cartera.errors import UnknownClientError
from cartera.result import SEGMENTS, Portfolio
from cartera.scenarios.simulate import Simulator, _whale_sums, adjust_frame
from cartera.scenarios.whatif import portfolio_without, what_if
from cartera.settings import Settings

from .portfolios import AGING, TINY, TINY_SETTINGS, analysis, frame

BASE_HOURLY = 40.0
MONEY = st.one_of(
    st.sampled_from([0.0, 100.0, 250.0, 1000.0, -50.0]),  # ties and zeros
    st.floats(-5_000, 200_000, allow_nan=False).map(lambda x: round(x, 2)),
)


@st.composite
def portfolios(draw: st.DrawFn) -> pl.DataFrame:
    n = draw(st.integers(0, 30))
    has_cost = draw(st.booleans())
    rows: list[dict[str, Any]] = []
    for i in range(n):
        revenue = draw(MONEY)
        hours = draw(st.one_of(st.none(), st.floats(0, 200).map(lambda x: round(x, 1))))
        service = (hours or 0.0) * BASE_HOURLY
        row: dict[str, Any] = {
            "id": f"C{i:03d}",
            "name": f"Cliente {i}",
            "segment": draw(st.sampled_from(SEGMENTS)),
            "revenue": revenue,
            "gross_margin": round(revenue * draw(st.floats(-0.2, 0.6)), 2) if has_cost else None,
            "cost_to_serve": service + draw(st.sampled_from([0.0, 15.5, 120.0])),
            "service_hours": hours,
            **{f"aging_{b}": draw(st.sampled_from([0.0, 10.0, 333.33])) for b in AGING},
        }
        rows.append(row)
    df = frame(rows)
    services = {r["id"]: (r["service_hours"] or 0.0) * BASE_HOURLY for r in rows}
    return df.with_columns(service_cost=pl.col("id").replace_strict(services, default=0.0))


def engine(df: pl.DataFrame, lost: list[str], settings: Settings, cut: float) -> Portfolio:
    """The engine's full recomputation: adjust the frame, drop the lost, summarise in SQL."""
    adjusted = adjust_frame(df, hourly_cost=settings.hourly_cost, old_hourly_cost=BASE_HOURLY,
                            structure_price_cut=cut)  # fmt: skip
    kept = adjusted.filter(~pl.col("id").is_in(lost))
    return summarise(ibis.memtable(kept.to_arrow()), settings)


MONEY_KEYS = {"revenue", "gross_margin", "cost_to_serve", "net_contribution", "fixed_costs",
              "profit", "service_hours", "amount"}  # fmt: skip


def same(fast: Any, full: Any, key: str = "") -> None:
    """Equal: money to the cent, other floats to rounding, the rest exactly."""
    if isinstance(full, dict):
        assert fast.keys() == full.keys(), key
        for k in full:
            same(fast[k], full[k], k)
    elif isinstance(full, list):
        assert len(fast) == len(full), key
        for a, b in zip(fast, full, strict=True):
            same(a, b, key)
    elif isinstance(full, float) and not isinstance(full, bool):
        assert isinstance(fast, float), (key, fast, full)
        if key in MONEY_KEYS:
            assert abs(fast - full) < 0.005, (key, fast, full)
        else:
            assert math.isclose(fast, full, rel_tol=1e-9, abs_tol=1e-9), (key, fast, full)
    else:
        assert fast == full, (key, fast, full)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    df=portfolios(),
    picks=st.lists(st.integers(0, 29), max_size=5),
    hourly=st.sampled_from([BASE_HOURLY, 0.0, 25.0, 63.5]),
    cut=st.sampled_from([0.0, 0.05, 0.1, 0.5, 0.9]),
    fixed=st.sampled_from([0.0, 1000.0, 250_000.0]),
)
def test_simulator_equals_the_engine(
    df: pl.DataFrame, picks: list[int], hourly: float, cut: float, fixed: float
) -> None:
    ids = df["id"].to_list()
    lost = list(dict.fromkeys(ids[i] for i in picks if i < len(ids)))
    chosen = Settings(fixed_costs=fixed, hourly_cost=hourly)
    sim = Simulator(df, Settings(hourly_cost=BASE_HOURLY))
    fast = sim.portfolio(chosen, lost=lost, price_cut=cut)
    same(fast.model_dump(), engine(df, lost, chosen, cut).model_dump())


@hsettings(max_examples=40, deadline=None)  # two SQL windows an example: slow when loaded
@given(df=portfolios(), points=st.sampled_from([4, 5, 7, 500]))
def test_simulator_curves_equal_the_engine(df: pl.DataFrame, points: int) -> None:
    """The analysis' Pareto and whale curves (numpy) equal the engine's (SQL windows):
    the same sampled ranks (every step-th, the first and the last client, and rank n of
    the whale curve only when every client has a contribution), values to rounding."""
    fast = Simulator(df, Settings()).curves(points)
    full = curves(ibis.memtable(df.to_arrow()), points=points)
    for mine, theirs in zip(fast, full, strict=True):
        assert [p.x for p in mine] == [p.x for p in theirs]
        for a, b in zip(mine, theirs, strict=True):
            assert math.isclose(a.y, b.y, rel_tol=1e-9, abs_tol=1e-6), (a, b)


def test_whale_curve_samples_the_last_client_only_among_all() -> None:
    """Rank n (every client) is sampled; a whale curve of fewer clients ends at its own step."""
    rows = [{"id": f"C{i}", "revenue": 10.0 * (i + 1), "gross_margin": 1.0} for i in range(6)]
    df = frame(rows).with_columns(
        net_contribution=pl.when(pl.col("id") == "C0").then(None).otherwise(pl.col("gross_margin"))
    )
    pareto, whale = Simulator(df, Settings()).curves(5)  # step ceil(6 / 2) = 3
    assert [p.x for p in pareto] == [0.0, 1 / 6, 3 / 6, 6 / 6]
    assert [p.x for p in whale] == [0.0, 1 / 6, 3 / 6]  # 5 contributions: rank 5 is not n


def test_rows_in_any_order_give_the_same_portfolio() -> None:
    df = frame(TINY).with_columns(service_cost=pl.lit(0.0))
    shuffled = df.sample(fraction=1.0, shuffle=True, seed=3)
    a = Simulator(df, TINY_SETTINGS).portfolio(TINY_SETTINGS, lost=["B"])
    b = Simulator(shuffled, TINY_SETTINGS).portfolio(TINY_SETTINGS, lost=["B"])
    assert a == b


def test_the_library_what_if_equals_the_engine() -> None:
    tiny = analysis(TINY, TINY_SETTINGS)
    result = what_if(tiny, ["B", " C ", "B"])
    assert result.lost == ["B", "C"]
    assert result.hours_freed == pytest.approx(12.0)
    full = portfolio_without(tiny.clients_frame, ["B", "C"], TINY_SETTINGS)
    same(result.after.model_dump(), full.model_dump())


def test_unknown_ids_are_refused_with_close_matches() -> None:
    tiny = analysis(TINY, TINY_SETTINGS)
    with pytest.raises(UnknownClientError) as err:
        what_if(tiny, ["B", "alf"])
    assert err.value.unknown == ["alf"]
    assert "A" in err.value.suggestions["alf"]


def _whale_by_id(ids: list[str], net: list[float]) -> list[float]:
    """The whale curve's running sums as the engine orders them: contribution, then id."""
    df = pl.DataFrame({"id": ids, "nc": net}).filter(pl.col("nc").is_not_nan())
    return np.cumsum(df.sort(["nc", "id"], descending=[True, False])["nc"].to_numpy()).tolist()


def _signs(values: list[float]) -> list[tuple[float, bool]]:
    return [(v, math.copysign(1.0, v) < 0) for v in values]


@hsettings(max_examples=200, deadline=None)
@given(net=st.lists(st.sampled_from([0.0, -0.0, 5.5, -2.25, 1e-300, float("nan")]), max_size=12))
def test_whale_sums_equal_the_order_by_contribution_and_id(net: list[float]) -> None:
    ids = [f"C{(i * 7) % 13:02d}" for i in range(len(net))]
    fast = _whale_sums(pl.Series(ids, dtype=pl.String), np.array(net, dtype=np.float64))
    assert _signs(fast.tolist()) == _signs(_whale_by_id(ids, net))


def test_whale_sums_order_signed_zeros_by_id_without_positive_contributions() -> None:
    # The first id's zero starts the running sum: -0.0 runs at -0.0, 0.0 at 0.0.
    for ids, first_negative in ((["C2", "C1"], True), (["C1", "C2"], False)):
        sums = _whale_sums(pl.Series(ids), np.array([0.0, -0.0]))
        assert _signs(sums.tolist()) == [(0.0, first_negative), (0.0, False)]


@pytest.mark.parametrize("sort_first", [True, False])
def test_lost_positions_give_the_portfolio_of_the_lost_ids(sort_first: bool) -> None:
    df = frame(TINY).with_columns(service_cost=pl.lit(0.0))
    df = df.sort("rank") if sort_first else df.sort("rank", descending=True)
    sim = Simulator(df, TINY_SETTINGS)
    assert sim.in_frame_order is sort_first
    at = np.flatnonzero(df["id"].is_in(["C", "A"]).to_numpy())[::-1]  # any order
    fast = sim.portfolio(TINY_SETTINGS, lost=["A", "C"], lost_at=at)
    assert fast == sim.portfolio(TINY_SETTINGS, lost=["A", "C"]) != sim.portfolio(TINY_SETTINGS)


def test_lost_positions_of_any_numeric_dtype_are_row_positions() -> None:
    # An empty array is float64 by numpy's default; positions may come as floats or int32.
    df = frame(TINY).with_columns(service_cost=pl.lit(0.0)).sort("rank")
    sim = Simulator(df, TINY_SETTINGS)
    at = np.flatnonzero(df["id"].is_in(["A", "C"]).to_numpy())
    without = sim.portfolio(TINY_SETTINGS, lost=["A", "C"])
    assert sim.portfolio(TINY_SETTINGS, lost_at=np.array([])) == sim.portfolio(TINY_SETTINGS)
    assert sim.portfolio(TINY_SETTINGS, lost=["A", "C"], lost_at=at.astype(np.float64)) == without
    assert sim.portfolio(TINY_SETTINGS, lost=["A", "C"], lost_at=at.astype(np.int32)) == without
