"""Segment, action and reason rules on hand-made per-client rows, each at its edge.

Every case runs the Ibis rules and their polars form (:mod:`cartera.segment_rules`).

The filler makes the typical client: 20 steady clients (10 of 12 months) of
revenue 10,000, margin 30 % and gross margin 3,000. So a structure client needs
revenue ≥ 20 × 10,000 = 200,000 and a margin client a margin % ≥ 40 % and a
gross margin ≥ 3 × 3,000 = 9,000 (the defaults of :class:`Thresholds`).
"""

from __future__ import annotations

import math
from typing import Any

import ibis
import numpy as np
import polars as pl
import pytest

from cartera.segment_rules import classify_frame, cut_points, typical_values
from cartera.segments import (
    PortfolioTotals,
    classify,
    reason_values,
    totals_expr,
    typical_expr,
)
from cartera.settings import Settings

BASE: dict[str, Any] = {
    "image": False, "orders": 10, "revenue": 10_000.0, "revenue_share": 0.02,
    "gross_margin": 3_000.0, "margin_pct": 0.30, "net_contribution": 2_500.0,
    "financing_cost": 50.0, "active_months": 6, "tenure_days": 700, "recency_days": 20,
    "days_to_pay": 45.0, "return_rate": 0.01, "service_cost": 200.0, "service_hours": 5.0,
    "discount": None, "previous_revenue": 9_000.0,
}  # fmt: skip
FILLER = [{**BASE, "id": f"Z{i:02d}", "active_months": 10} for i in range(20)]


def _frame(rows: dict[str, dict[str, Any]]) -> pl.DataFrame:
    data = [{**BASE, **row, "id": cid} for cid, row in rows.items()] + FILLER
    return pl.DataFrame(data, schema_overrides={"discount": pl.Float64})


def _classify(
    rows: dict[str, dict[str, Any]],
    *,
    has_cost: bool = True,
    settings: Settings | None = None,
    literal: bool = False,
) -> dict[str, dict[str, Any]]:
    settings = settings or Settings()
    table = ibis.memtable(_frame(rows).to_arrow())
    totals = None
    if literal:  # the analysis' path: the typical client computed first, passed as literals
        totals = PortfolioTotals(**typical_expr(table, settings).to_pyarrow().to_pylist()[0])
    out = classify(table, settings, has_cost=has_cost, totals=totals).to_polars()
    result = {r["id"]: r for r in out.iter_rows(named=True)}
    # The same rules in polars (the local analysis, decision 0253) decide the same.
    local = classify_frame(_frame(rows), settings, has_cost=has_cost)
    for row in local.iter_rows(named=True):
        decided = result[row["id"]]
        for key in ("segment", "action", "reasons"):
            assert row[key] == decided[key], (row["id"], key, row[key], decided[key])
    return result


def _rules(**thresholds: Any) -> Settings:
    return Settings(thresholds=Settings().thresholds.model_copy(update=thresholds))


# --- segments: each cut point just below, at and just above -------------------------------


@pytest.mark.parametrize("literal", [False, True], ids=["windows", "literals"])
@pytest.mark.parametrize(
    ("revenue", "expected"),
    [(199_999.99, "regular"), (200_000.0, "structure"), (200_000.01, "structure")],
)
def test_structure_revenue_edge(revenue: float, expected: str, literal: bool) -> None:
    out = _classify({"S": {"revenue": revenue, "active_months": 12}}, literal=literal)
    assert out["S"]["segment"] == expected


@pytest.mark.parametrize(
    ("months", "expected"), [(8, "regular"), (9, "structure"), (10, "structure")]
)
def test_structure_steadiness_edge(months: int, expected: str) -> None:
    out = _classify({"S": {"revenue": 500_000.0, "active_months": months}})
    assert out["S"]["segment"] == expected  # 9 / 12 = 0.75 is the cut point


def test_structure_typical_is_the_median_of_the_clients_that_sold() -> None:
    # 40 small buyers move the median revenue to 100, so 20 × 100 = 2,000 is the cut point;
    # clients without sales (dormant prospects) do not count.
    tiny = {f"T{i:02d}": {"revenue": 100.0, "active_months": 2} for i in range(40)}
    idle = {f"I{i:02d}": {"revenue": 0.0, "orders": 0} for i in range(80)}
    out = _classify({**tiny, **idle, "S": {"revenue": 2_000.0, "active_months": 12},
                     "R": {"revenue": 1_999.0, "active_months": 12}})  # fmt: skip
    assert (out["S"]["segment"], out["R"]["segment"]) == ("structure", "regular")


