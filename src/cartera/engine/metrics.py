"""Per-client metrics as Ibis expressions over the canonical tables.

The documents are read in a single grouped pass (conditional aggregates, only
those the data can fill), the activities in a second small one, and both are
joined onto the clients table (:func:`client_metrics`). Shares, ranks and ABC
classes are window functions over the per-client rows (:func:`rank_and_share`).
Nothing here executes: callers run the expressions on DuckDB or Spark.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from cartera.engine.local import ABC_CUTS, DataProfile  # ABC: A ≤ 80 %, B ≤ 95 %, C the rest
from cartera.engine.window import (
    AGING_BUCKETS,
    AnalysisWindow,
    aging_bucket,
    days_between,
    month_slot,
)
from cartera.settings import Settings

__all__ = [
    "ABC_CUTS",
    "FULL",
    "DataProfile",
    "activity_hours",
    "client_metrics",
    "data_profile",
    "document_aggregates",
    "rank_and_share",
]

#: Tolerance on cumulative shares so that 0.7999999999 counts as 0.8 on every engine.
_EPS = 1e-9


FULL = DataProfile()
#: Windows up to this many months keep their active months as bits of one int64.
_MASK_MONTHS = 62


def data_profile(documents: ir.Table, activities: ir.Table) -> ir.Table:
    """One row counting the filled optional columns.

    Columns: ``lines, last_date, cost_n, units_n, due_n, paid_n, paid_amount_n,
    list_n`` (documents) and ``activities``.
    """
    d = documents
    docs = d.aggregate(
        lines=d.count(),
        last_date=d.date.max(),
        cost_n=d.cost.count(),
        units_n=d.units.count(),
        due_n=d.due_date.count(),
        paid_n=d.paid_date.count(),
        paid_amount_n=d.paid_amount.count(),
        list_n=d.list_amount.count(),
    )
    return docs.cross_join(activities.aggregate(activities=activities.count()))


def _line_values(documents: ir.Table, window: AnalysisWindow) -> ir.Table:
    """``documents`` up to as-of → one row per line with the flags and day counts the sums need.

    Computing these once in a projection keeps the grouped pass simple (plain
    sums filtered by boolean columns), which both engines plan quickly.
    """
    as_of = ibis.literal(window.as_of)
    d = documents.filter(documents.date <= as_of)
    invoice = d.doc_type == "invoice"
    in_window = d.date >= ibis.literal(window.start)
    paid = d.paid_date.notnull() & (d.paid_date <= as_of)
    gross = d.total.fill_null(d.amount)
    # Open at as-of: what is still owed; payments after as-of were not known then.
    open_amount = ibis.cases(
        (~invoice | paid, 0.0),
        (d.paid_date.notnull(), gross),
        else_=ibis.greatest(gross - d.paid_amount.fill_null(0.0), 0.0),
    )
    bucket = ibis.cases(
        *[
            (aging_bucket(d.due_date, window.as_of, name), i)
            for i, (name, _lo, _hi) in enumerate(AGING_BUCKETS)
        ],
        else_=0,  # no due date: nothing can be past due yet
    )
    w_inv = invoice & in_window
    return d.select(
        "client_key",
        "date",
        "amount",
        "cost",
        "units",
        "list_amount",
        invoice=invoice,
        in_window=in_window,
        w_inv=w_inv,
        w_credit=(d.doc_type == "credit_note") & in_window,
        previous=(d.date >= ibis.literal(window.previous_start)) & ~in_window,
        w_paid=w_inv & paid,
        w_due=w_inv & d.due_date.notnull(),
        w_list=w_inv & d.list_amount.notnull(),
        first=ibis.ifelse(d.first_line.fill_null(False), 1, 0).cast("int64"),
        slot=ibis.ifelse(w_inv, _slot_value(d.date, window), -1),
        pay_days=days_between(d.paid_date, d.date),
        late_days=ibis.greatest(days_between(ibis.ifelse(paid, d.paid_date, as_of), d.due_date), 0),
        open_amount=open_amount,
        bucket=bucket,
    )


def _active_months(d: ir.Table, months: int) -> dict[str, ir.Value]:
    """Aggregates from which the number of active months is derived.

    Up to 62 months: one ``bit_or`` of ``1 << slot`` (one aggregate instead
    of one per month); longer windows: one ``max`` per month.
    """
    if months <= _MASK_MONTHS:  # ``slot`` already holds 2 ** slot (see _slot_value)
        return {"month_mask": d.slot.bit_or(where=d.w_inv)}
    return {f"month_{k}": ibis.ifelse(d.slot == k, 1, 0).max() for k in range(months)}


def _slot_value(date: ir.DateValue, window: AnalysisWindow) -> ir.IntegerValue:
    """The line's month slot, or its bit ``2 ** slot`` when the mask is used."""
    if window.months <= _MASK_MONTHS:
        return month_slot(date, window, values=[1 << k for k in range(window.months)])
    return month_slot(date, window)


