"""What a bare ``$`` stands for in a file, told from the file itself.

``$`` is the sign of the US dollar, of the Argentine, Mexican, Colombian, Chilean and
Uruguayan pesos, and of the Australian and Canadian dollars (among others). AFIP's «Mis
Comprobantes» writes ``$`` in its ``Moneda`` column for pesos; a Mexican CFDI listing
writes ``$1,234.00`` for pesos. Reading every ``$`` as US dollars labels such a file
``US$`` throughout (decision 0955).

Two kinds of evidence name one country, and only one:

* the **tax ids** of the clients, by the shape each country's id has: an Argentine CUIT
  (11 digits, ``23``/``24``/``27``/``30``/``33``/``34`` first, or ``20`` written with
  dashes; ``20`` and 11 digits is also a Peruvian RUC, where ``$`` is the dollar; written
  without dashes, the check digit must be right, as Italy's VAT numbers are 11 digits), a
  Mexican RFC (3–4 letters, a date, 3 characters), a Chilean RUT (7–8 digits, ``-`` and a
  check digit or ``K``, the check digit right), a Colombian NIT (9–10 digits, ``-`` and a
  check digit);
* the **headers**: words only one country's tax forms use (``CUIT``, ``AFIP``, ``IIBB``,
  «Neto gravado», «Número desde»;
  ``RFC``, ``CFDI``, ``IEPS``, «Folio fiscal»; ``Retefuente``, ``ReteICA``, ``DIAN``;
  ``RUT`` when no other word names a country, since Uruguay's is the RUT too; ``CFE``;
  Australia's ``ABN``, ``BSB``, ``LCT``; Canada's ``HST``, ``QST``).

A country is chosen when at least :data:`ID_SHARE` of the tax ids have its shape (and no
other country's), or, with no tax ids that say so, when the headers name it and no other.
Evidence for two countries, or none, leaves ``$`` as the US dollar, as before; ``--currency``
says otherwise. A file that writes no currency at all (no column, sign or code) is in its
country's currency when the same evidence names one (:func:`country_currency`), with a
note; else in the settings' currency, as before.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Final

from cartera.io.words import header_words

__all__ = [
    "COUNTRY_CURRENCY",
    "ID_SHARE",
    "country_currency",
    "currency_of",
    "dollar_currency",
    "dollar_of",
    "file_country",
    "header_country",
    "id_country",
]

#: Each country's currency: what ``$`` means there, and what a file that writes no currency
#: at all is in (Peru's is the sol, but there ``$`` is the US dollar).
COUNTRY_CURRENCY: Final = {
    "AR": "ARS",
    "MX": "MXN",
    "CO": "COP",
    "CL": "CLP",
    "UY": "UYU",
    "AU": "AUD",
    "CA": "CAD",
    "PE": "PEN",
}
#: Countries where a bare ``$`` is the US dollar.
_DOLLAR_IS_USD: Final = frozenset({"PE"})

#: The share of the tax ids (the non-empty, non-zero ones) a country's shape must have.
ID_SHARE: Final = 0.5

_CUIT: Final = re.compile(r"^(20|23|24|27|30|33|34)(-?)\d{8}-?\d$")
#: Peru's RUC: 11 digits too, ``10``/``15``/``16``/``17``/``20`` first (``20`` is both).
_RUC: Final = re.compile(r"^(10|15|16|17|20)\d{9}$")
_RFC: Final = re.compile(r"^[A-ZÑ&]{3,4}(\d{2})(\d{2})(\d{2})[A-Z\d]{3}$")
_RUT: Final = re.compile(r"^(\d{1,2}\.?\d{3}\.?\d{3})-([\dK])$")
_NIT: Final = re.compile(r"^(\d{3}\.?\d{3}\.?\d{3}\.?\d?)-(\d)$")

#: Words (as :func:`cartera.io.words.header_words` splits a header) only one country's tax
#: forms use.
_HEADER_WORDS: Final = {
    "cuit": "AR",
    "cuil": "AR",
    "afip": "AR",
    "iibb": "AR",
    "monotributo": "AR",
    "rfc": "MX",
    "cfdi": "MX",
    "ieps": "MX",
    "dian": "CO",
    "cfe": "UY",
    "abn": "AU",
    "bsb": "AU",
    "lct": "AU",
    "hst": "CA",
    "qst": "CA",
    "tvq": "CA",
}
#: Letters-only spellings (accents and spaces dropped) only one country uses.
_HEADER_JOINED: Final = {
    "retefuente": "CO",
    "reteica": "CO",
    "reteiva": "CO",
    "retencionenlafuente": "CO",
    "ingresosbrutos": "AR",
    "netogravado": "AR",  # AFIP's «Imp. Neto Gravado», «Neto No Gravado»
    "numerodesde": "AR",  # AFIP's «Número Desde» … «Número Hasta»: a range of receipts
    "foliofiscal": "MX",
}


def _rut_ok(body: str, check: str) -> bool:
    """Chile's modulus-11 check digit (``K`` for 10)."""
    digits = [int(d) for d in body if d.isdigit()]
    total = sum(d * (2 + i % 6) for i, d in enumerate(reversed(digits)))
    value = 11 - total % 11
    return check == {11: "0", 10: "K"}.get(value, str(value))


