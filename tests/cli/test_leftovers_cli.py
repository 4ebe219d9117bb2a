"""Nothing left behind: killed runs are cleaned after, shared memory is bounded, and the
rejects CSV never carries a live formula into Excel."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections import namedtuple
from pathlib import Path

import pytest

from cartera.cli.app import run
from cartera.io import scratch
from cartera.io.neutralise import neutralise

DEMO = Path(__file__).parent.parent / "data" / "demo"


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("=2+3", "'=2+3"),
        ("+34 ABC", "'+34 ABC"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-12,50", "-12,50"),
        ("+34 600 000 000", "+34 600 000 000"),
        ("Pérez = 2", "Pérez = 2"),
        ("", ""),
    ],
)
def test_neutralise(cell: str, written: str) -> None:
    assert neutralise(cell) == written


def test_rejects_csv_neutralises_formulas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "evil.csv"
    path.write_text(
        "Nº factura;Fecha;Cliente;Base imponible\n"
        "F1;15/01/2024;Pérez;100\n"
        'F2;16/01/2024;"=HYPERLINK(""http://x"",""clic"")";=2+3\n'
        "F3;17/01/2024;@Ruiz;-12,50x\n",
        encoding="utf-8",
    )
    args = ["import", str(path), "--into", str(tmp_path / "ws"), "--skip-bad-rows"]
    assert run(args) == 0
    capsys.readouterr()
    text = (tmp_path / "ws" / "rejects" / "evil.documents.rejects.csv").read_text("utf-8-sig")
    assert '"\'=HYPERLINK(""http://x"",""clic"")"' in text
    assert ";'=2+3" in text and ";'@Ruiz;" in text
    cells = [c for line in text.splitlines() for c in line.split(";")]
    assert not any(c.startswith(("=", "@", "+")) for c in cells)


def test_stale_scratch_folders_are_removed_live_ones_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shm = tmp_path / "shm"
    shm.mkdir()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(scratch, "_SHM", shm)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    dead, live = _dead_pid(), os.getppid()
    stale = [shm / f"cartera-read-{dead}-abc", tmp / f"cartera-inspect-{dead}-def"]
    kept = [shm / f"cartera-read-{live}-abc", tmp / "cartera-read-unrelated", tmp / "other"]
    for folder in stale + kept:
        folder.mkdir()
        (folder / "part.csv").write_bytes(b"x" * 1000)
    assert run(["import", str(DEMO), "--into", str(tmp_path / "ws")]) == 0
    capsys.readouterr()
    assert [p.exists() for p in stale] == [False, False]
    assert [p.exists() for p in kept] == [True, True, True]
    assert sorted(p.name for p in shm.iterdir()) == [kept[0].name], "its own copies are gone"


def test_killed_import_aside_folders_are_cleaned_and_old_workspace_put_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "ws"
    assert run(["import", str(DEMO / "facturas.csv"), "--into", str(ws)]) == 0
    capsys.readouterr()
    dead = _dead_pid()
    # Killed between the two renames of the swap: the old workspace is aside, none in place.
    os.replace(ws, tmp_path / f".ws.old-{dead}-0123abcd")
    (tmp_path / f".ws.tmp-{dead}-89abcdef").mkdir()
    (tmp_path / f".ws.tmp-{dead}-89abcdef" / "documents.parquet").write_bytes(b"half")
    live = tmp_path / f".ws.tmp-{os.getppid()}-00000000"
    live.mkdir()
    assert run(["analyze", str(ws), "--format", "json"]) == 0
    capsys.readouterr()
    assert sorted(p.name for p in tmp_path.iterdir()) == [live.name, "ws"]
    assert run(["import", str(DEMO / "facturas.csv"), "--into", str(ws), "--lang", "en"]) == 0
    assert "unchanged" in capsys.readouterr().out


Usage = namedtuple("Usage", "total used free")


@pytest.mark.parametrize(
    ("size", "free", "expected"),
    [
        (scratch.SHM_BOUND // 2, 10 * scratch.SHM_BOUND, "shm"),
        (scratch.SHM_BOUND // 2 + 1, 10 * scratch.SHM_BOUND, None),
        (1000, 2 * 2000 + (64 << 20), "shm"),
        (1000, 2 * 2000 + (64 << 20) - 1, None),
    ],
)
def test_shared_memory_is_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int, free: int, expected: str | None
) -> None:
    monkeypatch.setattr(scratch, "_SHM", tmp_path)
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: Usage(free, 0, free))
    got = scratch.scratch_dir([size])
    assert got == (str(tmp_path) if expected == "shm" else None)


def test_half_written_copy_beside_a_whole_workspace_is_cleaned_by_the_next_reader(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Killed while writing its copy: the workspace in place is whole, and the next command
    that reads it (not only the next import) removes the dead import's copy."""
    ws = tmp_path / "ws"
    assert run(["import", str(DEMO / "facturas.csv"), "--into", str(ws)]) == 0
    capsys.readouterr()
    dead = tmp_path / f".ws.tmp-{_dead_pid()}-89abcdef"
    dead.mkdir()
    (dead / "documents.parquet").write_bytes(b"half")
    live = tmp_path / f".ws.tmp-{os.getppid()}-00000000"
    live.mkdir()
    assert run(["analyze", str(ws), "--format", "json"]) == 0
    capsys.readouterr()
    assert sorted(p.name for p in tmp_path.iterdir()) == [live.name, "ws"]
