"""Portfolio figures from a per-client table alone (what a what-if runs)."""

from __future__ import annotations

from typing import Any

import ibis
import polars as pl
import pytest

from cartera.engine.portfolio import MAX_CURVE_POINTS, curves, pareto_band, summarise
from cartera.settings import Settings

AGING = ("current", "1_30", "31_60", "61_90", "91_120", "over_120")


def _table(rows: list[dict[str, Any]]) -> ibis.Table:
    full = []
    for i, row in enumerate(rows):
        r = {
            "id": f"C{i:04d}", "segment": "regular", "revenue": 0.0, "gross_margin": 0.0,
            "cost_to_serve": 0.0, "net_contribution": 0.0, "service_hours": 0.0,
            **{f"aging_{b}": 0.0 for b in AGING},
        }  # fmt: skip
        r.update(row)
        full.append(r)
    schema = (
        {"id": pl.String, "segment": pl.String}
        | {c: pl.Float64 for c in full[0] if c not in ("id", "segment")}
        if full
        else None
    )
    frame = pl.DataFrame(full, schema=schema) if full else pl.DataFrame(
        schema={"id": pl.String, "segment": pl.String, "revenue": pl.Float64,
                "gross_margin": pl.Float64, "cost_to_serve": pl.Float64,
                "net_contribution": pl.Float64, "service_hours": pl.Float64,
                **{f"aging_{b}": pl.Float64 for b in AGING}}
    )  # fmt: skip
    return ibis.memtable(frame.to_arrow())


def test_totals_profit_and_coverage() -> None:
    t = _table([
        {"segment": "structure", "revenue": 600.0, "gross_margin": 120.0,
         "cost_to_serve": 20.0, "net_contribution": 100.0, "aging_1_30": 50.0},
        {"segment": "margin", "revenue": 300.0, "gross_margin": 150.0,
         "cost_to_serve": 10.0, "net_contribution": 140.0, "service_hours": 2.0},
        {"revenue": 100.0, "gross_margin": 30.0, "cost_to_serve": 70.0,
         "net_contribution": -40.0, "aging_over_120": 7.0},
    ])  # fmt: skip
    p = summarise(t, Settings(fixed_costs=200.0))
    assert (p.clients, p.revenue, p.gross_margin) == (3, 1000.0, 300.0)
    assert p.margin_pct == pytest.approx(0.3)
    assert p.net_contribution == pytest.approx(200.0)
    assert p.profit == pytest.approx(0.0)
    assert p.fixed_cost_coverage == pytest.approx(120.0 / 200.0)
    assert p.hhi == pytest.approx(10_000 * (0.6**2 + 0.3**2 + 0.1**2))
    assert p.effective_clients == pytest.approx(1 / (0.6**2 + 0.3**2 + 0.1**2))
    assert (p.top1_share, p.top5_share) == (pytest.approx(0.6), pytest.approx(1.0))
    assert p.large_clients == ["C0000", "C0001", "C0002"]
    assert p.pareto.clients_for_80pct == 2
    assert p.whale_peak_share == pytest.approx(240.0 / 200.0)
    assert {b.bucket: b.amount for b in p.aging}["over_120"] == 7.0
    assert p.segments["structure"].clients == 1
    assert p.segments["image"].clients == 0
    assert p.segments["image"].gross_margin == 0.0
    assert p.service_hours == 2.0


@pytest.mark.parametrize(
    ("revenues", "n80", "band"),
    [
        ([100.0] * 10, 8, "low_risk_high_cost"),  # 80 % from 80 % of clients
        ([1000.0] + [10.0] * 19, 1, "high_risk"),  # one client is 84 %
        ([100.0] * 4 + [5.0] * 16, 4, "typical"),  # 4 of 20 = 20 %
    ],
)
def test_pareto_n80_and_band(revenues: list[float], n80: int, band: str) -> None:
    p = summarise(_table([{"revenue": r} for r in revenues]), Settings())
    assert p.pareto.clients_for_80pct == n80
    assert p.pareto.share_of_clients_for_80pct == pytest.approx(n80 / len(revenues))
    assert p.pareto.band == band


def test_band_cut_points() -> None:
    s = Settings()
    assert pareto_band(None, s) == "undefined"
    assert pareto_band(0.10, s) == "high_risk"
    assert pareto_band(0.15, s) == "high_risk"
    assert pareto_band(0.20, s) == "typical"
    assert pareto_band(0.35, s) == "low_risk_high_cost"


def test_empty_and_zero_revenue_are_neutral() -> None:
    for t in (_table([]), _table([{"revenue": 0.0}, {"revenue": -5.0}])):
        p = summarise(t, Settings(fixed_costs=100.0))
        assert p.hhi == 0.0 and p.effective_clients is None
        assert p.pareto.band == "undefined"
        assert p.top1_share == 0.0
        assert p.large_clients == []
        assert p.whale_peak_share is None


