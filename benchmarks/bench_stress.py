"""Benchmark of the crisis stress Monte Carlo (issue 4: 100k scenarios × 10k clients).

    .venv/bin/python benchmarks/bench_stress.py [--scenarios 100000] [--clients 10000] [--repeat 3]

Each measurement runs in a fresh subprocess so that its peak memory (``ru_maxrss``,
the whole process: interpreter, NumPy, Polars) is its own. The baseline is the
obvious vectorised implementation in the same environment: float64 uniforms for
the whole chunk, a boolean matrix, and a float64 matrix–vector product, in chunks
of 1,024 scenarios from one Python thread (OpenBLAS may add its own threads).
Writes benchmarks/results/stress.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).parent / "results" / "stress.md"

_CHILD = r"""
import json, resource, sys, time
import numpy as np
import polars as pl
from cartera.settings import Settings
from cartera.scenarios.stress import run_stress

kind, scenarios, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(0)
segments = np.array(["structure", "margin", "image", "regular", "new", "dormant"])
revenue = rng.lognormal(9, 1.2, n)
margin = revenue * rng.uniform(0.1, 0.5, n)
frame = pl.DataFrame({
    "id": [f"C{i:06d}" for i in range(n)], "name": [""] * n,
    "segment": segments[rng.integers(0, 6, n)], "revenue": revenue,
    "gross_margin": margin, "net_contribution": margin * 0.8,
    "recency_days": rng.integers(0, 400, n), "order_interval_days": rng.uniform(10, 120, n),
})
settings = Settings(fixed_costs=float(margin.sum() * 0.5))
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
u0 = resource.getrusage(resource.RUSAGE_SELF)
t0 = time.perf_counter()
if kind == "cartera":
    result = run_stress(frame, settings, scenarios=scenarios, seed=1)
    expected = result.expected_profit
else:
    from cartera.scenarios.stress import stress_inputs
    inp = stress_inputs(frame, settings)
    gen = np.random.default_rng(1)
    profits = np.empty(scenarios)
    for start in range(0, scenarios, 1024):
        k = min(1024, scenarios - start)
        left = gen.random((k, n)) < inp.leave
        profits[start:start + k] = inp.contribution.sum() - left @ inp.contribution
    expected = float(profits.mean() - inp.fixed_costs)
seconds = time.perf_counter() - t0
u1 = resource.getrusage(resource.RUSAGE_SELF)
cpu = (u1.ru_utime - u0.ru_utime) + (u1.ru_stime - u0.ru_stime)
peak = u1.ru_maxrss
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak / 1024,
                  "start_mb": rss0 / 1024, "expected": expected}))
"""


def measure(kind: str, scenarios: int, clients: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, kind, str(scenarios), str(clients)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenarios", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs: dict[str, list[dict[str, float]]] = {"cartera": [], "baseline": []}
    load = os.getloadavg()[0]
    for _ in range(args.repeat):
        for kind in runs:
            runs[kind].append(measure(kind, args.scenarios, args.clients))
            print(kind, runs[kind][-1], flush=True)
    med = {k: statistics.median(r["seconds"] for r in v) for k, v in runs.items()}
    cpu = {k: statistics.median(r["cpu"] for r in v) for k, v in runs.items()}
    peak = {k: max(r["peak_mb"] for r in v) for k, v in runs.items()}
    start = {k: statistics.median(r["start_mb"] for r in v) for k, v in runs.items()}
    load = max(load, os.getloadavg()[0])
    RESULTS.write_text(_report(args, med, cpu, peak, start, load), encoding="utf-8")
    print(RESULTS.read_text(encoding="utf-8"))
    return 0


def _report(
    args: argparse.Namespace,
    med: dict[str, float],
    cpu: dict[str, float],
    peak: dict[str, float],
    start: dict[str, float],
    load: float,
) -> str:
    machine = platform.processor() or platform.machine()
    cells = args.scenarios * args.clients
    return f"""# Crisis stress benchmark

Command: `.venv/bin/python benchmarks/bench_stress.py --scenarios {args.scenarios} \
--clients {args.clients} --repeat {args.repeat}`

Machine: {machine}, {os.cpu_count()} cores, Python {platform.python_version()}, NumPy \
{np.__version__}; 1-minute load average during the runs up to {load:.1f} (other work shares the
cores when it is above the core count, so compare CPU seconds too).
Each run is a fresh process; times are the median of {args.repeat} runs (the Monte Carlo
call only, after building the per-client frame); memory is the peak resident set size of
the whole process (Python, NumPy, Polars included; ~{start["cartera"]:.0f} MB before the call).

| implementation | scenarios × clients | median wall s | median CPU s | ns per cell | \
 peak RSS (MB) |
| --- | --- | ---: | ---: | ---: | ---: |
| `cartera.scenarios.stress.run_stress` | {args.scenarios:,} × {args.clients:,} | \
{med["cartera"]:.2f} | {cpu["cartera"]:.2f} | {1e9 * med["cartera"] / cells:.2f} | \
{peak["cartera"]:.0f} |
| baseline: float64 uniforms, bool matrix, float64 matvec, chunks of 1,024 | \
{args.scenarios:,} × {args.clients:,} | {med["baseline"]:.2f} | {cpu["baseline"]:.2f} | \
{1e9 * med["baseline"] / cells:.2f} | {peak["baseline"]:.0f} |

Speed-up over the baseline: **{med["baseline"] / med["cartera"]:.1f}×**. Target (issue 4):
≤ 5 s and ≤ 1 GB for 100,000 × 10,000.

`run_stress` includes what the baseline does not: the gross-margin column for
`p_fixed_costs_uncovered`, replaying the worst 5% of scenarios for the tail clients,
the histogram and the named scenarios. Where its time goes: 16-bit uniforms cut from raw
PCG64 output (a quarter of a 64-bit draw each), a comparison written straight into a
float32 indicator matrix, and one float32 matrix product per step of ~20 scenarios
(small enough to stay in cache and on OpenBLAS's single-threaded path, whose thread
spin-waiting otherwise quadruples the CPU time), on two threads (blocks have independent
seeded streams, so the output does not depend on the thread count).
"""


if __name__ == "__main__":
    sys.exit(main())
