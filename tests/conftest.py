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
    """Under mutmut (`make mutation`), the test files likely to fail soonest first.

    mutmut's fork server hands a mutant's tests to pytest in no order and stops at the
    first failure (`-x`). A file's cost per test is what mutmut timed of its selected
    tests (`mutmut-stats.json`, next to the mutated copy) plus half a second for
    entering the file (its module fixtures, which mutmut does not time), over their
    number: the files that test the mutated function closely, with many quick tests,
    come first. A file's tests keep their order, so its module fixtures are set up once.
    Other runs are left alone.
    """
    stats = Path("mutmut-stats.json")
    if "MUTANT_UNDER_TEST" not in os.environ or not stats.is_file():
        return
    durations: dict[str, float] = json.loads(stats.read_text())["duration_by_test"]
    spent: dict[Path, float] = {}
    count: dict[Path, int] = {}
    for item in items:
        spent[item.path] = spent.get(item.path, 0.5) + durations.get(item.nodeid, 0.0)
        count[item.path] = count.get(item.path, 0) + 1
    items.sort(key=lambda item: spent[item.path] / count[item.path])
