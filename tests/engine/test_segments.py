"""Segment, action and reason rules on hand-made per-client rows."""

from __future__ import annotations

from typing import Any

import ibis
import polars as pl
import pytest

from cartera.segments import classify, reason_details
from cartera.settings import Settings

BASE: dict[str, Any] = {
    "image": False, "orders": 10, "revenue": 10_000.0, "revenue_share": 0.02,
    "gross_margin": 3_000.0, "margin_pct": 0.30, "net_contribution": 2_500.0,
    "active_months": 6, "tenure_days": 700, "recency_days": 20, "days_to_pay": 45.0,
    "return_rate": 0.01, "service_cost": 200.0, "service_hours": 5.0, "discount": None,
    "previous_revenue": 9_000.0,
}  # fmt: skip
# Filler clients so that the portfolio margin is 30 % and shares stay small.
FILLER = [{**BASE, "id": f"Z{i}"} for i in range(20)]


def _classify(rows: dict[str, dict[str, Any]], *, has_cost: bool = True) -> dict[str, dict]:
    data = [{**BASE, **row, "id": cid} for cid, row in rows.items()] + FILLER
    frame = pl.DataFrame(data, schema_overrides={"discount": pl.Float64})
    out = classify(ibis.memtable(frame.to_arrow()), Settings(), has_cost=has_cost).to_polars()
    return {r["id"]: r for r in out.iter_rows(named=True)}


def test_structure_and_its_renegotiation() -> None:
    out = _classify({
        "S": {"revenue_share": 0.30, "active_months": 12, "margin_pct": 0.15, "discount": 0.2},
        "S2": {"revenue_share": 0.10, "active_months": 11, "days_to_pay": 172.0},
    })  # fmt: skip
    assert out["S"]["segment"] == "structure"
    assert out["S"]["action"] == "keep"  # price squeeze shown, not a disqualifier
    assert out["S"]["reasons"] == "price_pressure,dependence"
    assert out["S2"]["segment"] == "structure"
    assert out["S2"]["action"] == "renegotiate"
    assert out["S2"]["reasons"] == "late_payment"


def test_margin_client_needs_excess_margin_size_and_occasional() -> None:
    out = _classify({
        "M": {"margin_pct": 0.55, "gross_margin": 20_000.0, "active_months": 3},
        "steady": {"margin_pct": 0.55, "gross_margin": 20_000.0, "active_months": 12},
        "small": {"margin_pct": 0.55, "gross_margin": 10.0, "active_months": 3},
    })  # fmt: skip
    assert (out["M"]["segment"], out["M"]["action"]) == ("margin", "grow")
    assert out["steady"]["segment"] == "regular"
    assert out["small"]["segment"] == "regular"


def test_let_go_reasons() -> None:
    out = _classify({
        "late": {"days_to_pay": 172.0},
        "returns": {"return_rate": 0.3},
        "tiny": {"revenue_share": 0.0001, "net_contribution": -300.0},
        "draining": {"service_cost": 2_000.0},
        "haggler": {"discount": 0.25},
        "ok": {},
    })  # fmt: skip
    assert out["late"]["reasons"] == "late_payment"
    assert out["returns"]["reasons"] == "high_returns"
    assert out["tiny"]["reasons"] == "low_volume,negative_contribution"
    assert out["draining"]["reasons"] == "service_burden"
    assert out["haggler"]["reasons"] == "price_pressure"
    for cid in ("late", "returns", "tiny", "draining", "haggler"):
        assert out[cid]["action"] == "let_go", cid
    assert (out["ok"]["action"], out["ok"]["reasons"]) == ("keep", "")


def test_image_and_new_exemptions() -> None:
    out = _classify({
        "img": {"image": True, "net_contribution": -100.0, "revenue_share": 0.0001},
        "img_late": {"image": True, "days_to_pay": 200.0},
        "new": {"tenure_days": 60, "net_contribution": -50.0, "revenue_share": 0.0001},
        "new_late": {"tenure_days": 60, "days_to_pay": 150.0},
    })  # fmt: skip
    assert (out["img"]["segment"], out["img"]["action"]) == ("image", "keep")
    assert out["img"]["reasons"] == "low_volume,negative_contribution"
    assert out["img_late"]["action"] == "let_go"
    assert (out["new"]["segment"], out["new"]["action"]) == ("new", "grow")
    assert out["new_late"]["action"] == "let_go"


def test_dormant() -> None:
    out = _classify({
        "gone": {"orders": 0, "revenue": 0.0, "revenue_share": 0.0, "previous_revenue": 500.0,
                 "service_hours": 0.0, "service_cost": 0.0, "net_contribution": 0.0},
        "lapsed": {"recency_days": 300},
        "costly": {"orders": 0, "revenue": 0.0, "revenue_share": 0.0, "service_hours": 8.0,
                   "net_contribution": -320.0, "previous_revenue": 0.0},
    })  # fmt: skip
    assert (out["gone"]["segment"], out["gone"]["action"]) == ("dormant", "grow")
    assert out["lapsed"]["segment"] == "dormant"
    assert (out["costly"]["segment"], out["costly"]["action"]) == ("dormant", "let_go")
    assert out["costly"]["reasons"] == "negative_contribution"


def test_declining_and_dependence_are_shown_not_acted_on() -> None:
    out = _classify({"d": {"revenue": 4_000.0, "previous_revenue": 10_000.0}})
    assert (out["d"]["reasons"], out["d"]["action"]) == ("declining", "keep")


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
    assert out["late"]["action"] == "let_go"


def test_reason_details_carry_the_numbers() -> None:
    row = {**BASE, "days_to_pay": 172.0, "revenue_share": 0.3}
    reasons = reason_details("late_payment,dependence", row, Settings())
    assert [(r.code, r.value, r.threshold) for r in reasons] == [
        ("late_payment", 172.0, 120.0),
        ("dependence", 0.3, 0.25),
    ]
    assert reason_details("", row, Settings()) == []
    burden = reason_details("service_burden", {**BASE, "service_cost": 2_000.0}, Settings())
    assert burden[0].value == pytest.approx(2_000 / 3_000)
