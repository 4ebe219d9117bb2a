"""The local metrics (:mod:`cartera.engine.local`) on hand-made grouped sums, at their edges.

Each case runs :func:`client_metrics_frame` and :func:`rank_and_share_frame` next to the
engine's Ibis form over the same sums (:func:`cartera.engine.metrics.client_metrics` with
``aggregates``, :func:`~cartera.engine.metrics.rank_and_share`): the two must agree, and
the figures at each edge are also stated by hand.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import ibis
import polars as pl
import pytest

from cartera.engine.local import client_metrics_frame, rank_and_share_frame
from cartera.engine.metrics import client_metrics, rank_and_share
from cartera.engine.window import AGING_BUCKETS, AnalysisWindow
from cartera.settings import Settings

AS_OF = dt.date(2026, 6, 30)
WINDOW = AnalysisWindow(as_of=AS_OF, months=12)
#: Every optional sum of the grouped pass (what a full data profile writes).
OPTIONAL = (
    "cost_sum", "units", "paid_weight", "paid_days", "late_weight", "late_days",
    "list_amount", "list_net", *(f"aging_{name}" for name, _lo, _hi in AGING_BUCKETS),
)  # fmt: skip
_DATES = ("first_invoice", "last_invoice", "first_window_invoice")


def _doc(key: int, **values: Any) -> dict[str, Any]:
    """One client's grouped sums: a steady client of 1,000 unless told otherwise."""
    row: dict[str, Any] = {
        "client_key": key, "lines": 4, "invoiced": 1_000.0, "credit_notes": 0.0,
        "orders": 2, "credit_docs": 0, "first_invoice": dt.date(2025, 1, 10),
        "last_invoice": dt.date(2026, 6, 1), "first_window_invoice": dt.date(2025, 8, 1),
        "previous_revenue": 500.0, "month_mask": 0b11,
    }  # fmt: skip
    row.update(dict.fromkeys(OPTIONAL, 0.0))
    row.update(values)
    return row


def _docs(rows: list[dict[str, Any]], drop: tuple[str, ...] = ()) -> pl.DataFrame:
    columns = [c for c in rows[0] if c not in drop]
    schema = {
        c: pl.Int64 if c in ("client_key", "lines", "orders", "credit_docs", "month_mask")
        else pl.Date if c in _DATES
        else pl.Int32 if c.startswith("month_")
        else pl.Float64
        for c in columns
    }  # fmt: skip
    return pl.DataFrame([{c: r[c] for c in columns} for r in rows], schema=schema)


def _clients(keys: list[int]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "client_key": keys,
            "client_id": [f"C{k}" for k in keys],
            "name": [None] * len(keys),
            "image": [None] * len(keys),
            "terms_days": [30] * len(keys),
        },
        schema={
            "client_key": pl.Int64, "client_id": pl.String, "name": pl.String,
            "image": pl.Boolean, "terms_days": pl.Int64,
        },
    )  # fmt: skip


def _hours(pairs: dict[int, float]) -> pl.DataFrame:
    return pl.DataFrame(
        {"client_key": list(pairs), "service_hours": list(pairs.values())},
        schema={"client_key": pl.Int64, "service_hours": pl.Float64},
    )


def _metrics(
    docs: pl.DataFrame,
    hours: pl.DataFrame,
    clients: pl.DataFrame,
    window: AnalysisWindow = WINDOW,
    *,
    has_cost: bool = True,
) -> dict[str, dict[str, Any]]:
    """Both forms' metrics by client id; they must agree (floats to 1e-12 relative)."""
    settings = Settings()
    local = client_metrics_frame(docs, hours, clients, window, settings, has_cost=has_cost)
    engine = client_metrics(
        None, ibis.memtable(clients.to_arrow()), None, window, settings,
        aggregates=(ibis.memtable(docs.to_arrow()), ibis.memtable(hours.to_arrow())),
    ).to_polars()  # fmt: skip
    assert local.columns == engine.columns
    assert local.schema == engine.schema, (local.schema, engine.schema)
    mine = {r["id"]: r for r in local.iter_rows(named=True)}
    theirs = {r["id"]: r for r in engine.iter_rows(named=True)}
    assert mine.keys() == theirs.keys()
    for cid, row in mine.items():
        for key, value in row.items():
            other = theirs[cid][key]
            if isinstance(value, float) and isinstance(other, float):
                assert math.isclose(value, other, rel_tol=1e-12), (cid, key, value, other)
            else:
                assert value == other, (cid, key, value, other)
    return mine


