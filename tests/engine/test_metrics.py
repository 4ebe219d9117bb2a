"""Hand-computed expectations for every per-client metric on a tiny portfolio."""

from __future__ import annotations

import datetime as dt

import pytest
from builders import D, activity, line, tables

from cartera.analysis import analyze_tables
from cartera.result import PortfolioAnalysis
from cartera.settings import Settings

AS_OF = D(2025, 12, 31)  # window 2025-01-01 … 2025-12-31, previous window 2024


def _docs() -> list[dict[str, object]]:
    return [
        # A: three invoices (one of two lines), a credit note, history in 2024.
        line("A", "F0", D(2024, 3, 1), 2000, cost=1500, due=D(2024, 3, 31), paid=D(2024, 4, 1)),
        line(
            "A",
            "F1",
            D(2025, 1, 15),
            1000,
            cost=600,
            units=2,
            due=D(2025, 2, 14),
            paid=D(2025, 3, 16),
        ),
        line(
            "A",
            "F1",
            D(2025, 1, 15),
            500,
            cost=300,
            units=1,
            due=D(2025, 2, 14),
            paid=D(2025, 3, 16),
            first_line=False,
        ),
        line(
            "A",
            "F2",
            D(2025, 6, 10),
            2000,
            cost=1400,
            units=4,
            due=D(2025, 7, 10),
            paid=D(2025, 7, 10),
        ),
        line("A", "R1", D(2025, 7, 1), -300, cost=-210, units=-1),
        line("A", "F3", D(2025, 12, 1), 1000, cost=700, units=2, due=D(2025, 12, 31)),
        # B: one unpaid invoice, 266 days past due at as-of, 100 paid on account.
        line("B", "F4", D(2025, 3, 10), 800, cost=200, due=D(2025, 4, 9), paid_amount=100),
        # C: an invoice in 2024 and only a credit note in the window.
        line("C", "F5", D(2024, 11, 11), 500, cost=300, due=D(2024, 12, 11), paid=D(2024, 12, 1)),
        line("C", "R2", D(2025, 5, 5), -50, cost=-30),
        # E: a small image client.
        line("E", "F6", D(2025, 9, 9), 100, cost=90, due=D(2025, 10, 9), paid=D(2025, 10, 1)),
        # A document after as-of is ignored.
        line("A", "F9", D(2026, 1, 5), 9999, cost=1),
    ]


def _acts() -> list[dict[str, object]]:
    return [
        activity("A", D(2025, 2, 1), 1.5),
        activity("A", D(2025, 8, 1), 1.5),
        activity("A", D(2024, 8, 1), 5.0),  # before the window
        activity("D", D(2025, 4, 1), 2.0),  # a prospect: hours, no sales
    ]


@pytest.fixture(scope="module", params=["month-mask", "one-max-per-month"])
def analysis(request: pytest.FixtureRequest) -> PortfolioAnalysis:
    """The analysis, by the fast path (months as bits of one int64, windows up to 62
    months) and by its general twin (one aggregate per month, longer windows): every
    test of this module runs on both."""
    import cartera.engine.metrics as metrics

    t = tables(_docs(), _acts(), clients={"E": {"image": True}})
    with pytest.MonkeyPatch.context() as mp:
        if request.param == "one-max-per-month":
            mp.setattr(metrics, "_MASK_MONTHS", 0)
        return analyze_tables(t, Settings(as_of=AS_OF))


def _row(analysis: PortfolioAnalysis, cid: str) -> dict[str, object]:
    frame = analysis.clients_frame
    return frame.filter(frame["id"] == cid).row(0, named=True)


def test_window(analysis: PortfolioAnalysis) -> None:
    assert analysis.as_of == AS_OF
    assert analysis.window.start == D(2025, 1, 1)
    assert analysis.window.end == AS_OF


