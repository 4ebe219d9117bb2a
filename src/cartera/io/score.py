"""Score every column for every role: header words plus the column's content.

Each role of a table gets a score per column from the header's words
(:func:`cartera.io.words.concepts`; an exact alias of
:data:`cartera.io.aliases.ALIASES` scores highest) and the content of a sample
of rows (:class:`Profile`): dates must parse as dates, amounts as numbers, a
client column holding one value on every row is not the client, a mostly
empty date is not the document's date, a column with ``%`` in its header is a
rate and never an amount. Roles are then assigned greedily, best score first;
equal scores go to the role listed first in :data:`ROLE_PRIORITY` and then to
the leftmost column. Documented in docs/input-formats.md (decision 0107).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Final

import polars as pl

from cartera.i18n import N_
from cartera.io.aliases import (
    ALIASES,
    CREDIT_PATTERN,
    DATE_ROLES,
    DOCUMENT_STATUS,
    MONEY_ROLES,
    NUMBER_ROLES,
    OWED_STATUS,
    PAID_STATUS,
    normalise_header,
    normalise_word,
)
from cartera.io.conventions import MONTH_FORMS
from cartera.io.role_rules import RULES
from cartera.io.words import concepts, header_words

__all__ = [
    "DATE_PATTERN",
    "Candidate",
    "Profile",
    "looks_like_payments",
    "profile_columns",
    "rank_roles",
    "role_score",
]

#: Rows of a file whose content is checked (content evidence never needs every row).
SAMPLE_ROWS: Final = 1000
_ALIAS_SCORE: Final = 95.0
#: Below this many filled rows, a client column with a single value is a small file's one
#: client, not the issuing company repeated.
_FEW_ROWS: Final = 20
#: On equal scores, the earlier role wins (net before total; line before document amount).
ROLE_PRIORITY: Final = (
    "doc_number",
    "date",
    "client_code",
    "tax_id",
    "client_name",
    "net",
    "exempt",
    "amount",
    "units",
    "unit_price",
    "total",
    "vat_amount",
    "vat_pct",
    "discount_pct",
    "discount_amount",
    "withholding",
    "status",
    "doc_type",
    "series",
    "currency",
    "product",
    "due_date",
    "paid_date",
    "paid_amount",
    "cost",
    "margin",
)
_MONEY: Final = frozenset(MONEY_ROLES) - {"unit_price"}
_NUMERIC_RE: Final = r"^[+-]?\(?[0-9][0-9.,' ]*\)?-?$|^[+-]?[.,][0-9]+$"
_CURRENCY_STRIP: Final = r"(?i)[\s\u00a0\u202f€$£¥%]|\b(eur|usd|gbp|clp|mxn|cop|ars|pen|brl)\b"
DATE_PATTERN: Final = (
    r"^\s*([0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}|[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{2,4}"
    r"|(19|20)[0-9]{6}|[0-9]{5}(\.[0-9]+)?"
    r"|[0-9]{1,2}[-/. ]+(de\s+)?[A-Za-zé]{3,10}\.?[-/. ]+(de\s+)?[0-9]{2,4}"
    r"|[A-Za-z]{3,10}\.?[-/. ]+[0-9]{1,2},?[-/. ]+[0-9]{2,4}"
    rf"|{MONTH_FORMS})"  # a month without a day (decision 0953)
    r"([ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?\s*([AaPp][Mm])?"
    r"\s*(Z|UTC|GMT|[+-][0-9]{2}:?[0-9]{2}|[A-Z]{3,4})?\s*((hs|hrs|h)\.?)?)?\s*$"
)
_CURRENCY_VALUE_RE: Final = r"^\s*([A-Z]{3}|[€$£¥]|US\$|R\$|S/)\s*$"
#: Distinct values kept per column (:attr:`Profile.values`).
_DISTINCT_VALUES: Final = 30
#: A status column whose values are documents' states (paid, voided...) over one of a
#: shipment's or a line's (:data:`cartera.io.aliases.DOCUMENT_STATUS`).
_STATUS_WORDS_BONUS: Final = 10.0
_DOCUMENT_STATUS: Final = tuple(sorted(DOCUMENT_STATUS))
#: Every word a document's state starts with (:func:`_document_states`): the statuses
#: known, and states that say nothing of payment (``closed`` is paid in Recurly and
#: QuickBooks, refunded in Magento).
_STATE_WORDS: Final = tuple(
    sorted(DOCUMENT_STATUS | PAID_STATUS | OWED_STATUS | {"closed", "complete", "processing"})
)
#: ``#1001``: a web shop's order number.
_ORDER_NUMBER_RE: Final = re.compile(r"^#\s?[0-9]+$")
#: Share of a column's first values that must look like ``#1001``.
_ORDER_NUMBER_SHARE: Final = 0.9
#: Below a header alias or rule for the role, above nothing.
_ORDER_NUMBER_SCORE: Final = 70.0
#: One word with a digit in it: a code (``cus_9s8d7f``, ``C-0042``, ``4300012``).
_CODE_RE: Final = re.compile(r"^\S*[0-9]\S*$")
_CODE_SHARE: Final = 0.9
#: A column of only these values is a yes/no flag (FacturaScripts' «pagada»).
_FLAGS: Final = frozenset({"0", "1", "true", "false", "True", "False", "TRUE", "FALSE"})
#: Distinct values a code column has at least (fewer are a flag).
_CODE_DISTINCT: Final = 3
#: Several words and no digit.
_PHRASE_RE: Final = re.compile(r"^[^0-9\s]+(\s+[^0-9\s]+)+$")
#: Tax ids are longer (NIF 9, RFC 12–13, VAT numbers 8–14); ``T1`` is a VAT code.
_TAX_ID_MIN: Final = 4
#: A client name column whose values are codes loses to one whose values are names.
_CODES_AS_NAMES: Final = 10.0


@dataclass(frozen=True)
class Profile:
    """What a sample of one column holds (fractions are of its non-empty cells)."""

    filled: float
    distinct: int
    numeric: float
    datelike: float
    max_abs: float | None
    currency_codes: float
    rows: int
    examples: tuple[str, ...] = ()
    letters: float = 1.0
    #: The first distinct values, in order of appearance.
    values: tuple[str, ...] = ()
    #: The labels of a grouped report, filled down (:mod:`cartera.io.groups`).
    group_labels: bool = False


@dataclass(frozen=True)
class Candidate:
    """One column for one role: its score and why (a message id and its params)."""

    role: str
    column: int
    score: float
    reason: str
    params: dict[str, object]
    veto: str | None = None


def profile_columns(sample: pl.DataFrame, columns: list[str]) -> list[Profile]:
    """A :class:`Profile` per column of ``sample`` (text cells).

    The sample is unpivoted into one long column so that each pattern is compiled and run
    once for every column together."""
    rows = sample.height
    if not columns:
        return []
    long = (
        sample.select(columns)
        .unpivot(variable_name="c", value_name="v")
        .with_columns(pl.col("v").str.strip_chars())
        .filter(pl.col("v").is_not_null() & (pl.col("v") != ""))
    )
    cleaned = pl.col("v").str.replace_all(_CURRENCY_STRIP, "")
    # A rough magnitude: the last separator is the decimal mark, the others group digits
    # (``33.280,67`` → 33280.67, ``1,48,500.00`` → 148500); ``21.000`` stays 21.
    digits = cleaned.str.replace_all(r"[^0-9.,-]", "")
    whole = digits.str.replace(r"[.,][0-9]*$", "").str.replace_all(r"[.,]", "")
    number = whole + "." + digits.str.extract(r"[.,]([0-9]*)$", 1).fill_null("0")
    stats = (
        long.with_columns(
            cleaned.str.contains(_NUMERIC_RE).alias("n"),
            pl.col("v").str.contains(DATE_PATTERN).alias("t"),
            pl.col("v").str.contains(_CURRENCY_VALUE_RE).alias("k"),
            pl.col("v").str.contains(r"\p{L}").alias("l"),
            number.str.extract(r"^(-?[0-9]+(\.[0-9]+)?)", 1)
            .cast(pl.Float64, strict=False)
            .abs()
            .alias("m"),
        )
        .group_by("c")
        .agg(
            pl.len().alias("f"),
            pl.col("v").n_unique().alias("d"),
            pl.col("n").sum(),
            pl.col("t").sum(),
            pl.col("k").sum(),
            pl.col("l").sum(),
            pl.col("m").max(),
            pl.col("v").head(20).alias("e"),
            pl.col("v").unique(maintain_order=True).head(_DISTINCT_VALUES).alias("u"),
        )
    )
    by_col = {r["c"]: r for r in stats.iter_rows(named=True)}
    out = []
    for c in columns:
        r = by_col.get(c)
        filled = int(r["f"]) if r else 0
        base = max(filled, 1)
        out.append(
            Profile(
                filled=filled / rows if rows else 0.0,
                distinct=int(r["d"]) if r else 0,
                numeric=int(r["n"]) / base if r else 0.0,
                datelike=int(r["t"]) / base if r else 0.0,
                max_abs=r["m"] if r else None,
                currency_codes=int(r["k"]) / base if r else 0.0,
                rows=rows,
                examples=tuple(r["e"]) if r else (),
                letters=int(r["l"]) / base if r else 0.0,
                values=tuple(r["u"]) if r else (),
            )
        )
    return out


@cache
def _alias_rank(table: str) -> dict[str, tuple[str, int]]:
    index: dict[str, tuple[str, int]] = {}
    for role, aliases in ALIASES[table].items():
        for priority, alias in enumerate(aliases):
            index.setdefault(normalise_header(alias), (role, priority))
    return index


def _bare_payment_number(table: str, role: str, header: str) -> bool:
    """A payments file's bare «Number» / «Número» is the payment's own, not its invoice's."""
    return table == "payments" and role == "doc_number" and "DOC" not in concepts(header)


