"""``create_app(settings)``: the web app, built fresh for each settings object.

Nothing is created at import time: the store is opened (and migrated), the
caches, cookie signer, rate limiter and templates are made here and kept on
``app.state.cartera``. Pages live in :mod:`cartera.web.routes`, the REST API
in :mod:`cartera.web.api` (mounted at ``/api/v1`` with its own OpenAPI).
"""

from __future__ import annotations

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.types import ASGIApp, Receive, Scope, Send

from cartera.errors import CarteraError
from cartera.i18n import _, language, normalise_language
from cartera.store import open_store
from cartera.web.analyses import AnalysisCache
from cartera.web.assets import STATIC_DIR, check_assets, plotly_path
from cartera.web.config import WebSettings
from cartera.web.deps import NotAuthenticated
from cartera.web.render import page, wants_json
from cartera.web.security import CookieSigner, RateLimiter, SecurityHeaders
from cartera.web.state import AppState

__all__ = ["LANG_COOKIE", "create_app"]

LANG_COOKIE = "cartera_lang"
_TEMPLATES = STATIC_DIR.parent / "templates"


class LanguageFromCookie:
    """ASGI middleware: run the request in the language of the ``cartera_lang`` cookie."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        lang = "es"
        for key, value in scope.get("headers", []):
            if key == b"cookie":
                for part in value.decode("latin-1").split(";"):
                    name, _sep, val = part.strip().partition("=")
                    if name == LANG_COOKIE:
                        lang = normalise_language(val) or "es"
        with language(lang):
            await self.app(scope, receive, send)


def templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def create_app(settings: WebSettings) -> FastAPI:
    """The web app for ``settings``: store opened and migrated, routes registered."""
    from cartera.web import api
    from cartera.web.routes import register

    check_assets()
    state = AppState(
        settings=settings,
        store=open_store(settings.database_url),
        cache=AnalysisCache(settings.analysis_cache),
        signer=CookieSigner(settings.secret_key, settings.session_hours * 3600),
        login_limiter=RateLimiter(settings.login_attempts, settings.login_window_s),
        templates=templates(),
    )
    app = FastAPI(title="Cartera", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.cartera = state
    app.add_middleware(LanguageFromCookie)
    app.add_middleware(SecurityHeaders)
    _handlers(app, state)
    register(app)
    plotly_file = plotly_path()

    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(plotly_file, media_type="text/javascript")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount("/api/v1", api.create_api(state))
    return app


def _handlers(app: FastAPI, state: AppState) -> None:
    @app.exception_handler(NotAuthenticated)
    def not_authenticated(request: Request, _exc: NotAuthenticated) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": "Not authenticated"}, status_code=401)
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(HTTPException)
    def http_error(request: Request, exc: HTTPException) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        messages = {
            403: _("Your role in this firm does not allow this."),
            404: _("This page does not exist, or you are not a member of its firm."),
        }
        text = messages.get(exc.status_code, str(exc.detail))
        data = {"status": exc.status_code, "message": text}
        return page(request, state, "error.html", data, status=exc.status_code)

    @app.exception_handler(CarteraError)
    def cartera_error(request: Request, exc: CarteraError) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": exc.render()}, status_code=422)
        data = {"status": 422, "message": exc.render()}
        return page(request, state, "error.html", data, status=422)
