"""Satisfaction surveys: CSAT (1-5) and NPS (0-10), sent by a tokenised link.

A link carries a random token (``secrets.token_urlsafe``, 256 bits), never the
client id. Only the token's SHA-256 is kept (:class:`SurveyToken`), with its
firm, client, scale, expiry and the moment it was used. :func:`verify`
refuses a token that is unknown (never issued, or altered: its hash matches
nothing), expired, already used or issued by another firm; :func:`answer`
checks the score and returns the used token and the interaction to log
(kind ``survey``, outcome ``csat:N`` or ``nps:N``), which the health score
and the churn risk read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from cartera.assistant.interactions import Interaction
from cartera.errors import CarteraError
from cartera.i18n import N_

__all__ = [
    "SCALES",
    "SurveyError",
    "SurveyToken",
    "answer",
    "csat_share",
    "hash_token",
    "issue",
    "nps",
    "verify",
]

Scale = Literal["csat", "nps"]
SCALES: Final = {"csat": (1, 5), "nps": (0, 10)}
_TOKEN_BYTES: Final = 32


class SurveyError(CarteraError):
    """A survey link or answer that is refused; ``reason`` says why (a stable code)."""

    def __init__(self, message: str, reason: str, **params: object) -> None:
        super().__init__(message, **params)
        self.reason = reason


@dataclass(frozen=True)
class SurveyToken:
    """What is stored for one sent link (never the token itself)."""

    token_hash: str
    firm_id: str
    client_id: str
    scale: Scale
    expires: dt.datetime
    lang: str = "es"
    used_at: dt.datetime | None = None


def hash_token(raw: str) -> str:
    """SHA-256 of the token text, hex."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def issue(
    firm_id: str,
    client_id: str,
    scale: Scale,
    now: dt.datetime,
    *,
    days: int = 14,
    lang: str = "es",
) -> tuple[str, SurveyToken]:
    """A new random token (for the link) and its stored record, valid ``days`` days."""
    if scale not in SCALES:
        raise SurveyError(N_("Unknown survey scale «{scale}»."), "bad_scale", scale=scale)
    raw = secrets.token_urlsafe(_TOKEN_BYTES)
    record = SurveyToken(
        token_hash=hash_token(raw),
        firm_id=firm_id,
        client_id=client_id,
        scale=scale,
        expires=now + dt.timedelta(days=days),
        lang=lang,
    )
    return raw, record


def verify(
    raw: str, firm_id: str, tokens: Mapping[str, SurveyToken], now: dt.datetime
) -> SurveyToken:
    """The stored record of ``raw`` if it may still be answered, for ``firm_id``.

    ``tokens`` maps token hash → record (the store's lookup). Raises
    :class:`SurveyError` with ``reason`` ``unknown``, ``other_firm``,
    ``expired`` or ``used``; the messages never say whether a token exists
    for another firm beyond refusing it.
    """
    record = tokens.get(hash_token(raw)) if raw and len(raw) <= 200 else None
    if record is None:
        raise SurveyError(N_("This survey link is not valid."), "unknown")
    if record.firm_id != firm_id:
        raise SurveyError(N_("This survey link is not valid."), "other_firm")
    if record.used_at is not None:
        raise SurveyError(N_("This survey has already been answered. Thank you!"), "used")
    if now >= record.expires:
        raise SurveyError(N_("This survey link has expired."), "expired")
    return record


def answer(
    record: SurveyToken, score: int, now: dt.datetime, note: str | None = None
) -> tuple[SurveyToken, Interaction]:
    """The used token and the interaction to log for an answer ``score``."""
    low, high = SCALES[record.scale]
    if isinstance(score, bool) or not isinstance(score, int) or not low <= score <= high:
        raise SurveyError(
            N_("The answer must be a whole number from {low} to {high}."),
            "bad_score",
            low=low,
            high=high,
        )
    used = dataclasses.replace(record, used_at=now)
    entry = Interaction(
        client_id=record.client_id,
        when=now.date(),
        kind="survey",
        channel="web",
        outcome=f"{record.scale}:{score}",
        note=note or None,
    )
    return used, entry


def nps(scores: Iterable[int]) -> float | None:
    """Net Promoter Score: % promoters (9-10) − % detractors (0-6), −100..100; None if empty."""
    values = list(scores)
    if not values:
        return None
    promoters = sum(1 for s in values if s >= 9)
    detractors = sum(1 for s in values if s <= 6)
    return 100.0 * (promoters - detractors) / len(values)


def csat_share(scores: Iterable[int]) -> float | None:
    """CSAT: share of satisfied answers (4 or 5 on 1-5); None if empty."""
    values = list(scores)
    if not values:
        return None
    return sum(1 for s in values if s >= 4) / len(values)
