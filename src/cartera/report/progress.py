"""Progress bars on stderr for steps that take more than a moment.

``with progress(_("Importing"), total=n) as step: ... step.advance(k)``. The
bar goes to stderr (stdout stays clean for ``--format json``), and is off
when stderr is not a terminal or inside :func:`quiet_progress` (JSON mode),
in which case the step object does nothing.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from contextvars import ContextVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

__all__ = ["Step", "progress", "progress_enabled", "quiet_progress"]

_quiet: ContextVar[bool] = ContextVar("cartera_quiet_progress", default=False)


class Step:
    """Handle of one running bar; a no-op when progress is off."""

    def __init__(self, bar: Progress | None = None, task: TaskID | None = None) -> None:
        self._bar = bar
        self._task = task

    def advance(self, amount: float = 1.0) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task, amount)

    def update(
        self,
        *,
        completed: float | None = None,
        total: float | None = None,
        description: str | None = None,
    ) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=completed, total=total, description=description)


def progress_enabled() -> bool:
    """Bars are shown only on an interactive stderr and outside :func:`quiet_progress`."""
    return not _quiet.get() and sys.stderr.isatty()


@contextlib.contextmanager
def quiet_progress(quiet: bool = True) -> Iterator[None]:
    """Silence every bar inside the block (e.g. ``--format json``)."""
    token = _quiet.set(quiet)
    try:
        yield
    finally:
        _quiet.reset(token)


@contextlib.contextmanager
def progress(
    description: str, total: float | None = None, *, enabled: bool | None = None
) -> Iterator[Step]:
    """A bar (``total`` known) or a spinner (``total=None``) on stderr while the block runs.

    ``description`` must already be translated. ``enabled`` forces the bar on
    or off; by default :func:`progress_enabled` decides.
    """
    if not (progress_enabled() if enabled is None else enabled):
        yield Step()
        return
    columns = [
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("[progress.percentage]{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
    ]
    bar = Progress(*columns, console=Console(stderr=True), transient=True)
    with bar:
        task = bar.add_task(description, total=total)
        yield Step(bar, task)
