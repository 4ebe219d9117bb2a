"""DuckDB against a two-worker Spark standalone cluster, at 10M and 100M invoice lines.

Each round runs, as whole processes and in this order: the floor (a fresh Python +
DuckDB process running ``SELECT client_key, sum(amount), sum(cost), count(*),
min(date), max(date) … GROUP BY client_key`` over ``documents.parquet``),
``cartera analyze WS --format json`` on DuckDB, and the same command with
``--engine spark --spark-master spark://…`` on a cluster of one master and two
workers (one core and 2 GB each) started on 127.0.0.1 by ``scripts/spark-cluster.py``.
Wall time and the peak resident memory of the process tree (the Spark driver's JVM
included; the workers' JVMs are separate daemons and are sampled apart) as in
``bench_commands.py``.

Data: the demo generator's files (``cartera demo --clients N --lines M``) imported
with ``cartera import`` (``bench_commands.prepare``, shared with that benchmark). The
100M-line workspace is that workspace's documents replicated ``--scale`` times by
DuckDB (copy *k* gets ``~k`` after every document number and its source rows after
the original's; clients, payments and activities are the same), sorted by
``(client_key, date)`` as an import writes it: the same 500,000 clients, each with
ten times the invoices. It is built once in ``--work`` and reused.

Usage::

    .venv/bin/python benchmarks/bench_cluster.py --clients 500000 --lines 10000000 \\
        --scales 1,10 --repeat 2

Results: benchmarks/results/cluster.md (rewritten by each run).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_commands import (
    Cluster,
    Run,
    Series,
    measure,
    prepare,
)

ROOT = Path(__file__).resolve().parents[1]
CARTERA = str(Path(sys.executable).parent / "cartera")
FLOOR = """
import sys, duckdb
duckdb.sql(f\"\"\"SELECT client_key, sum(amount), sum(cost), count(*), min(date), max(date)
FROM read_parquet('{sys.argv[1]}/documents.parquet') GROUP BY client_key\"\"\").fetchall()
"""


def replicate(ws: Path, target: Path, scale: int, memory: str = "2GB") -> Path:
    """``ws`` with its documents replicated ``scale`` times (see the module docstring)."""
    if (target / ".done").exists():
        return target
    import duckdb

    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name in ("payments", "clients", "activities"):
        shutil.copy(ws / f"{name}.parquet", target / f"{name}.parquet")
    con = duckdb.connect()
    con.execute(f"SET memory_limit='{memory}'")
    con.execute(f"SET temp_directory='{target / '.spill'}'")
    con.execute("SET preserve_insertion_order=false")
    rows = con.execute(f"SELECT max(source_row) FROM read_parquet('{ws}/documents.parquet')")
    (last,) = rows.fetchone() or (0,)
    copies = " UNION ALL ".join(
        f"SELECT * REPLACE ("
        f"{'doc_number' if k == 0 else f'doc_number || {chr(39)}~{k}{chr(39)}'} AS doc_number, "
        f"source_row + {k * int(last)} AS source_row) "
        f"FROM read_parquet('{ws}/documents.parquet')"
        for k in range(scale)
    )
    con.execute(
        f"COPY (SELECT * FROM ({copies}) ORDER BY client_key, date, source_row) "
        f"TO '{target / 'documents.parquet'}' (FORMAT parquet, COMPRESSION lz4, "
        "ROW_GROUP_SIZE 1000000)"
    )
    shutil.rmtree(target / ".spill", ignore_errors=True)
    manifest = json.loads((ws / "manifest.json").read_text(encoding="utf-8"))
    docs = manifest["tables"]["documents"]
    for key in ("rows_read", "rows_accepted", "rows_written"):
        docs[key] = docs[key] * scale
    (target / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    (target / ".done").touch()
    return target


def daemons_of(cluster_root: Path) -> list[psutil.Process]:
    """The cluster's daemons (master and workers): processes whose command names its folder."""
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        if str(cluster_root) in " ".join(proc.info["cmdline"] or []):
            found.append(proc)
    return found


def tree_rss(roots: list[psutil.Process]) -> int:
    """Resident bytes of ``roots`` and all their children (executors are the workers')."""
    total = 0
    for root in roots:
        with contextlib.suppress(psutil.Error):
            for proc in [root, *root.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    total += proc.memory_info().rss
    return total


def measure_cluster(argv: list[str], env: dict[str, str], daemons: list[psutil.Process]) -> Run:
    """As ``bench_commands.measure``, and the peak of the cluster's daemons and executors
    (``Run.extra_mb``) sampled alongside."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    root = psutil.Process(proc.pid)
    peak = cluster_peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss([root]))
        cluster_peak = max(cluster_peak, tree_rss(daemons))
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode:
        print(f"    exit {proc.returncode}: {' '.join(argv)}\n{stderr[-800:]}", flush=True)
    run = Run(seconds, peak / 2**20, proc.returncode)
    CLUSTER_PEAK[id(run)] = cluster_peak / 2**20
    return run


CLUSTER_PEAK: dict[int, float] = {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=500_000)
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--scales", default="1,10", help="comma-separated replication factors")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument(
        "--spark-scales", default=None, help="the scales Spark runs at (default: every one)"
    )
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "cartera-bench")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/cluster.md")
    args = parser.parse_args()
    work = args.work / f"{args.clients}-{args.lines}"
    _data, ws = prepare(work, args.clients, args.lines)
    scales = [int(s) for s in args.scales.split(",")]
    spark_at = [int(s) for s in (args.spark_scales or args.scales).split(",")]
    spaces = {s: ws if s == 1 else replicate(ws, work / f"ws-x{s}", s) for s in scales}
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1")
    started, load_before = dt.datetime.now(dt.UTC), os.getloadavg()
    series: dict[tuple[int, str], Series] = {}
    daemons: dict[int, float] = {}
    py = sys.executable
    spark = any(s in spark_at for s in scales)
    with Cluster(work) if spark else contextlib.nullcontext() as cluster:
        for i in range(args.repeat):
            for scale, space in spaces.items():
                analyze = [CARTERA, "analyze", str(space), "--format", "json"]
                cmds = {"floor": [py, "-c", FLOOR, str(space)], "duckdb": analyze}
                if cluster is not None and scale in spark_at:
                    master = ["--engine", "spark", "--spark-master", cluster.master]
                    cmds["spark-cluster"] = [*analyze, *master]
                for name, argv in cmds.items():
                    if name == "spark-cluster" and cluster is not None:
                        run = measure_cluster(argv, env, daemons_of(cluster.root))
                        peak = CLUSTER_PEAK.pop(id(run))
                        daemons[scale] = max(daemons.get(scale, 0.0), peak)
                    else:
                        run = measure(argv, env=env)
                    series.setdefault((scale, name), Series(name)).runs.append(run)
                    print(f"  round {i + 1} x{scale} {name}: {run.seconds:.1f} s, "
                          f"{run.rss_mb:,.0f} MB", flush=True)  # fmt: skip
                write(args, spaces, series, daemons, started, load_before, i + 1)


def write(
    args: argparse.Namespace,
    spaces: dict[int, Path],
    series: dict[tuple[int, str], Series],
    daemons: dict[int, float],
    started: dt.datetime,
    load_before: tuple[float, float, float],
    rounds: int,
) -> None:
    import duckdb

    load = os.getloadavg()
    lines = [
        "# DuckDB against a two-worker Spark standalone cluster",
        "",
        (__doc__ or "").split("\n\nUsage")[0].split("\n\n", 1)[1],
        "",
        f"Command: `python benchmarks/bench_cluster.py --clients {args.clients} "
        f"--lines {args.lines} --scales {args.scales} --repeat {args.repeat}"
        + (f" --spark-scales {args.spark_scales}" if args.spark_scales else "")
        + "`  ",
        f"Run {started:%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores; load average "
        f"(1/5/15 min) {'/'.join(f'{x:.1f}' for x in load_before)} at the start, "
        f"{'/'.join(f'{x:.1f}' for x in load)} at the last write. Rounds done: {rounds} "
        f"of {args.repeat}.",
        "",
        "| lines | command | wall median (s) | min–max (s) | peak RSS median (MB) | ÷ floor |",
        "| ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    labels = {
        "floor": "floor: DuckDB `GROUP BY client_key` (fresh process)",
        "duckdb": "`cartera analyze WS --format json` (DuckDB)",
        "spark-cluster": "same, `--engine spark --spark-master` (2 workers × 1 core × 2 GB)",
    }
    for scale, space in spaces.items():
        (count,) = duckdb.sql(
            f"SELECT count(*) FROM read_parquet('{space}/documents.parquet')"
        ).fetchall()[0]
        floor = series.get((scale, "floor"))
        base = floor.median_s() if floor else None
        for name, label in labels.items():
            s = series.get((scale, name))
            if s is None or not s.ok():
                failed = "failed" if s is not None else "not run"
                lines.append(f"| {count:,} | {label} | {failed} | | | |")
                continue
            secs = [r.seconds for r in s.ok()]
            median, rss = s.median_s(), s.median_rss()
            assert median is not None and rss is not None
            ratio = f"{median / base:.1f}×" if base else ""
            lines.append(
                f"| {count:,} | {label} | {median:.1f} | {min(secs):.1f}–{max(secs):.1f} | "
                f"{rss:,.0f} | {ratio} |"
            )
    if daemons:
        lines += [
            "",
            "Peak resident memory of the cluster's side (master, two workers and their "
            "executors, sampled during the Spark runs; not in the column above, which is the "
            "driver's process tree), largest of the rounds: "
            + ", ".join(f"×{s}: {mb:,.0f} MB" for s, mb in daemons.items())
            + ".",
        ]
    old = args.out.read_text("utf-8") if args.out.exists() else ""
    notes = old[old.find("## Notes") :] if "## Notes" in old else ""
    args.out.write_text("\n".join(lines) + "\n\n" + notes, "utf-8")


if __name__ == "__main__":
    main()
