"""Analysis from the import's pre-aggregates equals analysis from the lines (whole contract).

Two paths read the pre-aggregates: the engine's Ibis queries (``--engine spark``,
and DuckDB when told to), equal to the lines' analysis bit for bit on one thread,
and the local polars path (the default on DuckDB, decision 0253), equal to 1e-9
relative for floats and exactly for everything else.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from builders import D, activity, frames, line
from parity import assert_same_analysis

import cartera.analysis
import cartera.engine.connect
import cartera.engine.metrics as metrics
from cartera.analysis import analyze
from cartera.demo import write_demo
from cartera.engine.preagg import AGGREGATES
from cartera.io import import_files
from cartera.io.workspace import MANIFEST, write_workspace
from cartera.result import PortfolioAnalysis
from cartera.settings import Settings


@pytest.fixture(autouse=True, scope="module")
def _one_thread() -> Any:
    """DuckDB on one thread: its parallel sums add the same numbers in a varying order
    (the last bits of a float sum differ from run to run, from the lines as from the
    pre-aggregates); one thread makes both paths exactly reproducible."""
    real = cartera.engine.connect.connect

    def single(engine: str = "duckdb", **kwargs: Any) -> Any:
        return real(engine, **{**kwargs, "threads": 1})

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cartera.engine.connect, "connect", single)
        yield


def _text(analysis: PortfolioAnalysis) -> str:
    frame = analysis.clients_frame
    # The frame too (its dtypes: the library's and the reports' view), then the contract.
    schema = json.dumps({k: str(v) for k, v in frame.schema.items()})
    return schema + frame.write_csv() + json.dumps(analysis.to_contract(), sort_keys=True)


def _contract(path: Path, settings: Settings) -> str:
    return _text(analyze(path, settings=settings))


def _without_aggregates(ws: Path, into: Path) -> Path:
    """A copy of ``ws`` as a workspace written before pre-aggregates existed."""
    shutil.copytree(ws, into)
    shutil.rmtree(into / AGGREGATES)
    manifest = json.loads((into / MANIFEST).read_text("utf-8"))
    del manifest["aggregates"]
    (into / MANIFEST).write_text(json.dumps(manifest), "utf-8")
    return into


class _Counter:
    """Counts the grouped passes over the lines, and the local analyses."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        self.local = 0
        real = metrics.client_metrics
        real_local = cartera.analysis.analyze_aggregates

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += kwargs.get("aggregates") is None
            return real(*args, **kwargs)

        def counted_local(*args: Any, **kwargs: Any) -> Any:
            self.local += 1
            return real_local(*args, **kwargs)

        monkeypatch.setattr(metrics, "client_metrics", counted)
        monkeypatch.setattr(cartera.analysis, "analyze_aggregates", counted_local)


def _check(ws: Path, tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch,
           *, fast: bool) -> None:  # fmt: skip
    old = _without_aggregates(ws, tmp_path / "old")
    counter = _Counter(monkeypatch)
    from_lines = analyze(old, settings=settings)
    assert (counter.calls, counter.local) == (1, 0)
    with monkeypatch.context() as engine_only:  # the engine's queries over the pre-aggregates
        engine_only.setattr(cartera.analysis, "local_aggregates", lambda *args: None)
        by_engine = _contract(ws, settings)
    # The default window reads the pre-aggregates; any other reads the lines again.
    assert (counter.calls, counter.local) == ((1 if fast else 2), 0)
    assert by_engine == _text(from_lines)
    local = analyze(ws, settings=settings)
    assert (counter.calls, counter.local) == ((1, 1) if fast else (3, 0))
    assert_same_analysis(local, from_lines)


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    write_demo(folder / "data", clients=120, lines=8_000, seed=11)
    return import_files([folder / "data"], into=folder / "ws").workspace.path


def test_import_writes_the_default_window(demo_ws: Path) -> None:
    entry = json.loads((demo_ws / MANIFEST).read_text("utf-8"))["aggregates"]
    assert entry["window_months"] == Settings().window_months
    assert entry["profile"]["lines"] > 0
    assert all((demo_ws / AGGREGATES / f).is_file() for f in entry["files"])


