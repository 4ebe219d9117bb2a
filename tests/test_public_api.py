"""The public API is frozen: ``__all__`` equals what docs/api.md lists."""

from __future__ import annotations

import re
from pathlib import Path

import cartera

DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"


def documented_names() -> set[str]:
    text = DOC.read_text(encoding="utf-8")
    return set(re.findall(r"^### `([A-Za-z_][A-Za-z0-9_]*)`", text, flags=re.M))


def test_all_matches_docs() -> None:
    assert set(cartera.__all__) == documented_names()


def test_every_public_name_exists() -> None:
    for name in cartera.__all__:
        assert hasattr(cartera, name), name
