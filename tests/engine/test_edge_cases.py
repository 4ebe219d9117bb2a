"""Edge cases: neutral values and a note, never NaN, inf or a traceback."""

from __future__ import annotations

import json

import pytest
from builders import D, activity, line, tables
from parity import analyze_local

from cartera.analysis import (
    NOTE_EMPTY_WINDOW,
    NOTE_NO_ACTIVITIES,
    NOTE_NO_COST,
    NOTE_NO_DOCUMENTS,
    NOTE_NO_DUE,
    NOTE_NO_PAYMENT_DATES,
    NOTE_NO_PAYMENTS,
    analyze_tables,
)
from cartera.result import PortfolioAnalysis
from cartera.scenarios import enrich
from cartera.settings import Settings


def _json(analysis: PortfolioAnalysis) -> dict[str, object]:
    return json.loads(json.dumps(analysis.to_contract(), allow_nan=False))


def test_no_documents_at_all() -> None:
    analysis = analyze_tables(tables([]), Settings(as_of=D(2025, 6, 30)))
    assert analysis.notes == [NOTE_NO_DOCUMENTS]
    assert analysis.clients == []
    p = analysis.portfolio
    assert (p.clients, p.revenue, p.hhi, p.pareto.band) == (0, 0.0, 0.0, "undefined")
    assert _json(analysis)["portfolio"]["effective_clients"] is None


def test_empty_window_makes_everyone_dormant() -> None:
    docs = [line("A", "F1", D(2020, 1, 1), 100.0, cost=50.0)]
    analysis = analyze_tables(tables(docs), Settings(as_of=D(2025, 6, 30)))
    assert NOTE_EMPTY_WINDOW in analysis.notes
    client = analysis.client("A")
    assert client.segment == "dormant"
    assert client.metrics.revenue == 0.0
    assert client.metrics.margin_pct is None
    assert client.metrics.last_purchase == D(2020, 1, 1)
    assert analysis.portfolio.pareto.band == "undefined"
    _json(analysis)


def test_only_credit_notes_and_zero_revenue() -> None:
    docs = [
        line("A", "R1", D(2025, 3, 1), -100.0, cost=-60.0),
        line("B", "F1", D(2025, 3, 1), 100.0, cost=60.0),
        line("B", "R2", D(2025, 3, 2), -100.0, cost=-60.0),
    ]
    analysis = analyze_tables(tables(docs), Settings(as_of=D(2025, 6, 30)))
    a, b = analysis.client("A").metrics, analysis.client("B").metrics
    assert (a.revenue, a.revenue_share, a.return_rate, a.margin_pct) == (-100.0, 0.0, None, None)
    assert (b.revenue, b.revenue_share, b.margin_pct) == (0.0, 0.0, None)
    assert b.return_rate == pytest.approx(1.0)
    assert analysis.portfolio.hhi == 0.0
    _json(analysis)


def test_missing_optional_columns_are_noted() -> None:
    docs = [line("A", "F1", D(2025, 3, 1), 100.0, units=None)]  # no cost, due, paid
    analysis = analyze_tables(tables(docs), Settings())
    assert analysis.notes == [NOTE_NO_COST, NOTE_NO_PAYMENTS, NOTE_NO_DUE, NOTE_NO_ACTIVITIES]
    m = analysis.client("A").metrics
    assert (m.gross_margin, m.net_contribution, m.days_to_pay, m.days_late) == (None,) * 4
    assert m.units is None
    assert m.overdue is None  # nothing says what was paid (decision 0948)
    p = analysis.portfolio
    assert (p.gross_margin, p.net_contribution, p.profit) == (None, None, None)
    assert p.segments["regular"].gross_margin is None or p.segments["new"].gross_margin is None
    assert analysis.whale_curve == []
    _json(analysis)


def test_discount_and_price_pressure() -> None:
    docs = [
        line("A", "F1", D(2025, 3, 1), 80.0, cost=40.0, list_amount=100.0),
        line("A", "F1", D(2025, 3, 1), 50.0, cost=20.0, first_line=False),  # no list price
    ]
    analysis = analyze_tables(
        tables(docs, [activity("A", D(2025, 3, 2), 0.5)]), Settings(as_of=D(2025, 6, 30))
    )
    row = analysis.clients_frame.row(0, named=True)
    assert row["list_amount"] == pytest.approx(100.0)
    assert row["discount"] == pytest.approx(0.2)
    assert "price_pressure" in row["reasons"]
    reason = next(r for r in analysis.client("A").reasons if r.code == "price_pressure")
    assert (reason.value, reason.threshold) == (pytest.approx(0.2), 0.15)


