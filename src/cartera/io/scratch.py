"""Scratch folders that a killed run cannot leave behind for good.

Transcoded copies go to shared memory (``/dev/shm``) when they fit under a
bound, else to the temporary folder on disk. Every scratch folder and every
workspace being written carries the id of the process that made it; a later
run removes the ones whose process is gone (a ``kill -9`` skips every cleanup),
and never those of a process still running.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Final

__all__ = [
    "SHM_BOUND",
    "owner_alive",
    "scratch_dir",
    "scratch_folder",
    "scratch_path",
    "sweep",
    "sweep_scratch",
]

_SHM: Final = Path("/dev/shm")
#: The most shared memory one run's transcoded copies may take (else they go to disk).
SHM_BOUND: Final = 512 << 20
#: Headroom left free in shared memory for other programs.
_SHM_RESERVE: Final = 64 << 20
#: Scratch folder names: ``cartera-<kind>-<pid>-<random>``.
_SCRATCH: Final = re.compile(r"^cartera-(?:read|inspect|ws|sort)-(\d+)-")
#: Folders from before owners were recorded: removed once this old.
_LEGACY_AGE: Final = 24 * 3600
_LEGACY: Final = re.compile(r"^cartera-(?:read|inspect|ws|sort)-(?!\d+-)")


def owner_alive(pid: int) -> bool:
    """Whether the process ``pid`` still runs (on this machine)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    except OSError:
        return True
    return True


def scratch_dir(sizes: Iterable[int]) -> str | None:
    """Where transcoded copies go: shared memory when twice the inputs fit under
    :data:`SHM_BOUND` and half its free room (writing 150 MB there takes a third of the time
    it takes on disk); else the default temporary folder (None)."""
    need = 2 * sum(sizes)
    try:
        if not (_SHM.is_dir() and os.access(_SHM, os.W_OK)):
            return None
        free = shutil.disk_usage(_SHM).free
    except OSError:
        return None
    return str(_SHM) if need <= min(SHM_BOUND, (free - _SHM_RESERVE) // 2) else None


def scratch_folder(kind: str, where: str | None = None) -> tempfile.TemporaryDirectory[str]:
    """A scratch folder named after this process (``kind``: read, inspect, ws or sort), after
    sweeping away the scratch folders of dead processes in the same place."""
    for folder in {_SHM, Path(tempfile.gettempdir()), Path(where or tempfile.gettempdir())}:
        sweep_scratch(folder)
    return tempfile.TemporaryDirectory(prefix=f"cartera-{kind}-{os.getpid()}-", dir=where)


def scratch_path(kind: str) -> Path:
    """:func:`scratch_folder` as a plain folder the caller removes (``tempfile.mkdtemp``)."""
    for folder in {_SHM, Path(tempfile.gettempdir())}:
        sweep_scratch(folder)
    return Path(tempfile.mkdtemp(prefix=f"cartera-{kind}-{os.getpid()}-"))


def sweep_scratch(folder: Path) -> list[Path]:
    """Remove the scratch folders in ``folder`` whose process is gone; return them."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _SCRATCH.match(entry.name)
        stale = match is not None and not owner_alive(int(match.group(1)))
        if not stale and _LEGACY.match(entry.name):
            stale = _age(entry, now) > _LEGACY_AGE
        if stale:
            _remove(Path(entry.path))
            removed.append(Path(entry.path))
    return removed


def sweep(folder: Path, pattern: re.Pattern[str]) -> list[tuple[Path, re.Match[str]]]:
    """Entries of ``folder`` matching ``pattern`` (group ``pid``) whose process is gone."""
    out: list[tuple[Path, re.Match[str]]] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return out
    for entry in entries:
        match = pattern.match(entry.name)
        if match is not None and not owner_alive(int(match.group("pid"))):
            out.append((Path(entry.path), match))
    return out


def _age(entry: os.DirEntry[str], now: float) -> float:
    try:
        return now - entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return 0.0


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
