"""Let-go plan and break-even renegotiation, by hand."""

from __future__ import annotations

import pytest

from cartera.scenarios.dependence import worst_client, worst_single_loss
from cartera.scenarios.letgo import (
    let_go_clients,
    let_go_plan,
    renegotiate_clients,
    renegotiation,
)

from .portfolios import TINY, TINY_SETTINGS, analysis, frame


def _row(**kw):
    return {"id": "X", "name": "", "revenue": 100.0, "net_contribution": -30.0, **kw}


def test_price_only_when_even_cash_payment_does_not_close_the_gap() -> None:
    # Financing costs 20 a year, the gap is 30: price +30%.
    alt = renegotiation(_row(financing_cost=20.0, days_to_pay=120.0), target_terms=60)
    assert alt.price_rise == pytest.approx(0.30)
    assert alt.terms_days is None and alt.gain is None


def test_terms_that_close_the_gap_are_rounded_down_to_usual_terms() -> None:
    # Saving 30 of a financing cost of 40 at 120 days needs ≤ 120·(1 − 30/40) = 30 days.
    alt = renegotiation(_row(financing_cost=40.0, days_to_pay=120.0), target_terms=60)
    assert alt.price_rise == pytest.approx(0.30)
    assert alt.terms_days == 30
    assert alt.gain == pytest.approx(40.0 * (1 - 30 / 120))
    # Needing ≤ 100 days → 90, the longest usual term below.
    alt = renegotiation(_row(net_contribution=-5.0, financing_cost=30.0, days_to_pay=120.0), 60)
    assert alt.terms_days == 90


def test_a_late_payer_that_breaks_even_gets_the_target_terms() -> None:
    alt = renegotiation(_row(net_contribution=50.0, financing_cost=16.0, days_to_pay=160.0), 60)
    assert alt.price_rise == 0.0
    assert alt.terms_days == 60
    assert alt.gain == pytest.approx(16.0 * (1 - 60 / 160))
    on_time = renegotiation(_row(net_contribution=50.0, financing_cost=4.0, days_to_pay=40.0), 60)
    assert on_time.terms_days is None


def test_without_cost_data_nothing_is_priced() -> None:
    alt = renegotiation(_row(net_contribution=None, days_to_pay=90.0, financing_cost=5.0), 60)
    assert alt.price_rise is None and alt.terms_days is None


def test_let_go_plan_never_includes_image_clients() -> None:
    a = analysis(TINY, TINY_SETTINGS)
    plan = let_go_plan(a.clients_frame, a.portfolio, TINY_SETTINGS)
    assert plan.clients == ["C"]  # D is image, even with action let_go
    assert plan.profit_change == pytest.approx(30.0)
    assert plan.hours_freed == pytest.approx(10.0)
    assert plan.overdue_freed == pytest.approx(60.0)
    assert plan.revenue_lost == pytest.approx(100.0)
    assert plan.after is not None and plan.after.profit == pytest.approx(120.0)
    assert [x.client for x in plan.alternatives] == ["C"]


def test_empty_let_go_plan() -> None:
    rows = [{**r, "action": "keep"} for r in TINY]
    a = analysis(rows, TINY_SETTINGS)
    plan = let_go_plan(a.clients_frame, a.portfolio, TINY_SETTINGS)
    assert plan.clients == [] and plan.profit_change == 0.0 and plan.after is None


def test_worst_single_loss_is_the_largest_contribution() -> None:
    a = analysis(TINY, TINY_SETTINGS)
    worst = worst_single_loss(a.clients_frame, TINY_SETTINGS)
    assert worst is not None
    assert worst.client == "A"
    assert worst.profit_after == pytest.approx(90.0 - 250.0)
    assert worst.coverage_after == pytest.approx(0.0)


def test_worst_single_loss_without_cost_is_the_largest_client() -> None:
    df = frame(
        [
            {"id": "S", "revenue": 10.0, "gross_margin": None},
            {"id": "L", "revenue": 20.0, "gross_margin": None},
        ]
    )
    assert worst_client(df) == "L"
    assert worst_client(df.head(0)) is None


