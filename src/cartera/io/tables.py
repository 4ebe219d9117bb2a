"""From typed role columns to the canonical columns of each table (one file at a time).

Input: a :class:`Typed` frame (``__row`` + role columns). Output: a frame with
the canonical columns of :mod:`cartera.schema` that a single file can know
(``client_key``, ``first_line`` and payments are settled later, across
files, by :mod:`cartera.io.assemble`), ``__row`` and ``__ck`` (a hash of the row's
client columns), the file's distinct clients (``Part.ids``), and more issues and notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

import polars as pl

from cartera.i18n import N_
from cartera.io import rows
from cartera.io.aliases import (
    AFIP_CREDIT_CODES,
    CREDIT_PATTERN,
    EXTRA_ROLES,
    FALSE_WORDS,
    KIND_WORDS,
    TRUE_WORDS,
)
from cartera.io.currency import split_currencies, to_base
from cartera.io.identity import IDENTITY, identity_columns, local_id, plain_text
from cartera.io.mapping import CurrencyMapping
from cartera.io.parse import Note, distinct_texts, issue_frame
from cartera.io.source import ROW
from cartera.io.taxes import (
    Change,
    agrees,
    discount_in_money,
    extras_decided,
    total_after_withholding,
    untaxed_totals,
)
from cartera.io.words import header_words

if TYPE_CHECKING:
    from cartera.io.part_ranges import SpilledPart

__all__ = [
    "MISSING",
    "FileDecisions",
    "Part",
    "activities_part",
    "clients_part",
    "doc_key",
    "documents_part",
    "payments_part",
]

_CREDIT_RE = CREDIT_PATTERN
#: Credit notes by their number: a rectifying series (``R1``, ``AB-7``, ``NC 12``), or
#: Argentina's credit notes with their class letter (``NC A 0002-00000005``, ``N/C B-12``).
_R_SERIES = (
    r"(?i)^(R|RE|REC|RECT|RECTIF|AB|ABO|ABONO|NC)([-/ .]?\d|$)"
    r"|^(NC|N/C)[-/ .]?[ABCEM][-/ .]?\d"
)
MISSING = N_("empty, but a value is required")
#: Lines without a client are left out, with a note, up to this share of a file's lines and
#: of its amount (anonymous retail sales); above it they are refused (decision 0110).
ANONYMOUS_SHARE: Final = 0.05


@dataclass
class Part:
    """One file's contribution to a table: its rows in ``frame``, or, when ``spilled``, in
    Parquet files by range of document hashes (``frame`` then empty, with the columns)."""

    frame: pl.DataFrame
    issues: list[pl.LazyFrame] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    ids: pl.DataFrame | None = None
    currency: str | None = None
    spilled: SpilledPart | None = None

    @property
    def height(self) -> int:
        """The part's (accepted) rows."""
        return self.spilled.height if self.spilled is not None else self.frame.height


@dataclass(frozen=True)
class FileDecisions:
    """What :func:`documents_part` decides over a whole file, fixed for one segment of it
    (:mod:`cartera.io.segment_parts`): the file's first lines, from which document figures
    and numbers keyed by type are told, and whether VAT is a fraction (the whole column's
    largest absolute value ≤ 1)."""

    sample: pl.DataFrame
    vat_fraction: bool


def vat_fraction(frame: pl.DataFrame, fixed: FileDecisions | None = None) -> bool:
    """Whether ``vat_pct`` holds fractions (0.21) rather than percentages (21)."""
    if fixed is not None:
        return fixed.vat_fraction
    return bool((frame["vat_pct"].abs().max() or 0) <= 1)  # type: ignore[operator]