def looks_like_payments(headers: list[str]) -> bool:
    """Headers of a payments register (a payment method or journal column, no invoice
    amounts): Odoo's payments list, a bank's receipts."""
    cs = [concepts(h) for h in headers]
    words = [header_words(h) for h in headers]
    method = any(
        ("PAID" in c and any(m in w for m in ("method", "metodo", "medio", "forma")))
        or w in (("journal",), ("diario",))
        for c, w in zip(cs, words, strict=True)
    )
    invoice_money = any(c & {"NET", "TAX", "DUE"} for c in cs)
    return method and not invoice_money


#: Machine headers, compared as written, whose role differs from the same words written
#: for people: Amazon's flat-file «item-price» is the line's price for its quantity, where
#: Zoho's «Item Price» is a unit price.
_EXACT: Final[dict[str, str]] = {"item-price": "amount"}


def role_score(table: str, role: str, header: str) -> tuple[float, str, dict[str, object]]:
    """The header's score for ``role`` of ``table`` (0 when it does not fit) and why."""
    exact = _EXACT.get(header.strip()) if table == "documents" else None
    if exact is not None:
        return (_ALIAS_SCORE if role == exact else 0.0), N_("a usual header for this role"), {}
    alias = _alias_rank(table).get(normalise_header(header))
    if alias is not None and alias[0] == role and not _bare_payment_number(table, role, header):
        return _ALIAS_SCORE - 0.1 * alias[1], N_("a usual header for this role"), {}
    rule = RULES.get(table, {}).get(role)
    if rule is None:
        return 0.0, "", {}
    score = rule(concepts(header), header_words(header))
    words = " ".join(header_words(header))
    return float(score), N_("header words «{words}»"), {"words": words}