def test_active_months_count_only_the_windows_bits() -> None:
    # Bits 0 and 3 are months of the window; bits 12 and 13 are past a 12-month window.
    # The mask in 32 bits (enough for a short window): the count is still an Int64.
    docs = _docs([_doc(1, month_mask=0b11_0000_0000_1001), _doc(2, month_mask=None)])
    docs = docs.with_columns(pl.col("month_mask").cast(pl.Int32))
    out = _metrics(docs, _hours({}), _clients([1, 2]))
    assert (out["C1"]["active_months"], out["C2"]["active_months"]) == (2, 0)


def test_active_months_of_the_longest_window_with_a_mask() -> None:
    # 62 months is the longest window whose months fit one 64-bit mask (bits 0 to 61).
    window = AnalysisWindow(as_of=AS_OF, months=62)
    docs = _docs([_doc(1, month_mask=(1 << 61) | 1)])
    assert _metrics(docs, _hours({}), _clients([1]), window)["C1"]["active_months"] == 2


def test_active_months_of_a_window_longer_than_the_mask_add_the_monthly_flags() -> None:
    # Past 62 months the grouped pass writes one 0/1 flag per month instead of a mask.
    window = AnalysisWindow(as_of=AS_OF, months=63)
    flags = {f"month_{k}": int(k in (0, 5, 62)) for k in range(63)}
    docs = _docs([_doc(1, **flags)], drop=("month_mask",))
    out = _metrics(docs, _hours({2: 3.0}), _clients([1, 2]), window)
    # C2 has hours only: no flag at all (nulls) is no active month.
    assert (out["C1"]["active_months"], out["C2"]["active_months"]) == (3, 0)


def test_clients_with_documents_or_any_hours_are_kept() -> None:
    docs = _docs([_doc(1)])
    out = _metrics(docs, _hours({2: 0.5, 3: 0.0}), _clients([1, 2, 3, 4]))
    assert sorted(out) == ["C1", "C2"]
    assert (out["C2"]["service_hours"], out["C2"]["revenue"]) == (0.5, 0.0)


def test_ratios_over_amounts_below_one() -> None:
    # Revenue 0.25, invoiced 0.5, paid weight 0.5: every ratio is still a ratio.
    row = _doc(1, invoiced=0.5, credit_notes=0.25, cost_sum=0.05, paid_weight=0.5, paid_days=5.0)
    out = _metrics(_docs([row]), _hours({}), _clients([1]))["C1"]
    assert (out["margin_pct"], out["return_rate"], out["days_to_pay"]) == (0.8, 0.5, 10.0)


def test_without_the_optional_sums_the_columns_are_null_doubles() -> None:
    # A data profile without units, payments, due dates or list prices: the grouped pass
    # leaves those sums out, and the metrics are null doubles (the engine's typed nulls).
    drop = tuple(c for c in OPTIONAL if c not in ("cost_sum", "aging_current"))
    out = _metrics(_docs([_doc(1), _doc(2)], drop=drop), _hours({}), _clients([1, 2]))["C1"]
    assert out["units"] is out["list_amount"] is out["days_to_pay"] is out["discount"] is None
    assert (out["overdue"], out["financing_cost"], out["aging_1_30"]) == (0.0, 0.0, 0.0)


