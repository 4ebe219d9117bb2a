"""The firm settings page: read by members who may change settings, saved by them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from cartera.errors import SettingsError
from cartera.i18n import _
from cartera.store import runs
from cartera.web.deps import FirmContext, app_state, db, require
from cartera.web.pages.settings_form import parse_form, settings_fields
from cartera.web.render import page, respond
from cartera.web.state import AppState

__all__ = ["router"]

router = APIRouter()
State = Annotated[AppState, Depends(app_state)]
Db = Annotated[Session, Depends(db)]
Editor = Annotated[FirmContext, Depends(require("settings"))]


@router.get("/f/{firm}/settings")
def show(request: Request, state: State, session: Db, ctx: Editor) -> Response:
    settings = runs.firm_settings(session, ctx.firm.id)
    data = {"fields": settings_fields(settings), "saved": False, "errors": []}
    return respond(request, state, "settings.html", data, ctx=ctx)


@router.post("/f/{firm}/settings")
async def save(request: Request, state: State, session: Db, ctx: Editor) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    current = runs.firm_settings(session, ctx.firm.id)
    try:
        chosen = parse_form(form, current)
    except SettingsError as exc:
        errors = [p.render() for p in exc.problems] or [exc.render()]
        data = {"fields": settings_fields(current), "saved": False, "errors": errors}
        return page(request, state, "settings.html", data, ctx=ctx, status=422)
    runs.save_firm_settings(session, ctx.firm.id, chosen, ctx.user.id)
    session.commit()
    data = {"fields": settings_fields(chosen), "saved": True, "errors": [],
            "message": _("Settings saved; pages now use them.")}  # fmt: skip
    return page(request, state, "settings.html", data, ctx=ctx)
