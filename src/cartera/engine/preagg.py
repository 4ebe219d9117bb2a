"""Pre-aggregates written at import: "import once, analyse many times".

The analysis spends most of its engine time in one grouped pass over every
document line (:func:`cartera.engine.metrics.client_metrics`). That pass
depends on the data and on the analysis window only (not on unit costs,
thresholds or fixed costs), so the import runs it once for the window an
analysis uses by default — the ``window_months`` default ending at the last
document date — and writes its result beside the tables::

    DIR/aggregates/documents.parquet   one row per client: the grouped pass's sums
    DIR/aggregates/hours.parquet       one row per client: service hours in the window

The manifest's ``aggregates`` entry records the window and the data profile
(:func:`cartera.engine.metrics.data_profile`'s counts), so an analysis with
that window reads a row per client instead of every line, and skips the
profile scan too. Any other window (``--as-of``, ``--window-months``), a
workspace written before pre-aggregates existed, or a damaged aggregate file
falls back to the lines; the results are the same either way
(``tests/engine/test_preagg.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import polars as pl

from cartera.engine.window import AnalysisWindow

if TYPE_CHECKING:  # the local analysis reads the files with polars, without Ibis
    import ibis.expr.types as ir

__all__ = [
    "AGGREGATES",
    "Aggregates",
    "LocalAggregates",
    "default_window_months",
    "load_aggregates",
    "read_aggregates",
    "write_aggregates",
]

#: Folder of the pre-aggregates inside a workspace.
AGGREGATES: Final = "aggregates"
#: Version of the pre-aggregates' layout; another version is ignored (the lines are read).
_VERSION: Final = 1
_PROFILE_KEYS: Final = (
    "lines", "cost_n", "units_n", "due_n", "paid_n", "paid_amount_n", "list_n", "activities",
)  # fmt: skip
#: DuckDB's memory for the grouped pass at import; beyond it DuckDB spills to disk.
_IMPORT_MEMORY: Final = "1GB"


def default_window_months() -> int:
    """The window an analysis uses unless told otherwise (the settings' default)."""
    from cartera.settings import Settings

    months = Settings.model_fields["window_months"].default
    assert isinstance(months, int)
    return months


@dataclass(frozen=True)
class Aggregates:
    """A workspace's pre-aggregates bound to a backend."""

    window: AnalysisWindow
    profile: dict[str, Any]
    documents: ir.Table
    hours: ir.Table


@dataclass(frozen=True)
class LocalAggregates:
    """A workspace's pre-aggregates read into memory (polars frames)."""

    window: AnalysisWindow
    profile: dict[str, Any]
    documents: pl.DataFrame
    hours: pl.DataFrame


def write_aggregates(folder: Path) -> dict[str, Any]:
    """Write the pre-aggregates of the workspace tables in ``folder``.

    Returns the manifest's ``aggregates`` entry, or an empty dict when there is
    nothing to aggregate (no documents: no last date, no default window).
    """
    from cartera.engine.connect import connect, load_tables, to_arrow
    from cartera.engine.metrics import (
        DataProfile,
        activity_hours,
        data_profile,
        document_aggregates,
    )

    con = connect("duckdb", memory_limit=_IMPORT_MEMORY)
    try:
        con.raw_sql("SET enable_progress_bar = false")  # the import prints its own summary
        tables = load_tables(con, folder)
        row = to_arrow(data_profile(tables.documents, tables.activities), con).to_pylist()[0]
        if not row["lines"] or row["last_date"] is None:
            return {}
        window = AnalysisWindow(as_of=row["last_date"], months=default_window_months())
        profile = DataProfile.from_counts(row)
        out = folder / AGGREGATES
        out.mkdir(exist_ok=True)
        docs = document_aggregates(tables.documents, window, profile)
        con.to_parquet(docs, out / "documents.parquet", compression="lz4")
        con.to_parquet(activity_hours(tables.activities, window), out / "hours.parquet",
                       compression="lz4")  # fmt: skip
    finally:
        con.disconnect()
    return {
        "version": _VERSION,
        "as_of": window.as_of.isoformat(),
        "window_months": window.months,
        "profile": {k: int(row[k] or 0) for k in _PROFILE_KEYS},
        "files": ["documents.parquet", "hours.parquet"],
    }


def _entry(
    folder: Path, manifest: dict[str, Any]
) -> tuple[AnalysisWindow, dict[str, Any], list[Path]] | None:
    """The window, profile and files of a workspace's pre-aggregates, or None when unusable."""
    entry = manifest.get("aggregates")
    if not isinstance(entry, dict) or entry.get("version") != _VERSION:
        return None
    root = Path(folder) / AGGREGATES
    paths = [root / str(name) for name in entry.get("files", [])]
    if len(paths) != 2 or not all(p.is_file() for p in paths):
        return None
    try:
        as_of = dt.date.fromisoformat(str(entry["as_of"]))
        window = AnalysisWindow(as_of=as_of, months=int(entry["window_months"]))
        profile: dict[str, Any] = {k: int(entry["profile"][k]) for k in _PROFILE_KEYS}
    except (KeyError, TypeError, ValueError):
        return None
    profile["last_date"] = as_of
    return window, profile, paths


def load_aggregates(con: Any, folder: Path, manifest: dict[str, Any]) -> Aggregates | None:
    """The pre-aggregates of a workspace bound to ``con``, or None when it has none usable."""
    found = _entry(folder, manifest)
    if found is None:
        return None
    window, profile, paths = found
    from cartera.engine.connect import _quiet

    try:
        with _quiet():
            documents = con.read_parquet(str(paths[0]), table_name="cartera_agg_documents")
            hours = con.read_parquet(str(paths[1]), table_name="cartera_agg_hours")
    except Exception:
        return None
    return Aggregates(window=window, profile=profile, documents=documents, hours=hours)


def read_aggregates(
    folder: Path, manifest: dict[str, Any], *, as_of: dt.date | None = None, months: int
) -> LocalAggregates | None:
    """The pre-aggregates of a workspace as polars frames, when they are those of the window.

    The window ends at ``as_of`` (default: the last document date, the
    pre-aggregates' own) and spans ``months``; None when the workspace has no
    usable pre-aggregates or they are of another window (the files are then not read).
    """
    found = _entry(folder, manifest)
    if found is None:
        return None
    window, profile, paths = found
    if window != AnalysisWindow(as_of=as_of or window.as_of, months=months):
        return None
    try:
        documents = pl.read_parquet(paths[0])
        hours = pl.read_parquet(paths[1])
    except Exception:
        return None
    return LocalAggregates(window=window, profile=profile, documents=documents, hours=hours)
