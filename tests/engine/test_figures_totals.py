"""Portfolio figures from one row of sums (``figures.from_totals``) at their rules' edges.

Each test feeds a hand-made totals row (the columns of ``portfolio.totals_expr``
and of the what-if simulator's sums): missing and non-finite sums, totals below
one, shares exactly at the large-client flag, data without margins.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from cartera.engine.figures import _EPS, from_totals
from cartera.result import SEGMENTS, Portfolio
from cartera.settings import Settings

AGING = ("current", "1_30", "31_60", "61_90", "91_120", "over_120")
SETTINGS = Settings()


def _row(**changes: Any) -> dict[str, Any]:
    """Four regular clients with revenue 50, 30, 15 and 5 (100 in all), then ``changes``."""
    row: dict[str, Any] = {
        "clients": 4, "positive_clients": 4, "revenue": 100.0, "gross_margin": 40.0,
        "positive_revenue": 100.0, "sum_sq": 3650.0, "n80": 2,
        "top1": 50.0, "top5": 100.0, "top10": 100.0,
        "cost_to_serve": 5.0, "net_contribution": 35.0, "service_hours": 2.0,
        "structure_margin": None, "whale_peak": 35.0,
        **{f"aging_{name}": 0.0 for name in AGING},
    }  # fmt: skip
    for name in SEGMENTS:
        inside = name == "regular"
        row[f"seg_{name}_clients"] = 4 if inside else 0
        row[f"seg_{name}_revenue"] = 100.0 if inside else None
        row[f"seg_{name}_gross_margin"] = 40.0 if inside else None
        row[f"seg_{name}_net_contribution"] = 35.0 if inside else None
    row.update(changes)
    return row


def _figures(row: dict[str, Any], settings: Settings = SETTINGS) -> tuple[Portfolio, list[float]]:
    """The portfolio and the positive revenues ``large_clients`` was asked about."""
    asked: list[float] = []

    def large(positive: float, flag: float) -> list[str]:
        asked.append(positive)
        return ["C1"]

    return from_totals(row, settings, large), asked


def test_the_four_clients_figures() -> None:
    p, asked = _figures(_row())
    assert (p.revenue, p.gross_margin, p.margin_pct) == (100.0, 40.0, 0.4)
    assert (p.top1_share, p.top5_share, p.top10_share) == (0.5, 1.0, 1.0)
    assert p.hhi == 3650.0
    assert p.effective_clients == pytest.approx(10_000 / 3650)
    assert (p.pareto.clients_for_80pct, p.pareto.share_of_clients_for_80pct) == (2, 0.5)
    assert (p.large_clients, asked) == (["C1"], [100.0])
    assert p.whale_peak_share == 1.0
    regular = p.segments["regular"]
    assert (regular.clients, regular.revenue, regular.gross_margin) == (4, 100.0, 40.0)
    assert regular.net_contribution == 35.0


def test_top_ten_share_is_its_own_figure() -> None:
    p, _ = _figures(_row(top5=90.0, top10=95.0))
    assert (p.top5_share, p.top10_share) == (0.9, 0.95)


def test_non_finite_sums_count_as_missing() -> None:
    p, _ = _figures(_row(revenue=math.nan, service_hours=math.inf, cost_to_serve=-math.inf))
    assert (p.revenue, p.margin_pct) == (0.0, None)
    assert (p.service_hours, p.cost_to_serve) == (0.0, 0.0)


def test_missing_sums_count_as_zero() -> None:
    p, _ = _figures(_row(cost_to_serve=None, service_hours=None, top5=None, n80=None))
    assert (p.cost_to_serve, p.service_hours, p.top5_share) == (0.0, 0.0, 0.0)
    assert (p.pareto.clients_for_80pct, p.pareto.share_of_clients_for_80pct) == (0, 0.0)
    assert p.pareto.band == "high_risk"


def test_missing_sum_of_squares_gives_no_concentration() -> None:
    p, _ = _figures(_row(sum_sq=None))
    assert (p.hhi, p.effective_clients) == (0.0, None)


def test_missing_whale_peak_with_positive_contribution_is_a_zero_share() -> None:
    p, _ = _figures(_row(whale_peak=None))
    assert p.whale_peak_share == 0.0


def test_unknown_positive_revenue_gives_no_shares() -> None:
    # The simulator's sum is NaN when a revenue is (numpy ranks NaN last, so the
    # first client's top sum is still a number): no share can be stated.
    p, asked = _figures(_row(positive_revenue=math.nan))
    assert (p.top1_share, p.top5_share, p.top10_share) == (0.0, 0.0, 0.0)
    assert (p.hhi, p.effective_clients) == (0.0, None)
    assert (p.large_clients, asked) == ([], [])


def test_totals_below_one() -> None:
    # One client selling 0.5 with a margin of 0.2: shares, HHI and margin as at any size.
    row = _row(
        clients=1, positive_clients=1, revenue=0.5, gross_margin=0.2, positive_revenue=0.5,
        sum_sq=0.25, n80=1, top1=0.5, top5=0.5, top10=0.5, net_contribution=0.2,
        whale_peak=0.2,
    )  # fmt: skip
    p, asked = _figures(row)
    assert p.margin_pct == 0.4
    assert (p.hhi, p.effective_clients, p.top1_share) == (10_000.0, 1.0, 1.0)
    assert asked == [0.5]


def test_hhi_below_one_still_gives_effective_clients() -> None:
    # 20,000 clients of 1 each: HHI 10,000 × 20,000 / 20,000² = 0.5.
    n = 20_000
    row = _row(
        clients=n, positive_clients=n, revenue=float(n), positive_revenue=float(n),
        sum_sq=float(n), n80=16_000, top1=1.0, top5=5.0, top10=10.0,
    )  # fmt: skip
    p, asked = _figures(row)
    assert (p.hhi, p.effective_clients) == (0.5, 20_000.0)
    assert asked == []


def test_fixed_costs_below_one_are_covered() -> None:
    p, _ = _figures(_row(structure_margin=2.0), Settings(fixed_costs=0.5))
    assert (p.fixed_costs, p.fixed_cost_coverage) == (0.5, 4.0)


@pytest.mark.parametrize(
    ("top1", "flagged"),
    [
        (SETTINGS.targets.flag_client_share, True),  # exactly at the flag
        (SETTINGS.targets.flag_client_share - _EPS, True),  # at the tolerance's edge
        (SETTINGS.targets.flag_client_share - 2 * _EPS, False),
    ],
)
def test_large_clients_are_asked_for_at_the_flag(top1: float, flagged: bool) -> None:
    # A positive revenue of 1 makes the share the top sum itself (no rounding).
    p, asked = _figures(_row(positive_revenue=1.0, top1=top1, top5=1.0, top10=1.0))
    assert p.top1_share == top1
    assert (p.large_clients, asked) == ((["C1"], [1.0]) if flagged else ([], []))


def test_without_margin_data_nothing_is_known_about_margins() -> None:
    row = _row(gross_margin=None, net_contribution=None, whale_peak=None)
    row |= {"seg_regular_gross_margin": None, "seg_regular_net_contribution": None}
    p, _ = _figures(row, Settings(fixed_costs=1200.0))
    assert (p.gross_margin, p.margin_pct, p.net_contribution, p.profit) == (None,) * 4
    assert (p.fixed_costs, p.fixed_cost_coverage, p.whale_peak_share) == (1200.0, None, None)
    for name in SEGMENTS:
        figures = p.segments[name]
        assert (figures.gross_margin, figures.net_contribution) == (None, None), name


def test_with_margin_data_an_empty_segment_has_zero_margins() -> None:
    p, _ = _figures(_row())
    for name in SEGMENTS:
        if name != "regular":
            figures = p.segments[name]
            assert (figures.clients, figures.revenue) == (0, 0.0)
            assert (figures.gross_margin, figures.net_contribution) == (0.0, 0.0), name