def _count_active(t: ir.Table, months: int) -> ir.IntegerValue:
    """Active months from :func:`_active_months`' aggregates (a popcount of the mask)."""
    zero = ibis.literal(0, "int64")
    if months <= _MASK_MONTHS:
        mask = t.month_mask.fill_null(0)
        return sum(((mask >> k) & 1 for k in range(months)), start=zero)
    return sum((t[f"month_{k}"].fill_null(0) for k in range(months)), start=zero)


def document_aggregates(
    documents: ir.Table, window: AnalysisWindow, profile: DataProfile
) -> ir.Table:
    """``documents`` → one row per ``client_key`` with window and history sums."""
    d = _line_values(documents, window)
    aggs: dict[str, ir.Value] = {
        "lines": d.count(),
        "invoiced": d.amount.sum(where=d.w_inv),
        "credit_notes": (-d.amount).sum(where=d.w_credit),
        "orders": d.first.sum(where=d.w_inv),
        "credit_docs": d.first.sum(where=d.w_credit),
        "first_invoice": d.date.min(where=d.invoice),
        "last_invoice": d.date.max(where=d.invoice),
        "first_window_invoice": d.date.min(where=d.w_inv),
        "previous_revenue": d.amount.sum(where=d.previous),
        **_active_months(d, window.months),
    }
    if profile.has_cost:
        aggs["cost_sum"] = d.cost.sum(where=d.in_window)
    if profile.has_units:
        aggs["units"] = d.units.sum(where=d.in_window)
    if profile.has_paid:
        aggs["paid_weight"] = d.amount.sum(where=d.w_paid)
        aggs["paid_days"] = (d.amount * d.pay_days).sum(where=d.w_paid)
    if profile.has_due:
        aggs["late_weight"] = d.amount.sum(where=d.w_due)
        aggs["late_days"] = (d.amount * d.late_days).sum(where=d.w_due)
    # Open amounts are aged even without due dates (all "current" then).
    for i, (name, _lo, _hi) in enumerate(AGING_BUCKETS):
        if i == 0 or profile.has_due:
            aggs[f"aging_{name}"] = d.open_amount.sum(where=d.bucket == i)
    if profile.has_list:
        aggs["list_amount"] = d.list_amount.sum(where=d.w_list)
        aggs["list_net"] = d.amount.sum(where=d.w_list)
    return d.group_by("client_key").aggregate(**aggs)


def _ratio(num: ir.NumericValue, den: ir.NumericValue) -> ir.FloatingValue:
    """``num / den`` where ``den > 0``, else null (never inf or NaN)."""
    return ibis.ifelse(den > 0, num / den, ibis.null("float64"))


def activity_hours(activities: ir.Table, window: AnalysisWindow) -> ir.Table:
    """``activities`` → ``client_key, service_hours`` (hours inside the window)."""
    a = activities
    inside = (a.date >= ibis.literal(window.start)) & (a.date <= ibis.literal(window.as_of))
    return a.filter(inside).group_by("client_key").aggregate(service_hours=a.hours.sum())


def client_metrics(
    documents: ir.Table,
    clients: ir.Table,
    activities: ir.Table,
    window: AnalysisWindow,
    settings: Settings,
    *,
    profile: DataProfile = FULL,
    aggregates: tuple[ir.Table, ir.Table] | None = None,
) -> ir.Table:
    """Every per-client metric, before shares and segments.

    Parameters
    ----------
    documents, clients, activities
        Canonical tables (``cartera.schema``).
    window
        The analysis window.
    settings
        Unit costs and the financing rate.
    profile
        Which optional columns the data fills; without cost, margins are null.
    aggregates
        The results of :func:`document_aggregates` and :func:`activity_hours` for
        this ``window`` and ``profile`` when already computed (the workspace's
        pre-aggregates, :mod:`cartera.engine.preagg`): the lines are then not read.

    Returns
    -------
    ir.Table
        One row per client with documents up to ``as_of`` or activities in the
        window: ``client_key, id, name, image, terms_days``, the money columns
        (``invoiced, credit_notes, revenue, cost, gross_margin, margin_pct``),
        activity and payment figures, the cost-to-serve parts and aging
        columns. :func:`rank_and_share` adds the shares and ranks.
    """
    if aggregates is None:
        docs = document_aggregates(documents, window, profile)
        hours = activity_hours(activities, window)
    else:
        docs, hours = aggregates
    c = clients.select(
        "client_key",
        id=clients.client_id,
        name=clients.name.fill_null(clients.client_id),
        image=clients.image.fill_null(False),
        terms_days=clients.terms_days,
    )
    joined = c.left_join(docs, "client_key").drop("client_key_right")
    joined = joined.left_join(hours, "client_key").drop("client_key_right")
    joined = joined.filter(joined.lines.notnull() | (joined.service_hours.fill_null(0.0) > 0))
    return _derive(joined, window, settings, profile)


