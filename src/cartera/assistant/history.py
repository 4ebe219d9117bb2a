"""Per-client order rhythm, open items and payment trend from the documents table.

Pure polars over the canonical documents columns (``client_id, doc_type,
date, due_date, paid_date, amount, total, paid_amount``); the adapters read
the table and pass it in. All three functions give one row per client that
has the data, keyed by ``client_id``.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

__all__ = ["open_items", "order_rhythm", "payment_trend"]


def _invoices(documents: pl.DataFrame, as_of: dt.date) -> pl.LazyFrame:
    # A number per client to sort on: the workspace's client_key, else a 64-bit hash of
    # the id (sorting millions of id strings costs several times more).
    key = pl.col("client_key") if "client_key" in documents.columns else pl.col("client_id").hash()
    return (
        documents.lazy()
        .filter((pl.col("doc_type") == "invoice") & (pl.col("date") <= as_of))
        .with_columns(pl.col("client_id").cast(pl.String), key.cast(pl.UInt64).alias("_key"))
    )


def _payments_known(documents: pl.DataFrame, *, amounts: bool) -> pl.Expr:
    """True when the documents carry payments at all: any payment date, or with
    ``amounts`` any paid amount.

    Without them nothing says what was paid: every invoice would look open and late, so
    open items (which paid amounts settle) and lateness (which needs the dates) are left
    out (decision 0948).
    """
    paid = pl.col("paid_date").is_not_null()
    if amounts:
        paid = paid | pl.col("paid_amount").is_not_null()
    known = documents.lazy().select(paid.any()).collect().item()
    return pl.lit(bool(known))


def _gap_quantiles(days: pl.LazyFrame, quantile: float) -> pl.LazyFrame:
    """Per client the median and the ``quantile`` of its gaps (linear interpolation).

    Computed from the gaps sorted within each client and their positions, which
    is many times faster than a quantile aggregation over hundreds of
    thousands of small groups.
    """
    gaps = (
        days.filter(pl.col("gap").is_not_null())
        .select("_key", "client_id", pl.col("gap").cast(pl.Float64))
        .sort("_key", "gap")
        .with_row_index("_row")
    )
    # Position within the client's sorted gaps: row number minus the client's first row.
    first = gaps.group_by("_key").agg(pl.col("_row").min().alias("_first"), pl.len().alias("k"))
    gaps = gaps.join(first, on="_key").with_columns((pl.col("_row") - pl.col("_first")).alias("i"))

    def at(q: float, name: str) -> pl.Expr:
        pos = (pl.col("k") - 1).cast(pl.Float64) * q
        lo, frac = pos.floor(), pos - pos.floor()
        weight = (
            pl.when(pl.col("i") == lo)
            .then(1.0 - frac)
            .when(pl.col("i") == lo + 1)
            .then(frac)
            .otherwise(0.0)
        )
        return (pl.col("gap") * weight).sum().alias(name)

    return gaps.group_by("client_id").agg(at(0.5, "median_gap"), at(quantile, "usual_gap"))


def order_rhythm(documents: pl.DataFrame, as_of: dt.date, quantile: float = 0.8) -> pl.DataFrame:
    """Each client's own rhythm: gaps in days between its distinct invoice days.

    Returns
    -------
    pl.DataFrame
        ``client_id, orders`` (distinct invoice days), ``first_order,
        last_order`` (dates), ``median_gap, usual_gap`` (days: the median and the
        ``quantile`` of the gaps, linear interpolation; null when the client
        has a single invoice day) and ``days_since`` (as_of − last
        order).
    """
    days = (
        _invoices(documents, as_of)
        .select("_key", "client_id", "date")
        .unique(["_key", "date"])
        .sort("_key", "date")
        .with_columns(
            # Sorted by client: a plain diff, blanked where a new client starts, is the
            # per-client gap without a window over each group.
            pl.when(pl.col("_key") == pl.col("_key").shift(1))
            .then(pl.col("date").diff().dt.total_days())
            .alias("gap"),
        )
    )
    summary = days.group_by("client_id").agg(
        pl.len().alias("orders"),
        pl.col("date").min().alias("first_order"),
        pl.col("date").max().alias("last_order"),
    )
    out = summary.join(_gap_quantiles(days, quantile), on="client_id", how="left")
    return (
        out.with_columns(
            (pl.lit(as_of) - pl.col("last_order")).dt.total_days().alias("days_since"),
            pl.col("orders").cast(pl.Int64),
        )
        .sort("client_id")
        .collect()
    )


def open_items(documents: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """What each client owes past its due date at ``as_of``.

    Mirrors the engine's open amount: an invoice paid on or before ``as_of``
    is settled; one paid later was wholly open then; otherwise what is left
    after partial payments (``total`` with tax, else ``amount``). Documents
    without any payment date give no open items (nothing says what was paid).

    Returns
    -------
    pl.DataFrame
        ``client_id, overdue`` (money past due), ``oldest_due`` (the earliest
        due date still unpaid), ``days_past_due`` (as_of − oldest_due),
        ``overdue_invoices`` (count) — only clients with something past due.
    """
    gross = pl.coalesce("total", "amount")
    paid_by = pl.col("paid_date").is_not_null() & (pl.col("paid_date") <= as_of)
    open_amount = (
        pl.when(paid_by)
        .then(0.0)
        .when(pl.col("paid_date").is_not_null())
        .then(gross)
        .otherwise(pl.max_horizontal(gross - pl.col("paid_amount").fill_null(0.0), 0.0))
    )
    late = (
        _invoices(documents, as_of)
        .filter(
            pl.col("due_date").is_not_null()
            & (pl.col("due_date") < as_of)
            & _payments_known(documents, amounts=True)
        )
        .with_columns(open_amount.alias("open"))
        .filter(pl.col("open") > 0.005)
    )
    out = late.group_by("client_id").agg(
        pl.col("open").sum().round(2).alias("overdue"),
        pl.col("due_date").min().alias("oldest_due"),
        pl.len().cast(pl.Int64).alias("overdue_invoices"),
    )
    return (
        out.with_columns(
            (pl.lit(as_of) - pl.col("oldest_due")).dt.total_days().alias("days_past_due")
        )
        .sort("client_id")
        .collect()
    )


def payment_trend(documents: pl.DataFrame, as_of: dt.date, days: int = 182) -> pl.DataFrame:
    """Amount-weighted days late of invoices due in the last ``days`` vs the ``days`` before.

    An invoice unpaid at ``as_of`` counts as late until ``as_of``.

    Returns
    -------
    pl.DataFrame
        ``client_id, recent_days_late, earlier_days_late`` (null when the
        client had no invoice due in that period).
    """
    start = as_of - dt.timedelta(days=days)
    before = start - dt.timedelta(days=days)
    settled = pl.col("paid_date").is_not_null() & (pl.col("paid_date") <= as_of)
    end = pl.when(settled).then(pl.col("paid_date")).otherwise(pl.lit(as_of))
    late = pl.max_horizontal((end - pl.col("due_date")).dt.total_days(), 0).cast(pl.Float64)
    weight = pl.col("amount").abs()

    def mean(lo: dt.date, hi: dt.date) -> pl.Expr:
        inside = (pl.col("due_date") > lo) & (pl.col("due_date") <= hi)
        total = weight.filter(inside).sum()
        return pl.when(total > 0).then((late * weight).filter(inside).sum() / total)

    return (
        _invoices(documents, as_of)
        .filter(
            pl.col("due_date").is_not_null()
            & (pl.col("due_date") > before)
            & _payments_known(documents, amounts=False)
        )
        .group_by("client_id")
        .agg(
            mean(start, as_of).alias("recent_days_late"),
            mean(before, start).alias("earlier_days_late"),
        )
        .sort("client_id")
        .collect()
    )
