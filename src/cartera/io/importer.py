"""Import export files into a workspace, or read them straight into canonical tables.

``import_files`` = :func:`cartera.io.load.load_inputs` (read and check) +
:func:`cartera.io.assemble.build_tables` + :func:`write_workspace`.
Re-importing the same files with the same options changes nothing: the
manifest records every input's SHA-256 and the options, and a match returns
the existing workspace untouched (unless it is damaged, or ``force`` is given).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import polars as pl

from cartera.errors import InputError, OutputError
from cartera.i18n import N_, _, fmt_number
from cartera.io.assemble import build_tables
from cartera.io.buckets import build_in_buckets
from cartera.io.load import (
    FileReport,
    Loaded,
    expand_inputs,
    file_hash,
    load_inputs,
    prefetch_hash,
)
from cartera.io.options import ReadOptions
from cartera.io.prepare import prepare_workspace
from cartera.io.scratch import scratch_folder
from cartera.io.workspace import Workspace, damage, write_workspace
from cartera.schema import TABLES

__all__ = ["ImportSummary", "TableSummary", "import_files", "prepare_workspace", "read_table"]

PathLike = Path | str

#: Table names as shown to users (message ids, translated at render time).
TABLE_LABELS: Final = {
    "documents": N_("documents"),
    "payments": N_("payments"),
    "clients": N_("clients"),
    "activities": N_("activities"),
}


@dataclass(frozen=True)
class TableSummary:
    """Rows of one table: read from its files, accepted, rejected; and what was noted."""

    table: str
    files: list[str]
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    rows_written: int
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ImportSummary:
    """What an import did; ``render()`` is the localised summary the CLI prints."""

    workspace: Workspace
    tables: dict[str, TableSummary]
    unchanged: bool = False

    def render(self) -> str:
        lines = [
            _("Workspace {path} unchanged: the same files were already imported.").format(
                path=self.workspace.path
            )
            if self.unchanged
            else _("Imported into {path}.").format(path=self.workspace.path)
        ]
        for name in TABLES:
            t = self.tables.get(name)
            if t is None:
                continue
            lines.append(
                _(
                    "{table}: {read} rows read, {accepted} accepted, {rejected} rejected → "
                    "{written} rows ({files})"
                ).format(
                    table=_(TABLE_LABELS[name]),
                    read=fmt_number(t.rows_read),
                    accepted=fmt_number(t.rows_accepted),
                    rejected=fmt_number(t.rows_rejected),
                    written=fmt_number(t.rows_written),
                    files=", ".join(t.files) or "-",
                )
            )
            lines.extend(f"  · {note}" for note in t.notes)
        if any(t.rows_rejected for t in self.tables.values()):
            lines.append(
                _("Rejected rows and their reasons are in {path}.").format(
                    path=self.workspace.path / "rejects"
                )
            )
        return "\n".join(lines)


def _summary(workspace: Workspace, unchanged: bool) -> ImportSummary:
    info = workspace.input_summary()
    tables: dict[str, TableSummary] = {}
    for name in TABLES:
        entry = workspace.manifest.get("tables", {}).get(name, {})
        listed = entry.get("files", [])
        names = [f["file"] for f in listed]
        # Sheets of one workbook read together are named by sheet.
        files = [
            f"{f['file']} «{f['sheet']}»"
            if f.get("sheet") and names.count(f["file"]) > 1
            else f["file"]
            for f in listed
        ]
        tables[name] = TableSummary(
            name,
            files,
            entry.get("rows_read", 0),
            entry.get("rows_accepted", 0),
            entry.get("rows_rejected", 0),
            entry.get("rows_written", 0),
            info.get(name, {}).get("notes", []),
        )
    return ImportSummary(workspace, tables, unchanged)


def _fingerprint(inputs: list[tuple[Path, str | None]], options: ReadOptions) -> dict[str, Any]:
    opts = options.model_dump(mode="json", exclude={"today"})
    if options.mapping is not None and Path(options.mapping).is_file():
        opts["mapping_sha256"] = file_hash(Path(options.mapping))
    return {
        "inputs": [
            {"path": str(p.absolute()), "table": t, "sha256": file_hash(p) if p.is_file() else None}
            for p, t in inputs
        ],
        "options": opts,
    }


def _manifest(
    loaded: Loaded, built: dict[str, pl.DataFrame], fingerprint: dict[str, Any], spilled: int = 0
) -> dict[str, Any]:
    """The manifest; ``spilled`` is the number of documents written apart (not in ``built``)."""
    from cartera import __version__

    tables: dict[str, Any] = {}
    for name in TABLES:
        reports: list[FileReport] = [r for r in loaded.reports if r.table == name]
        read = sum(r.rows_read for r in reports)
        rejected = sum(r.rows_rejected for r in reports)
        tables[name] = {
            "files": [r.as_manifest() for r in reports],
            "rows_read": read,
            "rows_accepted": read - rejected,
            "rows_rejected": rejected,
            "rows_written": built[name].height if name in built else spilled,
        }
    return {
        "cartera": __version__,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "fingerprint": fingerprint,
        "tables": tables,
    }


def _build(loaded: Loaded) -> dict[str, pl.DataFrame]:
    frames = {t: loaded.frame(t) for t in TABLES}
    ids = loaded.ids()
    # The parts are dropped so that each step of the build can free the frame before it.
    loaded.parts.clear()
    return build_tables(
        frames.pop("documents"),
        frames.pop("payments"),
        frames.pop("clients"),
        frames.pop("activities"),
        ids,
        loaded.payment_amounts,
        complete=not loaded.rejects,
    )


#: Above this many accepted document lines an import sorts and writes the documents table
#: out of core (decision 0280); below it, in memory. ``CARTERA_OUT_OF_CORE_LINES`` sets
#: another bound (the tests force the out-of-core path on small files with it).
OUT_OF_CORE_LINES: Final = 2_000_000
OUT_OF_CORE_ENV: Final = "CARTERA_OUT_OF_CORE_LINES"


def _out_of_core_lines() -> int:
    value = os.environ.get(OUT_OF_CORE_ENV, "")
    return int(value) if value.strip().isdigit() else OUT_OF_CORE_LINES


def _build_out_of_core(loaded: Loaded, folder: Path) -> tuple[Path, int, dict[str, pl.DataFrame]]:
    """:func:`_build` with the documents sorted into a Parquet file in ``folder`` (a failed
    write there, a full disk say, is an :class:`OutputError` naming the folder)."""
    import duckdb

    spilled = loaded.spilled()
    frames = {t: loaded.frame(t) for t in TABLES if t != "documents" or spilled is None}
    ids = loaded.ids()
    loaded.parts.clear()
    try:
        return build_in_buckets(
            spilled if spilled is not None else frames.pop("documents"),
            frames.pop("payments"),
            frames.pop("clients"),
            frames.pop("activities"),
            ids,
            loaded.payment_amounts,
            not loaded.rejects,
            folder,
        )
    except (OSError, pl.exceptions.PolarsError, duckdb.Error) as exc:
        raise OutputError.writing(folder, exc) from exc


def _document_lines(loaded: Loaded) -> int:
    return sum(part.height for _i, part in loaded.parts.get("documents", []))


def import_files(
    files: Iterable[PathLike] = (),
    *,
    into: PathLike,
    documents: PathLike | Sequence[PathLike] | None = None,
    payments: PathLike | None = None,
    clients: PathLike | None = None,
    activities: PathLike | None = None,
    options: ReadOptions | None = None,
    force: bool = False,
) -> ImportSummary:
    """Read, check and write the inputs as a workspace in ``into`` (see the module docstring).

    The same files imported again change nothing, unless the workspace is damaged (a table
    missing, cut short or foreign) or ``force`` is true: then they are read and written anew.
    """
    options = options or ReadOptions()
    explicit = {
        "documents": documents,
        "payments": payments,
        "clients": clients,
        "activities": activities,
    }
    inputs = expand_inputs(files, explicit)
    target = Path(into)
    for path, _table in inputs:
        prefetch_hash(path)
    fingerprint = None
    if not force and Workspace.is_workspace(target) and not damage(target):
        fingerprint = _fingerprint(inputs, options)
        existing = Workspace.open(target)
        if existing.manifest.get("fingerprint") == fingerprint:
            return _summary(existing, unchanged=True)
    # The folder holds a large documents file's part, written by range of hashes as it is
    # read (decision 0286), and the out-of-core build's files, to the workspace's swap.
    with scratch_folder("sort") as folder:
        loaded = load_inputs(inputs, options, spill=Path(folder))
        # On a fresh import the hashes were computed while the files were read.
        fingerprint = fingerprint or _fingerprint(inputs, options)
        if _document_lines(loaded) <= _out_of_core_lines():
            built = _build(loaded)
            workspace = write_workspace(
                target, built, _manifest(loaded, built, fingerprint), loaded.rejects
            )
            return _summary(workspace, unchanged=False)
        sorted_docs, rows, built = _build_out_of_core(loaded, Path(folder))
        manifest = _manifest(loaded, built, fingerprint, spilled=rows)
        workspace = write_workspace(
            target, {"documents": sorted_docs, **built}, manifest, loaded.rejects
        )
    return _summary(workspace, unchanged=False)


def read_table(
    path: PathLike, table: str | None = None, *, options: ReadOptions | None = None
) -> pl.DataFrame:
    """One export file as its canonical table (exactly the columns of :mod:`cartera.schema`).

    ``table`` is recognised from the headers when None. ``client_key`` is
    numbered within this file alone; payments of a documents file are resolved
    from its own paid columns.
    """
    if table is not None and table not in TABLES:
        raise InputError(
            N_("Unknown table «{table}»; tables: {tables}."), table=table, tables=", ".join(TABLES)
        )
    options = options or ReadOptions()
    inputs = expand_inputs([] if table else [path], {table: path} if table else {})
    loaded = load_inputs(inputs, options, require_documents=False)
    return _build(loaded)[loaded.reports[0].table]
