"""Payments checked against their documents: bad rows like any other.

A payment that cannot be is refused with its file, row, column, value and
reason, under the import's usual strict / ``--skip-bad-rows`` rules:

* a **negative payment** (a refund is a credit note, not a payment);
* a payment **dated before its document** (it would give negative days to pay);
* payments that **add up to far more than the document**: over its total with
  tax times ``1 + overpayment_tolerance`` (default 5 %); when the documents
  have no total with tax, over the net amount plus the highest EU VAT rate
  (27 %) and the tolerance. The payments, in date order, from the one that
  crosses the limit on, are the bad rows.

Payments of unknown documents are reported elsewhere
(:func:`cartera.io.assemble.unknown_payment_issues`) and skipped here.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from cartera.i18n import N_

__all__ = ["MAX_VAT", "OVERPAYMENT_TOLERANCE", "payment_issues"]

#: Payments may exceed the document by this fraction (rounding, bank fees) before they are bad.
OVERPAYMENT_TOLERANCE: Final = 0.05
#: Highest standard VAT rate in the EU (Hungary): the room for tax when only net amounts are known.
MAX_VAT: Final = 0.27

MSG_NEGATIVE: Final = N_("a payment cannot be negative: a refund is a credit note, not a payment")
MSG_BEFORE: Final = N_("payment dated before its document ({document_date})")
MSG_OVERPAID: Final = N_(
    "payments of this document add up to {paid}, far more than its {total} (tolerance {tolerance})"
)

_ISSUE_COLUMNS: Final = ("__file", "row", "column", "value", "message", "params")


def _issues(
    frame: pl.DataFrame, header: pl.Expr, value: pl.Expr, message: str, params: pl.Expr
) -> pl.DataFrame:
    return frame.select(
        pl.col("__file"),
        pl.col("__row").alias("row"),
        header.alias("column"),
        value.cast(pl.String).alias("value"),
        pl.lit(message, pl.String).alias("message"),
        params.alias("params"),
    )


def _header(headers: dict[int, str]) -> pl.Expr:
    return pl.col("__file").replace_strict(headers, default="", return_dtype=pl.String)


def _json(**fields: pl.Expr) -> pl.Expr:
    parts: list[pl.Expr] = [pl.lit("{")]
    for i, (name, expr) in enumerate(fields.items()):
        parts += [pl.lit(("," if i else "") + f'"{name}": "'), expr.cast(pl.String), pl.lit('"')]
    return pl.concat_str([*parts, pl.lit("}")])


def _per_document(docs: pl.DataFrame, tolerance: float) -> pl.DataFrame:
    """``__doc, __doc_date, __limit, __value``: first date and the most that may be paid."""
    has_total = "total" in docs.columns
    total = pl.col("total") if has_total else pl.lit(None, pl.Float64)
    return docs.group_by("__doc").agg(
        pl.col("date").min().alias("__doc_date"),
        pl.when(total.is_not_null().all())
        .then(total.sum().abs() * (1 + tolerance))
        .otherwise(pl.col("amount").sum().abs() * (1 + MAX_VAT + tolerance))
        .alias("__limit"),
        pl.when(total.is_not_null().all())
        .then(total.sum().abs())
        .otherwise(pl.col("amount").sum().abs())
        .alias("__value"),
    )


def payment_issues(
    payments: pl.DataFrame,
    docs: pl.DataFrame,
    headers: dict[str, dict[int, str]],
    tolerance: float = OVERPAYMENT_TOLERANCE,
) -> pl.DataFrame:
    """The bad payment rows, in the import's issue layout.

    Parameters
    ----------
    payments
        Accepted payment rows: ``__file, __row, __doc, date`` and, when the
        files have amounts, ``amount``.
    docs
        Accepted document lines: ``__doc, date, amount`` and ``total`` if known.
    headers
        Per role (``date``, ``amount``), the header of that column in each payments file.
    tolerance
        Fraction by which payments may exceed the document before they are bad.

    Returns
    -------
    pl.DataFrame
        ``__file, row, column, value, message, params`` (params a JSON object), one
        row per problem, in file and row order.
    """
    found: list[pl.DataFrame] = []
    has_amount = "amount" in payments.columns
    if has_amount:
        negative = payments.filter(pl.col("amount") < 0)
        found.append(
            _issues(
                negative,
                _header(headers.get("amount", {})),
                pl.col("amount"),
                MSG_NEGATIVE,
                pl.lit("{}"),
            )
        )
    per_doc = _per_document(docs, tolerance)
    joined = payments.join(per_doc, on="__doc", how="inner")
    early = joined.filter(pl.col("date") < pl.col("__doc_date"))
    found.append(
        _issues(
            early,
            _header(headers.get("date", {})),
            pl.col("date"),
            MSG_BEFORE,
            _json(document_date=pl.col("__doc_date")),
        )
    )
    if has_amount:
        # Sorted by document, then date, file and row, each document's running sum adds its
        # payments in the order ``over(order_by=…)`` would, at less than half its cost (the
        # rows' order before the last sort does not show: each row is in ``over`` once).
        running = pl.col("amount").clip(lower_bound=0.0).cum_sum().over("__doc")
        over = (
            joined.sort("__doc", "date", "__file", "__row")
            .with_columns(running.alias("__paid"))
            .filter(pl.col("__paid") > pl.col("__limit") + 1e-9)
        )
        found.append(
            _issues(
                over,
                _header(headers.get("amount", {})),
                pl.col("amount"),
                MSG_OVERPAID,
                _json(
                    paid=pl.col("__paid").round(2),
                    total=pl.col("__value").round(2),
                    tolerance=pl.lit(f"{tolerance:.0%}"),
                ),
            )
        )
    out = pl.concat([f.select(_ISSUE_COLUMNS) for f in found], how="vertical")
    return out.sort("__file", "row", maintain_order=True)
