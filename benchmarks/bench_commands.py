"""Whole-process timings of the user's commands, interleaved with a floor and lifetimes.

Each command runs as its own process (what a user waits for), and each round
runs every command once, in the same order, next to:

* **floor** — a fresh Python + DuckDB process running ``SELECT client_key,
  sum(amount), sum(cost), count(*), min(date), max(date) … GROUP BY
  client_key`` over the workspace's ``documents.parquet``: the least any
  per-client analysis must do, as a process;
* **lifetimes** — a fresh process running lifetimes'
  ``summary_data_from_transaction_data`` on the same invoice lines (read from
  the same Parquet file, reading included).

Wall time is measured around the process; peak RSS is the peak of the sum of
the resident sets of the process and its children (the import's transcoding
child, Spark's driver JVM), polled every 20 ms with psutil. Medians over the
rounds, and ratios of medians to the floor's and lifetimes' medians from the
same rounds: on a shared machine the ratios are what counts.

Data: ``cartera demo DIR --clients N --lines M`` and ``cartera import``
(the import is itself one of the timed commands, into a fresh folder each
round). ``--cluster`` also starts a two-worker Spark standalone cluster
(``scripts/spark-cluster.py``) and times ``cartera analyze WS --format json``
on DuckDB against the same command with ``--engine spark --spark-master``.

Usage::

    .venv/bin/python benchmarks/bench_commands.py --clients 100000 --lines 2000000
    .venv/bin/python benchmarks/bench_commands.py --clients 500000 --lines 10000000 \\
        --repeat 1 --only analyze,analyze-json --cluster

``--base DIR`` also times every ``cartera`` command with ``PYTHONPATH=DIR/src``
(a ``git worktree`` of an older commit: ``before``) right before the same command
with ``PYTHONPATH=HEAD/src`` (``--head``, default this checkout: ``after``),
interleaved in the same rounds, and adds the after ÷ before ratios.

Results go to benchmarks/results/commands.md (``--out`` to change; a run
appends a section per size, ``--fresh`` starts the file anew).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CARTERA = str(BIN / "cartera")
CLUSTER = ROOT / "scripts" / "spark-cluster.py"
FLOOR_SQL = (
    "SELECT client_key, sum(amount), sum(cost), count(*), min(date), max(date) "
    "FROM read_parquet('{path}') GROUP BY client_key"
)
FLOOR_CODE = "import duckdb, sys; duckdb.sql(sys.argv[1]).fetchall()"
LIFETIMES_CODE = """
import sys, warnings
warnings.simplefilter("ignore")
import polars as pl
from lifetimes.utils import summary_data_from_transaction_data
lines = (pl.scan_parquet(sys.argv[1]).filter(pl.col("doc_type") == "invoice")
         .select("client_id", "date", "amount").collect().to_pandas())
summary_data_from_transaction_data(lines, "client_id", "date", monetary_value_col="amount",
                                   observation_period_end=lines["date"].max())
"""


@dataclass
class Run:
    """One process: wall seconds, peak RSS of its tree (MB), exit status, CPU seconds.

    ``user_s`` and ``sys_s`` are the process' and its waited-for children's user and
    system CPU (``wait4``); system time is mostly page faults, which cost this kind of
    virtual machine far more than bare metal and vary over a day.
    """

    seconds: float
    rss_mb: float
    status: int
    user_s: float = 0.0
    sys_s: float = 0.0


@dataclass
class Series:
    name: str
    runs: list[Run] = field(default_factory=list)

    def ok(self) -> list[Run]:
        return [r for r in self.runs if r.status == 0]

    def median_s(self) -> float | None:
        runs = self.ok()
        return statistics.median(r.seconds for r in runs) if runs else None

    def median_rss(self) -> float | None:
        runs = self.ok()
        return statistics.median(r.rss_mb for r in runs) if runs else None

    def median_cpu(self) -> tuple[float, float] | None:
        """Median user and system CPU seconds."""
        runs = self.ok()
        if not runs:
            return None
        return (statistics.median(r.user_s for r in runs), statistics.median(r.sys_s for r in runs))


def measure(argv: list[str], *, env: dict[str, str] | None = None, poll: float = 0.02) -> Run:
    """Run ``argv`` (stdout discarded) and sample its process tree's resident memory."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    root = psutil.Process(proc.pid)
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            break
        try:
            tree = [root, *root.children(recursive=True)]
            rss = 0
            for p in tree:
                with contextlib.suppress(psutil.Error):  # it may just have ended
                    rss += p.memory_info().rss
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(poll)
    seconds = time.perf_counter() - started
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode:
        print(f"    exit {proc.returncode}: {' '.join(argv)}\n{stderr[-800:]}", flush=True)
    return Run(seconds, peak / 2**20, proc.returncode, usage.ru_utime, usage.ru_stime)


