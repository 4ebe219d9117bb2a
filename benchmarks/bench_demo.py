"""Demo generator speed: the NumPy/Arrow writer against the polars reference, and 10M lines.

.venv/bin/python benchmarks/bench_demo.py [--lines 10000000] [--clients 200000]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from cartera.demo import FILES, generate
from cartera.demo.export import reference_bytes, write_table


def _median(run: object, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--clients", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small = generate(clients=20_000, lines=1_000_000).documents
        fast = _median(lambda: write_table(small, "documents", folder / "f.csv"))
        slow = _median(lambda: (folder / "r.csv").write_bytes(reference_bytes(small, "documents")))
        print(f"1M document lines: fast writer {fast:.2f} s, polars reference {slow:.2f} s, "
              f"ratio {slow / fast:.1f}x")  # fmt: skip
        start = time.perf_counter()
        data = generate(clients=args.clients, lines=args.lines)
        generated = time.perf_counter() - start
        for table, name in FILES.items():
            write_table(data.table(table), table, folder / name)
        total = time.perf_counter() - start
        size = sum((folder / n).stat().st_size for n in FILES.values()) / 1e9
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
        print(
            f"{args.lines:,} lines, {args.clients:,} clients: generate {generated:.1f} s, "
            f"generate + write {total:.1f} s, {size:.2f} GB of files, peak RSS {peak:.1f} GB"
        )


if __name__ == "__main__":
    main()