@pytest.mark.parametrize(
    ("settings", "fast"),
    [
        (Settings(), True),
        (Settings(fixed_costs=250_000, hourly_cost=55.0, annual_rate=0.09), True),
        (Settings(window_months=6), False),
        (Settings(as_of=D(2026, 3, 15)), False),
    ],
    ids=["default", "other-costs", "six-months", "earlier-as-of"],
)
def test_demo_contract_is_the_same(
    demo_ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Settings, fast: bool
) -> None:
    _check(demo_ws, tmp_path, settings, monkeypatch, fast=fast)


def _edge_documents(*, cost: bool) -> list[dict[str, Any]]:
    c = (lambda v: v) if cost else (lambda v: None)
    return [
        # several lines of one invoice, paid late, with list prices
        line(
            "A",
            "F1",
            D(2025, 1, 10),
            1000.0,
            cost=c(600.0),
            list_amount=1100.0,
            due=D(2025, 2, 9),
            paid=D(2025, 4, 1),
        ),
        line(
            "A",
            "F1",
            D(2025, 1, 10),
            250.5,
            cost=c(100.0),
            first_line=False,
            due=D(2025, 2, 9),
            paid=D(2025, 4, 1),
        ),
        line("A", "F7", D(2025, 6, 30), 80.0, cost=c(50.0), due=D(2025, 7, 30)),
        # a return (credit note) in the window and one in the previous window
        line("A", "R1", D(2025, 3, 3), -200.0, cost=c(-120.0)),
        line("A", "F0", D(2024, 3, 3), 500.0, cost=c(300.0)),
        line("A", "R0", D(2024, 4, 3), -50.0, cost=c(-30.0)),
        # partly paid, overdue in different aging buckets, no cost on one line
        line("B", "F2", D(2025, 2, 1), 700.0, cost=c(500.0), due=D(2025, 3, 1), paid_amount=300.0),
        line("B", "F3", D(2025, 5, 1), 90.0, due=D(2025, 5, 31)),
        line("B", "F4", D(2025, 6, 1), 40.0, cost=c(30.0), due=D(2025, 2, 15), total=48.4),
        # only credit notes: negative revenue
        line("C", "R2", D(2025, 4, 4), -75.0, cost=c(-40.0)),
        # a client seen only before the window (dormant)
        line("D", "F5", D(2023, 5, 5), 60.0, cost=c(20.0), paid=D(2023, 6, 1)),
        # paid in cash on the day, several months active
        *[
            line(
                "E",
                f"E{m}",
                D(2025, m, 12),
                100.0 + m,
                cost=c(70.0),
                due=D(2025, m, 12),
                paid=D(2025, m, 12),
            )
            for m in range(1, 7)
        ],
    ]


def _edge_activities() -> list[dict[str, Any]]:
    return [
        activity("A", D(2025, 2, 2), 3.5),
        activity("A", D(2023, 2, 2), 8.0),  # outside the window
        activity("F", D(2025, 5, 5), 2.0),  # hours but no documents
    ]


@pytest.mark.parametrize("cost", [True, False], ids=["with-cost", "no-cost"])
@pytest.mark.parametrize(
    ("settings", "fast"),
    [
        (Settings(), True),
        (Settings(fixed_costs=1_000.0), True),
        (Settings(window_months=3), False),
        (Settings(as_of=D(2025, 4, 30)), False),
    ],
    ids=["default", "fixed-costs", "three-months", "earlier-as-of"],
)
def test_edge_contract_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cost: bool, settings: Settings, fast: bool
) -> None:
    fs = frames(
        _edge_documents(cost=cost),
        _edge_activities(),
        clients={"A": {"image": True, "terms_days": 30}, "G": {}},
    )
    ws = write_workspace(tmp_path / "ws", fs, {}, {}).path
    assert (ws / AGGREGATES / "documents.parquet").is_file()
    _check(ws, tmp_path, settings, monkeypatch, fast=fast)


def test_no_documents_writes_no_aggregates(tmp_path: Path) -> None:
    ws = write_workspace(tmp_path / "ws", frames([], [activity("A", D(2025, 1, 1), 1.0)]), {}, {})
    assert "aggregates" not in json.loads((ws.path / MANIFEST).read_text("utf-8"))
    assert analyze(ws.path).portfolio.revenue == 0.0  # analysed from the (empty) lines


