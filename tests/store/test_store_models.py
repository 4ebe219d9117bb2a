"""The store on SQLite and PostgreSQL: migrations, people, roles, sessions, tokens, runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError

from cartera.errors import SettingsError
from cartera.settings import Settings
from cartera.store import Store, database_url
from cartera.store import people as P
from cartera.store import runs as R
from cartera.store import sessions as S
from cartera.store.engine import head_revision
from cartera.store.models import ApiToken, Membership, WebSession
from cartera.store.secrets import MIN_PASSWORD, hash_token

PASSWORD = "correct horse battery"


def test_migrations_create_every_table(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert {
        "firms", "users", "memberships", "web_sessions", "api_tokens", "import_runs",
        "firm_settings", "alembic_version",
    } <= tables  # fmt: skip
    with store.engine.connect() as con:
        version = con.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert version == head_revision()


def test_firm_slug_is_ascii_and_unique(store: Store) -> None:
    with store.session() as s:
        a = P.create_firm(s, "Clínica Sur, S.L.")
        b = P.create_firm(s, "Clinica Sur S L")
        s.commit()
        assert (a.slug, b.slug) == ("clinica-sur-s-l", "clinica-sur-s-l-2")
        assert P.firm_by_slug(s, "clinica-sur-s-l-2").id == b.id


def test_user_password_is_argon2id_and_checked(store: Store) -> None:
    with store.session() as s:
        user = P.create_user(s, " Ana@Example.ES ", PASSWORD)
        s.commit()
        assert user.email == "ana@example.es"
        assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert PASSWORD not in user.password_hash
        assert P.authenticate(s, "ANA@example.es", PASSWORD) is not None
        assert P.authenticate(s, "ana@example.es", PASSWORD + "x") is None
        assert P.authenticate(s, "nobody@example.es", PASSWORD) is None


@pytest.mark.parametrize(
    ("length", "ok"), [(MIN_PASSWORD - 1, False), (MIN_PASSWORD, True), (MIN_PASSWORD + 1, True)]
)
def test_password_length_edge(store: Store, length: int, ok: bool) -> None:
    with store.session() as s:
        if ok:
            assert P.create_user(s, "a@b.es", "p" * length).id
        else:
            with pytest.raises(SettingsError):
                P.create_user(s, "a@b.es", "p" * length)


def test_duplicate_and_bad_emails_are_refused(store: Store) -> None:
    with store.session() as s:
        P.create_user(s, "a@b.es", PASSWORD)
        with pytest.raises(SettingsError):
            P.create_user(s, "A@B.es", PASSWORD)
        with pytest.raises(SettingsError):
            P.create_user(s, "not-an-email", PASSWORD)


def test_memberships_roles_and_firms(store: Store) -> None:
    with store.session() as s:
        user = P.create_user(s, "a@b.es", PASSWORD)
        f1, f2 = P.create_firm(s, "Beta"), P.create_firm(s, "Alfa")
        P.add_member(s, user, f1, "assistant")
        P.add_member(s, user, f2, "viewer")
        P.add_member(s, user, f1, "analyst")  # replaces the role
        s.commit()
        assert [(f.name, r) for f, r in P.user_firms(s, user.id)] == [
            ("Alfa", "viewer"),
            ("Beta", "analyst"),
        ]
        assert s.scalar(select(Membership).where(Membership.firm_id == f1.id)).role == "analyst"
        with pytest.raises(SettingsError):
            P.add_member(s, user, f1, "admin")


def test_database_refuses_unknown_role(store: Store) -> None:
    with store.session() as s:
        user, firm = P.create_user(s, "a@b.es", PASSWORD), P.create_firm(s, "F")
        s.add(Membership(user_id=user.id, firm_id=firm.id, role="admin"))
        with pytest.raises(IntegrityError):
            s.flush()


def test_deleting_a_firm_removes_its_memberships(store: Store) -> None:
    with store.session() as s:
        user, firm = P.create_user(s, "a@b.es", PASSWORD), P.create_firm(s, "F")
        P.add_member(s, user, firm, "owner")
        s.commit()
        s.delete(firm)
        s.commit()
        assert s.scalars(select(Membership)).all() == []


def test_sessions_are_hashed_and_expire(store: Store) -> None:
    with store.session() as s:
        user = P.create_user(s, "a@b.es", PASSWORD)
        token, row = S.start_session(s, user, dt.timedelta(hours=1))
        s.commit()
        assert row.token_hash == hash_token(token) and token not in row.token_hash
        found = S.user_session(s, token)
        assert found is not None and found.user.id == user.id
        assert found.expires_at.tzinfo is not None
        assert S.user_session(s, token + "x") is None
        expired, _row = S.start_session(s, user, dt.timedelta(seconds=-1))
        assert S.user_session(s, expired) is None
        S.end_session(s, token)
        assert S.user_session(s, token) is None
        # a new session purges the expired ones
        S.start_session(s, user, dt.timedelta(hours=1))
        assert len(s.scalars(select(WebSession)).all()) == 1


def test_api_tokens_are_hashed_and_revocable(store: Store) -> None:
    with store.session() as s:
        user = P.create_user(s, "a@b.es", PASSWORD)
        other = P.create_user(s, "c@d.es", PASSWORD)
        token, row = S.create_api_token(s, user, "laptop")
        s.commit()
        assert token.startswith(S.API_TOKEN_PREFIX)
        stored = s.scalars(select(ApiToken.token_hash)).all()
        assert stored == [hash_token(token)]
        assert S.user_for_api_token(s, token).id == user.id
        assert row.last_used_at is not None
        assert not S.revoke_api_token(s, row.id, other.id)
        assert S.revoke_api_token(s, row.id, user.id)
        assert S.user_for_api_token(s, token) is None


def test_import_runs_latest_and_previous(store: Store) -> None:
    with store.session() as s:
        firm, other = P.create_firm(s, "F"), P.create_firm(s, "G")
        common = {"files": [{"name": "a.csv"}], "content_hash": "h", "manifest": {"tables": {}}}
        r1 = R.record_run(s, firm_id=firm.id, status="ok", **common)
        R.record_run(s, firm_id=firm.id, status="failed", error="bad", **common)
        r3 = R.record_run(s, firm_id=firm.id, status="ok", **common)
        R.record_run(s, firm_id=other.id, status="ok", **common)
        s.commit()
        assert R.latest_run(s, firm.id).id == r3.id
        assert R.previous_run(s, r3).id == r1.id
        assert R.previous_run(s, r1) is None
        assert [r.status for r in R.import_runs(s, firm.id)] == ["ok", "failed", "ok"]
        assert R.import_runs(s, firm.id)[0].files == [{"name": "a.csv"}]


def test_firm_settings_round_trip_only_changes(store: Store) -> None:
    with store.session() as s:
        firm = P.create_firm(s, "F")
        assert R.firm_settings(s, firm.id) == Settings()
        changed = Settings(fixed_costs=120_000, hourly_cost=35.5)
        row = R.save_firm_settings(s, firm.id, changed, None)
        s.commit()
        assert row.values == {"fixed_costs": 120000.0, "hourly_cost": 35.5}
        assert R.firm_settings(s, firm.id) == changed
        R.save_firm_settings(s, firm.id, Settings(), None)
        assert R.firm_settings(s, firm.id) == Settings()


def test_database_url_defaults_to_sqlite_in_data_dir(tmp_path: Path) -> None:
    assert database_url(tmp_path, env={}) == f"sqlite:///{(tmp_path / 'cartera.db').resolve()}"
    pg = "postgresql+psycopg://u@127.0.0.1/db"
    assert database_url(tmp_path, env={"CARTERA_DATABASE_URL": f" {pg} "}) == pg