_VALUES = [None, 0.0, -0.0, 1.0, -1.0, 30.0, -30.0, 45.5, 130.0, 1e-9, float("nan")]


def test_renegotiations_equal_the_row_by_row_function() -> None:
    import itertools

    import polars as pl

    from cartera.scenarios.letgo import renegotiations

    rows = [
        {
            "id": f"C{i}",
            "name": None if i % 3 else f"N{i}",
            "revenue": r,
            "net_contribution": c,
            "days_to_pay": d,
            "financing_cost": f,
        }
        for i, (r, c, d, f) in enumerate(itertools.product(_VALUES, repeat=4))
    ]
    table = pl.DataFrame(rows, schema={"id": pl.String, "name": pl.String, "revenue": pl.Float64,
                                       "net_contribution": pl.Float64, "days_to_pay": pl.Float64,
                                       "financing_cost": pl.Float64})  # fmt: skip

    def key(alt: object) -> str:  # NaN != NaN: compare texts, which keep -0.0 and nan apart
        return repr(alt)

    for target in (0, 60):
        fast = renegotiations(table, target)
        slow = [renegotiation(r, target) for r in table.to_dicts()]
        assert [key(a) for a in fast] == [key(a) for a in slow]
    # A frame without the optional columns reads them as missing, as the row function does.
    bare = table.select("id")
    assert [key(a) for a in renegotiations(bare, 60)] == [
        key(renegotiation(r, 60)) for r in bare.to_dicts()
    ]


@pytest.mark.parametrize(
    ("row", "price_rise", "terms", "gain"),
    [
        # No revenue: no price rise to compute; 50 cents of revenue: the gap over it.
        ({"revenue": 0.0, "financing_cost": 0.0}, None, None, None),
        ({"revenue": 0.5, "financing_cost": 0.0}, 60.0, None, None),
        # Paying at once (0 days) or without a financing cost: terms cannot help.
        ({"days_to_pay": 0.0, "financing_cost": 40.0}, 0.3, None, None),
        ({"days_to_pay": 120.0, "financing_cost": 0.0}, 0.3, None, None),
        # Half a day to pay and a financing cost of 40: cash saves all 40, which covers 30.
        ({"days_to_pay": 0.5, "financing_cost": 40.0}, 0.3, 0, 40.0),
        # A financing cost of 50 cents covers a gap of 40 cents at ≤ 24 days (15) instead of 120.
        ({"net_contribution": -0.4, "days_to_pay": 120.0, "financing_cost": 0.5},
         0.004, 15, 0.5 * (1 - 15 / 120)),
        # Breaking even late but with no financing cost: shorter terms would save nothing.
        ({"net_contribution": 50.0, "days_to_pay": 160.0, "financing_cost": 0.0},
         0.0, None, None),
        # No payment data: no terms.
        ({"financing_cost": 40.0}, 0.3, None, None),
        # The gap equals the whole financing cost: cash payment just closes it.
        ({"days_to_pay": 90.0, "financing_cost": 30.0}, 0.3, 0, 30.0),
        # Exactly at break-even: like a client above it (target terms when later than them).
        ({"net_contribution": 0.0, "days_to_pay": 160.0, "financing_cost": 16.0},
         0.0, 60, 10.0),
        # Already paying on the target terms: nothing to change.
        ({"net_contribution": 50.0, "days_to_pay": 60.0, "financing_cost": 16.0},
         0.0, None, None),
    ],
)  # fmt: skip
def test_renegotiation_edges(
    row: dict[str, float], price_rise: float | None, terms: int | None, gain: float | None
) -> None:
    alt = renegotiation(_row(**row), target_terms=60)
    assert alt.price_rise == (None if price_rise is None else pytest.approx(price_rise))
    assert alt.terms_days == terms
    assert alt.gain == (None if gain is None else pytest.approx(gain))


