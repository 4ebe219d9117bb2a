"""Taxes, withholdings and discounts as a file's totals show them (decision 0954).

An invoice's figures add up: total = net − discount + taxes − withholdings. A file often
has more than one tax column (IVA and recargo de equivalencia, GST and PST, IVA and IEPS)
or withholding column (Retefuente and ReteICA, ISR and IVA retenidos). Recognition types
the further ones as extra roles (:data:`cartera.io.aliases.EXTRA_ROLES`); here they are
added to the first unless the figures say otherwise: a column holding the same figures as
another (a «Tax» beside «Tax Signed») or the sum of the others («Impuestos» beside «IVA»
and «IEPS») is one tax written twice, and a total that agrees with the first column alone
but not with the sum keeps the first alone. The same equation tells a «Descuento» in money
from a rate, and whether a total beside a withholding is what the client pays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import polars as pl

from cartera.i18n import N_
from cartera.io.aliases import EXTRA_ROLES
from cartera.io.parse import Note
from cartera.io.score import header_currency
from cartera.io.words import GENERIC_TAX_WORDS, concepts, header_words

__all__ = [
    "SAME_FIGURE",
    "TOTALS_AGREEMENT",
    "UNTAXED_NETS",
    "Change",
    "agrees",
    "discount_in_money",
    "extras_decided",
    "total_after_withholding",
    "untaxed_totals",
]

#: Share of the rows where either of two tax columns is not zero on which they hold the same
#: figure (a «Tax» beside «Tax Signed»), or one holds the others' sum: then it is one tax
#: written twice, not two taxes.
SAME_FIGURE: Final = 0.8
#: Share of the rows concerned whose total must agree with the figures for the totals to say
#: how the file adds up (a discount in money, a total paid after its withholding).
TOTALS_AGREEMENT: Final = 0.8
#: Share of a file's rows with a total on which the net (with its exempt columns) is 0 or
#: empty and no tax, rate, withholding or discount is written, for the net columns to be
#: ones the issuer never fills: AFIP's «Factura C» (a monotributista charges no VAT, so
#: «Imp. Neto Gravado» is 0 and the sale is «Imp. Total»).
UNTAXED_NETS: Final = 0.8
#: The roles that, written on a row, say its total is not its net.
_BETWEEN_NET_AND_TOTAL: Final = ("vat_amount", "vat_pct", "withholding", "discount_amount",
                                 "discount_pct")  # fmt: skip
#: A tax rate is round when it is a multiple of this (21 %, 10.5 %, 16 %, 19 %).
_RATE_STEP: Final = 0.5


def agrees(a: pl.Expr, b: pl.Expr, scale: pl.Expr) -> pl.Expr:
    """``a`` equals ``b`` to the cent, or to 0.1 % of ``scale`` (rounding on large sums)."""
    return (a - b).abs() <= pl.max_horizontal(pl.lit(0.02), scale.abs() * 0.001)


@dataclass(frozen=True)
class Change:
    """Columns rewritten and dropped, decided once on a file's sample and applied to each of
    its segments (and to the sample itself)."""

    exprs: list[pl.Expr] = field(default_factory=list)
    drop: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    #: role → the header(s) its figure now comes from, for the notes that follow.
    headers: dict[str, str] = field(default_factory=dict)

    def apply(self, frame: pl.DataFrame) -> pl.DataFrame:
        return frame.with_columns(self.exprs).drop(self.drop, strict=False)


def _sum(columns: list[str]) -> pl.Expr:
    """The columns added up, null only when every one is null."""
    if len(columns) == 1:
        return pl.col(columns[0])
    total = pl.sum_horizontal(pl.col(c).fill_null(0) for c in columns)
    return (
        pl.when(pl.all_horizontal(pl.col(c).is_null() for c in columns)).then(None).otherwise(total)
    )


def _share(sample: pl.DataFrame, where: pl.Expr, holds: pl.Expr) -> float:
    """Share of the ``where`` rows on which ``holds`` is true (0 without such rows)."""
    # Filtered inside the expression: no copy of the sample's other columns.
    return float(sample.select(holds.filter(where).mean()).item() or 0)


def _same(sample: pl.DataFrame, a: pl.Expr, b: pl.Expr) -> bool:
    """Whether ``a`` and ``b`` hold the same figure, sign aside, on :data:`SAME_FIGURE` of
    the rows where either is not zero."""
    a, b = a.fill_null(0).abs(), b.fill_null(0).abs()
    return _share(sample, (a + b) > 0, agrees(a, b, b)) >= SAME_FIGURE


def _one_tax(first: str, other: str) -> bool:
    """Whether two headers can name one tax: one names none in particular, or both the same
    one. «CGST» and «SGST» hold the same figures by law, yet are two taxes."""
    a = set(header_words(first)) - GENERIC_TAX_WORDS
    b = set(header_words(other)) - GENERIC_TAX_WORDS
    return not a or not b or a == b


def _twin_header(header: str, first: str) -> bool:
    """A header that names the first column's figure in another currency («Tax (EUR)»,
    «Impuesto moneda local»)."""
    other = header_currency(header)
    return "CURRENCY" in concepts(header) or (other is not None and other != header_currency(first))


def _kept(
    sample: pl.DataFrame, role: str, extras: list[str], headers: dict[str, str]
) -> tuple[list[str], list[Note]]:
    """The columns of ``role`` to add up, and a note for each one left out."""
    kept, notes = [role], []
    for extra in extras:
        twin = _twin_header(headers[extra], headers[role])
        same = next(
            (
                k
                for k in kept
                if _one_tax(headers[k], headers[extra]) and _same(sample, pl.col(extra), pl.col(k))
            ),
            None,
        )
        if twin or same is not None:
            notes.append(
                Note(
                    N_("«{column}» holds the figures of «{other}» and was not added to them"),
                    {"column": headers[extra], "other": headers[same or role]},
                )
            )
        else:
            kept.append(extra)
    if len(kept) < 3:
        return kept, notes
    for whole in kept:
        parts = [k for k in kept if k != whole]
        summed = pl.sum_horizontal(pl.col(p).fill_null(0).abs() for p in parts)
        figure = pl.col(whole).fill_null(0).abs()
        if _share(sample, summed > 0, agrees(figure, summed, summed)) >= SAME_FIGURE:
            notes.append(
                Note(
                    N_("«{column}» is the sum of {columns}: it was used alone"),
                    {"column": headers[whole], "columns": _names(parts, headers)},
                )
            )
            return [whole], notes
    return kept, notes


def _names(columns: list[str], headers: dict[str, str]) -> str:
    return ", ".join(f"«{headers[c]}»" for c in columns)


def _base(sample: pl.DataFrame) -> str | None:
    return next((c for c in ("net", "amount") if c in sample.columns), None)


def _totals_agree(sample: pl.DataFrame, tax: pl.Expr, withheld: pl.Expr) -> pl.Expr:
    """Per row, whether base − discount + tax − withholding is the total, the discount taken
    as money, as a rate or not at all (whichever the row's figures fit)."""
    base, total = pl.col(_base(sample) or ""), pl.col("total")
    after = base + tax - withheld
    fits = agrees(after, total, total)
    if "discount_amount" in sample.columns:
        fits = fits | agrees(after - pl.col("discount_amount").fill_null(0), total, total)
    if "discount_pct" in sample.columns:
        rate = pl.col("discount_pct").fill_null(0) / 100
        fits = fits | agrees(after - base * rate, total, total)
    return fits


def extras_decided(sample: pl.DataFrame, headers: dict[str, str]) -> Change:
    """Which further tax and withholding columns are added to the first (module docstring):
    decided on ``sample``, the extra columns dropped once summed."""
    kept: dict[str, list[str]] = {}
    notes: list[Note] = []
    drop: list[str] = []
    for role, names in EXTRA_ROLES.items():
        extras = [n for n in names if n in sample.columns]
        if extras:
            kept[role], more = _kept(sample, role, extras, headers)
            notes += more
            drop += extras
    if _base(sample) is not None and "total" in sample.columns:
        _by_totals(sample, kept, headers, notes)
    exprs = []
    named = {}
    for role, columns in kept.items():
        exprs.append(_sum(columns).alias(role))
        named[role] = " + ".join(headers[c] for c in columns)
        if len(columns) > 1:
            notes.append(
                Note(
                    N_("{columns} added up as the tax amount")
                    if role == "vat_amount"
                    else N_("{columns} added up as the withholding"),
                    {"columns": _names(columns, headers)},
                )
            )
    return Change(exprs, drop, notes, named)


def _by_totals(
    sample: pl.DataFrame, kept: dict[str, list[str]], headers: dict[str, str], notes: list[Note]
) -> None:
    """A role's further columns left out when the totals agree with its first column alone
    on more of the rows where they are not zero than with the sum."""

    def summed(role: str, alone: str | None = None) -> pl.Expr:
        if role not in kept and role not in sample.columns:
            return pl.lit(0.0)
        columns = [alone] if alone else kept.get(role, [role])
        return _sum(columns).fill_null(0)

    for role, columns in kept.items():
        if len(columns) < 2:
            continue
        other = "withholding" if role == "vat_amount" else "vat_amount"
        rest = pl.sum_horizontal(pl.col(c).fill_null(0).abs() for c in columns[1:])

        def fits(alone: str | None, role: str = role, other: str = other) -> pl.Expr:
            own, theirs = summed(role, alone), summed(other)
            tax, withheld = (own, theirs) if role == "vat_amount" else (theirs, own)
            return _totals_agree(sample, tax, withheld)

        if _share(sample, rest > 0, fits(columns[0])) > _share(sample, rest > 0, fits(None)):
            for column in columns[1:]:
                notes.append(
                    Note(
                        N_("«{column}» was not added to «{other}»: the totals agree without it"),
                        {"column": headers[column], "other": headers[columns[0]]},
                    )
                )
            kept[role] = columns[:1]


def discount_in_money(sample: pl.DataFrame) -> bool:
    """Whether a discount read as a rate («Descuento» 50 on a subtotal of 500, Mexico's
    invoices) is money: on :data:`TOTALS_AGREEMENT` of the rows with a discount, base −
    discount + tax − withholding is the total, and neither the rate nor no discount fits."""
    base = _base(sample)
    if base is None or not {"discount_pct", "total"} <= set(sample.columns):
        return False
    if "discount_amount" in sample.columns:
        return False
    d, total = pl.col("discount_pct"), pl.col("total")
    tax = pl.col("vat_amount").fill_null(0) if "vat_amount" in sample.columns else pl.lit(0.0)
    if "withholding" in sample.columns:
        tax = tax - pl.col("withholding").fill_null(0).abs()
    after = pl.col(base) + tax
    where = (d != 0) & total.is_not_null() & pl.col(base).is_not_null()
    money = _share(sample, where, agrees(after - d, total, total))
    rate = _share(sample, where, agrees(after - pl.col(base) * d / 100, total, total))
    none = _share(sample, where, agrees(after, total, total))
    return money >= TOTALS_AGREEMENT and rate < TOTALS_AGREEMENT and none < TOTALS_AGREEMENT


def _round_rate(tax: pl.Expr, net: pl.Expr) -> pl.Expr:
    """Per row, whether ``tax`` is a round rate (:data:`_RATE_STEP`) of ``net`` to the cent."""
    steps = (tax * 100 / _RATE_STEP / net).round()
    return (net * steps * _RATE_STEP / 100 - tax).abs() <= 0.011


def total_after_withholding(sample: pl.DataFrame) -> bool:
    """Whether a total beside a withholding is what the client pays (net + tax −
    withholding, as Spain's and Mexico's invoices print it) rather than net + tax. Without
    a net column, the tax tells: it is a round rate of total − tax + withholding, or of
    total − tax. On a tie, or with no row that has both, the total is what is paid."""
    tax, held, total = pl.col("vat_amount"), pl.col("withholding").abs(), pl.col("total")
    where = (tax != 0) & total.is_not_null()  # no withholding: both readings agree
    paid = _share(sample, where, _round_rate(tax, total - tax + held))
    return paid >= _share(sample, where, _round_rate(tax, total - tax))


def _untaxed_rows(frame: pl.DataFrame) -> tuple[pl.Expr, pl.Expr]:
    """Rows with a total (``where``), and those of them whose net is 0 or empty and that
    write nothing between net and total (``untaxed``). The net already holds the exempt
    amounts (:func:`cartera.io.tables.with_exempt` runs first, on the sample too)."""
    between = [c for c in _BETWEEN_NET_AND_TOTAL if c in frame.columns]
    empty = [pl.col(c).fill_null(0) == 0 for c in ("net", *between)]
    return pl.col("total").fill_null(0) != 0, pl.all_horizontal(empty)


def untaxed_totals(
    frame: pl.DataFrame, headers: dict[str, str], sample: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame, list[Note]]:
    """A net column the issuer never fills (:data:`UNTAXED_NETS` of the sample's rows with a
    total: net 0, no tax) takes the total on those rows; ``frame`` and ``sample`` so
    changed, and a note. Other rows, and other files, are left as they are."""
    if not {"net", "total"} <= set(sample.columns):
        return frame, sample, []
    where, untaxed = _untaxed_rows(sample)
    if _share(sample, where, untaxed) < UNTAXED_NETS:
        return frame, sample, []

    def filled(part: pl.DataFrame) -> pl.DataFrame:
        where, untaxed = _untaxed_rows(part)
        net = pl.when(where & untaxed).then(pl.col("total")).otherwise(pl.col("net"))
        return part.with_columns(net.alias("net"))

    note = Note(
        N_(
            "«{net}» is 0 and no tax is written on the rows with «{total}» (invoices without "
            "VAT, such as AFIP's type C): there the net amount is «{total}»"
        ),
        {"net": headers["net"], "total": headers["total"]},
    )
    return filled(frame), filled(sample), [note]
