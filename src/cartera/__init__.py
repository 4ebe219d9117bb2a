"""Cartera: client portfolio analysis from accounting exports.

The public API is what ``__all__`` lists (frozen by tests/test_public_api.py
and documented in docs/api.md).
"""

from __future__ import annotations

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