def test_renegotiation_parameters_for_the_texts() -> None:
    alt = renegotiation(
        {"id": 7, "name": None, "revenue": 200.0, "net_contribution": -20.0,
         "financing_cost": 40.0, "days_to_pay": 120.0},
        target_terms=60,
    )  # fmt: skip
    assert alt.as_params() == {
        "client": "7", "name": "", "contribution": -20.0, "price_rise": 0.1,
        "terms_days": 60, "current_days": 120.0, "gain": 20.0,
    }  # fmt: skip
    assert alt.revenue == 200.0
    named = renegotiation(_row(name="Acme", days_to_pay=None), target_terms=60)
    assert (named.name, named.current_days, named.contribution) == ("Acme", None, -30.0)


def _plan_rows() -> list[dict[str, object]]:
    late = {"action": "let_go", "reasons": "late_payment", "revenue": 100.0}
    return [
        *TINY[:2],
        {**late, "id": "L", "gross_margin": 10.0, "cost_to_serve": 40.0, "service_hours": 3.0,
         "overdue": 7.0},
        {**late, "id": "P", "gross_margin": 60.0, "cost_to_serve": 40.0, "service_hours": None,
         "overdue": None, "days_to_pay": 150.0, "financing_cost": 10.0},
        {**late, "id": "U", "gross_margin": None, "revenue": 80.0},
        {**late, "id": "Z0", "gross_margin": 40.0, "cost_to_serve": 40.0},
        {**late, "id": "Zh", "gross_margin": 40.5, "cost_to_serve": 40.0},
        {**late, "id": "I", "gross_margin": 0.0, "cost_to_serve": 5.0, "image": True},
        {"id": "R", "action": "renegotiate", "revenue": 90.0, "gross_margin": 30.0},
        {"id": "S", "segment": "structure", "action": "renegotiate", "revenue": 900.0,
         "gross_margin": 100.0},
        {"id": "G", "segment": "image", "action": "renegotiate", "revenue": 70.0,
         "gross_margin": 1.0},
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("only", "clients", "profit_change", "hours", "overdue"),
    [
        # L loses 30, Z0 breaks even, Zh and P contribute 0.50 and 20, U's contribution is
        # unknown: losing counts it too.
        ("all", ["L", "Z0", "Zh", "P", "U"], 9.5, 3.0, 7.0),
        ("losing", ["L", "U"], 30.0, 3.0, 7.0),
        # The let-go clients that do not lose money and the renegotiated one that is neither
        # structure nor image: letting them go costs their contribution.
        ("contributing", ["Z0", "Zh", "P", "R"], -50.5, 0.0, 0.0),
    ],
)
def test_let_go_plan_parts(
    only: str, clients: list[str], profit_change: float, hours: float, overdue: float
) -> None:
    # Unknown hours and overdue amounts (P) count as 0.
    before = analysis([{**r, "service_hours": 0.0, "overdue": 0.0} for r in _plan_rows()],
                      TINY_SETTINGS).portfolio  # fmt: skip
    plan = let_go_plan(frame(_plan_rows()), before, TINY_SETTINGS, only=only)  # type: ignore[arg-type]
    assert plan.clients == clients
    assert plan.profit_change == pytest.approx(profit_change)
    assert (plan.hours_freed, plan.overdue_freed) == (pytest.approx(hours), pytest.approx(overdue))
    assert [x.client for x in plan.alternatives] == clients
    # P breaks even but pays in 150 days: the alternative is the settings' target terms.
    terms = {x.client: x.terms_days for x in plan.alternatives}
    assert terms.get("P") == (60 if "P" in clients else None)


def test_let_go_plan_of_unknown_contributions_only_has_no_profit_change() -> None:
    # U sold nothing in the window (only hours were spent on it): no revenue is lost.
    rows = [*TINY[:2], {"id": "U", "action": "let_go", "revenue": 0.0, "gross_margin": None}]
    a = analysis(rows, TINY_SETTINGS)
    plan = let_go_plan(a.clients_frame, a.portfolio, TINY_SETTINGS)
    assert plan.clients == ["U"] and plan.profit_change is None
    assert plan.revenue_lost == 0.0


def test_image_flag_without_the_column_is_read_from_the_segment() -> None:
    df = frame(_plan_rows()).drop("image")
    assert sorted(let_go_clients(df)["id"]) == ["I", "L", "P", "U", "Z0", "Zh"]
    assert sorted(let_go_clients(frame(_plan_rows()))["id"]) == ["L", "P", "U", "Z0", "Zh"]
    assert let_go_clients(frame(_plan_rows()), exclude_image=False).height == 6
    assert renegotiate_clients(df)["id"].to_list() == ["R"]
    assert let_go_clients(df.head(0)).height == renegotiate_clients(df.head(0)).height == 0


