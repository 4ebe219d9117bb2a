"""Fixtures of the io tests: options with a fixed 'today'."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# io_paths.py is a plain helper module next to the tests.
sys.path.insert(0, str(Path(__file__).parent))

from io_paths import TODAY

from cartera.io import ReadOptions


@pytest.fixture
def options() -> ReadOptions:
    return ReadOptions(today=TODAY)
