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


def _stress_data(analysis: PortfolioAnalysis, stress, today: float):  # type: ignore[no-untyped-def]
    """The chart data of a histogram of 40 bins from 470 to 478 (million) and ``today``."""
    from dataclasses import replace

    data = chart_data(analysis, stress)
    bins = [(470e6 + 0.2e6 * (i + 0.5), 1 / 40) for i in range(40)]
    return replace(data, stress=bins, stress_p5=471e6, stress_expected=474e6,
                   stress_baseline=today)  # fmt: skip


@pytest.mark.parametrize(
    ("today", "inside"),
    [
        (486e6, True),  # exactly one band's width (8 million) beyond the band: drawn
        (486.01e6, False),  # just beyond: named at the edge
        (815e6, False),  # 500,000 clients: today 340 million above the simulated years
        (462e6, True),  # one width below
        (461.99e6, False),
    ],
)
def test_stress_axis_keeps_the_histogram_readable(
    analysis: PortfolioAnalysis, stress, today: float, inside: bool
) -> None:
    from cartera.report.charts import stress_chart, stress_range

    data = _stress_data(analysis, stress, today)
    low, high, drawn = stress_range(data)
    assert drawn is inside
    assert low < 470e6 and high > 478e6
    assert (low <= today <= high) is inside
    fig = stress_chart(data)
    assert fig["layout"]["xaxis"]["range"] == [low, high]
    lines = [s["x0"] for s in fig["layout"]["shapes"]]
    assert lines == ([471e6, 474e6, today] if inside else [471e6, 474e6])
    notes = {n["text"].strip("→← "): n for n in fig["layout"]["annotations"]}
    p5, expected = (notes[data.text[k]] for k in ("p5", "expected"))
    assert (p5["xanchor"], expected["xanchor"]) == ("right", "left")  # never on each other
    if not inside:
        edge = next(n for n in fig["layout"]["annotations"] if n.get("xref") == "paper")
        assert edge["x"] == (1.0 if today > high else 0.0)
        assert ("→" in edge["text"]) is (today > high)


def test_pdf_stress_axis_matches(analysis: PortfolioAnalysis, stress) -> None:  # type: ignore[no-untyped-def]
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    from cartera.report.charts import stress_range
    from cartera.report.static_charts import _stress

    data = _stress_data(analysis, stress, 815e6)
    ax = Figure().add_subplot()
    _stress(ax, data, FuncFormatter)
    low, high, _inside = stress_range(data)
    assert ax.get_xlim() == pytest.approx((low, high))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        data.text["p5"],
        data.text["expected"],
    ]
    assert any("→" in t.get_text() for t in ax.texts)


def test_no_worst_loss_chart_or_card_without_cost_data(analysis: PortfolioAnalysis) -> None:
    # Decision 0948: without margins the worst loss has no profit before or after to draw.
    from cartera.report.view import build_view

    ids = {c["id"] for c in figures(chart_data(analysis, None))}
    assert "chart-worst" in ids
    assert "worst_single_loss" in {f.key for f in build_view(analysis).headline}
    analysis.portfolio.profit = None
    assert analysis.portfolio.worst_single_loss is not None
    analysis.portfolio.worst_single_loss.profit_after = None
    assert "chart-worst" not in {c["id"] for c in figures(chart_data(analysis, None))}
    assert "worst_single_loss" not in {f.key for f in build_view(analysis).headline}


def test_no_aging_chart_without_due_dates_or_payments(analysis: PortfolioAnalysis) -> None:
    from cartera.analysis import NOTE_NO_DUE

    assert "chart-aging" in {c["id"] for c in figures(chart_data(analysis, None))}
    analysis.notes = [*analysis.notes, NOTE_NO_DUE]  # every open amount would be "current"
    assert chart_data(analysis, None).aging == []
    assert "chart-aging" not in {c["id"] for c in figures(chart_data(analysis, None))}
    analysis.notes = analysis.notes[:-1]
    analysis.portfolio.aging = []  # no payment data: the analysis leaves aging out
    assert "chart-aging" not in {c["id"] for c in figures(chart_data(analysis, None))}
