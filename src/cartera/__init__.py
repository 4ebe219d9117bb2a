"""Cartera: client portfolio analysis from accounting exports.

The public API is what ``__all__`` lists (frozen by tests/test_public_api.py
and documented in docs/api.md). Its names are imported when first used
(PEP 562), so that ``cartera import`` or ``cartera inspect`` do not load the
analysis engine (Ibis, DuckDB): the command line starts in a third of the time.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cartera.analysis import analyze
    from cartera.errors import CarteraError, InputError
    from cartera.io import ReadOptions, Workspace, import_files, inspect_file, read_table
    from cartera.result import PortfolioAnalysis, StressResult, WhatIfResult
    from cartera.settings import Settings, load_settings

__all__ = [
    "CarteraError",
    "InputError",
    "PortfolioAnalysis",
    "ReadOptions",
    "Settings",
    "StressResult",
    "WhatIfResult",
    "Workspace",
    "__version__",
    "analyze",
    "import_files",
    "inspect_file",
    "load_settings",
    "read_table",
]

__version__ = "0.1.0"

#: Where each public name lives.
_HOMES: dict[str, str] = {
    "CarteraError": "cartera.errors",
    "InputError": "cartera.errors",
    "PortfolioAnalysis": "cartera.result",
    "ReadOptions": "cartera.io",
    "Settings": "cartera.settings",
    "StressResult": "cartera.result",
    "WhatIfResult": "cartera.result",
    "Workspace": "cartera.io",
    "analyze": "cartera.analysis",
    "import_files": "cartera.io",
    "inspect_file": "cartera.io",
    "load_settings": "cartera.settings",
    "read_table": "cartera.io",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'cartera' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # the next access is a plain lookup
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
