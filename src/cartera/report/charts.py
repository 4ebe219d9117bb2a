"""Interactive charts of the HTML report as Plotly figure dictionaries.

Each ``*_chart`` function reads :class:`~cartera.report.view_parts.ChartData`
(series already chosen, titles already translated) and returns the plain
``{"data": [...], "layout": {...}}`` that ``Plotly.newPlot`` takes; numbers
follow the locale through ``layout.separators`` and the currency's affixes.
:func:`figures` lists every chart that has data, in the report's order.
"""

from __future__ import annotations

import math
from typing import Any

from cartera.i18n import fmt_money
from cartera.report.palette import ACCENT, BAD, GOOD, GRID, MUTED, SEGMENT_COLOURS
from cartera.report.view_parts import ChartData

__all__ = ["ChartSpec", "figures", "money_affixes"]

ChartSpec = dict[str, Any]
Fig = dict[str, Any]
#: Bubble area of the largest |net contribution|, in px² (Plotly's sizemode="area").
BUBBLE_MAX_PX = 46.0


def money_affixes(currency: str) -> tuple[str, str]:
    """The currency sign around a number in this locale: ``('', ' €')`` / ``('€', '')``."""
    sample = fmt_money(1, currency, digits=0)
    prefix, _one, suffix = sample.partition("1")
    return prefix, suffix


def _layout(data: ChartData, title: str, **extra: Any) -> dict[str, Any]:
    # The title is the figure's HTML caption (it wraps on a phone); ``meta`` keeps it for tools.
    layout: dict[str, Any] = {
        "meta": {"title": title},
        "separators": ",." if data.lang == "es" else ".,",
        "margin": {"l": 56, "r": 28, "t": 32, "b": 96},
        "height": 360,
        "autosize": True,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 12},
        # Below the x-axis title, anchored to the figure so the two never overlap.
        "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0},
        "hovermode": "closest",
    }
    layout.update(extra)
    return layout


def _axis(title: str, **extra: Any) -> dict[str, Any]:
    axis = {"title": {"text": title}, "gridcolor": GRID, "zeroline": False, "automargin": True}
    axis.update(extra)
    return axis


def _money_axis(data: ChartData, title: str, **extra: Any) -> dict[str, Any]:
    """Plain grouped ticks and the currency sign in the title (a prefix would read €−10,000)."""
    sign = "".join(money_affixes(data.currency)).strip()
    label = f"{title} ({sign})" if title else sign
    return _axis(label, tickformat=",.0f", **extra)


def _hline(y: float, colour: str, dash: str = "dash") -> dict[str, Any]:
    return {
        "type": "line",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "y0": y,
        "y1": y,
        "line": {"color": colour, "width": 1.5, "dash": dash},
    }


def _vline(x: float, colour: str, dash: str = "dash") -> dict[str, Any]:
    return {
        "type": "line",
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "x0": x,
        "x1": x,
        "line": {"color": colour, "width": 2, "dash": dash},
    }


def pareto_chart(data: ChartData) -> Fig:
    """Lorenz-style curve, the 80% line, the seed's 80/10–80/20–80/40 points and ours."""
    t = data.text
    xs, ys = zip(*data.pareto, strict=True)
    refs = data.pareto_references
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": list(xs),
            "y": list(ys),
            "name": t["portfolio"],
            "line": {"color": ACCENT, "width": 3},
            "hovertemplate": "%{x:.1%} → %{y:.1%}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "x": [0, 1],
            "y": [0, 1],
            "name": t["equality"],
            "line": {"color": MUTED, "dash": "dot", "width": 1},
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "mode": "markers+text",
            "x": [r[0] for r in refs],
            "y": [0.8] * len(refs),
            "text": [r[1] for r in refs],
            "textposition": "bottom right",
            "marker": {"color": "white", "size": 9, "line": {"color": MUTED, "width": 2}},
            "name": "80/10 · 80/20 · 80/40",
            "hoverinfo": "text",
        },
    ]
    if data.pareto_point is not None:
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [data.pareto_point],
                "y": [0.8],
                "marker": {"color": BAD, "size": 12, "symbol": "diamond"},
                "name": t["line80"],
                "hovertemplate": "%{x:.1%} → 80%<extra></extra>",
            }
        )
    layout = _layout(
        data,
        t["pareto"],
        xaxis=_axis(t["clients_axis"], tickformat=".0%", range=[-0.01, 1.01]),
        yaxis=_axis(t["revenue_axis"], tickformat=".0%", range=[0, 1.04]),
        shapes=[_hline(0.8, BAD)],
    )
    return {"data": traces, "layout": layout}


