"""The currency of a documents file: a currency column, a symbol or code in the amounts, or
the header (``Base Imponible (€)``); several currencies in one file are never summed.

A file whose currency column holds several codes is refused with the total of
each currency, unless ``--currency CODE`` keeps one of them (decision 0111).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Final

import polars as pl

from cartera.errors import InputError, Problem
from cartera.i18n import N_
from cartera.io.parse import Note

__all__ = ["SYMBOLS", "code_of", "file_currency", "split_currencies", "symbol_in"]

#: Symbols and local spellings → ISO 4217 code (``$`` alone is read as US dollars).
SYMBOLS: Final = {
    "€": "EUR",
    "$": "USD",
    "US$": "USD",
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
_IN_TEXT: Final = re.compile(r"(US\$|R\$|S/|[€$£¥])|\b([A-Z]{3})\b")


def code_of(text: str | None) -> str | None:
    """``€`` → ``EUR``, ``usd`` → ``USD``; None for anything that is not a currency."""
    if text is None:
        return None
    t = text.strip()
    if t.upper() in _CODES:
        return t.upper()
    return SYMBOLS.get(t) or SYMBOLS.get(t.upper())


def symbol_in(values: list[str]) -> str | None:
    """The currency most of ``values`` (amount texts such as ``$13.50``, ``12,00 €``,
    ``CLP 5.000``) are written in, else None."""
    found: Counter[str] = Counter()
    for v in values:
        match = _IN_TEXT.search(v)
        if match:
            code = code_of(match.group(1) or match.group(2))
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


def split_currencies(
    frame: pl.DataFrame, header: str, file: str, keep: str | None
) -> tuple[pl.DataFrame, list[str], list[Note]]:
    """The frame's currency codes (``currency`` column, ``__amount`` computed); with several,
    the rows of ``keep`` only, or an error giving each currency's total."""
    codes = frame.select(pl.col("currency").str.strip_chars().str.to_uppercase().alias("c"))
    totals = (
        frame.with_columns(codes.get_column("c").alias("__cur"))
        .filter(pl.col("__cur").is_not_null())
        .group_by("__cur")
        .agg(pl.col("__amount").sum().alias("total"), pl.len().alias("lines"))
        .sort("__cur")
    )
    found = [c for c in totals.get_column("__cur").to_list() if c]
    if len(found) <= 1:
        return frame, [code_of(c) or c for c in found], []
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
                "added up. Run again with --currency CODE to analyse one of them."
            ),
            problems,
            file=file,
            currencies=", ".join(found),
        )
    kept = frame.filter(pl.col("currency").str.strip_chars().str.to_uppercase() == keep.upper())
    note = Note(
        N_("only the {kept} lines in {currency} were kept (--currency); {other} were left out"),
        {"kept": kept.height, "currency": keep.upper(), "other": frame.height - kept.height},
    )
    return kept, [keep.upper()], [note]
