"""The firm's members (owners only): add people, change roles, remove them.

A new person gets a generated password shown once to the owner, who passes
it on; the last owner of a firm can be neither demoted nor removed.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cartera.errors import CarteraError
from cartera.i18n import _
from cartera.store import ROLES, people
from cartera.store.models import Membership, User
from cartera.web.deps import FirmContext, app_state, db, require
from cartera.web.render import page, respond
from cartera.web.state import AppState

__all__ = ["router"]

router = APIRouter()
State = Annotated[AppState, Depends(app_state)]
Db = Annotated[Session, Depends(db)]
Owner = Annotated[FirmContext, Depends(require("members"))]


def _members(session: Session, firm_id: int) -> list[dict[str, object]]:
    rows = session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.firm_id == firm_id)
        .order_by(User.email)
    ).all()
    return [{"id": m.id, "email": u.email, "role": m.role} for m, u in rows]


def _data(session: Session, ctx: FirmContext, **extra: object) -> dict[str, object]:
    return {"members": _members(session, ctx.firm.id), "roles": ROLES, "error": "",
            "new_password": "", "new_email": "", **extra}  # fmt: skip


@router.get("/f/{firm}/members")
def members(request: Request, state: State, session: Db, ctx: Owner) -> Response:
    return respond(request, state, "members.html", _data(session, ctx), ctx=ctx)


@router.post("/f/{firm}/members")
def add(
    request: Request,
    state: State,
    session: Db,
    ctx: Owner,
    email: Annotated[str, Form(max_length=320)],
    role: Annotated[str, Form(max_length=16)],
) -> Response:
    """Give ``email`` ``role`` here; a new person gets a generated password, shown once."""
    password = ""
    try:
        user = people.find_user(session, email)
        if user is None:
            password = secrets.token_urlsafe(12)
            user = people.create_user(session, email, password)
        people.add_member(session, user, ctx.firm, role)
    except CarteraError as exc:
        session.rollback()
        return page(request, state, "members.html", _data(session, ctx, error=exc.render()),
                    ctx=ctx, status=422)  # fmt: skip
    session.commit()
    data = _data(session, ctx, new_password=password, new_email=user.email)
    return page(request, state, "members.html", data, ctx=ctx)


def _owners(session: Session, firm_id: int) -> int:
    query = select(func.count()).where(Membership.firm_id == firm_id, Membership.role == "owner")
    return int(session.scalar(query) or 0)


def _member(session: Session, ctx: FirmContext, member_id: int) -> Membership:
    row = session.get(Membership, member_id)
    if row is None or row.firm_id != ctx.firm.id:
        raise HTTPException(404, "Unknown member")
    return row


@router.post("/f/{firm}/members/{member_id}")
def change(
    request: Request,
    state: State,
    session: Db,
    ctx: Owner,
    member_id: int,
    role: Annotated[str, Form(max_length=16)] = "",
    remove: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """Change a member's role, or remove them (never the last owner)."""
    row = _member(session, ctx, member_id)
    if row.role == "owner" and (remove or role != "owner") and _owners(session, ctx.firm.id) == 1:
        error = _("A firm keeps at least one owner.")
        return page(request, state, "members.html", _data(session, ctx, error=error), ctx=ctx,
                    status=422)  # fmt: skip
    if remove:
        session.delete(row)
    elif role in ROLES:
        row.role = role
    else:
        raise HTTPException(422, "Unknown role")
    session.commit()
    return RedirectResponse(f"/f/{ctx.firm.slug}/members", status_code=303)