def test_one_client_frames_and_an_unknown_image_flag() -> None:
    # A client file without the flag for some rows: unknown reads as "not image".
    one = frame([{"id": "K", "action": "keep", "revenue": 10.0}])
    assert let_go_clients(one).height == renegotiate_clients(one).height == 0
    unknown = frame([
        {"id": "L", "action": "let_go", "revenue": 10.0, "image": None},
        {"id": "R", "action": "renegotiate", "revenue": 5.0, "image": None},
    ])  # fmt: skip
    assert let_go_clients(unknown)["id"].to_list() == ["L"]
    assert renegotiate_clients(unknown)["id"].to_list() == ["R"]


def test_worst_client_is_the_first_row_of_the_full_sort() -> None:
    """The selection without a sort equals the first row of the sort it replaces, on ties
    in both keys, ±0, NaN and nulls (a null key sorts last, NaN above every number)."""
    import itertools

    import polars as pl

    values = [None, 0.0, -0.0, 5.0, -5.0, float("nan")]
    for keys in itertools.product(values, repeat=3):
        for revenues in itertools.product([None, 1.0, 2.0], repeat=3):
            df = pl.DataFrame(
                {"id": ["B", "A", "C"], "net_contribution": list(keys), "revenue": list(revenues)},
                schema={"id": pl.String, "net_contribution": pl.Float64, "revenue": pl.Float64},
            )
            has = df["net_contribution"].null_count() < df.height
            key = "net_contribution" if has else "revenue"
            order = [key, "revenue", "id"]
            ranked = df.sort(order, descending=[True, True, False], nulls_last=True)
            assert worst_client(df) == ranked["id"][0], (keys, revenues)


def test_renegotiations_at_a_usual_term_and_at_the_target_terms() -> None:
    import polars as pl

    from cartera.scenarios.letgo import renegotiations

    # E1 closes its gap of 50 with terms of at most 80 × (1 − 50/200) = 60 days exactly;
    # E2 already breaks even and pays at the 60-day target, E3 a day later.
    table = pl.DataFrame({
        "id": ["E1", "E2", "E3"],
        "revenue": [1_000.0, 1_000.0, 1_000.0],
        "net_contribution": [-50.0, 10.0, 10.0],
        "days_to_pay": [80.0, 60.0, 61.0],
        "financing_cost": [200.0, 5.0, 5.0],
    })  # fmt: skip
    fast = renegotiations(table, 60)
    assert [a.terms_days for a in fast] == [60, None, 60]
    assert fast == [renegotiation(r, 60) for r in table.to_dicts()]


