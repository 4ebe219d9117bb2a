"""Number and date conventions, decided per column over the whole column.

A column's decimal mark is voted by every value that can only be read one
way (``1.234,56``, ``12,5``, ``1234.5``, ``1,234,567``); values such as
``1.234`` that read both ways do not vote. A column's date order is decided
by the largest first and second parts of its ``a/b/c`` values (a first part
above 12 means day-first). Everything is a polars expression, so deciding
costs one pass over the file and never builds Python objects per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final, Literal

import polars as pl

__all__ = [
    "MONTH_FORMS",
    "MONTH_ONLY",
    "DateDecision",
    "NumberDecision",
    "clean_date_text",
    "clean_number_text",
    "clean_numbers",
    "clean_numbers_lazy",
    "decide_date",
    "decide_number",
    "decision_from_flags",
    "number_flags",
    "parse_dates",
    "parse_number",
]

Decimal = Literal["comma", "dot"]
Order = Literal["dmy", "mdy"]

_CURRENCY: Final = r"(?i)[\s\u00a0\u202f€$£%()]|eur|usd|gbp"
_COMMA_VALID: Final = r"^[+-]?([0-9]{1,3}(\.[0-9]{3})+|[0-9]+)?(,[0-9]+)?$"
#: Digits grouped by thousands, or the Indian way (lakhs and crores: ``1,48,500.00``).
_DOT_VALID: Final = (
    r"^[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]{1,2}(,[0-9]{2})+,[0-9]{3}|[0-9]+)?(\.[0-9]+)?"
    r"([eE][+-]?[0-9]+)?$"
)
_COMMA_VOTE: Final = (
    r"^[+-]?([0-9]*\.[0-9]*,[0-9]*|[0-9]{1,3}(\.[0-9]{3}){2,}|[0-9]*,([0-9]{1,2}|[0-9]{4,})"
    r"|0,[0-9]+|,[0-9]+|[0-9]{4,},[0-9]+)$"
)
_DOT_VOTE: Final = (
    r"^[+-]?([0-9]*,[0-9]*\.[0-9]*|[0-9]{1,3}(,[0-9]{3}){2,}|[0-9]*\.([0-9]{1,2}|[0-9]{4,})"
    r"|0\.[0-9]+|\.[0-9]+|[0-9]{4,}\.[0-9]+|[0-9]{1,2}(,[0-9]{2})+,[0-9]{3}(\.[0-9]*)?)$"
)
_AMBIGUOUS: Final = r"^[+-]?[1-9][0-9]{0,2}[.,][0-9]{3}$"
_PLAIN_NUMBER: Final = r"^-?[0-9.,]*[0-9][0-9.,]*$"

#: A time after the date, with its AM/PM, zone (``PST``, ``+01:00``) or hour word
#: (``10:00 hs.``, Argentina and Chile's Mercado Libre), dropped.
_TIME: Final = (
    r"[ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?\s*([AaPp][Mm])?"
    r"\s*(Z|UTC|GMT|[+-][0-9]{2}:?[0-9]{2}|[A-Z]{3,4})?\s*((hs|hrs|h)\.?)?\s*$"
)
_ISO: Final = r"^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})$"
_ABC: Final = r"^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4}|[0-9]{2})$"
_COMPACT: Final = r"^((?:19|20)[0-9]{2})([0-9]{2})([0-9]{2})$"
_SERIAL: Final = r"^[0-9]{5}(\.[0-9]+)?$"
_EXCEL_EPOCH: Final = dt.date(1899, 12, 30)


def clean_number_text(expr: pl.Expr) -> pl.Expr:
    """Number text without currency, spaces or %; ``(12,50)`` and ``12,50-`` → ``-12,50``;
    a dash alone (``-``, ``€ -``, an accounting format's zero) → ``0``."""
    s = expr.str.strip_chars()
    negative = (s.str.starts_with("(") & s.str.ends_with(")")) | s.str.ends_with("-")
    body = s.str.replace_all(_CURRENCY, "").str.strip_chars_end("-")
    signed = pl.when(negative & ~body.str.starts_with("-")).then(pl.lit("-") + body).otherwise(body)
    dash = body.str.strip_chars("-–— ") == ""
    return (
        pl.when(signed == "")
        .then(None)
        .when(dash & s.str.contains("[-–—]"))
        .then(pl.lit("0"))
        .otherwise(signed)
    )


def clean_numbers(values: pl.Series) -> pl.DataFrame:
    """``raw → t`` for distinct number texts; plain ones (``-1.234,5``) skip the costly cleaning."""
    return clean_numbers_lazy(pl.DataFrame({"raw": values}).lazy()).collect()


def clean_numbers_lazy(frame: pl.LazyFrame) -> pl.LazyFrame:
    """:func:`clean_numbers` over a lazy frame of distinct texts ``raw``."""
    frame = frame.filter(pl.col("raw").is_not_null())
    plain = pl.col("raw").str.contains(_PLAIN_NUMBER)
    simple = frame.filter(plain).with_columns(pl.col("raw").alias("t"))
    other = frame.filter(~plain).with_columns(clean_number_text(pl.col("raw")).alias("t"))
    return pl.concat([simple, other], how="vertical")


def number_flags(t: pl.Expr) -> list[pl.Expr]:
    """Per cleaned text: ``comma_vote``, ``dot_vote`` (it reads only one way) and
    ``ambiguous`` (``1.234``: it reads both ways); :func:`decision_from_flags` sums them."""
    return [
        t.str.contains(_COMMA_VOTE).alias("comma_vote"),
        t.str.contains(_DOT_VOTE).alias("dot_vote"),
        t.str.contains(_AMBIGUOUS).alias("ambiguous"),
    ]


@dataclass(frozen=True)
class NumberDecision:
    """How a number column is read; ``how`` says why (``votes``, ``file``, ``option``...)."""

    decimal: Decimal | None
    how: str
    comma: int = 0
    dot: int = 0
    examples: tuple[str, ...] = ()


def decide_number(t: pl.Series) -> NumberDecision:
    """The column's own decision from its distinct cleaned texts (None when it cannot tell)."""
    return decision_from_flags(pl.DataFrame({"t": t}).with_columns(number_flags(pl.col("t"))))


def decision_from_flags(frame: pl.DataFrame) -> NumberDecision:
    """:func:`decide_number` from a frame of distinct texts ``t`` with :func:`number_flags`."""
    known = frame.filter(pl.col("t").is_not_null())
    stats = known.select(pl.col("comma_vote").sum(), pl.col("dot_vote").sum()).row(0)
    comma, dot = int(stats[0] or 0), int(stats[1] or 0)
    examples = tuple(known.filter(pl.col("ambiguous"))["t"].sort().head(5).to_list())
    if comma and not dot:
        return NumberDecision("comma", "votes", comma, dot, examples)
    if dot and not comma:
        return NumberDecision("dot", "votes", comma, dot, examples)
    if comma and dot:
        # Both kinds: the majority wins and the minority values are reported as unreadable.
        return NumberDecision("comma" if comma >= dot else "dot", "mixed", comma, dot, examples)
    return NumberDecision(None, "none", 0, 0, examples)


def parse_number(t: pl.Expr, decimal: Decimal) -> pl.Expr:
    """Cleaned number text → Float64 under ``decimal`` (null when unreadable)."""
    if decimal == "comma":
        valid = t.str.contains(_COMMA_VALID) & t.str.contains(r"[0-9]")
        value = t.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
    else:
        valid = t.str.contains(_DOT_VALID) & t.str.contains(r"[0-9]")
        value = t.str.replace_all(",", "", literal=True)
    return pl.when(valid).then(value.cast(pl.Float64, strict=False))


#: Month words (first three letters, English, Spanish, Portuguese) → month number.
MONTHS: Final = {
    **dict.fromkeys(("jan", "ene"), "01"),
    **dict.fromkeys(("feb", "fev"), "02"),
    "mar": "03",
    **dict.fromkeys(("apr", "abr"), "04"),
    **dict.fromkeys(("may", "mai"), "05"),
    "jun": "06",
    "jul": "07",
    **dict.fromkeys(("aug", "ago"), "08"),
    **dict.fromkeys(("sep", "set"), "09"),
    **dict.fromkeys(("oct", "out"), "10"),
    "nov": "11",
    **dict.fromkeys(("dec", "dic", "dez"), "12"),
}
_DAY_MONTH: Final = (
    r"^([0-9]{1,2})(?:st|nd|rd|th)?[-/. ]+(?:de\s+)?([A-Za-zé]{3,10})\.?,?[-/. ]+(?:de\s+)?"
    r"([0-9]{4}|[0-9]{2})$"
)
_MONTH_DAY: Final = (
    r"^([A-Za-zé]{3,10})\.?[-/. ]+([0-9]{1,2})(?:st|nd|rd|th)?,?[-/. ]+([0-9]{4}|[0-9]{2})$"
)


#: Month names and their usual abbreviations (English, Spanish, Portuguese: the languages of
#: :data:`MONTHS`), for a month written without a day (``Enero 2024``, ``Mar. 2024``).
MONTH_NAME: Final = (
    r"(?i:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre"
    r"|noviembre|diciembre|january|february|march|april|may|june|july|august|september"
    r"|october|november|december|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro"
    r"|novembro|dezembro"
    r"|jan|ene|feb|fev|mar|apr|abr|may|mai|jun|jul|aug|ago|sept|sep|set|oct|out|nov|dec|dic|dez)"
)
#: A month without a day, unanchored: ``Enero 2024``, ``enero de 2024``, ``Jan-2024``,
#: ``2024-01``, ``01/2024`` (decision 0953); read as the month's first day.
MONTH_FORMS: Final = (
    rf"(?:{MONTH_NAME}\.?,?[-/. ]+(?:de\s+)?[0-9]{{4}}|[0-9]{{4}}[-/][0-9]{{1,2}}"
    r"|[0-9]{1,2}[-/][0-9]{4})"
)
MONTH_ONLY: Final = rf"^{MONTH_FORMS}$"
_MONTH_YEAR: Final = rf"^({MONTH_NAME})\.?,?[-/. ]+(?:de\s+)?([0-9]{{4}})$"
_YEAR_MONTH: Final = r"^([0-9]{4})[-/]([0-9]{1,2})$"
_MONTH_SLASH_YEAR: Final = r"^([0-9]{1,2})[-/]([0-9]{4})$"


def _month_number(word: pl.Expr) -> pl.Expr:
    key = word.str.to_lowercase().str.slice(0, 3)
    return key.replace_strict(MONTHS, default=None, return_dtype=pl.String)


def _month_words(s: pl.Expr) -> pl.Expr:
    """``Jan 28 2021``, ``28-ene-2021``, ``28 de enero de 2021`` → ``2021-01-28`` (other texts
    unchanged)."""
    dm = s.str.extract_groups(_DAY_MONTH)
    md = s.str.extract_groups(_MONTH_DAY)

    def iso(day: pl.Expr, month: pl.Expr, year: pl.Expr) -> pl.Expr:
        full = _full_year(year).cast(pl.String)
        return pl.concat_str([full, _month_number(month), day.str.zfill(2)], separator="-")

    from_dm = iso(dm.struct.field("1"), dm.struct.field("2"), dm.struct.field("3"))
    from_md = iso(md.struct.field("2"), md.struct.field("1"), md.struct.field("3"))
    my = s.str.extract_groups(_MONTH_YEAR)
    from_my = iso(pl.lit("01"), my.struct.field("1"), my.struct.field("2"))
    return pl.coalesce(from_dm, from_md, from_my, s)


def _numeric_months(s: pl.Expr) -> pl.Expr:
    """``2024-01``, ``01/2024`` → ``2024-01-01`` (other texts unchanged)."""
    ym = s.str.extract_groups(_YEAR_MONTH)
    my = s.str.extract_groups(_MONTH_SLASH_YEAR)
    first = [
        pl.concat_str([y, m.str.zfill(2), pl.lit("01")], separator="-")
        for y, m in (
            (ym.struct.field("1"), ym.struct.field("2")),
            (my.struct.field("2"), my.struct.field("1")),
        )
    ]
    return pl.coalesce(*first, s)


def clean_date_text(expr: pl.Expr) -> pl.Expr:
    """Date text without a time part (``05/01/2024 00:00:00`` → ``05/01/2024``) and with month
    words turned into an ISO date (``Jan 28 2021`` → ``2021-01-28``)."""
    s = expr.str.strip_chars().str.replace(_TIME, "")
    s = (
        pl.when(s.str.contains(r"[A-Za-z]{3}"))
        .then(_month_words(s))
        .when(s.str.contains(r"^[0-9]{1,4}[-/][0-9]{1,4}$"))
        .then(_numeric_months(s))
        .otherwise(s)
    )
    return pl.when(s == "").then(None).otherwise(s)


@dataclass(frozen=True)
class DateDecision:
    """How a date column is read: ``order`` of ``a/b/c`` values, or an explicit ``fmt``."""

    order: Order | None
    how: str
    fmt: str | None = None
    two_digit_years: bool = False
    examples: tuple[str, ...] = field(default=())
    shape: str = "yyyy-mm-dd"

    def label(self) -> str:
        """The convention as users write it (``dd/mm/yyyy``, ``yyyymmdd``, ``Excel serial``)."""
        if self.fmt:
            return self.fmt
        if self.order is None:
            return self.shape
        year = "yy" if self.two_digit_years else "yyyy"
        return "dd/mm/" + year if self.order == "dmy" else "mm/dd/" + year


def decide_date(t: pl.Series) -> DateDecision:
    """The column's own decision from its distinct texts (``how='ambiguous'`` if it cannot tell)."""
    frame = pl.DataFrame({"t": t})
    parts = frame.select(pl.col("t"), pl.col("t").str.extract_groups(_ABC).alias("p")).unnest("p")
    parts = parts.filter(pl.col("1").is_not_null())
    if parts.height == 0:
        shapes = frame.select(
            pl.col("t").str.contains(_ISO).sum().alias("yyyy-mm-dd"),
            pl.col("t").str.contains(_COMPACT).sum().alias("yyyymmdd"),
            pl.col("t").str.contains(_SERIAL).sum().alias("Excel serial"),
        ).row(0, named=True)
        return DateDecision(None, "iso", shape=max(shapes, key=lambda k: shapes[k] or 0))
    first, second = parts["1"].cast(pl.Int32), parts["2"].cast(pl.Int32)
    d1, d2 = int((first > 12).sum()), int((second > 12).sum())
    yy = bool((parts["3"].str.len_chars() == 2).any())
    examples = tuple(parts["t"].sort().head(5).to_list())
    if d1 and d1 >= d2:
        return DateDecision("dmy", "votes", two_digit_years=yy, examples=examples)
    if d2:
        return DateDecision("mdy", "votes", two_digit_years=yy, examples=examples)
    return DateDecision(None, "ambiguous", two_digit_years=yy, examples=examples)


def _iso(y: pl.Expr, m: pl.Expr, d: pl.Expr) -> pl.Expr:
    text = pl.concat_str(
        [y.cast(pl.String).str.zfill(4), m.str.zfill(2), d.str.zfill(2)], separator="-"
    )
    return text.str.to_date("%Y-%m-%d", strict=False)


def _full_year(y: pl.Expr) -> pl.Expr:
    # Python's %y pivot: 00-68 → 2000s, 69-99 → 1900s.
    n = y.cast(pl.Int32, strict=False)
    return (
        pl.when(y.str.len_chars() == 2)
        .then(pl.when(n <= 68).then(n + 2000).otherwise(n + 1900))
        .otherwise(n)
    )


def parse_dates(t: pl.Series, decision: DateDecision) -> pl.DataFrame:
    """Distinct cleaned date texts → ``t, value`` (Date) and ``shaped`` (looks like a date).

    Shaped without a value means an impossible date (``31/02/2025``).
    """
    frame = pl.DataFrame({"t": t})
    if decision.fmt:
        value = pl.col("t").str.to_date(decision.fmt, strict=False)
        shaped = pl.col("t").str.contains(_ABC) | pl.col("t").str.contains(_ISO)
        return frame.with_columns(
            value.alias("value"), (value.is_not_null() | shaped).alias("shaped")
        )
    frame = frame.with_columns(
        pl.col("t").str.extract_groups(_ISO).alias("iso"),
        pl.col("t").str.extract_groups(_ABC).alias("abc"),
        pl.col("t").str.extract_groups(_COMPACT).alias("cmp"),
        pl.col("t").str.contains(_SERIAL).alias("serial"),
    )
    iso, abc, cmp = (pl.col(n).struct.field for n in ("iso", "abc", "cmp"))
    day, month = (abc("2"), abc("1")) if decision.order == "mdy" else (abc("1"), abc("2"))
    days = pl.col("t").cast(pl.Float64, strict=False).floor().cast(pl.Int64)
    value = (
        pl.when(iso("1").is_not_null())
        .then(_iso(iso("1"), iso("2"), iso("3")))
        .when(abc("1").is_not_null())
        .then(_iso(_full_year(abc("3")), month, day))
        .when(cmp("1").is_not_null())
        .then(_iso(cmp("1"), cmp("2"), cmp("3")))
        .when(pl.col("serial"))
        .then((pl.lit(_EXCEL_EPOCH) + pl.duration(days=days)).cast(pl.Date))
    )
    shaped = (
        iso("1").is_not_null() | abc("1").is_not_null() | cmp("1").is_not_null() | pl.col("serial")
    )
    return frame.select("t", value.alias("value"), shaped.alias("shaped"))
