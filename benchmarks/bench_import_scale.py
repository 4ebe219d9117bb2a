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
  DuckDB's out-of-core reader;
* **polars sink, four files** — the polars floor for all four files the import reads,
  one after another: what copying the export to Parquet costs before any typing, check or
  sort;
* **duckdb typed** — ``import_floors.py duckdb-documents``: DuckDB's CSV reader with every
  column of the documents file typed in the query (dates, decimal commas, thousands
  points), ``memory_limit`` 1 GB, copied to Parquet: the least a bounded import of this
  file must do, with no check, no other file and no order;
* **duckdb typed, sorted** — ``duckdb-documents-sorted``: the same query ``ORDER BY``
  client and date, the order the workspace keeps (DESIGN: "sorted Parquet"; decision
  0280): the least an import that keeps that order can do, in one pipeline, before any
  check or the three other files;
* **contract floor, polars / DuckDB** — ``benchmarks/import_floors.py``: the four files
  typed with their layout given by hand, the payments given their document's client, one
  row of figures per client, all as Parquet, in no order and with no check: the least the
  workspace's contract asks of an import, in either engine.

After the rounds, ``lookups`` reads one client's lines (the web client page's query,
``cartera.web.pages.client.client_lines``) for 30 sampled clients from the workspace's
sorted documents and from a copy in another order: what the sort buys at every client
page view.

Wall time around the process and the peak resident memory of its tree (the import's
transcoding children included), polled every 20 ms (``bench_commands.measure``).
Medians over the rounds and ratios to read_csv's median from the same rounds.

Data: ``cartera demo DIR --clients N --lines M``, shared with ``bench_commands.py``
and ``bench_cluster.py`` (``--work``).

Usage::

    .venv/bin/python benchmarks/bench_import_scale.py --clients 500000 --lines 10000000 \\
        --repeat 2 --profile
    .venv/bin/python benchmarks/bench_import_scale.py --copies 10 --guard-mb 6000 \
        --analyze-ws WS   # the 100M-line documents CSV (decision 0283)

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
FLOORS = Path(__file__).resolve().parent / "import_floors.py"
READ_CSV = """
import sys, polars as pl
pl.read_csv(sys.argv[1], separator=";", encoding="utf8-lossy")
"""
SINK_ALL = """
import sys, polars as pl
from pathlib import Path
for name in ("facturas", "cobros", "clientes", "actividades"):
    pl.scan_csv(Path(sys.argv[1]) / f"{name}.csv", separator=";", encoding="utf8-lossy",
                infer_schema=False).sink_parquet(Path(sys.argv[2]) / f"{name}.parquet",
                                                 compression="lz4")
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
#: One client's lines (the web client page's query) for 30 sampled clients, from a
#: workspace's sorted documents and from a copy ordered by a hash of the document number;
#: prints the median and the 90th percentile in ms of each, as JSON.
LOOKUPS = """
import json, statistics, sys, time, duckdb
from cartera.web.pages.client import client_lines
docs, other = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute(f"COPY (SELECT * FROM read_parquet('{docs}') ORDER BY hash(doc_number)) TO "
            f"'{other}' (FORMAT parquet, COMPRESSION lz4_raw)")
keys = [k for (k,) in con.sql(f"SELECT DISTINCT client_key FROM read_parquet('{docs}') "
                              "USING SAMPLE 30 ROWS (reservoir, 7)").fetchall()]
out = {}
for name, path in (("sorted", docs), ("other order", other), ("sorted again", docs)):
    ms = []
    for k in keys:
        t = time.perf_counter()
        client_lines(con, path, k)
        ms.append((time.perf_counter() - t) * 1000)
    ms.sort()
    out[name] = [statistics.median(ms), ms[int(len(ms) * 0.9)]]
print(json.dumps(out))
"""
#: One import in a process that samples its own RSS and its main thread's stack every
#: 50 ms; prints, per stage (the cartera functions below ``import_files``, the file being
#: read), when it started, its seconds and the highest RSS seen in it, as JSON lines.
PROFILE = r"""
import json, os, sys, threading, time, traceback
from pathlib import Path
main, samples, done = threading.main_thread(), [], threading.Event()
STAGES = ("read_file", "_cross_issues", "_payment_checks", "_build", "_build_out_of_core",
          "write_workspace", "type_columns", "type_in_segments", "build_part",
          "_sort_out_of_core", "_aggregates", "_write_tables", "duplicate_issues",
          "unknown_payment_issues", "_keyed_clients", "_clients", "_spill",
          "_distinct_base", "_type_base", "build_in_buckets", "open_source",
          "documents_in_segments", "documents_by_segment", "_duplicates", "_runs", "run_counts",
          "_other_tables")
