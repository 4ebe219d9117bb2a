"""Firms, users and memberships: create, find, list.

Functions take an open :class:`~sqlalchemy.orm.Session` and leave committing
to the caller, so that a web request or a CLI command is one transaction.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cartera.errors import SettingsError
from cartera.i18n import N_
from cartera.store.models.accounts import ROLES, Firm, Membership, User
from cartera.store.secrets import MIN_PASSWORD, hash_password, new_token, verify_password

__all__ = [
    "add_member",
    "authenticate",
    "create_firm",
    "create_user",
    "find_user",
    "firm_by_slug",
    "has_users",
    "membership",
    "slugify",
    "user_firms",
]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@cache
def _dummy_hash() -> str:
    """A hash verified when the email is unknown, so both cases take the same time."""
    return hash_password(new_token())


def slugify(name: str) -> str:
    """A URL name from a firm name: ``Clínica Sur, S.L.`` → ``clinica-sur-s-l``."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:64] or "firm"


def normal_email(email: str) -> str:
    return email.strip().lower()


def check_role(role: str) -> str:
    if role not in ROLES:
        raise SettingsError(
            N_("Unknown role «{role}»; roles: {roles}."), role=role, roles=", ".join(ROLES)
        )
    return role


def create_firm(session: Session, name: str, slug: str | None = None) -> Firm:
    """A new firm; its slug is made unique by a numeric suffix when taken."""
    name = name.strip()
    if not name:
        raise SettingsError(N_("The firm needs a name."))
    base = slugify(slug or name)
    candidate, n = base, 1
    while session.scalar(select(Firm.id).where(Firm.slug == candidate)) is not None:
        n += 1
        candidate = f"{base}-{n}"
    firm = Firm(name=name, slug=candidate)
    session.add(firm)
    session.flush()
    return firm


def create_user(session: Session, email: str, password: str, *, language: str = "es") -> User:
    """A new user with an argon2id password hash; refuses bad or taken emails, short passwords."""
    email = normal_email(email)
    if not _EMAIL.match(email):
        raise SettingsError(N_("«{email}» is not an email address."), email=email)
    if len(password) < MIN_PASSWORD:
        raise SettingsError(N_("The password needs at least {n} characters."), n=str(MIN_PASSWORD))
    if find_user(session, email) is not None:
        raise SettingsError(N_("A user with the email {email} already exists."), email=email)
    user = User(email=email, password_hash=hash_password(password), language=language)
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normal_email(email)))


def has_users(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(User)))


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user when ``password`` matches, else None (same work for unknown emails)."""
    user = find_user(session, email)
    if user is None:
        verify_password(_dummy_hash(), password)
        return None
    return user if verify_password(user.password_hash, password) else None


def add_member(session: Session, user: User, firm: Firm, role: str) -> Membership:
    """Give ``user`` ``role`` in ``firm`` (replacing a previous role there)."""
    check_role(role)
    member = membership(session, user.id, firm.id)
    if member is None:
        member = Membership(user_id=user.id, firm_id=firm.id, role=role)
        session.add(member)
    else:
        member.role = role
    session.flush()
    return member


def membership(session: Session, user_id: int, firm_id: int) -> Membership | None:
    return session.scalar(
        select(Membership).where(Membership.user_id == user_id, Membership.firm_id == firm_id)
    )


def firm_by_slug(session: Session, slug: str) -> Firm | None:
    return session.scalar(select(Firm).where(Firm.slug == slug))


def user_firms(session: Session, user_id: int) -> list[tuple[Firm, str]]:
    """The firms ``user_id`` belongs to with its role there, by firm name."""
    rows = session.execute(
        select(Firm, Membership.role)
        .join(Membership, Membership.firm_id == Firm.id)
        .where(Membership.user_id == user_id)
        .order_by(Firm.name)
    ).all()
    return [(firm, role) for firm, role in rows]
