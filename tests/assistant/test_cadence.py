"""Cadence rules at their edges: a day before, on, after; a logged interaction resets."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from cartera.assistant.cadence import DUE_COLUMNS, due_contacts
from cartera.assistant.interactions import Interaction
from cartera.assistant.settings import AssistantSettings

from .conftest import AS_OF, clients, days, log, open_items, rhythm

PLAIN = AssistantSettings(business_days=False)


def _due(
    cl: pl.DataFrame,
    lg: pl.DataFrame | None = None,
    *,
    rh: pl.DataFrame | None = None,
    op: pl.DataFrame | None = None,
    settings: AssistantSettings = PLAIN,
) -> pl.DataFrame:
    rh = rh if rh is not None else rhythm()
    op = op if op is not None else open_items()
    return due_contacts(cl, rh, op, lg if lg is not None else log(), settings, AS_OF)


def _one(frame: pl.DataFrame, rule: str) -> dict:
    rows = frame.filter(pl.col("rule") == rule).to_dicts()
    assert len(rows) == 1, frame.select("client_id", "rule", "due")
    return rows[0]


def test_columns() -> None:
    assert tuple(_due(clients({"id": "A"})).columns) == DUE_COLUMNS


@pytest.mark.parametrize(("ago", "due_in"), [(29, 1), (30, 0), (31, -1)])
def test_structure_call_every_30_days(ago: int, due_in: int) -> None:
    frame = _due(clients({"id": "A", "segment": "structure"}), log(("A", days(ago), "call")))
    row = _one(frame, "structure_call")
    assert row["due"] == AS_OF + dt.timedelta(days=due_in)
    assert row["last_contact"] == days(ago)
    assert row["stake"] == 1000.0


def test_a_logged_call_resets_the_cadence() -> None:
    cl = clients({"id": "A", "segment": "structure"})
    before = _one(_due(cl, log(("A", days(40), "call"))), "structure_call")
    after = _one(_due(cl, log(("A", days(40), "call"), ("A", days(2), "call"))), "structure_call")
    assert before["due"] == days(10)
    assert after["due"] == AS_OF + dt.timedelta(days=28)


def test_email_and_support_do_not_count_as_a_conversation() -> None:
    cl = clients({"id": "A", "segment": "structure"})
    row = _one(_due(cl, log(("A", days(3), "email"), ("A", days(1), "support"))), "structure_call")
    assert row["due"] == AS_OF  # never talked to: due now
    assert row["last_contact"] is None


def test_review_needs_a_meeting_or_visit() -> None:
    cl = clients({"id": "A", "segment": "structure"})
    row = _one(_due(cl, log(("A", days(5), "call"), ("A", days(91), "visit"))), "structure_review")
    assert row["due"] == AS_OF


@pytest.mark.parametrize(("since", "listed_due"), [(20, 1), (21, 0), (22, -1)])
def test_margin_reactivation_at_the_usual_interval(since: int, listed_due: int) -> None:
    # usual gap 20.4 days → 21 whole days after the last order
    cl = clients({"id": "M", "segment": "margin", "action": "grow", "gross_margin": 900.0})
    rh = rhythm({"client_id": "M", "orders": 5, "first_order": days(200), "last_order": days(since),
                 "median_gap": 15.0, "usual_gap": 20.4, "days_since": since})  # fmt: skip
    row = _one(_due(cl, rh=rh), "margin_reactivation")
    assert row["due"] == AS_OF + dt.timedelta(days=listed_due)
    assert row["trigger"] == row["due"]
    assert row["stake"] == 900.0  # the margin of a lapsing margin client


def test_margin_reactivation_call_pushes_the_next_one() -> None:
    cl = clients({"id": "M", "segment": "margin", "action": "grow"})
    rh = rhythm({"client_id": "M", "orders": 5, "first_order": days(300), "last_order": days(60),
                 "median_gap": 15.0, "usual_gap": 20.0, "days_since": 60})  # fmt: skip
    row = _one(_due(cl, log(("M", days(5), "call")), rh=rh), "margin_reactivation")
    assert row["due"] == AS_OF + dt.timedelta(days=25)  # last call + 30
    # a call long before the trigger leaves the trigger in force
    row = _one(_due(cl, log(("M", days(200), "call")), rh=rh), "margin_reactivation")
    assert row["due"] == days(40)


def test_margin_needs_enough_orders_for_a_rhythm() -> None:
    cl = clients({"id": "M", "segment": "margin", "action": "grow"})
    rh = rhythm({"client_id": "M", "orders": 2, "first_order": days(90), "last_order": days(60),
                 "median_gap": 30.0, "usual_gap": 30.0, "days_since": 60})  # fmt: skip
    assert _due(cl, rh=rh).filter(pl.col("rule") == "margin_reactivation").is_empty()


@pytest.mark.parametrize(
    ("past", "level"),
    [(1, "friendly"), (14, "friendly"), (15, "firm"), (29, "firm"), (30, "call"), (59, "call"),
     (60, "final"), (400, "final")],
)  # fmt: skip
def test_dunning_level_by_days_past_due(past: int, level: str) -> None:
    cl = clients({"id": "S"})
    op = open_items({"client_id": "S", "overdue": 1234.5, "oldest_due": days(past),
                     "overdue_invoices": 2, "days_past_due": past})  # fmt: skip
    frame = _due(cl, op=op).filter(pl.col("rule").str.starts_with("dunning_"))
    assert frame["rule"].to_list() == [f"dunning_{level}"]
    row = frame.row(0, named=True)
    start = {"friendly": 1, "firm": 15, "call": 30, "final": 60}[level]
    assert row["due"] == days(past) + dt.timedelta(days=start)
    assert row["stake"] == 1234.5
    assert row["channel"] == {"friendly": "email", "firm": "email", "call": "phone",
                              "final": "letter"}[level]  # fmt: skip


def test_dunning_level_is_settled_only_by_its_own_logged_step() -> None:
    cl = clients({"id": "S"})
    op = open_items({"client_id": "S", "overdue": 100.0, "oldest_due": days(40),
                     "overdue_invoices": 1, "days_past_due": 40})  # fmt: skip
    trigger = days(10)  # due + 30

    def listed(*entries: Interaction) -> bool:
        frame = _due(cl, log(*entries), op=op)
        return not frame.filter(pl.col("rule") == "dunning_call").is_empty()

    assert listed(Interaction("S", AS_OF, "call"))  # a routine call is not the dunning step
    assert listed(Interaction("S", trigger - dt.timedelta(days=1), "call", rule="dunning_call"))
    assert not listed(Interaction("S", trigger, "call", rule="dunning_call"))


def test_reference_ask_is_reset_only_by_a_reference_ask() -> None:
    cl = clients({"id": "I", "segment": "image"})
    row = _one(_due(cl, log(("I", days(3), "call"))), "image_reference")
    assert row["due"] == AS_OF
    asked = log(Interaction("I", days(100), "email", rule="image_reference"))
    row = _one(_due(cl, asked), "image_reference")
    assert row["due"] == days(100) + dt.timedelta(days=365)
    assert _one(_due(cl, log(("I", days(3), "call"))), "image_call")["due"] == days(
        3
    ) + dt.timedelta(days=91)


@pytest.mark.parametrize(("contact_after", "listed"), [(6, True), (7, False), (8, False)])
def test_new_client_first_check_settled_by_a_conversation_from_its_day(
    contact_after: int, listed: bool
) -> None:
    first = days(30)
    cl = clients({"id": "N", "segment": "new", "action": "grow"})
    rh = rhythm({"client_id": "N", "orders": 2, "first_order": first, "last_order": days(5),
                 "median_gap": 25.0, "usual_gap": 25.0, "days_since": 5})  # fmt: skip
    lg = log(("N", first + dt.timedelta(days=contact_after), "call"))
    frame = _due(cl, lg, rh=rh)
    assert (not frame.filter(pl.col("rule") == "new_first_check").is_empty()) is listed
    follow = _one(frame, "new_followup")
    assert follow["due"] == first + dt.timedelta(days=90)


def test_dormant_win_back_only_for_former_buyers() -> None:
    cl = clients(
        {"id": "D1", "segment": "dormant", "action": "grow", "revenue": 0.0,
         "previous_revenue": 5000.0},
        {"id": "D2", "segment": "dormant", "action": "keep", "revenue": 0.0,
         "previous_revenue": 0.0},
    )  # fmt: skip
    frame = _due(cl).filter(pl.col("rule") == "dormant_winback")
    assert frame["client_id"].to_list() == ["D1"]
    assert frame["stake"].to_list() == [5000.0]


def test_conversation_rules_and_declining() -> None:
    cl = clients(
        {"id": "R", "segment": "structure", "action": "renegotiate", "revenue": 9000.0},
        {"id": "L", "action": "let_go", "net_contribution": -450.0},
        {"id": "X", "reasons": "declining", "revenue": 400.0, "previous_revenue": 1000.0},
    )  # fmt: skip
    frame = _due(cl)
    assert _one(frame, "renegotiate")["stake"] == 9000.0
    assert _one(frame, "let_go")["stake"] == 450.0
    assert _one(frame, "declining_call")["stake"] == 600.0
    assert frame.filter(pl.col("rule") == "regular_contact")["client_id"].to_list() == ["X"]


def test_due_dates_roll_to_the_next_business_day() -> None:
    # 30 days after 2026-09-26 is Monday 26 Oct; after 2026-09-24 Saturday 24 Oct → Monday.
    cl = clients({"id": "A", "segment": "structure"})
    settings = AssistantSettings()
    row = _one(
        _due(cl, log(("A", dt.date(2026, 9, 24), "call")), settings=settings), "structure_call"
    )
    assert row["due"] == dt.date(2026, 10, 26)
    holiday = AssistantSettings(holidays=(dt.date(2026, 10, 26),))
    row = _one(
        _due(cl, log(("A", dt.date(2026, 9, 24), "call")), settings=holiday), "structure_call"
    )
    assert row["due"] == dt.date(2026, 10, 27)


@pytest.mark.parametrize(("since", "listed_due"), [(40, 1), (41, 0), (42, -1)])
def test_lapsing_call_past_twice_the_usual_gap(since: int, listed_due: int) -> None:
    # usual gap 20.4 days → lapsed after ceil(40.8) = 41 days of silence
    cl = clients({"id": "R", "revenue": 5000.0}, {"id": "D", "segment": "dormant"})
    rh = rhythm(*({"client_id": c, "orders": 5, "first_order": days(200),
                   "last_order": days(since), "median_gap": 15.0, "usual_gap": 20.4,
                   "days_since": since} for c in "RD"))  # fmt: skip
    frame = _due(cl, rh=rh).filter(pl.col("rule") == "lapsing_call")
    assert frame["client_id"].to_list() == ["R"]  # dormant clients get the win-back call
    row = frame.row(0, named=True)
    assert row["due"] == AS_OF + dt.timedelta(days=listed_due) and row["stake"] == 5000.0


@pytest.mark.parametrize(("gap", "lapse"), [(10.0, 30), (14.9, 30), (15.2, 31)])
def test_lapsing_call_waits_at_least_a_month(gap: float, lapse: int) -> None:
    cl = clients({"id": "R"})
    rh = rhythm({"client_id": "R", "orders": 9, "first_order": days(300), "last_order": days(10),
                 "median_gap": gap, "usual_gap": gap, "days_since": 10})  # fmt: skip
    row = _one(_due(cl, rh=rh), "lapsing_call")
    assert row["due"] == days(10) + dt.timedelta(days=lapse)
    assert row["silence"] == lapse


def test_business_day_helpers() -> None:
    from cartera.assistant.calendar import next_business_day, roll_forward

    friday, saturday, monday = dt.date(2026, 10, 30), dt.date(2026, 10, 31), dt.date(2026, 11, 2)
    assert next_business_day(friday) == friday
    assert next_business_day(saturday) == monday
    assert next_business_day(saturday, [monday]) == dt.date(2026, 11, 3)
    out = roll_forward(pl.Series("d", [saturday, None, friday], dtype=pl.Date))
    assert out.to_list() == [monday, None, friday]