def test_money_metrics_of_a(analysis: PortfolioAnalysis) -> None:
    a = _row(analysis, "A")
    assert a["invoiced"] == pytest.approx(4500)
    assert a["credit_notes"] == pytest.approx(300)
    assert a["revenue"] == pytest.approx(4200)
    assert a["cost"] == pytest.approx(2790)
    assert a["gross_margin"] == pytest.approx(1410)
    assert a["margin_pct"] == pytest.approx(1410 / 4200)
    assert a["return_rate"] == pytest.approx(300 / 4500)
    assert a["previous_revenue"] == pytest.approx(2000)


def test_volume_and_time_metrics_of_a(analysis: PortfolioAnalysis) -> None:
    a = _row(analysis, "A")
    assert a["orders"] == 3  # F1 counted once though it has two lines
    assert a["units"] == pytest.approx(2 + 1 + 4 - 1 + 2)
    assert a["active_months"] == 3  # January, June, December
    assert a["recency_days"] == 30
    assert a["tenure_days"] == (AS_OF - D(2024, 3, 1)).days == 670
    assert a["last_purchase"] == D(2025, 12, 1)
    assert a["order_interval_days"] == pytest.approx((D(2025, 12, 1) - D(2025, 1, 15)).days / 2)


def test_payment_metrics(analysis: PortfolioAnalysis) -> None:
    a = _row(analysis, "A")
    assert a["days_to_pay"] == pytest.approx((1500 * 60 + 2000 * 30) / 3500)
    assert a["days_late"] == pytest.approx((1500 * 30 + 2000 * 0 + 1000 * 0) / 4500)
    assert a["overdue"] == 0.0
    assert a["aging_current"] == pytest.approx(1210)  # F3 falls due on as-of itself
    b = _row(analysis, "B")
    assert b["days_to_pay"] is None
    assert b["days_late"] == pytest.approx((AS_OF - D(2025, 4, 9)).days)
    assert b["overdue"] == pytest.approx(968 - 100)
    assert b["aging_over_120"] == pytest.approx(868)
    assert b["aging_current"] == 0.0


def test_cost_to_serve(analysis: PortfolioAnalysis) -> None:
    a = _row(analysis, "A")
    dtp = (1500 * 60 + 2000 * 30) / 3500
    assert a["service_hours"] == pytest.approx(3.0)
    assert a["service_cost"] == pytest.approx(3.0 * 40)
    assert a["orders_cost"] == pytest.approx(3 * 15)
    assert a["returns_cost"] == pytest.approx(1 * 25)
    assert a["financing_cost"] == pytest.approx(4500 * dtp * 0.05 / 365)
    cts = 120 + 45 + 25 + 4500 * dtp * 0.05 / 365
    assert a["cost_to_serve"] == pytest.approx(cts)
    assert a["net_contribution"] == pytest.approx(1410 - cts)


def test_shares_rank_abc(analysis: PortfolioAnalysis) -> None:
    frame = analysis.clients_frame
    assert frame["id"].to_list() == ["A", "B", "E", "D", "C"]  # revenue desc, ties by id
    assert frame["rank"].to_list() == [1, 2, 3, 4, 5]
    total = 4200 + 800 + 100
    assert frame["revenue_share"].to_list() == pytest.approx(
        [4200 / total, 800 / total, 100 / total, 0, 0]
    )
    assert frame["cumulative_share"].to_list() == pytest.approx(
        [4200 / total, 5000 / total, 1, 1, 1]
    )
    assert frame["abc"].to_list() == ["A", "B", "C", "C", "C"]


def test_client_with_only_credit_notes_and_prospect(analysis: PortfolioAnalysis) -> None:
    c = _row(analysis, "C")
    assert c["revenue"] == pytest.approx(-50)
    assert c["orders"] == 0
    assert c["return_rate"] is None  # nothing invoiced in the window: undefined, not inf
    assert c["segment"] == "dormant"
    assert c["action"] == "win_back"  # bought in the previous window: worth a call
    d = _row(analysis, "D")
    assert d["revenue"] == 0.0
    assert d["tenure_days"] is None
    assert d["net_contribution"] == pytest.approx(-80)


