"""Store fixtures: every store test runs on SQLite and on a throw-away PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from cartera.store import Store, open_store
from cartera.store.engine import downgrade


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A freshly migrated, empty store on each backend."""
    if request.param == "sqlite":
        opened = open_store(f"sqlite:///{tmp_path / 'cartera.db'}")
        yield opened
        opened.dispose()
        return
    url = request.getfixturevalue("postgres_url")
    opened = open_store(url)
    try:
        yield opened
    finally:
        downgrade(opened.engine, "base")
        with opened.engine.begin() as con:
            con.execute(text("DROP TABLE IF EXISTS alembic_version"))
        opened.dispose()
