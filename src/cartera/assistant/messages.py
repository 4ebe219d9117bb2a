"""Messages filled with the client's own figures, in its language (Jinja2 sandbox).

:func:`render` takes a purpose, a language, the client's :class:`Figures`
and optional firm overrides of the templates, and returns the subject and
body. Templates run in Jinja2's :class:`~jinja2.sandbox.SandboxedEnvironment`
with strict undefined variables, so a firm's edited template can neither
reach Python internals nor silently print an empty figure; any problem is a
:class:`MessageError` naming the purpose and language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from cartera.assistant.templates import DEFAULT_TEMPLATES, PURPOSES
from cartera.errors import CarteraError
from cartera.i18n import LANGUAGES, N_, fmt_date, fmt_money, fmt_number, fmt_pct

__all__ = ["Figures", "Message", "MessageError", "figures_for", "render"]


class MessageError(CarteraError):
    """A template that cannot be rendered (unknown purpose, bad syntax, missing figure)."""


@dataclass(frozen=True)
class Figures:
    """What a message may say about a client (money in the firm's currency)."""

    client: str
    firm: str
    sender: str
    contact: str | None = None
    orders: int = 0
    revenue: float = 0.0
    support_hours: float = 0.0
    on_time: float | None = None  #: share delivered on time, when the firm knows it
    next_review: dt.date | None = None
    last_order: dt.date | None = None
    overdue: float = 0.0
    oldest_due: dt.date | None = None
    days_past_due: int = 0
    margin_pct: float | None = None


@dataclass(frozen=True)
class Message:
    purpose: str
    lang: str
    subject: str
    body: str


def _environment(lang: str, currency: str) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
    )

    def money(value: float) -> str:
        return fmt_money(float(value), currency, lang=lang)

    def date(value: dt.date | None) -> str:
        if not isinstance(value, dt.date):  # Babel would print today for None
            raise ValueError(f"not a date: {value!r}")
        return fmt_date(value, lang=lang)

    def number(value: float, digits: int = 0) -> str:
        return fmt_number(float(value), digits, lang=lang)

    def pct(value: float, digits: int = 0) -> str:
        return fmt_pct(float(value), digits, lang=lang)

    env.filters.update(money=money, date=date, number=number, pct=pct)
    return env


def render(
    purpose: str,
    lang: str,
    figures: Figures,
    *,
    currency: str = "EUR",
    overrides: Mapping[tuple[str, str], tuple[str, str]] | None = None,
) -> Message:
    """The message for ``purpose`` in ``lang`` with the client's figures filled in."""
    if purpose not in PURPOSES or lang not in LANGUAGES:
        raise MessageError(
            N_("No message template «{purpose}» in «{lang}»."), purpose=purpose, lang=lang
        )
    subject, body = (overrides or {}).get((purpose, lang)) or DEFAULT_TEMPLATES[(purpose, lang)]
    env = _environment(lang, currency)
    context: dict[str, Any] = asdict(figures)
    try:
        text_subject = env.from_string(subject).render(context).strip()
        text_body = env.from_string(body).render(context)
    except (TemplateError, TypeError, ValueError) as exc:  # a filter given None or text
        raise MessageError(
            N_("The message template «{purpose}» ({lang}) cannot be filled: {error}"),
            purpose=purpose,
            lang=lang,
            error=str(exc),
        ) from exc
    return Message(purpose=purpose, lang=lang, subject=text_subject, body=text_body)


def figures_for(
    row: Mapping[str, Any],
    *,
    firm: str,
    sender: str,
    contact: str | None = None,
    open_item: Mapping[str, Any] | None = None,
    next_review: dt.date | None = None,
) -> Figures:
    """:class:`Figures` from an analysis frame row (``name, orders, revenue, service_hours,
    last_purchase, margin_pct``) and the client's :func:`~cartera.assistant.history.open_items`
    row, if any."""
    debt = open_item or {}
    return Figures(
        client=str(row.get("name") or row.get("id") or ""),
        firm=firm,
        sender=sender,
        contact=contact,
        orders=int(row.get("orders") or 0),
        revenue=float(row.get("revenue") or 0.0),
        support_hours=float(row.get("service_hours") or 0.0),
        next_review=next_review,
        last_order=row.get("last_purchase"),
        overdue=float(debt.get("overdue") or 0.0),
        oldest_due=debt.get("oldest_due"),
        days_past_due=int(debt.get("days_past_due") or 0),
        margin_pct=row.get("margin_pct"),
    )