def segments_chart(data: ChartData) -> Fig:
    """Revenue and gross margin per segment, bars coloured by segment."""
    t = data.text
    names = [data.segment_names[s[0]] for s in data.segments]
    colours = [SEGMENT_COLOURS[s[0]] for s in data.segments]
    traces = [
        {
            "type": "bar",
            "x": names,
            "y": [s[1] for s in data.segments],
            "name": t["revenue"],
            "marker": {"color": colours},
        },
        {
            "type": "bar",
            "x": names,
            "y": [s[2] for s in data.segments],
            "name": t["gross_margin"],
            "marker": {"color": colours, "opacity": 0.45, "pattern": {"shape": "/"}},
        },
    ]
    layout = _layout(data, t["segments"], barmode="group", yaxis=_money_axis(data, ""))
    return {"data": traces, "layout": layout}


def bubble_hover(data: ChartData) -> str:
    """The bubbles' hover: ``Name (id)``, segment, revenue, margin % and contribution."""
    t = data.text
    prefix, suffix = money_affixes(data.currency)
    money = prefix.strip() + "%{VALUE:,.0f}" + suffix.replace("\xa0", " ")
    return (
        "<br>".join(
            (
                "<b>%{customdata[0]}</b> (%{customdata[1]})",
                "%{fullData.name}",
                f"{t['revenue']}: " + money.replace("VALUE", "x"),
                f"{t['bubbles_axis_y']}: %{{y:.1%}}",
                f"{t['net_contribution']}: " + money.replace("VALUE", "customdata[2]"),
            )
        )
        + "<extra></extra>"
    )


def bubbles_chart(data: ChartData) -> Fig:
    """Margin % against revenue (log scale); area ∝ |net contribution|, hollow when negative."""
    t = data.text
    biggest = max((abs(b.net_contribution) for b in data.bubbles), default=1.0) or 1.0
    sizeref = 2.0 * biggest / BUBBLE_MAX_PX**2
    traces = []
    for code, colour in SEGMENT_COLOURS.items():
        group = [b for b in data.bubbles if b.segment == code]
        if not group:
            continue
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": data.segment_names[code],
                "x": [b.revenue for b in group],
                "y": [b.margin_pct for b in group],
                # Name, id and contribution per point; Plotly formats the numbers in the
                # page's separators (a full hover text per point doubled the chart's size).
                "customdata": [[b.name, b.id, b.net_contribution] for b in group],
                "hovertemplate": bubble_hover(data),
                "marker": {
                    "size": [abs(b.net_contribution) for b in group],
                    "sizemode": "area",
                    "sizeref": sizeref,
                    "sizemin": 3,
                    "color": colour,
                    "symbol": [
                        "circle" if b.net_contribution >= 0 else "circle-open" for b in group
                    ],
                    "opacity": 0.75,
                    "line": {"width": 1, "color": colour},
                },
            }
        )
    layout = _layout(
        data,
        t["bubbles"],
        xaxis=_money_axis(data, t["bubbles_axis_x"], type="log", dtick=1),
        yaxis=_axis(t["bubbles_axis_y"], tickformat=".0%"),
        annotations=[
            {
                "text": t["bubbles_negative"],
                "xref": "paper",
                "yref": "paper",
                "x": 1,
                "y": 1.06,
                "showarrow": False,
                "xanchor": "right",
                "font": {"size": 11, "color": MUTED},
            }
        ],
    )
    return {"data": traces, "layout": layout}


