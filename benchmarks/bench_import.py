"""Benchmark of ``cartera import`` on a 1M-line Spanish demo export.

    .venv/bin/python benchmarks/bench_import.py [--lines 1000000] [--clients 100000] [--repeat 3]

Writes the demo files once (``cartera.demo.write_demo``, cp1252, ``;``,
decimal comma, dd/mm/yyyy) into ``--data`` and then, ``--repeat`` times, each
in a fresh subprocess so that peak RSS is the run's own:

* ``baseline``: plain ``polars.read_csv`` of ``facturas.csv`` to a DataFrame,
  then the documents import, in the same process (the ratio compares them);
* ``documents``: ``import_files(documents=facturas.csv)`` alone (time, peak RSS);
* ``all``: ``import_files(folder)`` of the four files (time, peak RSS).

Times exclude interpreter start-up and imports. Medians are printed and, with
``--write``, recorded in benchmarks/results/import.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Everything from this heading on is written by hand and survives ``--write``.
NOTES_HEADING = "## Notes (written by hand after the run)"

CHILD = r"""
import json, resource, sys, time, shutil
from pathlib import Path
mode, data, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
import polars as pl
from cartera.io import ReadOptions, import_files
result = {}
if mode == "baseline":
    t0 = time.perf_counter()
    frame = pl.read_csv(data / "facturas.csv", separator=";", encoding="utf8-lossy")
    result["baseline_s"] = time.perf_counter() - t0
    result["baseline_rows"] = frame.height
    del frame
if mode in ("baseline", "documents"):
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    summary = import_files(documents=data / "facturas.csv", into=out)
    result["documents_s"] = time.perf_counter() - t0
    result["rows"] = summary.tables["documents"].rows_written
if mode == "all":
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    summary = import_files([data], into=out)
    result["all_s"] = time.perf_counter() - t0
    result["rows"] = {t: s.rows_written for t, s in summary.tables.items()}
result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
"""


def _child(mode: str, data: Path, out: Path) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(data), str(out)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _data(folder: Path, lines: int, clients: int) -> Path:
    marker = folder / f".lines-{lines}-clients-{clients}"
    if not marker.exists():
        from cartera.demo import write_demo

        shutil.rmtree(folder, ignore_errors=True)
        write_demo(folder, clients=clients, lines=lines)
        marker.touch()
    return folder


def run(lines: int, clients: int, repeat: int, data_dir: Path) -> dict[str, object]:
    data = _data(data_dir, lines, clients)
    size_mb = (data / "facturas.csv").stat().st_size / 2**20
    runs: dict[str, list[dict[str, object]]] = {"baseline": [], "documents": [], "all": []}
    with tempfile.TemporaryDirectory(prefix="cartera-bench-") as tmp:
        for _ in range(repeat):
            for mode in runs:
                runs[mode].append(_child(mode, data, Path(tmp) / "ws"))

    def median(mode: str, key: str) -> float:
        return statistics.median(float(r[key]) for r in runs[mode])  # type: ignore[arg-type]

    base, docs_same = median("baseline", "baseline_s"), median("baseline", "documents_s")
    return {
        "lines": runs["documents"][0]["rows"],
        "file_mb": round(size_mb, 1),
        "baseline_read_csv_s": round(base, 2),
        "documents_import_same_process_s": round(docs_same, 2),
        "ratio_import_to_read_csv": round(docs_same / base, 2),
        "documents_import_s": round(median("documents", "documents_s"), 2),
        "documents_import_min_max_s": [
            round(f(float(r["documents_s"]) for r in runs["documents"]), 2)  # type: ignore[arg-type]
            for f in (min, max)
        ],
        "documents_peak_rss_mb": round(median("documents", "peak_mb")),
        "all_four_files_import_s": round(median("all", "all_s"), 2),
        "all_four_files_peak_rss_mb": round(median("all", "peak_mb")),
        "all_rows": runs["all"][0]["rows"],
        "repeat": repeat,
        "cpus": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=1_000_000)
    # 100_000 clients need more than 1M lines in the demo generator; 90_000 fit.
    parser.add_argument("--clients", type=int, default=90_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--data", type=Path, default=Path(tempfile.gettempdir()) / "cartera-bench-demo"
    )
    parser.add_argument(
        "--write", action="store_true", help="Record in benchmarks/results/import.md"
    )
    args = parser.parse_args()
    started = time.time()
    result = run(args.lines, args.clients, args.repeat, args.data)
    result["wall_s"] = round(time.time() - started, 1)
    print(json.dumps(result, indent=2))
    if args.write:
        _record(result, args)


def _record(result: dict[str, object], args: argparse.Namespace) -> None:
    command = (
        ".venv/bin/python benchmarks/bench_import.py "
        f"--lines {args.lines} --clients {args.clients} --repeat {args.repeat} --write"
    )
    path = ROOT / "benchmarks" / "results" / "import.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = "\n".join(f"| {k} | {v} |" for k, v in result.items())
    path.write_text(
        "# Import benchmark\n\n"
        f"Reproduce: `{command}`\n\n"
        "Medians of the runs, each in a fresh subprocess "
        "(times exclude start-up and imports).\n"
        "The baseline is a plain `polars.read_csv` of the same `facturas.csv` "
        "in the same process.\n\n"
        "| measure | value |\n| --- | --- |\n" + rows + "\n\n" + _notes(path),
        encoding="utf-8",
    )


def _notes(path: Path) -> str:
    """The hand-written notes section of the previous results file, kept across re-runs."""
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    start = old.find(NOTES_HEADING)
    return old[start:].rstrip() + "\n" if start >= 0 else NOTES_HEADING + "\n\n(none yet)\n"


if __name__ == "__main__":
    main()
