"""The currency of a documents file: a currency column, a symbol or code in the amounts, or
the header (``Base Imponible (€)``); several currencies in one file are never summed.

A file whose currency column holds several codes is refused with the total of
each currency, unless ``--currency CODE`` keeps one of them or the mapping's
``[currency]`` rates convert every amount into one base currency (decision 0111).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Final

import polars as pl

from cartera.errors import InputError, Problem
from cartera.i18n import N_
from cartera.io.aliases import MONEY_ROLES
from cartera.io.parse import Note

__all__ = [
    "MONEY_ROLES",
    "SYMBOLS",
    "code_of",
    "file_currency",
    "split_currencies",
    "symbol_in",
    "to_base",
]

#: Symbols and local spellings → ISO 4217 code (``$`` alone is read as US dollars unless
#: the file names a country whose peso it is: :func:`cartera.io.country.dollar_currency`).
SYMBOLS: Final = {
    "€": "EUR",
    "$": "USD",
    "US$": "USD",
    "U$S": "USD",
    "$U": "UYU",
    "DOL": "USD",
    "£": "GBP",
    "¥": "JPY",
    "R$": "BRL",
    "S/": "PEN",
    "EUROS": "EUR",
    "EURO": "EUR",
    "DOLARES": "USD",
    "PESOS": None,
}
_CODES: Final = frozenset(
    [
        "EUR",
        "USD",
        "GBP",
        "CLP",
        "MXN",
        "COP",
        "ARS",
        "PEN",
        "BRL",
        "UYU",
        "BOB",
        "PYG",
        "CRC",
        "GTQ",
        "DOP",
        "HNL",
        "NIO",
        "PAB",
        "VES",
        "CHF",
        "JPY",
        "CNY",
        "CAD",
        "AUD",
        "NZD",
        "SEK",
        "NOK",
        "DKK",
        "PLN",
        "CZK",
        "HUF",
        "RON",
        "BGN",
        "TRY",
        "RUB",
        "INR",
        "ZAR",
        "MAD",
        "AED",
        "SAR",
        "EGP",
        "QAR",
        "KWD",
        "ILS",
        "HKD",
        "SGD",
    ]
)
_IN_TEXT: Final = re.compile(r"(US\$|U\$S|\$U|R\$|S/|[€$£¥])|\b([A-Z]{3})\b")


def code_of(text: str | None, dollar: str = "USD") -> str | None:
    """``€`` → ``EUR``, ``usd`` → ``USD``, ``$`` → ``dollar``; None for anything that is not
    a currency."""
    if text is None:
        return None
    t = text.strip()
    if t == "$":
        return dollar
    if t.upper() in _CODES:
        return t.upper()
    return SYMBOLS.get(t) or SYMBOLS.get(t.upper())


def symbol_in(values: list[str], dollar: str = "USD") -> str | None:
    """The currency most of ``values`` (amount texts such as ``$13.50``, ``12,00 €``,
    ``CLP 5.000``) are written in (``$`` read as ``dollar``), else None."""
    found: Counter[str] = Counter()
    for v in values:
        match = _IN_TEXT.search(v)
        if match:
            code = code_of(match.group(1) or match.group(2), dollar)
            if code:
                found[code] += 1
    if not found:
        return None
    code, count = found.most_common(1)[0]
    return code if count * 2 >= len(values) else None


def file_currency(
    column_codes: list[str], symbol: str | None, header: str | None
) -> tuple[str | None, str]:
    """The file's single currency and where it was read (``column``, ``values``, ``header``)."""
    if len(column_codes) == 1:
        return column_codes[0], "column"
    if symbol:
        return symbol, "values"
    if header:
        return header, "header"
    return None, ""


def _cell_codes(frame: pl.DataFrame, dollar: str) -> pl.Expr:
    """Each line's currency cell read as a code (``€`` → ``EUR``, ``$`` → ``dollar``; a text
    that is no currency kept upper-cased), null where the cell is empty."""
    cells = frame.get_column("currency").drop_nulls().unique().to_list()
    codes = {c: code_of(c, dollar) or c.strip().upper() or None for c in cells}
    return pl.col("currency").replace_strict(codes, default=None, return_dtype=pl.String)