#: VAT and sales-tax rates in use (percent): a column holding only these, on enough rows,
#: is a rate column whatever its header says («IVA» holding 21 and 10).
_RATES: Final = frozenset({0, 2, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22,
                           23, 24, 25, 27})  # fmt: skip
#: Rows and distinct values from which a column of rates is told from small amounts.
_RATE_ROWS: Final = 5
_RATE_VALUES: Final = 4


def _tax_rates(profile: Profile) -> bool:
    """Whether a column's values are tax rates: some written with «%», or, on at least
    :data:`_RATE_ROWS` rows, at most :data:`_RATE_VALUES` values, every one a usual rate."""
    values = [v.strip() for v in profile.values if v.strip()]
    if not values:
        return False
    if any(v.endswith("%") for v in values):
        return True
    if profile.rows < _RATE_ROWS or len(values) > _RATE_VALUES:
        return False
    numbers = [v.replace(",", ".") for v in values]
    try:
        return all(float(n) in _RATES for n in numbers)
    except ValueError:
        return False


def _veto(role: str, header: str, profile: Profile | None) -> str | None:
    """Why the content rules ``role`` out for this column (a message id), else None."""
    if profile is None or profile.rows == 0:
        return None
    if profile.filled == 0:
        return N_("the column is empty")
    if role in DATE_ROLES and profile.datelike < 0.8:
        return N_("its values are not dates")
    if role == "date" and profile.filled < 0.5:
        return N_("mostly empty, so it is not the document date")
    if role in NUMBER_ROLES | {"exempt"} and profile.numeric < 0.8:
        return N_("its values are not numbers")
    if role in _MONEY and "%" in header:
        return N_("a % column is a rate, not an amount")
    if role in ("vat_pct", "discount_pct") and (profile.max_abs or 0) > 100:
        return N_("values above 100 are not a rate")
    if role == "vat_amount" and _tax_rates(profile):
        return N_("its values are tax rates, not amounts")
    if role in _MONEY and profile.values and {v.strip() for v in profile.values} <= _FLAGS:
        return N_("its values are a yes/no flag, not an amount")
    if role == "product" and _document_kinds(profile):
        return N_("its values are kinds of document, not products")
    if role == "client_code" and _phrases(profile):
        return N_("its values are phrases, not codes")
    if (
        role == "tax_id"
        and profile.values
        and all(len(v.strip()) < _TAX_ID_MIN for v in profile.values)
    ):
        return N_("its values are too short for tax ids")
    client = role in ("client_code", "tax_id", "client_name")
    if client and profile.distinct == 1 and profile.filled * profile.rows >= _FEW_ROWS:
        return N_("one value on every row, so it is not the client")
    if role == "client_name" and profile.letters < 0.1:
        return N_("its values have no letters, so they are not names")
    if role == "image" and profile.distinct > 4:
        return N_("too many different values for a yes/no flag")
    if role == "status" and profile.distinct > 30:
        return N_("too many different values for a status")
    if role == "currency" and profile.currency_codes < 0.8:
        return N_("its values are not currency codes")
    return None


