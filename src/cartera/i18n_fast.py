"""Locale number formatting for many values: Babel's output, the pattern parsed once.

:func:`cartera.i18n.fmt_money` and friends call ``babel.numbers.format_*`` per
value, which parses the locale and the pattern and looks up the symbols each
time (tens of microseconds). A report or a dashboard over hundreds of thousands
of clients formats millions of values. Here Babel parses the pattern once per
(locale, currency, digits) and the per-value work is what
``NumberPattern.apply`` does for these patterns, in a few C-level steps: the
value as ``Decimal(str(value))`` (so the rounding is Babel's: half-even on the
shortest decimal text, not on the binary value), ``quantize``, Python's
grouped ``f`` format, then the locale's separators, prefix and suffix.

Only plain patterns are handled here (one fixed number of decimals, equal
group sizes, no significant digits or exponent, a single ``¤``); anything else,
and any value that is not finite, goes to Babel itself, so the output always
equals Babel's.
"""

from __future__ import annotations

import decimal
import functools
import re
from collections.abc import Callable, Iterable

from babel import Locale
from babel import numbers as _numbers

from cartera.i18n import _babel_locale, currency_spaced

__all__ = ["NumberFormat", "money_format", "number_format", "percent_format"]

_Decimal = decimal.Decimal


def _float_text(value: float, digits: int, spec: str) -> str | None:
    """``value`` rounded to ``digits`` decimals as Babel rounds it, grouped ``1,234.5``.

    Babel formats the shortest decimal text of a float (``repr``), rounded half
    to even. A text with at most ``digits`` decimals is only padded (``format``
    would show the binary value's digits: ``562949953421312.2`` is ``…312.25``).
    Otherwise ``format`` rounds the binary value, which lands on the same side
    of every halfway point ``t`` as the text, except when the text is ``t``
    itself (``2.675`` is ``2.67499…`` in binary): a text beyond ``t`` with the
    binary value short of it would have ``t``, no longer and closer, as the
    shortest text instead. So a text ending in a ``5`` just past the kept
    digits (and exponents, NaN and infinities) returns ``None``, for the
    Decimal path. A leading ``-`` marks a negative value, ``-0.0`` too.
    """
    text = repr(value)
    dot = text.find(".")
    if dot < 0 or "e" in text:
        return None
    decimals = len(text) - dot - 1
    if decimals <= digits:
        head = format(int(text[:dot]), ",")
        if text[0] == "-" and head[0] != "-":  # -0.5 → "-0"
            head = "-" + head
        return head + ("." + text[dot + 1 :].ljust(digits, "0") if digits else "")
    if decimals == digits + 1 and text[-1] == "5":
        return None
    grouped = format(abs(value), spec)
    return "-" + grouped if text[0] == "-" else grouped


