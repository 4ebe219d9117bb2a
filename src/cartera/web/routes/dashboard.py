"""The firm's dashboard (``/f/{firm}/``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from cartera.web.deps import FirmContext, app_state, db, require
from cartera.web.firmdata import current_analysis
from cartera.web.pages.dashboard import dashboard_data
from cartera.web.render import page, respond
from cartera.web.state import AppState

__all__ = ["router"]

router = APIRouter()
State = Annotated[AppState, Depends(app_state)]
Db = Annotated[Session, Depends(db)]
Reader = Annotated[FirmContext, Depends(require("read"))]


@router.get("/f/{firm}/")
def dashboard(request: Request, state: State, session: Db, ctx: Reader) -> Response:
    fa = current_analysis(state, session, ctx)
    if fa is None:
        return page(request, state, "empty.html", {}, ctx=ctx)
    return respond(request, state, "dashboard.html", dashboard_data(fa), ctx=ctx)