def _frame(revenues: dict[str, float | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {"id": list(revenues), "revenue": list(revenues.values())},
        schema={"id": pl.String, "revenue": pl.Float64},
    )


def _ranked(
    revenues: dict[str, float | None], *, placed: bool = True
) -> tuple[dict[str, dict[str, Any]], float]:
    """Both forms' shares and classes by id (and, when ``placed``, ranks and cumulative
    shares); they must agree."""
    frame = _frame(revenues)
    local, total = rank_and_share_frame(frame)
    assert local.columns == [*frame.columns, "revenue_share", "cumulative_share", "rank", "abc"]
    engine = rank_and_share(ibis.memtable(frame.to_arrow())).to_polars()
    mine = {r["id"]: r for r in local.iter_rows(named=True)}
    theirs = {r["id"]: r for r in engine.iter_rows(named=True)}
    keys = ("revenue_share", "abc", *(("rank", "cumulative_share") if placed else ()))
    for cid, row in mine.items():
        for key in keys:
            assert row[key] == theirs[cid][key], (cid, key, row[key], theirs[cid][key])
    return mine, total


def test_no_client_ranks_nothing() -> None:
    out, total = _ranked({})
    assert (out, total) == ({}, 0.0)


@pytest.mark.parametrize("revenues", [{"A": 0.0, "B": -5.0}, {"A": -0.0}])
def test_without_positive_revenue_shares_are_zero_and_no_class(
    revenues: dict[str, float | None],
) -> None:
    out, total = _ranked(revenues)
    assert total == 0.0
    for row in out.values():
        assert (row["revenue_share"], row["cumulative_share"], row["abc"]) == (0.0, 0.0, None)


def test_a_portfolio_of_half_a_euro() -> None:
    out, total = _ranked({"A": 0.5})
    assert total == 0.5
    assert (out["A"]["revenue_share"], out["A"]["rank"], out["A"]["abc"]) == (1.0, 1, "A")


def test_the_total_is_every_positive_revenue() -> None:
    out, total = _ranked({"A": 3.0, "B": 2.0, "C": 1.0, "D": -4.0})
    assert total == 6.0
    assert [out[c]["rank"] for c in "ABCD"] == [1, 2, 3, 4]
    assert out["C"]["cumulative_share"] == 1.0


def test_ties_go_to_the_smaller_id() -> None:
    out, _total = _ranked({"B": 5.0, "C": 5.0, "A": 5.0})
    assert [out[c]["rank"] for c in "ABC"] == [1, 2, 3]


def test_a_revenue_of_a_fraction_of_a_cent_ranks_above_nothing() -> None:
    # Ties go to the smaller id: A would come first if the two revenues were equal.
    out, _total = _ranked({"A": 0.0, "B": 1e-20})
    assert (out["B"]["rank"], out["A"]["rank"]) == (1, 2)


def test_a_revenue_of_minus_zero_has_a_share_of_plus_zero() -> None:
    out, _total = _ranked({"A": 10.0, "B": -0.0})
    assert math.copysign(1.0, out["B"]["revenue_share"]) == 1.0


@pytest.mark.parametrize(
    ("revenues", "classes"),
    [
        ({"A": 80.0, "B": 15.0, "C": 5.0}, "ABC"),  # B after exactly 80 %, C after 95 %
        # the share before B exactly 80 % less the tolerance (1e-9): still B
        ({"A": 800_000_015.0, "B": 200_000_005.0}, "AB"),
        ({"A": 949_999_999.0, "B": 50_000_001.0}, "AC"),  # before B: 95 % less 1e-9
        ({"A": 4.0, "B": 0.5, "C": 0.5}, "ABB"),  # class B for revenues below 1 €
    ],
)
def test_abc_classes_at_their_cut_points(revenues: dict[str, float | None], classes: str) -> None:
    out, _total = _ranked(revenues)
    assert "".join(out[c]["abc"] for c in revenues) == classes


def test_a_client_of_unknown_revenue_is_class_c_with_no_share() -> None:
    # Where it ranks (so its cumulative share) is left to each form; its class and share
    # are the same.
    out, _total = _ranked({"A": 10.0, "U": None}, placed=False)
    assert (out["U"]["abc"], out["U"]["revenue_share"], out["A"]["abc"]) == ("C", 0.0, "A")


def test_single_precision_sums_give_the_engines_double_metrics() -> None:
    # Sums stored as Float32 (the grouped pass writes doubles; another writer may not):
    # every ratio is a double, as the engine's typed nulls make it.
    row = _doc(1, paid_weight=0.5, paid_days=5.0, late_weight=0.5, late_days=1.0)
    docs = _docs([row, _doc(2, paid_weight=0.0)]).with_columns(
        pl.col("paid_weight", "paid_days", "late_weight", "late_days").cast(pl.Float32)
    )
    out = _metrics(docs, _hours({}), _clients([1, 2]))
    assert (out["C1"]["days_to_pay"], out["C1"]["days_late"], out["C2"]["days_to_pay"]) == (
        10.0, 2.0, None,
    )  # fmt: skip


def test_shares_are_doubles_whatever_the_revenues_width() -> None:
    frame = _frame({"A": 7.0, "B": 1.0}).with_columns(pl.col("revenue").cast(pl.Float32))
    out, total = rank_and_share_frame(frame)
    assert (out.schema["revenue_share"], out.schema["cumulative_share"]) == (pl.Float64,) * 2
    assert (out["revenue_share"].to_list(), out["cumulative_share"].to_list()) == (
        [0.875, 0.125], [0.875, 1.0],
    )  # fmt: skip
    assert (out["abc"].to_list(), total) == (["A", "B"], 8.0)


def test_a_single_precision_revenue_is_shared_and_classed_in_double_as_the_engine_does() -> None:
    # B starts at 95/100 of the revenue: in float32 that is 0.949999988, below the 95 %
    # cut (class B); the engine divides in double, 0.95 exactly, class C.
    frame = _frame({"A": 95.0, "B": 5.0}).with_columns(pl.col("revenue").cast(pl.Float32))
    local, total = rank_and_share_frame(frame)
    engine = rank_and_share(ibis.memtable(frame.to_arrow())).to_polars().sort("rank")
    assert (local["revenue_share"].to_list(), local["abc"].to_list(), total) == (
        [0.95, 0.05], ["A", "C"], 100.0,
    )  # fmt: skip
    assert engine["revenue_share"].to_list() == [0.95, 0.05]
    assert engine["abc"].to_list() == ["A", "C"]
