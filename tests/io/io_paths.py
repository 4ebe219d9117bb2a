"""Paths and constants shared by the io tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

DATA = Path(__file__).parent.parent / "data"
DIALECTS = DATA / "dialects"
BAD = DATA / "bad"
DEMO = DATA / "demo"
TODAY = dt.date(2026, 11, 1)