# Receivables need payment data (decision 0948): without a single payment date every
# invoice ever issued would look open. One payment date anywhere is the edge.
_DUE_NO_PAID = [
    line("A", "F1", D(2025, 1, 10), 100.0, cost=50.0, total=100.0, due=D(2025, 2, 10)),
    line("B", "F2", D(2025, 5, 10), 200.0, cost=50.0, total=200.0, due=D(2025, 6, 10)),
]
_ONE_PAID = [
    *_DUE_NO_PAID,
    line("C", "F3", D(2025, 5, 1), 10.0, cost=5.0, due=D(2025, 5, 31), paid=D(2025, 5, 20)),
]


@pytest.mark.parametrize("run", [analyze_tables, analyze_local], ids=["engine", "local"])
def test_without_payment_dates_receivables_are_not_computed(run) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(as_of=D(2025, 6, 30))
    analysis = enrich(run(tables(_DUE_NO_PAID), settings), settings)
    assert NOTE_NO_PAYMENTS in analysis.notes
    assert NOTE_NO_DUE not in analysis.notes
    for client in ("A", "B"):
        m = analysis.client(client).metrics
        assert (m.days_late, m.overdue, m.days_to_pay) == (None, None, None)
    assert analysis.portfolio.aging == []
    assert "collect_overdue" not in {r.code for r in analysis.recommendations}
    contract = _json(analysis)
    assert contract["portfolio"]["aging"] == []
    assert {c["metrics"]["overdue"] for c in contract["clients"]} == {None}


@pytest.mark.parametrize("run", [analyze_tables, analyze_local], ids=["engine", "local"])
def test_one_payment_date_makes_receivables_computed(run) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(as_of=D(2025, 6, 30))
    analysis = enrich(run(tables(_ONE_PAID), settings), settings)
    assert NOTE_NO_PAYMENTS not in analysis.notes
    a = analysis.client("A").metrics
    assert a.overdue == 100.0  # due 10 Feb, unpaid at 30 Jun
    assert a.days_late == 140.0
    assert analysis.client("B").metrics.overdue == 200.0  # due 10 Jun: 20 days late
    assert analysis.client("C").metrics.overdue == 0.0
    buckets = {b.bucket: b.amount for b in analysis.portfolio.aging}
    assert buckets["over_120"] == 100.0
    assert buckets["1_30"] == 200.0
    assert "collect_overdue" in {r.code for r in analysis.recommendations}


@pytest.mark.parametrize("run", [analyze_tables, analyze_local], ids=["engine", "local"])
def test_paid_amounts_without_dates_give_open_amounts_not_lateness(run) -> None:  # type: ignore[no-untyped-def]
    # Stripe's invoices export: Amount Paid, no payment date. What is open is known; how
    # late anything was paid is not (decision 0948).
    docs = [
        line("A", "F1", D(2025, 1, 10), 100.0, total=100.0, due=D(2025, 2, 10), paid_amount=100.0),
        line("A", "F2", D(2025, 3, 10), 80.0, total=80.0, due=D(2025, 4, 10), paid_amount=50.0),
        line("B", "F3", D(2025, 5, 10), 200.0, total=200.0, due=D(2025, 6, 10), paid_amount=0.0),
    ]
    analysis = run(tables(docs), Settings(as_of=D(2025, 6, 30)))
    assert NOTE_NO_PAYMENT_DATES in analysis.notes
    assert NOTE_NO_PAYMENTS not in analysis.notes
    a, b = analysis.client("A").metrics, analysis.client("B").metrics
    assert (a.overdue, b.overdue) == (30.0, 200.0)
    assert (a.days_late, b.days_late, a.days_to_pay) == (None, None, None)
    buckets = {x.bucket: x.amount for x in analysis.portfolio.aging}
    assert (buckets["61_90"], buckets["1_30"]) == (30.0, 200.0)
