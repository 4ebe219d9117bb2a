"""Whole-process timing of ``cartera report --format html|xlsx|pdf`` on a large demo portfolio.

    python benchmarks/bench_reports.py --clients 500000 --lines 10000000
    python benchmarks/bench_reports.py --workspace /tmp/ws500k   # reuse an imported workspace

Each format runs as its own process under ``/usr/bin/time -v`` (wall time and peak
RSS of the whole command: analysis, stress test and writing), and the same
workspace's analysis alone (``cartera analyze --format json`` to /dev/null is not
the same work, so the analysis and stress share is measured in-process once with
``--profile``). Writes ``benchmarks/results/reports.md``.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CARTERA = [str(Path(sys.executable).parent / "cartera")]
FORMATS = ("html", "xlsx", "pdf")
TARGET_SECONDS, TARGET_MB = 15.0, 1536.0


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MB, user+system CPU seconds) of ``cmd`` under time -v."""
    done = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    err = done.stderr
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", err)
    assert wall is not None
    hours, minutes, seconds = wall.groups()
    wall_s = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    user = re.search(r"User time \(seconds\): ([\d.]+)", err)
    system = re.search(r"System time \(seconds\): ([\d.]+)", err)
    assert rss and user and system
    return wall_s, int(rss.group(1)) / 1024, float(user.group(1)) + float(system.group(1))


def profile(workspace: Path) -> dict[str, tuple[float, float]]:
    """(wall, CPU) seconds of analysis, stress and each writer in one process.

    CPU (all threads of the process) is the figure that does not depend on how busy
    the shared machine is; on an idle machine wall ≈ CPU for the single-threaded parts.
    """
    from cartera.analysis import analyze
    from cartera.report import render
    from cartera.scenarios import stress_test
    from cartera.settings import Settings

    settings = Settings()
    out: dict[str, tuple[float, float]] = {}

    def clock() -> tuple[float, float]:
        return time.perf_counter(), time.process_time()

    def since(start: tuple[float, float]) -> tuple[float, float]:
        wall, cpu = clock()
        return wall - start[0], cpu - start[1]

    start = clock()
    analysis = analyze(workspace, settings=settings)
    out["analysis"] = since(start)
    start = clock()
    result = stress_test(analysis, settings)
    out["stress"] = since(start)
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in FORMATS:
            start = clock()
            render(fmt, analysis, Path(tmp) / f"report.{fmt}", result, lang="es")
            out[f"write {fmt}"] = since(start)
    return out


FLOOR = """
import sys, duckdb
duckdb.sql(f\"\"\"SELECT client_key, sum(amount), sum(cost), count(*), min(date), max(date)
FROM read_parquet('{sys.argv[1]}/documents.parquet') GROUP BY client_key\"\"\").fetchall()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=500_000)
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--workspace", type=Path, help="an imported workspace to reuse")
    parser.add_argument("--repeat", type=int, default=1, help="interleaved rounds")
    parser.add_argument("--profile", action="store_true", help="also time each part in-process")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "reports.md")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="another checkout's src folder: each report also runs with it (interleaved)",
    )
    parser.add_argument("--keep", type=Path, help="write the reports into this folder")
    args = parser.parse_args()
    started, load_before = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        workspace = args.workspace
        if workspace is None:
            data, workspace = Path(tmp) / "data", Path(tmp) / "workspace"
            sizes = ["--clients", str(args.clients), "--lines", str(args.lines)]
            for step in (
                ["demo", str(data), *sizes],
                ["import", str(data), "--into", str(workspace)],
            ):
                subprocess.run([*CARTERA, *step], check=True, capture_output=True)
        runs: dict[str, list[tuple[float, float, float, float, float]]] = {}
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        base_env = None
        if args.baseline is not None:
            base_env = {**os.environ, "PYTHONPATH": str(args.baseline.resolve())}
        for i in range(args.repeat):
            cmds: dict[str, tuple[list[str], dict[str, str] | None]] = {
                "floor": ([sys.executable, "-c", FLOOR, str(workspace)], None),
                "analyze": ([*CARTERA, "analyze", str(workspace), "--format", "json"], None),
            }
            for fmt in FORMATS:
                for tag, env in (("", None), ("baseline ", base_env)):
                    if tag and env is None:
                        continue
                    out = folder / f"{tag.strip() or 'report'}.{fmt}"
                    cmds[tag + fmt] = ([*CARTERA, "report", str(workspace), "--format", fmt,
                                        "--out", str(out), "--lang", "es"], env)  # fmt: skip
            for name, (cmd, env) in cmds.items():
                load = os.getloadavg()[0]
                wall, rss, cpu = timed(cmd, env)
                fmt = name.split()[-1]
                out = folder / f"{'baseline' if name.startswith('baseline') else 'report'}.{fmt}"
                size = out.stat().st_size / 1e6 if fmt in FORMATS else 0
                runs.setdefault(name, []).append((wall, rss, cpu, size, load))
                print(
                    f"round {i + 1} {name}: {wall:.1f} s, {rss:.0f} MB, cpu {cpu:.1f} s, "
                    f"load {load:.1f}",
                    flush=True,
                )
            write(args, runs, {}, started, load_before)
        parts = profile(workspace) if args.profile else {}
    write(args, runs, parts, started, load_before)


def _counts(workspace: Path) -> str:
    """``500,000 clients / 10,128,993 lines`` from the workspace's manifest."""
    import json

    tables = json.loads((workspace / "manifest.json").read_text("utf-8"))["tables"]
    rows = {name: t.get("rows_written", 0) for name, t in tables.items()}
    return f"{rows.get('clients', 0):,} clients / {rows.get('documents', 0):,} lines"


