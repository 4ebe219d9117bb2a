"""The simulator's frame adjustments, by hand on three clients."""

from __future__ import annotations

import polars as pl
import pytest

from cartera.scenarios.simulate import adjust_frame

FRAME = pl.DataFrame(
    {
        "id": ["A", "B", "C"],
        "segment": ["structure", "margin", "structure"],
        "revenue": [1000.0, 500.0, 0.0],
        "gross_margin": [200.0, 250.0, 0.0],
        "margin_pct": [0.2, 0.5, None],
        "service_hours": [10.0, None, 2.0],
        "service_cost": [400.0, 0.0, 80.0],
        "cost_to_serve": [450.0, 20.0, 80.0],
        "net_contribution": [-250.0, 230.0, -80.0],
    }
)


def test_nothing_changes_at_the_same_cost_and_no_cut() -> None:
    assert adjust_frame(FRAME, hourly_cost=40, old_hourly_cost=40, structure_price_cut=0) is FRAME


def test_hourly_cost_moves_service_cost_and_contribution() -> None:
    out = adjust_frame(FRAME, hourly_cost=50, old_hourly_cost=40, structure_price_cut=0)
    assert out["service_cost"].to_list() == [500.0, 0.0, 100.0]
    assert out["cost_to_serve"].to_list() == [550.0, 20.0, 100.0]
    assert out["net_contribution"].to_list() == [-350.0, 230.0, -100.0]
    assert out["revenue"].to_list() == FRAME["revenue"].to_list()


@pytest.mark.parametrize("cut", [0.0, 0.1, 0.5])
def test_structure_price_cut_comes_off_margin_only_for_structure(cut: float) -> None:
    out = adjust_frame(FRAME, hourly_cost=40, old_hourly_cost=40, structure_price_cut=cut)
    assert out["revenue"].to_list() == pytest.approx([1000 * (1 - cut), 500.0, 0.0])
    assert out["gross_margin"].to_list() == pytest.approx([200 - 1000 * cut, 250.0, 0.0])
    assert out["net_contribution"].to_list() == pytest.approx([-250 - 1000 * cut, 230.0, -80.0])
    expected_pct = (200 - 1000 * cut) / (1000 * (1 - cut))
    assert out["margin_pct"][0] == pytest.approx(expected_pct)
    assert out["margin_pct"][2] is None  # no revenue, no margin %
