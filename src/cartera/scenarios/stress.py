"""Crisis stress: a seeded, vectorised Monte Carlo of client departures.

Model (docs/scenarios.md). Client *i* has a baseline net contribution ``c_i``
and gross margin ``g_i``. In a crisis, structure clients cut their price by
``d`` (``structure_price_drop``), which comes straight off their margin:
``c_i' = c_i − d·revenue_i`` (same for ``g_i'``). Each client leaves with
probability ``p_i`` (see :func:`leave_probabilities`), independently. In
scenario *s*, with ``L_is`` = 1 when client *i* left,

    profit_s = Σ_i (1 − L_is)·c_i' − fixed_costs
    margin_s = Σ_i (1 − L_is)·g_i'

A loss is ``profit_s < 0``; fixed costs are uncovered when ``margin_s <
fixed_costs`` (gross margin before the allocated cost to serve, most of which
is salaried time that the fixed costs already pay).

Numerics. Uniforms are 16-bit integers cut from raw PCG64 output (four per
64-bit draw), compared with ``round(p·65536)``: probabilities are resolved to
1/65,536, which is far below the Monte Carlo error, and a draw costs a quarter
of a 64-bit one. Clients with ``p = 1`` are counted outside the matrix, so
"everyone leaves" is exact. Scenarios come in blocks of :data:`BLOCK` rows,
each block with its own stream from ``SeedSequence(seed).spawn``; blocks run
on a small thread pool and, inside a block, in tiles of a few rows and at most
:data:`TILE_COLUMNS` clients (small enough to stay in cache and in
single-threaded BLAS). The output depends only on the seed and the inputs.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import polars as pl

from cartera.errors import InputError
from cartera.i18n import N_
from cartera.result import CurvePoint, StressResult, TailClient
from cartera.settings import Settings, StressSettings

__all__ = [
    "BLOCK",
    "StressInputs",
    "crisis_profit",
    "leave_probabilities",
    "named_scenarios",
    "run_stress",
    "simulate",
    "stress_inputs",
]

#: Scenarios per random stream; fixed so that the output never depends on chunking.
BLOCK = 1024
#: Cells (scenarios × clients) compared and multiplied at once: a tile's uint16 draws,
#: float32 indicators and values stay in the core's cache, and its product (cells × 2
#: multiply-adds) stays below the ~0.5M under which OpenBLAS keeps to the calling thread
#: (above it, its own threads' busy-waiting cost 4× the CPU time; our two threads
#: already keep both cores busy).
TILE_CELLS = 131_072
#: Widest tile: wider portfolios are cut into column tiles of this many clients, each
#: compared and multiplied for :data:`TILE_ROWS` scenarios at once (measured at 500,000
#: clients: 4 × 32,768 costs ~20 % less CPU than one scenario in tiles of 200,000).
TILE_COLUMNS = 32_768
TILE_ROWS = TILE_CELLS // TILE_COLUMNS
TAIL_SHARE = 0.05
HISTOGRAM_BINS = 40
TAIL_CLIENTS = 10
_SCALE = 65536


@dataclass(frozen=True)
class StressInputs:
    """Per-client vectors of the model (length n) and the fixed costs."""

    ids: list[str]
    names: list[str]
    segments: list[str]
    contribution: np.ndarray  # c_i' (after the structure price drop), float64
    margin: np.ndarray  # g_i', float64
    leave: np.ndarray  # p_i, float64 in [0, 1]
    fixed_costs: float
    baseline_profit: float  # Σ c_i − fixed costs, today


@dataclass(frozen=True)
class Simulation:
    """Raw Monte Carlo output: one profit and one margin per scenario; per client, how
    often it left within the worst :data:`TAIL_SHARE` of scenarios (``tail_rate``)."""

    profit: np.ndarray
    margin: np.ndarray
    tail_rate: np.ndarray
    tail_rows: np.ndarray


def leave_probabilities(frame: pl.DataFrame, stress: StressSettings) -> np.ndarray:
    """Leave probability per client: its segment's, or higher when its orders lapsed.

    Parameters
    ----------
    frame
        Columns ``segment``, ``recency_days``, ``order_interval_days`` (nulls allowed) and,
        optionally, ``churn_risk`` (``high``, ``medium``, ``low``, ``none`` or null: the
        follow-up assistant's explained risk, joined in by the adapter).

    Returns
    -------
    numpy.ndarray
        ``p_i = max(p_segment, min(max_activity_leave, 1 − interval/recency))`` when
        ``recency > lapse_ratio · interval``, else ``p_segment``. ``1 − interval/recency``
        reads "the chance it would still have ordered by now is the share of the gap its
        usual rhythm explains". With ``stress.use_churn_risk`` and a ``churn_risk`` column,
        ``p_i`` is raised to ``churn_leave_high`` / ``churn_leave_medium`` for those levels.
    """
    by_segment = {
        "structure": stress.leave_structure,
        "margin": stress.leave_margin,
        "image": stress.leave_image,
        "regular": stress.leave_regular,
        "new": stress.leave_new,
        "dormant": stress.leave_dormant,
    }
    seg = np.array(
        [by_segment.get(s, stress.leave_regular) for s in frame["segment"].to_list()],
        dtype=np.float64,
    )
    recency = _column(frame, "recency_days", np.nan)
    interval = _column(frame, "order_interval_days", np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        lapsed = (interval > 0) & (recency > stress.lapse_ratio * interval)
        activity = np.where(lapsed, 1.0 - interval / recency, 0.0)
    activity = np.minimum(np.nan_to_num(activity, nan=0.0), stress.max_activity_leave)
    p = np.maximum(seg, activity)
    if stress.use_churn_risk and "churn_risk" in frame.columns:
        by_risk = {"high": stress.churn_leave_high, "medium": stress.churn_leave_medium}
        churn = np.array([by_risk.get(r or "", 0.0) for r in frame["churn_risk"].to_list()],
                         dtype=np.float64)  # fmt: skip
        p = np.maximum(p, churn)
    return np.clip(p, 0.0, 1.0)


def stress_inputs(frame: pl.DataFrame, settings: Settings) -> StressInputs:
    """Vectors of the model from the per-client frame.

    Parameters
    ----------
    frame
        Columns ``id, name, segment, revenue, gross_margin, net_contribution,
        recency_days, order_interval_days``.
    """
    if frame.height and frame["net_contribution"].null_count() == frame.height:
        raise InputError(
            N_("The stress test needs each client's gross margin: the data has no cost column.")
        )
    revenue = _column(frame, "revenue", 0.0)
    contribution = _column(frame, "net_contribution", 0.0)
    margin = _column(frame, "gross_margin", 0.0)
    segments = frame["segment"].to_list() if frame.height else []
    drop = (
        settings.stress.structure_price_drop
        * revenue
        * np.array([s == "structure" for s in segments], dtype=np.float64)
    )
    return StressInputs(
        ids=[str(x) for x in frame["id"].to_list()] if frame.height else [],
        names=[str(x or "") for x in frame["name"].to_list()] if frame.height else [],
        segments=segments,
        contribution=contribution - drop,
        margin=margin - drop,
        leave=leave_probabilities(frame, settings.stress) if frame.height else np.zeros(0),
        fixed_costs=float(settings.fixed_costs),
        baseline_profit=float(contribution.sum()) - float(settings.fixed_costs),
    )


def _column(frame: pl.DataFrame, name: str, fill: float) -> np.ndarray:
    if name not in frame.columns:
        return np.full(frame.height, fill, dtype=np.float64)
    return frame[name].cast(pl.Float64).fill_null(fill).to_numpy().astype(np.float64)


def simulate(
    inputs: StressInputs, scenarios: int, seed: int, workers: int | None = None
) -> Simulation:
    """Run the Monte Carlo: ``scenarios`` rows, deterministic in ``seed``."""
    n = len(inputs.leave)
    width = max(4, 4 * math.ceil(n / 4))  # whole 64-bit draws per row
    p = inputs.leave
    sure = p >= 1.0
    thresholds = np.zeros(width, dtype=np.uint16)
    thresholds[:n] = np.where(sure, 0, np.minimum(np.round(p * _SCALE), _SCALE - 1))
    values = np.zeros((width, 2), dtype=np.float32)
    values[:n, 0] = np.where(sure, 0.0, inputs.contribution)
    values[:n, 1] = np.where(sure, 0.0, inputs.margin)
    sure_c = float(inputs.contribution[sure].sum())
    sure_g = float(inputs.margin[sure].sum())
    blocks = np.random.SeedSequence(seed).spawn(math.ceil(scenarios / BLOCK))
    # A step draws its rows at once (the stream's order does not depend on the step);
    # wider than TILE_COLUMNS, its comparison and product go a column tile at a time.
    tile = min(width, TILE_COLUMNS)
    step = max(1, min(BLOCK, TILE_CELLS // tile))
    lost = np.empty((scenarios, 2), dtype=np.float64)

    def run_block(b: int) -> None:
        rows = min(BLOCK, scenarios - b * BLOCK)
        bitgen = np.random.PCG64(blocks[b])
        indicator = np.empty((min(step, rows), tile), dtype=np.float32)
        for start in range(0, rows, step):
            k = min(step, rows - start)
            draws = bitgen.random_raw(k * width // 4).view(np.uint16).reshape(k, width)
            total = np.zeros((k, 2), dtype=np.float64)
            for a in range(0, width, tile):
                cells = indicator[:k, : min(tile, width - a)]
                np.less(draws[:, a : a + tile], thresholds[a : a + tile], out=cells,
                        casting="unsafe")  # fmt: skip
                total += cells @ values[a : a + tile]
            first = b * BLOCK + start
            lost[first : first + k] = total

    pool_size = workers or min(2, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=pool_size) as pool:
        list(pool.map(run_block, range(len(blocks))))
    profit = float(inputs.contribution.sum()) - sure_c - lost[:, 0] - inputs.fixed_costs
    margin = float(inputs.margin.sum()) - sure_g - lost[:, 1]
    tail_rows = np.argsort(profit, kind="stable")[: max(1, math.ceil(TAIL_SHARE * scenarios))]
    tail_rate = _tail_rate(tail_rows, blocks, thresholds, sure, width)
    return Simulation(profit=profit, margin=margin, tail_rate=tail_rate, tail_rows=tail_rows)


def _tail_rate(
    rows: np.ndarray,
    blocks: list[np.random.SeedSequence],
    thresholds: np.ndarray,
    sure: np.ndarray,
    width: int,
) -> np.ndarray:
    """Share of the tail scenarios in which each client left, by replaying their rows.

    PCG64 can jump ahead, so a tail row is regenerated alone instead of its whole block.
    """
    n = len(sure)
    left = np.zeros(width, dtype=np.int64)
    below = np.empty(width, dtype=np.bool_)
    for row in rows.tolist():
        bitgen = np.random.PCG64(blocks[row // BLOCK])
        bitgen.advance((row % BLOCK) * (width // 4))
        draws = bitgen.random_raw(width // 4).view(np.uint16)
        np.less(draws, thresholds, out=below)
        np.add(left, below, out=left)
    count = left[:n].astype(np.float64) + np.where(sure, len(rows), 0)
    return count / max(1, len(rows))


def crisis_profit(frame: pl.DataFrame, settings: Settings) -> float:
    """The profit of the named ``crisis`` scenario, without the simulation's per-client lists.

    ``named_scenarios(frame, stress_inputs(frame, settings))["crisis"]`` computed
    with the same array operations in the same order (the same float), from the
    columns alone: the recommendations need this one figure.
    """
    if frame.height and frame["net_contribution"].null_count() == frame.height:
        raise InputError(
            N_("The stress test needs each client's gross margin: the data has no cost column.")
        )
    segment = frame["segment"]
    structure = (segment == "structure").fill_null(False).to_numpy().astype(np.float64)
    drop = settings.stress.structure_price_drop * _column(frame, "revenue", 0.0) * structure
    contribution = _column(frame, "net_contribution", 0.0) - drop
    margin_mask = (segment == "margin").fill_null(False).to_numpy()
    return float(contribution[~margin_mask].sum()) - float(settings.fixed_costs)


def named_scenarios(frame: pl.DataFrame, inputs: StressInputs) -> dict[str, float]:
    """Deterministic scenarios → profit.

    ``today`` (no change), ``structure_price_drop`` (every structure client cuts its
    price), ``margin_clients_gone`` (every margin client leaves, prices unchanged),
    ``crisis`` (both at once) and ``top_client_gone`` (the largest client by revenue
    leaves, prices unchanged).
    """
    if not inputs.ids:
        return {"today": inputs.baseline_profit}
    fixed = inputs.fixed_costs
    base = _column(frame, "net_contribution", 0.0)
    revenue = _column(frame, "revenue", 0.0)
    margin_mask = np.array([s == "margin" for s in inputs.segments])
    top = int(np.argmax(revenue))
    return {
        "today": inputs.baseline_profit,
        "structure_price_drop": float(inputs.contribution.sum()) - fixed,
        "margin_clients_gone": float(base[~margin_mask].sum()) - fixed,
        "crisis": float(inputs.contribution[~margin_mask].sum()) - fixed,
        "top_client_gone": float(base.sum() - base[top]) - fixed,
    }


def run_stress(
    frame: pl.DataFrame,
    settings: Settings,
    scenarios: int | None = None,
    seed: int | None = None,
) -> StressResult:
    """The crisis stress of a portfolio.

    Parameters
    ----------
    frame
        The per-client frame (``PortfolioAnalysis.clients_frame``): ``id, name, segment,
        revenue, gross_margin, net_contribution, recency_days, order_interval_days``.
    scenarios, seed
        Override ``settings.stress.scenarios`` / ``.seed``.
    """
    count = scenarios if scenarios is not None else settings.stress.scenarios
    chosen_seed = seed if seed is not None else settings.stress.seed
    inputs = stress_inputs(frame, settings)
    sim = simulate(inputs, count, chosen_seed)
    return StressResult(
        expected_profit=float(sim.profit.mean()),
        profit_p5=float(np.quantile(sim.profit, TAIL_SHARE, method="inverted_cdf")),
        p_loss=float((sim.profit < 0).mean()),
        p_fixed_costs_uncovered=float((sim.margin < inputs.fixed_costs).mean())
        if inputs.fixed_costs > 0
        else 0.0,
        scenarios=count,
        seed=chosen_seed,
        tail_clients=_tail_clients(inputs, sim),
        named=named_scenarios(frame, inputs),
        histogram=histogram(sim.profit),
        baseline_profit=inputs.baseline_profit,
        fixed_costs=float(inputs.fixed_costs),
    )


def _tail_clients(inputs: StressInputs, sim: Simulation) -> list[TailClient]:
    """Clients whose departures make the bad tail worse than the average year.

    A client's excess tail loss is ``(tail_rate_i − p_i) · c_i'``: how much more often it
    left in the worst scenarios than overall, times what it brings. Shares are of the
    sum of the positive excesses, largest first; a client that always or never leaves
    explains nothing and gets none.
    """
    excess = (sim.tail_rate - inputs.leave) * inputs.contribution
    loss = np.where(excess > 0, excess, 0.0)
    total = float(loss.sum())
    if total <= 0:
        return []
    order = np.argsort(-loss, kind="stable")[:TAIL_CLIENTS]
    return [
        TailClient(
            client=inputs.ids[i],
            name=inputs.names[i],
            segment=inputs.segments[i],
            share_of_tail_loss=float(loss[i] / total),
            leave_probability=float(inputs.leave[i]),
            tail_leave_rate=float(sim.tail_rate[i]),
        )
        for i in order.tolist()
        if loss[i] > 0
    ]


def histogram(profit: np.ndarray, bins: int = HISTOGRAM_BINS) -> list[CurvePoint]:
    """Profit distribution: bin centre → share of scenarios (one bin when all are equal)."""
    low, high = float(profit.min()), float(profit.max())
    if high <= low:
        return [CurvePoint(x=low, y=1.0)]
    counts, edges = np.histogram(profit, bins=bins, range=(low, high))
    centres = (edges[:-1] + edges[1:]) / 2
    return [
        CurvePoint(x=float(x), y=float(c) / len(profit))
        for x, c in zip(centres, counts, strict=True)
    ]