def write(
    args: argparse.Namespace,
    runs: dict[str, list[tuple[float, float, float, float, float]]],
    parts: dict[str, tuple[float, float]],
    started: str,
    load_before: tuple[float, float, float],
) -> None:
    size = (
        f"{args.clients:,} clients / {args.lines:,} lines"
        if not args.workspace
        else f"the imported workspace {args.workspace}: {_counts(args.workspace)}"
    )
    load = os.getloadavg()
    rounds = min(len(v) for v in runs.values())
    lines = [
        "# Reports at scale (`cartera report`)",
        "",
        f"Demo portfolio ({size}); every command one whole process under `/usr/bin/time -v`",
        "(a report is analysis + stress test + writing), in rounds: the floor (a fresh",
        "Python + DuckDB `GROUP BY client_key` over `documents.parquet`), `cartera analyze",
        "--format json` (the analysis and its contract, no stress test), then each format.",
        "Targets: each report ≤ 15 s and ≤ 1.5 GB. CPU is user + system of all threads;",
        "the load is the 1-minute load average when each command started (2 cores).",
        "",
        "```bash",
        "python benchmarks/bench_reports.py " + " ".join(sys.argv[1:]),
        "```",
        "",
        f"Run {started} on {os.cpu_count()} cores; load average (1/5/15 min) "
        f"{'/'.join(f'{x:.1f}' for x in load_before)} at the start, "
        f"{'/'.join(f'{x:.1f}' for x in load)} at the last write; rounds: {rounds}.",
        "",
        "| command | wall median | peak RSS median | CPU median | ÷ floor (wall) | load (1 min) "
        "| file | met? |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    floor = statistics.median(r[0] for r in runs["floor"]) if "floor" in runs else None
    for name, rows in runs.items():
        wall = statistics.median(r[0] for r in rows)
        rss = statistics.median(r[1] for r in rows)
        cpu = statistics.median(r[2] for r in rows)
        load = statistics.median(r[4] for r in rows)
        ratio = f"{wall / floor:.1f}×" if floor else ""
        fmt = name.split()[-1]
        if fmt in FORMATS:
            met = "yes" if wall <= TARGET_SECONDS and rss <= TARGET_MB else "**no**"
            mb = f"{statistics.median(r[3] for r in rows):.2f} MB"
            label = f"`cartera report --format {fmt}`"
            if name.startswith("baseline"):
                label = f"baseline ({args.baseline}): {label}"
                met = ""
        else:
            met, mb = "", ""
            label = "floor" if name == "floor" else "`cartera analyze --format json`"
        lines.append(
            f"| {label} | {wall:.1f} s | {rss:,.0f} MB | {cpu:.1f} s | {ratio} | {load:.1f} "
            f"| {mb} | {met} |"
        )
    if args.baseline is not None:
        lines += [
            "",
            f"Baseline: each report also ran right after with `PYTHONPATH={args.baseline}`",
            "(another checkout's code, same workspace and venv).",
        ]
    if parts:
        lines += ["", "In one process, seconds (wall / CPU): " + ", ".join(
            f"{k} {w:.1f} / {c:.1f}" for k, (w, c) in parts.items())]  # fmt: skip
    old = args.out.read_text("utf-8") if args.out.exists() else ""
    notes = old[old.find("## Notes") :] if "## Notes" in old else ""
    args.out.write_text("\n".join(lines) + "\n\n" + notes, encoding="utf-8")


if __name__ == "__main__":
    main()
