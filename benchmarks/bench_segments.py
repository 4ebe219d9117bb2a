"""Recovery of the demo's planted kinds at a large size (too slow for the test suite).

    PYTHONPATH=src python benchmarks/bench_segments.py --clients 500000 --lines 10000000

Prints precision and recall per kind (structure, margin, image, let_go, overall)
without and with the demo firm's fixed costs, and the time of each step; the
numbers of a run are recorded in benchmarks/results/segments.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "engine"))

from recovery import analyse_demo, scores

from cartera.demo import generate
from cartera.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=500_000)
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--fixed-costs",
        choices=("both", "none", "demo"),
        default="both",
        help="analyse without fixed costs, with the demo firm's, or both (default)",
    )
    args = parser.parse_args()
    start = time.perf_counter()
    demo = generate(clients=args.clients, lines=args.lines, seed=args.seed)
    print(f"generate: {time.perf_counter() - start:.1f} s, fixed costs {demo.fixed_costs:,.0f}")
    runs = {"both": (0.0, demo.fixed_costs), "none": (0.0,), "demo": (demo.fixed_costs,)}
    for fixed in runs[args.fixed_costs]:
        start = time.perf_counter()
        analysis = analyse_demo(demo, Settings(fixed_costs=fixed))
        print(f"analyse (fixed costs {fixed:,.0f}): {time.perf_counter() - start:.1f} s")
        for kind, (p, r) in scores(analysis.clients_frame, demo.truth).items():
            print(f"  {kind:<10} precision {p:6.4f}  recall {r:6.4f}")
        frame = analysis.clients_frame
        let_go = frame.filter(frame["action"] == "let_go")
        print(f"  let_go clients {let_go.height:,}, with a positive contribution: "
              f"{int((let_go['net_contribution'] >= 0).sum())}")  # fmt: skip


if __name__ == "__main__":
    main()
