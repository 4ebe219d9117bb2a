"""Placeholder: the io helper replaces this module."""

from __future__ import annotations

from typing import Any

from cartera.io.options import ReadOptions

Workspace: Any = None
import_files: Any = None
inspect_file: Any = None
read_table: Any = None

__all__ = ["ReadOptions", "Workspace", "import_files", "inspect_file", "read_table"]
