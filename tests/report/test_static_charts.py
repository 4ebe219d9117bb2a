"""The PDF's bubble chart: revenue ticks readable whatever the clients' spread."""

from __future__ import annotations

import itertools

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from cartera.report.static_charts import _revenue_axis


def _labels(revenues: list[float]) -> tuple[str, list[tuple[float, float]]]:
    fig = Figure(figsize=(4, 2.5))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.scatter(revenues, [0.15] * len(revenues))
    _revenue_axis(ax, revenues)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    left, right = ax.get_xlim()
    shown = [t for t in ax.get_xticklabels(minor=False) + ax.get_xticklabels(minor=True)
             if t.get_text() and left <= t.get_position()[0] <= right]  # fmt: skip
    spans = sorted((b.x0, b.x1) for b in (t.get_window_extent(renderer) for t in shown))
    return ax.get_xscale(), spans


@pytest.mark.parametrize(
    ("revenues", "scale"),
    [
        ([280_000.0 + 2_500 * i for i in range(30)], "linear"),  # top clients of a big firm
        ([100.0, 5_000.0, 40_000.0, 900_000.0], "log"),  # a small firm's whole range
        ([1_000.0, 9_999.0], "linear"),  # just under a decade
        ([1_000.0, 10_000.0], "log"),  # a decade
    ],
)
def test_revenue_ticks_are_labelled_without_overlap(revenues: list[float], scale: str) -> None:
    got, spans = _labels(revenues)
    assert got == scale
    assert len(spans) >= 2
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


@pytest.mark.parametrize("key", ["aging", "worst", "stress", "pareto"])
@pytest.mark.parametrize("scale", [1.0, 1e6])  # a small firm; 500,000 clients' hundreds of millions
def test_tick_labels_stay_on_the_page(analysis, stress, key: str, scale: float) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from cartera.i18n import language
    from cartera.report.static_charts import figure
    from cartera.report.view_parts import chart_data

    with language("es"):
        data = chart_data(analysis, stress)
        data = replace(
            data,
            aging=[(label, amount * scale) for label, amount in data.aging],
            stress=[(x * scale, y) for x, y in data.stress],
            stress_p5=data.stress_p5 * scale,
            stress_expected=data.stress_expected * scale,
            stress_baseline=data.stress_baseline * scale,
        )
        if data.worst is not None:
            _name, before, after = data.worst
            name = "Carpintería y Construcciones Aguilar Hermanos 69, S.A."
            data = replace(data, worst=(name, (before or 0.0) * scale, (after or 0.0) * scale))
        fig = figure(data, key)
        FigureCanvasAgg(fig)
        fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    ax = fig.axes[0]
    labels = [t for t in ax.get_yticklabels() if t.get_text()]
    assert labels
    assert min(t.get_window_extent(renderer).x0 for t in labels) >= 0
    if ax.get_ylabel():
        assert ax.yaxis.label.get_window_extent(renderer).x0 >= 0
    left, right = sorted(ax.get_xlim())
    shown = [t for t in ax.get_xticklabels()
             if t.get_text() and left <= t.get_position()[0] <= right]  # fmt: skip
    boxes = [t.get_window_extent(renderer) for t in shown]
    assert all(b.x0 >= 0 and b.x1 <= fig.bbox.x1 for b in boxes)
