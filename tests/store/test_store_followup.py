"""The follow-up records on SQLite and PostgreSQL: interactions, states, items, tokens, ledger."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from cartera.assistant.interactions import KINDS
from cartera.errors import SettingsError
from cartera.store import Store
from cartera.store import followup as F
from cartera.store import people as P
from cartera.store.base import Base
from cartera.store.engine import downgrade, upgrade
from cartera.store.models import Interaction, SurveyToken
from cartera.store.models.followup import INTERACTION_KINDS
from cartera.store.secrets import hash_token

PASSWORD = "correct horse battery"
DAY = dt.date(2026, 11, 2)
NOW = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)
TABLES = {
    "interactions", "interaction_revisions", "agenda_states", "scheduled_items",
    "survey_tokens", "sent_reminders", "calendar_feeds",
}  # fmt: skip


def _firm_and_user(store: Store) -> tuple[int, int]:
    with store.session() as s:
        firm = P.create_firm(s, "Despacho Norte")
        user = P.create_user(s, "ana@example.es", PASSWORD)
        user.name = "Ana"
        P.add_member(s, user, firm, "assistant")
        s.commit()
        return firm.id, user.id


def test_kinds_agree_with_the_assistant() -> None:
    assert INTERACTION_KINDS == KINDS


def test_migration_0002_matches_the_models_and_goes_down(store: Store) -> None:
    assert set(inspect(store.engine).get_table_names()) >= TABLES
    with store.engine.connect() as con:
        diff = compare_metadata(MigrationContext.configure(con), Base.metadata)
    assert diff == []
    downgrade(store.engine, "0001")
    assert not TABLES & set(inspect(store.engine).get_table_names())
    upgrade(store.engine)
    assert set(inspect(store.engine).get_table_names()) >= TABLES


def test_interaction_added_edited_with_history(store: Store) -> None:
    firm_id, user_id = _firm_and_user(store)
    with store.session() as s:
        row = F.add_interaction(
            s, firm_id, client_id=" C001 ", when=DAY, kind="call", channel="phone",
            outcome="ok", note="  ", next_step="send offer", user_id=user_id, source="cli",
        )  # fmt: skip
        s.commit()
        assert (row.client_id, row.note, row.source) == ("C001", None, "cli")
        assert F.edit_interaction(s, row, user_id, {"outcome": "ok"}) is None
        rev = F.edit_interaction(s, row, user_id, {"outcome": "callback", "happened_on": DAY})
        s.commit()
        assert rev is not None and rev.changes == {"outcome": ["ok", "callback"]}
        F.edit_interaction(s, row, None, {"note": "asked for prices"})
        s.commit()
        history = F.interaction_history(s, row.id)
        assert [h.changes for h in history] == [
            {"outcome": ["ok", "callback"]},
            {"note": [None, "asked for prices"]},
        ]
        assert history[0].user_id == user_id and history[1].user_id is None
        assert history[0].changed_at.tzinfo is not None
        log = F.firm_interactions(s, firm_id)
        assert log == [
            (
                "C001",
                DAY,
                "call",
                "phone",
                "callback",
                "asked for prices",
                "send offer",
                "Ana",
                None,
            )
        ]
        with pytest.raises(SettingsError):
            F.edit_interaction(s, row, user_id, {"firm_id": 2})
        with pytest.raises(SettingsError):
            F.edit_interaction(s, row, user_id, {"kind": "telepathy"})


def test_unknown_kind_and_missing_client_are_refused(store: Store) -> None:
    firm_id, _user = _firm_and_user(store)
    with store.session() as s:
        with pytest.raises(SettingsError):
            F.add_interaction(s, firm_id, client_id="C1", when=DAY, kind="fax")
        with pytest.raises(SettingsError):
            F.add_interaction(s, firm_id, client_id=" ", when=DAY, kind="call")


def test_the_database_refuses_a_bad_kind(store: Store) -> None:
    firm_id, _user = _firm_and_user(store)
    with store.session() as s:
        s.add(Interaction(firm_id=firm_id, client_id="C1", happened_on=DAY, kind="fax"))
        with pytest.raises(IntegrityError):
            s.flush()


def test_import_adds_each_activity_once(store: Store) -> None:
    firm_id, _user = _firm_and_user(store)
    rows = [
        ("C1", DAY, "call", "phone", "first"),
        ("C1", DAY, "call", "phone", "first"),  # two identical calls on one day stay two
        ("C2", DAY, "visit", "in_person", None),
    ]
    with store.session() as s:
        assert F.import_interactions(s, firm_id, rows) == 3
        s.commit()
        assert F.import_interactions(s, firm_id, rows) == 0
        assert F.import_interactions(s, firm_id, [*rows, ("C3", DAY, "email", "email", "")]) == 1
        s.commit()
        assert len(F.firm_interactions(s, firm_id)) == 4
        assert F.import_interactions(s, firm_id, []) == 0


def test_agenda_states_snooze_reassign_done(store: Store) -> None:
    firm_id, user_id = _firm_and_user(store)
    with store.session() as s:
        stranger = P.create_user(s, "eve@example.es", PASSWORD)
        s.commit()
        F.snooze_item(s, firm_id, "C1:satisfaction", DAY, user_id)
        F.reassign_item(s, firm_id, "C1:satisfaction", user_id, user_id)
        F.reassign_item(s, firm_id, "C2:dunning_1", user_id, None)
        s.commit()
        assert F.agenda_states(s, firm_id) == [
            ("C1:satisfaction", DAY, "Ana"),
            ("C2:dunning_1", None, "Ana"),
        ]
        with pytest.raises(SettingsError):
            F.reassign_item(s, firm_id, "C1:satisfaction", stranger.id, user_id)
        item = F.add_scheduled_item(
            s, firm_id, subject_kind="client", subject_id="C1", subject_name="Uno",
            due=DAY, kind="meeting", summary="Review", owner_user_id=user_id, source="app",
        )  # fmt: skip
        F.mark_done(s, firm_id, item.key, user_id, NOW)
        s.commit()
        assert item.done_at == NOW
        assert F.scheduled_items(s, firm_id) == []
        assert F.scheduled_items(s, firm_id, include_done=True) == [item]


def test_scheduled_item_for_a_campaign_meeting(store: Store) -> None:
    firm_id, user_id = _firm_and_user(store)
    at = dt.datetime(2026, 11, 5, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    with store.session() as s:
        item = F.add_scheduled_item(
            s, firm_id, subject_kind="prospect", subject_id="P-7", subject_name="Clínica Sur",
            due=at.date(), at=at, kind="meeting", summary="Presentation",
            owner_user_id=user_id, source="campaign:12",
        )  # fmt: skip
        other = F.add_scheduled_item(
            s, firm_id, subject_kind="client", subject_id="C1", subject_name="Uno",
            due=DAY + dt.timedelta(days=30), kind="call", summary="Next step",
            owner_user_id=None, source="interaction:1",
        )  # fmt: skip
        s.commit()
        assert item.key == f"scheduled:{item.id}"
        assert item.sequence == 0 and item.calendar_uid.endswith("@cartera")
        assert item.calendar_uid != other.calendar_uid
        assert item.at == at and item.at.tzinfo is not None
        uid = item.calendar_uid
        F.update_scheduled_item(s, item, {"summary": "Presentation"})
        assert item.sequence == 0
        F.update_scheduled_item(s, item, {"due": item.due + dt.timedelta(days=1)})
        s.commit()
        assert (item.sequence, item.calendar_uid) == (1, uid)
        assert F.scheduled_items(s, firm_id, until=DAY + dt.timedelta(days=7)) == [item]
        assert F.scheduled_items(s, firm_id, subject_id="C1") == [other]
        for bad in (
            {"subject_kind": "lead"},
            {"subject_id": " "},
            {"kind": "dinner"},
            {"at": dt.datetime(2026, 11, 5, 10, 0)},
        ):
            fields = {
                "subject_kind": "client", "subject_id": "C1", "subject_name": "", "due": DAY,
                "kind": "call", "summary": "", "owner_user_id": None, "source": "", **bad,
            }  # fmt: skip
            with pytest.raises(SettingsError):
                F.add_scheduled_item(s, firm_id, **fields)  # type: ignore[arg-type]


def test_survey_token_single_use(store: Store) -> None:
    firm_id, user_id = _firm_and_user(store)
    digest = hash_token("raw-token")
    with store.session() as s:
        row = F.add_survey_token(
            s, firm_id, token_hash=digest, client_id="C1", scale="nps", language="en",
            expires_at=NOW + dt.timedelta(days=14), user_id=user_id,
        )  # fmt: skip
        s.commit()
        found = F.survey_token(s, digest)
        assert found is not None and found.id == row.id and found.used_at is None
        assert F.survey_token(s, hash_token("other")) is None
        assert F.use_survey_token(s, found, NOW) is True
        assert F.use_survey_token(s, found, NOW) is False
        s.commit()
        assert found.used_at == NOW
        s.add(SurveyToken(token_hash="x" * 64, firm_id=firm_id, client_id="C1", scale="ces",
                          expires_at=NOW))  # fmt: skip
        with pytest.raises(IntegrityError):
            s.flush()


def test_sent_ledger_and_calendar_feed(store: Store) -> None:
    firm_id, user_id = _firm_and_user(store)
    with store.session() as s:
        F.record_sent(s, firm_id, key="C1:satisfaction", channel="email", fingerprint="ab",
                      sequence=0, sent_at=NOW)  # fmt: skip
        F.record_sent(s, firm_id, key="C1:satisfaction", channel="email", fingerprint="cd",
                      sequence=1, sent_at=NOW + dt.timedelta(hours=1))  # fmt: skip
        s.commit()
        assert [(r.fingerprint, r.sequence) for r in F.sent_ledger(s, firm_id)] == [
            ("ab", 0), ("cd", 1),
        ]  # fmt: skip
        first = F.new_feed_token(s, firm_id, user_id)
        s.commit()
        assert first.startswith(F.FEED_PREFIX)
        feed = F.feed_for_token(s, first)
        assert feed is not None and (feed.firm_id, feed.user_id) == (firm_id, user_id)
        assert feed.token_hash == hash_token(first) and first not in feed.token_hash
        second = F.new_feed_token(s, firm_id, user_id)
        s.commit()
        assert F.feed_for_token(s, first) is None
        assert F.feed_for_token(s, second) is not None
        assert F.feed_for_token(s, "not-a-feed") is None


def test_deleting_a_firm_deletes_its_follow_up(store: Store) -> None:
    firm_id, user_id = _firm_and_user(store)
    with store.session() as s:
        row = F.add_interaction(s, firm_id, client_id="C1", when=DAY, kind="call")
        F.edit_interaction(s, row, user_id, {"note": "x"})
        s.commit()
        from cartera.store.models import Firm

        s.delete(s.get(Firm, firm_id))
        s.commit()
        assert s.query(Interaction).count() == 0


def test_assistant_settings_values_kept_per_firm(store: Store) -> None:
    firm_id, user_id = _firm_and_user(store)
    with store.session() as s:
        assert F.assistant_values(s, firm_id) == {}
        F.save_assistant_values(s, firm_id, {"smtp": {"host": "mail.example.es"}}, user_id)
        s.commit()
        assert F.assistant_values(s, firm_id) == {"smtp": {"host": "mail.example.es"}}
        F.save_assistant_values(s, firm_id, {}, None)
        s.commit()
        assert F.assistant_values(s, firm_id) == {}