def test_unreadable_aggregates_fall_back_to_the_lines(
    demo_ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(demo_ws, ws)
    (ws / AGGREGATES / "hours.parquet").unlink()
    counter = _Counter(monkeypatch)
    assert_same_analysis(analyze(ws), analyze(demo_ws))
    assert (counter.calls, counter.local) == (1, 1)


_IMPORTS = """
import contextlib, io, sys
from cartera.cli.app import run
with contextlib.redirect_stdout(io.StringIO()):
    code = run(sys.argv[1:])
heavy = ("ibis", "pandas", "duckdb", "pyarrow", "cartera.io.inspect", "cartera.io.assemble",
         "typer.rich_utils")
print(code, *sorted(m for m in heavy if m in sys.modules))
"""


@pytest.mark.skipif(
    "os.environ.get('MUTANT_UNDER_TEST', '').startswith('cartera.io.')",
    reason="the analysis' imports do not depend on the importer's code",
)
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_the_local_analysis_imports_no_sql_engine(demo_ws: Path, fmt: str) -> None:
    """The dashboard and the JSON of a workspace with pre-aggregates run without Ibis,
    pandas, DuckDB or pyarrow (their imports alone were ~0.4 s of each command), nor the
    file inspector's modules (~0.17 s: ``cartera.io`` loads them on first use), the
    importer's (~50 ms) or Typer's Rich printer (~35 ms).

    Not run for a mutant of the importer (``make mutation``): which modules the analysis
    imports is not the importer's doing, and the two processes were 28 % of the test time
    of every surviving io mutant."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    argv = [sys.executable, "-c", _IMPORTS, "analyze", str(demo_ws), "--format", fmt]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=True)
    assert done.stdout.split() == ["0"], done.stdout + done.stderr
    # Another window reads the lines with the engine's queries.
    done = subprocess.run([*argv, "--window-months", "6"], capture_output=True, text=True,
                          env=env, check=True)  # fmt: skip
    assert "ibis" in done.stdout.split()


def test_aggregates_are_used_only_as_the_two_files_listed(tmp_path: Path) -> None:
    import ibis
    import polars as pl

    from cartera.engine.preagg import _PROFILE_KEYS, _VERSION, load_aggregates

    (tmp_path / AGGREGATES).mkdir()
    for name in ("a.parquet", "b.parquet", "c.parquet"):
        pl.DataFrame({"x": [1]}).write_parquet(tmp_path / AGGREGATES / name)
    entry = {"version": _VERSION, "as_of": "2024-12-31", "window_months": 12,
             "profile": dict.fromkeys(_PROFILE_KEYS, 1)}  # fmt: skip
    con = ibis.duckdb.connect()
    two = {**entry, "files": ["a.parquet", "b.parquet"]}
    assert load_aggregates(con, tmp_path, {"aggregates": two}) is not None
    three = {**entry, "files": ["a.parquet", "b.parquet", "c.parquet"]}
    assert load_aggregates(con, tmp_path, {"aggregates": three}) is None  # another layout
    assert load_aggregates(con, tmp_path, {"aggregates": entry}) is None  # no files listed


def test_aggregates_carry_their_window_and_profile_of_their_version_only(tmp_path: Path) -> None:
    import datetime as dt

    import ibis
    import polars as pl

    from cartera.engine.preagg import _PROFILE_KEYS, _VERSION, load_aggregates, read_aggregates
    from cartera.engine.window import AnalysisWindow

    (tmp_path / AGGREGATES).mkdir()
    for name in ("a.parquet", "b.parquet"):
        pl.DataFrame({"x": [1]}).write_parquet(tmp_path / AGGREGATES / name)
    counts = {key: i + 1 for i, key in enumerate(_PROFILE_KEYS)}
    entry = {"version": _VERSION, "as_of": "2024-12-31", "window_months": 9,
             "profile": {key: str(n) for key, n in counts.items()},
             "files": ["a.parquet", "b.parquet"]}  # fmt: skip
    as_of = dt.date(2024, 12, 31)
    found = load_aggregates(ibis.duckdb.connect(), tmp_path, {"aggregates": entry})
    assert found is not None
    assert found.window == AnalysisWindow(as_of=as_of, months=9)
    assert found.profile == {**counts, "last_date": as_of}
    local = read_aggregates(tmp_path, {"aggregates": entry}, months=9)
    assert local is not None and (local.window, local.profile) == (found.window, found.profile)
    for unusable in ({**entry, "version": _VERSION + 1}, "aggregates", None):
        assert read_aggregates(tmp_path, {"aggregates": unusable}, months=9) is None


def test_loading_the_aggregates_again_replaces_their_two_views(tmp_path: Path) -> None:
    import polars as pl

    from cartera.engine.connect import connect, to_arrow
    from cartera.engine.preagg import _PROFILE_KEYS, _VERSION, load_aggregates

    # A connection that loads a workspace's pre-aggregates twice (a re-analysis) holds
    # the two fixed-name views of the last load, not a pair more per load.
    (tmp_path / AGGREGATES).mkdir()
    for name, x in (("a.parquet", 1), ("b.parquet", 2)):
        pl.DataFrame({"x": [x]}).write_parquet(tmp_path / AGGREGATES / name)
    entry = {"version": _VERSION, "as_of": "2024-12-31", "window_months": 12,
             "profile": dict.fromkeys(_PROFILE_KEYS, 1),
             "files": ["a.parquet", "b.parquet"]}  # fmt: skip
    con = connect()
    for _ in range(2):
        loaded = load_aggregates(con, tmp_path, {"aggregates": entry})
        assert loaded is not None
    views = sorted(row[0] for row in con.con.sql("SHOW TABLES").fetchall())
    assert views == ["cartera_agg_documents", "cartera_agg_hours"]
    assert to_arrow(loaded.hours, con).to_pylist() == [{"x": 2}]


def test_units_are_summed_from_the_workspace(demo_ws: Path) -> None:
    """The data profile counts the lines with units, so the units are aggregated: each
    client's units are its documents' units in the window (both paths share the profile,
    so the contract comparison above cannot tell)."""
    import polars as pl

    analysis = analyze(demo_ws, settings=Settings())
    window = analysis.window
    docs = pl.read_parquet(demo_ws / "documents.parquet").filter(
        pl.col("date").is_between(window.start, window.end)
    )
    expected = docs.group_by("client_id").agg(pl.col("units").sum())
    got = analysis.clients_frame.select(pl.col("id").alias("client_id"), "units")
    both = expected.join(got, on="client_id", suffix="_got")
    assert both.height > 0 and both["units"].sum() > 0
    assert both["units"].to_list() == pytest.approx(both["units_got"].to_list())


def test_what_is_open_at_the_as_of_date(tmp_path: Path) -> None:
    """Open amounts at as-of, by the engine's line values (the import's pre-aggregates and
    the lines alike): a payment on the as-of date counts, one after it does not (even of
    the whole amount); a line without a total is open for its amount; an overpaid line is
    open for nothing; a part payment leaves the rest open."""
    as_of, due = D(2025, 6, 30), D(2025, 3, 1)
    docs = [
        line("P", "F1", D(2025, 2, 1), 1000.0, due=due, paid=as_of, paid_amount=1210.0),
        line("Q", "F2", D(2025, 2, 1), 1000.0, due=due, paid=D(2025, 7, 1), paid_amount=1210.0),
        {**line("R", "F3", D(2025, 2, 1), 1000.0, due=due), "total": None},
        line("S", "F4", D(2025, 2, 1), 1000.0, due=due, paid_amount=1500.0),
        line("T", "F5", D(2025, 2, 1), 1000.0, due=due, paid_amount=210.0),
        line("U", "F6", as_of, 10.0),  # the last date: the pre-aggregates' as-of
    ]
    ws = write_workspace(tmp_path / "ws", frames(docs, []), {}, {}).path
    for settings in (Settings(), Settings(window_months=6)):  # pre-aggregates, lines
        frame = analyze(ws, settings=settings).clients_frame
        overdue = dict(zip(frame["id"].to_list(), frame["overdue"].to_list(), strict=True))
        assert {k: overdue[k] for k in "PQRST"} == pytest.approx(
            {"P": 0.0, "Q": 1210.0, "R": 1000.0, "S": 0.0, "T": 1000.0}
        )


def test_an_open_line_without_a_due_date_is_current_and_the_previous_window_starts_on_its_day(
    tmp_path: Path,
) -> None:
    """Aging by the engine's line values: an open invoice without a due date cannot be past
    due (current); one due 45 days before as-of is 31–60. The previous window includes its
    first day."""
    as_of = D(2025, 6, 30)
    window_start = D(2024, 7, 1)  # twelve months back
    previous_start = D(2023, 7, 1)
    docs = [
        line("A", "F1", D(2025, 5, 1), 1000.0, total=1210.0),  # open, no due date
        line("B", "F2", D(2025, 4, 1), 500.0, total=605.0, due=D(2025, 5, 16)),  # 45 days late
        line("C", "F3", D(2025, 1, 1), 100.0, total=121.0, due=D(2025, 1, 31), paid=D(2025, 2, 1)),
        line("D", "F4", previous_start, 70.0),  # the previous window's first day
        line("D", "F5", D(2023, 6, 30), 30.0),  # the day before: outside both windows
        line("E", "F6", as_of, 10.0),
    ]
    ws = write_workspace(tmp_path / "ws", frames(docs, []), {}, {}).path
    for settings in (Settings(), Settings(window_months=12, as_of=as_of)):
        result = analyze(ws, settings=settings)
        assert result.window.start == window_start
        aging = {b.bucket: b.amount for b in result.portfolio.aging}
        # A's, D's two and E's totals: open, without a due date
        assert aging["current"] == pytest.approx(1210.0 + 84.7 + 36.3 + 12.1)
        assert aging["31_60"] == pytest.approx(605.0)
        assert aging["1_30"] == aging["61_90"] == 0.0
        previous = dict(
            zip(result.clients_frame["id"], result.clients_frame["previous_revenue"], strict=True)
        )
        assert previous["D"] == pytest.approx(70.0)


def test_days_late_only_of_the_windows_invoices(tmp_path: Path) -> None:
    """Days late weigh the window's invoices with a due date: an old invoice paid 100
    days late and a credit note with a due date do not count."""
    docs = [
        line("V", "F1", D(2025, 3, 1), 1000.0, due=D(2025, 3, 31), paid=D(2025, 4, 10)),
        line("V", "F0", D(2023, 9, 1), 1000.0, due=D(2023, 10, 1), paid=D(2024, 1, 9)),
        line("V", "R1", D(2025, 3, 5), -200.0, due=D(2025, 1, 1)),
        line("W", "F2", D(2025, 6, 30), 10.0),
    ]
    ws = write_workspace(tmp_path / "ws", frames(docs, []), {}, {}).path
    for settings in (Settings(), Settings(window_months=6)):
        frame = analyze(ws, settings=settings).clients_frame
        late = dict(zip(frame["id"].to_list(), frame["days_late"].to_list(), strict=True))
        assert late["V"] == pytest.approx(10.0)


@pytest.mark.parametrize("mask_months", [62, 0], ids=["month-mask", "one-max-per-month"])
def test_orders_count_documents_and_months_count_the_windows_invoices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mask_months: int
) -> None:
    """Through the engine's line values, by the fast path and its general twin: a
    two-line invoice is one order; a credit note in the window and an invoice before it
    make no month active."""
    docs = [
        line("X", "F1", D(2025, 6, 10), 100.0),
        line("X", "F1", D(2025, 6, 10), 50.0, first_line=False),
        line("X", "R1", D(2025, 2, 3), -20.0),
        line("X", "F0", D(2024, 11, 3), 70.0),
        line("Y", "F2", D(2025, 6, 30), 10.0),
    ]
    ws = write_workspace(tmp_path / "ws", frames(docs, []), {}, {}).path
    monkeypatch.setattr(metrics, "_MASK_MONTHS", mask_months)
    frame = analyze(ws, settings=Settings(window_months=6)).clients_frame
    x = frame.filter(frame["id"] == "X").row(0, named=True)
    assert (x["orders"], x["active_months"]) == (1, 1)


def test_an_early_payment_is_not_late_and_62_months_use_the_month_mask(tmp_path: Path) -> None:
    """Days late: a payment 10 days early counts as 0 days, one 10 days late as 10 (by
    amount: 5). A 62-month window, the month mask's last size, counts active months."""
    docs = [
        line("Z", "F1", D(2025, 3, 1), 1000.0, due=D(2025, 3, 31), paid=D(2025, 3, 21)),
        line("Z", "F2", D(2025, 4, 1), 1000.0, due=D(2025, 4, 30), paid=D(2025, 5, 10)),
        line("Z", "F3", D(2021, 1, 5), 10.0),
        line("Y", "F4", D(2025, 6, 30), 10.0),
    ]
    ws = write_workspace(tmp_path / "ws", frames(docs, []), {}, {}).path
    frame = analyze(ws, settings=Settings(window_months=6)).clients_frame
    z = frame.filter(frame["id"] == "Z").row(0, named=True)
    assert z["days_late"] == pytest.approx(5.0)
    frame = analyze(ws, settings=Settings(window_months=62)).clients_frame
    z = frame.filter(frame["id"] == "Z").row(0, named=True)
    assert z["active_months"] == 3  # January 2021 (within 62 months), March and April 2025


