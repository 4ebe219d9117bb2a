"""The home page (the user's firms) and the user's API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from cartera.store import people
from cartera.store.models import ApiToken
from cartera.store.sessions import create_api_token, revoke_api_token
from cartera.web.deps import Auth, app_state, csrf_protect, current_user, db
from cartera.web.render import page
from cartera.web.state import AppState

__all__ = ["router"]

router = APIRouter()
State = Annotated[AppState, Depends(app_state)]
Db = Annotated[Session, Depends(db)]
User_ = Annotated[Auth, Depends(current_user)]
Csrf = Annotated[Auth, Depends(csrf_protect)]


@router.get("/")
def home(request: Request, state: State, session: Db, auth: User_) -> Response:
    """The user's firms; straight to the dashboard when there is only one."""
    firms = people.user_firms(session, auth.user.id)
    if len(firms) == 1:
        return RedirectResponse(f"/f/{firms[0][0].slug}/", status_code=303)
    data = {"firms": [{"slug": f.slug, "name": f.name, "role": r} for f, r in firms]}
    return page(request, state, "home.html", data, auth=auth)


def _tokens(session: Session, user_id: int) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
    return list(session.scalars(query))


@router.get("/account/tokens")
def tokens(request: Request, state: State, session: Db, auth: User_) -> Response:
    data = {"tokens": _tokens(session, auth.user.id), "new_token": ""}
    return page(request, state, "tokens.html", data, auth=auth)


@router.post("/account/tokens")
def new_token(
    request: Request, state: State, session: Db, auth: Csrf, label: Annotated[str, Form()] = ""
) -> Response:
    """Create a token and show it once."""
    token, _row = create_api_token(session, session.merge(auth.user), label)
    session.commit()
    data = {"tokens": _tokens(session, auth.user.id), "new_token": token}
    return page(request, state, "tokens.html", data, auth=auth)


@router.post("/account/tokens/{token_id}/revoke")
def revoke(token_id: int, session: Db, auth: Csrf) -> Response:
    revoke_api_token(session, token_id, auth.user.id)
    session.commit()
    return RedirectResponse("/account/tokens", status_code=303)
