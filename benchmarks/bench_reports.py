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
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CARTERA = [str(Path(sys.executable).parent / "cartera")]
FORMATS = ("html", "xlsx", "pdf")
TARGET_SECONDS, TARGET_MB = 15.0, 1536.0


def timed(cmd: list[str]) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MB, user+system CPU seconds) of ``cmd`` under time -v."""
    done = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=500_000)
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--workspace", type=Path, help="an imported workspace to reuse")
    parser.add_argument("--profile", action="store_true", help="also time each part in-process")
    args = parser.parse_args()
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
        rows = []
        for fmt in FORMATS:
            out = Path(tmp) / f"report.{fmt}"
            cmd = [*CARTERA, "report", str(workspace), "--format", fmt, "--out", str(out)]
            wall, rss, cpu = timed([*cmd, "--lang", "es"])
            rows.append((fmt, wall, rss, cpu, out.stat().st_size / 1e6))
            print(f"{fmt}: {wall:.1f} s, {rss:.0f} MB, cpu {cpu:.1f} s", flush=True)
        parts = profile(workspace) if args.profile else {}
    write(args, rows, parts)


def write(
    args: argparse.Namespace,
    rows: list[tuple[str, float, float, float, float]],
    parts: dict[str, tuple[float, float]],
) -> None:
    size = f"{args.clients:,} clients / {args.lines:,} lines" if not args.workspace else "reused"
    lines = [
        "# Reports at scale (`cartera report`)",
        "",
        f"Demo portfolio ({size}); each format one whole process under `/usr/bin/time -v`",
        "(analysis + stress test + writing). Targets: each ≤ 15 s and ≤ 1.5 GB.",
        "",
        "```bash",
        "python benchmarks/bench_reports.py --clients 500000 --lines 10000000 --profile",
        "```",
        "",
        "| format | wall | peak RSS | CPU (user+sys) | file | met? |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for fmt, wall, rss, cpu, mb in rows:
        met = "yes" if wall <= TARGET_SECONDS and rss <= TARGET_MB else "**no**"
        lines.append(
            f"| {fmt} | {wall:.1f} s | {rss:,.0f} MB | {cpu:.1f} s | {mb:.2f} MB | {met} |"
        )
    if parts:
        lines += ["", "In one process, seconds (wall / CPU): " + ", ".join(
            f"{k} {w:.1f} / {c:.1f}" for k, (w, c) in parts.items())]  # fmt: skip
    (HERE / "results" / "reports.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
