"""Hypothesis strategies that write export files as the wild writes them.

:func:`exports` draws one documents file: a header (known aliases in Spanish or
English, sometimes an extra column or a title row above), rows of document
number, date, client and amount (good values, or text a user could type), then
a dialect (delimiter, quoting, line ends), an encoding (UTF-8 with or without
BOM, UTF-16, cp1252, Mac Roman) and, sometimes, damage: ragged rows, a huge
cell, a stray or unterminated quote, binary noise, a truncation. The draw says
whether the file is *clean* (no damage, every value good), in which case the
expected rows and amounts are known.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from hypothesis import strategies as st

HEADERS = {
    "es": ("Nº factura", "Fecha", "Cliente", "Base imponible"),
    "en": ("Invoice number", "Date", "Customer", "Net amount"),
}
DELIMITERS = (";", ",", "\t", "|", "~")
LINE_ENDS = ("\n", "\r\n", "\r")
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1252", "mac_roman")
DAMAGE = ("none", "ragged", "huge", "stray_quote", "open_quote", "noise", "truncate", "nul")


@dataclass
class Export:
    """A drawn file: its bytes, and what a clean one must read as."""

    data: bytes
    clean: bool
    amounts: list[float] = field(default_factory=list)
    description: str = ""

    def __repr__(self) -> str:
        return f"Export({self.description}, clean={self.clean}, data={self.data[:300]!r}…)"


_NAME_CHARS = st.characters(
    codec="cp1252", categories=("L", "N", "Zs", "P", "S"), exclude_characters="\x00"
)
#: What Spanish client names are written with: a file of these is expected to import.
_PLAIN_CHARS = st.sampled_from(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,&-'ÁÉÍÓÚÑáéíóúñüÜç"
)


@st.composite
def _good_row(draw: st.DrawFn, index: int, lang: str) -> tuple[list[str], float, bool]:
    day = draw(st.integers(1, 28))
    month = draw(st.integers(1, 12))
    year = draw(st.integers(2019, 2024))
    cents = draw(st.integers(-99_999_99, 99_999_999))
    amount = cents / 100
    if lang == "es":
        text = f"{amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
        date = f"{day:02d}/{month:02d}/{year}"
    else:
        text = f"{amount:,.2f}"
        date = f"{year}-{month:02d}-{day:02d}"
    chars = _NAME_CHARS if draw(st.booleans()) else _PLAIN_CHARS
    name = draw(
        st.text(chars, min_size=1, max_size=30).filter(
            lambda s: any(c.isascii() and c.isalpha() for c in s)  # a name with a letter
        )
    )
    return [f"F{index:05d}", date, name.strip(), text], amount, chars is _PLAIN_CHARS


_BAD_VALUES = st.sampled_from(
    ["", "doce", "31/02/2024", "1.2.3,4,5", "=2+3", "@x", "-", "(12,50)", "99/99/9999", "🙂"]
)


@st.composite
def exports(draw: st.DrawFn) -> Export:
    """One documents file (see the module docstring)."""
    lang = draw(st.sampled_from(("es", "en")))
    delimiter = draw(st.sampled_from(DELIMITERS))
    line_end = draw(st.sampled_from(LINE_ENDS))
    encoding = draw(st.sampled_from(ENCODINGS))
    quoting = draw(st.sampled_from((csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC)))
    damage = draw(st.sampled_from(DAMAGE)) if draw(st.booleans()) else "none"
    title = draw(st.booleans())
    extra_column = draw(st.booleans())
    n = draw(st.integers(1, 25))
    rows, amounts, plain = [], [], True
    for i in range(n):
        row, amount, plain_name = draw(_good_row(i + 1, lang))
        rows.append(row)
        amounts.append(amount)
        plain = plain and plain_name
    bad_values = draw(st.booleans()) and draw(st.booleans())
    if bad_values:
        at = draw(st.integers(0, n - 1))
        rows[at][draw(st.integers(1, 3))] = draw(_BAD_VALUES)
    header = list(HEADERS[lang])
    if extra_column:
        header.append("Notas")
        for row in rows:
            row.append(draw(st.text(_PLAIN_CHARS, max_size=10)))
    if encoding == "mac_roman":  # Mac Roman lacks many cp1252 characters
        rows = [[_mac(c) for c in row] for row in rows]
    if damage == "ragged":
        at = draw(st.integers(0, n - 1))
        rows[at] = [*rows[at], "sobra", "x"]
    if damage == "huge":
        rows[draw(st.integers(0, n - 1))][2] = "A" * draw(st.integers(1001, 200_000))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end, quoting=quoting)
    if title:
        buffer.write("Listado de facturas" + line_end)
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    if damage == "stray_quote":
        text = text.replace(rows[0][2], rows[0][2][:1] + 'x"y' + rows[0][2][1:], 1)
    if damage == "open_quote":
        cut = text.find(line_end) + len(line_end)
        text = text[:cut] + '"' + text[cut:]
    data = text.encode(encoding, errors="replace")
    if damage == "noise":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:]
    if damage == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    if damage == "nul":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\x00" + data[at:]
    clean = damage == "none" and not bad_values and plain
    description = f"{lang} {delimiter!r} {line_end!r} {encoding} {damage} bad={bad_values}"
    return Export(data, clean, amounts, description)


def _mac(text: str) -> str:
    """``text`` with the characters Mac Roman cannot write replaced by ``x``."""
    return "".join(c if _in_mac_roman(c) else "x" for c in text)


def _in_mac_roman(char: str) -> bool:
    try:
        char.encode("mac_roman")
    except UnicodeEncodeError:
        return False
    return True
