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

from typing import TYPE_CHECKING

from cartera.lazy import lazy_getattr

if TYPE_CHECKING:
    from cartera.io.importer import ImportSummary, TableSummary, import_files, read_table
    from cartera.io.inspect import ColumnInfo, InspectResult, inspect_file
    from cartera.io.mapping import Mapping, TableMapping, load_mapping
    from cartera.io.options import ReadOptions
    from cartera.io.prepare import prepare_workspace
    from cartera.io.workspace import Workspace

# Loaded on first use (PEP 562): a command that only reads a workspace, such as
# ``cartera analyze``, does not pay ~0.2 s for the importer's modules.
_HOME: dict[str, str] = {
    "ImportSummary": "importer",
    "TableSummary": "importer",
    "import_files": "importer",
    "prepare_workspace": "prepare",
    "read_table": "importer",
    "ColumnInfo": "inspect",
    "InspectResult": "inspect",
    "inspect_file": "inspect",
    "Mapping": "mapping",
    "TableMapping": "mapping",
    "load_mapping": "mapping",
    "ReadOptions": "options",
    "Workspace": "workspace",
}

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


__getattr__ = lazy_getattr(__name__, _HOME, globals())


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME])
