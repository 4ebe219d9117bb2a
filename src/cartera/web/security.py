"""Signed session cookies, the login rate limiter and the security headers.

The browser's cookie holds the session id signed with the app's secret
(itsdangerous); the session itself (user, CSRF token, expiry) lives in the
store, so logging out or expiring it server-side ends it at once.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "CSP",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "CookieSigner",
    "RateLimiter",
    "SecurityHeaders",
]

SESSION_COOKIE = "cartera_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"

#: No inline script and no eval; Plotly sets inline styles, so styles allow them.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    b"content-security-policy": CSP.encode(),
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"same-origin",
    b"cross-origin-opener-policy": b"same-origin",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=()",
}


class CookieSigner:
    """Signs and checks the session cookie's value (the session id)."""

    def __init__(self, secret: str, max_age_s: float) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="cartera-session")
        self._max_age = int(max_age_s)

    def dumps(self, session_id: str) -> str:
        return self._serializer.dumps(session_id)

    def loads(self, value: str) -> str | None:
        """The session id in ``value``, or None when tampered with or too old."""
        try:
            loaded = self._serializer.loads(value, max_age=self._max_age)
        except BadSignature:
            return None
        return loaded if isinstance(loaded, str) else None


class RateLimiter:
    """At most ``limit`` events per ``window_s`` seconds per key (a sliding window).

    Kept in memory: one process serves the app; a restart forgets, which only
    ever favours a legitimate user.
    """

    def __init__(
        self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit, self.window_s, self._clock = limit, window_s, clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.window_s:
            events.popleft()
        return events

    def blocked(self, key: str) -> float:
        """Seconds until ``key`` may try again (0 when it may now)."""
        with self._lock:
            now = self._clock()
            events = self._recent(key, now)
            if len(events) < self.limit:
                return 0.0
            return max(events[0] + self.window_s - now, 0.0)

    def hit(self, key: str) -> None:
        with self._lock:
            self._recent(key, self._clock()).append(self._clock())

    def reset(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)


class SecurityHeaders:
    """ASGI middleware adding the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _v in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS.items() if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
