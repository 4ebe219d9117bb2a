"""Scenario rules at their edges, each found by a mutant that no other test told apart."""

from __future__ import annotations

import gc
import weakref

import ibis
import numpy as np
import polars as pl
import pytest

from cartera.engine.portfolio import summarise
from cartera.errors import InputError, UnknownClientError
from cartera.i18n import language
from cartera.result import Portfolio
from cartera.scenarios import Simulator
from cartera.scenarios.simulate import adjust_frame
from cartera.scenarios.stress import (
    Simulation,
    StressInputs,
    _tail_clients,
    leave_probabilities,
    named_scenarios,
    simulate,
    stress_inputs,
)
from cartera.settings import Settings

from .portfolios import AGING, TINY, TINY_SETTINGS, analysis, frame


def _inputs(contribution: list[float], leave: list[float]) -> StressInputs:
    n = len(leave)
    c = np.array(contribution, dtype=np.float64)
    return StressInputs(
        ids=[f"C{i}" for i in range(n)], names=[f"Client {i}" for i in range(n)],
        segments=["regular"] * n, contribution=c, margin=c.copy(),
        leave=np.array(leave, dtype=np.float64), fixed_costs=0.0,
        baseline_profit=float(c.sum()),
    )  # fmt: skip


def _sim(tail_rate: list[float]) -> Simulation:
    empty = np.zeros(1)
    rows = np.zeros(1, dtype=np.int64)
    return Simulation(profit=empty, margin=empty, tail_rate=np.array(tail_rate), tail_rows=rows)


def test_tail_clients_below_one_euro_of_excess_loss_still_count() -> None:
    # Excess tail losses 0.2 € (C0) and 0.5 € (C1), 0.7 € in all: small, but real.
    inputs = _inputs([0.4, 1.0, 5.0], [0.5, 0.1, 0.3])
    tail = _tail_clients(inputs, _sim([1.0, 0.6, 0.3]))
    assert [t.client for t in tail] == ["C1", "C0"]
    assert [t.share_of_tail_loss for t in tail] == pytest.approx([0.5 / 0.7, 0.2 / 0.7])
    assert [(t.leave_probability, t.tail_leave_rate) for t in tail] == [(0.1, 0.6), (0.5, 1.0)]


def test_tail_clients_keep_a_small_excess_next_to_a_large_one() -> None:
    tail = _tail_clients(_inputs([10.0, 1.0], [0.0, 0.0]), _sim([0.5, 0.5]))
    assert [(t.client, t.share_of_tail_loss) for t in tail] == [("C0", 5 / 5.5), ("C1", 0.5 / 5.5)]


def test_tail_clients_with_equal_losses_come_in_the_frame_order() -> None:
    # Twenty clients, every other one with twice the excess: ties keep their order.
    contribution = [1.0, 2.0] * 10
    tail = _tail_clients(_inputs(contribution, [0.0] * 20), _sim([1.0] * 20))
    assert [t.client for t in tail] == [f"C{i}" for i in range(1, 20, 2)]


@pytest.mark.parametrize("scenarios", [20, 200])
def test_a_certain_client_left_in_every_tail_scenario(scenarios: int) -> None:
    # 20 scenarios have one tail row (5 %), 200 have ten.
    sim = simulate(_inputs([10.0, 5.0, 1.0], [1.0, 0.0, 0.5]), scenarios=scenarios, seed=4)
    assert len(sim.tail_rows) == scenarios // 20
    assert sim.tail_rate[0] == 1.0 and sim.tail_rate[1] == 0.0


def _costs(revenue: float, service_cost: float | None) -> pl.DataFrame:
    return pl.DataFrame(
        {"id": ["A"], "segment": ["structure"], "revenue": [revenue], "gross_margin": [0.2],
         "service_hours": [2.0], "service_cost": [service_cost], "cost_to_serve": [5.0],
         "net_contribution": [-4.8], "margin_pct": [None]},
        schema_overrides={"service_cost": pl.Float64, "margin_pct": pl.Float64},
    )  # fmt: skip


