"""The firm's dashboard (``/f/{firm}/``), served from what its analysis already rendered.

The dashboard of one analysis does not change until the next import or a
change of settings, so its body is rendered once per (import run, settings,
language, role) and kept with the analysis (:meth:`FirmAnalysis.remember`); a
request renders only the page frame around it (user, CSRF token). The page
carries an ``ETag`` of everything it shows, and a browser that already has it
gets ``304 Not Modified`` without a body.
"""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from cartera.i18n import get_language
from cartera.web.analyses import FirmAnalysis
from cartera.web.deps import FirmContext, app_state, db, require
from cartera.web.firmdata import current_analysis
from cartera.web.pages.dashboard import dashboard_data
from cartera.web.render import page, respond, wants_json
from cartera.web.state import AppState
from cartera.web.texts import texts

__all__ = ["etag", "router"]

router = APIRouter()
State = Annotated[AppState, Depends(app_state)]
Db = Annotated[Session, Depends(db)]
Reader = Annotated[FirmContext, Depends(require("read"))]


def etag(fa: FirmAnalysis, ctx: FirmContext) -> str:
    """The validator of one user's dashboard: the analysis, language, firm, role and session."""
    session = ctx.auth.session
    parts = (
        str(fa.run_id), fa.settings.model_dump_json(), get_language(), ctx.firm.slug,
        ctx.firm.name, ctx.role, ctx.user.email, session.csrf_token if session else "",
    )  # fmt: skip
    return '"' + hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest() + '"'


def _body(state: AppState, fa: FirmAnalysis, ctx: FirmContext) -> Markup:
    """The dashboard's body in the current language for ``ctx``'s role, rendered once."""

    def render() -> Markup:
        context = {**dashboard_data(fa), "t": texts(), "lang": get_language(),
                   "firm": ctx.firm, "role": ctx.role, "can": ctx.can}  # fmt: skip
        return Markup(state.templates.get_template("_dashboard_main.html").render(context))

    return fa.remember(("dashboard-body", f"{get_language()}:{ctx.role}"), render)


@router.get("/f/{firm}/")
def dashboard(request: Request, state: State, session: Db, ctx: Reader) -> Response:
    fa = current_analysis(state, session, ctx)
    if fa is None:
        return page(request, state, "empty.html", {}, ctx=ctx)
    if wants_json(request):
        return respond(request, state, "dashboard.html", dashboard_data(fa), ctx=ctx)
    tag = etag(fa, ctx)
    headers = {"etag": tag, "cache-control": "private, no-cache"}
    if tag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    response = page(request, state, "dashboard.html", {"main_html": _body(state, fa, ctx)},
                    ctx=ctx)  # fmt: skip
    response.headers.update(headers)
    return response