GUARD = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
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
def cpu():
    # CPU seconds of every thread of this process and of its children waited for (the
    # transcoding processes), from os.times().
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system
def sample():
    t0 = time.perf_counter()
    while not done.is_set():
        with open("/proc/self/statm") as fh:
            rss = int(fh.read().split()[1]) * 4096 / 2**20
        samples.append((time.perf_counter() - t0, rss, stage(), cpu()))
        if GUARD and rss > GUARD:
            report(stopped=True)
            sys.stdout.flush()
            os._exit(3)
        done.wait(0.05)
def report(stopped=False):
    stages, mark, before = {}, 0.0, None
    for t, rss, name, used in list(samples):
        s = stages.setdefault(
            name, {"stage": name, "start": t, "seconds": 0.0, "cpu_s": 0.0, "peak_mb": 0.0}
        )
        s["seconds"] += 0.05
        s["cpu_s"] += used - before if before is not None else 0.0
        before = used
        s["peak_mb"] = max(s["peak_mb"], rss)
        if t >= mark:  # the RSS every 30 s, to show how it grows
            print(json.dumps({"at": t, "rss_mb": rss, "in": name}))
            mark += 30.0
    for s in stages.values():
        print(json.dumps(s))
    if stopped:
        print(json.dumps({"stopped_at_mb": GUARD, "after_s": samples[-1][0]}))
threading.Thread(target=sample, daemon=True).start()
from cartera.io import import_files
import_files([sys.argv[1]], into=sys.argv[2], force=True)
done.set()
report()
"""
LABELS = {
    "read_csv": "`polars.read_csv` of the documents file (baseline)",
    "import": "`cartera import` of the four files",
    "polars sink": "floor: polars `scan_csv → sink_parquet` (streaming), documents",
    "duckdb copy": "floor: DuckDB `read_csv → COPY parquet`, 1 GB limit, documents",
    "polars sink, four files": "floor: polars `scan_csv → sink_parquet`, the four files, "
    "one after another",
    "duckdb typed": "floor: DuckDB `read_csv`, every column typed, `COPY parquet`, 1 GB limit, "
    "documents",
    "duckdb typed, sorted": "floor: the same, `ORDER BY` client and date (the workspace's "
    "order), documents",
    "contract polars": "floor: the contract with no order and no check, the four files, "
    "polars streaming (`import_floors.py`)",
    "contract duckdb": "floor: the same in DuckDB, 1 GB limit",
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
    parser.add_argument(
        "--copies",
        type=int,
        default=0,
        help="instead of the rounds: a documents CSV of this many copies of the documents file "
        "(new document numbers and client codes per copy) imported alone under /usr/bin/time -v, "
        "then analysed",
    )
    parser.add_argument(
        "--guard-mb",
        type=float,
        default=6000.0,
        help="with --copies: stop the import when its RSS passes this (the machine is shared)",
    )
    parser.add_argument(
        "--analyze-ws",
        type=Path,
        help="with --copies: the workspace analysed when the import did not finish",
    )
    args = parser.parse_args()
    work = args.work / f"{args.clients}-{args.lines}"
    data, _ws = prepare(work, args.clients, args.lines)
    if args.copies:
        scale(args, data / "facturas.csv", work / "out-scale")
        return
    out = work / "out-import"
    out.mkdir(parents=True, exist_ok=True)
    docs = data / "facturas.csv"
    py = sys.executable
    cmds = {
        "read_csv": [py, "-c", READ_CSV, str(docs)],
        "import": [CARTERA, "import", str(data), "--into", str(out / "ws")],
        "polars sink": [py, "-c", SINK, str(docs), str(out / "sink.parquet")],
        "duckdb copy": [py, "-c", COPY, str(docs), str(out / "copy.parquet")],
        "polars sink, four files": [py, "-c", SINK_ALL, str(data), str(out)],
        "duckdb typed": [py, str(FLOORS), "duckdb-documents", str(data), str(out)],
        "duckdb typed, sorted": [py, str(FLOORS), "duckdb-documents-sorted", str(data), str(out)],
        "contract polars": [py, str(FLOORS), "polars", str(data), str(out)],
        "contract duckdb": [py, str(FLOORS), "duckdb", str(data), str(out)],
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
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    looked = lookups(_ws / "documents.parquet", out / "other-order.parquet")
    write(args, docs, series, started, load_before, args.repeat, looked=looked)
    if args.profile:
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        stages = profile(data, out / "ws")
        write(args, docs, series, started, load_before, args.repeat, stages, looked)
    shutil.rmtree(out, ignore_errors=True)


def lookups(docs: Path, other: Path) -> dict[str, list[float]]:
    """:data:`LOOKUPS` on ``docs``: median and 90th percentile (ms) per order."""
    done = subprocess.run(
        [sys.executable, "-c", LOOKUPS, str(docs), str(other)],
        check=True,
        capture_output=True,
        text=True,
    )
    other.unlink(missing_ok=True)
    found: dict[str, list[float]] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def profile(data: Path, ws: Path) -> list[dict[str, Any]]:
    """The stages of one import (:data:`PROFILE`), in the order they started."""
    done = subprocess.run(
        [sys.executable, "-c", PROFILE, str(data), str(ws)],
        check=True,
        capture_output=True,
        text=True,
    )
    return _stages(done.stdout)


def _stages(stdout: str) -> list[dict[str, Any]]:
    """The stage lines of :data:`PROFILE`'s output, in the order the stages started."""
    found = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    return sorted((s for s in found if "stage" in s), key=lambda s: s["start"])