def test_adjust_frame_counts_an_unknown_service_cost_as_none() -> None:
    out = adjust_frame(_costs(1.0, None), hourly_cost=10.0, old_hourly_cost=8.0,
                       structure_price_cut=0.0)  # fmt: skip
    assert out.row(0, named=True)["cost_to_serve"] == 25.0  # 5 + 2 h × 10 − 0
    assert out.row(0, named=True)["net_contribution"] == -24.8


def test_adjust_frame_keeps_the_margin_share_of_a_revenue_below_one_euro() -> None:
    out = adjust_frame(_costs(0.5, 16.0), hourly_cost=8.0, old_hourly_cost=8.0,
                       structure_price_cut=0.5)  # fmt: skip
    row = out.row(0, named=True)
    assert (row["revenue"], row["gross_margin"]) == (0.25, pytest.approx(-0.05))
    assert row["margin_pct"] == pytest.approx(-0.2)


def test_the_pareto_curve_of_a_revenue_below_one_euro() -> None:
    cents = frame([{"id": "A", "revenue": 0.3}, {"id": "B", "revenue": 0.2}])
    pareto, _whale = Simulator(cents, Settings()).curves(10)
    assert [p.y for p in pareto] == [0.0, pytest.approx(0.6), 1.0]


def test_the_pareto_curve_without_positive_revenue_is_flat() -> None:
    none = frame([{"id": "A", "revenue": 0.0}, {"id": "B", "revenue": -2.0}])
    pareto, _whale = Simulator(none, Settings()).curves(10)
    assert [(p.x, p.y) for p in pareto] == [(0.0, 0.0), (0.5, 0.0), (1.0, 0.0)]


def test_a_price_cut_of_everything_takes_all_structure_revenue() -> None:
    rows = [{"id": "S", "segment": "structure", "revenue": 300.0, "gross_margin": 200.0},
            {"id": "R", "revenue": 100.0, "gross_margin": 50.0}]  # fmt: skip
    sim = Simulator(frame(rows), Settings())
    assert sim.portfolio(Settings(), price_cut=1.0).revenue == 100.0
    assert sim.portfolio(Settings(), price_cut=0.5).revenue == 250.0


@pytest.mark.parametrize(
    ("small", "large"),
    [
        (0.1 * 1.0 - 1e-9 * 1.0, 1.0 - (0.1 * 1.0 - 1e-9 * 1.0)),  # exactly at the tolerance
        (100.0 - 1e-7, 900.0 + 1e-7),  # 1e-7 below 10 % of 1,000, within 1e-9 of it
    ],
)
def test_a_client_at_the_large_share_within_the_tolerance_is_large(
    small: float, large: float
) -> None:
    rows = [{"id": "BIG", "revenue": large}, {"id": "TEN", "revenue": small}]
    sim = Simulator(frame(rows), Settings())
    assert sim.portfolio(Settings()).large_clients == ["BIG", "TEN"]


def test_the_tail_is_the_first_of_equally_bad_scenarios() -> None:
    # Both clients leave in most scenarios (profit 0): the tail takes the first ten of them.
    sim = simulate(_inputs([1.0, 1.0], [0.9, 0.9]), scenarios=200, seed=5)
    worst = np.flatnonzero(sim.profit == 0.0)
    assert len(worst) > 10
    assert sim.tail_rows.tolist() == worst[:10].tolist()


def test_certain_clients_leave_in_the_tail_whatever_their_draws() -> None:
    # 4,096 certain clients: with seed 3 one of them draws a 16-bit 0 in the tail row,
    # which must not count twice (a threshold of 1 instead of 0 would).
    n = 4096
    sim = simulate(_inputs([1.0] * n, [1.0] * n), scenarios=20, seed=3)
    assert sim.tail_rate.tolist() == [1.0] * n
    assert sim.profit.tolist() == [0.0] * 20


