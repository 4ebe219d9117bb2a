"""Hypothesis invariants of the per-client metrics."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
import warnings
from typing import Any

import polars as pl
from builders import frames
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cartera.engine.connect import connect
from cartera.engine.metrics import client_metrics, rank_and_share
from cartera.engine.window import AnalysisWindow
from cartera.schema import TABLES
from cartera.segments import classify
from cartera.settings import Settings

AS_OF = dt.date(2025, 12, 31)
COMPARED = (
    "revenue", "gross_margin", "orders", "units", "active_months", "recency_days",
    "tenure_days", "return_rate", "days_to_pay", "days_late", "overdue", "cost_to_serve",
    "net_contribution", "revenue_share", "cumulative_share", "rank", "segment", "action",
    "reasons",
)  # fmt: skip
_CON = connect()


@st.composite
def documents(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Random small portfolios: 1-6 clients, 1-25 documents of 1-3 lines."""
    n_clients = draw(st.integers(1, 6))
    rows: list[dict[str, Any]] = []
    for n in range(draw(st.integers(1, 25))):
        client = f"C{draw(st.integers(0, n_clients - 1))}"
        date = AS_OF - dt.timedelta(days=draw(st.integers(0, 700)))
        credit = draw(st.booleans()) and draw(st.booleans())
        due = date + dt.timedelta(days=30)
        paid = (
            None
            if credit
            else draw(
                st.one_of(st.none(), st.integers(0, 200).map(lambda d, x=date: x + dt.timedelta(d)))
            )
        )
        for i in range(draw(st.integers(1, 3))):
            amount = draw(st.integers(1, 5000)) * (-1 if credit else 1) * 1.0
            rows.append({
                "client_id": client, "doc_number": f"{'R' if credit else 'F'}{n}",
                "doc_type": "credit_note" if credit else "invoice", "date": date,
                "amount": amount, "cost": round(amount * draw(st.floats(0.1, 0.9)), 2),
                "units": 1.0, "total": amount * 1.21, "due_date": due, "paid_date": paid,
                "paid_amount": amount * 1.21 if paid else None, "first_line": i == 0,
            })  # fmt: skip
    return rows


def _compiled() -> str:
    """The per-client query, compiled once over named tables that each example refills."""
    settings = Settings(as_of=AS_OF)
    window = AnalysisWindow(as_of=AS_OF, months=settings.window_months)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "fetch_arrow_table", DeprecationWarning)
        t = {}
        for name in ("documents", "clients", "activities"):
            _CON.con.register(f"_{name}", pl.DataFrame(schema=TABLES[name]).to_arrow())
            _CON.con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _{name}')
            t[name] = _CON.table(name)
    metrics = rank_and_share(
        client_metrics(t["documents"], t["clients"], t["activities"], window, settings)
    )
    return str(_CON.compile(classify(metrics, settings, has_cost=True).select("id", *COMPARED)))


_SQL = _compiled()


def _run(rows: list[dict[str, Any]], *, sort: bool = True) -> pl.DataFrame:
    """The per-client table only: the invariants are all per client."""
    fs = frames(rows, sort=sort)
    for name in ("documents", "clients", "activities"):
        _CON.con.register(f"_{name}", fs[name].to_arrow())
        _CON.con.execute(f'DELETE FROM "{name}"; INSERT INTO "{name}" SELECT * FROM _{name}')
    frame = pl.from_arrow(_CON.con.sql(_SQL).to_arrow_table())
    assert isinstance(frame, pl.DataFrame)
    return frame.sort("id")


def _same(a: pl.DataFrame, b: pl.DataFrame) -> None:
    assert a.columns == b.columns and a.height == b.height
    for col in a.columns:
        for x, y in zip(a[col].to_list(), b[col].to_list(), strict=True):
            if isinstance(x, float) and isinstance(y, float):
                assert math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-6), (col, x, y)
            else:
                assert x == y, (col, x, y)


SETTINGS = settings(max_examples=15, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])  # fmt: skip


@SETTINGS
@given(documents())
def test_shares_sum_to_one_and_cumulative_is_monotone(rows: list[dict[str, Any]]) -> None:
    frame = _run(rows).sort("rank")
    shares = frame["revenue_share"]
    if (frame["revenue"] > 0).any():
        assert math.isclose(shares.sum(), 1.0, rel_tol=1e-9)
    cumulative = frame["cumulative_share"].to_list()
    assert all(b >= a - 1e-12 for a, b in itertools.pairwise(cumulative))
    assert all(0 <= s <= 1 + 1e-12 for s in shares)


@SETTINGS
@given(documents(), st.randoms(use_true_random=False))
def test_invariant_to_row_order(rows: list[dict[str, Any]], rnd: random.Random) -> None:
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    # first_line must stay on one line per document, wherever that line now is.
    _same(_run(rows), _run(shuffled, sort=False))


@SETTINGS
@given(documents(), st.data())
def test_invariant_to_splitting_a_line(rows: list[dict[str, Any]], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(rows) - 1))
    part = data.draw(st.sampled_from([0.25, 0.5, 0.7]))
    original = rows[index]
    money = ("amount", "cost", "units", "total", "paid_amount")
    first = {**original, **{k: original[k] * part for k in money if original[k] is not None}}
    second = {
        **original,
        **{k: original[k] * (1 - part) for k in money if original[k] is not None},
        "first_line": False,
    }
    split = [*rows[:index], first, second, *rows[index + 1 :]]
    _same(_run(rows), _run(split))


@SETTINGS
@given(documents())
def test_invariant_to_renaming_clients(rows: list[dict[str, Any]]) -> None:
    # An order-preserving renaming keeps tie-breaks (by id) and so ranks.
    renamed = [{**r, "client_id": "ZZ-" + r["client_id"].lower()} for r in rows]
    before = _run(rows)
    after = _run(renamed).with_columns(pl.col("id").str.slice(3).str.to_uppercase())
    _same(before, after.sort("id"))