def _fixed(fixed_costs: float) -> Settings:
    return Settings(fixed_costs=fixed_costs)


BIG = {
    "A": {"revenue": 500_000.0, "gross_margin": 40_000.0, "active_months": 12},
    "B": {"revenue": 400_000.0, "gross_margin": 30_000.0, "active_months": 12},
    "C": {"revenue": 300_000.0, "gross_margin": 20_000.0, "active_months": 12},
}


@pytest.mark.parametrize("literal", [False, True], ids=["windows", "literals"])
@pytest.mark.parametrize(
    ("fixed_costs", "c_is_structure"),
    # 0.8 × F against the 70,000 carried by A and B before C: C joins only while 70,000 < 0.8 F
    [(87_499.0, False), (87_500.0, False), (87_501.0, True)],
)
def test_structure_with_fixed_costs_stops_once_they_are_carried(
    fixed_costs: float, c_is_structure: bool, literal: bool
) -> None:
    out = _classify(BIG, settings=_fixed(fixed_costs), literal=literal)
    assert out["A"]["segment"] == out["B"]["segment"] == "structure"
    assert (out["C"]["segment"] == "structure") is c_is_structure


def test_structure_with_fixed_costs_ties_go_together() -> None:
    rows = {**BIG, "C2": {**BIG["C"]}}
    out = _classify(rows, settings=_fixed(87_501.0))
    assert out["C"]["segment"] == out["C2"]["segment"] == "structure"
    out = _classify(rows, settings=_fixed(87_500.0))
    assert out["C"]["segment"] == out["C2"]["segment"] == "regular"


def test_structure_with_fixed_costs_still_needs_size() -> None:
    # Huge fixed costs do not make an ordinary steady client a structure client.
    out = _classify(BIG, settings=_fixed(10_000_000.0))
    assert {out[c]["segment"] for c in "ABC"} == {"structure"}
    assert out["Z00"]["segment"] == "regular"


def test_structure_without_cost_data_ignores_fixed_costs() -> None:
    out = _classify(BIG, settings=_fixed(1.0), has_cost=False)
    assert {out[c]["segment"] for c in "ABC"} == {"structure"}


@pytest.mark.parametrize(("fixed_costs", "expected"), [(0.0, "ABC"), (1.0, "A")])
def test_structure_ranking_starts_with_any_fixed_cost(fixed_costs: float, expected: str) -> None:
    # Without fixed costs every large steady client is structure; with fixed costs of 1 € a
    # year (0.8 € to carry) A alone carries them.
    out = _classify(BIG, settings=_fixed(fixed_costs))
    assert "".join(c for c in "ABC" if out[c]["segment"] == "structure") == expected


def test_structure_carried_margin_is_the_known_positive_margin_of_large_steady_clients() -> None:
    # 0.8 € to carry. Before A: N, larger but occasional (not large), carries nothing. A's
    # margin is unknown and B's negative: neither carries anything, so C is still structure
    # and D, 50 cents below C, comes after C's 20,000.
    rows = {
        "N": {"revenue": 900_000.0, "gross_margin": 50_000.0, "active_months": 3},
        "A": {"revenue": 500_000.0, "gross_margin": None, "active_months": 12},
        "B": {"revenue": 400_000.0, "gross_margin": -0.5, "active_months": 12},
        "C": {"revenue": 300_000.0, "gross_margin": 20_000.0, "active_months": 12},
        "D": {"revenue": 299_999.5, "gross_margin": 20_000.0, "active_months": 12},
    }
    out = _classify(rows, settings=_fixed(1.0))
    assert {c: out[c]["segment"] for c in rows} == {
        "N": "regular", "A": "structure", "B": "structure", "C": "structure", "D": "regular",
    }  # fmt: skip


MARGIN = {"gross_margin": 20_000.0, "margin_pct": 0.55, "active_months": 3}


@pytest.mark.parametrize("literal", [False, True], ids=["windows", "literals"])
@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"margin_pct": 0.3999}, "regular"),
        ({"margin_pct": 0.40}, "margin"),
        ({"margin_pct": 0.4001}, "margin"),
        ({"gross_margin": 8_999.99}, "regular"),
        ({"gross_margin": 9_000.0}, "margin"),
        ({"gross_margin": 9_000.01}, "margin"),
        ({"active_months": 8}, "regular"),
        ({"active_months": 7}, "margin"),
    ],
)
def test_margin_edges(change: dict[str, float], expected: str, literal: bool) -> None:
    out = _classify({"M": {**MARGIN, **change}}, literal=literal)
    assert out["M"]["segment"] == expected