def test_renegotiation_table_at_every_rules_edge() -> None:
    """The whole-column form on one row per edge, with exact values and the table's types."""
    import math
    import warnings

    import polars as pl

    from cartera.scenarios.letgo import _TABLE_SCHEMA, renegotiation_table

    rows = [  # id, name, revenue, net contribution, days to pay, financing cost
        ("half", "Medio", 0.5, -30.0, None, 0.0),  # 50 cents of revenue: +6,000 %
        ("zero", None, 0.0, -30.0, None, 0.0),  # no revenue: no price rise
        ("null", "Nulo", None, 0.0, 160.0, 16.0),  # unknown revenue is 0 (0/0, no warning)
        ("even", "Par", 100.0, 0.0, 160.0, 16.0),  # at break-even: +0 % and the target terms
        ("one", "Uno", 1.0, -0.5, None, 0.0),  # a gap of 50 cents on 1 € of revenue
        ("cash", "Caja", 100.0, -30.0, 0.0, 40.0),  # pays at once: terms cannot help
        ("halfday", "Medio día", 100.0, -30.0, 0.5, 40.0),  # half a day: cash saves all 40
        ("latefree", "Gratis", 100.0, 50.0, 160.0, 0.0),  # late, but financing costs nothing
        ("cents", "Céntimos", 100.0, -0.4, 120.0, 0.5),  # 50 cents of financing: ≤ 24 days
        ("justcash", "Justo", 100.0, -30.0, 90.0, 30.0),  # the gap is all of it: cash
        ("unknown", "Nadie", 100.0, None, 160.0, 16.0),  # no contribution: nothing priced
        ("short", "Corto", 100.0, -0.5, 160.0, 0.25),  # 50 cents more than financing saves
    ]
    frame = pl.DataFrame(rows, orient="row", schema={
        "id": pl.String, "name": pl.String, "revenue": pl.Float64,
        "net_contribution": pl.Float64, "days_to_pay": pl.Float64, "financing_cost": pl.Float64,
    })  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 0/0 and x/0 are expected, silently
        table = renegotiation_table(frame, 60)
    assert table.schema == pl.Schema(_TABLE_SCHEMA)
    assert table.rows() == [  # client, name, contribution, revenue, rise, terms, days, gain
        ("half", "Medio", -30.0, 0.5, 60.0, None, None, None),
        ("zero", "", -30.0, 0.0, None, None, None, None),
        ("null", "Nulo", 0.0, 0.0, None, 60, 160.0, 10.0),
        ("even", "Par", 0.0, 100.0, 0.0, 60, 160.0, 10.0),
        ("one", "Uno", -0.5, 1.0, 0.5, None, None, None),
        ("cash", "Caja", -30.0, 100.0, 0.3, None, 0.0, None),
        ("halfday", "Medio día", -30.0, 100.0, 0.3, 0, 0.5, 40.0),
        ("latefree", "Gratis", 50.0, 100.0, 0.0, None, 160.0, None),
        ("cents", "Céntimos", -0.4, 100.0, 0.004, 15, 120.0, 0.4375),
        ("justcash", "Justo", -30.0, 100.0, 0.3, 0, 90.0, 30.0),
        ("unknown", "Nadie", None, 100.0, None, None, 160.0, None),
        ("short", "Corto", -0.5, 100.0, 0.005, None, 160.0, None),
    ]
    # +0 %, not -0 %: the row function's max(0.0, -0.0) is 0.0.
    assert math.copysign(1.0, table["price_rise"][3]) == 1.0
    assert type(table["terms_days"][2]) is int


def test_renegotiation_table_reads_missing_columns_as_unknown() -> None:
    import polars as pl

    from cartera.scenarios.letgo import renegotiation_table

    # Only ids: no revenue (0), contribution, days or financing cost, and no names.
    table = renegotiation_table(pl.DataFrame({"id": ["A", "B"]}), 60)
    assert table.rows() == [
        ("A", "", None, 0.0, None, None, None, None),
        ("B", "", None, 0.0, None, None, None, None),
    ]
    # Without the days only: the terms cannot be priced, the price rise can.
    partial = renegotiation_table(
        pl.DataFrame({"id": ["C"], "revenue": [100.0], "net_contribution": [-30.0],
                      "financing_cost": [40.0]}),
        60,
    )  # fmt: skip
    assert partial.rows() == [("C", "", -30.0, 100.0, 0.3, None, None, None)]


def test_a_let_go_plan_on_a_reordered_copy_of_the_simulators_frame_looks_the_ids_up() -> None:
    from cartera.scenarios.simulate import Simulator
    from cartera.scenarios.whatif import portfolio_without

    # The simulator's rows are the frame's (by rank); the plan's frame is the same clients
    # in reverse: positions in it are not the simulator's rows, so the ids decide.
    a = analysis(TINY, TINY_SETTINGS)
    df = a.clients_frame
    simulator = Simulator(df, TINY_SETTINGS)
    assert simulator.in_frame_order
    reordered = df.reverse()
    plan = let_go_plan(reordered, a.portfolio, TINY_SETTINGS, simulator=simulator)
    assert plan.clients == ["C"] and plan.after is not None
    assert plan.after.profit == pytest.approx(portfolio_without(df, ["C"], TINY_SETTINGS).profit)
    assert plan.after.profit == pytest.approx(120.0)  # 90 + C's loss of 30
    assert plan.after.clients == 3