def write(
    args: argparse.Namespace,
    docs: Path,
    series: dict[str, Series],
    started: dt.datetime,
    load_before: tuple[float, float, float],
    rounds: int,
    stages: list[dict[str, Any]] | None = None,
    looked: dict[str, list[float]] | None = None,
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
    if looked:
        lines += [
            "",
            "One client's lines (the client page's query), 30 sampled clients of the "
            "shared workspace (``lookups``):",
            "",
            "| documents | median (ms) | 90th percentile (ms) |",
            "| --- | ---: | ---: |",
        ]
        lines += [f"| {k} | {v[0]:.1f} | {v[1]:.1f} |" for k, v in looked.items()]
    if stages:
        lines += [
            "",
            "Memory by stage of one more import (``--profile``: RSS and the main thread's stack "
            "sampled every 50 ms; CPU: the process's threads and its transcoding children, "
            "between samples; stages of under 0.5 s left out):",
            "",
            "| stage | from (s) | seconds | CPU (s) | highest RSS (MB) |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        lines += [
            f"| {s['stage']} | {s['start']:.1f} | {s['seconds']:.1f} | "
            f"{s.get('cpu_s', 0.0):.1f} | {s['peak_mb']:,.0f} |"
            for s in stages
            if s["seconds"] >= 0.5
        ]
    _rewrite(args.out, main="\n".join(lines) + "\n\n")


SCALE = "## A documents CSV of "


def _rewrite(out: Path, *, main: str | None = None, scale: str | None = None) -> None:
    """``out`` with its rounds (``main``) or its large-CSV section (``scale``) replaced; the
    other part and the ``## Notes`` written by hand kept."""
    old = out.read_text("utf-8") if out.exists() else ""
    cut_notes = old.find("## Notes") if "## Notes" in old else len(old)
    cut_scale = old.find(SCALE) if SCALE in old else cut_notes
    main = old[:cut_scale] if main is None else main
    scale = old[cut_scale:cut_notes] if scale is None else scale
    out.write_text(main + scale + old[cut_notes:], "utf-8")


def generate(docs: Path, target: Path, copies: int) -> int:
    """``copies`` copies of ``docs``' lines under its header, copy ``k``'s document numbers
    and client codes (the first and third columns of the demo file) suffixed ``~k``: new
    documents of new clients, the same dates, amounts and products. Returns the lines."""
    edit = r"1d;s/^\([^;]*\);\([^;]*\);\([^;]*\);/\1~K;\2;\3~K;/"
    with docs.open("rb") as src, target.open("wb") as out:
        out.write(src.readline())
        out.flush()
        for k in range(copies):
            with docs.open("rb") as copy:
                subprocess.run(
                    ["sed", edit.replace("K", str(k))],
                    stdin=copy,
                    stdout=out,
                    check=True,
                    env={**os.environ, "LC_ALL": "C"},
                )
    with target.open("rb") as fh:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 24), b"")) - 1


def timed(argv: list[str]) -> tuple[int, float, float, str]:
    """``argv`` under ``/usr/bin/time -v``: exit code, wall seconds, peak RSS (MB), stdout."""
    done = subprocess.run(
        ["/usr/bin/time", "-v", *argv], capture_output=True, text=True, check=False
    )
    found = dict(line.strip().rsplit(": ", 1) for line in done.stderr.splitlines() if ": " in line)
    h_m_s = [
        float(x) for x in found.get("Elapsed (wall clock) time (h:mm:ss or m:ss)", "0").split(":")
    ]
    wall = sum(x * 60**i for i, x in enumerate(reversed(h_m_s)))
    rss = float(found.get("Maximum resident set size (kbytes)", 0)) / 1024
    if done.returncode:
        print(f"    exit {done.returncode}: {' '.join(argv)}\n{done.stderr[-800:]}", flush=True)
    return done.returncode, wall, rss, done.stdout