@pytest.mark.parametrize(("months", "expected"), [(5, "margin"), (6, "margin"), (7, "regular")])
def test_margin_occasional_edge_at_a_ten_month_window(months: int, expected: str) -> None:
    # 6 / 10 = 0.6 exactly: at the cut point is still occasional (<=).
    settings = Settings(window_months=10)
    out = _classify({"M": {**MARGIN, "active_months": months}}, settings=settings)
    assert out["M"]["segment"] == expected


def test_margin_is_against_the_typical_client_not_the_weighted_portfolio() -> None:
    # Three giant low-margin clients drag the revenue-weighted margin to ~12 %; the typical
    # client (median) still earns 30 %, so a 35 % client is not a margin client.
    giants = {
        f"G{i}": {"revenue": 3_000_000.0, "gross_margin": 300_000.0, "margin_pct": 0.10,
                  "active_months": 12}
        for i in range(3)
    }  # fmt: skip
    out = _classify({**giants, "O": {"margin_pct": 0.35, "gross_margin": 20_000.0,
                                     "active_months": 3}})  # fmt: skip
    assert out["O"]["segment"] == "regular"
    assert {out[g]["segment"] for g in giants} == {"structure"}


def test_without_cost_margin_rules_are_off() -> None:
    out = _classify(
        {
            "M": {"margin_pct": None, "gross_margin": None, "net_contribution": None,
                  "active_months": 3},
            "late": {"gross_margin": None, "net_contribution": None, "margin_pct": None,
                     "days_to_pay": 130.0},
        },
        has_cost=False,
    )  # fmt: skip
    assert out["M"]["segment"] == "regular"
    assert out["late"]["action"] == "renegotiate"  # unknown contribution: not shown to pay


@pytest.mark.parametrize(
    ("days", "expected"), [(239, "regular"), (240, "regular"), (241, "dormant")]
)
def test_dormant_recency_edge(days: int, expected: str) -> None:
    assert _classify({"D": {"recency_days": days}})["D"]["segment"] == expected


@pytest.mark.parametrize(("days", "expected"), [(179, "new"), (180, "regular"), (181, "regular")])
def test_new_tenure_edge(days: int, expected: str) -> None:
    assert _classify({"N": {"tenure_days": days}})["N"]["segment"] == expected


# --- which rule wins when two match ---------------------------------------------------------

STRUCTURE = {"revenue": 500_000.0, "active_months": 12}


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({**STRUCTURE, "image": True}, "image"),  # image > structure
        ({**STRUCTURE, "image": True, "recency_days": 300}, "image"),  # image > dormant
        ({**STRUCTURE, "recency_days": 300}, "dormant"),  # dormant > structure
        ({**STRUCTURE, "tenure_days": 100}, "structure"),  # structure > new
        ({**MARGIN, "tenure_days": 100}, "new"),  # new > margin
        ({**MARGIN, "recency_days": 300}, "dormant"),  # dormant > margin
        ({**MARGIN, "image": True}, "image"),  # image > margin
    ],
)
def test_segment_precedence(row: dict[str, Any], expected: str) -> None:
    assert _classify({"X": row})["X"]["segment"] == expected


# --- reasons: each threshold just below, at and just above ----------------------------------


@pytest.mark.parametrize(
    ("code", "field", "below", "at", "above"),
    [
        ("late_payment", "days_to_pay", 119.99, 120.0, 120.01),
        ("high_returns", "return_rate", 0.1199, 0.12, 0.1201),
        ("price_pressure", "discount", 0.1499, 0.15, 0.1501),
        ("dependence", "revenue_share", 0.2499, 0.25, 0.2501),
    ],
)
def test_reasons_fire_strictly_above(
    code: str, field: str, below: float, at: float, above: float
) -> None:
    out = _classify({"b": {field: below}, "a": {field: at}, "c": {field: above}})
    assert code not in out["b"]["reasons"] and code not in out["a"]["reasons"]
    assert code in out["c"]["reasons"].split(",")


def test_service_burden_edge() -> None:
    # 0.5 × gross margin 3,000 = 1,500
    out = _classify({
        "b": {"service_cost": 1_499.99}, "a": {"service_cost": 1_500.0},
        "c": {"service_cost": 1_500.01},
    })  # fmt: skip
    assert [("service_burden" in out[k]["reasons"]) for k in "bac"] == [False, False, True]


