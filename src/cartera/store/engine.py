"""Open the store: the database URL, the engine, migrations, sessions.

SQLite in the data folder is the default (``cartera serve`` works with
nothing else installed); ``CARTERA_DATABASE_URL`` (e.g.
``postgresql+psycopg://user@host/db``) points at PostgreSQL for a team.
Migrations ship inside the package and run programmatically
(:func:`upgrade`) when the store is opened, so the schema is always current.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

__all__ = [
    "DATABASE_ENV",
    "Store",
    "database_url",
    "downgrade",
    "head_revision",
    "open_store",
    "table_names",
    "upgrade",
]

#: Environment variable naming the database; the data-folder SQLite file otherwise.
DATABASE_ENV = "CARTERA_DATABASE_URL"
_MIGRATIONS = Path(__file__).parent / "migrations"


@dataclass(frozen=True)
class Store:
    """An open store: its engine and a session factory (``with store.session() as s``)."""

    engine: Engine
    session: sessionmaker[Session]

    def dispose(self) -> None:
        self.engine.dispose()


def database_url(data_dir: Path, env: Mapping[str, str] | None = None) -> str:
    """``CARTERA_DATABASE_URL`` when set, else ``sqlite`` file ``cartera.db`` in ``data_dir``."""
    url = (os.environ if env is None else env).get(DATABASE_ENV, "").strip()
    return url or f"sqlite:///{(data_dir / 'cartera.db').resolve()}"


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    # Foreign keys are off by default in SQLite; WAL lets readers run during a write.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def open_store(url: str, *, migrate: bool = True) -> Store:
    """The store at ``url``, migrated to the latest revision unless ``migrate`` is False."""
    # A web request holds its connection while it works; under load (dozens of users,
    # threads waiting on the analysis) the default pool of 5 + 10 times out.
    engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=40, pool_timeout=60)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if migrate:
        upgrade(engine)
    return Store(engine, sessionmaker(engine, expire_on_commit=False))


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the packaged migrations up to ``revision`` on ``engine``."""
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Run the packaged migrations down to ``revision`` (``base`` empties the store)."""
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def head_revision() -> str:
    """The newest revision shipped in the package."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())
