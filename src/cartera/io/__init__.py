"""Read, recognise, validate and write the canonical tables.

The public API (used by the CLI, ``cartera.analyze`` and the web app):

* :func:`import_files` — export files → a workspace folder (Parquet + manifest).
* :func:`prepare_workspace` — a workspace, or files imported into a temporary one.
* :func:`read_table` — one export file → its canonical table.
* :func:`inspect_file` — how a file would be read (table, roles, conventions).
* :class:`Workspace` — an imported workspace.

``io`` never imports the engine. docs/input-formats.md describes the formats.
"""

from __future__ import annotations

from cartera.io.importer import (
    ImportSummary,
    TableSummary,
    import_files,
    prepare_workspace,
    read_table,
)
from cartera.io.inspect import ColumnInfo, InspectResult, inspect_file
from cartera.io.mapping import Mapping, TableMapping, load_mapping
from cartera.io.options import ReadOptions
from cartera.io.workspace import Workspace

__all__ = [
    "ColumnInfo",
    "ImportSummary",
    "InspectResult",
    "Mapping",
    "ReadOptions",
    "TableMapping",
    "TableSummary",
    "Workspace",
    "import_files",
    "inspect_file",
    "load_mapping",
    "prepare_workspace",
    "read_table",
]
