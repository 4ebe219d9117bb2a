"""Ibis expressions for per-client metrics and portfolio figures (no I/O, no printing).

The backend factory is :func:`cartera.engine.connect.connect` (imported from
its module: the package attribute ``connect`` is that module). The names below
are imported on first use, so that importing one module of the package (the
analysis window, the polars per-client stage) does not import Ibis.
"""

from __future__ import annotations

import importlib
from typing import Any

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


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
