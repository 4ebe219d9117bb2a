"""The import at 10M invoice lines against ``polars.read_csv`` and two streaming floors.

Each round runs, as fresh processes and in this order:

* **read_csv** — ``polars.read_csv`` of the documents file (``facturas.csv``, cp1252,
  ``;``) into a DataFrame, as the issue's baseline;
* **import** — ``cartera import DATA --into WS`` of the four demo files (documents,
  payments, clients, activities), the whole command;
* **polars sink** — ``pl.scan_csv(...).sink_parquet(...)`` of the documents file with
  every column as text: polars' streaming engine reading and writing in bounded
  memory, the least a streaming import must do with polars;
* **duckdb copy** — DuckDB's CSV reader (every column as text, ``latin-1``) copying
  the documents file to Parquet with ``memory_limit`` 1 GB: the same floor through
  DuckDB's out-of-core reader.

Wall time around the process and the peak resident memory of its tree (the import's
transcoding children included), polled every 20 ms (``bench_commands.measure``).
Medians over the rounds and ratios to read_csv's median from the same rounds.

Data: ``cartera demo DIR --clients N --lines M``, shared with ``bench_commands.py``
and ``bench_cluster.py`` (``--work``).

Usage::

    .venv/bin/python benchmarks/bench_import_scale.py --clients 500000 --lines 10000000 \\
        --repeat 2 --profile

Results: benchmarks/results/import_scale.md (rewritten by each run; a ``## Notes``
section written by hand is kept).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_commands import Series, measure, prepare

ROOT = Path(__file__).resolve().parents[1]
CARTERA = str(Path(sys.executable).parent / "cartera")
READ_CSV = """
import sys, polars as pl
pl.read_csv(sys.argv[1], separator=";", encoding="utf8-lossy")
"""
SINK = """
import sys, polars as pl
pl.scan_csv(sys.argv[1], separator=";", encoding="utf8-lossy", infer_schema=False
            ).sink_parquet(sys.argv[2], compression="lz4")
"""
COPY = """
import sys, duckdb
con = duckdb.connect()
con.execute("SET memory_limit='1GB'")
con.execute(f"SET temp_directory='{sys.argv[2]}.spill'")
con.execute(f\"\"\"COPY (SELECT * FROM read_csv('{sys.argv[1]}', delim=';', header=true,
    all_varchar=true, encoding='latin-1')) TO '{sys.argv[2]}' (FORMAT parquet,
    COMPRESSION lz4)\"\"\")
"""
#: One import in a process that samples its own RSS and its main thread's stack every
#: 50 ms; prints, per stage (the cartera functions below ``import_files``, the file being
#: read), when it started, its seconds and the highest RSS seen in it, as JSON lines.
PROFILE = r"""
import json, sys, threading, time, traceback
from pathlib import Path
main, samples, done = threading.main_thread(), [], threading.Event()
STAGES = ("read_file", "_cross_issues", "_payment_checks", "_build", "_build_out_of_core",
          "write_workspace", "type_columns", "type_in_segments", "build_part",
          "_sort_out_of_core", "_aggregates", "_write_tables", "duplicate_issues",
          "unknown_payment_issues", "_keyed_clients", "_clients", "spill")
def stage():
    frame = sys._current_frames().get(main.ident)
    names = []
    while frame is not None:
        code = frame.f_code
        if "cartera" in code.co_filename and code.co_name in STAGES:
            name = code.co_name
            if name == "read_file":
                name += " " + Path(frame.f_locals.get("path", "?")).name
            names.append(name)
        frame = frame.f_back
    return " > ".join(names[::-1][:3]) or "(between stages)"
def sample():
    t0 = time.perf_counter()
    while not done.is_set():
        with open("/proc/self/statm") as fh:
            rss = int(fh.read().split()[1]) * 4096 / 2**20
        samples.append((time.perf_counter() - t0, rss, stage()))
        done.wait(0.05)
threading.Thread(target=sample, daemon=True).start()
from cartera.io import import_files
import_files([sys.argv[1]], into=sys.argv[2], force=True)
done.set()
stages = {}
for t, rss, name in samples:
    s = stages.setdefault(name, {"stage": name, "start": t, "seconds": 0.0, "peak_mb": 0.0})
    s["seconds"] += 0.05
    s["peak_mb"] = max(s["peak_mb"], rss)
for s in stages.values():
    print(json.dumps(s))
