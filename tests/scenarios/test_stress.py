"""Crisis stress: exact limits, an analytic oracle, monotonicity and determinism."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from cartera.errors import InputError
from cartera.scenarios.stress import (
    BLOCK,
    leave_probabilities,
    run_stress,
    simulate,
    stress_inputs,
)
from cartera.settings import Settings, StressSettings

from .portfolios import TINY, frame

SEGMENT_KEYS = ("structure", "margin", "image", "regular", "new", "dormant")


def _settings(p: float | None = None, drop: float = 0.0, fixed: float = 300.0) -> Settings:
    stress: dict[str, float] = {"structure_price_drop": drop}
    if p is not None:
        stress |= {f"leave_{k}": p for k in SEGMENT_KEYS}
        stress["max_activity_leave"] = p
    return Settings(fixed_costs=fixed, stress=StressSettings(**stress))


def _random_frame(n: int, seed: int = 0) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    revenue = rng.lognormal(8, 1, n)
    margin = revenue * rng.uniform(0.1, 0.5, n)
    return frame(
        [
            {
                "id": f"C{i:04d}",
                "segment": SEGMENT_KEYS[i % 6],
                "revenue": float(revenue[i]),
                "gross_margin": float(margin[i]),
                "cost_to_serve": float(margin[i] * 0.2),
            }
            for i in range(n)
        ]
    )


def test_nobody_leaves_every_scenario_is_today() -> None:
    result = run_stress(frame(TINY), _settings(p=0.0), scenarios=2_500, seed=1)
    assert result.expected_profit == pytest.approx(90.0)
    assert result.profit_p5 == pytest.approx(90.0)
    assert result.p_loss == 0.0
    assert result.baseline_profit == pytest.approx(90.0)
    assert result.tail_clients == []
    assert result.histogram[0].y == 1.0


def test_everybody_leaves_leaves_the_fixed_costs() -> None:
    result = run_stress(frame(TINY), _settings(p=1.0), scenarios=2_500, seed=1)
    assert result.expected_profit == pytest.approx(-300.0)
    assert result.profit_p5 == pytest.approx(-300.0)
    assert result.p_loss == 1.0
    assert result.p_fixed_costs_uncovered == 1.0


def test_structure_price_drop_comes_off_their_margin() -> None:
    # Nobody leaves, structure client A (revenue 1000) cuts its price by 10%: 90 − 100.
    result = run_stress(frame(TINY), _settings(p=0.0, drop=0.1), scenarios=100, seed=1)
    assert result.expected_profit == pytest.approx(-10.0)
    assert result.named["structure_price_drop"] == pytest.approx(-10.0)


def test_named_scenarios_by_hand() -> None:
    named = run_stress(frame(TINY), _settings(drop=0.1), scenarios=10, seed=1).named
    assert named["today"] == pytest.approx(90.0)
    assert named["margin_clients_gone"] == pytest.approx(90.0 - 180.0)  # B leaves
    assert named["crisis"] == pytest.approx(90.0 - 180.0 - 100.0)
    assert named["top_client_gone"] == pytest.approx(90.0 - 250.0)  # A leaves


def test_expected_profit_matches_the_analytic_mean() -> None:
    df = _random_frame(300)
    settings = _settings(drop=0.1, fixed=0.0)
    inputs = stress_inputs(df, settings)
    exact = float(((1 - inputs.leave) * inputs.contribution).sum())
    sd = float(np.sqrt((inputs.leave * (1 - inputs.leave) * inputs.contribution**2).sum()))
    result = run_stress(df, settings, scenarios=20_000, seed=3)
    assert abs(result.expected_profit - exact) < 5 * sd / np.sqrt(20_000)


def test_same_seed_same_output_and_another_seed_differs() -> None:
    df = _random_frame(200)
    settings = _settings(fixed=50_000.0)
    a = run_stress(df, settings, scenarios=3 * BLOCK + 17, seed=9)
    b = run_stress(df, settings, scenarios=3 * BLOCK + 17, seed=9)
    c = run_stress(df, settings, scenarios=3 * BLOCK + 17, seed=10)
    assert a.model_dump() == b.model_dump()
    assert a.expected_profit != c.expected_profit


def test_output_does_not_depend_on_threads() -> None:
    inputs = stress_inputs(_random_frame(150), _settings(fixed=1_000.0))
    one = simulate(inputs, 2 * BLOCK + 5, seed=4, workers=1)
    two = simulate(inputs, 2 * BLOCK + 5, seed=4, workers=2)
    np.testing.assert_array_equal(one.profit, two.profit)
    np.testing.assert_array_equal(one.tail_rate, two.tail_rate)


def test_a_prefix_of_scenarios_repeats() -> None:
    # Blocks have their own streams: more scenarios extend the same sequence.
    inputs = stress_inputs(_random_frame(40), _settings())
    short = simulate(inputs, BLOCK + 3, seed=2)
    long = simulate(inputs, 2 * BLOCK, seed=2)
    np.testing.assert_array_equal(short.profit, long.profit[: BLOCK + 3])


@hsettings(max_examples=25, deadline=None)
@given(
    contributions=st.lists(st.floats(0, 1e5), min_size=1, max_size=12),
    probabilities=st.lists(st.floats(0, 1), min_size=12, max_size=12),
    bump=st.floats(0, 1),
    which=st.integers(0, 11),
)
def test_raising_a_probability_never_raises_expected_profit(
    contributions: list[float], probabilities: list[float], bump: float, which: int
) -> None:
    n = len(contributions)
    df = frame(
        [
            {"id": f"X{i}", "revenue": c + 1.0, "gross_margin": c}
            for i, c in enumerate(contributions)
        ]
    )
    base = stress_inputs(df, _settings())
    p = np.array(probabilities[:n])
    higher = p.copy()
    higher[which % n] = min(1.0, p[which % n] + bump)
    low = simulate(_replace(base, p), 600, seed=5)
    high = simulate(_replace(base, higher), 600, seed=5)
    assert high.profit.mean() <= low.profit.mean() + 1e-6 * (1 + sum(contributions))
    assert np.all(high.profit <= low.profit + 1e-6 * (1 + sum(contributions)))


def _replace(inputs, leave: np.ndarray):
    from dataclasses import replace

    return replace(inputs, leave=leave)


def test_tail_clients_are_the_ones_that_leave_in_bad_years() -> None:
    # One big client with an even chance of leaving decides the bad years.
    rows = [{"id": "BIG", "segment": "margin", "revenue": 1e5, "gross_margin": 5e4}]
    rows += [
        {"id": f"S{i}", "segment": "structure", "revenue": 1e3, "gross_margin": 100.0}
        for i in range(20)
    ]
    result = run_stress(frame(rows), _settings(drop=0.0, fixed=0.0), scenarios=4_000, seed=1)
    top = result.tail_clients[0]
    assert top.client == "BIG"
    assert top.tail_leave_rate == pytest.approx(1.0)
    assert top.share_of_tail_loss > 0.9
    assert sum(t.share_of_tail_loss for t in result.tail_clients) <= 1.0 + 1e-9


def test_histogram_shares_sum_to_one() -> None:
    result = run_stress(_random_frame(100), _settings(), scenarios=5_000, seed=1)
    assert len(result.histogram) == 40
    assert sum(p.y for p in result.histogram) == pytest.approx(1.0)
    assert "histogram" not in result.to_contract()


def test_contract_keys() -> None:
    data = run_stress(frame(TINY), _settings(), scenarios=500, seed=7).to_contract()
    for key in ("expected_profit", "profit_p5", "p_loss", "p_fixed_costs_uncovered",
                "scenarios", "seed", "tail_clients"):  # fmt: skip
        assert key in data
    assert data["scenarios"] == 500 and data["seed"] == 7


def test_activity_raises_the_probability_of_lapsed_clients() -> None:
    df = frame(
        [
            {"id": "steady", "revenue": 1.0, "recency_days": 20, "order_interval_days": 30.0},
            {"id": "lapsed", "revenue": 1.0, "recency_days": 120, "order_interval_days": 30.0},
            {"id": "gone", "revenue": 1.0, "recency_days": 3000, "order_interval_days": 30.0},
            {"id": "once", "revenue": 1.0, "recency_days": 300, "order_interval_days": None},
        ]
    ).sort("id")
    p = dict(zip(df["id"], leave_probabilities(df, StressSettings()), strict=True))
    assert p["steady"] == pytest.approx(0.15)  # the regular segment's
    assert p["lapsed"] == pytest.approx(1 - 30 / 120)
    assert p["gone"] == pytest.approx(0.95)  # capped
    assert p["once"] == pytest.approx(0.15)  # no interval: segment only


def test_churn_risk_raises_the_probability_when_used() -> None:
    rows = [
        {"id": "high", "revenue": 1.0, "recency_days": 20, "order_interval_days": 30.0},
        {"id": "medium", "revenue": 1.0, "recency_days": 20, "order_interval_days": 30.0},
        {"id": "low", "revenue": 1.0, "recency_days": 20, "order_interval_days": 30.0},
        {"id": "unknown", "revenue": 1.0, "recency_days": 20, "order_interval_days": 30.0},
        {"id": "gone", "revenue": 1.0, "recency_days": 3000, "order_interval_days": 30.0},
    ]
    df = frame(rows).sort("id")
    levels = {"high": "high", "medium": "medium", "low": "low", "unknown": None, "gone": "medium"}
    df = df.with_columns(pl.Series("churn_risk", [levels[i] for i in df["id"]], pl.String))
    p = dict(zip(df["id"], leave_probabilities(df, StressSettings()), strict=True))
    assert p["high"] == pytest.approx(0.6) and p["medium"] == pytest.approx(0.35)
    assert p["low"] == pytest.approx(0.15) and p["unknown"] == pytest.approx(0.15)
    assert p["gone"] == pytest.approx(0.95)  # never lowered: the higher rule wins
    off = StressSettings(use_churn_risk=False)
    assert list(leave_probabilities(df, off)[[1, 2, 3, 4]]) == pytest.approx([0.15] * 4)
    own = StressSettings(churn_leave_high=0.9, churn_leave_medium=0.1)
    q = dict(zip(df["id"], leave_probabilities(df, own), strict=True))
    assert (q["high"], q["medium"]) == (pytest.approx(0.9), pytest.approx(0.15))


def test_stress_test_takes_the_churn_risk_of_an_analysis() -> None:
    from cartera.scenarios import stress_test

    df = frame([{"id": f"C{i}", "revenue": 100.0, "gross_margin": 40.0,
                 "net_contribution": 30.0} for i in range(20)])  # fmt: skip

    class _Analysis:
        clients_frame = df
        _settings = _settings(fixed=100.0)

    plain = stress_test(_Analysis(), scenarios=2000, seed=5)  # type: ignore[arg-type]
    risky = stress_test(_Analysis(), scenarios=2000, seed=5,  # type: ignore[arg-type]
                        churn_risk={f"C{i}": "high" for i in range(10)})  # fmt: skip
    assert risky.expected_profit < plain.expected_profit
    assert risky.expected_profit == pytest.approx(
        20 * 30.0 - 10 * 30.0 * 0.6 - 10 * 30.0 * 0.15 - 100.0, abs=15.0
    )


def test_no_cost_data_is_a_clear_error() -> None:
    df = frame([{"id": "A", "revenue": 10.0, "gross_margin": None}])
    with pytest.raises(InputError, match="cost"):
        run_stress(df, _settings(), scenarios=10, seed=1)


def test_no_clients() -> None:
    df = frame([{"id": "A", "revenue": 10.0}]).head(0)
    result = run_stress(df, _settings(fixed=100.0), scenarios=10, seed=1)
    assert result.expected_profit == pytest.approx(-100.0)
    assert result.tail_clients == []


def test_tail_replay_matches_the_full_draws() -> None:
    # Regenerate every block in full and read the tail rows' departures directly.
    inputs = stress_inputs(_random_frame(37), _settings(fixed=2_000.0))
    scenarios = BLOCK + 200
    sim = simulate(inputs, scenarios, seed=8)
    n = len(inputs.leave)
    width = 4 * -(-n // 4)
    t = np.zeros(width, dtype=np.uint16)
    t[:n] = np.minimum(np.round(inputs.leave * 65536), 65535)
    blocks = np.random.SeedSequence(8).spawn(2)
    rows = [
        np.random.PCG64(blocks[b]).random_raw(r * width // 4).view(np.uint16).reshape(r, width)
        for b, r in ((0, BLOCK), (1, 200))
    ]
    left = np.vstack(rows)[:, :n] < t[:n]
    np.testing.assert_allclose(sim.tail_rate, left[sim.tail_rows].mean(axis=0))
    lost = left.astype(np.float64) @ inputs.contribution
    expected = inputs.contribution.sum() - lost - 2_000.0
    np.testing.assert_allclose(sim.profit, expected, rtol=1e-5, atol=1e-2)


def test_without_fixed_costs_the_stress_speaks_of_contribution_not_profit() -> None:
    from cartera.i18n import language
    from cartera.result import StressResult
    from cartera.scenarios.texts import stress_figures

    base = {"expected_profit": 80_000.0, "profit_p5": 50_000.0, "p_loss": 0.0,
            "p_fixed_costs_uncovered": 0.0, "scenarios": 100, "seed": 1,
            "baseline_profit": 90_000.0}  # fmt: skip
    with language("en"):
        none = dict(stress_figures(StressResult(**base), "EUR"))
        some = dict(stress_figures(StressResult(**base, fixed_costs=10.0), "EUR"))
    assert not any("rofit" in k or "loss" in k or "covered" in k for k in none)
    assert none["Contribution at risk (today − worst 5%)"].replace("\xa0", " ") == "€40,000"
    assert "Chance of a loss" in some and "Profit today" in some


def test_a_portfolio_wider_than_a_tile_is_summed_over_column_tiles() -> None:
    # One client more than a tile (its last column tile is 3 clients and one padding
    # column wide) and one scenario more than a step: the profits equal the full draws'.
    from dataclasses import replace

    from cartera.scenarios.stress import TILE_COLUMNS, TILE_ROWS

    n, scenarios = TILE_COLUMNS + 3, TILE_ROWS + 1
    width = TILE_COLUMNS + 4
    rng = np.random.default_rng(3)
    base = stress_inputs(_random_frame(8), _settings(fixed=0.0))
    inputs = replace(
        base,
        contribution=rng.normal(100.0, 40.0, n),
        margin=rng.normal(150.0, 40.0, n),
        leave=rng.uniform(0.0, 0.4, n),
    )
    sim = simulate(inputs, scenarios, seed=6)
    t = np.minimum(np.round(inputs.leave * 65536), 65535).astype(np.uint16)
    stream = np.random.PCG64(np.random.SeedSequence(6).spawn(1)[0])
    draws = stream.random_raw(scenarios * width // 4).view(np.uint16).reshape(scenarios, width)
    left = draws[:, :n] < t
    expected = inputs.contribution.sum() - left.astype(np.float64) @ inputs.contribution
    np.testing.assert_allclose(sim.profit, expected, rtol=1e-6)
    margin = inputs.margin.sum() - left.astype(np.float64) @ inputs.margin
    np.testing.assert_allclose(sim.margin, margin, rtol=1e-6)
