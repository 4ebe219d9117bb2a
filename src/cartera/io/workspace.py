"""The workspace: canonical tables as Parquet, a manifest, and rejected rows.

Layout (docs/input-formats.md)::

    DIR/
      documents.parquet  payments.parquet  clients.parquet  activities.parquet
      manifest.json      what was read: files, hashes, rows, roles, conventions, notes
      rejects/           rejected rows with their reasons (only with --skip-bad-rows)

A workspace is written aside (``.DIR.tmp-…``) and swapped in by renames, so
a failed import leaves the previous workspace as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Any, Final

import polars as pl

from cartera.errors import InputError
from cartera.i18n import N_, _
from cartera.schema import TABLES

__all__ = ["MANIFEST", "WORKSPACE_FORMAT", "Workspace", "write_workspace"]

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
        """Whether ``path`` is a folder with a cartera manifest."""
        manifest = Path(path) / MANIFEST
        if not manifest.is_file():
            return False
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return isinstance(data, dict) and data.get("format") == WORKSPACE_FORMAT

    @classmethod
    def open(cls, path: Path | str) -> Workspace:
        """Open a workspace; :class:`InputError` when ``path`` is not one."""
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
        missing = [t for t in TABLES if not (folder / f"{t}.parquet").is_file()]
        if missing:
            raise InputError(
                N_("The workspace {path} is incomplete: {tables} missing. Import the files again."),
                path=str(folder),
                tables=", ".join(f"{t}.parquet" for t in missing),
            )
        return cls(folder, manifest)

    def table_path(self, name: str) -> Path:
        if name not in TABLES:
            raise KeyError(name)
        return self.path / f"{name}.parquet"

    def read(self, name: str) -> pl.DataFrame:
        """One canonical table (exactly the columns and dtypes of :mod:`cartera.schema`)."""
        return pl.read_parquet(self.table_path(name))

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


def _note_text(note: dict[str, Any]) -> str:
    message = str(note.get("message", ""))
    return _(message).format(**note.get("params", {}))


def write_workspace(
    into: Path,
    tables: dict[str, pl.DataFrame],
    manifest: dict[str, Any],
    rejects: dict[str, pl.DataFrame],
) -> Workspace:
    """Write a complete workspace aside, then swap it in for ``into``."""
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
    into.parent.mkdir(parents=True, exist_ok=True)
    tmp = into.parent / f".{into.name}.tmp-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        for name, frame in tables.items():
            # lz4: twice as fast to write as zstd for a third more bytes, read as fast. No
            # min/max statistics: documents are sorted by client, so they would prune nothing.
            frame.write_parquet(tmp / f"{name}.parquet", compression="lz4", statistics=False)
        if rejects:
            (tmp / "rejects").mkdir()
            for file_name, frame in rejects.items():
                _write_rejects(frame, tmp / "rejects" / file_name)
        manifest = {"format": WORKSPACE_FORMAT, "version": WORKSPACE_VERSION, **manifest}
        (tmp / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
        )
        _swap(tmp, into)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Workspace(into, manifest)


def _write_rejects(frame: pl.DataFrame, path: Path) -> None:
    # UTF-8 with BOM and ";" so that a double click opens it right in a Spanish Excel.
    with path.open("wb") as fh:
        fh.write(b"\xef\xbb\xbf")
        frame.write_csv(fh, separator=";")


def _swap(tmp: Path, into: Path) -> None:
    """Replace ``into`` by ``tmp`` with renames (the old workspace survives any failure before)."""
    if not into.exists():
        os.replace(tmp, into)
        return
    old = into.parent / f".{into.name}.old-{uuid.uuid4().hex[:8]}"
    os.replace(into, old)
    try:
        os.replace(tmp, into)
    except BaseException:
        os.replace(old, into)
        raise
    shutil.rmtree(old, ignore_errors=True)