def test_one_more_65536th_of_probability_is_one_more_draw_that_leaves() -> None:
    # The same seed draws the same 16-bit numbers: at 65,535/65,536 the client leaves in
    # every year it leaves at 65,534/65,536, and also on the draws equal to 65,534.
    def kept(p: float) -> np.ndarray:
        return simulate(_inputs([1.0], [p]), scenarios=100_000, seed=0).profit

    lower, higher = kept(65534 / 65536), kept(65535 / 65536)
    assert (higher <= lower).all()
    assert higher.sum() < lower.sum()  # with seed 0: 2 years kept instead of 5


def _after(rows: list[dict[str, object]], lost: tuple[str, ...] = ()) -> Portfolio:
    return Simulator(frame(rows), Settings()).portfolio(Settings(), lost=list(lost))


@pytest.mark.parametrize(
    ("revenues", "n80"),
    [
        ([0.5, 0.3], 2),  # revenues below 1 € count as any other
        ([8.0, 2.0], 1),  # the second client starts exactly at 80 %: not needed to reach it
        ([0.8 - 1e-9, 1.0 - (0.8 - 1e-9)], 1),  # starts at 80 % less the tolerance: not needed
    ],
)
def test_clients_for_80pct_at_the_edge_agree_with_the_engine(
    revenues: list[float], n80: int
) -> None:
    rows = [{"id": f"C{i}", "revenue": r} for i, r in enumerate(revenues)]
    assert _after(rows).pareto.clients_for_80pct == n80
    engine = summarise(ibis.memtable(frame(rows).to_arrow()), Settings())
    assert engine.pareto.clients_for_80pct == n80


def test_losing_the_only_client_with_a_known_margin_leaves_it_unknown() -> None:
    # B's margin is unknown: without A, neither the portfolio nor the segment has one.
    rows = [{"id": "A", "revenue": 100.0, "gross_margin": 50.0},
            {"id": "B", "revenue": 50.0, "gross_margin": None}]  # fmt: skip
    after = _after(rows, ("A",))
    assert after.gross_margin is None and after.net_contribution is None
    assert after.segments["regular"].clients == 1
    assert after.segments["regular"].gross_margin is None
    assert _after(rows, ("B",)).segments["regular"].gross_margin == 50.0


@pytest.mark.parametrize(
    ("contributions", "lost"),
    [
        ({"A": 0.5, "B": 0.4}, ()),  # contributions below 1 € are gains
        ({"A": 100.0, "B": -20.0}, ("B",)),  # a lost client that lost money takes nothing off
        ({"A": 100.0, "B": 50.0, "Z1": 0.0, "Z2": 0.0}, ("Z1", "Z2")),  # lost at break-even
        ({"A": 100.0, "L": 0.5}, ("L",)),  # a lost gain below 1 €
    ],
)
def test_the_whale_peak_is_every_kept_gain(
    contributions: dict[str, float], lost: tuple[str, ...]
) -> None:
    # No kept client loses money: the peak of the whale curve is the whole contribution.
    rows = [{"id": c, "revenue": 1000.0, "gross_margin": g} for c, g in contributions.items()]
    assert _after(rows, lost).whale_peak_share == 1.0


def test_an_analysis_builds_its_simulator_once_and_lets_it_go_with_it() -> None:
    tiny = analysis(TINY, TINY_SETTINGS)
    first = Simulator.of(tiny)
    assert Simulator.of(tiny) is first
    gone = weakref.ref(first)
    del tiny, first
    gc.collect()
    assert gone() is None


