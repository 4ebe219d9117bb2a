"""Two analyses compared: the engine's Ibis path and the local polars path (decision 0253).

Floats to 1e-9 relative (sums over clients add in another order; a float equal
to zero must be zero on both sides), everything else exactly: ids, segments,
actions, reasons, ranks, classes, counts, dates, nulls, key order and dtypes.
"""

from __future__ import annotations

import json
import math
from typing import Any

import ibis
import polars as pl

from cartera.analysis import analyze_aggregates
from cartera.engine.connect import Tables, to_arrow
from cartera.engine.local import DataProfile
from cartera.engine.metrics import activity_hours, data_profile, document_aggregates
from cartera.engine.preagg import LocalAggregates
from cartera.engine.window import AnalysisWindow
from cartera.result import PortfolioAnalysis
from cartera.settings import Settings

REL = 1e-9


def _same(x: Any, y: Any, path: str) -> None:
    if isinstance(x, float) and isinstance(y, float):
        assert x == y or math.isclose(x, y, rel_tol=REL), (path, x, y)
        return
    assert type(x) is type(y), (path, x, y)
    if isinstance(x, dict):
        assert list(x) == list(y), path
        for key in x:
            _same(x[key], y[key], f"{path}.{key}")
    elif isinstance(x, list):
        assert len(x) == len(y), (path, len(x), len(y))
        for i, (a, b) in enumerate(zip(x, y, strict=True)):
            _same(a, b, f"{path}[{i}]")
    else:
        assert x == y, (path, x, y)


def assert_same_frame(a: pl.DataFrame, b: pl.DataFrame) -> None:
    assert a.schema == b.schema
    assert a.height == b.height
    for name in a.columns:
        _same(a[name].to_list(), b[name].to_list(), name)


def assert_same_analysis(a: PortfolioAnalysis, b: PortfolioAnalysis) -> None:
    """Same per-client frame and same JSON contract, to :data:`REL` for floats."""
    assert_same_frame(a.clients_frame, b.clients_frame)
    _same(json.loads(json.dumps(a.to_contract())), json.loads(json.dumps(b.to_contract())), "")


def analyze_local(tables: Tables, settings: Settings) -> PortfolioAnalysis:
    """:func:`cartera.analysis.analyze_tables`' result by the local path: the grouped
    pass by the engine (what the import writes as pre-aggregates), the rest in polars."""
    con = tables.con
    prof = to_arrow(data_profile(tables.documents, tables.activities), con).to_pylist()[0]
    as_of = settings.as_of or prof["last_date"]
    window = AnalysisWindow(as_of=as_of, months=settings.window_months)
    profile = DataProfile.from_counts(prof)

    def frame(expr: ibis.Table) -> pl.DataFrame:
        out = pl.from_arrow(to_arrow(expr, con))
        assert isinstance(out, pl.DataFrame)
        return out

    aggregates = LocalAggregates(
        window=window,
        profile=prof,
        documents=frame(document_aggregates(tables.documents, window, profile)),
        hours=frame(activity_hours(tables.activities, window)),
    )
    return analyze_aggregates(aggregates, frame(tables.clients), settings)
