"""The cached formatters write exactly what Babel writes, in Spanish and English."""

from __future__ import annotations

import decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cartera.i18n import fmt_money, fmt_number, fmt_pct, language
from cartera.i18n_fast import NumberFormat, money_format, number_format, percent_format

LANGS = ("es", "en")
_VALUES = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15)
_SMALL = st.decimals(-(10**6), 10**6, places=4, allow_nan=False, allow_infinity=False).map(float)
_ANY = _VALUES | _SMALL | st.integers(-(10**12), 10**12)

# Halfway cases where the shortest text and the binary value round apart, signed zeros,
# exponents (Python writes 1e+16 and 5e-324 with one) and group edges.
EDGES = [562_949_953_421_312.2, -0.5, 2.675, 0.125, 0.135, -0.005, 0.015, -0.0, 0.0, 999.995,
         999.5, 1000.0, 999_999.5, 1e16, 1.5e16, 5e-324, 1e-07, -1234.5, 1234.5, 1235.5,
         4_503_599_627_370_497.0]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(value=_ANY, lang=st.sampled_from(LANGS), digits=st.sampled_from([0, 1, 2]))
@example(value=2.675, lang="es", digits=2)
def test_money_equals_babel(value: float, lang: str, digits: int) -> None:
    assert money_format("EUR", lang, digits)(value) == fmt_money(value, "EUR", lang, digits)


@settings(max_examples=300, deadline=None)
@given(value=_ANY, lang=st.sampled_from(LANGS), digits=st.sampled_from([0, 1, 2, 3]))
def test_number_equals_babel(value: float, lang: str, digits: int) -> None:
    assert number_format(digits, lang)(value) == fmt_number(value, digits, lang)


@settings(max_examples=300, deadline=None)
@given(value=_ANY, lang=st.sampled_from(LANGS), digits=st.sampled_from([0, 1, 2]))
def test_percent_equals_babel(value: float, lang: str, digits: int) -> None:
    assert percent_format(digits, lang)(value) == fmt_pct(value, digits, lang)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("value", EDGES)
def test_edges_equal_babel(value: float, lang: str) -> None:
    for digits in (0, 1, 2):
        assert money_format("EUR", lang, digits)(value) == fmt_money(value, "EUR", lang, digits)
        assert number_format(digits, lang)(value) == fmt_number(value, digits, lang)
        assert percent_format(digits, lang)(value) == fmt_pct(value, digits, lang)


@pytest.mark.parametrize(
    ("lang", "value", "digits", "text"),
    [
        ("es", 1234567.891, 2, "1.234.567,89\xa0€"),
        ("es", -1234.5, 0, "-1.234\xa0€"),  # half to even on the text: 1234.5 → 1234
        ("es", 2.675, 2, "2,68\xa0€"),  # the text 2.675, not the binary 2.67499…
        ("es", -0.0, 2, "-0,00\xa0€"),
        ("en", 1234567.891, 2, "€1,234,567.89"),
        ("en", -1235.5, 0, "-€1,236"),
    ],
)
def test_money_by_hand(lang: str, value: float, digits: int, text: str) -> None:
    assert money_format("EUR", lang, digits)(value) == text


def test_other_currencies_use_their_symbol_and_precision() -> None:
    for lang in LANGS:
        for currency in ("USD", "JPY", "GBP", "CHF"):
            for value in (-1234.5, 0.125, 98765.4321):
                fast = money_format(currency, lang, 2)(value)
                assert fast == fmt_money(value, currency, lang, 2)
    assert money_format("JPY", "en", 2)(1234.5).endswith("¥1,234")  # JPY has no decimals


def test_not_finite_and_decimals_go_through_babel() -> None:
    fmt = number_format(2, "es")
    for value in (float("inf"), float("-inf"), float("nan")):
        assert fmt(value) == fmt_number(value, 2, "es")
    assert fmt(decimal.Decimal("1234.565")) == "1.234,56"


def test_other_patterns_fall_back_to_babel() -> None:
    for pattern in ("#,##,##0.00", "@@@", "0.###E0", "#,##0.0#"):
        fmt = NumberFormat(pattern, "en_US")
        for value in (1234567.891, -0.5, 12.0):
            from babel.numbers import format_decimal

            assert fmt(value) == format_decimal(value, format=pattern, locale="en_US")


def test_many_and_the_current_language() -> None:
    values = [1234.5, None, -2.0]
    with language("en"):
        assert money_format(digits=0).many(values) == ["€1,234", "–", "-€2"]
    with language("es"):
        assert money_format(digits=0).many(values, missing="") == ["1.234\xa0€", "", "-2\xa0€"]


@pytest.mark.parametrize(
    ("currency", "lang", "digits", "text"),
    [
        ("ARS", "en", 2, "-ARS\xa01,891,450.50"),  # a symbol of letters: spaced (CLDR)
        ("CHF", "en", 0, "CHF\xa01,891,450"),  # half to even, as Babel
        ("COP", "en", 2, "COP\xa01,891,450"),  # no decimals in pesos
        ("ARS", "es", 2, "1.891.450,50\xa0ARS"),  # the pattern's own space, not two
        ("MXN", "en", 2, "MX$1,891,450.50"),  # a symbol ending in a sign touches the digits
        ("EUR", "en", 0, "€1,891,450"),
    ],
)
def test_currency_spacing(currency: str, lang: str, digits: int, text: str) -> None:
    value = -1891450.5 if text.startswith("-") else 1891450.5
    assert fmt_money(value, currency, lang, digits) == text
    assert money_format(currency, lang, digits)(value) == text
    # A Decimal (quantized, not the float text path) agrees.
    assert money_format(currency, lang, digits)(decimal.Decimal(str(value)) + 0) == text


def test_currency_spaced_on_either_side() -> None:
    from cartera.i18n import currency_spaced

    assert currency_spaced("ARS1,234", "ARS") == "ARS\xa01,234"
    assert currency_spaced("1,234ARS", "ARS") == "1,234\xa0ARS"
    assert currency_spaced("1,234\xa0ARS", "ARS") == "1,234\xa0ARS"
    assert currency_spaced("$1,234", "$") == "$1,234"
    assert currency_spaced("1,234$", "$") == "1,234$"
