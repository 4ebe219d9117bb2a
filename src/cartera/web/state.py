"""What one app instance holds: settings, store, caches, signer, limiter, templates.

Built by :func:`cartera.web.app.create_app` and kept on ``app.state.cartera``;
nothing here exists at import time.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from cartera.store import Store
from cartera.web.analyses import AnalysisCache
from cartera.web.config import WebSettings
from cartera.web.security import CookieSigner, RateLimiter

__all__ = ["AppState"]


@dataclass
class AppState:
    settings: WebSettings
    store: Store
    cache: AnalysisCache
    signer: CookieSigner
    login_limiter: RateLimiter
    templates: Environment
    #: At most this many what-if or client-history computations at once (about one per
    #: core): more only share the same cores and the interpreter lock, and starve the
    #: cheap pages (a cached dashboard, a clients page) of their turn.
    heavy: threading.BoundedSemaphore = field(default_factory=lambda: threading.BoundedSemaphore(2))

    def firm_dir(self, firm_id: int) -> Path:
        """Folder of one firm's uploads and imported workspaces."""
        from cartera.web.pages.imports import firm_folder

        return firm_folder(self.settings.data_dir, firm_id)