def test_a_bare_frame_without_rank_names_aging_or_a_known_segment() -> None:
    # No rank (ties by id: rows out of id order are sorted), no names, no aging columns, a
    # segment the engine does not know, a client without service cost.
    rows = [{"id": "B", "revenue": 100.0, "gross_margin": 60.0, "cost_to_serve": 10.0,
             "service_hours": 2.0, "segment": "vip"},
            {"id": "A", "revenue": 50.0, "gross_margin": 20.0, "cost_to_serve": 5.0,
             "service_hours": 1.0}]  # fmt: skip
    bare = frame(rows).drop("rank", "name", *(f"aging_{b}" for b in AGING))
    bare = bare.with_columns(service_cost=pl.Series([16.0, None], dtype=pl.Float64))
    base, dearer = Settings(), Settings(hourly_cost=Settings().hourly_cost + 10.0)
    sim = Simulator(bare, base)
    after = sim.portfolio(dearer)
    adjusted = adjust_frame(bare, hourly_cost=dearer.hourly_cost,
                            old_hourly_cost=base.hourly_cost, structure_price_cut=0.0)  # fmt: skip
    assert after.cost_to_serve == pytest.approx(adjusted["cost_to_serve"].sum())
    assert [a.amount for a in after.aging] == [0.0] * len(AGING)
    assert (after.clients, sum(s.clients for s in after.segments.values())) == (2, 1)
    assert sim.portfolio(base, lost=["A"]).revenue == 100.0
    with pytest.raises(UnknownClientError) as info:
        sim.resolve(["xxx"])
    assert info.value.suggestions == {"xxx": []}  # no name to match


def test_suggestions_by_name_come_largest_client_first_whatever_the_frame_order() -> None:
    # B is ranked first; the frame lists A first (and A sorts first by id).
    rows = [{"id": "A", "name": "Acme South", "revenue": 50.0},
            {"id": "B", "name": "Acme North", "revenue": 100.0}]  # fmt: skip
    reversed_frame = frame(rows).reverse()
    with pytest.raises(UnknownClientError) as info:
        Simulator(reversed_frame, Settings()).resolve(["acme"])
    assert info.value.suggestions == {"acme": ["B", "A"]}


def test_keep_image_adds_up_contributions_sales_and_losses() -> None:
    from types import SimpleNamespace

    from cartera.scenarios.recommend import _keep_image

    # I1 (renegotiate) has neither contribution nor sales known; I2 loses 30, I3 gains 5
    # (below the average of 100): 25 of contribution on 300 of sales, costing 30.
    image = pl.DataFrame({
        "id": ["I1", "I2", "I3"], "segment": ["image"] * 3, "image": [True] * 3,
        "action": ["renegotiate", "keep", "keep"], "net_contribution": [None, -30.0, 5.0],
        "revenue": [None, 200.0, 100.0],
    }, schema_overrides={"net_contribution": pl.Float64, "revenue": pl.Float64})  # fmt: skip
    portfolio = SimpleNamespace(net_contribution=300.0, clients=3)
    recs = _keep_image(image, portfolio, Settings())  # type: ignore[arg-type]
    assert [(r.clients, r.impact) for r in recs] == [
        (["I1"], {"contribution": 0.0, "revenue": 0.0, "average_contribution": 100.0,
                  "cost": 0.0}),
        (["I2", "I3"], {"contribution": -25.0, "revenue": 300.0, "average_contribution": 100.0,
                        "cost": 30.0}),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("segments", "margins", "target", "each"),
    [
        (["margin", "margin", "regular"], [200.0, 400.0, 1000.0], 4, 300.0),  # today's median
        (["regular"] * 4, [0.0, 0.0, 0.0, 100.0], 1, 100.0),  # a large order: no zero counts
        (["regular"], [0.5], 1, 0.5),  # a gross margin below 1 € is positive
        (["regular", "regular"], [None, -5.0], 1, None),  # nothing to go by
    ],
)
def test_margin_clients_to_seek_at_the_edges(
    segments: list[str], margins: list[float | None], target: int, each: float | None
) -> None:
    from cartera.scenarios.recommend import _seek_margin
    from cartera.settings import Targets

    clients = pl.DataFrame({"segment": segments, "gross_margin": margins},
                           schema_overrides={"gross_margin": pl.Float64})  # fmt: skip
    recs = _seek_margin(clients, Settings(targets=Targets(min_margin_clients=target)))
    count = target - segments.count("margin")
    assert [r.priority for r in recs] == [2]
    assert [r.impact for r in recs] == [{
        "count": count, "current_clients": segments.count("margin"), "target_clients": target,
        "gross_margin_each": each, "gross_margin_total": None if each is None else each * count,
    }]  # fmt: skip
    met = Settings(targets=Targets(min_margin_clients=segments.count("margin")))
    assert _seek_margin(clients, met) == []  # as many as the target: nothing to seek


