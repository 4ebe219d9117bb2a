"""The JSON contract's writing alone, in one process: the ``clients`` array and the whole text.

One analysis of a workspace (not timed), then, interleaved in each round,
``contract_stream.client_chunks`` (the ``clients`` array) and
``contract_stream.write_contract`` (the whole contract) writing to
``/dev/null``, of this checkout and, with ``--before FILE``, of another
version of ``contract_stream.py`` (loaded from that file beside this
checkout's package: the module reads only the result models, the reasons'
expressions and the settings). Wall and CPU seconds are medians over the
rounds; the figures in MB are the characters (or UTF-8 bytes) written.

Usage::

    .venv/bin/python benchmarks/bench_json.py --workspace /tmp/cartera-bench/500000-10000000/ws \\
        --before /tmp/base/src/cartera/contract_stream.py --repeat 3

Results go to benchmarks/results/json_writer.md (``--out`` to change).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _clients(module: ModuleType, analysis: Any) -> Callable[[], int]:
    def run() -> int:
        size = 0
        with open(os.devnull, "w", encoding="utf-8") as out:
            for chunk in module.client_chunks(analysis.clients_frame, analysis._settings):
                size += len(chunk)
                out.buffer.write(chunk) if isinstance(chunk, bytes) else out.write(chunk)
        return size

    return run


def _whole(module: ModuleType, analysis: Any) -> Callable[[], int]:
    def run() -> int:
        with open(os.devnull, "w", encoding="utf-8") as out:
            module.write_contract(analysis, out)
            return 0

    return run


def _timed(run: Callable[[], int]) -> tuple[float, float, int]:
    wall, cpu = time.perf_counter(), time.process_time()
    size = run()
    return time.perf_counter() - wall, time.process_time() - cpu, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workspace", type=Path, required=True)
    parser.add_argument("--before", type=Path, help="another contract_stream.py")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/json_writer.md")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from cartera import contract_stream
    from cartera.analysis import analyze

    load_before = os.getloadavg()
    started = dt.datetime.now(dt.UTC)
    analysis = analyze(args.workspace)
    versions = {"after (this checkout)": contract_stream}
    if args.before:
        versions = {"before": _load(args.before, "contract_stream_before"), **versions}
    cases = {
        f"{part}, {label}": make(module, analysis)
        for part, make in (("`clients` array", _clients), ("whole contract", _whole))
        for label, module in versions.items()
    }
    runs: dict[str, list[tuple[float, float, int]]] = {name: [] for name in cases}
    for i in range(args.repeat):
        for name, run in cases.items():
            runs[name].append(_timed(run))
            print(f"round {i + 1}: {name}: {runs[name][-1][0]:.2f} s", flush=True)
    rows = [
        f"| {name} | {statistics.median(r[0] for r in got):.2f} | "
        f"{min(r[0] for r in got):.2f}–{max(r[0] for r in got):.2f} | "
        f"{statistics.median(r[1] for r in got):.2f} | "
        + (f"{got[0][2] / 1e6:,.0f} |" if got[0][2] else "— |")
        for name, got in runs.items()
    ]
    load_now = os.getloadavg()
    command = "python benchmarks/bench_json.py --workspace " + str(args.workspace)
    command += (f" --before {args.before}" if args.before else "") + f" --repeat {args.repeat}"
    text = [
        "# Benchmark: writing the JSON contract, in one process",
        "",
        (__doc__ or "").split("\n\n")[1],
        "",
        f"Command: `{command}`  ",
        f"Run {started:%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores, "
        f"{analysis.clients_frame.height:,} clients; load average (1/5/15 min) "
        f"{'/'.join(f'{x:.1f}' for x in load_before)} at the start, "
        f"{'/'.join(f'{x:.1f}' for x in load_now)} at the end.",
        "",
        "| writing | wall median (s) | min–max (s) | CPU median (s) | size (M chars/bytes) |",
        "| --- | ---: | ---: | ---: | ---: |",
        *rows,
    ]
    args.out.write_text("\n".join(text) + "\n", encoding="utf-8")
    print("\n".join(text))


if __name__ == "__main__":
    main()