def _column(t: ir.Table, name: str, dtype: str) -> ir.Value:
    """``t[name]``, or a typed null when the aggregate was left out."""
    return t[name] if name in t.columns else ibis.null(dtype)


def _derive(
    t: ir.Table, window: AnalysisWindow, settings: Settings, profile: DataProfile
) -> ir.Table:
    """Ratios, days and the cost-to-serve parts from the grouped sums, in one projection.

    Every column is written from the grouped sums directly (no column refers
    to another derived one), which keeps the compiled query flat.
    """
    as_of = ibis.literal(window.as_of)
    invoiced = t.invoiced.fill_null(0.0)
    credit = t.credit_notes.fill_null(0.0)
    revenue = invoiced - credit
    cost = t.cost_sum.fill_null(0.0) if profile.has_cost else ibis.null("float64")
    gross_margin = revenue - cost
    orders = t.orders.fill_null(0)
    hours = t.service_hours.fill_null(0.0)
    days_to_pay = _ratio(_column(t, "paid_days", "float64"), _column(t, "paid_weight", "float64"))
    parts = {
        "service_cost": hours * settings.hourly_cost,
        "orders_cost": orders * settings.order_cost,
        "returns_cost": t.credit_docs.fill_null(0) * settings.return_cost,
        "financing_cost": (invoiced * days_to_pay * settings.annual_rate / 365.0).fill_null(0.0),
    }
    cost_to_serve = sum(parts.values(), start=ibis.literal(0.0))
    return t.select(
        "client_key",
        "id",
        "name",
        "image",
        "terms_days",
        "previous_revenue",
        units=_column(t, "units", "float64"),
        list_amount=_column(t, "list_amount", "float64"),
        invoiced=invoiced,
        credit_notes=credit,
        revenue=revenue,
        cost=cost,
        gross_margin=gross_margin,
        margin_pct=_ratio(gross_margin, revenue),
        orders=orders,
        active_months=_count_active(t, window.months),
        recency_days=days_between(as_of, t.last_invoice),
        tenure_days=days_between(as_of, t.first_invoice),
        last_purchase=t.last_invoice,
        order_interval_days=ibis.ifelse(
            orders >= 2,
            days_between(t.last_invoice, t.first_window_invoice) / (orders - 1),
            ibis.null("float64"),
        ),
        return_rate=_ratio(credit, invoiced),
        days_to_pay=days_to_pay,
        days_late=_ratio(_column(t, "late_days", "float64"), _column(t, "late_weight", "float64")),
        # Past due = every aging bucket but "current".
        overdue=sum(
            (
                _column(t, f"aging_{name}", "float64").fill_null(0.0)
                for name, _lo, _hi in AGING_BUCKETS[1:]
            ),
            start=ibis.literal(0.0),
        ),
        service_hours=hours,
        **parts,
        cost_to_serve=cost_to_serve,
        net_contribution=gross_margin - cost_to_serve,
        discount=_ratio(
            _column(t, "list_amount", "float64") - _column(t, "list_net", "float64"),
            _column(t, "list_amount", "float64"),
        ),
        **{
            f"aging_{name}": _column(t, f"aging_{name}", "float64").fill_null(0.0)
            for name, _low, _high in AGING_BUCKETS
        },
    )


def rank_and_share(t: ir.Table, total_positive: float | None = None) -> ir.Table:
    """Add ``revenue_share, cumulative_share, rank, abc`` from ``revenue`` and ``id``.

    Shares are of positive revenue (a client with net credit notes has share
    0), so they sum to 1 whenever the portfolio sold anything. Rank 1 is the
    largest client; ties go to the smaller client id so results are stable.
    ``total_positive`` (Σ max(revenue, 0)), when the caller knows it, saves a
    window over the whole table.
    """
    positive = ibis.greatest(t.revenue, 0.0)
    order = [ibis.desc(t.revenue), t.id]
    total: ir.NumericValue = (
        positive.sum().over() if total_positive is None else ibis.literal(float(total_positive))
    )
    running = positive.sum().over(ibis.window(order_by=order, rows=(None, 0)))
    share = ibis.ifelse(total > 0, positive / total, 0.0)
    cumulative = ibis.ifelse(total > 0, running / total, 0.0)
    before = ibis.ifelse(total > 0, (running - positive) / total, 1.0)
    abc = ibis.cases(
        (total <= 0, ibis.null("string")),
        ((positive > 0) & (before < ABC_CUTS[0] - _EPS), "A"),
        ((positive > 0) & (before < ABC_CUTS[1] - _EPS), "B"),
        else_="C",
    )
    return t.mutate(
        revenue_share=share,
        cumulative_share=cumulative,
        rank=(ibis.row_number().over(order_by=order) + 1).cast("int64"),
        abc=abc,
    )
