"""Faults from outside: ``kill -9`` at random points of an import, and a full disk.

The workspace is always the old one or the new one, never a mix; what a killed run
left (aside folders, transcoded copies) is gone after the next run; a full disk ends in
a message and leaves nothing half-written.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

import cartera
from cartera.cli.app import run
from cartera.demo import write_demo
from cartera.io import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

DEMO = Path(__file__).parent.parent / "data" / "demo"
SRC = str(Path(cartera.__file__).parent.parent)
KILLS = int(os.environ.get("CARTERA_FAULT_KILLS", "3"))


def _cli(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": SRC}
    code = "from cartera.cli.app import main; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _quiet(args: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = run(args)
    return code, err.getvalue()


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fault_data")
    write_demo(root / "data", clients=1000, lines=30_000, seed=5)
    return root / "data"


def _fingerprint_paths(ws: Path) -> list[str]:
    manifest = json.loads((ws / "manifest.json").read_text(encoding="utf-8"))
    return sorted(Path(i["path"]).parent.name for i in manifest["fingerprint"]["inputs"])


def _leftovers(killed: list[int]) -> list[str]:
    places = [Path("/dev/shm"), Path(tempfile.gettempdir())]
    marks = tuple(f"-{pid}-" for pid in killed)
    return [
        p.name
        for place in places
        if place.is_dir()
        for p in place.iterdir()
        if p.name.startswith("cartera-") and any(m in p.name for m in marks)
    ]


def test_sigkill_during_import_leaves_old_or_new(big: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert _quiet(["import", str(DEMO), "--into", str(ws)])[0] == 0
    old = _fingerprint_paths(ws)
    start = time.perf_counter()
    full = _cli("import", str(big), "--into", str(tmp_path / "timing"))
    assert full.wait() == 0
    duration = time.perf_counter() - start
    rng = random.Random(20261205)
    killed: list[int] = []
    for _attempt in range(KILLS):
        proc = _cli("import", str(big), "--into", str(ws))
        time.sleep(rng.uniform(0.05, 1.0) * duration)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed.append(proc.pid)
        # The next run puts back an old workspace a kill left aside, and checks it whole.
        assert Workspace.is_workspace(ws)
        opened = Workspace.open(ws)
        assert _fingerprint_paths(ws) in (old, [big.name] * 4)
        for table, info in opened.manifest["tables"].items():
            assert pl.read_parquet(ws / f"{table}.parquet").height == info["rows_written"]
        assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".ws.")]
        if _fingerprint_paths(ws) != old:  # the new one is complete: start again from old
            assert _quiet(["import", str(DEMO), "--into", str(ws)])[0] == 0
    # The next import (or inspect) removes the transcoded copies of the killed runs.
    assert _quiet(["import", str(big), "--into", str(ws)])[0] == 0
    assert _leftovers(killed) == []


@contextlib.contextmanager
def _small_disk(folder: Path, size: str) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("a small disk needs root to mount a tmpfs; run as root to test disk-full")
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_disk_full_for_real(big: Path, tmp_path: Path) -> None:
    with _small_disk(tmp_path / "disk", "1m") as disk:
        ws = disk / "ws"
        assert _quiet(["import", str(DEMO), "--into", str(ws)])[0] == 0
        before = (ws / "manifest.json").read_bytes()
        code, err = _quiet(["import", str(big), "--into", str(ws), "--lang", "en"])
        assert code == 1
        assert f"Cannot write {ws}: the disk is full; free some space and run again." in err
        assert (ws / "manifest.json").read_bytes() == before
        assert Workspace.open(ws)
        assert sorted(p.name for p in disk.iterdir()) == ["ws"]
        # A report on the full disk: an error, and no cut file.
        filler = disk / "filler"
        with contextlib.suppress(OSError), filler.open("wb") as fh:
            while True:
                fh.write(b"\0" * 65536)
        out = disk / "report.html"
        code, err = _quiet(["report", str(ws), "--out", str(out), "--no-stress", "--lang", "en"])
        assert code == 1 and "the disk is full" in err
        assert sorted(p.name for p in disk.iterdir()) == ["filler", "ws"]
