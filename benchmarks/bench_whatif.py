"""What-if simulator update time (issue 13: ≤ 100 ms per update at 10,000 clients).

    .venv/bin/python benchmarks/bench_whatif.py [--clients 10000] [--lines 110000]
        [--repeat 30] [--write]

Times, in process and on a cached analysis: one simulator update as the page computes
it (:func:`whatif_data`: two ticked clients, new fixed costs, hourly cost and structure
price cut), the same on the kept :class:`~cartera.scenarios.simulate.Simulator`, the
library's ``what_if(analysis, ids)``, and for reference the engine's SQL recomputation
(``portfolio_without``) that the simulator replaced. Wall and CPU time per call.
Writes benchmarks/results/web_whatif.md (``--write``; ``--out`` for another file).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "web_whatif.md"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=110_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    from cartera.demo import write_demo
    from cartera.io import import_files
    from cartera.scenarios.whatif import portfolio_without, what_if
    from cartera.settings import Settings
    from cartera.web.analyses import AnalysisCache
    from cartera.web.pages.whatif import WhatIfQuery, whatif_data

    load_start = os.getloadavg()[0]

    folder = HERE / "data" / f"whatif-{args.clients}-{args.lines}"
    if not (folder / "facturas.csv").exists():
        folder.mkdir(parents=True, exist_ok=True)
        write_demo(folder, clients=args.clients, lines=args.lines, seed=7)
    workspace = Path(tempfile.mkdtemp(prefix="cartera-whatif-")) / "ws"
    t0 = time.perf_counter()
    import_files(sorted(folder.glob("*.csv")), into=workspace)
    import_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    fa = AnalysisCache(1).get(1, Settings(), workspace)
    load_s = time.perf_counter() - t0
    analysis = fa.analysis
    ids = analysis.clients_frame["id"].head(30).to_list()
    rng = random.Random(0)

    def page_update() -> None:
        query = WhatIfQuery(lose=tuple(rng.sample(ids, 2)),
                            fixed_costs=float(rng.randrange(0, 2_000_000, 1000)),
                            hourly_cost=float(rng.randrange(20, 80)), price_cut=0.1)  # fmt: skip
        whatif_data(fa, query)

    def kept_simulator() -> None:
        chosen = fa.settings.with_overrides(fixed_costs=float(rng.randrange(0, 2_000_000, 1000)),
                                            hourly_cost=float(rng.randrange(20, 80)))  # fmt: skip
        fa.simulator.what_if(analysis.portfolio, rng.sample(ids, 2), chosen, price_cut=0.1)

    def library_what_if() -> None:
        what_if(analysis, rng.sample(ids, 2))

    def engine_sql() -> None:
        portfolio_without(analysis.clients_frame, rng.sample(ids, 2), fa.settings)

    cases = [
        ("`whatif_data` (the page's update: sliders, two ticked, price cut, candidates)",
         page_update, args.repeat),
        ("`Simulator.what_if` kept with the cached analysis (same sliders)", kept_simulator,
         args.repeat),
        ("library `cartera.scenarios.what_if(analysis, ids)` (two lost, analysis' settings)",
         library_what_if, args.repeat),
        ("engine's SQL recomputation (`portfolio_without`, before this change)", engine_sql,
         max(3, args.repeat // 5)),
    ]  # fmt: skip
    rows = []
    for label, run, repeat in cases:
        times, cpu = [], []
        for _i in range(repeat + 2):
            t0, c0 = time.perf_counter(), time.process_time()
            run()
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        times = sorted(times[2:])  # the first two warm caches (and ibis' connection)
        cpu = sorted(cpu[2:])
        median, p95 = statistics.median(times), times[int(0.95 * (len(times) - 1))]
        rows.append(f"| {label} | {repeat} | {median:.1f} | {p95:.1f} | {times[0]:.1f} | "
                    f"{times[-1]:.1f} | {statistics.median(cpu):.1f} |")  # fmt: skip
    text = f"""# What-if simulator update

Command: `.venv/bin/python {" ".join(["benchmarks/bench_whatif.py", *sys.argv[1:]])}`

Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()};
1-minute load average at the start {load_start:.1f}, at the end {os.getloadavg()[0]:.1f}.
{analysis.portfolio.clients:,} clients, {args.lines:,} invoice lines (demo generator, seed 7);
import {import_s:.1f} s, analysis and its caches (DuckDB clients table, simulator)
{load_s:.1f} s. Each update loses two of the 30 largest clients, in process, analysis cached.

| per update | runs | median ms | p95 ms | min ms | max ms | median CPU ms |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
{chr(10).join(rows)}

Wall time on a shared machine depends on the load (other work on the two cores); the
CPU time (this process, all threads) is what one update costs.

Targets: ≤ 100 ms per simulator update at 10,000 clients (issue 13); a what-if on a
cached analysis ≤ 200 ms at 500,000 clients (issue 16, goal 3).
"""
    print(text)
    if args.write:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