def _content_bonus(role: str, profile: Profile | None) -> float:
    if profile is None:
        return 0.0
    bonus = 2.0 * profile.filled
    if role == "client_name" and _code_like(profile):
        bonus -= _CODES_AS_NAMES
    if role == "status" and any(
        normalise_word(v).startswith(_DOCUMENT_STATUS) for v in profile.values
    ):
        bonus += _STATUS_WORDS_BONUS
    if role == "doc_number" and profile.filled < 0.5:
        bonus -= 20
    if role in ("client_code", "tax_id", "client_name") and profile.filled < 0.3:
        bonus -= 30
    return bonus


def _content_score(
    table: str, role: str, header: str, profile: Profile | None
) -> tuple[float, str, dict[str, object]]:
    """A score from the values, for a header that says nothing of ``role``: web shops write
    their order numbers (``#1001``) under «Name» or «Order»; payment platforms their
    customers' codes (``cus_9s8d7f``) under «Customer»."""
    if profile is None or not profile.examples:
        return 0.0, "", {}
    if table == "documents" and role == "doc_number":
        numbered = sum(_ORDER_NUMBER_RE.match(e.strip()) is not None for e in profile.examples)
        if numbered < _ORDER_NUMBER_SHARE * len(profile.examples):
            return 0.0, "", {}
        return (
            _ORDER_NUMBER_SCORE,
            N_("values such as «{example}» are document numbers"),
            {"example": profile.examples[0].strip()},
        )
    if table == "documents" and role == "doc_type" and _document_kinds(profile):
        return (
            _ORDER_NUMBER_SCORE,
            N_("values such as «{example}» are document types"),
            {"example": profile.values[0].strip()},
        )
    # Recurly's «state»: a header that names no status, values that are documents' states.
    if table == "documents" and role == "status" and _document_states(profile):
        return (
            _ORDER_NUMBER_SCORE,
            N_("values such as «{example}» are document statuses"),
            {"example": profile.values[0].strip()},
        )
    # Only a bare client header («Customer», «Cliente»): «NIF Destinatario / Tipo» is not.
    if role == "client_code" and concepts(header) == {"CLIENT"} and _code_like(profile):
        return (
            _ORDER_NUMBER_SCORE,
            N_("values such as «{example}» are codes"),
            {"example": profile.examples[0].strip()},
        )
    return 0.0, "", {}


