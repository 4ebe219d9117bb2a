"""Prospects, do-not-call list, campaigns and calls stored on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
from sqlalchemy import inspect

from cartera.errors import InputError
from cartera.store import Store
from cartera.store import people as P
from cartera.store import study as S
from cartera.study.campaign import Call
from cartera.study.prospects import PROSPECT_COLUMNS
from cartera.web import campaigns as C

TZ = C.CALL_TZ


def prospect(name: str, **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(PROSPECT_COLUMNS)
    row.update({"file": "list.csv", "name": name, "source": "Feria 2026", "consent": True})
    row.update(fields)
    return row


def frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    data = [{**r, "row": i + 2} for i, r in enumerate(rows)]
    schema = {c: pl.String for c in PROSPECT_COLUMNS} | {"row": pl.Int64, "consent": pl.Boolean}
    return pl.DataFrame(data, schema=schema)


CLIENTS = pl.DataFrame(
    {"client_id": ["C1"], "name": ["Ferretería Sol S.L."], "tax_id": ["B11111111"]}
)
PROSPECTS = [
    prospect("Almacenes Norte", tax_id="B22222222", phone="600 000 001", sector="Mayorista"),
    prospect("FERRETERIA SOL", phone="600 000 002"),  # a client by name
    prospect("Almacenes Norte SA", phone="600 000 003"),  # repeats row 2 by name
    prospect("Talleres Río", phone="+34 600 000 004"),  # on the Robinson list
    prospect("Sin Permiso", phone="600 000 005", consent=False),
    prospect("Café Luna", phone="600 000 006", email="hola@luna.es"),
]


@pytest.fixture
def firm(store: Store) -> tuple[Store, int, int]:
    with store.session() as s:
        f = P.create_firm(s, "Alfa")
        u = P.create_user(s, "ana@alfa.es", "correct horse battery")
        P.add_member(s, u, f, "assistant")
        s.commit()
        return store, f.id, u.id


def test_tables_exist(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert {"prospects", "do_not_call", "campaigns", "campaign_assistants",
            "campaign_members", "campaign_calls"} <= tables  # fmt: skip


def test_prospects_are_deduplicated_against_clients_and_earlier_lists(firm: Any) -> None:
    store, firm_id, user_id = firm
    with store.session() as s:
        added = C.import_do_not_call(
            s, firm_id, pl.DataFrame({"phone": ["600000004"], "email": [None]},
                                     schema={"phone": pl.String, "email": pl.String}),
            "robinson.csv",
        )  # fmt: skip
        assert added == 1
        counts = C.add_prospects(s, firm_id, frame(PROSPECTS), CLIENTS, user_id=user_id)
        s.commit()
        assert (counts["read"], counts["added"], counts["client"], counts["repeat"]) == (6, 4, 1, 1)
        assert counts["do_not_call"] == 1 and counts["no_consent"] == 1
        again = C.add_prospects(s, firm_id, frame(PROSPECTS[:1]), CLIENTS, user_id=user_id)
        assert (again["added"], again["earlier"]) == (0, 1)
        rows, total = S.search_prospects(s, firm_id, "norte")
        assert total == 1 and rows[0].code == "P00001" and rows[0].origin["row"] == 2
        rio = S.find_prospect(s, firm_id, "P00002")
        assert rio is not None and rio.name == "Talleres Río" and rio.do_not_call
        # a later do-not-call list flags prospects already kept
        C.import_do_not_call(
            s, firm_id, pl.DataFrame({"phone": [None], "email": ["hola@luna.es"]},
                                     schema={"phone": pl.String, "email": pl.String}),
            "bajas.csv",
        )  # fmt: skip
        luna = S.find_prospect(s, firm_id, "P00004")
        assert luna is not None and luna.do_not_call


def _campaign(s: Any, firm_id: int, user_id: int) -> Any:
    return C.new_campaign(s, firm_id, name="Mayoristas", kind="structure",
                          scripts={"es": "Hola {contact}", "en": ""}, assistants=[user_id],
                          retry_attempts=2, retry_gap_days=1)  # fmt: skip


def test_campaign_enrols_only_callable_prospects_and_replays_calls(firm: Any) -> None:
    store, firm_id, user_id = firm
    with store.session() as s:
        C.import_do_not_call(
            s, firm_id, pl.DataFrame({"phone": ["600000004"], "email": [None]},
                                     schema={"phone": pl.String, "email": pl.String}),
            "robinson.csv",
        )  # fmt: skip
        C.add_prospects(s, firm_id, frame(PROSPECTS), CLIENTS, user_id=user_id)
        campaign = _campaign(s, firm_id, user_id)
        assert campaign.scripts == {"es": "Hola {contact}"}
        assert [a.user_id for a in campaign.assistants] == [user_id]
        enrollment = C.enroll_prospects(s, campaign, ["P00001", "P00002", "P00003", "P00004"])
        refused = {p.id: why for p, why in enrollment.refused}
        assert [p.id for p in enrollment.accepted] == ["P00001", "P00004"]
        assert refused == {"P00002": "do_not_call", "P00003": "no_consent"}
        s.commit()
        member = S.find_member(s, campaign, "P00001")
        assert member is not None
        monday = dt.datetime(2026, 12, 7, 10, 0, tzinfo=TZ)
        no_answer = Call("P00001", monday, "no_answer")
        first = C.log_call(s, campaign, member, no_answer, user_id=user_id)
        assert first.state.stage == "retry"
        assert first.state.next_call == dt.datetime(2026, 12, 8, 10, 0, tzinfo=TZ)
        s.commit()
    with store.session() as s:  # a new session reads the call back and replays it
        campaign = S.find_campaign(s, firm_id, campaign.id)
        member = S.find_member(s, campaign, "P00001")
        assert member.stage == "retry" and member.next_call is not None
        later = dt.datetime(2026, 12, 8, 11, 0, tzinfo=TZ)
        with pytest.raises(InputError):  # earlier than the last call
            C.log_call(s, campaign, member, Call("P00001", later - dt.timedelta(days=2),
                                                 "busy"), user_id=user_id)  # fmt: skip
        no = Call("P00001", later, "reached", "not_interested", note="Ya tienen proveedor")
        assert C.log_call(s, campaign, member, no, user_id=user_id).state.stage == "lost"
        s.commit()
        other = C.new_campaign(s, firm_id, name="Otra", kind="margin")
        again = C.enroll_prospects(s, other, ["P00001"])
        assert [why for _p, why in again.refused] == ["not_interested"]
        funnel = C.campaign_funnel(s, firm_id, by=("kind",))
        row = funnel.filter(pl.col("kind") == "structure").row(0, named=True)
        assert (row["enrolled"], row["called"], row["reached"], row["meeting"]) == (2, 1, 1, 0)


def test_do_not_call_added_after_enrolment_stops_calls(firm: Any) -> None:
    store, firm_id, user_id = firm
    with store.session() as s:
        C.add_prospects(s, firm_id, frame(PROSPECTS), CLIENTS, user_id=user_id)
        campaign = _campaign(s, firm_id, user_id)
        C.enroll_prospects(s, campaign, ["P00004"])  # Café Luna
        C.import_do_not_call(
            s, firm_id, pl.DataFrame({"phone": ["+34600000006"], "email": [None]},
                                     schema={"phone": pl.String, "email": pl.String}),
            "robinson.csv",
        )  # fmt: skip
        member = S.find_member(s, campaign, "P00004")
        at = dt.datetime(2026, 12, 7, 10, 0, tzinfo=TZ)
        with pytest.raises(InputError, match="do-not-call"):
            C.log_call(s, campaign, member, Call("P00004", at, "no_answer"), user_id=user_id)


def test_won_needs_a_meeting_and_a_proposal(firm: Any) -> None:
    store, firm_id, user_id = firm
    with store.session() as s:
        C.add_prospects(s, firm_id, frame(PROSPECTS), CLIENTS, user_id=user_id)
        campaign = _campaign(s, firm_id, user_id)
        C.enroll_prospects(s, campaign, ["P00001"])
        member = S.find_member(s, campaign, "P00001")
        with pytest.raises(InputError):
            C.advance_member(s, campaign, member, "won")
        assert member.moves == [] and member.prospect.status == "open"


def test_a_booked_meeting_goes_to_the_agenda_and_a_won_prospect_becomes_a_client(
    firm: Any,
) -> None:
    from icalendar import Calendar

    from cartera.store.followup import scheduled_items

    store, firm_id, user_id = firm
    with store.session() as s:
        C.add_prospects(s, firm_id, frame(PROSPECTS), CLIENTS, user_id=user_id)
        campaign = _campaign(s, firm_id, user_id)
        C.enroll_prospects(s, campaign, ["P00001"])
        member = S.find_member(s, campaign, "P00001")
        at = dt.datetime(2026, 12, 7, 10, 0, tzinfo=TZ)
        meet = dt.datetime(2026, 12, 10, 16, 30, tzinfo=TZ)
        booked = Call("P00001", at, "reached", "meeting_booked", meeting_at=meet)
        logged = C.log_call(s, campaign, member, booked, user_id=user_id)
        s.commit()
        assert logged.state.stage == "meeting" and logged.meeting is not None
        (item,) = scheduled_items(s, firm_id)
        assert (item.subject_kind, item.subject_id, item.kind) == ("prospect", "P00001", "meeting")
        assert item.at == meet and item.source == f"campaign:{campaign.id}"
        meeting = C.meeting_of(s, campaign, logged.call_id)
        assert meeting is not None and meeting.uid == item.calendar_uid
        (event,) = Calendar.from_ical(C.meeting_ics(meeting)).walk("VEVENT")
        assert event.decoded("dtstart") == meet and str(event["uid"]) == item.calendar_uid
        C.advance_member(s, campaign, member, "proposal")
        C.advance_member(s, campaign, member, "won", today=dt.date(2027, 1, 15))
        s.commit()
        won = S.find_prospect(s, firm_id, "P00001")
        assert won is not None and (won.status, won.client_id) == ("won", "B22222222")
        assert won.won_origin == {
            "campaign": str(campaign.id), "campaign_name": "Mayoristas", "kind": "structure",
            "source": "Feria 2026", "prospect": "P00001", "won_on": "2027-01-15",
        }  # fmt: skip
        row = C.campaign_funnel(s, firm_id).row(0, named=True)
        steps = ("called", "reached", "meeting", "proposal", "client")
        assert [row[k] for k in steps] == [1, 1, 1, 1, 1]
