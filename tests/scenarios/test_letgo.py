"""Let-go plan and break-even renegotiation, by hand."""

from __future__ import annotations

import pytest

from cartera.scenarios.dependence import worst_client, worst_single_loss
from cartera.scenarios.letgo import let_go_plan, renegotiation

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
