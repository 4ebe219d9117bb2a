"""Health score: hand-computed parts that add up, bands at their edges, what moved it."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from cartera.assistant.churn import latest_answers
from cartera.assistant.health import PARTS, health_score, what_moved
from cartera.assistant.interactions import Interaction
from cartera.assistant.settings import AssistantSettings
from cartera.assistant.surveys import answer, issue

from .conftest import AS_OF, clients, days, log, rhythm


def _cl() -> pl.DataFrame:
    return clients({"id": "A", "segment": "structure", "revenue": 800.0,
                    "previous_revenue": 1000.0, "days_late": 15.0})  # fmt: skip


def _rh(days_since: int = 60) -> pl.DataFrame:
    return rhythm({"client_id": "A", "orders": 9, "first_order": days(400),
                   "last_order": days(days_since), "median_gap": 30.0, "usual_gap": 40.0,
                   "days_since": days_since})  # fmt: skip


def _score(entries: list[Interaction], settings: AssistantSettings | None = None,
           days_since: int = 60) -> dict:  # fmt: skip
    lg = log(*entries)
    return health_score(_cl(), _rh(days_since), latest_answers(lg), lg,
                        settings or AssistantSettings(), AS_OF).row(0, named=True)  # fmt: skip


BASE = [
    Interaction("A", days(45), "call"),
    Interaction("A", days(50), "survey", outcome="csat:4"),
]


def test_contributions_add_up_to_the_hand_computed_score() -> None:
    row = _score(BASE)
    parts = {c["part"]: (c["value"], c["points"]) for c in row["contributions"]}
    assert list(parts) == list(PARTS)
    assert parts == {
        "satisfaction": (0.75, 18.75),  # (4 − 1) / 4 × 0.25
        "recency": (0.5, 12.5),  # 60 / 40 = 1.5 of the way from 1 to 2
        "payment": (0.75, 15.0),  # 15 of 60 days late
        "trend": (0.6, 9.0),  # 800 / 1000 = 0.8 between 0.5 and 1
        "contact": (0.5, 7.5),  # 45 days on a 30-day cadence
    }
    assert row["score"] == 62.75 == sum(p for _v, p in parts.values())
    assert row["band"] == "amber"


@pytest.mark.parametrize(
    ("red", "green", "band"),
    [(40.0, 62.75, "green"), (40.0, 62.76, "amber"), (62.75, 70.0, "amber"),
     (62.76, 70.0, "red")],
)  # fmt: skip
def test_bands_at_their_edges(red: float, green: float, band: str) -> None:
    settings = AssistantSettings(health_red=red, health_green=green)
    assert _score(BASE, settings)["band"] == band


@pytest.mark.parametrize(("days_since", "value"), [(40, 1.0), (41, 0.975), (80, 0.0), (200, 0.0)])
def test_recency_ramp(days_since: int, value: float) -> None:
    row = _score(BASE, days_since=days_since)
    assert row["contributions"][1]["value"] == pytest.approx(value)


def test_unknown_parts_are_neutral_and_no_contact_is_zero() -> None:
    row = _score([])
    sat, contact = row["contributions"][0], row["contributions"][4]
    assert (sat["value"], sat["points"]) == (0.5, 12.5)
    assert (contact["value"], contact["points"]) == (0.0, 0.0)


def test_a_survey_answer_changes_the_score_and_says_so() -> None:
    lg_before = log(*BASE)
    now = dt.datetime(2026, 10, 28, 10, 0)
    raw, token = issue("firm", "A", "csat", now - dt.timedelta(days=1))
    _used, entry = answer(token, 1, now)
    lg_after = log(*BASE, entry)
    settings = AssistantSettings()
    before = health_score(_cl(), _rh(), latest_answers(lg_before), lg_before, settings, AS_OF)
    after = health_score(_cl(), _rh(), latest_answers(lg_after), lg_after, settings, AS_OF)
    assert after["score"][0] == 62.75 - 18.75
    moved = what_moved(before, after).to_dicts()
    assert moved == [{"client_id": "A", "part": "satisfaction", "before": 18.75, "after": 0.0,
                      "change": -18.75}]  # fmt: skip
    assert raw not in str(token)
