"""Campaigns: window, retries, callbacks, do-not-call never called, funnel, agenda and .ics."""

from __future__ import annotations

import datetime as dt

import pytest

from cartera.errors import InputError
from cartera.i18n import language
from cartera.study.campaign import (
    Call,
    CallWindow,
    Campaign,
    CampaignProspect,
    ProspectState,
    RetryRule,
    advance,
    apply_call,
    due,
    enroll,
    replay,
    won_client,
)
from cartera.study.funnel import funnel
from cartera.study.meetings import meeting_item, to_ics
from cartera.study.scripts import script

MON = dt.datetime(2026, 11, 2, 10, 0)  # a Monday
CAMPAIGN = Campaign("c1", "Margen otoño", "margin", assistants=("Lucía",))


def at(days: float, hour: int = 10, minute: int = 0) -> dt.datetime:
    return MON.replace(hour=hour, minute=minute) + dt.timedelta(days=days)


def prospect(pid: str, **kw: object) -> CampaignProspect:
    base: dict[str, object] = {"phone": "600 000 000", "consent": True, "source": "Feria"}
    return CampaignProspect(pid, f"Prospecto {pid}", **{**base, **kw})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (at(0, 8), at(0, 9, 30)),  # before opening: the opening
        (at(0, 11), at(0, 11)),  # inside: itself
        (at(0, 13, 30), at(1, 9, 30)),  # at closing: next day
        (at(4, 14), at(7, 9, 30)),  # Friday afternoon: Monday
        (at(5, 11), at(7, 9, 30)),  # Saturday: Monday
    ],
)
def test_window_next_open(when: dt.datetime, expected: dt.datetime) -> None:
    assert CallWindow().next_open(when) == expected


def test_three_attempts_two_days_apart_then_lost() -> None:
    state = ProspectState("p1")
    state = apply_call(CAMPAIGN, state, Call("p1", at(0), "no_answer"))
    assert (state.stage, state.attempts, state.next_call) == ("retry", 1, at(2))
    state = apply_call(CAMPAIGN, state, Call("p1", at(2), "voicemail"))
    assert (state.stage, state.next_call) == ("retry", at(4))  # Friday
    state = apply_call(CAMPAIGN, state, Call("p1", at(4), "busy"))
    assert (state.stage, state.reason, state.attempts, state.next_call) == (
        "lost", "no_contact", 3, None,
    )  # fmt: skip
    with pytest.raises(InputError, match="not to be called"):
        apply_call(CAMPAIGN, state, Call("p1", at(7), "no_answer"))


@pytest.mark.parametrize(("attempts", "stage"), [(1, "lost"), (2, "retry")])
def test_retry_rule_edge(attempts: int, stage: str) -> None:
    campaign = Campaign("c9", "x", "image", retry=RetryRule(attempts=attempts, gap_days=0))
    state = apply_call(campaign, ProspectState("p"), Call("p", at(0, 11), "voicemail"))
    assert state.stage == stage
    assert state.next_call == (None if stage == "lost" else at(0, 11))  # 0 days: same moment


def test_bad_windows_and_rules_are_refused() -> None:
    with pytest.raises(InputError):
        CallWindow(start=dt.time(14), end=dt.time(9))
    with pytest.raises(InputError):
        CallWindow(weekdays=(7,))
    with pytest.raises(InputError):
        RetryRule(attempts=0)


def test_a_retry_falling_on_the_weekend_moves_to_monday() -> None:
    state = apply_call(CAMPAIGN, ProspectState("p1"), Call("p1", at(3, 12), "no_answer"))
    assert state.next_call == at(7, 9, 30)  # Thursday + 2 days = Saturday → Monday


def test_callback_is_scheduled_on_the_asked_date_and_resets_attempts() -> None:
    calls = [
        Call("p1", at(0), "no_answer"),
        Call("p1", at(2), "reached", "call_back", callback_at=at(9, 16)),  # 16:00: after hours
    ]
    state = replay(CAMPAIGN, "p1", calls)
    assert (state.stage, state.attempts, state.reached, state.next_call) == (
        "callback", 0, True, at(10, 9, 30),
    )  # fmt: skip
    assert due([state], at(10, 9)) == [] and due([state], at(10, 9, 30)) == [state]


def test_meeting_proposal_won_and_the_client_keeps_its_origin() -> None:
    state = replay(CAMPAIGN, "p1", [Call("p1", at(0), "reached", "meeting_booked",
                                         meeting_at=at(3, 11))])  # fmt: skip
    assert (state.stage, state.meeting_at) == ("meeting", at(3, 11))
    with pytest.raises(InputError):
        advance(state, "won")  # no proposal yet
    state = advance(advance(state, "proposal"), "won")
    assert (state.stage, state.proposed) == ("won", True)
    row = won_client(prospect("p1", tax_id="B1"), CAMPAIGN, "C9001", dt.date(2026, 12, 1))
    assert row["client_id"] == "C9001" and row["tax_id"] == "B1"
    assert row["origin"] == {
        "campaign": "c1", "campaign_name": "Margen otoño", "kind": "margin",
        "source": "Feria", "prospect": "p1", "won_on": "2026-12-01",
    }  # fmt: skip