def whale_range(ys: list[float] | tuple[float, ...]) -> list[float]:
    """The y range of the whale curve: from zero (or the lowest point) to just above its peak."""
    low, high = min(0.0, *ys), max(0.0, *ys)
    pad = (high - low) * 0.06 or 0.1
    return [low - (pad if low < 0 else 0.0), high + pad]


def whale_chart(data: ChartData) -> Fig:
    """Cumulative net contribution over clients, most profitable first, as % of the total.

    The curve rises above 100% while profitable clients are added and falls back to 100%
    (the dotted line) as the loss-making ones are. Without a positive total the share
    means nothing, and the axis is in currency instead.
    """
    t = data.text
    share = bool(data.whale_share)
    xs, ys = zip(*(data.whale_share if share else data.whale), strict=True)
    traces = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": list(xs),
            "y": list(ys),
            "fill": "tozeroy",
            "fillcolor": "rgba(31,95,168,0.12)",
            "line": {"color": ACCENT, "width": 3},
            "name": t["net_contribution"],
            "hovertemplate": "%{x:.1%} → %{y:.0%}<extra></extra>"
            if share
            else "%{x:.1%} → %{y:,.0f}<extra></extra>",
        },
    ]
    if share:
        yaxis = _axis(t["whale_axis"], tickformat=".0%", range=whale_range(ys))
        shapes = [_hline(1.0, MUTED, "dot")]
        notes = [
            {
                "text": t["whale_total"],
                "xref": "paper",
                "x": 0,
                "y": 1.0,
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"size": 11, "color": MUTED},
            }
        ]
    else:
        yaxis = _money_axis(data, t["whale_money_axis"], range=whale_range(ys))
        shapes, notes = [_hline(0.0, MUTED, "solid")], []
    layout = _layout(
        data,
        t["whale"],
        showlegend=False,
        xaxis=_axis(t["whale_clients_axis"], tickformat=".0%", range=[0, 1.0]),
        yaxis=yaxis,
        shapes=shapes,
        annotations=notes,
    )
    return {"data": traces, "layout": layout}


def aging_chart(data: ChartData) -> Fig:
    """Open receivables per aging bucket; older buckets in warmer colours."""
    t = data.text
    n = len(data.aging)
    colours = [GOOD if i == 0 else ("#e0a100" if i < n / 2 else BAD) for i in range(n)]
    traces = [
        {
            "type": "bar",
            "x": [a[0] for a in data.aging],
            "y": [a[1] for a in data.aging],
            "marker": {"color": colours},
            "name": t["amount"],
        },
    ]
    # automargin: the tilted last label («Más de 120 días») is not cut at the right edge
    layout = _layout(
        data, t["aging"], showlegend=False, yaxis=_money_axis(data, t["amount"]),
        xaxis={"automargin": True},
    )  # fmt: skip
    return {"data": traces, "layout": layout}


def worst_chart(data: ChartData) -> Fig:
    """Profit now and after losing the client whose departure hurts most."""
    t = data.text
    assert data.worst is not None
    client, now, after = data.worst
    values = [now, after]
    labels = [t["profit_now"], t["profit_after"].format(client=client)]
    colours = [GOOD if (v or 0) >= 0 else BAD for v in values]
    traces = [
        {"type": "bar", "x": labels, "y": values, "marker": {"color": colours}, "name": t["profit"]}
    ]
    layout = _layout(
        data,
        t["worst"],
        showlegend=False,
        yaxis=_money_axis(data, t["profit"]),
        shapes=[_hline(0.0, MUTED, "solid")],
    )
    return {"data": traces, "layout": layout}