def test_portfolio_figures(analysis: PortfolioAnalysis) -> None:
    p = analysis.portfolio
    total = 5100
    assert p.clients == 5
    assert p.revenue == pytest.approx(4200 + 800 + 100 - 50)
    assert p.hhi == pytest.approx(10_000 * (4200**2 + 800**2 + 100**2) / total**2)
    assert p.effective_clients == pytest.approx(total**2 / (4200**2 + 800**2 + 100**2))
    assert p.pareto.clients_for_80pct == 1
    assert p.pareto.share_of_clients_for_80pct == pytest.approx(1 / 3)
    assert p.pareto.band == "typical"
    assert p.top1_share == pytest.approx(4200 / total)
    assert p.top5_share == pytest.approx(1.0)
    assert p.large_clients == ["A", "B"]
    aging = {b.bucket: b.amount for b in p.aging}
    assert aging["over_120"] == pytest.approx(868)
    assert aging["current"] == pytest.approx(1210)
    assert p.segments["image"].clients == 1
    # C (credit note only), D (hours only) and B (last invoice 296 days ago > 240).
    assert p.segments["dormant"].clients == 3
    assert sum(s.clients for s in p.segments.values()) == 5


def test_future_documents_are_ignored(analysis: PortfolioAnalysis) -> None:
    assert _row(analysis, "A")["revenue"] == pytest.approx(4200)


def test_default_as_of_is_latest_document() -> None:
    t = tables([line("A", "F1", D(2025, 3, 14), 10.0, cost=5.0)])
    result = analyze_tables(t, Settings())
    assert result.as_of == D(2025, 3, 14)
    assert result.window.start == D(2024, 3, 15)


def test_month_slots_off_month_end() -> None:
    # as-of 15 March: months are 16 Feb–15 Mar, 16 Jan–15 Feb, …
    docs = [
        line("A", "F1", D(2025, 3, 15), 10.0, cost=1.0),
        line("A", "F2", D(2025, 2, 16), 10.0, cost=1.0),  # same month slot as F1
        line("A", "F3", D(2025, 2, 15), 10.0, cost=1.0),  # previous slot
        line("A", "F4", D(2024, 3, 16), 10.0, cost=1.0),  # first day of the window: slot 11
        line("A", "F5", D(2024, 3, 15), 10.0, cost=1.0),  # previous window
    ]
    result = analyze_tables(tables(docs), Settings(as_of=D(2025, 3, 15)))
    row = result.clients_frame.row(0, named=True)
    assert row["active_months"] == 3
    assert row["orders"] == 4
    assert row["previous_revenue"] == pytest.approx(10.0)
    assert isinstance(row["last_purchase"], dt.date)


def test_shares_are_of_the_positive_revenue_the_caller_gives() -> None:
    # The analysis passes the positive revenue its totals query summed (no window over the
    # table): the shares and classes are of that total, here 120 for clients selling 100.
    import ibis
    import pyarrow as pa

    from cartera.engine.metrics import rank_and_share

    t = ibis.memtable(pa.table({"id": ["A", "B", "C"], "revenue": [60.0, 30.0, 10.0]}))
    given = rank_and_share(t, total_positive=120.0).to_pyarrow().to_pylist()
    rows = sorted(given, key=lambda r: r["rank"])
    assert [(r["id"], r["revenue_share"], r["cumulative_share"], r["abc"]) for r in rows] == [
        ("A", 0.5, 0.5, "A"), ("B", 0.25, 0.75, "A"), ("C", 10.0 / 120.0, 100.0 / 120.0, "A"),
    ]  # fmt: skip
    # Without it, the window's total: C then starts at 0.9, class B.
    own = {r["id"]: r["abc"] for r in rank_and_share(t).to_pyarrow().to_pylist()}
    assert own == {"A": "A", "B": "A", "C": "B"}
