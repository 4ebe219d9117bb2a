"""Shared fixtures: the language is reset around each test; one throw-away PostgreSQL."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under mutmut (`make mutation`), the cheapest test files first.

    mutmut's fork server hands a mutant's tests to pytest in no order and stops at the
    first failure (`-x`): files are ordered by the run time mutmut recorded for their
    selected tests (`mutmut-stats.json`, next to the mutated copy); a file's tests keep
    their order, so its module fixtures are set up once. Other runs are left alone.
    """
    stats = Path("mutmut-stats.json")
    if "MUTANT_UNDER_TEST" not in os.environ or not stats.is_file():
        return
    durations: dict[str, float] = json.loads(stats.read_text())["duration_by_test"]
    cost: dict[Path, float] = {}
    for item in items:
        cost[item.path] = cost.get(item.path, 0.0) + durations.get(item.nodeid, 0.0)
    items.sort(key=lambda item: cost[item.path])
