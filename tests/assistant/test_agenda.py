"""Agenda: ranking by money, week and owner filters, done/snooze/reassign."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from cartera.assistant.agenda import (
    AgendaError,
    ItemState,
    build_agenda,
    done,
    filter_items,
    owners_from_log,
    reassign,
    snooze,
    week_of,
)
from cartera.assistant.cadence import due_contacts
from cartera.assistant.interactions import Interaction, to_frame
from cartera.assistant.settings import AssistantSettings
from cartera.assistant.texts import agenda_rows, why
from cartera.i18n import language

from .conftest import AS_OF, clients, days, log, open_items, rhythm

PLAIN = AssistantSettings(business_days=False)


def _frame(lg: pl.DataFrame | None = None) -> pl.DataFrame:
    cl = clients(
        {"id": "S", "segment": "structure", "revenue": 50_000.0},
        {"id": "M", "segment": "margin", "action": "grow", "gross_margin": 7_000.0},
        {"id": "P", "revenue": 2_000.0},
    )
    rh = rhythm({"client_id": "M", "orders": 6, "first_order": days(300), "last_order": days(50),
                 "median_gap": 20.0, "usual_gap": 30.0, "days_since": 50})  # fmt: skip
    op = open_items({"client_id": "P", "overdue": 12_000.0, "oldest_due": days(20),
                     "overdue_invoices": 3, "days_past_due": 20})  # fmt: skip
    return due_contacts(cl, rh, op, lg if lg is not None else log(), PLAIN, AS_OF)


def test_ranked_by_money_at_stake() -> None:
    items = build_agenda(_frame(), until=AS_OF + dt.timedelta(days=6))
    assert [(i.client_id, i.rule, i.stake) for i in items] == [
        ("S", "structure_call", 50_000.0),
        ("S", "structure_review", 50_000.0),
        ("P", "dunning_firm", 12_000.0),
        ("M", "margin_reactivation", 7_000.0),
        ("P", "regular_contact", 2_000.0),
    ]


def test_week_and_owner_filters() -> None:
    lg = log(("S", days(1), "call"), Interaction("M", days(100), "note", who="ana"))
    items = build_agenda(_frame(lg), until=AS_OF + dt.timedelta(days=6),
                         owners=owners_from_log(lg), default_owner="boss")  # fmt: skip
    assert "S:structure_call" not in {i.key for i in items}  # due in 29 days
    assert [i.key for i in filter_items(items, owner="ana")] == ["M:margin_reactivation"]
    later = build_agenda(_frame(lg), until=AS_OF + dt.timedelta(days=40))
    assert "S:structure_call" in {i.key for i in later}
    week = week_of(AS_OF)
    assert week.end == AS_OF + dt.timedelta(days=6)
    assert len(filter_items(later, week=week)) == len(items)


def test_done_logs_an_interaction_that_moves_the_next_contact() -> None:
    items = build_agenda(_frame(), until=AS_OF)
    item = next(i for i in items if i.rule == "margin_reactivation")
    entry = done(item, AS_OF, who="ana", outcome="will order in May", note="talked to Eva")
    assert entry.rule == "margin_reactivation" and entry.channel == "phone" and entry.who == "ana"
    again = build_agenda(_frame(to_frame([entry])), until=AS_OF + dt.timedelta(days=365))
    moved = next(i for i in again if i.key == item.key)
    assert moved.due == AS_OF + dt.timedelta(days=30)


def test_snooze_and_reassign() -> None:
    items = build_agenda(_frame(), until=AS_OF)
    item = next(i for i in items if i.rule == "dunning_firm")
    state = snooze(item, AS_OF + dt.timedelta(days=3), AS_OF)
    week = build_agenda(_frame(), until=AS_OF + dt.timedelta(days=6), states=[state])
    snoozed = next(i for i in week if i.key == item.key)
    assert snoozed.status == "snoozed" and snoozed.due == AS_OF + dt.timedelta(days=3)
    today = build_agenda(_frame(), until=AS_OF, states=[state])
    assert item.key not in {i.key for i in today}
    given = build_agenda(_frame(), until=AS_OF, states=[reassign(item, " luis ")])
    assert next(i for i in given if i.key == item.key).owner == "luis"
    with pytest.raises(AgendaError):
        snooze(item, AS_OF, AS_OF)
    with pytest.raises(AgendaError):
        reassign(item, "  ")
    # a snooze that ends before the due date changes nothing
    early = ItemState(key=item.key, snoozed_until=item.due - dt.timedelta(days=1))
    assert build_agenda(_frame(), until=AS_OF, states=[early])[2].status == "open"


def test_why_carries_the_numbers_in_both_languages() -> None:
    items = build_agenda(_frame(), until=AS_OF)
    dunning = next(i for i in items if i.rule == "dunning_firm")
    margin = next(i for i in items if i.rule == "margin_reactivation")
    with language("en"):
        assert why(dunning, AS_OF) == "€12,000 overdue; oldest invoice 20 days past due."
        assert why(margin, AS_OF) == (
            "Margin client (€7,000 margin a year): 30 days without an order by the due day, "
            "its usual gap is 30 days."
        )
        row = agenda_rows([dunning], AS_OF)[0]
        assert row["action"] == "Payment reminder (firm)" and row["days_overdue"] == 5
    with language("es"):
        assert why(dunning, AS_OF) == (
            "12.000\xa0€ vencidos; la factura más antigua lleva 20 días vencida."
        )


def test_owner_and_limit_are_applied_before_building_items() -> None:
    lg = log(Interaction("M", days(100), "note", who="ana"))
    until = AS_OF + dt.timedelta(days=6)
    full = build_agenda(_frame(lg), until=until, owners=owners_from_log(lg))
    assert [i.key for i in build_agenda(_frame(lg), until=until, limit=2)] == [
        i.key for i in full[:2]
    ]
    mine = build_agenda(_frame(lg), until=until, owners=owners_from_log(lg), owner="ana")
    assert [i.key for i in mine] == ["M:margin_reactivation"]
    given = reassign(full[0], "ana")
    both = build_agenda(_frame(lg), until=until, owners=owners_from_log(lg), owner="ana",
                        states=[given])  # fmt: skip
    assert [i.key for i in both] == [full[0].key, "M:margin_reactivation"]
