"""First run, login, logout and the language switch.

The first-run page exists only while the store has no user: it creates the
first firm and its owner, then disappears (404). Logins are rate limited per
client address and per email; a failure never says which of the two was wrong.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from cartera.errors import CarteraError
from cartera.i18n import _, get_language, language
from cartera.store import people
from cartera.store.models import User
from cartera.store.sessions import end_session, start_session
from cartera.web.deps import Auth, app_state, csrf_protect, db, same_origin
from cartera.web.render import page
from cartera.web.security import SESSION_COOKIE
from cartera.web.state import AppState

__all__ = ["router"]

router = APIRouter()
State = Annotated[AppState, Depends(app_state)]
Db = Annotated[Session, Depends(db)]
LANG_COOKIE = "cartera_lang"


def _login_response(state: AppState, session: Session, user: User, to: str) -> Response:
    lifetime = dt.timedelta(hours=state.settings.session_hours)
    token, _row = start_session(session, user, lifetime)
    session.commit()
    response = RedirectResponse(to, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        state.signer.dumps(token),
        max_age=int(lifetime.total_seconds()),
        httponly=True,
        secure=state.settings.secure_cookies,
        samesite="lax",
    )
    response.set_cookie(LANG_COOKIE, user.language, max_age=365 * 86400, samesite="lax")
    return response


@router.get("/setup")
def setup_form(request: Request, state: State, session: Db) -> Response:
    if people.has_users(session):
        raise HTTPException(404)
    return page(request, state, "setup.html", {"error": "", "email": "", "firm_name": ""})


@router.post("/setup", dependencies=[Depends(same_origin)])
def setup(
    request: Request,
    state: State,
    session: Db,
    firm_name: Annotated[str, Form()],
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
) -> Response:
    """Create the first firm and its owner; only while the store has no user."""
    if people.has_users(session):
        raise HTTPException(404)
    try:
        firm = people.create_firm(session, firm_name)
        user = people.create_user(session, email, password, language=get_language())
        people.add_member(session, user, firm, "owner")
    except CarteraError as exc:
        session.rollback()
        data = {"error": exc.render(), "email": email, "firm_name": firm_name}
        return page(request, state, "setup.html", data, status=422)
    return _login_response(state, session, user, f"/f/{firm.slug}/")


@router.get("/login")
def login_form(request: Request, state: State, session: Db) -> Response:
    if not people.has_users(session):
        return RedirectResponse("/setup", status_code=303)
    return page(request, state, "login.html", {"error": "", "email": ""})


@router.post("/login", dependencies=[Depends(same_origin)])
def login(
    request: Request,
    state: State,
    session: Db,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
) -> Response:
    host = request.client.host if request.client else "?"
    keys = (f"ip:{host}", f"email:{email.strip().lower()}")
    wait = max(state.login_limiter.blocked(k) for k in keys)
    if wait > 0:
        text = _("Too many failed logins. Try again in {n} seconds.").format(n=int(wait) + 1)
        return page(request, state, "login.html", {"error": text, "email": email}, status=429)
    user = people.authenticate(session, email, password)
    if user is None:
        for key in keys:
            state.login_limiter.hit(key)
        text = _("Wrong email or password.")
        return page(request, state, "login.html", {"error": text, "email": email}, status=401)
    state.login_limiter.reset(keys[1])
    with language(user.language):
        return _login_response(state, session, user, "/")


@router.post("/logout")
def logout(
    request: Request, state: State, session: Db, auth: Annotated[Auth, Depends(csrf_protect)]
) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE, "")
    token = state.signer.loads(cookie)
    if token:
        end_session(session, token)
        session.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    del auth
    return response


@router.post("/language")
def set_language(
    request: Request,
    session: Db,
    auth: Annotated[Auth, Depends(csrf_protect)],
    lang: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Save the user's language and switch the page to it."""
    if lang not in ("es", "en"):
        raise HTTPException(422, "Unknown language")
    user = session.merge(auth.user)
    user.language = lang
    session.commit()
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    del request
    return response
