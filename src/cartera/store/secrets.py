"""Passwords (argon2id) and random tokens (stored as SHA-256 only).

Passwords use argon2id with the OWASP-recommended minimum parameters
(19 MiB memory, 2 iterations, 1 lane). Session ids and API tokens are 256
random bits: a fast SHA-256 of them is enough at rest, since they cannot be
guessed from a dictionary (docs/decisions/0703-secrets-at-rest.md).
"""

from __future__ import annotations

import hashlib
import secrets as _secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

__all__ = [
    "MIN_PASSWORD",
    "hash_password",
    "hash_token",
    "new_token",
    "password_hasher",
    "verify_password",
]

T = TypeVar("T")
#: Shortest password accepted (OWASP ASVS 2.1.1: at least 12 characters).
MIN_PASSWORD = 12
#: Threads that compute password hashes. Each hash takes 19 MiB and a core for tens of
#: milliseconds: a burst of fifty logins on the web server would otherwise hold about a
#: gigabyte at the same moment, and the C allocator keeps a 19 MiB block in the arena of
#: every thread that ever hashed (decision 0707). The others wait their turn.
HASHING_THREADS = 2
_POOL: list[ThreadPoolExecutor] = []
_POOL_LOCK = threading.Lock()


def _hashing(work: Callable[[], T]) -> T:
    """``work()`` on one of the :data:`HASHING_THREADS` hashing threads."""
    with _POOL_LOCK:
        if not _POOL:
            _POOL.append(ThreadPoolExecutor(HASHING_THREADS, thread_name_prefix="cartera-hash"))
    return _POOL[0].submit(work).result()


@cache
def password_hasher() -> PasswordHasher:
    """argon2id with OWASP's parameters: m=19456 KiB, t=2, p=1."""
    return PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1, hash_len=32, salt_len=16)


def hash_password(password: str) -> str:
    return _hashing(lambda: password_hasher().hash(password))


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash`` (False on any malformed hash)."""
    try:
        return _hashing(lambda: password_hasher().verify(stored_hash, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_token(prefix: str = "") -> str:
    """A new random token (256 bits, URL-safe), with an optional readable prefix."""
    return prefix + _secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The SHA-256 hex digest of ``token`` (what the store keeps)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
