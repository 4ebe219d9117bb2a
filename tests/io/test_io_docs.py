"""docs/input-formats.md cannot drift from the alias table and the mapping roles."""

from __future__ import annotations

from pathlib import Path

import pytest

from cartera.io.aliases import ALIASES, CREDIT_WORDS, LEGAL_SUFFIXES

DOC = (Path(__file__).parents[2] / "docs" / "input-formats.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("table", list(ALIASES))
def test_every_alias_is_documented(table: str) -> None:
    missing = [
        f"{role}: {alias}"
        for role, aliases in ALIASES[table].items()
        for alias in aliases
        if f"`{alias}`" not in DOC
    ]
    assert not missing, missing
    assert all(f"`{role}`" in DOC for role in ALIASES[table])


def test_credit_words_are_documented() -> None:
    assert all(f"`{w}`" in DOC for w in CREDIT_WORDS)


def test_legal_suffixes_are_mentioned() -> None:
    text = DOC.lower().replace(".", "")
    assert all(s in text for s in ("sl", "sa", "slu", "sau", "ltd", "llc", "gmbh"))
    assert len(LEGAL_SUFFIXES) > 10