def test_curves_are_sampled() -> None:
    t = _table([{"revenue": float(i), "net_contribution": float(i - 500)} for i in range(2000)])
    pareto, whale = curves(t)
    assert 2 < len(pareto) <= MAX_CURVE_POINTS and 2 < len(whale) <= MAX_CURVE_POINTS
    assert pareto[0].x == 0.0 and pareto[-1].x == 1.0 and pareto[-1].y == pytest.approx(1.0)
    ys = [p.y for p in pareto]
    assert ys == sorted(ys)
    assert whale[-1].y == pytest.approx(sum(i - 500 for i in range(2000)))


def _leaves(value: Any, path: str = "") -> dict[str, Any]:
    """Nested dicts and lists as one flat dict of path → value."""
    if isinstance(value, dict | list):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        return {k: v for key, item in items for k, v in _leaves(item, f"{path}/{key}").items()}
    return {path: value}


@pytest.mark.parametrize("fixed", [0.0, 1_135_000.0])
def test_the_analysis_portfolio_and_curves_equal_the_engine_summary(fixed: float) -> None:
    """The analysis takes its portfolio and curves from numpy sums over its frame (the
    what-if simulator); the engine's SQL summary and windows over that frame agree."""
    from demo_canonical import canonical

    from cartera.analysis import analyze_tables
    from cartera.demo import generate
    from cartera.engine.connect import Tables, connect
    from cartera.scenarios.simulate import Simulator

    demo = generate(clients=300, lines=20_000, seed=11)
    tables = {k: ibis.memtable(v.to_arrow()) for k, v in canonical(demo).items()}
    settings = Settings(fixed_costs=fixed)
    result = analyze_tables(Tables(con=connect(), **tables), settings)
    table = ibis.memtable(result.clients_frame.to_arrow())
    # numpy and SQL add in different orders: floats equal to rounding, the rest exactly
    ours, engine = (_leaves(p.model_dump()) for p in (result.portfolio, summarise(table, settings)))
    floats = {k for k, v in engine.items() if isinstance(v, float)}
    assert {k: v for k, v in ours.items() if k not in floats} == {
        k: v for k, v in engine.items() if k not in floats
    }
    assert [ours[k] for k in sorted(floats)] == pytest.approx(
        [engine[k] for k in sorted(floats)], rel=1e-9, abs=1e-6
    )
    pareto, whale = curves(table)
    for mine, theirs in ((result.pareto_curve, pareto), (result.whale_curve, whale)):
        assert [p.x for p in mine] == [p.x for p in theirs]
        assert [p.y for p in mine] == pytest.approx([p.y for p in theirs], rel=1e-9, abs=1e-6)
    assert Simulator.of(result).frame is result.clients_frame  # kept for the what-ifs


def test_the_whale_peak_adds_gains_below_one_euro() -> None:
    t = _table([
        {"revenue": 10.0, "net_contribution": 0.5},
        {"revenue": 10.0, "net_contribution": 0.25},
    ])  # fmt: skip
    # The peak is every gain (0.75), all of the net contribution.
    assert summarise(t, Settings()).whale_peak_share == 1.0


def test_a_client_exactly_at_the_large_client_tolerance_is_large() -> None:
    # 10 % of a positive revenue of 1,000,000 less the tolerance (1e-9 of it): 99,999.999.
    # 99,999.998 is below it.
    t = _table([{"revenue": 800_000.003}, {"revenue": 99_999.999}, {"revenue": 99_999.998}])
    p = summarise(t, Settings())
    assert p.large_clients == ["C0000", "C0001"]


@pytest.mark.parametrize(
    ("revenues", "shares"),
    [([0.0, -5.0], [0.0, 0.0, 0.0]), ([0.25, 0.25], [0.0, 0.5, 1.0])],
)
def test_pareto_curve_without_positive_revenue_and_below_one_euro(
    revenues: list[float], shares: list[float]
) -> None:
    pareto, _whale = curves(_table([{"revenue": r} for r in revenues]))
    assert [p.y for p in pareto] == shares


def test_clients_selling_one_euro_or_less_count_among_the_positive_ones() -> None:
    # Three clients with positive revenue (1.00, 0.50, 0.25), one at zero, one negative:
    # 1.00 and 0.50 make 80 % of 1.75, so 2 of the 3 positive clients.
    p = summarise(_table([{"revenue": r} for r in (0.5, 0.25, 1.0, 0.0, -2.0)]), Settings())
    assert p.pareto.clients_for_80pct == 2
    assert p.pareto.share_of_clients_for_80pct == pytest.approx(2 / 3)
