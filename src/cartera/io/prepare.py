"""A workspace to analyse: a workspace folder as it is, or export files imported first.

Apart from the importer (:mod:`cartera.io.importer`, which re-exports
:func:`prepare_workspace`) so that analysing a workspace does not load the
reading, recognising and assembling modules (~50 ms at every start).
"""

from __future__ import annotations

import shutil
import weakref
from collections.abc import Sequence
from pathlib import Path

from cartera.io.options import ReadOptions
from cartera.io.scratch import scratch_path
from cartera.io.workspace import Workspace

__all__ = ["prepare_workspace"]

PathLike = Path | str


def prepare_workspace(
    source: PathLike | Sequence[PathLike] | None = None,
    *,
    documents: PathLike | Sequence[PathLike] | None = None,
    payments: PathLike | None = None,
    clients: PathLike | None = None,
    activities: PathLike | None = None,
    options: ReadOptions | None = None,
) -> Workspace:
    """A workspace folder as it is, or export files imported into a temporary workspace.

    The temporary folder is removed when the returned :class:`Workspace` is
    garbage-collected (or at exit).
    """
    explicit = (documents, payments, clients, activities)
    if isinstance(source, (str, Path)) and Workspace.is_workspace(source) and not any(explicit):
        return Workspace.open(source)
    files: list[PathLike] = (
        [] if source is None else [source] if isinstance(source, (str, Path)) else list(source)
    )
    from cartera.io.importer import import_files

    folder = scratch_path("ws")
    try:
        summary = import_files(
            files,
            into=folder / "workspace",
            documents=documents,
            payments=payments,
            clients=clients,
            activities=activities,
            options=options,
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    weakref.finalize(summary.workspace, shutil.rmtree, folder, True)
    return summary.workspace
