"""Churn risk at its edges, and BG/NBD against the published CDNOW fit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from cartera.assistant.bgnbd import fit_bgnbd, rfm_summary
from cartera.assistant.churn import churn_risk, latest_answers, signals_of
from cartera.assistant.interactions import Interaction
from cartera.assistant.settings import ChurnSettings
from cartera.errors import CarteraError

from .conftest import clients, log, rhythm

CDNOW = Path(__file__).resolve().parents[1] / "data" / "cdnow" / "cdnow_customers_summary.csv"


def _payments(*rows: tuple[str, float | None, float | None]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema={"client_id": pl.String, "recent_days_late": pl.Float64,
                      "earlier_days_late": pl.Float64}, orient="row",
    )  # fmt: skip


def _risk(
    days_since: int = 10,
    *,
    orders: int = 5,
    revenue: float = 1000.0,
    payments: pl.DataFrame | None = None,
    answers: list[Interaction] | None = None,
) -> dict:
    cl = clients({"id": "A", "revenue": revenue, "previous_revenue": 1000.0})
    rh = rhythm({"client_id": "A", "orders": orders, "first_order": dt.date(2025, 1, 1),
                 "last_order": dt.date(2026, 1, 1), "median_gap": 20.0, "usual_gap": 40.0,
                 "days_since": days_since})  # fmt: skip
    pay = payments if payments is not None else _payments()
    ans = latest_answers(log(*(answers or [])))
    return churn_risk(cl, rh, pay, ans, ChurnSettings()).row(0, named=True)


@pytest.mark.parametrize(
    ("days", "status", "risk"),
    [(40, "active", "none"), (41, "at_risk", "medium"), (80, "at_risk", "medium"),
     (81, "lapsed", "high")],
)  # fmt: skip
def test_silence_against_the_clients_own_gap(days: int, status: str, risk: str) -> None:
    row = _risk(days)
    assert (row["status"], row["risk"]) == (status, risk)
    silence = [s for s in signals_of(row) if s.code == "silence"]
    if status == "active":
        assert silence == []
    else:
        assert silence[0].value == days
        assert silence[0].threshold == (80.0 if status == "lapsed" else 40.0)


def test_too_few_orders_is_no_history() -> None:
    assert _risk(500, orders=2)["status"] == "no_history"
    assert _risk(500, orders=3)["status"] == "lapsed"


@pytest.mark.parametrize(("revenue", "flagged"), [(699.0, True), (700.0, False), (701.0, False)])
def test_falling_trend_edge(revenue: float, flagged: bool) -> None:
    row = _risk(revenue=revenue)
    assert any(s.code == "falling_trend" for s in signals_of(row)) is flagged
    assert row["risk"] == ("low" if flagged else "none")


@pytest.mark.parametrize(("recent", "flagged"), [(24.0, False), (25.0, False), (25.5, True)])
def test_payment_worse_edge(recent: float, flagged: bool) -> None:
    row = _risk(payments=_payments(("A", recent, 10.0)))
    assert any(s.code == "payment_worse" for s in signals_of(row)) is flagged


@pytest.mark.parametrize(
    ("outcome", "flagged"),
    [("csat:2", True), ("csat:3", False), ("nps:6", True), ("nps:7", False)],
)
def test_low_satisfaction_edges(outcome: str, flagged: bool) -> None:
    answer = Interaction("A", dt.date(2026, 1, 5), "survey", outcome=outcome)
    row = _risk(answers=[answer])
    assert any(s.code == "low_satisfaction" for s in signals_of(row)) is flagged


def test_at_risk_with_another_signal_is_high_and_latest_answer_counts() -> None:
    answers = [
        Interaction("A", dt.date(2026, 1, 5), "survey", outcome="csat:1"),
        Interaction("A", dt.date(2026, 2, 5), "survey", outcome="csat:5"),
        Interaction("A", dt.date(2026, 3, 5), "call", outcome="csat:1"),  # not a survey
    ]
    row = _risk(41, answers=answers)
    assert row["csat"] == 5 and row["risk"] == "medium"
    row = _risk(41, revenue=500.0)
    assert row["risk"] == "high"
    assert [s.code for s in signals_of(row)] == ["silence", "falling_trend"]


def test_bgnbd_reproduces_the_published_cdnow_fit() -> None:
    data = pl.read_csv(CDNOW)
    assert data.height == 2357
    model = fit_bgnbd(data["frequency"].to_numpy(), data["recency"].to_numpy(),
                      data["T"].to_numpy())  # fmt: skip
    assert round(model.r, 2) == 0.24
    assert round(model.alpha, 2) == 4.41
    assert round(model.a, 2) == 0.79
    assert round(model.b, 2) == 2.43
    assert abs(model.log_likelihood - (-9582.4)) < 0.1  # the paper's LL
    # P(alive) of the paper's worked customers: no repeat purchase → 1; eq. 13 by hand
    x, t_x, T = 2.0, 30.43, 38.86
    by_hand = 1 / (1 + model.a / (model.b + x - 1)
                   * ((model.alpha + T) / (model.alpha + t_x)) ** (model.r + x))  # fmt: skip
    got = model.p_alive(np.array([0.0, x]), np.array([0.0, t_x]), np.array([T, T]))
    assert got[0] == 1.0 and abs(got[1] - by_hand) < 1e-12
    assert 0 < model.expected_purchases(39, np.array([x]), np.array([t_x]), np.array([T]))[0] < 3


def test_bgnbd_refuses_too_little_data() -> None:
    with pytest.raises(CarteraError):
        fit_bgnbd(np.zeros(20), np.zeros(20), np.ones(20))
    with pytest.raises(CarteraError):
        fit_bgnbd(np.ones(5), np.ones(5), np.ones(5) * 2)


def test_rfm_summary_in_weeks() -> None:
    docs = pl.DataFrame(
        {"client_id": ["A", "A", "A", "B"], "doc_type": ["invoice"] * 3 + ["credit_note"],
         "date": [dt.date(2026, 1, 1), dt.date(2026, 1, 15), dt.date(2026, 1, 15),
                  dt.date(2026, 1, 2)]},
    )  # fmt: skip
    out = rfm_summary(docs, dt.date(2026, 1, 29)).to_dicts()
    assert out == [{"client_id": "A", "x": 1.0, "t_x": 2.0, "T": 4.0}]


def test_p_alive_by_client_on_the_firms_own_invoices() -> None:
    from cartera.assistant.bgnbd import p_alive_by_client

    rng = np.random.default_rng(3)
    rows = []
    for c in range(40):
        start = dt.date(2025, 1, 1) + dt.timedelta(days=int(rng.integers(0, 60)))
        stop = 700 if c % 2 else int(rng.integers(60, 200))  # odd clients keep buying
        for day in range(0, stop, int(rng.integers(15, 40))):
            rows.append((f"C{c:02d}", start + dt.timedelta(days=day)))
    rows.append(("ONCE", dt.date(2026, 6, 1)))
    docs = pl.DataFrame(rows, schema={"client_id": pl.String, "date": pl.Date}, orient="row")
    docs = docs.with_columns(pl.lit("invoice").alias("doc_type"))
    model, out = p_alive_by_client(docs, dt.date(2026, 12, 31))
    p = dict(zip(out["client_id"].to_list(), out["p_alive"].to_list(), strict=True))
    assert p["ONCE"] == 1.0  # no repeat purchase: never seen to drop out
    assert all(0.0 <= v <= 1.0 for v in p.values())
    stopped = [p[f"C{c:02d}"] for c in range(0, 40, 2)]
    buying = [p[f"C{c:02d}"] for c in range(1, 40, 2)]
    assert max(stopped) < min(buying)
    assert model.r > 0 and model.alpha > 0
