"""Order rhythm, open items and payment trend, against hand-computed figures."""

from __future__ import annotations

import datetime as dt

import polars as pl

from cartera.assistant.history import open_items, order_rhythm, payment_trend

D = dt.date
AS_OF = D(2026, 10, 30)


def _docs(rows: list[tuple]) -> pl.DataFrame:
    schema = {"client_id": pl.String, "doc_type": pl.String, "date": pl.Date,
              "due_date": pl.Date, "paid_date": pl.Date, "amount": pl.Float64,
              "total": pl.Float64, "paid_amount": pl.Float64}  # fmt: skip
    return pl.DataFrame(rows, schema=schema, orient="row")


def test_order_rhythm_gaps() -> None:
    # A: invoice days 1 Jan, 11 Jan (twice that day), 31 Jan, 2 Mar → gaps 10, 20, 30
    docs = _docs([
        ("A", "invoice", D(2026, 1, 1), None, None, 10.0, None, None),
        ("A", "invoice", D(2026, 1, 11), None, None, 10.0, None, None),
        ("A", "invoice", D(2026, 1, 11), None, None, 10.0, None, None),
        ("A", "invoice", D(2026, 1, 31), None, None, 10.0, None, None),
        ("A", "credit_note", D(2026, 2, 15), None, None, -10.0, None, None),
        ("A", "invoice", D(2026, 3, 2), None, None, 10.0, None, None),
        ("B", "invoice", D(2026, 5, 1), None, None, 10.0, None, None),
        ("B", "invoice", D(2026, 11, 5), None, None, 10.0, None, None),  # after as_of
    ])  # fmt: skip
    out = order_rhythm(docs, AS_OF).to_dicts()
    a, b = out
    assert (a["orders"], a["median_gap"], a["first_order"], a["last_order"]) == (
        4,
        20.0,
        D(2026, 1, 1),
        D(2026, 3, 2),
    )
    assert abs(a["usual_gap"] - 26.0) < 1e-9  # 20 + 0.6 × (30 − 20)
    assert a["days_since"] == (AS_OF - D(2026, 3, 2)).days
    assert b["orders"] == 1 and b["usual_gap"] is None


def test_open_items_mirror_the_engine() -> None:
    docs = _docs([
        ("A", "invoice", D(2026, 6, 1), D(2026, 7, 1), None, 100.0, 121.0, None),  # open 121
        ("A", "invoice", D(2026, 6, 5), D(2026, 8, 1), None, 100.0, 121.0, 21.0),  # 100 left
        ("A", "invoice", D(2026, 6, 9), D(2026, 7, 9), D(2026, 9, 1), 100.0, 121.0, 121.0),
        ("A", "invoice", D(2026, 6, 9), D(2026, 9, 9), D(2026, 11, 2), 50.0, 60.5, 60.5),
        ("A", "invoice", D(2026, 10, 1), D(2026, 10, 30), None, 100.0, 121.0, None),  # due today
        ("B", "invoice", D(2026, 6, 1), D(2026, 7, 1), D(2026, 7, 1), 100.0, 121.0, 121.0),
    ])  # fmt: skip
    out = open_items(docs, AS_OF).to_dicts()
    assert out == [{"client_id": "A", "overdue": 281.5, "oldest_due": D(2026, 7, 1),
                    "overdue_invoices": 3, "days_past_due": 121}]  # fmt: skip


def test_payment_trend() -> None:
    docs = _docs([
        # recent (due after 2026-05-01): 100 paid 40 days late, 300 unpaid due 2026-10-20 (10)
        ("A", "invoice", D(2026, 5, 1), D(2026, 6, 1), D(2026, 7, 11), 100.0, None, None),
        ("A", "invoice", D(2026, 9, 20), D(2026, 10, 20), None, 300.0, None, None),
        # earlier: paid on time
        ("A", "invoice", D(2026, 1, 1), D(2026, 2, 1), D(2026, 1, 30), 200.0, None, None),
    ])  # fmt: skip
    row = payment_trend(docs, AS_OF).row(0, named=True)
    assert row["recent_days_late"] == (100 * 40 + 300 * 10) / 400
    assert row["earlier_days_late"] == 0.0


def test_without_any_payment_date_nothing_is_open_or_late() -> None:
    # Due dates but no payment data at all (an invoices-only export): nothing says what was
    # paid, so nothing is called open or late (decision 0948). One payment date anywhere,
    # even another client's, is the edge: then unpaid invoices are open.
    rows = [
        ("A", "invoice", D(2026, 6, 1), D(2026, 7, 1), None, 100.0, 121.0, None),
        ("B", "invoice", D(2026, 9, 1), D(2026, 10, 1), None, 50.0, 50.0, None),
    ]
    assert open_items(_docs(rows), AS_OF).height == 0
    assert payment_trend(_docs(rows), AS_OF).height == 0
    paid = ("C", "invoice", D(2026, 9, 1), D(2026, 10, 1), D(2026, 9, 20), 10.0, 10.0, 10.0)
    out = {r["client_id"]: r["overdue"] for r in open_items(_docs([*rows, paid]), AS_OF).to_dicts()}
    assert out == {"A": 121.0, "B": 50.0}
    assert set(payment_trend(_docs([*rows, paid]), AS_OF)["client_id"]) == {"A", "B", "C"}


def test_paid_amounts_without_dates_settle_open_items_but_give_no_lateness() -> None:
    rows = [
        ("A", "invoice", D(2026, 6, 1), D(2026, 7, 1), None, 100.0, 121.0, 121.0),  # paid
        ("B", "invoice", D(2026, 6, 1), D(2026, 7, 1), None, 50.0, 50.0, 20.0),  # 30 open
    ]
    out = {r["client_id"]: r["overdue"] for r in open_items(_docs(rows), AS_OF).to_dicts()}
    assert out == {"B": 30.0}
    assert payment_trend(_docs(rows), AS_OF).height == 0
