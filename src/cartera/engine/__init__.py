"""Ibis expressions for per-client metrics and portfolio figures (no I/O, no printing).

The backend factory is :func:`cartera.engine.connect.connect` (imported from
its module: the package attribute ``connect`` is that module). The names below
are imported on first use, so that importing one module of the package (the
analysis window, the polars per-client stage) does not import Ibis.
"""

from __future__ import annotations

from cartera.lazy import lazy_getattr

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

_HOMES = {
    "AnalysisWindow": "window",
    "Tables": "connect",
    "client_metrics": "metrics",
    "curves": "portfolio",
    "data_profile": "metrics",
    "load_tables": "connect",
    "rank_and_share": "metrics",
    "spark_session": "connect",
    "summarise": "portfolio",
    "to_arrow": "connect",
}


__getattr__ = lazy_getattr(__name__, _HOMES, globals())
