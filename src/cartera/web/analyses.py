"""Each firm's analysis, computed once per (import run, settings) and kept in memory.

A page asks :class:`AnalysisCache` for the analysis of the firm's latest
import under the firm's saved settings; the first request computes it with
:func:`cartera.analyze` on the run's workspace, the next ones read it back.
Alongside it a DuckDB table of the per-client frame (plus an accent-free,
lower-case search column) serves the clients list: sorting, filtering and
paging 100k clients stay in one query.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from cartera.result import PortfolioAnalysis
from cartera.scenarios.simulate import Simulator
from cartera.settings import Settings

__all__ = ["REMEMBERED", "AnalysisCache", "FirmAnalysis"]

T = TypeVar("T")
#: Results remembered per analysis (client losses, page views per language).
REMEMBERED = 2000


@dataclass
class FirmAnalysis:
    """An analysis, the workspace it came from, a DuckDB table ``clients`` of its frame
    and the what-if :class:`~cartera.scenarios.simulate.Simulator` of its frame."""

    run_id: int
    settings: Settings
    workspace: Path
    analysis: PortfolioAnalysis
    db: duckdb.DuckDBPyConnection = field(repr=False)
    simulator: Simulator = field(repr=False)
    #: Results computed once from this analysis (see :meth:`remember`).
    views: OrderedDict[tuple[str, str], Any] = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def remember(self, key: tuple[str, str], compute: Callable[[], T]) -> T:
        """``compute()`` once per ``key`` for this analysis (at most :data:`REMEMBERED` kept).

        An analysis never changes, so a result computed from it (one client's loss
        what-if, a page's view in one language) can be served again as it is.
        """
        with self._lock:
            if key in self.views:
                self.views.move_to_end(key)
                return self.views[key]
        value = compute()
        with self._lock:
            self.views[key] = value
            while len(self.views) > REMEMBERED:
                self.views.popitem(last=False)
        return value

    def latest(self, key: tuple[str, str], version: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per ``version`` of ``key``, only the latest version kept.

        For data beside the analysis that grows (a firm's interaction log): the caller
        names its current version (``store.followup.log_version``); a new version replaces
        the old value rather than piling up next to it.
        """
        with self._lock:
            found = self.views.get(key)
            if found is not None and found[0] == version:
                self.views.move_to_end(key)
                return found[1]
        value = compute()
        with self._lock:
            self.views[key] = (version, value)
            self.views.move_to_end(key)
            while len(self.views) > REMEMBERED:
                self.views.popitem(last=False)
        return value

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor of the shared connection, for one thread."""
        return self.db.cursor()


#: ``analyze`` runs part of its work (the scenarios' enrichment) on ibis's default DuckDB
#: backend, one connection for the whole process: two analyses at once must not share it.
_ANALYZE_LOCK = threading.Lock()


def _load(run_id: int, settings: Settings, workspace: Path) -> FirmAnalysis:
    from cartera.analysis import analyze

    with _ANALYZE_LOCK:
        analysis = analyze(workspace, settings=settings)
    db = duckdb.connect(":memory:")
    db.register("frame_view", analysis.clients_frame.to_arrow())
    db.execute(
        "CREATE TABLE clients AS SELECT *, "
        "strip_accents(lower(coalesce(name, '') || ' ' || id)) AS search FROM frame_view"
    )
    db.unregister("frame_view")
    simulator = Simulator.of(analysis)
    return FirmAnalysis(run_id, settings, workspace, analysis, db, simulator)


class AnalysisCache:
    """At most ``size`` analyses, least recently used dropped first; one computation per key."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[int, str], FirmAnalysis] = OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[tuple[int, str], threading.Lock] = {}

    def get(self, run_id: int, settings: Settings, workspace: Path) -> FirmAnalysis:
        key = (run_id, settings.model_dump_json())
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:  # a second request for the same key waits for the first
            with self._lock:
                found = self._items.get(key)
            if found is None:
                found = _load(run_id, settings, workspace)
                with self._lock:
                    self._items[key] = found
                    while len(self._items) > self.size:
                        _old_key, old = self._items.popitem(last=False)
                        old.db.close()
            with self._lock:
                self._key_locks.pop(key, None)
        return found

    def __len__(self) -> int:
        return len(self._items)