def test_low_volume_and_negative_contribution_edges() -> None:
    out = _classify({
        "share_below": {"revenue_share": 0.000999, "net_contribution": -1.0},
        "share_at": {"revenue_share": 0.001, "net_contribution": -1.0},
        "nc_at": {"revenue_share": 0.0005, "net_contribution": 0.0},
        "nc_below": {"revenue_share": 0.0005, "net_contribution": -0.01},
    })  # fmt: skip
    assert out["share_below"]["reasons"] == "low_volume,negative_contribution"
    assert out["share_at"]["reasons"] == "negative_contribution"
    assert out["nc_at"]["reasons"] == ""
    assert out["nc_below"]["reasons"] == "low_volume,negative_contribution"


def test_declining_edge() -> None:
    # 0.5 × previous 10,000 = 5,000; fires strictly below.
    out = _classify({
        "b": {"revenue": 4_999.99, "previous_revenue": 10_000.0},
        "a": {"revenue": 5_000.0, "previous_revenue": 10_000.0},
        "gone": {"revenue": 4_000.0, "previous_revenue": 0.0},
    })  # fmt: skip
    assert (out["b"]["reasons"], out["b"]["action"]) == ("declining", "keep")
    assert out["a"]["reasons"] == "" and out["gone"]["reasons"] == ""


def test_one_order_makes_a_client_active() -> None:
    # One order in the window: not dormant, and its volume, contribution and decline are
    # judged (no service hours, so only the order makes it active).
    out = _classify({"once": {"orders": 1, "revenue": 100.0, "revenue_share": 0.0005,
                              "net_contribution": -10.0, "service_hours": 0.0}})  # fmt: skip
    assert out["once"]["segment"] == "regular"
    assert out["once"]["reasons"] == "low_volume,negative_contribution,declining"


@pytest.mark.parametrize(("hours", "expected"), [(0.0, ""), (0.5, "negative_contribution")])
def test_hours_on_a_client_without_sales_make_its_loss_a_reason(
    hours: float, expected: str
) -> None:
    row = {"orders": 0, "revenue": 0.0, "revenue_share": 0.0, "gross_margin": 0.0,
           "net_contribution": -25.0, "service_hours": hours, "previous_revenue": 0.0}  # fmt: skip
    assert _classify({"idle": row})["idle"]["reasons"] == expected


def test_ratio_reasons_just_above_a_zero_base() -> None:
    # A gross margin or previous revenue of 50 cents is a base like any other.
    out = _classify({
        "burden": {"gross_margin": 0.5, "service_cost": 0.26},
        "decline": {"revenue": 0.2, "previous_revenue": 0.5},
    })  # fmt: skip
    assert out["burden"]["reasons"] == "service_burden"
    assert out["decline"]["reasons"] == "declining"


# --- actions: let go only when it pays ------------------------------------------------------


@pytest.mark.parametrize(
    ("contribution", "expected"),
    [(-0.01, "let_go"), (0.0, "renegotiate"), (0.01, "renegotiate")],
)
def test_let_go_only_when_losing_the_client_raises_profit(
    contribution: float, expected: str
) -> None:
    out = _classify({"late": {"days_to_pay": 172.0, "net_contribution": contribution}})
    assert out["late"]["action"] == expected


def test_price_pressure_alone_never_lets_a_contributing_client_go() -> None:
    out = _classify({"haggler": {"discount": 0.25, "net_contribution": 30_000.0}})
    assert (out["haggler"]["reasons"], out["haggler"]["action"]) == (
        "price_pressure",
        "renegotiate",
    )


def test_every_let_go_reason_with_a_loss_lets_go() -> None:
    loss = {"net_contribution": -100.0}
    out = _classify({
        "late": {"days_to_pay": 172.0, **loss},
        "returns": {"return_rate": 0.3, **loss},
        "tiny": {"revenue_share": 0.0001, "net_contribution": -300.0},
        "draining": {"service_cost": 3_100.0, **loss},
        "haggler": {"discount": 0.25, **loss},
        "ok": {},
    })  # fmt: skip
    assert out["late"]["reasons"] == "late_payment,negative_contribution"
    assert out["tiny"]["reasons"] == "low_volume,negative_contribution"
    for cid in ("late", "returns", "tiny", "draining", "haggler"):
        assert out[cid]["action"] == "let_go", cid
    assert (out["ok"]["action"], out["ok"]["reasons"]) == ("keep", "")


