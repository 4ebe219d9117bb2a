"""The workspace: canonical tables as Parquet, a manifest, and rejected rows.

Layout (docs/input-formats.md)::

    DIR/
      documents.parquet  payments.parquet  clients.parquet  activities.parquet
      manifest.json      what was read: files, hashes, rows, roles, conventions, notes
      aggregates/        per-client sums for the default window (cartera.engine.preagg)
      rejects/           rejected rows with their reasons (only with --skip-bad-rows)

A workspace is written aside (``.DIR.tmp-<pid>-…``) and swapped in by renames,
so a failed import leaves the previous workspace as it was. A run killed midway
(``kill -9``) leaves its aside folder, or the previous workspace renamed
``.DIR.old-<pid>-…``; the next run that touches the workspace removes the first and
puts the second back when the workspace itself is missing, once that process is gone.
Opening a workspace checks that its four tables are Parquet files with cartera's
columns (reading only their footers).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import polars as pl

from cartera.errors import InputError, OutputError, Problem
from cartera.i18n import N_, _
from cartera.io.neutralise import neutralise_frame
from cartera.io.scratch import owner_alive
from cartera.schema import TABLES

__all__ = [
    "MANIFEST",
    "WORKSPACE_FORMAT",
    "Workspace",
    "damage",
    "damaged_error",
    "detected_currency",
    "no_image_column",
    "recover",
    "write_workspace",
]

MANIFEST: Final = "manifest.json"
WORKSPACE_FORMAT: Final = "cartera-workspace"
WORKSPACE_VERSION: Final = 1


class Workspace:
    """An imported workspace folder (see the module docstring)."""

    def __init__(self, path: Path, manifest: dict[str, Any]) -> None:
        self.path = path
        self.manifest = manifest

    def __repr__(self) -> str:
        return f"Workspace({str(self.path)!r})"

    @staticmethod
    def is_workspace(path: Path | str) -> bool:
        """Whether ``path`` is a folder with a cartera manifest (after cleaning up what a
        killed import left aside: its half-written copy, or the workspace it had renamed
        away, put back)."""
        manifest = Path(path) / MANIFEST
        recover(Path(path))
        if not manifest.is_file():
            return False
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return isinstance(data, dict) and data.get("format") == WORKSPACE_FORMAT

    @classmethod
    def open(cls, path: Path | str) -> Workspace:
        """Open a workspace; :class:`InputError` when ``path`` is not one or is damaged."""
        folder = Path(path)
        if not cls.is_workspace(folder):
            raise InputError(
                N_(
                    "{path} is not a cartera workspace (no manifest.json). Create one with: "
                    "cartera import FILES --into {path}"
                ),
                path=str(folder),
            )
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        problems = damage(folder)
        if problems:
            raise damaged_error(folder, problems)
        return cls(folder, manifest)

    def table_path(self, name: str) -> Path:
        if name not in TABLES:
            raise KeyError(name)
        return self.path / f"{name}.parquet"

    def read(self, name: str) -> pl.DataFrame:
        """One canonical table (exactly the columns and dtypes of :mod:`cartera.schema`)."""
        try:
            return pl.read_parquet(self.table_path(name))
        except (OSError, pl.exceptions.PolarsError) as exc:
            problem = Problem(_PARQUET_UNREADABLE, file=f"{name}.parquet", code="damaged_table")
            raise damaged_error(self.path, [problem]) from exc

    def input_summary(self) -> dict[str, Any]:
        """Per table: sources, rows read/accepted/rejected, roles, conventions, localised notes."""
        out: dict[str, Any] = {}
        for name, info in self.manifest.get("tables", {}).items():
            files = info.get("files", [])
            out[name] = {
                "source": ", ".join(f["file"] for f in files) or None,
                "rows_read": info.get("rows_read", 0),
                "rows_accepted": info.get("rows_accepted", 0),
                "rows_rejected": info.get("rows_rejected", 0),
                "columns": {k: v for f in files for k, v in f.get("columns", {}).items()},
                "conventions": {k: v for f in files for k, v in f.get("conventions", {}).items()},
                "notes": [_note_text(n) for f in files for n in f.get("notes", [])],
            }
        return out


_PARQUET_MISSING: Final = N_("the table is missing")
_PARQUET_UNREADABLE: Final = N_("the file is not a readable Parquet file (cut short or foreign)")
_PARQUET_FOREIGN: Final = N_("the columns are not cartera's: {found}")


def damage(folder: Path) -> list[Problem]:
    """What is wrong with the workspace's tables: missing, unreadable, or other columns."""
    problems: list[Problem] = []
    for name, schema in TABLES.items():
        path = folder / f"{name}.parquet"
        file = path.name
        if not path.is_file():
            problems.append(Problem(_PARQUET_MISSING, file=file, code="missing_table"))
            continue
        try:
            found = pl.read_parquet_schema(path)
        except (OSError, pl.exceptions.PolarsError):
            problems.append(Problem(_PARQUET_UNREADABLE, file=file, code="damaged_table"))
            continue
        if dict(found) != dict(schema):
            problems.append(
                Problem(
                    _PARQUET_FOREIGN,
                    file=file,
                    params={"found": ", ".join(found) or "-"},
                    code="foreign_table",
                )
            )
    return problems


def damaged_error(folder: Path, problems: list[Problem]) -> InputError:
    """The error of a damaged workspace: what is wrong and the command that rebuilds it."""
    return InputError(
        N_(
            "The workspace {path} is damaged. Import the files again over it with --force: "
            "cartera import FILES --into {path} --force"
        ),
        problems,
        path=str(folder),
    )


