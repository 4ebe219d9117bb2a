"""Edges of the number and date conventions that mutation testing found unguarded (issue #11).

Each test compares whole results (every field of a decision, every row of a parsed frame)
at one rule's edge: a date part of exactly 12 or 13, a tie of day-first and month-first
votes, the two-digit-year pivot (68/69), a column's winning shape, a tie of comma and point
votes, a text that reads with one decimal mark only, signs in brackets or at the end, month
words in capitals and in full.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from cartera.io.conventions import (
    DateDecision,
    NumberDecision,
    clean_date_text,
    clean_numbers,
    decide_date,
    decide_number,
    parse_dates,
    parse_number,
)

D = dt.date


# --- numbers: cleaning ---------------------------------------------------------------------


def test_clean_numbers_keeps_plain_texts_first_then_cleans_the_others_and_drops_nulls() -> None:
    raw = ["1.234,56", None, "(12,50)", "-7", "12,50-", "€", "EUR 3,5", "1 234,5 usd"]
    got = clean_numbers(pl.Series(raw, dtype=pl.String))
    want = pl.DataFrame(
        {
            "raw": ["1.234,56", "-7", "(12,50)", "12,50-", "€", "EUR 3,5", "1 234,5 usd"],
            "t": ["1.234,56", "-7", "-12,50", "-12,50", None, "3,5", "1234,5"],
        }
    )
    assert_frame_equal(got, want)


@pytest.mark.parametrize(
    ("raw", "t"),
    [
        ("(-12,50)", "-12,50"),  # already negative: no second minus
        ("-12,50-", "-12,50"),
        ("(12,50", "12,50"),  # an opening bracket alone is not a sign
        ("12,50)", "12,50"),  # nor a closing one
        ("12X", "12X"),  # only minus signs are stripped from the end, letters stay (unreadable)
        ("12X-", "-12X"),
        ("  ", None),
        (" 5 ", "5"),
    ],
)
def test_clean_number_text_signs_and_leftovers(raw: str, t: str | None) -> None:
    got = clean_numbers(pl.Series([raw], dtype=pl.String))
    assert got.rows() == [(raw, t)]


# --- numbers: the column's decimal mark ----------------------------------------------------


@pytest.mark.parametrize(
    ("values", "decision"),
    [
        (["12,5", "1.234"], NumberDecision("comma", "votes", 1, 0, ("1.234",))),
        (["99.95", "1,234"], NumberDecision("dot", "votes", 0, 1, ("1,234",))),
        # A tie goes to the comma; a majority of points wins.
        (["12,5", "99.95", "1.234"], NumberDecision("comma", "mixed", 1, 1, ("1.234",))),
        (["12,5", "99.95", "0.5"], NumberDecision("dot", "mixed", 1, 2, ())),
        (["12,5", "12,75", "0.5"], NumberDecision("comma", "mixed", 2, 1, ())),
        (["1", "300"], NumberDecision(None, "none", 0, 0, ())),
        ([], NumberDecision(None, "none", 0, 0, ())),
        ([None, "7"], NumberDecision(None, "none", 0, 0, ())),
    ],
)
def test_decimal_decision_in_full(values: list[str | None], decision: NumberDecision) -> None:
    assert decide_number(pl.Series(values, dtype=pl.String)) == decision


def test_ambiguous_examples_are_the_first_five_sorted_and_nothing_else() -> None:
    values = ["6.000", "2.000", "12,5", "5.000", "1.000", "4.000", "3.000", None]
    got = decide_number(pl.Series(values, dtype=pl.String))
    assert got == NumberDecision(
        "comma", "votes", 1, 0, ("1.000", "2.000", "3.000", "4.000", "5.000")
    )


# --- numbers: reading a text under a decimal mark -----------------------------------------


@pytest.mark.parametrize(
    ("text", "comma", "dot"),
    [
        ("1.2", None, 1.2),  # a point between 1 and 2 digits is no thousands separator
        ("1,2", 1.2, None),
        ("1,234.5", None, 1234.5),
        ("1.234,5", 1234.5, None),
        ("1,234,567.25", None, 1234567.25),
        ("1e5", None, 100000.0),
        (",5", 0.5, None),
        (".5", None, 0.5),
        ("-", None, None),
        ("e5", None, None),  # an exponent without digits before it reads as nothing
        ("", None, None),
    ],
)
def test_parse_number_reads_only_texts_valid_for_the_mark(
    text: str, comma: float | None, dot: float | None
) -> None:
    frame = pl.DataFrame({"t": [text]}, schema={"t": pl.String})
    for mark, want in (("comma", comma), ("dot", dot)):
        got = frame.select(parse_number(pl.col("t"), mark).alias("v"))["v"].to_list()  # type: ignore[arg-type]
        assert got == [want], mark


# --- dates: cleaning ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "t"),
    [
        (" 05/01/2024 00:00:00 ", "05/01/2024"),
        ("2024-01-05T10:30:00Z", "2024-01-05"),
        ("5/1/2024 3:04 PM", "5/1/2024"),
        ("", None),
        ("   ", None),
        ("ayer", "ayer"),  # letters but no date: unchanged
        ("Foo 28 2021", "Foo 28 2021"),  # not a month word: unchanged
        ("Jan 28 2021", "2021-01-28"),
        ("JAN 28 2021", "2021-01-28"),
        ("jan 28 2021", "2021-01-28"),
        ("January 5th, 2021", "2021-01-05"),
        ("28-ene-2021", "2021-01-28"),
        ("28 de enero de 2021", "2021-01-28"),
        ("5 Dec 68", "2068-12-05"),
        ("5 Dec 69", "1969-12-05"),
        ("Sept. 9, 99", "1999-09-09"),
    ],
)
def test_clean_date_text(raw: str, t: str | None) -> None:
    frame = pl.DataFrame({"raw": [raw]}, schema={"raw": pl.String})
    assert frame.select(clean_date_text(pl.col("raw")).alias("t"))["t"].to_list() == [t]


# --- dates: the column's order ------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "decision"),
    [
        # A first part of 13 votes day-first, 12 does not; the same for the second part.
        (["13/01/2024"], DateDecision("dmy", "votes", examples=("13/01/2024",))),
        (["12/13/2024"], DateDecision("mdy", "votes", examples=("12/13/2024",))),
        (["01/13/2024"], DateDecision("mdy", "votes", examples=("01/13/2024",))),
        (["01/12/2024"], DateDecision(None, "ambiguous", examples=("01/12/2024",))),
        (["12/12/2024"], DateDecision(None, "ambiguous", examples=("12/12/2024",))),
        # A tie of votes reads day-first; a majority of month-first votes wins.
        (
            ["13/01/2024", "01/13/2024"],
            DateDecision("dmy", "votes", examples=("01/13/2024", "13/01/2024")),
        ),
        (
            ["13/01/2024", "01/13/2024", "02/14/2024"],
            DateDecision("mdy", "votes", examples=("01/13/2024", "02/14/2024", "13/01/2024")),
        ),
        # Two-digit years: any of them marks the column; four digits alone do not.
        (["28/2/24"], DateDecision("dmy", "votes", two_digit_years=True, examples=("28/2/24",))),
        (
            ["28/2/24", "1/3/2024"],
            DateDecision("dmy", "votes", two_digit_years=True, examples=("1/3/2024", "28/2/24")),
        ),
        (["2/28/24"], DateDecision("mdy", "votes", two_digit_years=True, examples=("2/28/24",))),
        (["1/2/24"], DateDecision(None, "ambiguous", two_digit_years=True, examples=("1/2/24",))),
    ],
)
def test_date_decision_in_full(values: list[str], decision: DateDecision) -> None:
    assert decide_date(pl.Series(values, dtype=pl.String)) == decision


def test_date_examples_are_the_first_five_sorted_a_b_c_values() -> None:
    values = ["06/01/2024", "2024-01-01", "13/01/2024", "02/01/2024", "05/01/2024"]
    values += ["03/01/2024", "04/01/2024"]
    got = decide_date(pl.Series(values))
    assert got.examples == ("02/01/2024", "03/01/2024", "04/01/2024", "05/01/2024", "06/01/2024")
    assert (got.order, got.how) == ("dmy", "votes")


@pytest.mark.parametrize(
    ("values", "shape"),
    [
        (["2024-01-05"], "yyyy-mm-dd"),
        (["20240105"], "yyyymmdd"),
        (["45296"], "Excel serial"),
        (["45296", "45297.5", "20240105", "2024-01-05"], "Excel serial"),
        (["20240105", "20240106", "2024-01-05"], "yyyymmdd"),
        (["2024-01-05", "2024-01-06", "20240105"], "yyyy-mm-dd"),
        (["ayer"], "yyyy-mm-dd"),  # nothing reads: the default shape
    ],
)
def test_a_column_without_a_b_c_values_takes_its_most_common_shape(
    values: list[str], shape: str
) -> None:
    assert decide_date(pl.Series(values)) == DateDecision(None, "iso", shape=shape)


@pytest.mark.parametrize(
    ("decision", "label"),
    [
        (DateDecision("dmy", "votes"), "dd/mm/yyyy"),
        (DateDecision("dmy", "votes", two_digit_years=True), "dd/mm/yy"),
        (DateDecision("mdy", "votes"), "mm/dd/yyyy"),
        (DateDecision("mdy", "votes", two_digit_years=True), "mm/dd/yy"),
        (DateDecision(None, "iso", shape="yyyymmdd"), "yyyymmdd"),
        (DateDecision(None, "ambiguous", two_digit_years=True), "yyyy-mm-dd"),
        (DateDecision("dmy", "option", fmt="%d.%m.%Y"), "%d.%m.%Y"),
    ],
)
def test_date_labels(decision: DateDecision, label: str) -> None:
    assert decision.label() == label


# --- dates: values ------------------------------------------------------------------------


def _parsed(values: list[str], decision: DateDecision) -> list[tuple[str, D | None, bool]]:
    frame = parse_dates(pl.Series(values, dtype=pl.String), decision)
    assert frame.columns == ["t", "value", "shaped"]
    assert frame.schema["value"] == pl.Date
    return frame.rows()


def test_every_shape_day_first_in_full() -> None:
    values = ["05/01/2024", "5-1-24", "2024-1-5", "2024/01/05", "20240105", "45296", "45296.75"]
    values += ["31/02/2025", "ayer"]
    assert _parsed(values, DateDecision("dmy", "votes")) == [
        ("05/01/2024", D(2024, 1, 5), True),
        ("5-1-24", D(2024, 1, 5), True),
        ("2024-1-5", D(2024, 1, 5), True),
        ("2024/01/05", D(2024, 1, 5), True),
        ("20240105", D(2024, 1, 5), True),
        ("45296", D(2024, 1, 5), True),
        ("45296.75", D(2024, 1, 5), True),
        ("31/02/2025", None, True),
        ("ayer", None, False),
    ]


def test_month_first_swaps_only_a_b_c_values() -> None:
    values = ["02/13/2024", "1/2/24", "2024-02-01", "20240201", "13/02/2024"]
    assert _parsed(values, DateDecision("mdy", "votes")) == [
        ("02/13/2024", D(2024, 2, 13), True),
        ("1/2/24", D(2024, 1, 2), True),
        ("2024-02-01", D(2024, 2, 1), True),
        ("20240201", D(2024, 2, 1), True),
        ("13/02/2024", None, True),
    ]


@pytest.mark.parametrize(
    ("text", "year"),
    [("1/1/00", 2000), ("1/1/68", 2068), ("1/1/69", 1969), ("1/1/99", 1999), ("1/1/1968", 1968)],
)
def test_two_digit_year_pivot(text: str, year: int) -> None:
    assert _parsed([text], DateDecision("dmy", "votes")) == [(text, D(year, 1, 1), True)]


def test_an_explicit_format_reads_and_shapes() -> None:
    values = ["02/01/2024", "31/02/2025", "2024-01-05", "ayer"]
    assert _parsed(values, DateDecision(None, "option", fmt="%d/%m/%Y")) == [
        ("02/01/2024", D(2024, 1, 2), True),
        ("31/02/2025", None, True),  # a/b/c shape without a value
        ("2024-01-05", None, True),  # ISO shape without a value under this format
        ("ayer", None, False),
    ]
    # A value read by the format is shaped even when it looks like no known shape.
    compact = _parsed(["20240105", "2024011"], DateDecision(None, "option", fmt="%Y%m%d"))
    assert compact[0] == ("20240105", D(2024, 1, 5), True)
