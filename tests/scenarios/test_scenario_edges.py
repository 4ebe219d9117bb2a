"""Small public functions of the scenarios at their edges: what they pass on, empty input."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from cartera.errors import UnknownClientError
from cartera.scenarios import Simulator, stress_test
from cartera.scenarios.stress import histogram, run_stress
from cartera.scenarios.whatif import resolve_ids
from cartera.settings import Settings, StressSettings

from .portfolios import frame

_FRAME = frame(
    [
        {"id": f"C{i}", "name": f"Client {i}", "revenue": 100.0 + i, "gross_margin": 40.0,
         "net_contribution": 30.0}
        for i in range(20)
    ]
)  # fmt: skip


class _Analysis:
    clients_frame = _FRAME
    _settings = Settings(fixed_costs=100.0)


def test_stress_test_passes_scenarios_seed_and_settings() -> None:
    analysis = _Analysis()
    result = stress_test(analysis, scenarios=300, seed=11)  # type: ignore[arg-type]
    assert (result.scenarios, result.seed, result.fixed_costs) == (300, 11, 100.0)
    other = stress_test(analysis, Settings(fixed_costs=250.0), scenarios=300, seed=11)  # type: ignore[arg-type]
    assert other.fixed_costs == 250.0
    assert other.baseline_profit == pytest.approx(result.baseline_profit - 150.0)
    assert stress_test(analysis, scenarios=300, seed=12).seed == 12  # type: ignore[arg-type]


def test_stress_test_with_no_churn_risk_given_or_an_empty_one_is_the_same() -> None:
    analysis = _Analysis()
    plain = stress_test(analysis, scenarios=500, seed=3)  # type: ignore[arg-type]
    empty = stress_test(analysis, scenarios=500, seed=3, churn_risk={})  # type: ignore[arg-type]
    assert empty == plain


def test_resolve_ids_skips_blank_ids_and_keeps_the_order_given() -> None:
    assert resolve_ids(_FRAME, ["C3", "  ", "", " C1 ", "C3"]) == ["C3", "C1"]
    assert resolve_ids(_FRAME.head(0), ["", "   "]) == []
    with pytest.raises(UnknownClientError) as info:
        resolve_ids(_FRAME.head(0), ["C1"])
    assert info.value.unknown == ["C1"] and info.value.suggestions == {"C1": []}


def test_the_simulator_resolves_ids_alike() -> None:
    sim = Simulator(_FRAME, Settings())
    assert sim.resolve(["C3", "  ", "", " C1 ", "C3"]) == ["C3", "C1"]
    assert sim.resolve(["", "   "]) == []


@pytest.mark.parametrize("how", ["resolve_ids", "simulator"])
def test_a_client_without_a_name_is_never_suggested_by_name(how: str) -> None:
    nameless = frame([{"id": "N1", "name": None, "revenue": 1.0}, {"id": "B2", "revenue": 2.0}])
    with pytest.raises(UnknownClientError) as info:
        if how == "resolve_ids":
            resolve_ids(nameless, ["xxxx", "none", "B2"])
        else:
            Simulator(nameless, Settings()).resolve(["xxxx", "none", "B2"])
    assert info.value.unknown == ["xxxx", "none"]
    assert info.value.suggestions == {"xxxx": [], "none": []}


def test_hours_freed_by_no_client_and_by_some() -> None:
    hours = frame(
        [{"id": i, "revenue": 1.0, "service_hours": h} for i, h in (("A", 2.5), ("B", 4.0))]
    )
    sim = Simulator(hours, Settings())
    assert sim.hours([]) == 0.0
    assert sim.hours(["B"]) == 4.0 and sim.hours(["A", "B"]) == 6.5


def test_a_client_that_always_leaves_explains_none_of_the_bad_years() -> None:
    # ALWAYS leaves in every year, good or bad: it is no more frequent in the tail.
    rows = [
        {"id": "BIG", "segment": "margin", "revenue": 1e5, "gross_margin": 5e4},
        {"id": "ALWAYS", "segment": "structure", "revenue": 5e4, "gross_margin": 2e4},
    ]
    stress = StressSettings(leave_structure=1.0, leave_margin=0.5, structure_price_drop=0.0)
    result = run_stress(frame(rows), Settings(stress=stress), scenarios=2_000, seed=1)
    assert [t.client for t in result.tail_clients] == ["BIG"]
    assert result.tail_clients[0].share_of_tail_loss == 1.0


def _one_client(contribution: float, margin: float) -> pl.DataFrame:
    row = {"id": "A", "segment": "margin", "revenue": 1000.0, "gross_margin": margin,
           "net_contribution": contribution}  # fmt: skip
    return frame([row])


def _stress(p_leave: float, fixed: float, **extra: float) -> Settings:
    stress = StressSettings(leave_margin=p_leave, structure_price_drop=0.0, **extra)
    return Settings(fixed_costs=fixed, stress=stress)


def test_stress_takes_scenarios_and_seed_from_the_settings_unless_given() -> None:
    df = _one_client(100.0, 100.0)
    own = _stress(0.5, 0.0, scenarios=300, seed=9)
    result = run_stress(df, own)
    assert (result.scenarios, result.seed) == (300, 9)
    assert run_stress(df, own, scenarios=200, seed=4).seed == 4
    assert run_stress(df, _stress(0.5, 40.0), scenarios=200, seed=4).fixed_costs == 40.0


def test_a_year_that_breaks_even_is_no_loss_and_covers_the_fixed_costs() -> None:
    # Staying, the client's contribution and margin are exactly the fixed costs: 0 profit.
    df = _one_client(100.0, 100.0)
    result = run_stress(df, _stress(0.5, 100.0), scenarios=2_000, seed=3)
    assert 0.4 < result.p_loss < 0.6  # only the years it leaves
    assert result.p_fixed_costs_uncovered == result.p_loss
    never = run_stress(df, _stress(0.0, 100.0), scenarios=500, seed=3)
    assert never.p_loss == 0.0 and never.p_fixed_costs_uncovered == 0.0


def test_fixed_costs_of_one_euro_are_fixed_costs() -> None:
    df = _one_client(0.5, 0.5)
    result = run_stress(df, _stress(0.0, 1.0), scenarios=200, seed=1)
    assert result.p_fixed_costs_uncovered == 1.0 and result.p_loss == 1.0


def test_without_fixed_costs_there_is_no_chance_of_leaving_them_uncovered() -> None:
    # A negative gross margin would "leave" fixed costs of 0 uncovered: none are given.
    df = _one_client(-50.0, -50.0)
    result = run_stress(df, _stress(0.0, 0.0), scenarios=200, seed=1)
    assert result.p_fixed_costs_uncovered == 0.0 and result.p_loss == 1.0


def test_the_worst_five_percent_is_a_year_that_can_happen() -> None:
    # Profit is 100 or 0: the 5 % quantile is one of them, never between the two.
    df = _one_client(100.0, 100.0)
    for seed in range(40):
        p5 = run_stress(df, _stress(0.05, 0.0), scenarios=20, seed=seed).profit_p5
        assert p5 in (0.0, 100.0), (seed, p5)


def test_histogram_bins_are_centred() -> None:
    points = histogram(np.array([0.0, 1.0, 1.0, 4.0]), bins=4)
    assert [(p.x, p.y) for p in points] == [(0.5, 0.25), (1.5, 0.5), (2.5, 0.0), (3.5, 0.25)]
    assert [(p.x, p.y) for p in histogram(np.array([2.0, 2.0]))] == [(2.0, 1.0)]


def test_an_analysis_keeps_its_simulator() -> None:
    from .portfolios import TINY, TINY_SETTINGS, analysis

    tiny, other = analysis(TINY, TINY_SETTINGS), analysis(TINY, TINY_SETTINGS)
    first, second = Simulator.of(tiny), Simulator.of(other)
    assert first is not second
    assert Simulator.of(tiny) is first and Simulator.of(other) is second


def test_a_client_certain_to_leave_leaves_every_year() -> None:
    # 1.0 is certain: no year in 300,000 keeps it (a 16-bit draw would keep it 1 in 65,536).
    df = _one_client(100.0, 100.0)
    result = run_stress(df, _stress(1.0, 0.0), scenarios=300_000, seed=2)
    assert result.expected_profit == 0.0 and result.p_loss == 0.0
    assert [(p.x, p.y) for p in result.histogram] == [(0.0, 1.0)]


def test_a_client_all_but_certain_to_leave_still_leaves() -> None:
    # 0.999995 rounds to 65,536/65,536: the threshold stays the largest 16-bit one.
    df = _one_client(100.0, 100.0)
    result = run_stress(df, _stress(0.999995, 100.0), scenarios=20_000, seed=2)
    assert result.p_loss > 0.999


def test_what_if_takes_the_settings_given_and_keeps_the_analysis_hourly_cost() -> None:
    from cartera.scenarios.whatif import what_if

    from .portfolios import TINY, TINY_SETTINGS, analysis

    tiny = analysis(TINY, TINY_SETTINGS)
    plain = what_if(tiny, ["B"])
    costly = TINY_SETTINGS.model_copy(update={"fixed_costs": TINY_SETTINGS.fixed_costs + 1000.0})
    assert what_if(tiny, ["B"], costly).after.profit == pytest.approx(plain.after.profit - 1000.0)
    hourly = TINY_SETTINGS.model_copy(update={"hourly_cost": TINY_SETTINGS.hourly_cost * 3 + 7})
    assert what_if(tiny, ["B"], hourly).after == plain.after
    bare = analysis(TINY, TINY_SETTINGS)
    bare._settings = None
    assert what_if(bare, ["B"]).after.net_contribution == plain.after.net_contribution


def test_the_simulator_what_if_applies_the_price_cut() -> None:
    from .portfolios import TINY, TINY_SETTINGS, analysis

    tiny = analysis(TINY, TINY_SETTINGS)
    sim = Simulator.of(tiny)
    plain = sim.what_if(tiny.portfolio, ["B"], TINY_SETTINGS)
    cut = sim.what_if(tiny.portfolio, ["B"], TINY_SETTINGS, price_cut=0.1)
    assert cut.after.revenue < plain.after.revenue


def test_a_simulator_is_let_go_with_its_analysis() -> None:
    import gc

    from cartera.scenarios import simulate

    from .portfolios import TINY, TINY_SETTINGS, analysis

    gc.collect()
    kept = len(simulate._KEPT)
    tiny = analysis(TINY, TINY_SETTINGS)
    Simulator.of(tiny)
    assert len(simulate._KEPT) == kept + 1
    del tiny
    gc.collect()
    assert len(simulate._KEPT) == kept


def test_letting_go_an_analysis_whose_frame_was_replaced_raises_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc
    import sys

    from .portfolios import TINY, TINY_SETTINGS, analysis

    raised: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", raised.append)
    tiny = analysis(TINY, TINY_SETTINGS)
    first = Simulator.of(tiny)
    tiny._frame = tiny.clients_frame.head(2)  # as a re-read frame would be
    assert Simulator.of(tiny) is not first  # a new frame, a new simulator (two finalizers)
    del tiny, first
    gc.collect()
    assert raised == []


def test_at_most_three_suggestions() -> None:
    many = frame([{"id": f"K{i}", "name": f"Client {i}", "revenue": 1.0} for i in range(6)])
    with pytest.raises(UnknownClientError) as info:
        resolve_ids(many, ["client"])
    assert info.value.suggestions == {"client": ["K0", "K1", "K2"]}
