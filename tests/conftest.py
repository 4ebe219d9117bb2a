"""Shared fixtures: the language is reset around each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cartera.i18n import language


@pytest.fixture(autouse=True)
def _spanish_by_default() -> Iterator[None]:
    with language("es"):
        yield