def prepare(work: Path, clients: int, lines: int) -> tuple[Path, Path]:
    """The demo files and a workspace imported from them (reused when present)."""
    data, ws = work / "data", work / "ws"
    if not (data / ".done").exists():
        shutil.rmtree(data, ignore_errors=True)
        print(f"  cartera demo: {clients:,} clients, {lines:,} lines", flush=True)
        demo = [CARTERA, "demo", str(data), "--clients", str(clients), "--lines", str(lines)]
        subprocess.run(demo, check=True, stdout=subprocess.DEVNULL)
        (data / ".done").touch()
    if not (ws / "documents.parquet").exists():
        subprocess.run([CARTERA, "import", str(data), "--into", str(ws)], check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    return data, ws


def top_client(ws: Path) -> str:
    import duckdb

    sql = (
        f"SELECT client_id FROM read_parquet('{ws}/documents.parquet') "
        "GROUP BY client_id ORDER BY sum(amount) DESC LIMIT 1"
    )
    row = duckdb.sql(sql).fetchall()[0]
    assert row is not None
    return str(row[0])


def commands(data: Path, ws: Path, out: Path) -> dict[str, list[str]]:
    """The user's commands, by name (the import writes into ``out/import-ws``)."""
    lost = top_client(ws)
    py = sys.executable
    return {
        "floor": [py, "-c", FLOOR_CODE, FLOOR_SQL.format(path=ws / "documents.parquet")],
        "import": [CARTERA, "import", str(data), "--into", str(out / "import-ws")],
        "analyze": [CARTERA, "analyze", str(ws)],
        "analyze-json": [CARTERA, "analyze", str(ws), "--format", "json"],
        "whatif": [CARTERA, "whatif", str(ws), "--lose", lost],
        "report-html": [
            CARTERA,
            "report",
            str(ws),
            "--format",
            "html",
            "--out",
            str(out / "report.html"),
        ],
        "report-xlsx": [
            CARTERA,
            "report",
            str(ws),
            "--format",
            "xlsx",
            "--out",
            str(out / "report.xlsx"),
        ],
        "report-pdf": [
            CARTERA,
            "report",
            str(ws),
            "--format",
            "pdf",
            "--out",
            str(out / "report.pdf"),
        ],
        "lifetimes": [py, "-c", LIFETIMES_CODE, str(ws / "documents.parquet")],
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Cluster:
    """A two-worker standalone cluster for the duration of a ``with`` block."""

    def __init__(self, work: Path) -> None:
        self.root = work / "spark-cluster"
        self.args = ["--dir", str(self.root), "--port", str(_free_port()),
                     "--webui-port", str(_free_port())]  # fmt: skip
        self.master = ""

    def __enter__(self) -> Cluster:
        started = subprocess.run([sys.executable, str(CLUSTER), "start", *self.args],
                                 capture_output=True, text=True, check=False)  # fmt: skip
        if started.returncode:
            raise SystemExit(f"the Spark cluster did not start:\n{started.stderr}")
        self.master = started.stdout.strip()
        return self

    def __exit__(self, *exc: object) -> None:
        subprocess.run([sys.executable, str(CLUSTER), "stop", *self.args], check=False)


BEFORE = " @before"


def run_round(cmds: dict[str, list[str]], series: dict[str, Series], label: str,
              out: Path, env: dict[str, str],
              envs: dict[str, dict[str, str]] | None = None) -> None:  # fmt: skip
    """Run every command once, in order, adding each run to its series.

    ``envs`` gives some commands their own environment (the ``before`` code).
    """
    for name, argv in cmds.items():
        shutil.rmtree(out / "import-ws", ignore_errors=True)
        run = measure(argv, env=(envs or {}).get(name, env))
        series.setdefault(name, Series(name)).runs.append(run)
        print(
            f"  {label} {name}: {run.seconds:.2f} s, {run.rss_mb:,.0f} MB, "
            f"CPU {run.user_s:.2f} user / {run.sys_s:.2f} sys",
            flush=True,
        )


def _fmt(value: float | None, spec: str = ".2f") -> str:
    return "—" if value is None else format(value, spec)


def _cpu(cpu: tuple[float, float] | None) -> str:
    return "—" if cpu is None else f"{cpu[0]:.2f} / {cpu[1]:.2f}"


def _ratio(a: float | None, b: float | None) -> str:
    return "—" if a is None or b is None or b == 0 else f"{a / b:.1f}×"


def table(series: dict[str, Series], labels: dict[str, str]) -> list[str]:
    floor = series["floor"].median_s()
    life = series["lifetimes"].median_s() if "lifetimes" in series else None
    rows = [
        "| command | wall median (s) | min–max (s) | peak RSS median (MB) "
        "| CPU user / system median (s) | ÷ floor | ÷ lifetimes |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, s in series.items():
        runs = s.ok()
        spread = (
            f"{min(r.seconds for r in runs):.2f}–{max(r.seconds for r in runs):.2f}"
            if runs
            else "—"
        )
        failed = len(s.runs) - len(runs)
        note = f" ({failed} failed)" if failed else ""
        rows.append(
            f"| {labels.get(name, _label(name))}{note} | {_fmt(s.median_s())} | "
            f"{spread} | {_fmt(s.median_rss(), ',.0f')} | {_cpu(s.median_cpu())} | "
            f"{_ratio(s.median_s(), floor)} | {_ratio(s.median_s(), life)} |"
        )
    return rows


def _label(name: str) -> str:
    if name.endswith(BEFORE):
        return LABELS.get(name[: -len(BEFORE)], name[: -len(BEFORE)]) + " — before"
    return LABELS.get(name, name)


def versus(series: dict[str, Series]) -> list[str]:
    """After ÷ before (wall and peak RSS medians) for the commands run both ways."""
    pairs = [(n[: -len(BEFORE)], s) for n, s in series.items() if n.endswith(BEFORE)]
    if not pairs:
        return []
    rows = ["", "| command | before ÷ after, wall | before ÷ after, peak RSS |",
            "| --- | ---: | ---: |"]  # fmt: skip
    for name, before in pairs:
        after = series.get(name)
        if after is None:
            continue
        rows.append(
            f"| {LABELS.get(name, name)} | {_ratio(before.median_s(), after.median_s())} "
            f"| {_ratio(before.median_rss(), after.median_rss())} |"
        )
    return rows


def lines_of(ws: Path) -> tuple[int, int]:
    import duckdb

    row = duckdb.sql(
        f"SELECT count(*), count(DISTINCT client_key) FROM read_parquet('{ws}/documents.parquet')"
    ).fetchall()[0]
    assert row is not None
    return int(row[0]), int(row[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="", help="comma-separated command names")
    parser.add_argument("--cluster", action="store_true", help="also DuckDB vs a Spark cluster")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "cartera-bench")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/commands.md")
    parser.add_argument("--fresh", action="store_true", help="start the results file anew")
    parser.add_argument("--base", type=Path, help="checkout of the code before (its src/)")
    parser.add_argument("--head", type=Path, default=ROOT, help="checkout of the code after")
    args = parser.parse_args()

    work = args.work / f"{args.clients}-{args.lines}"
    out = work / "out"
    out.mkdir(parents=True, exist_ok=True)
    data, ws = prepare(work, args.clients, args.lines)
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1")
    # As an installed package: compiled once, not every run (a source checkout under
    # PYTHONDONTWRITEBYTECODE recompiles every module of every process).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    for checkout in {args.head, *([args.base] if args.base else [])}:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(checkout.resolve() / "src")],
                       env=env, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    cmds = commands(data, ws, out)
    if args.only:
        wanted = {"floor", "lifetimes", *args.only.split(",")}
        cmds = {k: v for k, v in cmds.items() if k in wanted}
    envs: dict[str, dict[str, str]] = {}
    if args.base:
        env["PYTHONPATH"] = str(args.head.resolve() / "src")
        paired: dict[str, list[str]] = {}
        for name, argv in cmds.items():
            if argv[0] == CARTERA:
                paired[name + BEFORE] = argv
                envs[name + BEFORE] = dict(env, PYTHONPATH=str(args.base.resolve() / "src"))
            paired[name] = argv
        cmds = paired
    load_before = os.getloadavg()
    started = dt.datetime.now(dt.UTC)
    header = (
        "# Benchmark: the user's commands, whole processes\n\n"
        + (__doc__ or "").split("\n\nUsage")[0].split("\n\n", 1)[1]
        + "\n\n"
    )
    previous = "" if args.fresh or not args.out.exists() else args.out.read_text("utf-8")
    previous = previous.rstrip() + "\n\n" if previous else header
    print(f"[{args.clients:,} clients, {args.lines:,} lines] {args.repeat} rounds", flush=True)
    series: dict[str, Series] = {}
    cluster_series: dict[str, Series] = {}
    for i in range(args.repeat):  # the results are written after every round
        run_round(cmds, series, f"round {i + 1}/{args.repeat}", out, env, envs)
        text = section(args, ws, series, cluster_series, started, load_before, i + 1)
        args.out.write_text(previous + text, "utf-8")
    if args.cluster:
        with Cluster(work) as cluster:
            spark = [*commands(data, ws, out)["analyze-json"],
                     "--engine", "spark", "--spark-master", cluster.master]  # fmt: skip
            pair = {"floor": cmds["floor"], "duckdb": spark[:-4], "spark-cluster": spark}
            for i in range(args.repeat):
                run_round(pair, cluster_series, f"cluster round {i + 1}", out, env)
                text = section(args, ws, series, cluster_series, started, load_before, i + 1)
                args.out.write_text(previous + text, "utf-8")
    print(args.out.read_text("utf-8")[len(previous) :])


LABELS = {
    "floor": "floor: DuckDB `GROUP BY client_key` (fresh process)",
    "import": "`cartera import` (the four demo files)",
    "analyze": "`cartera analyze WS` (dashboard)",
    "analyze-json": "`cartera analyze WS --format json`",
    "whatif": "`cartera whatif WS --lose <top client>`",
    "report-html": "`cartera report WS --format html`",
    "report-xlsx": "`cartera report WS --format xlsx`",
    "report-pdf": "`cartera report WS --format pdf`",
    "lifetimes": "lifetimes `summary_data_from_transaction_data`",
    "duckdb": "`cartera analyze WS --format json` (DuckDB)",
    "spark-cluster": "same, `--engine spark --spark-master` (2 workers × 1 core × 2 GB)",
}


def section(
    args: argparse.Namespace, ws: Path, series: dict[str, Series],
    cluster_series: dict[str, Series], started: dt.datetime,
    load_before: tuple[float, float, float], rounds: int,
) -> str:  # fmt: skip
    """The Markdown section of this run so far."""
    n_lines, n_clients = lines_of(ws)
    load_now = os.getloadavg()
    text = [
        f"## {n_clients:,} clients, {n_lines:,} document lines",
        "",
        f"Command: `python benchmarks/bench_commands.py --clients {args.clients} "
        f"--lines {args.lines} --repeat {args.repeat}"
        + (f" --only {args.only}" if args.only else "")
        + (" --cluster" if args.cluster else "")
        + (f" --base {args.base}" if args.base else "")
        + (f" --head {args.head}" if args.base and args.head != ROOT else "")
        + "`  ",
        f"Run {started:%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB; load average (1/5/15 min) "
        f"{'/'.join(f'{x:.1f}' for x in load_before)} at the start, "
        f"{'/'.join(f'{x:.1f}' for x in load_now)} at the last write. "
        f"Rounds done: {rounds} of {args.repeat}.",
        "",
        *table(series, LABELS),
        *versus(series),
    ]
    if cluster_series:
        text += ["", "DuckDB against the two-worker Spark standalone cluster on this machine "
                 "(the whole command; the cluster's executors are separate processes, so their "
                 "memory is not in the peak RSS):", "", *table(cluster_series, LABELS)]  # fmt: skip
    return "\n".join(text) + "\n"


if __name__ == "__main__":
    main()
