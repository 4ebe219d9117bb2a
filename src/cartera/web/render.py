"""One data function, three answers: the page, its HTMX fragment and its JSON.

A route computes its page data once (a dict of plain values and view
dataclasses) and hands it to :func:`respond`, which answers JSON when asked
(``?format=json`` or ``Accept: application/json``), the fragment template
when HTMX asks (``HX-Request``), and the full page otherwise (datasette's
pattern).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, Response

from cartera.i18n import get_language
from cartera.web.deps import Auth, FirmContext
from cartera.web.security import CSRF_FIELD
from cartera.web.state import AppState
from cartera.web.texts import texts

__all__ = ["jsonable", "page", "respond", "wants_json"]


def wants_json(request: Request) -> bool:
    if request.query_params.get("format") == "json":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _clean(value: Any) -> Any:
    """NaN and infinities as None (JSON has neither)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def jsonable(data: Mapping[str, Any]) -> Any:
    """``data`` without template-only keys (``_``-prefixed), as JSON-ready values."""
    plain = {
        k: dataclasses.asdict(v) if dataclasses.is_dataclass(v) and not isinstance(v, type) else v
        for k, v in data.items()
        if not k.startswith("_")
    }
    return _clean(jsonable_encoder(plain))


def page(
    request: Request,
    state: AppState,
    template: str,
    data: Mapping[str, Any],
    *,
    auth: Auth | None = None,
    ctx: FirmContext | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The template filled with ``data`` and what every page shows (user, firm, texts)."""
    auth = auth or (ctx.auth if ctx else None)
    context = {
        **data,
        "t": texts(),
        "lang": get_language(),
        "user": auth.user if auth else None,
        "csrf": auth.session.csrf_token if auth and auth.session else "",
        "csrf_field": CSRF_FIELD,
        "firm": ctx.firm if ctx else None,
        "role": ctx.role if ctx else None,
        "can": ctx.can if ctx else (lambda _p: False),
        "path": request.url.path,
    }
    html = state.templates.get_template(template).render(context)
    return HTMLResponse(html, status_code=status)


def respond(
    request: Request,
    state: AppState,
    template: str,
    data: Mapping[str, Any],
    *,
    ctx: FirmContext | None = None,
    fragment: str | None = None,
) -> Response:
    """JSON, the HTMX fragment or the full page of ``data`` (see the module docstring)."""
    if wants_json(request):
        return JSONResponse(jsonable(data))
    if fragment is not None and request.headers.get("hx-request") == "true":
        return page(request, state, fragment, data, ctx=ctx)
    return page(request, state, template, data, ctx=ctx)
