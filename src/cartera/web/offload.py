"""Page computations off the server's shared thread pool, a few at a time.

FastAPI runs every synchronous route and dependency in one pool of worker
threads. A client page or a what-if holds its worker for tens of
milliseconds of CPU; fifty users asking for them at once would take every
worker and leave a cached dashboard waiting in the queue behind them. The
routes of those pages are ``async`` and hand their work to :func:`offload`,
which runs it in a thread under a limiter of its own (:data:`HEAVY_AT_ONCE`, about
one per core): the computations queue among themselves, without holding a
worker of the shared pool, and the event loop stays free for everyone else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio
from fastapi import Request

__all__ = ["HEAVY_AT_ONCE", "offload"]

T = TypeVar("T")
#: Page computations running at once (more only share the same cores and the GIL).
HEAVY_AT_ONCE = 2


def _limiter(request: Request) -> anyio.CapacityLimiter:
    holder = request.app.state
    limiter = getattr(holder, "cartera_heavy_pages", None)
    if limiter is None:  # made on first use, inside the server's event loop
        limiter = anyio.CapacityLimiter(HEAVY_AT_ONCE)
        holder.cartera_heavy_pages = limiter
    return limiter


async def offload(request: Request, work: Callable[[], T]) -> T:
    """``work()`` in a worker thread, at most :data:`HEAVY_AT_ONCE` at a time per app."""
    return await anyio.to_thread.run_sync(work, limiter=_limiter(request))