def test_first_and_last_invoice_and_returns_count_only_their_documents(tmp_path: Path) -> None:
    """Through the engine's document aggregates, from the pre-aggregates and the lines: a
    credit note before the first invoice and one after the last change neither the tenure
    nor the recency; the order interval runs from the window's first invoice (an older
    invoice is outside it); returns count the window's credit notes only."""
    as_of = D(2025, 6, 30)
    docs = [
        line("X", "R0", D(2024, 3, 1), -40.0),  # before every invoice
        line("X", "F0", D(2024, 5, 1), 400.0),  # outside both windows
        line("X", "F1", D(2025, 3, 1), 100.0),
        line("X", "F2", D(2025, 6, 1), 100.0),
        line("X", "R1", D(2025, 6, 20), -30.0),  # after the last invoice
        line("Y", "F3", as_of, 10.0),
    ]
    ws = write_workspace(tmp_path / "ws", frames(docs, []), {}, {}).path
    for settings in (Settings(return_cost=7.0), Settings(window_months=6, return_cost=7.0)):
        frame = analyze(ws, settings=settings).clients_frame
        x = frame.filter(frame["id"] == "X").row(0, named=True)
        assert x["tenure_days"] == (as_of - D(2024, 5, 1)).days
        assert x["recency_days"] == 29
        assert x["last_purchase"] == D(2025, 6, 1)
        assert x["order_interval_days"] == pytest.approx(92.0)
        assert x["returns_cost"] == pytest.approx(7.0)