def test_stress_inputs_and_named_scenarios_read_unknown_amounts_as_zero() -> None:
    # S (structure) has no known sales, U no known contribution or margin; the largest
    # client, K, comes last in the frame and sells less than 1 €. T (structure) sells 0.4,
    # of which a 10 % price drop takes 0.04.
    clients = pl.DataFrame({
        "id": ["S", "U", "T", "K"], "name": ["Ese", None, "Te", "Ka"],
        "segment": ["structure", "regular", "structure", "margin"],
        "revenue": [None, 0.5, 0.4, 0.8], "gross_margin": [40.0, None, 2.0, 20.0],
        "net_contribution": [30.0, None, 1.0, 15.0],
    }, schema_overrides={"revenue": pl.Float64})  # fmt: skip
    settings = Settings(fixed_costs=5.0, stress={"structure_price_drop": 0.1})
    inputs = stress_inputs(clients, settings)
    assert (inputs.ids, inputs.names) == (["S", "U", "T", "K"], ["Ese", "", "Te", "Ka"])
    assert inputs.contribution.tolist() == [30.0, 0.0, 1.0 - 0.1 * 0.4, 15.0]
    assert inputs.margin.tolist() == [40.0, 0.0, 2.0 - 0.1 * 0.4, 20.0]
    assert inputs.baseline_profit == 41.0
    assert named_scenarios(clients, inputs) == pytest.approx({
        "today": 41.0, "structure_price_drop": 40.96, "margin_clients_gone": 26.0,
        "crisis": 25.96, "top_client_gone": 26.0,
    })  # fmt: skip


def test_stress_inputs_of_no_client_at_all() -> None:
    inputs = stress_inputs(pl.DataFrame(), Settings(fixed_costs=5.0))
    assert (inputs.ids, inputs.names, inputs.segments) == ([], [], [])
    assert named_scenarios(pl.DataFrame(), inputs) == {"today": -5.0}


def test_the_stress_test_without_cost_data_says_what_it_needs() -> None:
    clients = pl.DataFrame({"id": ["A"], "segment": ["regular"], "revenue": [10.0],
                            "net_contribution": [None]}, schema_overrides={
                                "net_contribution": pl.Float64})  # fmt: skip
    with pytest.raises(InputError) as err, language("en"):
        stress_inputs(clients, Settings())
    with language("en"):
        assert err.value.render() == (
            "The stress test needs each client's gross margin: the data has no cost column."
        )


def test_a_segment_the_stress_test_does_not_know_leaves_as_a_regular_client() -> None:
    stress = Settings().stress
    clients = pl.DataFrame({"segment": ["vip", "regular", "margin"]})
    assert leave_probabilities(clients, stress).tolist() == [
        stress.leave_regular,
        stress.leave_regular,
        stress.leave_margin,
    ]


