"""On the demo portfolio: planted kinds recovered, and a pandas oracle for the key numbers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ibis
import pandas as pd
import polars as pl
import pytest
from demo_canonical import canonical
from parity import analyze_local, assert_same_analysis
from recovery import SCORED, analyse_demo, scores

from cartera.analysis import analyze_tables
from cartera.demo import DemoData, generate
from cartera.engine.connect import Tables, connect
from cartera.result import PortfolioAnalysis
from cartera.settings import Settings


@pytest.fixture(scope="module")
def demo_tables() -> tuple[dict[str, pl.DataFrame], pl.DataFrame, Tables]:
    demo = generate(clients=400, lines=30_000, seed=7)
    fs = canonical(demo)
    t = Tables(con=connect(), **{k: ibis.memtable(v.to_arrow()) for k, v in fs.items()})
    return fs, demo.truth, t


@pytest.fixture(scope="module", params=["engine", "local"])
def demo_run(
    request: pytest.FixtureRequest, demo_tables: tuple[Any, pl.DataFrame, Tables]
) -> tuple[dict[str, pl.DataFrame], pl.DataFrame, PortfolioAnalysis]:
    """The demo analysed by the engine's queries, and by the local path (the grouped
    pass's sums, then polars: what an analysis from pre-aggregates runs)."""
    fs, truth, t = demo_tables
    run = analyze_tables if request.param == "engine" else analyze_local
    return fs, truth, run(t, Settings())


@pytest.mark.parametrize(
    "settings",
    [Settings(), Settings(fixed_costs=1_135_000.0, order_cost=12.3, hourly_cost=41.7)],
    ids=["default", "fixed-costs-odd-rates"],
)
def test_both_paths_give_the_same_analysis(demo_tables, settings: Settings) -> None:
    _fs, _truth, t = demo_tables
    assert_same_analysis(analyze_local(t, settings), analyze_tables(t, settings))


@pytest.fixture(
    scope="module",
    params=[400, pytest.param(5_000, marks=pytest.mark.slow),
            pytest.param(50_000, marks=pytest.mark.slow)],
)  # fmt: skip
def demo_at_size(request: pytest.FixtureRequest) -> DemoData:
    # ~75 invoice lines per client at every size, as at the default 400 / 30,000.
    return generate(clients=request.param, lines=75 * request.param, seed=7)


@pytest.mark.parametrize("with_fixed_costs", [False, True], ids=["no-fixed", "demo-fixed"])
def test_planted_kinds_are_recovered_at_every_size(
    demo_at_size: DemoData, with_fixed_costs: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    demo = demo_at_size
    settings = Settings(fixed_costs=demo.fixed_costs if with_fixed_costs else 0.0)
    analysis = analyse_demo(demo, settings)
    got = scores(analysis.clients_frame, demo.truth)
    with capsys.disabled():
        print(f"\n{demo.truth.height} clients, fixed costs {settings.fixed_costs:,.0f}")
        for kind, (p, r) in got.items():
            print(f"  {kind:<10} precision {p:5.3f}  recall {r:5.3f}")
    for kind in SCORED:
        assert min(got[kind]) >= 0.9, (kind, got[kind])
    assert min(got["overall"]) >= 0.95, got["overall"]
    frame = analysis.clients_frame
    # Let go only when it pays: every let_go client loses money (no policy is set).
    assert (frame.filter(pl.col("action") == "let_go")["net_contribution"] < 0).all()


def test_demo_fixed_costs_are_what_its_structure_clients_carry_80pct_of(demo_run) -> None:
    _fs, truth, analysis = demo_run
    demo = generate(clients=400, lines=30_000, seed=7)
    f = analysis.clients_frame.join(truth.rename({"client_id": "id"}), on="id")
    structure_gm = f.filter(pl.col("kind") == "structure")["gross_margin"].sum()
    assert demo.fixed_costs % 1_000 == 0
    assert structure_gm / 0.8 <= demo.fixed_costs < structure_gm / 0.8 + 1_000


def _window_docs(fs: dict[str, pl.DataFrame], analysis: PortfolioAnalysis) -> pd.DataFrame:
    docs = fs["documents"].to_pandas()
    docs["date"] = pd.to_datetime(docs["date"])
    start, end = pd.Timestamp(analysis.window.start), pd.Timestamp(analysis.window.end)
    return docs[(docs["date"] >= start) & (docs["date"] <= end)]


def test_pandas_oracle_revenue_shares_n80_hhi(demo_run) -> None:
    fs, _truth, analysis = demo_run
    docs = _window_docs(fs, analysis)
    revenue = docs.groupby("client_id")["amount"].sum()
    positive = revenue.clip(lower=0)
    shares = (positive / positive.sum()).sort_values(ascending=False)
    cumulative = shares.cumsum()
    n80 = int((cumulative.shift(fill_value=0.0) < 0.8 - 1e-9).sum())
    hhi = float(((shares * 100) ** 2).sum())

    frame = analysis.clients_frame.to_pandas().set_index("id")
    got = frame.loc[revenue.index, "revenue"]
    assert got.to_numpy() == pytest.approx(revenue.to_numpy(), rel=1e-9, abs=1e-6)
    assert frame.loc[shares.index, "revenue_share"].to_numpy() == pytest.approx(
        shares.to_numpy(), rel=1e-9, abs=1e-12
    )
    assert analysis.portfolio.revenue == pytest.approx(revenue.sum(), rel=1e-12)
    assert analysis.portfolio.pareto.clients_for_80pct == n80
    assert analysis.portfolio.hhi == pytest.approx(hhi, rel=1e-9)
    assert analysis.portfolio.top1_share == pytest.approx(shares.iloc[0], rel=1e-9)
    assert analysis.portfolio.top5_share == pytest.approx(shares.iloc[:5].sum(), rel=1e-9)


def test_pandas_oracle_days_to_pay(demo_run) -> None:
    fs, _truth, analysis = demo_run
    docs = _window_docs(fs, analysis)
    as_of = pd.Timestamp(analysis.as_of)
    paid = docs[(docs["doc_type"] == "invoice") & docs["paid_date"].notna()].copy()
    paid["paid_date"] = pd.to_datetime(paid["paid_date"])
    paid = paid[paid["paid_date"] <= as_of]
    paid["days"] = (paid["paid_date"] - paid["date"]).dt.days
    paid["weighted"] = paid["days"] * paid["amount"]
    sums = paid.groupby("client_id")[["weighted", "amount"]].sum()
    expected = sums["weighted"] / sums["amount"]

    frame = analysis.clients_frame.to_pandas().set_index("id")
    got = frame.loc[expected.index, "days_to_pay"]
    assert got.to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-9)
    others = frame.index.difference(expected.index)
    assert frame.loc[others, "days_to_pay"].isna().all()


def test_demo_json_has_no_nan(demo_run) -> None:
    import json

    _fs, _truth, analysis = demo_run
    text = json.dumps(analysis.to_contract(), allow_nan=False)
    assert '"schema": 2' in text
    assert isinstance(analysis.as_of, dt.date)
    assert len(analysis.pareto_curve) <= 500
    assert len(analysis.whale_curve) <= 500


def test_without_fixed_costs_the_notes_say_what_to_set(demo_run) -> None:
    from cartera.scenarios.texts import FIXED_COSTS_HINT

    fs, _truth, analysis = demo_run
    assert FIXED_COSTS_HINT in analysis.notes
    t = Tables(con=connect(), **{k: ibis.memtable(v.to_arrow()) for k, v in fs.items()})
    assert FIXED_COSTS_HINT not in analyze_tables(t, Settings(fixed_costs=1.0)).notes
