"""Shared fixtures: the language is reset around each test; one throw-away PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cartera.i18n import language
from pg_cluster import postgres_cluster


@pytest.fixture(autouse=True)
def _spanish_by_default() -> Iterator[None]:
    with language("es"):
        yield


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database on a cluster started for the session (store and web tests)."""
    with postgres_cluster() as url:
        yield url