#: The weights of the CUIT's and the RUC's modulus-11 check digit (the same in both).
_ELEVEN_WEIGHTS: Final = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _eleven_ok(digits: str) -> bool:
    """An 11-digit id's modulus-11 check digit: the CUIT's (10 → 9) or the RUC's (10 → 0,
    11 → 1). Italy's VAT numbers are 11 digits too, with a check digit of another rule."""
    total = sum(int(d) * w for d, w in zip(digits, _ELEVEN_WEIGHTS, strict=False))
    value = 11 - total % 11
    check = int(digits[10])
    return check in ({11: 0, 10: 9}.get(value, value), {10: 0, 11: 1}.get(value, value))


def _rfc_date(yy: str, mm: str, dd: str) -> bool:
    return 1 <= int(mm) <= 12 and 1 <= int(dd) <= 31 and yy.isdigit()


def _one_id(text: str) -> str | None:
    """The country whose tax id ``text`` has the shape of, else None (none, or several)."""
    value = text.strip().upper().replace(" ", "")
    cuit, ruc = _CUIT.match(value), _RUC.match(value)
    if (cuit or ruc) and not (cuit and cuit.group(2)) and not _eleven_ok(value):
        return None  # 11 digits without dashes: only with the check digit right
    if cuit and ruc:
        return None  # 20 and 11 digits: an Argentine company or a Peruvian one
    if cuit:
        return "AR"
    if ruc:
        return "PE"
    rfc = _RFC.match(value)
    if rfc:
        return "MX" if _rfc_date(*rfc.groups()) else None
    rut = _RUT.match(value)  # at most 8 digits: 9 or 10 before the dash are a NIT
    if rut and _rut_ok(rut.group(1), rut.group(2)):
        return "CL"
    return "CO" if _NIT.match(value) else None


def id_country(values: Iterable[str]) -> str | None:
    """The country whose tax-id shape at least :data:`ID_SHARE` of ``values`` have (zeros
    and empty values left out), else None."""
    ids = [v for v in values if v and v.strip().strip("0-. ")]
    if not ids:
        return None
    found = Counter(c for c in map(_one_id, ids) if c is not None)
    if not found:
        return None
    country, count = found.most_common(1)[0]
    return country if count >= ID_SHARE * len(ids) else None


#: Words two countries use, each given to the first when no other word names a country:
#: Chile's and Uruguay's tax id are both the RUT (Uruguay's exports also say «CFE»). Not
#: «SII»: Chile's tax office, but also Spain's immediate VAT reporting («Estado SII» in
#: A3's and Sage's exports), nor «ARCA», AFIP's new name and a Spanish word.
_WEAK_HEADER_WORDS: Final = {"rut": "CL"}


def header_country(headers: Iterable[str]) -> str | None:
    """The one country the headers' tax words name, else None (none, or several)."""
    named: set[str] = set()
    weak: set[str] = set()
    for header in headers:
        words = header_words(header)
        named.update(_HEADER_WORDS[w] for w in words if w in _HEADER_WORDS)
        weak.update(_WEAK_HEADER_WORDS[w] for w in words if w in _WEAK_HEADER_WORDS)
        joined = "".join(words)
        named.update(c for spelling, c in _HEADER_JOINED.items() if spelling in joined)
    if not named:
        named = weak
    return named.pop() if len(named) == 1 else None


def file_country(headers: Iterable[str], tax_ids: Iterable[str] = ()) -> str | None:
    """The one country a file's tax ids, else its headers, name; else None."""
    return id_country(tax_ids) or header_country(headers)


def currency_of(country: str | None) -> str | None:
    """The currency of ``country`` (:func:`file_country`): what a file that writes no
    currency at all is in; None for no country."""
    return COUNTRY_CURRENCY.get(country or "")


def dollar_of(country: str | None) -> str:
    """What a bare ``$`` stands for in a file of ``country``: its currency, else ``USD``."""
    if country is None or country in _DOLLAR_IS_USD:
        return "USD"
    return COUNTRY_CURRENCY[country]


def country_currency(headers: Iterable[str], tax_ids: Iterable[str] = ()) -> str | None:
    """The currency of the one country a file's tax ids or headers name, else None."""
    return currency_of(file_country(headers, tax_ids))


def dollar_currency(headers: Iterable[str], tax_ids: Iterable[str] = ()) -> str:
    """The ISO code a bare ``$`` stands for in a file with these headers and tax ids: the
    currency of the one country they name, else ``USD``."""
    return dollar_of(file_country(headers, tax_ids))
