"""Language, translations and locale formatting.

Message ids are English; catalogs live in ``cartera/locale/<lang>/*.po`` (one
file per area of the code), compiled into ``catalog.json`` per language, which
is what is loaded (a test fails when it is out of date with the ``.po`` files).
The language is chosen by the ``--lang`` flag, else the settings, else the
system locale, and Spanish when unsure. The current language is a context
variable so that a web request or a test can switch it without touching
global state.

Numbers, money, percentages and dates are formatted with Babel in the chosen
locale: ``1.234,56 €`` in Spanish, ``€1,234.56`` in English.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel import Locale
from babel import numbers as _numbers
from babel.dates import format_date as _format_date

__all__ = [
    "COMPILED",
    "LANGUAGES",
    "N_",
    "_",
    "compile_catalog",
    "detect_language",
    "fmt_date",
    "fmt_money",
    "fmt_number",
    "fmt_pct",
    "fmt_share",
    "get_language",
    "language",
    "po_messages",
    "set_language",
    "share_text",
]

LANGUAGES = ("es", "en")
_BABEL_LOCALE = {"es": "es_ES", "en": "en_IE"}
_LOCALE_DIR = Path(__file__).parent / "locale"
#: The ``.po`` files of a language compiled into one file (scripts/po_sync.py writes it).
COMPILED = "catalog.json"
_current: ContextVar[str] = ContextVar("cartera_language", default="es")


def N_(message: str) -> str:
    """Mark a message for extraction without translating it now."""
    return message


@cache
def _catalog(lang: str) -> dict[str, str]:
    """The language's messages: the compiled ``catalog.json`` (one file, loads in a
    millisecond), else the ``.po`` files themselves (Babel takes ~60 ms to parse them)."""
    compiled = _LOCALE_DIR / lang / COMPILED
    if compiled.is_file():
        messages: dict[str, str] = json.loads(compiled.read_text(encoding="utf-8"))
        return messages
    return po_messages(lang)


def po_messages(lang: str) -> dict[str, str]:
    """Every translated message of the language's ``.po`` files, merged (id → text)."""
    from babel.messages.pofile import read_po

    merged: dict[str, str] = {}
    folder = _LOCALE_DIR / lang
    for po in sorted(folder.glob("*.po")):
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        for msg in catalog:
            if msg.id and isinstance(msg.id, str) and msg.string and not msg.fuzzy:
                merged[msg.id] = str(msg.string)
    return merged


def compile_catalog(lang: str) -> Path:
    """Write the language's ``.po`` files as ``catalog.json`` (what :func:`_` reads)."""
    target = _LOCALE_DIR / lang / COMPILED
    text = json.dumps(po_messages(lang), ensure_ascii=False, indent=0, sort_keys=True)
    target.write_text(text + "\n", encoding="utf-8")
    return target


def _(message: str) -> str:
    """Translate ``message`` into the current language (the id itself when missing)."""
    return _catalog(_current.get()).get(message, message)


def normalise_language(value: str | None) -> str | None:
    """``'es_ES.UTF-8'`` → ``'es'``; ``None`` or an unsupported language → ``None``."""
    if not value:
        return None
    code = value.strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    return code if code in LANGUAGES else None


def detect_language(explicit: str | None = None, configured: str | None = None) -> str:
    """The flag, else the settings, else the system locale, else Spanish."""
    for candidate in (explicit, configured):
        lang = normalise_language(candidate)
        if lang:
            return lang
    # Only the environment counts: Python maps the neutral C/POSIX locale to en_US,
    # but C means "no preference", and then Spanish is the default.
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        lang = normalise_language(os.environ.get(var))
        if lang:
            return lang
    return "es"


def set_language(lang: str | None) -> str:
    """Set the current language (``None`` → detected) and return it."""
    chosen = normalise_language(lang) or detect_language()
    _current.set(chosen)
    return chosen


def get_language() -> str:
    return _current.get()


@contextlib.contextmanager
def language(lang: str) -> Iterator[str]:
    """Temporarily switch language: ``with language("en"): ...``."""
    token = _current.set(normalise_language(lang) or "es")
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def _babel_locale(lang: str | None) -> str:
    return _BABEL_LOCALE[normalise_language(lang) or _current.get()]


def currency_spaced(text: str, symbol: str) -> str:
    """CLDR's currency spacing, which Babel leaves out: a currency symbol that ends in a
    letter is kept apart from a digit after it (``ARS 1,234.50``, not ``ARS1,234.50``), and
    one that starts with a letter from a digit before it. ``$``, ``€``, ``MX$`` touch the
    digits, as CLDR has them."""
    if symbol[-1:].isalpha():
        text = re.sub(re.escape(symbol) + "(?=[0-9])", lambda m: m.group(0) + "\xa0", text)
    if symbol[:1].isalpha():
        text = re.sub("(?<=[0-9])" + re.escape(symbol), lambda m: "\xa0" + m.group(0), text)
    return text


def fmt_money(value: float, currency: str = "EUR", lang: str | None = None, digits: int = 2) -> str:
    """``1234.5`` → ``'1.234,50 €'`` (es) or ``'€1,234.50'`` (en); ``'ARS 1,234.50'`` (en)."""
    loc = _babel_locale(lang)
    pattern = None
    if digits == 0:
        pattern = "#,##0\xa0¤" if loc.startswith("es") else "¤#,##0"
    text = _numbers.format_currency(
        value, currency, format=pattern, locale=loc, currency_digits=digits == 2
    )
    return currency_spaced(text, _numbers.get_currency_symbol(currency, loc))


def fmt_number(value: float, digits: int = 0, lang: str | None = None) -> str:
    """A grouped decimal number with a fixed number of decimals."""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return _numbers.format_decimal(value, format=pattern, locale=_babel_locale(lang))


def fmt_pct(value: float, digits: int = 1, lang: str | None = None) -> str:
    """A share (0.253) as a percentage (``'25,3 %'`` / ``'25.3%'``)."""
    loc = _babel_locale(lang)
    # The locale's own pattern keeps its spacing ("25,3 %" in Spanish, "25.3%" in English).
    base = Locale.parse(loc).percent_formats[None].pattern
    head, sep, tail = base.rpartition("0")
    pattern = head + sep + ("." + "0" * digits if digits > 0 else "") + tail
    return _numbers.format_percent(value, format=pattern, locale=loc)


def share_text(value: float, digits: int, pct: Callable[[float], str]) -> str:
    """``pct(value)``, unless a positive ``value`` would show as zero at ``digits``
    decimals: then ``'< 0,001 %'`` / ``'< 0.001%'`` (the smallest step shown).

    A share of 0.0002 % is real (a client among 500,000) and "0,000 %" tells the
    reader nothing; the bound says how small it is without a dozen digits (decision
    0136). ``pct`` formats a share at ``digits`` decimals (Babel's or a cached one).
    """
    text = pct(value)
    if value > 0 and text == pct(0.0):
        return "<\xa0" + pct(10.0 ** -(digits + 2))
    return text


def fmt_share(value: float, digits: int = 1, lang: str | None = None) -> str:
    """A share as :func:`fmt_pct` does, with :func:`share_text`'s bound for tiny ones."""
    return share_text(value, digits, lambda v: fmt_pct(v, digits, lang))


def fmt_date(value: dt.date, lang: str | None = None) -> str:
    """A date in the locale's medium form (``23 nov 2026`` / ``23 Nov 2026``)."""
    return _format_date(value, format="medium", locale=_babel_locale(lang))