#: Words that start a document type's name (plain: lower case, letters only).
_KIND_WORDS: Final = (
    "factura", "invoice", "devolucion", "abono", "notadecredito", "notadedebito", "creditnote",
    "creditmemo", "debitnote", "rectificativa", "boleta", "salesreceipt", "refund",
)  # fmt: skip


def _document_kinds(profile: Profile) -> bool:
    """Whether every distinct value of a column names a kind of document (CONTPAQi writes
    «Factura» and «Devolución» under «Concepto»), with a credit kind among them."""
    plain = [normalise_word(v) for v in profile.values if v.strip()]
    return (
        bool(plain)
        and all(p.startswith(_KIND_WORDS) for p in plain)
        and any(re.search(CREDIT_PATTERN, p) is not None for p in plain)
    )


def _document_states(profile: Profile) -> bool:
    """Whether every distinct value of a column (two at least) is a document's state
    (:data:`_STATE_WORDS`: ``paid``, ``voided``, ``past_due``, ``closed``…; decision 0953)."""
    plain = [normalise_word(v) for v in profile.values if v.strip()]
    return len(plain) >= 2 and all(p.startswith(_STATE_WORDS) for p in plain)


def _code_like(profile: Profile) -> bool:
    """Whether a column's distinct values are codes rather than names: at least
    :data:`_CODE_SHARE` of them one word holding a digit (``cus_9s8d7f``, ``C-0042``)."""
    values = [v.strip() for v in profile.values if v.strip()]
    coded = sum(_CODE_RE.match(v) is not None for v in values)
    # A yes/no flag of 0 and 1 (PrestaShop's «New client») is not a code.
    return len(values) >= _CODE_DISTINCT and coded >= _CODE_SHARE * len(values)


def _phrases(profile: Profile) -> bool:
    """Whether a column's distinct values are phrases (several words, no digit) rather than
    codes: a ledger account's name («Accounts Receivable (A/R)») under «Account»."""
    values = [v.strip() for v in profile.values if v.strip()]
    worded = sum(_PHRASE_RE.match(v) is not None for v in values)
    return bool(values) and worded >= _CODE_SHARE * len(values)


def rank_roles(
    table: str,
    headers: list[str],
    profiles: list[Profile] | None,
    skip: set[int],
) -> dict[str, list[Candidate]]:
    """Per role of ``table``: every column that fits, best first (vetoed ones last)."""
    out: dict[str, list[Candidate]] = {}
    roles: list[str] = [
        r for r in ROLE_PRIORITY if r in ALIASES[table] or r in RULES.get(table, {})
    ]
    roles += [r for r in ALIASES[table] if r not in roles]
    for role in roles:
        found: list[Candidate] = []
        for i, header in enumerate(headers):
            if i in skip:
                continue
            score, reason, params = role_score(table, role, header)
            profile = profiles[i] if profiles else None
            if score <= 0:
                score, reason, params = _content_score(table, role, header, profile)
            if score <= 0:
                continue
            veto = _veto(role, header, profile)
            score += _content_bonus(role, profile)
            found.append(Candidate(role, i, score, reason, params, veto))
        found.sort(key=lambda c: (c.veto is not None, -c.score, c.column))
        if found:
            out[role] = found
    return out


_UNIT_RE: Final = re.compile(r"\((€|\$|£|[A-Z]{3})\)|\s(€|\$|£)$")


_CURRENCY_WORDS: Final = {
    "dollar": "USD",
    "dollars": "USD",
    "usd": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "eur": "EUR",
    "gbp": "GBP",
    "clp": "CLP",
    "mxn": "MXN",
}


def header_currency(header: str, dollar: str = "USD") -> str | None:
    """A currency written in a header (``Base Imponible (€)`` → ``EUR``; ``($)`` →
    ``dollar``), else None."""
    match = _UNIT_RE.search(header)
    if not match:
        words = header_words(header)
        named = [_CURRENCY_WORDS[w] for w in words if w in _CURRENCY_WORDS]
        return named[0] if named else None
    text = next(g for g in match.groups() if g)
    return {"€": "EUR", "$": dollar, "£": "GBP"}.get(text, text)
