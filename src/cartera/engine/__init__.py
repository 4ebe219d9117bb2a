"""Ibis expressions for per-client metrics and portfolio figures (no I/O, no printing).

The backend factory is :func:`cartera.engine.connect.connect` (imported from
its module: the package attribute ``connect`` is that module).
"""

from __future__ import annotations

from cartera.engine.connect import Tables, load_tables, spark_session, to_arrow
from cartera.engine.metrics import client_metrics, data_profile, rank_and_share
from cartera.engine.portfolio import curves, summarise
from cartera.engine.window import AnalysisWindow

__all__ = [
    "AnalysisWindow",
    "Tables",
    "client_metrics",
    "curves",
    "data_profile",
    "load_tables",
    "rank_and_share",
    "spark_session",
    "summarise",
    "to_arrow",
]