"""
LABELS = {
    "read_csv": "`polars.read_csv` of the documents file (baseline)",
    "import": "`cartera import` of the four files",
    "polars sink": "floor: polars `scan_csv → sink_parquet` (streaming), documents",
    "duckdb copy": "floor: DuckDB `read_csv → COPY parquet`, 1 GB limit, documents",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=500_000)
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "cartera-bench")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/import_scale.md")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="after the rounds, one more import sampling its RSS by stage (table in the results)",
    )
    args = parser.parse_args()
    work = args.work / f"{args.clients}-{args.lines}"
    data, _ws = prepare(work, args.clients, args.lines)
    out = work / "out-import"
    out.mkdir(parents=True, exist_ok=True)
    docs = data / "facturas.csv"
    py = sys.executable
    cmds = {
        "read_csv": [py, "-c", READ_CSV, str(docs)],
        "import": [CARTERA, "import", str(data), "--into", str(out / "ws")],
        "polars sink": [py, "-c", SINK, str(docs), str(out / "sink.parquet")],
        "duckdb copy": [py, "-c", COPY, str(docs), str(out / "copy.parquet")],
    }
    started, load_before = dt.datetime.now(dt.UTC), os.getloadavg()
    series: dict[str, Series] = {}
    for i in range(args.repeat):
        for name, argv in cmds.items():
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            run = measure(argv)
            series.setdefault(name, Series(name)).runs.append(run)
            print(f"  round {i + 1} {name}: {run.seconds:.1f} s, {run.rss_mb:,.0f} MB", flush=True)
        write(args, docs, series, started, load_before, i + 1)
    if args.profile:
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        stages = profile(data, out / "ws")
        write(args, docs, series, started, load_before, args.repeat, stages)
    shutil.rmtree(out, ignore_errors=True)


def profile(data: Path, ws: Path) -> list[dict[str, Any]]:
    """The stages of one import (:data:`PROFILE`), in the order they started."""
    done = subprocess.run(
        [sys.executable, "-c", PROFILE, str(data), str(ws)],
        check=True,
        capture_output=True,
        text=True,
    )
    stages = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return sorted(stages, key=lambda s: s["start"])


def write(
    args: argparse.Namespace,
    docs: Path,
    series: dict[str, Series],
    started: dt.datetime,
    load_before: tuple[float, float, float],
    rounds: int,
    stages: list[dict[str, Any]] | None = None,
) -> None:
    load = os.getloadavg()
    size = docs.stat().st_size / 2**20
    lines = [
        "# The import at scale",
        "",
        (__doc__ or "").split("\n\nUsage")[0].split("\n\n", 1)[1],
        "",
        f"Command: `python benchmarks/bench_import_scale.py --clients {args.clients} "
        f"--lines {args.lines} --repeat {args.repeat}{' --profile' if args.profile else ''}`  ",
        f"Run {started:%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores; load average "
        f"(1/5/15 min) {'/'.join(f'{x:.1f}' for x in load_before)} at the start, "
        f"{'/'.join(f'{x:.1f}' for x in load)} at the last write. Rounds done: {rounds} "
        f"of {args.repeat}. Documents file: {size:,.0f} MiB.",
        "",
        "| command | wall median (s) | min–max (s) | peak RSS median (MB) | ÷ read_csv |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    base = series["read_csv"].median_s() if "read_csv" in series else None
    for name, label in LABELS.items():
        s = series.get(name)
        if s is None or not s.ok():
            lines.append(f"| {label} | {'failed' if s else 'not run'} | | | |")
            continue
        secs = [r.seconds for r in s.ok()]
        median, rss = s.median_s(), s.median_rss()
        assert median is not None and rss is not None
        ratio = f"{median / base:.2f}×" if base else ""
        lines.append(
            f"| {label} | {median:.1f} | {min(secs):.1f}–{max(secs):.1f} | {rss:,.0f} | {ratio} |"
        )
    if stages:
        lines += [
            "",
            "Memory by stage of one more import (``--profile``: RSS and the main thread's stack "
            "sampled every 50 ms; stages of under 0.5 s left out):",
            "",
            "| stage | from (s) | seconds | highest RSS (MB) |",
            "| --- | ---: | ---: | ---: |",
        ]
        lines += [
            f"| {s['stage']} | {s['start']:.1f} | {s['seconds']:.1f} | {s['peak_mb']:,.0f} |"
            for s in stages
            if s["seconds"] >= 0.5
        ]
    old = args.out.read_text("utf-8") if args.out.exists() else ""
    notes = old[old.find("## Notes") :] if "## Notes" in old else ""
    args.out.write_text("\n".join(lines) + "\n\n" + notes, "utf-8")


if __name__ == "__main__":
    main()