@pytest.mark.parametrize(
    ("days", "contribution", "expected"),
    [
        (149.99, 10.0, "renegotiate"),  # not beyond the policy's days
        (150.0, 10.0, "renegotiate"),  # at: not beyond
        (150.01, 10.0, "let_go"),  # beyond, contributes less than its financing cost (50)
        (150.01, 50.0, "renegotiate"),  # contributes exactly its financing cost
        (150.01, 49.99, "let_go"),
    ],
)
def test_late_payment_policy_edges(days: float, contribution: float, expected: str) -> None:
    settings = _rules(policy_late_payment_days=150.0)
    out = _classify(
        {"P": {"days_to_pay": days, "net_contribution": contribution}}, settings=settings
    )
    assert out["P"]["action"] == expected


def test_policy_is_off_by_default() -> None:
    out = _classify({"P": {"days_to_pay": 400.0, "net_contribution": 1.0}})
    assert out["P"]["action"] == "renegotiate"


def test_structure_is_renegotiated_not_let_go() -> None:
    out = _classify({
        "S": {**STRUCTURE, "discount": 0.2, "revenue_share": 0.30},
        "S2": {**STRUCTURE, "days_to_pay": 172.0},
        "S3": {**STRUCTURE, "days_to_pay": 172.0, "net_contribution": -5_000.0},
    })  # fmt: skip
    assert (out["S"]["action"], out["S"]["reasons"]) == ("keep", "price_pressure,dependence")
    assert out["S2"]["action"] == "renegotiate"
    assert out["S3"]["action"] == "renegotiate"  # structure > the loss rule


def test_image_and_new_exemptions() -> None:
    out = _classify({
        "img": {"image": True, "net_contribution": -100.0, "revenue_share": 0.0001},
        "img_late": {"image": True, "days_to_pay": 200.0, "net_contribution": -1.0},
        "img_late_ok": {"image": True, "days_to_pay": 200.0},
        "new": {"tenure_days": 60, "net_contribution": -50.0, "revenue_share": 0.0001},
        "new_late": {"tenure_days": 60, "days_to_pay": 150.0, "net_contribution": -1.0},
        "new_late_ok": {"tenure_days": 60, "days_to_pay": 150.0},
    })  # fmt: skip
    assert (out["img"]["segment"], out["img"]["action"]) == ("image", "keep")
    assert out["img"]["reasons"] == "low_volume,negative_contribution"
    assert out["img_late"]["action"] == "renegotiate"  # kept for reputation, even at a loss
    assert out["img_late_ok"]["action"] == "renegotiate"
    assert (out["new"]["segment"], out["new"]["action"]) == ("new", "grow")
    assert out["new_late"]["action"] == "let_go"
    assert out["new_late_ok"]["action"] == "renegotiate"


def test_margin_clients_grow_unless_a_reason_wins() -> None:
    out = _classify({
        "M": MARGIN,
        "M_late": {**MARGIN, "days_to_pay": 200.0},
    })  # fmt: skip
    assert (out["M"]["segment"], out["M"]["action"]) == ("margin", "grow")
    assert (out["M_late"]["segment"], out["M_late"]["action"]) == ("margin", "renegotiate")


def test_dormant_actions() -> None:
    gone = {"orders": 0, "revenue": 0.0, "revenue_share": 0.0, "service_hours": 0.0,
            "service_cost": 0.0, "net_contribution": 0.0, "days_to_pay": None}  # fmt: skip
    out = _classify({
        "gone": {**gone, "previous_revenue": 500.0},
        "long_gone": {**gone, "previous_revenue": 0.0},
        "prospect": {**gone, "previous_revenue": 0.0, "tenure_days": None},
        "lapsed": {"recency_days": 300},
        "costly": {**gone, "service_hours": 8.0, "net_contribution": -320.0,
                   "previous_revenue": 0.0},
    })  # fmt: skip
    assert (out["gone"]["segment"], out["gone"]["action"]) == ("dormant", "win_back")
    assert out["long_gone"]["action"] == "win_back"  # bought before the previous window
    assert out["prospect"]["action"] == "keep"  # never bought: nothing to win back
    assert (out["lapsed"]["segment"], out["lapsed"]["action"]) == ("dormant", "win_back")
    assert (out["costly"]["segment"], out["costly"]["action"]) == ("dormant", "let_go")
    assert out["costly"]["reasons"] == "negative_contribution"