@pytest.mark.parametrize(
    ("interval", "recency", "lapsed"),
    [
        (0.0, 100.0, None),  # orders on one day: no rhythm to lapse from
        (0.0, 0.0, None),  # nor here (and no 0/0 warning)
        (0.5, 100.0, 0.95),  # a rhythm below a day lapses, capped at max_activity_leave
        (30.0, 60.0, None),  # exactly lapse_ratio times the rhythm: not lapsed yet
        (30.0, 90.0, 1 - 30 / 90),
    ],
)
def test_a_regular_client_lapses_past_twice_its_rhythm(
    interval: float, recency: float, lapsed: float | None
) -> None:
    stress = Settings().stress
    clients = pl.DataFrame(
        {"segment": ["regular"], "order_interval_days": [interval], "recency_days": [recency]}
    )
    expected = stress.leave_regular if lapsed is None else lapsed
    assert leave_probabilities(clients, stress).tolist() == [pytest.approx(expected)]


def test_stress_inputs_without_revenue_or_margin_columns_read_them_as_zero() -> None:
    clients = pl.DataFrame(
        {"id": ["A"], "name": ["Alfa"], "segment": ["structure"], "net_contribution": [8.0]}
    )
    inputs = stress_inputs(clients, Settings())
    assert (inputs.contribution.tolist(), inputs.margin.tolist()) == ([8.0], [0.0])
    assert inputs.leave.tolist() == [Settings().stress.leave_structure]  # no rhythm known


def test_enrich_takes_the_worst_loss_and_both_plans_from_the_simulator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import cartera.scenarios.whatif as whatif
    from cartera.scenarios import enrich
    from cartera.settings import Targets

    # C loses money (the let_go plan), E still contributes (renegotiate_or_let_go); the
    # engine's summary over a copy of the frame, seconds a plan at 500,000 clients, is the
    # reference here and must not run inside enrich.
    late = {"id": "E", "name": "Épsilon", "action": "let_go", "reasons": "late_payment",
            "revenue": 200.0, "gross_margin": 60.0, "cost_to_serve": 20.0,
            "financing_cost": 16.0, "days_to_pay": 160.0, "service_hours": 3.0}  # fmt: skip
    settings = Settings(fixed_costs=300.0, targets=Targets(target_terms_days=45))
    tiny = analysis([*TINY, late], settings)
    df = tiny.clients_frame
    expected = {
        key: whatif.portfolio_without(df, lost, settings) for key, lost in
        (("worst", ["A"]), ("let_go", ["C"]), ("renegotiate_or_let_go", ["E"]))
    }  # fmt: skip

    def engine_summary(*args: object, **kwargs: object) -> Portfolio:
        raise AssertionError("enrich ran the engine's summary")

    monkeypatch.setattr(whatif, "portfolio_without", engine_summary)
    enrich(tiny, settings)
    worst = tiny.portfolio.worst_single_loss
    assert worst is not None and worst.client == "A"
    assert worst.profit_after == pytest.approx(expected["worst"].profit)
    assert worst.coverage_after == pytest.approx(expected["worst"].fixed_cost_coverage)
    plans = {r.code: r for r in tiny.recommendations if r.code in expected}
    assert [(code, r.clients, r.priority, r.params["target_terms"])
            for code, r in plans.items()] == [
        ("let_go", ["C"], 1, 45), ("renegotiate_or_let_go", ["E"], 2, 45)
    ]  # fmt: skip
    for code, rec in plans.items():
        assert rec.impact["hhi_after"] == pytest.approx(expected[code].hhi)


def test_recommendations_without_clients_but_with_a_known_profit_name_no_crisis() -> None:
    from cartera.scenarios import recommendations

    # A portfolio at break-even whose client list is empty (read back without its
    # clients): no crisis profit is computed over no client, so none to prepare for; an
    # image client is still worth seeking.
    empty = analysis([], Settings())
    empty.portfolio.net_contribution = empty.portfolio.profit = 0.0
    assert [r.code for r in recommendations(empty, Settings())] == ["seek_image_clients"]