class NumberFormat:
    """A Babel number pattern bound to a locale (and currency), applied to many values.

    ``fmt(value)`` equals ``NumberPattern.apply(value, locale, currency=currency,
    currency_digits=currency_digits)`` for every float, int or Decimal;
    ``fmt.many(values, missing)`` formats a column, ``missing`` standing for ``None``.
    """

    def __init__(
        self, pattern: str | _numbers.NumberPattern, locale: str, *,
        currency: str | None = None, currency_digits: bool = True,
    ) -> None:  # fmt: skip
        self.pattern = pattern if not isinstance(pattern, str) else _numbers.parse_pattern(pattern)
        self.locale = Locale.parse(locale)
        self.currency = currency
        self.currency_digits = currency_digits
        p = self.pattern
        frac = p.frac_prec
        if currency and currency_digits:
            frac = (_numbers.get_currency_precision(currency),) * 2
        self._fast = (
            not p.exp_prec and "@" not in p.pattern and frac[0] == frac[1]
            and p.grouping[0] == p.grouping[1] == 3 and p.int_prec[0] <= 1
            and "¤¤" not in "".join(p.prefix + p.suffix) and p.number_pattern != ""
        )  # fmt: skip
        self._quantum = _Decimal(10) ** -frac[1]
        self._scale = p.scale
        symbols = (_numbers.get_group_symbol(self.locale), _numbers.get_decimal_symbol(self.locale))
        self._separators = str.maketrans({",": symbols[0], ".": symbols[1]})
        self._digits = frac[1]
        self._spec = f",.{frac[1]}f"
        self._symbol = (
            _numbers.get_currency_symbol(currency, self.locale) if currency is not None else ""
        )
        self._affixes = [(self._affix(p.prefix[i], 0), self._affix(p.suffix[i], 1)) for i in (0, 1)]

    def _affix(self, text: str, side: int) -> str:
        """A prefix (``side`` 0) or suffix (1) with its ``¤`` replaced, spaced from the number
        as :func:`cartera.i18n.currency_spaced` spaces it."""
        if "¤" in text and self.currency is not None:
            text = text.replace("¤", self._symbol)
            if side == 0 and text.endswith(self._symbol):
                text = currency_spaced(text + "0", self._symbol)[:-1]
            if side == 1 and text.startswith(self._symbol):
                text = currency_spaced("0" + text, self._symbol)[1:]
        return re.sub(r"'([^']*)'", lambda m: m.group(1) or "'", text)

    def _babel(self, value: float | _Decimal) -> str:
        text = str(
            self.pattern.apply(
                value, self.locale, currency=self.currency, currency_digits=self.currency_digits
            )
        )
        return currency_spaced(text, self._symbol) if self._symbol else text

    def __call__(self, value: float | _Decimal) -> str:
        """``value`` as Babel writes it with this pattern."""
        if type(value) is float and not self._scale and self._fast:
            text = _float_text(value, self._digits, self._spec)
            if text is not None:
                prefix, suffix = self._affixes[text[0] == "-"]
                return prefix + text.lstrip("-").translate(self._separators) + suffix
        number = value if isinstance(value, _Decimal) else _Decimal(str(value))
        if not self._fast or not number.is_finite():
            return self._babel(value)
        if self._scale:
            number = number.scaleb(self._scale)
        rounded = abs(number).quantize(self._quantum)  # Babel's rounding: the current context
        prefix, suffix = self._affixes[number.is_signed()]
        return prefix + format(rounded, self._spec).translate(self._separators) + suffix

    def many(self, values: Iterable[float | None], missing: str = "–") -> list[str]:
        """Each value formatted; ``missing`` for ``None``."""
        call = self.__call__
        return [missing if v is None else call(v) for v in values]


def _cached(build: Callable[..., NumberFormat]) -> Callable[..., NumberFormat]:
    return functools.lru_cache(maxsize=256)(build)


@_cached
def _money(currency: str, locale: str, digits: int) -> NumberFormat:
    if digits != 0:
        pattern = Locale.parse(locale).currency_formats["standard"]
        return NumberFormat(pattern, locale, currency=currency, currency_digits=digits == 2)
    text = "#,##0\xa0¤" if locale.startswith("es") else "¤#,##0"
    return NumberFormat(text, locale, currency=currency, currency_digits=False)


@_cached
def _number(digits: int, locale: str) -> NumberFormat:
    return NumberFormat("#,##0" + ("." + "0" * digits if digits > 0 else ""), locale)


@_cached
def _percent(digits: int, locale: str) -> NumberFormat:
    base = Locale.parse(locale).percent_formats[None].pattern
    head, sep, tail = base.rpartition("0")
    return NumberFormat(head + sep + ("." + "0" * digits if digits > 0 else "") + tail, locale)


def money_format(currency: str = "EUR", lang: str | None = None, digits: int = 2) -> NumberFormat:
    """The formatter of :func:`cartera.i18n.fmt_money` (same arguments, current language)."""
    return _money(currency, _babel_locale(lang), digits)


def number_format(digits: int = 0, lang: str | None = None) -> NumberFormat:
    """The formatter of :func:`cartera.i18n.fmt_number`."""
    return _number(digits, _babel_locale(lang))


def percent_format(digits: int = 1, lang: str | None = None) -> NumberFormat:
    """The formatter of :func:`cartera.i18n.fmt_pct`."""
    return _percent(digits, _babel_locale(lang))