# --- reason values: the one function production uses ----------------------------------------


def test_reason_values_carry_the_numbers() -> None:
    frame = pl.DataFrame(
        [{**BASE, "days_to_pay": 172.0, "revenue_share": 0.3, "service_cost": 2_000.0,
          "discount": None, "revenue": 4_000.0, "previous_revenue": 10_000.0}],
        schema_overrides={"discount": pl.Float64},
    )  # fmt: skip
    values = reason_values(Settings())
    row = frame.select(**{code: expr for code, (expr, _threshold) in values.items()}).row(
        0, named=True
    )
    assert row["late_payment"] == 172.0 and values["late_payment"][1] == 120.0
    assert row["dependence"] == 0.3 and values["dependence"][1] == 0.25
    assert row["service_burden"] == pytest.approx(2_000 / 3_000)
    assert row["declining"] == pytest.approx(0.4)
    assert row["price_pressure"] == 0.0  # no discount data reads as 0


def test_reason_values_every_code_its_threshold_and_the_edges_of_each_ratio() -> None:
    # One row per edge: a missing number reads as 0 (and -0.0 as 0.0, not a negative zero);
    # a ratio over a margin or a previous revenue of 0 (or less) is 0, not a division by zero;
    # just above 0 it is the ratio; a value of exactly 1 is kept.
    cols = (
        "days_to_pay",
        "return_rate",
        "revenue_share",
        "service_cost",
        "gross_margin",
        "discount",
        "net_contribution",
        "revenue",
        "previous_revenue",
    )
    rows = {
        "full": (172.0, 0.07, 0.3, 2_000.0, 3_000.0, 0.12, -500.0, 4_000.0, 10_000.0),
        "unknown": (None, None, 0.0, 0.0, None, None, None, 0.0, None),
        "negative_zero": (-0.0, -0.0, 0.0, 0.0, 0.0, -0.0, -0.0, 0.0, 0.0),
        "zero_base": (1.0, 1.0, 1.0, 100.0, 0.0, 1.0, 1.0, 50.0, 0.0),
        "below_zero": (3.0, 0.2, 0.01, 100.0, -20.0, 0.3, 7.0, 50.0, -5.0),
        "small_base": (2.0, 0.5, 0.5, 1.0, 0.5, 0.5, 2.0, 1.0, 0.5),
    }  # fmt: skip
    frame = pl.DataFrame(
        [dict(zip(("id", *cols), (cid, *vals), strict=True)) for cid, vals in rows.items()],
        schema={"id": pl.String, **dict.fromkeys(cols, pl.Float64)},
    )
    values = reason_values(Settings())
    assert {code: threshold for code, (_expr, threshold) in values.items()} == {
        "late_payment": 120.0, "high_returns": 0.12, "low_volume": 0.001,
        "service_burden": 0.5, "price_pressure": 0.15, "negative_contribution": 0.0,
        "dependence": 0.25, "declining": 0.5,
    }  # fmt: skip
    out = frame.select("id", **{code: expr for code, (expr, _t) in values.items()})
    got = {r.pop("id"): r for r in out.iter_rows(named=True)}
    order = (
        "late_payment",
        "high_returns",
        "low_volume",
        "service_burden",
        "price_pressure",
        "negative_contribution",
        "dependence",
        "declining",
    )
    expected = {
        "full": (172.0, 0.07, 0.3, 2_000 / 3_000, 0.12, -500.0, 0.3, 0.4),
        "unknown": (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
        "negative_zero": (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
        "zero_base": (1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0),
        "below_zero": (3.0, 0.2, 0.01, 0.0, 0.3, 7.0, 0.01, 0.0),
        "small_base": (2.0, 0.5, 0.5, 2.0, 0.5, 2.0, 0.5, 2.0),
    }  # fmt: skip
    for cid, numbers in expected.items():
        assert got[cid] == pytest.approx(dict(zip(order, numbers, strict=True))), cid
    for code in ("late_payment", "high_returns", "price_pressure", "negative_contribution"):
        assert math.copysign(1.0, got["negative_zero"][code]) == 1.0, code


def test_totals_sum_all_clients_and_the_positive_parts_apart() -> None:
    # A fully credited client (negative revenue) and a loss-making one (negative margin) lower
    # the sums but not the positive sums; a figure just above 0 counts as it is.
    rows = [(-300.0, -40.0), (1_000.0, 0.25), (0.5, 200.0), (2_000.0, -10.0)]
    table = ibis.memtable(pl.DataFrame(rows, schema=["revenue", "gross_margin"], orient="row"))
    got = totals_expr(table).to_pyarrow().to_pylist()[0]
    assert got == pytest.approx({
        "revenue": 2_700.5, "gross_margin": 150.25,
        "positive_margin": 200.25, "positive_revenue": 3_000.5,
    })  # fmt: skip


@pytest.mark.parametrize("literal", [False, True], ids=["windows", "literals"])
def test_classify_adds_segment_action_and_reasons_only(literal: bool) -> None:
    settings = Settings()
    table = ibis.memtable(_frame({}).to_arrow())
    totals = None
    if literal:
        totals = PortfolioTotals(**typical_expr(table, settings).to_pyarrow().to_pylist()[0])
    out = classify(table, settings, has_cost=True, totals=totals)
    assert out.columns == (*table.columns, "segment", "action", "reasons")


def test_the_typical_client_counts_only_clients_that_sold() -> None:
    # Sold = orders > 0 and revenue > 0. 30 one-order buyers of 0.50 make the median 0.50, so the
    # cut is 20 × 0.50 = 10: the steady fillers (10,000) are structure, a steady client of 5 is
    # not. Clients with revenue 0 (fully credited) or without orders are not counted: if they
    # were, the median would fall to 0 (the client of 5 would be structure) or rise to 10,000.
    rows: dict[str, dict[str, Any]] = {
        **{f"B{i:02d}": {"orders": 1, "revenue": 0.5, "active_months": 1} for i in range(30)},
        **{f"Q{i:02d}": {"orders": 3, "revenue": 0.0, "active_months": 1} for i in range(60)},
        **{f"O{i:02d}": {"orders": 0, "revenue": 1e6, "active_months": 0} for i in range(40)},
        "small": {"revenue": 5.0, "active_months": 12},
    }
    for literal in (False, True):
        out = _classify(rows, literal=literal)
        assert out["Z00"]["segment"] == "structure", literal
        assert out["small"]["segment"] == "regular", literal


def _typical(frame: pl.DataFrame) -> PortfolioTotals:
    """The typical client in polars, checked against DuckDB's medians (``typical_expr``)."""
    local = typical_values(frame)
    duck = typical_expr(ibis.memtable(frame.to_arrow()), Settings()).to_pyarrow().to_pylist()[0]
    assert local == PortfolioTotals(**duck)
    return local


@pytest.mark.parametrize(
    ("revenues", "median"),
    [
        ([], None),  # no client sold
        ([7.0], 7.0),
        ([3.0, 1.0, 2.0], 2.0),  # an odd count: the middle one
        ([2.0, 1.0], 1.5),  # two: halfway
        ([1.0, 2.0, 4.0, 3.0], 2.5),  # halfway between the two middle ones, in any order
        ([5.0, 1.0, 4.0, 2.0, 3.0, 6.0], 3.5),
    ],
)
def test_the_typical_client_is_duckdbs_median(revenues: list[float], median: float | None) -> None:
    n = len(revenues)
    frame = pl.DataFrame(
        {"orders": [1] * n, "revenue": revenues, "margin_pct": [r / 10 for r in revenues],
         "gross_margin": [None] * n},
        schema={"orders": pl.Int64, "revenue": pl.Float64, "margin_pct": pl.Float64,
                "gross_margin": pl.Float64},
    )  # fmt: skip
    typical = _typical(frame)
    assert (typical.revenue, typical.gross_margin) == (median, None)
    assert typical.margin_pct == (None if median is None else pytest.approx(median / 10))


def test_the_typical_client_sold_at_least_one_order_for_more_than_nothing() -> None:
    # Sold: one order of 0.50 and three clients of 10, 20 and 30 (median 15). Not sold: a
    # revenue without orders, orders without revenue, a credit (orders, revenue below 0).
    frame = pl.DataFrame(
        {"orders": [1, 0, 3, 2, 5, 5, 5], "revenue": [0.5, 100.0, 0.0, -50.0, 10.0, 30.0, 20.0],
         "margin_pct": [0.1] * 7, "gross_margin": [1.0] * 7},
    )  # fmt: skip
    assert _typical(frame).revenue == 15.0


def test_policy_with_unknown_figures_does_not_let_go() -> None:
    # Unknown contribution (no cost data) or unknown days to pay never make letting go pay.
    settings = _rules(policy_late_payment_days=150.0)
    out = _classify(
        {
            "no_days": {"days_to_pay": None, "return_rate": 0.3, "net_contribution": 10.0},
            "no_cost": {"days_to_pay": 200.0, "net_contribution": None, "financing_cost": None},
        },
        settings=settings,
    )
    assert out["no_days"]["action"] == "renegotiate"
    assert out["no_cost"]["action"] == "renegotiate"


def test_a_credit_balance_after_a_year_without_sales_is_no_decline() -> None:
    # Revenue below half of a previous revenue of 0 only when it is negative: no decline
    # without a previous revenue to fall from.
    out = _classify({"credit": {"revenue": -100.0, "previous_revenue": 0.0, "orders": 1}})
    assert "declining" not in out["credit"]["reasons"]


def test_an_unknown_gross_margin_is_no_margin_client() -> None:
    out = _classify({"m": {**MARGIN, "gross_margin": None}, "n": MARGIN})
    assert (out["m"]["segment"], out["n"]["segment"]) == ("regular", "margin")


@pytest.mark.parametrize("fixed_costs", [0.0, 20_000.0])
def test_unknown_revenue_or_steadiness_is_no_structure(fixed_costs: float) -> None:
    # Q is large but of unknown active months; U of unknown revenue: neither is structure
    # (with fixed costs to carry too, where U's revenue has no place in the ranking).
    rows: dict[str, dict[str, Any]] = {
        "Q": {"revenue": 500_000.0, "gross_margin": 40_000.0, "active_months": None},
        "U": {"revenue": None, "gross_margin": 40_000.0, "active_months": 12},
        "C": {**BIG["C"]},
    }
    out = _classify(rows, settings=_fixed(fixed_costs))
    assert {c: out[c]["segment"] for c in rows} == {
        "Q": "regular", "U": "regular", "C": "structure",
    }  # fmt: skip


def test_structure_with_fixed_costs_a_large_clients_loss_does_not_lower_what_is_carried() -> None:
    # 0.8 × 20,000 = 16,000 to carry. A carries 40,000; B's gross margin of -30,000
    # carries nothing, so before C the clients above still carry 40,000 (not 10,000).
    rows = {**BIG, "B": {**BIG["B"], "gross_margin": -30_000.0}}
    out = _classify(rows, settings=_fixed(20_000.0))
    assert {c: out[c]["segment"] for c in "ABC"} == {
        "A": "structure", "B": "regular", "C": "regular",
    }  # fmt: skip


def test_classify_frame_adds_segment_action_and_reasons_only() -> None:
    frame = _frame({})
    out = classify_frame(frame, Settings(), has_cost=True)
    assert out.columns == [*frame.columns, "segment", "action", "reasons"]


def _single(value: float, *, up: bool = False) -> float:
    """``value`` rounded to single precision (or the next single above it)."""
    rounded = np.float32(value)
    return float(np.nextafter(rounded, np.float32(np.inf)) if up else rounded)


def test_a_single_precision_frame_meets_each_cut_point_in_double_precision() -> None:
    # Revenue, margin % and gross margin as Float32 (a frame another writer made). Each cut
    # rounds down to single precision: a client exactly at the rounded cut is still below
    # the cut, and the next single above it is past it.
    totals = PortfolioTotals(revenue=10_000.0003, margin_pct=0.30000001, gross_margin=3_000.0001)
    revenue_cut, pct_cut, gm_cut = cut_points(totals, Settings())
    assert revenue_cut is not None and pct_cut is not None and gm_cut is not None
    rows: dict[str, dict[str, Any]] = {}
    for suffix, up in (("", False), ("+", True)):
        rows["S" + suffix] = {"revenue": _single(revenue_cut, up=up), "active_months": 12}
        rows["P" + suffix] = {**MARGIN, "margin_pct": _single(pct_cut, up=up)}
        rows["G" + suffix] = {**MARGIN, "gross_margin": _single(gm_cut, up=up)}
    frame = _frame(rows).with_columns(
        pl.col("revenue", "margin_pct", "gross_margin").cast(pl.Float32)
    )
    out = classify_frame(frame, Settings(), has_cost=True, totals=totals)
    segments = dict(zip(out["id"], out["segment"], strict=True))
    assert {k: segments[k] for k in rows} == {
        "S": "regular", "P": "regular", "G": "regular",
        "S+": "structure", "P+": "margin", "G+": "margin",
    }  # fmt: skip