def test_enrich_with_settings_the_analysis_was_not_built_with_equals_the_engine() -> None:
    from cartera.scenarios import enrich
    from cartera.scenarios.whatif import portfolio_without

    # An analysis read back without its settings: enrich takes the frame as computed
    # with the settings given (hourly cost 25, not the default), as the engine does.
    given = Settings(fixed_costs=300.0, hourly_cost=25.0)
    tiny = analysis(TINY, given)
    tiny._settings = None
    enrich(tiny, given)
    worst = tiny.portfolio.worst_single_loss
    expected = portfolio_without(tiny.clients_frame, ["A"], given)
    assert worst is not None and worst.client == "A"
    assert worst.profit_after == pytest.approx(expected.profit)


def test_a_let_go_plan_without_a_simulator_sums_the_portfolio_after_in_the_engine() -> None:
    from cartera.scenarios import let_go_plan

    tiny = analysis(TINY, TINY_SETTINGS)
    df = tiny.clients_frame
    plan = let_go_plan(df, tiny.portfolio, TINY_SETTINGS, only="losing")
    fast = Simulator(df, TINY_SETTINGS).portfolio(TINY_SETTINGS, lost=["C"])
    assert plan.clients == ["C"] and plan.after is not None
    assert (plan.after.clients, plan.after.fixed_costs) == (3, 300.0)
    assert plan.after.profit == pytest.approx(fast.profit)  # 90 + 30: C lost 30
    assert plan.after.profit == pytest.approx(120.0)


def test_crisis_profit_at_its_edges() -> None:
    from cartera.scenarios.stress import crisis_profit
    from cartera.settings import StressSettings

    # S pays for a 25 % price cut; X is a structure client of unknown revenue (no cut);
    # M, a margin client, is gone; N has no segment (kept, no cut); U an unknown
    # contribution (0).
    clients = pl.DataFrame(
        {"id": ["S", "X", "M", "N", "U"],
         "segment": ["structure", "structure", "margin", None, "regular"],
         "revenue": [1000.0, None, 500.0, 400.0, 200.0],
         "net_contribution": [300.0, 20.0, 700.0, 40.0, None]},
        schema_overrides={"segment": pl.String},
    )  # fmt: skip
    settings = Settings(fixed_costs=50.0, stress=StressSettings(structure_price_drop=0.25))
    # (300 − 250) + 20 + 40 + 0 − 50 fixed
    assert crisis_profit(clients, settings) == 60.0
    assert crisis_profit(clients.head(0), settings) == -50.0  # no client: the fixed costs
    with pytest.raises(InputError, match=r"^The stress test needs each client's gross margin"):
        crisis_profit(clients.with_columns(net_contribution=None), settings)


def test_the_monte_carlo_adds_the_leaving_clients_losses_in_single_precision() -> None:
    # Decision 0301: indicators and values are float32 and one BLAS product per step adds a
    # scenario's losses, in single precision (~1e-7 relative, what keeps the tiles in the
    # cache): there 1 + 2**-24 is 1, so a scenario where both clients leave keeps 2**-24.
    tiny = 2.0**-24
    sim = simulate(_inputs([1.0, tiny], [0.999, 0.999]), 200, seed=3)
    profits = set(sim.profit.tolist())
    assert profits <= {tiny, 1.0, 1.0 + tiny} and tiny in profits
    assert set(sim.margin.tolist()) <= {tiny, 1.0, 1.0 + tiny}
    assert int((sim.profit == tiny).sum()) >= 190  # both (or the first) leave: 1 € lost


def test_the_whale_peak_sums_only_the_gaining_contributions() -> None:
    # A zero among 14 gains would join numpy's pairwise sum and regroup it (7.729…98).
    net = np.array([0.03, 0.12, 0.67, 0.65, 0.62, 0.0, 0.38, 1.0, 0.98, 0.69, 0.65, 0.69,
                    0.39, 0.14, 0.72])  # fmt: skip
    none = np.array([], dtype=np.int64)
    assert Simulator._whale_peak(net, none) == float(net[net > 0].sum()) == 7.7299999999999995