def test_wrong_number_and_not_interested_close_the_prospect() -> None:
    assert replay(CAMPAIGN, "a", [Call("a", at(0), "wrong_number")]).reason == "wrong_number"
    lost = replay(CAMPAIGN, "b", [Call("b", at(0), "reached", "not_interested")])
    assert (lost.stage, lost.reason) == ("lost", "not_interested")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"result": "reached"},  # no outcome
        {"result": "no_answer", "outcome": "not_a_fit"},
        {"result": "reached", "outcome": "call_back"},  # no date
        {"result": "reached", "outcome": "meeting_booked", "meeting_at": MON},  # not after
        {"result": "hung_up"},
    ],
)
def test_bad_calls_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(InputError):
        Call("p1", MON, **kwargs)  # type: ignore[arg-type]


def test_do_not_call_no_consent_no_source_are_never_called() -> None:
    people = [
        prospect("ok"),
        prospect("dnc", do_not_call=True),
        prospect("no", consent=False),
        prospect("unknown", consent=None),
        prospect("nosrc", source="  "),
        prospect("before", not_interested=True),
        prospect("nophone", phone=None),
    ]
    result = enroll(people)
    assert [p.id for p in result.accepted] == ["ok"]
    assert [(p.id, r) for p, r in result.refused] == [
        ("dnc", "do_not_call"), ("no", "no_consent"), ("unknown", "no_consent"),
        ("nosrc", "no_source"), ("before", "not_interested"), ("nophone", "no_phone"),
    ]  # fmt: skip
    states = [ProspectState(p.id) for p in result.accepted]
    assert [s.prospect_id for s in due(states, MON)] == ["ok"]


def test_funnel_counts_and_rates() -> None:
    other = Campaign("c2", "Imagen", "image")
    calls = {
        "a": [Call("a", at(0), "reached", "meeting_booked", meeting_at=at(2))],
        "b": [Call("b", at(0), "reached", "meeting_booked", meeting_at=at(2))],
        "c": [Call("c", at(0), "reached", "not_a_fit")],
        "d": [Call("d", at(0), "no_answer")],
        "e": [],
    }
    states = {pid: replay(CAMPAIGN, pid, c) for pid, c in calls.items()}
    states["a"] = advance(advance(states["a"], "proposal"), "won")
    states["b"] = advance(advance(states["b"], "proposal"), "lost", "price")
    members = [(CAMPAIGN, s) for s in states.values()] + [(other, ProspectState("z"))]
    out = funnel(members)
    row = out.filter(out["campaign"] == "c1").row(0, named=True)
    assert [row[k] for k in ("enrolled", "called", "reached", "meeting", "proposal", "client")] == [
        5, 4, 3, 2, 2, 1,
    ]  # fmt: skip
    assert row["reached_rate"] == 3 / 4 and row["meeting_rate"] == 2 / 3
    assert row["won_rate"] == 1 / 2 and row["client_rate"] == 1 / 4
    image = out.filter(out["campaign"] == "c2").row(0, named=True)
    assert image["called"] == 0 and image["reached_rate"] is None


def test_booked_meeting_gives_an_agenda_item_and_an_ics() -> None:
    from icalendar import Calendar

    call = Call("p1", at(0), "reached", "meeting_booked", assistant="Lucía",
                meeting_at=at(3, 11), note="Quiere ver muestras")  # fmt: skip
    who = prospect("p1", contact="Ana Gil", email="ana@ejemplo.es")
    with language("es"):
        item = meeting_item(CAMPAIGN, who, call)
    assert item.title == "Reunión con Prospecto p1 (prospecto de margen)"
    assert (item.start, item.end) == (at(3, 11), at(3, 11, 45))
    parsed = Calendar.from_ical(to_ics([item], dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)))
    events = parsed.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart") == at(3, 11) and str(event["summary"]) == item.title
    assert "Quiere ver muestras" in str(event["description"])
    assert str(event["attendee"]) == "mailto:ana@ejemplo.es"


def test_scripts_open_with_the_value_of_the_kind() -> None:
    names = {"firm": "Cartera S.L.", "prospect": "Ópticas Gil", "assistant": "Lucía"}
    assert "urgent or custom order" in script(CAMPAIGN, "en", **names)
    assert "pedido urgente o a medida" in script(CAMPAIGN, "es", **names)
    structure = Campaign("c3", "E", "structure")
    assert "steady deliveries" in script(structure, "en", **names)
    edited = Campaign("c4", "E", "image", scripts={"es": "Hola {contact}, {bad}"})
    with pytest.raises(InputError, match="placeholder"):
        script(edited, "es", **names)
