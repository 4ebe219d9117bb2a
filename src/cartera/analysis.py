"""Placeholder: the engine helper replaces this module."""

from __future__ import annotations

from typing import Any


def analyze(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("engine not yet built")
