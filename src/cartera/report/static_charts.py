"""Static charts (SVG) for the PDF and for printing, drawn with matplotlib.

Plotly's static export needs a Chrome download at render time, so the PDF
draws the same charts from the same :class:`~cartera.report.view_parts.ChartData`
with matplotlib (Agg, no pyplot state). Tick labels go through the Babel
helpers, so axes read ``1.234 €`` in Spanish and ``€1,234`` in English.
matplotlib is part of the ``pdf`` extra; without it a clear error says so.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable
from typing import Any

from cartera.errors import MissingExtraError
from cartera.i18n import fmt_money, fmt_pct
from cartera.report.charts import stress_range, whale_range
from cartera.report.palette import ACCENT, BAD, GOOD, GRID, MUTED, SEGMENT_COLOURS
from cartera.report.view_parts import ChartData

__all__ = ["svg_figures"]

Axes = Any
WIDTH, HEIGHT = 5.6, 3.1  # inches; the PDF lays two charts side by side


def _matplotlib() -> Any:
    try:
        import matplotlib
        from matplotlib.figure import Figure
        from matplotlib.ticker import FuncFormatter
    except ImportError as exc:
        raise MissingExtraError("pdf", "matplotlib") from exc
    return matplotlib, Figure, FuncFormatter


def _money_fmt(data: ChartData) -> Callable[[float, Any], str]:
    return lambda v, _pos: fmt_money(v, data.currency, digits=0)


def _pct_fmt(v: float, _pos: Any) -> str:
    return fmt_pct(v, 0)


def _style(ax: Axes) -> None:
    # No title: the page prints the chart's caption above it.
    ax.grid(True, color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8)


def _pareto(ax: Axes, data: ChartData, fmt: Any) -> None:
    t = data.text
    xs, ys = zip(*data.pareto, strict=True)
    ax.plot(xs, ys, color=ACCENT, linewidth=2.2, label=t["portfolio"])
    ax.plot([0, 1], [0, 1], color=MUTED, linestyle=":", linewidth=1, label=t["equality"])
    ax.axhline(0.8, color=BAD, linestyle="--", linewidth=1.2, label=t["line80"])
    for x, label in data.pareto_references:
        ax.plot([x], [0.8], marker="o", mfc="white", mec=MUTED, ms=6)
        ax.annotate(label, (x, 0.8), xytext=(4, -12), textcoords="offset points", fontsize=7)
    if data.pareto_point is not None:
        ax.plot([data.pareto_point], [0.8], marker="D", color=BAD, ms=7)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.xaxis.set_major_formatter(fmt(_pct_fmt))
    ax.yaxis.set_major_formatter(fmt(_pct_fmt))
    ax.set_xlabel(t["clients_axis"], fontsize=8)
    ax.legend(fontsize=7, loc="lower right", frameon=False)


def _segments(ax: Axes, data: ChartData, fmt: Any) -> None:
    t = data.text
    n = len(data.segments)
    pos = list(range(n))
    colours = [SEGMENT_COLOURS[s[0]] for s in data.segments]
    ax.bar(
        [p - 0.2 for p in pos],
        [s[1] for s in data.segments],
        0.4,
        color=colours,
        label=t["revenue"],
    )
    ax.bar(
        [p + 0.2 for p in pos],
        [s[2] or 0 for s in data.segments],
        0.4,
        color=colours,
        alpha=0.45,
        hatch="//",
        label=t["gross_margin"],
    )
    ax.set_xticks(pos, [data.segment_names[s[0]] for s in data.segments], fontsize=8)
    ax.yaxis.set_major_formatter(fmt(_money_fmt(data)))
    ax.legend(fontsize=7, frameon=False)


def _bubbles(ax: Axes, data: ChartData, fmt: Any) -> None:
    t = data.text
    biggest = max((abs(b.net_contribution) for b in data.bubbles), default=1.0) or 1.0
    for code, colour in SEGMENT_COLOURS.items():
        group = [b for b in data.bubbles if b.segment == code]
        if not group:
            continue
        sizes = [max(6.0, 600 * abs(b.net_contribution) / biggest) for b in group]
        faces = [colour if b.net_contribution >= 0 else "none" for b in group]
        ax.scatter(
            [b.revenue for b in group],
            [b.margin_pct for b in group],
            s=sizes,
            facecolors=faces,
            edgecolors=colour,
            alpha=0.7,
            linewidths=1,
            label=data.segment_names[code],
        )
    _revenue_axis(ax, [b.revenue for b in data.bubbles])
    ax.xaxis.set_major_formatter(fmt(_money_fmt(data)))
    ax.yaxis.set_major_formatter(fmt(_pct_fmt))
    ax.set_xlabel(t["bubbles_axis_x"], fontsize=8)
    ax.set_ylabel(t["bubbles_axis_y"], fontsize=8)
    legend = ax.legend(fontsize=7, frameon=False, loc="best")
    legend.set_title(t["bubbles_negative"], prop={"size": 7})
    for handle in legend.legend_handles:  # same-size keys, whatever the first bubble's size
        handle.set_sizes([30])


def _revenue_axis(ax: Axes, revenues: list[float]) -> None:
    """Revenue on a log scale when the clients shown span a decade or more, else linear.

    Within one decade a log axis has no major tick, and matplotlib then labels its minor
    ticks in scientific notation, one over the other (the top clients of a large
    portfolio all sell about the same). Only major ticks are labelled, a few of them.
    """
    from matplotlib.ticker import LogLocator, MaxNLocator, NullFormatter

    positive = [r for r in revenues if r > 0]
    if positive and max(positive) >= 10 * min(positive):
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0), numticks=6))
    else:
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    ax.xaxis.set_minor_formatter(NullFormatter())


def _whale(ax: Axes, data: ChartData, fmt: Any) -> None:
    t = data.text
    share = bool(data.whale_share)
    xs, ys = zip(*(data.whale_share if share else data.whale), strict=True)
    ax.plot(xs, ys, color=ACCENT, linewidth=2.2)
    ax.fill_between(xs, ys, color=ACCENT, alpha=0.12)
    ax.set_xlim(0, 1)
    ax.set_ylim(*whale_range(ys))
    ax.xaxis.set_major_formatter(fmt(_pct_fmt))
    if share:
        ax.axhline(1.0, color=MUTED, linestyle=":", linewidth=1)
        ax.annotate(t["whale_total"], (0.01, 1.0), xytext=(0, 3), textcoords="offset points",
                    fontsize=7, color=MUTED)  # fmt: skip
        ax.yaxis.set_major_formatter(fmt(_pct_fmt))
        ax.set_ylabel(t["whale_axis"], fontsize=8)
    else:
        ax.axhline(0.0, color=MUTED, linewidth=1)
        ax.yaxis.set_major_formatter(fmt(_money_fmt(data)))
        ax.set_ylabel(t["whale_money_axis"], fontsize=8)
    ax.set_xlabel(t["whale_clients_axis"], fontsize=8)


def _aging(ax: Axes, data: ChartData, fmt: Any) -> None:
    n = len(data.aging)
    colours = [GOOD if i == 0 else ("#e0a100" if i < n / 2 else BAD) for i in range(n)]
    ax.bar([a[0] for a in data.aging], [a[1] for a in data.aging], color=colours)
    ax.yaxis.set_major_formatter(fmt(_money_fmt(data)))
    ax.tick_params(axis="x", labelsize=7, rotation=20)


def _worst(ax: Axes, data: ChartData, fmt: Any) -> None:
    t = data.text
    assert data.worst is not None
    client, now, after = data.worst
    values = [now or 0.0, after or 0.0]
    # A client's name can be long: wrapped, it stays under its bar instead of off the page.
    labels = [
        textwrap.fill(t["profit_now"], 32),
        textwrap.fill(t["profit_after"].format(client=client), 32),
    ]
    ax.bar(
        labels,
        values,
        color=[GOOD if v >= 0 else BAD for v in values],
        width=0.5,
    )
    ax.axhline(0, color=MUTED, linewidth=1)
    ax.yaxis.set_major_formatter(fmt(_money_fmt(data)))


def _stress(ax: Axes, data: ChartData, fmt: Any) -> None:
    t = data.text
    xs, ys = zip(*data.stress, strict=True)
    width = (xs[1] - xs[0]) * 0.95 if len(xs) > 1 else 1.0
    ax.bar(xs, ys, width=width, color=[BAD if x < 0 else ACCENT for x in xs])
    low, high, today_inside = stress_range(data)
    for value, label, colour, style in (
        (data.stress_p5, t["p5"], BAD, "--"),
        (data.stress_expected, t["expected"], ACCENT, ":"),
        (data.stress_baseline, t["baseline"], GOOD, ":"),
    ):
        if value is None:
            continue
        if value is data.stress_baseline and not today_inside:
            # Far beyond the simulated years: named at the edge, not drawn (stress_range).
            text = f"{label}: {fmt_money(value, data.currency, digits=0)}"
            right = value > high
            ax.annotate(
                f"{text} →" if right else f"← {text}",
                xy=(0.99 if right else 0.01, 0.97),
                xycoords="axes fraction",
                ha="right" if right else "left",
                va="top",
                color=colour,
                fontsize=7,
            )
            continue
        ax.axvline(value, color=colour, linestyle=style, linewidth=1.5, label=label)
    ax.set_xlim(low, high)
    ax.yaxis.set_major_formatter(fmt(_pct_fmt))
    # Slanted money labels end at their tick, so the last one stays on the page.
    money = _money_fmt(data)
    ticks = [x for x in ax.get_xticks() if low <= x <= high]
    ax.set_xticks(ticks)
    ax.set_xticklabels([money(x, None) for x in ticks], rotation=15, ha="right",
                       rotation_mode="anchor", fontsize=7)  # fmt: skip
    ax.legend(fontsize=7, frameon=False, loc="upper left")


_DRAW = {
    "pareto": _pareto,
    "segments": _segments,
    "bubbles": _bubbles,
    "whale": _whale,
    "aging": _aging,
    "worst": _worst,
    "stress": _stress,
}


#: Left margin (share of the figure's width) for tick labels of up to 6 characters; each
#: more character of the widest y label takes ~0.0125 (8-point labels on 5.6 inches).
LEFT, LEFT_PER_CHAR = 0.15, 0.0125


def _fit_left_margin(fig: Any, ax: Axes, formatter: Any) -> None:
    """Widen the left margin to the widest y tick label (and the axis title, if any).

    The margins are fixed (a constrained layout would double the drawing time), and at
    500,000 clients the money axes read ``800.000.000 €``: cut at the page's edge.
    """
    fmt = ax.yaxis.get_major_formatter()
    if not isinstance(fmt, formatter):
        return
    low, high = sorted(ax.get_ylim())
    ticks = [t for t in ax.get_yticks() if low <= t <= high]
    widest = max((len(fmt(t, i)) for i, t in enumerate(ticks)), default=0)
    title = 0.04 if ax.get_ylabel() else 0.0
    left = max(LEFT, 0.03 + LEFT_PER_CHAR * widest + title)
    if left > LEFT:
        fig.subplots_adjust(left=left)


def figure(data: ChartData, key: str) -> Any:
    """The matplotlib figure of chart ``key`` (``pareto``, ``stress``…), not yet drawn."""
    _matplotlib_mod, figure_cls, formatter = _matplotlib()
    fig = figure_cls(figsize=(WIDTH, HEIGHT))
    # Fixed margins: a constrained layout would double the drawing time.
    fig.subplots_adjust(left=LEFT, right=0.96, top=0.95, bottom=0.2)
    ax = fig.add_subplot()
    _style(ax)
    _DRAW[key](ax, data, formatter)
    _fit_left_margin(fig, ax, formatter)
    return fig


def svg_figures(data: ChartData, ids: list[str]) -> dict[str, str]:
    """``{chart id: SVG text}`` for the charts named ``chart-<key>`` in ``ids``."""
    matplotlib, _figure_cls, _formatter = _matplotlib()
    out: dict[str, str] = {}
    for cid in ids:
        with matplotlib.rc_context(
            {"svg.fonttype": "none", "svg.hashsalt": cid, "font.family": "DejaVu Sans"}
        ):
            fig = figure(data, cid.removeprefix("chart-"))
            buf = io.StringIO()
            fig.savefig(buf, format="svg")
        svg = buf.getvalue()
        out[cid] = svg[svg.index("<svg") :]  # drop the XML prolog and DOCTYPE for inlining
    return out
