"""The charts' series and axes: shares where a share means something, currency otherwise."""

from __future__ import annotations

import pytest

from cartera.i18n import language
from cartera.report.charts import figures, whale_chart, whale_range
from cartera.report.view_parts import chart_data, whale_shares
from cartera.result import CurvePoint, PortfolioAnalysis


def with_whale(analysis: PortfolioAnalysis, points: list[tuple[float, float]]) -> None:
    analysis.whale_curve = [CurvePoint(x=x, y=y) for x, y in points]


def test_whale_shares_divide_by_the_total(analysis: PortfolioAnalysis) -> None:
    # Two profitable clients bring 150, the third loses 50: total 100.
    with_whale(analysis, [(0.0, 0.0), (1 / 3, 90.0), (2 / 3, 150.0), (1.0, 100.0)])
    assert whale_shares(analysis) == [
        (0.0, 0.0),
        (1 / 3, pytest.approx(0.9)),
        (2 / 3, pytest.approx(1.5)),
        (1.0, pytest.approx(1.0)),
    ]


@pytest.mark.parametrize("total", [0.0, -0.01, -500.0])
def test_no_share_without_a_positive_total(analysis: PortfolioAnalysis, total: float) -> None:
    with_whale(analysis, [(0.0, 0.0), (0.5, 300.0), (1.0, total)])
    assert whale_shares(analysis) == []
    with language("en"):
        figure = whale_chart(chart_data(analysis, None))
    axis = figure["layout"]["yaxis"]
    assert "tickformat" in axis and axis["tickformat"] == ",.0f"  # currency, not %
    assert axis["title"]["text"] == "Net contribution, cumulative (€)"
    assert figure["data"][0]["y"] == [0.0, 300.0, total]


def test_whale_axis_is_a_percentage_of_the_total(analysis: PortfolioAnalysis) -> None:
    """The bug this guards: y in currency under a % format read 0–300,000,000 %."""
    with_whale(analysis, [(0.0, 0.0), (0.25, 240_000.0), (0.5, 260_000.0), (1.0, 200_000.0)])
    with language("en"):
        figure = whale_chart(chart_data(analysis, None))
    ys = figure["data"][0]["y"]
    assert ys == [0.0, pytest.approx(1.2), pytest.approx(1.3), pytest.approx(1.0)]
    axis = figure["layout"]["yaxis"]
    assert axis["tickformat"] == ".0%"
    # From 0 to the 130% peak plus 6% of the span: 1.3 + 0.078.
    assert axis["range"] == [0.0, pytest.approx(1.378)]
    assert figure["layout"]["xaxis"]["range"] == [0, 1.0]
    assert figure["layout"]["xaxis"]["title"]["text"] == "Share of clients (most profitable first)"
    assert figure["layout"]["shapes"][0]["y0"] == 1.0  # the 100% line


def test_fixture_whale_stays_in_a_sensible_range(analysis: PortfolioAnalysis) -> None:
    with language("es"):
        data = chart_data(analysis, None)
    whale = next(f for f in figures(data) if f["id"] == "chart-whale")["figure"]
    low, high = whale["layout"]["yaxis"]["range"]
    assert low == 0.0 and 1.0 < high < 3.0
    assert whale["data"][0]["y"][-1] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("ys", "expected"),
    [
        ((0.0, 1.0), [0.0, 1.06]),
        ((0.0, -1.0, 2.0), [-1.18, 2.18]),
        ((0.0, 0.0), [0.0, 0.1]),  # a flat curve still gets a visible range
    ],
)
def test_whale_range(ys: tuple[float, ...], expected: list[float]) -> None:
    assert whale_range(ys) == [pytest.approx(v) for v in expected]


def test_aging_labels_get_room_for_their_tilt(analysis: PortfolioAnalysis) -> None:
    """The tilted «Más de 120 días» was cut at the chart's right edge."""
    from cartera.report.charts import aging_chart

    figure = aging_chart(chart_data(analysis, None))
    assert figure["layout"]["xaxis"]["automargin"] is True
    assert figure["data"][0]["x"][-1] == "Más de 120 días"