def scale(args: argparse.Namespace, docs: Path, out: Path) -> None:
    """The large-CSV run (``--copies``): generate, import under a guard, analyse."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    started, load_before = dt.datetime.now(dt.UTC), os.getloadavg()
    big, ws = out / "facturas.csv", out / "ws"
    t0 = dt.datetime.now(dt.UTC)
    try:
        lines = generate(docs, big, args.copies)
        made = (dt.datetime.now(dt.UTC) - t0).total_seconds()
        print(f"  generated {lines:,} lines, {big.stat().st_size / 2**30:.1f} GiB, {made:.0f} s")
        code, wall, rss, stdout = timed(
            [sys.executable, "-c", PROFILE, str(big), str(ws), str(args.guard_mb)]
        )
        print(f"  import: exit {code}, {wall:.1f} s, {rss:,.0f} MB", flush=True)
        big.unlink()
        analysed = ws if code == 0 else args.analyze_ws
        analysis = None
        if analysed is not None:
            analysis = timed([CARTERA, "analyze", str(analysed), "--format", "json"])
            print(f"  analyze: exit {analysis[0]}, {analysis[1]:.1f} s, {analysis[2]:,.0f} MB")
        section = _scale_section(
            args, lines, big, (code, wall, rss, stdout), analysed, analysis, started, load_before
        )
        _rewrite(args.out, scale=section)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _scale_section(
    args: argparse.Namespace,
    lines: int,
    big: Path,
    imported: tuple[int, float, float, str],
    analysed: Path | None,
    analysis: tuple[int, float, float, str] | None,
    started: dt.datetime,
    load_before: tuple[float, float, float],
) -> str:
    code, wall, rss, stdout = imported
    found = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    stopped = next((f for f in found if "stopped_at_mb" in f), None)
    load = os.getloadavg()
    out = [
        f"{SCALE}{lines:,} lines ({args.copies} copies of the documents file)",
        "",
        "The documents file copied "
        f"{args.copies} times (`generate`: each copy's document numbers and client codes "
        "suffixed `~k`, so new documents of new clients), imported alone with "
        "`/usr/bin/time -v` (wall, maximum RSS) in a process that samples its RSS by stage, "
        "stopped if its RSS passes "
        f"{args.guard_mb:,.0f} MB (the machine is shared); then `cartera analyze WS --format "
        "json` under `/usr/bin/time -v`.",
        "",
        f"Command: `python benchmarks/bench_import_scale.py --clients {args.clients} --lines "
        f"{args.lines} --copies {args.copies} --guard-mb {args.guard_mb:.0f}"
        + (f" --analyze-ws {args.analyze_ws}" if args.analyze_ws else "")
        + "`  ",
        f"Run {started:%Y-%m-%d %H:%M} UTC; load average (1/5/15 min) "
        f"{'/'.join(f'{x:.1f}' for x in load_before)} at the start, "
        f"{'/'.join(f'{x:.1f}' for x in load)} at the end.",
        "",
        "| step | exit | wall (s) | peak RSS (MB) |",
        "| --- | ---: | ---: | ---: |",
        f"| import of the {lines:,}-line CSV | {code} | {wall:.1f} | {rss:,.0f} |",
    ]
    if analysis is not None:
        out.append(
            f"| `cartera analyze {'WS' if analysed != args.analyze_ws else analysed} --format "
            f"json` | {analysis[0]} | {analysis[1]:.1f} | {analysis[2]:,.0f} |"
        )
    if stopped:
        out += [
            "",
            f"The import was stopped after {stopped['after_s']:.0f} s, its RSS past "
            f"{stopped['stopped_at_mb']:,.0f} MB.",
        ]
    out += ["", "| at (s) | RSS (MB) | in |", "| ---: | ---: | --- |"]
    out += [f"| {f['at']:.0f} | {f['rss_mb']:,.0f} | {f['in']} |" for f in found if "at" in f]
    out += ["", "| stage | from (s) | seconds | highest RSS (MB) |", "| --- | ---: | ---: | ---: |"]
    out += [
        f"| {s['stage']} | {s['start']:.1f} | {s['seconds']:.1f} | {s['peak_mb']:,.0f} |"
        for s in _stages(stdout)
        if s["seconds"] >= 0.5
    ]
    return "\n".join(out) + "\n\n"


if __name__ == "__main__":
    main()