def split_currencies(
    frame: pl.DataFrame, header: str, file: str, keep: str | None, dollar: str = "USD"
) -> tuple[pl.DataFrame, list[str], list[Note]]:
    """The frame's currency codes (``currency`` column read as codes, ``$`` as ``dollar``;
    ``__amount`` computed); with several, the rows of ``keep`` only, or an error giving each
    currency's total."""
    codes = frame.select(_cell_codes(frame, dollar).alias("c"))
    totals = (
        frame.with_columns(codes.get_column("c").alias("__cur"))
        .filter(pl.col("__cur").is_not_null())
        .group_by("__cur")
        .agg(pl.col("__amount").sum().alias("total"), pl.len().alias("lines"))
        .sort("__cur")
    )
    found = [c for c in totals.get_column("__cur").to_list() if c]
    if len(found) <= 1:
        return frame, found, []
    if keep is None or keep.upper() not in found:
        problems = [
            Problem(
                N_("{currency}: {lines} lines, total {total}"),
                file=file,
                column=header,
                params={"currency": c, "lines": n, "total": round(float(t or 0), 2)},
                code="mixed_currency",
            )
            for c, t, n in totals.iter_rows()
        ]
        raise InputError(
            N_(
                "{file}: the amounts are in several currencies ({currencies}) and cannot be "
                "added up. Run again with --currency CODE to analyse one of them, or give "
                "exchange rates in the mapping ([currency] base and [currency.rates]) to "
                "convert them all."
            ),
            problems,
            file=file,
            currencies=", ".join(found),
        )
    kept = frame.filter(codes.get_column("c") == keep.upper())
    note = Note(
        N_("only the {kept} lines in {currency} were kept (--currency); {other} were left out"),
        {"kept": kept.height, "currency": keep.upper(), "other": frame.height - kept.height},
    )
    return kept, [keep.upper()], [note]


def _line_codes(frame: pl.DataFrame, written: str | None, base: str, dollar: str) -> pl.Expr:
    """Each line's currency code: its currency cell read as a code (``€`` → ``EUR``, ``$`` →
    ``dollar``), else the currency written in the file's amounts or headers, else ``base``."""
    fallback = pl.lit(written or base)
    if "currency" not in frame.columns:
        return fallback
    return pl.coalesce(_cell_codes(frame, dollar), fallback)


def to_base(
    frame: pl.DataFrame,
    file: str,
    base: str,
    rates: dict[str, float],
    written: str | None = None,
    dollar: str = "USD",
) -> tuple[pl.DataFrame, list[Note]]:
    """Every money column of a documents frame (:data:`MONEY_ROLES`, ``n`` rows) converted
    into ``base`` (``amount × rates[code]``; lines in ``base`` unchanged), and the currency
    column (when there is one) set to ``base``; still ``n`` rows.

    Raises
    ------
    InputError
        When a line's currency is neither ``base`` nor in ``rates`` (each such currency
        named with its lines).
    """
    known = {**{c.upper(): r for c, r in rates.items()}, base: 1.0}
    lines = (
        frame.select(_line_codes(frame, written, base, dollar).alias("c"))
        .group_by("c")
        .agg(pl.len().alias("lines"))
        .sort("c")
    )
    counts = dict(lines.iter_rows())
    missing = [c for c in counts if c not in known]
    if missing:
        problems = [
            Problem(
                N_("{currency}: {lines} lines and no rate"),
                file=file,
                params={"currency": c, "lines": counts[c]},
                code="missing_rate",
            )
            for c in missing
        ]
        raise InputError(
            N_(
                "{file}: the mapping's [currency.rates] give no rate for {currencies}, so "
                "these amounts cannot be converted into {base}. Add a rate for each "
                "(1 unit = rate {base})."
            ),
            problems,
            file=file,
            currencies=", ".join(missing),
            base=base,
        )
    rate = _line_codes(frame, written, base, dollar).replace_strict(known, return_dtype=pl.Float64)
    money = [c for c in MONEY_ROLES if c in frame.columns]
    labels = [pl.lit(base).alias("currency")] if "currency" in frame.columns else []
    converted = frame.with_columns(*[(pl.col(c) * rate).alias(c) for c in money], *labels)
    used = [f"1 {c} = {known[c]:g} {base} ({n})" for c, n in counts.items() if c != base]
    if not used:
        return converted, []
    note = Note(
        N_("amounts converted into {base} with the mapping's rates: {rates}"),
        {"base": base, "rates": "; ".join(used)},
    )
    return converted, [note]