def stress_range(data: ChartData) -> tuple[float, float, bool]:
    """The x range of the stress histogram and whether today's profit is drawn inside it.

    A large portfolio's simulated years spread over a narrow band far from today's profit
    (500,000 clients: a few million wide, 340 million below today): an axis reaching
    today would squeeze the histogram into one bar. When today lies more than the band's
    own width beyond it, the axis covers the band (and the worst-5% and expected lines)
    and today is named at the edge instead.
    """
    xs = [x for x, _y in data.stress]
    width = xs[1] - xs[0] if len(xs) > 1 else max(1.0, abs(xs[0]) * 0.01)
    lines = [v for v in (data.stress_p5, data.stress_expected) if v is not None]
    low = min(xs[0] - width / 2, *lines)
    high = max(xs[-1] + width / 2, *lines)
    span = high - low
    today = data.stress_baseline
    inside = today is None or not math.isfinite(today) or low - span <= today <= high + span
    if inside and today is not None and math.isfinite(today):
        low, high = min(low, today), max(high, today)
    pad = (high - low) * 0.04
    return low - pad, high + pad, inside


def stress_chart(data: ChartData) -> Fig:
    """Histogram of simulated yearly profit with the worst-5% line."""
    t = data.text
    xs, ys = zip(*data.stress, strict=True)
    width = (xs[1] - xs[0]) * 0.95 if len(xs) > 1 else None
    colours = [BAD if x < 0 else ACCENT for x in xs]
    traces = [
        {
            "type": "bar",
            "x": list(xs),
            "y": list(ys),
            "width": width,
            "marker": {"color": colours},
            "name": t["stress_axis"],
        }
    ]
    low, high, today_inside = stress_range(data)
    shapes, notes = [], []
    # The worst 5% is named left of its line and the expected year right of its own, so the
    # two never overlap however close they are; today goes one line lower.
    for value, label, colour, dash, side, shift in (
        (data.stress_p5, t["p5"], BAD, "dash", "right", 0),
        (data.stress_expected, t["expected"], ACCENT, "dot", "left", 0),
        (data.stress_baseline, t["baseline"], GOOD, "dot", "left", -16),
    ):
        if value is None or not math.isfinite(value):
            continue
        note = {
            "x": value,
            "y": 1.0,
            "yref": "paper",
            "text": label,
            "showarrow": False,
            "xanchor": side,
            "yanchor": "bottom",
            "yshift": shift,
            "font": {"color": colour},
        }
        if value is data.stress_baseline and not today_inside:
            arrow = "→" if value > high else "←"
            text = f"{label}: {fmt_money(value, data.currency, digits=0)}"
            note |= {
                "x": 1.0 if value > high else 0.0,
                "xref": "paper",
                "text": f"{text} {arrow}" if value > high else f"{arrow} {text}",
                "xanchor": "right" if value > high else "left",
            }
        else:
            shapes.append(_vline(value, colour, dash))
        notes.append(note)
    layout = _layout(
        data,
        t["stress"],
        showlegend=False,
        bargap=0.02,
        shapes=shapes,
        annotations=notes,
        xaxis=_money_axis(data, t["profit"], range=[low, high]),
        yaxis=_axis(t["stress_axis"], tickformat=".0%"),
    )
    return {"data": traces, "layout": layout}


def figures(data: ChartData) -> list[ChartSpec]:
    """``[{"id", "title", "figure"}]`` for every chart with data, in report order."""
    candidates = (
        ("pareto", "pareto", pareto_chart, len(data.pareto) > 1),
        ("segments", "segments", segments_chart, bool(data.segments)),
        ("bubbles", "bubbles", bubbles_chart, bool(data.bubbles)),
        ("whale", "whale", whale_chart, len(data.whale) > 1),
        ("aging", "aging", aging_chart, any(a[1] for a in data.aging)),
        ("worst", "worst", worst_chart, data.worst is not None),
        ("stress", "stress", stress_chart, bool(data.stress)),
    )
    return [
        {"id": f"chart-{cid}", "title": data.text[key], "figure": build(data)}
        for cid, key, build, present in candidates
        if present
    ]
