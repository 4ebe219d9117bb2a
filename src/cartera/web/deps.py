"""Request dependencies: the store session, who is asking, CSRF, firm membership.

Every firm-scoped route declares :func:`member` (directly or through
:func:`require`): a user who is not a member of the firm in the URL gets 404,
exactly as if the firm did not exist. tests/web/test_web_authz.py lists the
app's routes so a new route without it fails.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from cartera.store import people
from cartera.store.models import Firm, User, WebSession
from cartera.store.sessions import user_for_api_token, user_session
from cartera.web.security import CSRF_FIELD, CSRF_HEADER, SESSION_COOKIE
from cartera.web.state import AppState

__all__ = [
    "PERMISSIONS",
    "Auth",
    "FirmContext",
    "NotAuthenticated",
    "app_state",
    "csrf_protect",
    "current_user",
    "db",
    "member",
    "require",
    "same_origin",
]

#: What each role may do (docs/decisions/0702-roles.md).
#: ``prospects``: import prospects and do-not-call lists, run campaigns (decision 0910);
#: ``calls``: log calls of the campaigns one is assigned to.
PERMISSIONS: dict[str, frozenset[str]] = {
    "owner": frozenset(
        {"read", "import", "settings", "members", "follow_up", "prospects", "calls"}
    ),
    "analyst": frozenset({"read", "import", "settings", "follow_up", "prospects", "calls"}),
    "assistant": frozenset({"read", "follow_up", "calls"}),
    "viewer": frozenset({"read"}),
}
_SAFE = {"GET", "HEAD", "OPTIONS"}


class NotAuthenticated(Exception):
    """No valid session or token: pages redirect to the login, the API answers 401."""


@dataclass(frozen=True)
class Auth:
    user: User
    session: WebSession | None  # None when authenticated by an API token


@dataclass(frozen=True)
class FirmContext:
    firm: Firm
    role: str
    auth: Auth

    @property
    def user(self) -> User:
        return self.auth.user

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS[self.role]


async def app_state(request: Request) -> AppState:  # async: no worker thread for a lookup
    state: AppState = request.app.state.cartera
    return state


def db(state: Annotated[AppState, Depends(app_state)]) -> Iterator[Session]:
    with state.store.session() as session:
        yield session


def current_user(
    request: Request,
    state: Annotated[AppState, Depends(app_state)],
    session: Annotated[Session, Depends(db)],
) -> Auth:
    """The user of the bearer token or of the signed session cookie."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        user = user_for_api_token(session, header[7:].strip())
        if user is None:
            raise NotAuthenticated
        if session.dirty:
            session.commit()  # records the token's last use
        return Auth(user, None)
    cookie = request.cookies.get(SESSION_COOKIE)
    token = state.signer.loads(cookie) if cookie else None
    row = user_session(session, token) if token else None
    if row is None:
        raise NotAuthenticated
    return Auth(row.user, row)


async def csrf_protect(request: Request, auth: Annotated[Auth, Depends(current_user)]) -> Auth:
    """Refuse a state-changing request whose CSRF token does not match the session's.

    HTMX sends the token in the ``X-CSRF-Token`` header; plain forms in a
    hidden field. Requests authenticated by an API token carry no cookie and
    so cannot be forged cross-site; they are exempt.
    """
    if request.method in _SAFE or auth.session is None:
        return auth
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and "form" in request.headers.get("content-type", ""):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(sent, auth.session.csrf_token):
        raise HTTPException(403, "CSRF token missing or wrong")
    return auth


def same_origin(request: Request) -> None:
    """Refuse a form posted from another site (login CSRF): its ``Origin`` must be ours.

    Browsers send ``Origin`` on every cross-site POST; requests without it
    (scripts, old clients) carry no ambient credentials for this check to protect.
    """
    origin = request.headers.get("origin")
    if origin is None:
        return
    host = request.headers.get("host", "")
    if origin.split("://", 1)[-1] != host:
        raise HTTPException(403, "Cross-site request refused")


def member(
    firm: str,
    auth: Annotated[Auth, Depends(csrf_protect)],
    session: Annotated[Session, Depends(db)],
) -> FirmContext:
    """The caller's membership of the firm ``firm`` (its slug); 404 when there is none."""
    row = people.firm_by_slug(session, firm)
    found = people.membership(session, auth.user.id, row.id) if row is not None else None
    if row is None or found is None:
        raise HTTPException(404, "Not found")
    return FirmContext(row, found.role, auth)


def require(permission: str) -> Callable[[FirmContext], Awaitable[FirmContext]]:
    """A dependency: the membership, refused with 403 unless its role grants ``permission``."""

    async def check(ctx: Annotated[FirmContext, Depends(member)]) -> FirmContext:
        if not ctx.can(permission):
            raise HTTPException(403, "Your role does not allow this")
        return ctx

    check.__name__ = f"require_{permission}"
    return check
