"""The firm settings page: read by members who may change settings, saved by them.

One form holds the analysis settings and the follow-up assistant's; a save
validates both and stores neither when one field is wrong.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from cartera.errors import Problem, SettingsError
from cartera.i18n import _
from cartera.store import followup as F
from cartera.store import runs
from cartera.web.deps import FirmContext, app_state, db, require
from cartera.web.followup import assistant_settings
from cartera.web.pages.settings_form import (
    field_errors,
    parse_assistant_form,
    parse_form,
    settings_fields,
)
from cartera.web.render import page, respond
from cartera.web.state import AppState

__all__ = ["router"]

router = APIRouter()
State = Annotated[AppState, Depends(app_state)]
Db = Annotated[Session, Depends(db)]
Editor = Annotated[FirmContext, Depends(require("settings"))]


def _data(fields: dict[str, Any], errors: list[str], saved: bool = False) -> dict[str, Any]:
    return {"fields": fields, "saved": saved, "errors": errors}


@router.get("/f/{firm}/settings")
def show(request: Request, state: State, session: Db, ctx: Editor) -> Response:
    settings = runs.firm_settings(session, ctx.firm.id)
    assistant = assistant_settings(session, ctx.firm.id)
    return respond(request, state, "settings.html",
                   _data(settings_fields(settings, assistant), []), ctx=ctx)  # fmt: skip


@router.post("/f/{firm}/settings")
async def save(request: Request, state: State, session: Db, ctx: Editor) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    current = runs.firm_settings(session, ctx.firm.id)
    current_assistant = assistant_settings(session, ctx.firm.id)
    problems: list[Problem] = []
    others: list[str] = []
    chosen, assistant = current, current_assistant
    for parse in ("analysis", "assistant"):
        try:
            if parse == "analysis":
                chosen = parse_form(form, current)
            else:
                assistant = parse_assistant_form(form, current_assistant)
        except SettingsError as exc:
            problems.extend(exc.problems)
            others.extend([] if exc.problems else [exc.render()])
    if problems or others:
        fields = settings_fields(current, current_assistant)
        errors = others + field_errors(fields, problems, form)
        return page(request, state, "settings.html", _data(fields, errors), ctx=ctx, status=422)
    runs.save_firm_settings(session, ctx.firm.id, chosen, ctx.user.id)
    values = assistant.model_dump(mode="json", exclude_defaults=True)
    F.save_assistant_values(session, ctx.firm.id, values, ctx.user.id)
    session.commit()
    data = _data(settings_fields(chosen, assistant), [], saved=True)
    data["message"] = _("Settings saved; pages now use them.")
    return page(request, state, "settings.html", data, ctx=ctx)
