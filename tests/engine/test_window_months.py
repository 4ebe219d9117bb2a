"""The analysis window's months at month ends, leap days and year turns."""

from __future__ import annotations

import datetime as dt

import ibis
import pytest

from cartera.engine.window import (
    AGING_BUCKETS,
    AnalysisWindow,
    aging_bucket,
    month_slot,
    month_starts,
)

D = dt.date


@pytest.mark.parametrize(
    ("as_of", "months", "start", "previous_start"),
    [
        # A month end stays a month end, whatever the other month's length.
        (D(2024, 4, 30), 1, D(2024, 4, 1), D(2024, 3, 1)),
        (D(2023, 2, 28), 1, D(2023, 2, 1), D(2023, 1, 1)),
        (D(2024, 2, 29), 12, D(2023, 3, 1), D(2022, 3, 1)),
        (D(2024, 12, 31), 12, D(2024, 1, 1), D(2023, 1, 1)),
        # Another day keeps its number, cut to the shorter month's last day.
        (D(2024, 3, 30), 1, D(2024, 3, 1), D(2024, 1, 31)),
        (D(2024, 5, 15), 3, D(2024, 2, 16), D(2023, 11, 16)),
    ],
)
def test_window_start(as_of: dt.date, months: int, start: dt.date, previous_start: dt.date) -> None:
    window = AnalysisWindow(as_of=as_of, months=months)
    assert (window.start, window.previous_start) == (start, previous_start)


def test_month_slots_of_a_window_ending_on_a_short_month_end() -> None:
    window = AnalysisWindow(as_of=D(2024, 6, 30), months=4)
    assert month_starts(window) == [D(2024, 6, 1), D(2024, 5, 1), D(2024, 4, 1), D(2024, 3, 1)]
    assert window.month_end_aligned
    assert not AnalysisWindow(as_of=D(2024, 6, 29), months=4).month_end_aligned


@pytest.mark.parametrize(("values", "slots"), [(None, [-1, 2, 1, 0]), ([1, 2, 4], [-1, 4, 2, 1])])
def test_month_slot_is_minus_one_before_the_window(
    values: list[int] | None, slots: list[int]
) -> None:
    window = AnalysisWindow(as_of=D(2024, 6, 30), months=3)
    days = [D(2024, 3, 31), D(2024, 4, 1), D(2024, 5, 31), D(2024, 6, 30)]
    t = ibis.memtable({"date": days})
    got = t.select(slot=month_slot(t.date, window, values)).to_pyarrow()
    assert got.column("slot").to_pylist() == slots


def test_aging_buckets_at_their_edges_and_without_a_due_date() -> None:
    as_of = D(2024, 6, 30)
    ago = [0, 1, 30, 31, 120, 121, None]  # days past due; None: no due date
    days = [None if n is None else as_of - dt.timedelta(days=n) for n in ago]
    t = ibis.memtable({"due": days}, schema={"due": "date"})
    names = [name for name, _lo, _hi in AGING_BUCKETS]
    got = t.select(**{n: aging_bucket(t.due, as_of, n) for n in names}).to_pyarrow().to_pylist()
    inside = [[n for n in names if row[n] is True] for row in got]
    assert inside == [["current"], ["1_30"], ["1_30"], ["31_60"], ["91_120"], ["over_120"], []]


def test_an_unknown_aging_bucket_is_refused_by_name() -> None:
    t = ibis.memtable({"due": [D(2024, 6, 1)]})
    with pytest.raises(ValueError, match=r"^over_365$"):
        aging_bucket(t.due, D(2024, 6, 30), "over_365")
