"""Decimal marks and date orders, decided from the whole column."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cartera.io.conventions import (
    DateDecision,
    clean_numbers,
    decide_date,
    decide_number,
    parse_dates,
    parse_number,
)


def _read(values: list[str], decimal: str) -> list[float | None]:
    cleaned = clean_numbers(pl.Series(values, dtype=pl.String))
    order = {v: i for i, v in enumerate(values)}
    cleaned = cleaned.sort(pl.col("raw").replace_strict(order, return_dtype=pl.Int64))
    return cleaned.select(parse_number(pl.col("t"), decimal))["t"].to_list()  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "comma", "dot"),
    [
        ("1.234,56", 1234.56, None),
        ("1,234.56", None, 1234.56),
        ("1234,56", 1234.56, None),
        ("1234.56", None, 1234.56),
        ("-12,50", -12.5, None),
        ("(12,50)", -12.5, None),
        ("12,50-", -12.5, None),
        ("1.234,56 €", 1234.56, None),
        ("€ 1 234,56", 1234.56, None),
        ("-1.234.567,8", -1234567.8, None),
        ("1.234", 1234.0, 1.234),
        ("42", 42.0, 42.0),
        ("doce", None, None),
        ("1.2.3,4", None, None),
    ],
)
def test_number_texts(text: str, comma: float | None, dot: float | None) -> None:
    assert _read([text], "comma") == [comma]
    assert _read([text], "dot") == [dot]


@pytest.mark.parametrize(
    ("values", "decimal"),
    [
        (["1.234", "12,5"], "comma"),  # the first value alone is ambiguous; the column is not
        (["1.234", "99.95"], "dot"),
        (["1,234", "1,234,567"], "dot"),
        (["1.234", "1.234.567"], "comma"),
        (["0,500"], "comma"),
        (["1234,567"], "comma"),
        (["1", "2", "300"], None),
        (["1.500", "2.250"], None),
    ],
)
def test_decimal_decided_by_the_whole_column(values: list[str], decimal: str | None) -> None:
    assert decide_number(pl.Series(values)).decimal == decimal


def test_ambiguous_column_gives_examples() -> None:
    decision = decide_number(pl.Series(["1.500", "2.250"]))
    assert decision.examples == ("1.500", "2.250")


@pytest.mark.parametrize(
    ("values", "order"),
    [
        (["01/02/2024", "13/02/2024"], "dmy"),
        (["02/01/2024", "02/13/2024"], "mdy"),
        (["1/2/24", "28/2/24"], "dmy"),
        (["01/02/2024", "03/04/2024"], None),
        (["2024-01-02"], None),
    ],
)
def test_date_order_decided_by_the_whole_column(values: list[str], order: str | None) -> None:
    assert decide_date(pl.Series(values)).order == order


def _dates(values: list[str], decision: DateDecision) -> dict[str, dt.date | None]:
    frame = parse_dates(pl.Series(values), decision)
    return dict(zip(frame["t"].to_list(), frame["value"].to_list(), strict=True))


def test_every_date_shape() -> None:
    got = _dates(
        [
            "05/01/2024",
            "5/1/24",
            "2024-01-05",
            "20240105",
            "45296",
            "5-1-2024",
            "5.1.2024",
            "1/2/70",
        ],
        DateDecision("dmy", "votes"),
    )
    assert set(got.values()) == {dt.date(2024, 1, 5), dt.date(1970, 2, 1)}


def test_impossible_dates_have_a_shape_but_no_value() -> None:
    frame = parse_dates(pl.Series(["31/02/2025", "ayer"]), DateDecision("dmy", "votes"))
    assert frame["value"].to_list() == [None, None]
    assert frame["shaped"].to_list() == [True, False]


def test_explicit_format_wins() -> None:
    got = _dates(["02/01/2024"], DateDecision(None, "option", fmt="%m/%d/%Y"))
    assert got["02/01/2024"] == dt.date(2024, 2, 1)


def _format(value: float, decimal: str, thousands: bool, negative: str, currency: bool) -> str:
    sign = value < 0
    whole, frac = f"{abs(value):.2f}".split(".")
    if thousands:
        groups = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        groups.insert(0, whole)
        whole = ("." if decimal == "comma" else ",").join(groups)
    text = whole + ("," if decimal == "comma" else ".") + frac
    if currency:
        text = f"{text} €"
    if sign:
        text = f"({text})" if negative == "parens" else f"-{text}"
    return text


@settings(max_examples=200, deadline=None)
@given(
    value=st.decimals(min_value=-10_000_000, max_value=10_000_000, places=2).map(float),
    decimal=st.sampled_from(["comma", "dot"]),
    thousands=st.booleans(),
    negative=st.sampled_from(["minus", "parens"]),
    currency=st.booleans(),
)
def test_number_round_trip(
    value: float, decimal: str, thousands: bool, negative: str, currency: bool
) -> None:
    text = _format(value, decimal, thousands, negative, currency)
    assert _read([text], decimal) == [pytest.approx(value)]