def test_without_any_due_date_everything_open_is_current(tmp_path: Path) -> None:
    """A workspace with no due date at all: what is open is aged «current» (nothing can be
    past due), by the pre-aggregates and by the lines."""
    docs = [
        line("A", "F1", D(2025, 5, 1), 1000.0, total=1210.0),
        line("B", "F2", D(2025, 6, 30), 100.0, total=121.0, paid=D(2025, 6, 30)),
    ]
    ws = write_workspace(tmp_path / "ws", frames(docs, []), {}, {}).path
    for settings in (Settings(), Settings(window_months=6)):
        aging = {b.bucket: b.amount for b in analyze(ws, settings=settings).portfolio.aging}
        assert aging["current"] == pytest.approx(1210.0)
        assert sum(aging.values()) == pytest.approx(1210.0)


def test_service_hours_on_the_windows_first_and_last_day_count(tmp_path: Path) -> None:
    """Activities on the window's first day and on the as-of date are inside it; the day
    before the window is not: by the pre-aggregates (twelve months) and by the lines (six)."""
    as_of = D(2025, 6, 30)
    docs = [line("A", "F1", D(2025, 5, 1), 1000.0), line("B", "F2", as_of, 10.0)]
    acts = [
        activity("A", D(2024, 6, 30), 50.0),  # the day before twelve months
        activity("A", D(2024, 7, 1), 2.0),  # the first of twelve months
        activity("A", D(2024, 12, 31), 7.0),  # the day before six months
        activity("A", D(2025, 1, 1), 11.0),  # the first of six months
        activity("A", as_of, 3.0),
    ]
    ws = write_workspace(tmp_path / "ws", frames(docs, acts), {}, {}).path
    for months, hours in ((12, 2.0 + 7.0 + 11.0 + 3.0), (6, 11.0 + 3.0)):
        settings = Settings(window_months=months, hourly_cost=10.0)
        frame = analyze(ws, settings=settings).clients_frame
        a = frame.filter(frame["id"] == "A").row(0, named=True)
        assert a["service_cost"] == pytest.approx(10.0 * hours)
