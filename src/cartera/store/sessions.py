"""Server-side web sessions and per-user API tokens.

A session row holds the SHA-256 of the random session id (the browser keeps
the id itself, signed, in a cookie), the CSRF token of that session and its
expiry. An API token row holds only the token's SHA-256; the token is shown
once when created.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cartera.store.base import utcnow
from cartera.store.models.accounts import ApiToken, User, WebSession
from cartera.store.secrets import hash_token, new_token

__all__ = [
    "API_TOKEN_PREFIX",
    "create_api_token",
    "end_session",
    "revoke_api_token",
    "start_session",
    "user_for_api_token",
    "user_session",
]

#: How often a token's last use is written.
LAST_USED_EVERY = dt.timedelta(minutes=1)
#: API tokens start with this, so a leaked one is recognisable in logs and scanners.
API_TOKEN_PREFIX = "cart_"


def start_session(session: Session, user: User, lifetime: dt.timedelta) -> tuple[str, WebSession]:
    """A new session for ``user``: (the id for the cookie, the row). Expired rows are purged.

    The caller's read transaction is ended first: on SQLite a read transaction
    that turns into a write fails at once when another writer went first.
    """
    session.commit()
    now = utcnow()
    session.execute(delete(WebSession).where(WebSession.expires_at < now))
    token = new_token()
    row = WebSession(
        token_hash=hash_token(token),
        user_id=user.id,
        csrf_token=new_token(),
        created_at=now,
        expires_at=now + lifetime,
    )
    session.add(row)
    session.flush()
    return token, row


def user_session(session: Session, token: str) -> WebSession | None:
    """The live session whose id is ``token`` (None when unknown or expired)."""
    row = session.scalar(select(WebSession).where(WebSession.token_hash == hash_token(token)))
    if row is None or row.expires_at <= utcnow():
        return None
    return row


def end_session(session: Session, token: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_hash == hash_token(token)))


def create_api_token(session: Session, user: User, label: str = "") -> tuple[str, ApiToken]:
    """A new API token for ``user``: (the token, shown once; the stored row)."""
    token = new_token(API_TOKEN_PREFIX)
    row = ApiToken(token_hash=hash_token(token), user_id=user.id, label=label.strip()[:100])
    session.add(row)
    session.flush()
    return token, row


def user_for_api_token(session: Session, token: str) -> User | None:
    """The user of a live (not revoked) API token; records its last use."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None:
        return None
    now = utcnow()
    # Written at most once a minute, so that a busy API client does not write on every call.
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_EVERY:
        row.last_used_at = now
    return row.user


def revoke_api_token(session: Session, token_id: int, user_id: int) -> bool:
    """Revoke one of ``user_id``'s tokens; False when it is not theirs or unknown."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user_id:
        return False
    row.revoked_at = utcnow()
    return True