def with_identity(frame: pl.DataFrame, roles: set[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Client identity, worked out once per distinct client rather than once per row.

    Returns ``frame`` with ``__ck`` (a hash of its raw client columns) and the
    distinct clients ``ids``: ``__ck, __code, __tax, __name, __dname, __dtax,
    __lid`` (normalised identity, name and tax id as written, and a hash of
    the client's own id, null when it has none). When every row has a code,
    ``__tax`` and ``__name`` are left empty until linking needs them. Integer keys make the joins
    over millions of rows cheap.
    """
    keys = [r for r in ("client_code", "tax_id", "client_name") if r in roles]
    frame = frame.with_columns(pl.struct(keys).hash(seed=11).alias("__ck"))
    # The first row of each client (cheaper than unique(keep="any"), and in file order).
    first = frame.select("__ck", *keys).filter(pl.col("__ck").is_first_distinct())
    # With a code on every row the code is the identity; the tax id and name forms
    # (costly text clean-up) are worked out later only if another table needs them
    # (see :func:`cartera.io.identity.complete_identity`).
    ids = first.with_columns(identity_columns(roles & {"client_code"} or roles))
    if "client_code" in roles and ids.get_column("__code").null_count():
        ids = first.with_columns(identity_columns(roles))
    ids = _final_consumer(ids, roles)
    lid = local_id()
    ids = ids.select(
        "__ck",
        *IDENTITY,
        (
            pl.col("client_name").str.strip_chars()
            if "client_name" in roles
            else _null(pl.String())
        ).alias("__dname"),
        (pl.col("tax_id") if "tax_id" in roles else _null(pl.String())).alias("__dtax"),
        pl.when(lid.is_null()).then(None).otherwise(lid.hash(seed=13)).alias("__lid"),
    )
    final = (pl.col("__name") == FINAL_CONSUMER.lower()) & pl.col("__dname").is_null()
    zero = pl.col("__dtax").str.contains(r"^[\s0.\-]+$").fill_null(False)
    ids = ids.with_columns(
        pl.when(final).then(pl.lit(FINAL_CONSUMER)).otherwise(pl.col("__dname")).alias("__dname"),
        pl.when(zero).then(None).otherwise(pl.col("__dtax")).alias("__dtax"),
    )
    return frame, ids


#: The name given to sales whose tax id is all zeros and that name nobody (Argentina's
#: «Consumidor final», document type 99, number 0): one client, as the firm's books have it.
FINAL_CONSUMER: Final = "Consumidor final"


def _final_consumer(ids: pl.DataFrame, roles: set[str]) -> pl.DataFrame:
    """A tax id of zeros is no one's (decision 0954): it never joins clients who have a
    name, and rows with nothing else are the final consumer, one client."""
    if "tax_id" not in roles or ids.get_column("__tax").null_count() == ids.height:
        return ids
    zero = pl.col("__tax").str.contains(r"^0+$").fill_null(False)
    final = zero & pl.col("__code").is_null() & pl.col("__name").is_null()
    return ids.with_columns(
        pl.when(zero).then(None).otherwise(pl.col("__tax")).alias("__tax"),
        pl.when(final)
        .then(pl.lit(FINAL_CONSUMER.lower()))
        .otherwise(pl.col("__name"))
        .alias("__name"),
    )


def doc_key() -> pl.Expr:
    """``__doc``, a 64-bit hash of the document number: windows and joins over integers are
    much faster than over strings, and a collision among millions of numbers is below 1e-7.
    Documents get it once, here, for the duplicate check and the per-document figures."""
    return pl.col("doc_number").hash(seed=7).alias("__doc")


def _credit_by_type(frame: pl.DataFrame, headers: dict[str, str]) -> pl.Expr:
    """Whether the type column says credit note / return (decided once per distinct word).
    Beside a point of sale, types written as numbers are Argentina's AFIP codes, whose
    credit notes are :data:`cartera.io.aliases.AFIP_CREDIT_CODES` (decision 0954)."""
    words = frame.select(distinct_texts("doc_type")).to_series()
    if _afip_codes(headers, words):
        credit = words.str.strip_chars().str.strip_chars_start("0").is_in(AFIP_CREDIT_CODES)
    else:
        credit = pl.DataFrame({"w": words}).select(
            plain_text(pl.col("w")).str.contains(_CREDIT_RE)
        )["w"]
    return pl.col("doc_type").replace_strict(words, credit, default=False, return_dtype=pl.Boolean)


def _afip_codes(headers: dict[str, str], words: pl.Series) -> bool:
    """Types written as numbers beside a point of sale («Punto de Venta»: Argentina)."""
    series = set(header_words(headers.get("series", "")))
    point_of_sale = {"punto", "venta"} <= series or {"pto", "vta"} <= series
    return point_of_sale and rows.numeric_types(words)


def _null(dtype: pl.DataType) -> pl.Expr:
    return pl.lit(None, dtype)


def _has(frame: pl.DataFrame, role: str) -> bool:
    return role in frame.columns


def _doc_number(frame: pl.DataFrame) -> pl.Expr:
    """Series and number as one id: ``A`` + ``123`` → ``A-123`` (``A123`` kept as it is)."""
    number = pl.col("doc_number").str.strip_chars()
    if not _has(frame, "series"):
        return number
    series = pl.col("series").str.strip_chars()
    joined = (
        pl.when(series.is_null() | number.str.starts_with(series))
        .then(number)
        .otherwise(series + "-" + number)
    )
    return joined


#: Numbers found in more than one year from which a file's numbering restarts each year.
RESTARTED_NUMBERS: Final = 2


def _restarts_yearly(frame: pl.DataFrame, number: pl.Expr) -> bool:
    """Whether the invoice numbers start again each year (decision 0952): a hand-made book
    kept over several years with numbers 1, 2, 3… each year and no series column. At least
    :data:`RESTARTED_NUMBERS` numbers are each found in more than one year."""
    if _has(frame, "series") or not _has(frame, "date") or frame.height == 0:
        return False
    years = (
        frame.select(number.alias("n"), pl.col("date").dt.year().alias("y"))
        .drop_nulls()
        .group_by("n")
        .agg(pl.col("y").n_unique().alias("k"))
    )
    return bool(years.select((pl.col("k") > 1).sum()).item() >= RESTARTED_NUMBERS)


def _missing_issue(frame: pl.DataFrame, role: str, headers: dict[str, str]) -> pl.LazyFrame:
    return issue_frame(
        frame, pl.col(role).is_null(), headers[role], pl.lit(None, pl.String), MISSING
    )


def _client_issue(frame: pl.DataFrame, ids: pl.DataFrame, headers: dict[str, str]) -> pl.LazyFrame:
    columns = " / ".join(
        headers[r] for r in ("client_code", "tax_id", "client_name") if r in headers
    )
    return issue_frame(
        frame,
        pl.col("__ck").is_in(ids.filter(pl.col("__lid").is_null())["__ck"].implode()),
        columns,
        pl.lit(None, pl.String),
        N_("no client: the row has no client code, tax id or name"),
    )


def _amount_source(
    frame: pl.DataFrame, headers: dict[str, str], fixed: FileDecisions | None = None
) -> tuple[pl.Expr, str, list[Note]]:
    """The net amount expression, the role it reads, and a note saying what was used."""
    vat = pl.col("vat_pct")
    if _has(frame, "vat_pct") and vat_fraction(frame, fixed):
        vat = vat * 100  # fractions (0.21) rather than percentages (21)
    if _has(frame, "net"):
        notes = []
        if _has(frame, "total"):
            notes.append(
                Note(
                    N_("used «{net}» as the net amount (before tax), not «{total}»"),
                    {"net": headers["net"], "total": headers["total"]},
                )
            )
        return _less_discount(frame, "net", headers, fixed, notes)
    if _has(frame, "amount"):
        shown_by = _includes_tax(frame, fixed)
        if shown_by is not None:
            note = Note(
                N_(
                    "«{amount}» includes «{vat}» (it equals «{other}» plus the tax on the "
                    "rows with tax): the net amount is «{amount}» minus «{vat}»"
                )
                if shown_by == "total"
                else N_(
                    "«{amount}» includes «{vat}» (the invoices paid in full were paid "
                    "«{amount}»): the net amount is «{amount}» minus «{vat}»"
                ),
                {
                    "amount": headers["amount"],
                    "vat": headers["vat_amount"],
                    "other": headers.get(shown_by, ""),
                },
            )
            return pl.col("amount") - pl.col("vat_amount").fill_null(0), "amount", [note]
        note = Note(
            N_("used «{column}» as the net amount (before tax)"), {"column": headers["amount"]}
        )
        return _less_discount(frame, "amount", headers, fixed, [note])
    if _has(frame, "total") and _has(frame, "vat_amount"):
        net = pl.col("total") - pl.col("vat_amount").fill_null(0)
        names: dict[str, object] = {"total": headers["total"], "vat": headers["vat_amount"]}
        if not _has(frame, "withholding"):
            note = Note(N_("net amount derived from «{total}» minus «{vat}»"), names)
            return net, "total", [note]
        names["withheld"] = headers["withholding"]
        if total_after_withholding(fixed.sample if fixed is not None else frame):
            note = Note(
                N_("net amount derived from «{total}» minus «{vat}» plus «{withheld}»"), names
            )
            return net + pl.col("withholding").fill_null(0).abs(), "total", [note]
        note = Note(
            N_("net amount derived from «{total}» minus «{vat}»: «{total}» is before «{withheld}»"),
            names,
        )
        return net, "total", [note]
    if _has(frame, "total") and _has(frame, "vat_pct"):
        note = Note(
            N_("net amount derived from «{total}» and «{vat}»"),
            {"total": headers["total"], "vat": headers["vat_pct"]},
        )
        return pl.col("total") / (1 + vat.fill_null(0) / 100), "total", [note]
    if _has(frame, "total"):
        note = Note(
            N_("only «{total}» was found: amounts may include tax"), {"total": headers["total"]}
        )
        return pl.col("total"), "total", [note]
    units = pl.col("units") if _has(frame, "units") else pl.lit(1.0)
    discount = (
        (1 - pl.col("discount_pct").fill_null(0) / 100)
        if _has(frame, "discount_pct")
        else pl.lit(1.0)
    )
    note = Note(
        N_("net amount computed as «{price}» × units less discount"),
        {"price": headers["unit_price"]},
    )
    return pl.col("unit_price") * units * discount, "unit_price", [note]


#: Share of the discounted lines whose total must agree with the amount less its discount.
DISCOUNT_AGREEMENT: Final = 0.8
#: Share of the taxed rows that must show an amount to include its tax (decision 0953).
GROSS_AGREEMENT: Final = 0.8


def _includes_tax(frame: pl.DataFrame, fixed: FileDecisions | None) -> str | None:
    """Which column shows that a file's generic amount (``amount``: Invoice Ninja's and
    Harvest's «Invoice Amount», Razorpay's ``amount``) includes its tax amount (decision
    0953), or None: ``total`` when, on at least :data:`GROSS_AGREEMENT` of the rows with
    tax, amount = that column + tax and not amount + tax = it (Razorpay's ``gross_amount``
    is before tax); ``paid_amount`` when, of the rows with tax paid in full (the paid
    amount equals the amount or the amount plus tax), that share was paid the amount:
    clients pay what includes the tax."""
    sample = fixed.sample if fixed is not None else frame
    if not {"amount", "vat_amount"} <= set(sample.columns):
        return None
    amount, tax = pl.col("amount"), pl.col("vat_amount")
    taxed = sample.filter((tax != 0) & amount.is_not_null())

    def near(a: pl.Expr, b: pl.Expr) -> pl.Expr:
        return agrees(a, b, amount)

    if "total" in sample.columns:
        other = pl.col("total")
        gross, net, n = (
            taxed.filter(other.is_not_null())
            .select(
                near(amount, other + tax).mean().alias("gross"),
                near(amount + tax, other).mean().alias("net"),
                pl.len(),
            )
            .row(0)
        )
        if n and gross >= GROSS_AGREEMENT and net < GROSS_AGREEMENT:
            return "total"
    if "paid_amount" in sample.columns:
        paid = pl.col("paid_amount")
        full = taxed.filter(near(paid, amount) | near(paid, amount + tax))
        whole, n = full.select(near(paid, amount).mean().alias("whole"), pl.len()).row(0)
        if n and whole >= GROSS_AGREEMENT:
            return "paid_amount"
    return None


def _less_discount(
    frame: pl.DataFrame,
    source: str,
    headers: dict[str, str],
    fixed: FileDecisions | None,
    notes: list[Note],
) -> tuple[pl.Expr, str, list[Note]]:
    """``source`` less a discount amount column when the file's totals say the amount is
    before the discount (decision 0951): on at least :data:`DISCOUNT_AGREEMENT` of the
    lines with a discount, amount − discount + tax is the total, and amount + tax is not.
    Without a total nothing tells, and the amount stays as written."""
    amount = pl.col(source)
    # Beside a net, a generic amount (Harvest's «Invoice Amount») is the total to check.
    checked_by = "total" if _has(frame, "total") else "amount" if source == "net" else None
    if not (_has(frame, "discount_amount") and checked_by and _has(frame, checked_by)):
        return amount, source, notes
    sample = fixed.sample if fixed is not None else frame
    if "discount_amount" not in sample.columns or checked_by not in sample.columns:
        return amount, source, notes
    d = pl.col("discount_amount")
    tax = pl.col("vat_amount").fill_null(0) if "vat_amount" in sample.columns else pl.lit(0.0)
    if "withholding" in sample.columns:  # total = net − discount + tax − withholding
        tax = tax - pl.col("withholding").fill_null(0).abs()
    total = pl.col(checked_by)
    checked = sample.filter((d != 0) & total.is_not_null() & amount.is_not_null()).select(
        agrees(amount - d + tax, total, total).mean().alias("after"),
        agrees(amount + tax, total, total).mean().alias("before"),
        pl.len().alias("n"),
    )
    after, before, n = checked.row(0)
    if not n or (after or 0) < DISCOUNT_AGREEMENT or (before or 0) >= DISCOUNT_AGREEMENT:
        return amount, source, notes
    note = Note(
        N_("«{discount}» taken off «{amount}»: the totals agree only after the discount"),
        {"discount": headers["discount_amount"], "amount": headers[source]},
    )
    return amount - d.fill_null(0), source, [*notes, note]


def _total(frame: pl.DataFrame, fixed: FileDecisions | None = None) -> pl.Expr:
    if _has(frame, "total"):
        return pl.col("total")
    if _has(frame, "vat_pct"):
        vat = pl.col("vat_pct")
        if vat_fraction(frame, fixed):
            vat = vat * 100
        return pl.col("__amount") * (1 + vat / 100)
    if _has(frame, "vat_amount"):
        return pl.col("__amount") + pl.col("vat_amount")
    return _null(pl.Float64())


def _list_amount(frame: pl.DataFrame) -> pl.Expr:
    if _has(frame, "unit_price") and _has(frame, "units"):
        return pl.col("unit_price") * pl.col("units")
    if _has(frame, "discount_pct"):
        return pl.when(pl.col("discount_pct") < 100).then(
            pl.col("__amount") / (1 - pl.col("discount_pct").fill_null(0) / 100)
        )
    return _null(pl.Float64())


def with_exempt(frame: pl.DataFrame, headers: dict[str, str]) -> tuple[pl.DataFrame, list[Note]]:
    """With exempt columns beside the net one (Chile's «Monto Exento», Argentina's «Neto No
    Gravado» and «Op. Exentas»), the net amount is their sum."""
    extras = [r for r in EXTRA_ROLES["exempt"] if _has(frame, r)]
    if not (_has(frame, "exempt") and _has(frame, "net")):
        return frame.drop(extras), []
    columns = ["net", "exempt", *extras]
    both = pl.all_horizontal(pl.col(c).is_null() for c in columns)
    summed = pl.sum_horizontal(pl.col(c).fill_null(0) for c in columns)
    note = Note(
        N_("the net amount is «{net}» plus «{exempt}»"),
        {"net": headers["net"], "exempt": "» + «".join(headers[c] for c in columns[1:])},
    )
    frame = frame.with_columns(pl.when(both).then(None).otherwise(summed).alias("net"))
    return frame.drop(extras), [note]


def _taxes_and_discount(
    frame: pl.DataFrame, headers: dict[str, str], fixed: FileDecisions | None
) -> tuple[pl.DataFrame, dict[str, str], FileDecisions | None, list[Note]]:
    """Further tax and withholding columns added up or left out, and a discount read as a
    rate turned into money when the totals say so (:mod:`cartera.io.taxes`), decided on the
    file's sample and applied to it too."""
    sample = fixed.sample if fixed is not None else frame
    change = extras_decided(sample, headers)
    headers = {**headers, **change.headers}
    frame, sample = change.apply(frame), change.apply(sample)
    if discount_in_money(sample):
        rename = Change([pl.col("discount_pct").alias("discount_amount")], ["discount_pct"])
        headers = {**headers, "discount_amount": headers["discount_pct"]}
        frame, sample = rename.apply(frame), rename.apply(sample)
    if fixed is not None:
        fixed = FileDecisions(sample, fixed.vat_fraction)
    return frame, headers, fixed, change.notes


def _untaxed(
    frame: pl.DataFrame, headers: dict[str, str], fixed: FileDecisions | None
) -> tuple[pl.DataFrame, FileDecisions | None, list[Note]]:
    """Net columns the issuer never fills take the total (:func:`taxes.untaxed_totals`),
    decided on the file's sample and applied to it too."""
    sample = fixed.sample if fixed is not None else frame
    frame, sample, notes = untaxed_totals(frame, headers, sample)
    if fixed is not None and notes:
        fixed = FileDecisions(sample, fixed.vat_fraction)
    return frame, fixed, notes


def _prepare(
    typed: pl.DataFrame,
    headers: dict[str, str],
    excluded: frozenset[str],
    fixed: FileDecisions | None = None,
) -> tuple[pl.DataFrame, pl.Expr, str, list[Note]]:
    """Rows and columns that are not revenue as they stand dealt with (:mod:`cartera.io.rows`),
    then the net amount expression, its role and the notes."""
    frame, notes = rows.number_continuations(typed)
    frame, more = rows.drop_structure_rows(rows.fill_document_fields(frame))
    notes += more
    frame, more = with_exempt(frame, headers)
    notes += more
    frame, headers, fixed, more = _taxes_and_discount(frame, headers, fixed)
    notes += more
    frame, fixed, more = _untaxed(frame, headers, fixed)
    notes += more
    sample = None if fixed is None else fixed.sample
    frame, more = rows.line_amounts(frame, headers, sample)
    notes += more
    amount, source, more = _amount_source(frame, headers, fixed)
    notes += more
    frame, more = rows.key_refunds(frame, amount)
    notes += more
    frame, more = rows.program_statuses(frame, headers, sample)
    notes += more
    frame, more = rows.drop_excluded_status(frame, headers.get("status", ""), amount, excluded)
    notes += more
    frame, more = rows.drop_not_sales(frame, headers, amount)
    notes += more
    frame, more = rows.drop_orphan_refunds(frame)
    notes += more
    frame, more = rows.key_by_type(frame, headers, sample)
    return frame, amount, source, notes + more


def _anonymous(
    frame: pl.DataFrame, ids: pl.DataFrame, headers: dict[str, str]
) -> tuple[pl.DataFrame, list[pl.LazyFrame], list[Note]]:
    """Lines without a client: left out with a note while they are at most
    :data:`ANONYMOUS_SHARE` of the lines and of the amount, else reported as issues."""
    if ids.get_column("__lid").null_count() == 0:
        return frame, [], []
    nameless = pl.col("__ck").is_in(ids.filter(pl.col("__lid").is_null())["__ck"].implode())
    lines, amount, all_amount = frame.select(
        nameless.sum().alias("lines"),
        pl.col("__amount").filter(nameless).abs().sum().alias("amount"),
        pl.col("__amount").abs().sum().alias("all"),
    ).row(0)
    if not lines:
        return frame, [], []
    if lines <= ANONYMOUS_SHARE * frame.height and (amount or 0) <= ANONYMOUS_SHARE * (
        all_amount or 0
    ):
        note = Note(
            N_("{lines} lines of {total}, {amount} in amount, have no client and were left out"),
            {"lines": lines, "total": frame.height, "amount": round(float(amount or 0), 2)},
        )
        return frame.filter(~nameless), [], [note]
    return frame, [_client_issue(frame, ids, headers)], []


def documents_part(
    typed: pl.DataFrame,
    headers: dict[str, str],
    excluded: frozenset[str] = rows.EXCLUDED_STATUS,
    *,
    file: str = "",
    keep_currency: str | None = None,
    written_currency: str | None = None,
    rates: CurrencyMapping | None = None,
    fixed: FileDecisions | None = None,
    dollar: str = "USD",
    country_currency: str | None = None,
) -> Part:
    """Documents of one file: ``__row, __ck, __lid, doc_number, date, amount, cost, units,
    list_amount, total, due_date, paid_date, paid_amount, product, __credit``.

    Continuation rows, excluded statuses, document figures and anonymous lines are dealt
    with first (:func:`_prepare`, :func:`_anonymous`); the mapping's ``rates`` convert every
    money column into their base currency unless ``keep_currency`` keeps one currency.
    ``fixed``: the file's decisions when ``typed`` is one segment of it; ``dollar``: what a
    bare ``$`` in the currency column means; ``country_currency``: the currency of the
    country the file's tax ids or headers name, used when it writes none
    (:mod:`cartera.io.country`)."""
    typed, amount, source, notes = _prepare(typed, headers, excluded, fixed)
    if rates is not None and keep_currency is None:
        typed, more = to_base(typed, file, rates.base, rates.rates, written_currency, dollar)
        notes += more
        written_currency = rates.base
    roles = set(typed.columns)
    frame, ids = with_identity(typed, roles)
    frame = frame.with_columns(amount.alias("__amount"))
    codes: list[str] = []
    if _has(frame, "currency"):
        frame, codes, more = split_currencies(
            frame, headers["currency"], file, keep_currency, dollar
        )
        notes += more
    currency = codes[0] if len(codes) == 1 else written_currency
    if currency is None and country_currency is not None:
        currency = country_currency
        notes.append(
            Note(
                N_(
                    "no currency is written in the file; its tax ids or tax headers say which "
                    "country it is from: the amounts are read as {currency} (--currency says "
                    "otherwise)"
                ),
                {"currency": currency},
            )
        )
    frame, client_issues, more = _anonymous(frame, ids, headers)
    notes += more
    issues = [*client_issues, _missing_issue(frame, "date", headers)]
    issues.append(
        issue_frame(
            frame,
            pl.col("__amount").is_null() & pl.col(source).is_null(),
            headers[source],
            pl.lit(None, pl.String),
            MISSING,
        )
    )
    if not _has(frame, "doc_number"):
        notes.append(
            Note(
                N_(
                    "no document number column: the lines of one client on one date count as "
                    "one document"
                )
            )
        )
        client = pl.coalesce(
            [
                pl.col(r).str.strip_chars()
                for r in ("client_code", "tax_id", "client_name")
                if r in roles
            ]
        )
        number = pl.concat_str(
            [pl.lit("#") + pl.col("date").cast(pl.String), client], separator=" ", ignore_nulls=True
        )
    else:
        number = _doc_number(frame)
        issues.append(_missing_issue(frame, "doc_number", headers))
        if fixed is None and _restarts_yearly(frame, number):
            number = pl.format("{}-{}", pl.col("date").dt.year(), number)
            notes.append(
                Note(
                    N_(
                        "invoice numbers start again each year in «{column}»: each is taken "
                        "with its year (2024-1)"
                    ),
                    {"column": headers["doc_number"]},
                )
            )
    cost = (
        pl.col("cost")
        if _has(frame, "cost")
        else (pl.col("__amount") - pl.col("margin"))
        if _has(frame, "margin")
        else _null(pl.Float64())
    )
    if not _has(frame, "cost") and not _has(frame, "margin"):
        notes.append(Note(N_("no cost or margin column: margins cannot be computed")))
    # No paid columns: a status saying paid or owed tells what is open (decision 0949).
    paid_flag = None if {"paid_amount", "paid_date"} & roles else rows.paid_by_status(frame)
    by_type = (
        _credit_by_type(frame, headers) if _has(frame, "doc_type") else pl.lit(None, pl.Boolean)
    )
    if _has(frame, "doc_type"):
        by_series = pl.lit(False)
    elif _has(frame, "series"):
        by_series = pl.col("series").str.contains(_R_SERIES)
    else:
        by_series = number.str.contains(_R_SERIES)
    out = frame.select(
        ROW,
        "__ck",
        number.alias("doc_number"),
        pl.col("date"),
        pl.col("__amount").alias("amount"),
        cost.alias("cost"),
        (pl.col("units") if "units" in roles else _null(pl.Float64())).alias("units"),
        _list_amount(frame).alias("list_amount"),
        _total(frame, fixed).alias("total"),
        *[
            (pl.col(r) if r in roles else _null(pl.Date())).alias(r)
            for r in ("due_date", "paid_date")
        ],
        (pl.col("paid_amount") if "paid_amount" in roles else _null(pl.Float64())).alias(
            "paid_amount"
        ),
        (pl.col("product") if "product" in roles else _null(pl.String())).alias("product"),
        (by_type | by_series).fill_null(False).alias("__credit"),
        *([] if paid_flag is None else [paid_flag.alias("__paid_flag")]),
    ).with_columns(doc_key())
    if paid_flag is not None:
        # Paid in full: the document's whole value (on each line, as a document figure).
        value = pl.coalesce("total", "amount").sum().over("doc_number")
        paid = pl.when(pl.col("__paid_flag")).then(value).when(~pl.col("__paid_flag")).then(0.0)
        out = out.with_columns(paid.alias("paid_amount")).drop("__paid_flag")
        notes.append(
            Note(
                N_("with no payment columns, «{column}» tells paid invoices from owed ones"),
                {"column": headers["status"]},
            )
        )
    return Part(out, issues, notes, ids, currency)


def payments_part(typed: pl.DataFrame, headers: dict[str, str]) -> Part:
    """Payments of one file: ``__row, doc_number, date, amount``."""
    issues = [_missing_issue(typed, "doc_number", headers), _missing_issue(typed, "date", headers)]
    notes: list[Note] = []
    if _has(typed, "amount"):
        issues.append(_missing_issue(typed, "amount", headers))
    else:
        notes.append(
            Note(N_("no payment amount column: each payment settles its document in full"))
        )
    frame = typed.select(
        ROW,
        _doc_number(typed).alias("doc_number"),
        pl.col("date"),
        (pl.col("amount") if _has(typed, "amount") else _null(pl.Float64())).alias("amount"),
    )
    return Part(frame, issues, notes)


def clients_part(typed: pl.DataFrame, headers: dict[str, str]) -> Part:
    """Clients of one file: ``__row, __ck, __lid, name, tax_id`` and the optional client columns."""
    roles = set(typed.columns)
    frame, ids = with_identity(typed, roles)
    issues = [_client_issue(frame, ids, headers)]
    image = pl.lit(None, pl.Boolean)
    if "image" in roles:
        word = plain_text(pl.col("image"))
        image = (
            pl.when(word.is_in(list(TRUE_WORDS)))
            .then(True)
            .when(word.is_in(list(FALSE_WORDS)))
            .then(False)
        )
        bad = pl.col("image").is_not_null() & ~word.is_in(list(TRUE_WORDS | FALSE_WORDS))
        issues.append(
            issue_frame(
                frame,
                bad,
                headers["image"],
                pl.col("image"),
                N_("not a yes/no value; expected Sí or No"),
            )
        )
    terms = pl.lit(None, pl.Float64)
    if "terms_days" in roles:
        terms = (
            pl.col("terms_days")
            .str.extract(r"(\d+(?:[.,]\d+)?)")
            .str.replace(",", ".")
            .cast(pl.Float64, strict=False)
        )
    text = {
        r: (pl.col(r) if r in roles else _null(pl.String())).alias(r)
        for r in ("sector", "region", "size", "contact", "email", "phone")
    }
    out = frame.select(
        ROW,
        "__ck",
        (pl.col("client_name") if "client_name" in roles else _null(pl.String())).alias("name"),
        (pl.col("tax_id") if "tax_id" in roles else _null(pl.String())).alias("tax_id"),
        *text.values(),
        image.alias("image"),
        (pl.col("reputation") if "reputation" in roles else _null(pl.Float64())).alias(
            "reputation"
        ),
        terms.alias("terms_days"),
    )
    return Part(out, issues, [], ids)


def activities_part(typed: pl.DataFrame, headers: dict[str, str]) -> Part:
    """Activities of one file: ``__row, __ck, __lid, date, hours, kind, note``."""
    roles = set(typed.columns)
    frame, ids = with_identity(typed, roles)
    issues = [_client_issue(frame, ids, headers), _missing_issue(frame, "date", headers)]
    kind = _null(pl.String())
    if "kind" in roles:
        kind = pl.when(pl.col("kind").is_not_null()).then(
            plain_text(pl.col("kind")).replace_strict(
                KIND_WORDS, default="other", return_dtype=pl.String
            )
        )
    out = frame.select(
        ROW,
        "__ck",
        pl.col("date"),
        (pl.col("hours") if "hours" in roles else _null(pl.Float64())).alias("hours"),
        kind.alias("kind"),
        (pl.col("note") if "note" in roles else _null(pl.String())).alias("note"),
    )
    return Part(out, issues, [], ids)