def _note_text(note: dict[str, Any]) -> str:
    message = str(note.get("message", ""))
    return _(message).format(**note.get("params", {}))


def write_workspace(
    into: Path,
    tables: Mapping[str, pl.DataFrame | Path],
    manifest: dict[str, Any],
    rejects: dict[str, pl.DataFrame],
) -> Workspace:
    """Write a complete workspace aside, then swap it in for ``into``.

    A table given as a path is a Parquet file already written with the table's columns and
    order (the out-of-core documents, decision 0280): it is moved in as it is."""
    into = into.absolute()
    if into.exists() and not into.is_dir():
        raise InputError(N_("{path} exists and is not a folder."), path=str(into))
    if into.is_dir() and any(into.iterdir()) and not Workspace.is_workspace(into):
        raise InputError(
            N_(
                "{path} is a folder with other files in it; cartera only writes a workspace into "
                "a new or empty folder, or over a workspace."
            ),
            path=str(into),
        )
    recover(into)
    tmp = into.parent / f".{into.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        into.parent.mkdir(parents=True, exist_ok=True)
        tmp.mkdir()
    except OSError as exc:
        raise OutputError.writing(into, exc) from exc
    try:
        _write_tables(tmp, tables, rejects)
        manifest = {"format": WORKSPACE_FORMAT, "version": WORKSPACE_VERSION, **manifest}
        manifest.update(_aggregates(tmp))
        (tmp / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
        )
        _swap(tmp, into)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, (OSError, pl.exceptions.PolarsError)):
            raise OutputError.writing(into, exc) from exc
        raise
    return Workspace(into, manifest)


def _aggregates(folder: Path) -> dict[str, Any]:
    """The pre-aggregates of the tables just written (:mod:`cartera.engine.preagg`)."""
    from cartera.engine.preagg import write_aggregates

    entry = write_aggregates(folder)
    return {"aggregates": entry} if entry else {}


def _write_tables(
    tmp: Path, tables: Mapping[str, pl.DataFrame | Path], rejects: dict[str, pl.DataFrame]
) -> None:
    for name, frame in tables.items():
        if isinstance(frame, Path):
            shutil.move(frame, tmp / f"{name}.parquet")
            continue
        # lz4: twice as fast to write as zstd for a third more bytes, read as fast. No
        # min/max statistics: documents are sorted by client, so they would prune nothing.
        frame.write_parquet(tmp / f"{name}.parquet", compression="lz4", statistics=False)
    if rejects:
        (tmp / "rejects").mkdir()
        for file_name, frame in rejects.items():
            _write_rejects(frame, tmp / "rejects" / file_name)


#: ``.DIR.tmp-<pid>-<hex>`` and ``.DIR.old-<pid>-<hex>`` beside a workspace ``DIR``.
_ASIDE: Final = re.compile(r"^\.(?P<name>.+)\.(?P<kind>tmp|old)-(?:(?P<pid>\d+)-)?[0-9a-f]{8}$")
#: Aside folders of versions that did not record their process: removed once this old.
_LEGACY_AGE: Final = 3600


def recover(into: Path) -> None:
    """Clean up after imports into ``into`` that were killed: remove their aside folders and,
    when ``into`` itself is missing, put back the previous workspace they had renamed away."""
    into = into.absolute()
    try:
        entries = list(os.scandir(into.parent))
    except OSError:
        return
    now = time.time()
    for entry in sorted(entries, key=lambda e: e.name):
        match = _ASIDE.match(entry.name)
        if match is None or match.group("name") != into.name or not _stale(match, entry, now):
            continue
        aside = Path(entry.path)
        try:
            if match.group("kind") == "old" and not into.exists():
                os.replace(aside, into)
            else:
                shutil.rmtree(aside, ignore_errors=True)
        except OSError:
            continue


def _stale(match: re.Match[str], entry: os.DirEntry[str], now: float) -> bool:
    pid = match.group("pid")
    if pid is not None:
        return not owner_alive(int(pid))
    try:
        return now - entry.stat(follow_symlinks=False).st_mtime > _LEGACY_AGE
    except OSError:
        return False


def _write_rejects(frame: pl.DataFrame, path: Path) -> None:
    # UTF-8 with BOM and ";" so that a double click opens it right in a Spanish Excel; cells
    # that Excel would run as formulas are written as text.
    with path.open("wb") as fh:
        fh.write(b"\xef\xbb\xbf")
        neutralise_frame(frame).write_csv(fh, separator=";")


def _swap(tmp: Path, into: Path) -> None:
    """Replace ``into`` by ``tmp`` with renames (the old workspace survives any failure before)."""
    if not into.exists():
        os.replace(tmp, into)
        return
    old = into.parent / f".{into.name}.old-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    os.replace(into, old)
    try:
        os.replace(tmp, into)
    except BaseException:
        os.replace(old, into)
        raise
    shutil.rmtree(old, ignore_errors=True)


def detected_currency(manifest: dict[str, Any]) -> str | None:
    """The currency the documents files of a workspace were found to be in (None: not said)."""
    files = manifest.get("tables", {}).get("documents", {}).get("files", [])
    found = {f.get("currency") for f in files} - {None}
    return found.pop() if len(found) == 1 else None


def no_image_column(manifest: dict[str, Any]) -> bool:
    """Whether a workspace has clients files and none of them has an image-client column."""
    files = manifest.get("tables", {}).get("clients", {}).get("files", [])
    return bool(files) and not any("image" in f.get("columns", {}) for f in files)
