"""Every setting the assumptions section names exists (a renamed threshold fails here)."""

from __future__ import annotations

from cartera.report.assumptions import _COSTS, _THRESHOLDS
from cartera.settings import Settings, Thresholds


def test_every_listed_setting_exists() -> None:
    assert {k for k, _l, _k in _COSTS} <= set(Settings.model_fields)
    assert {k for k, _l, _k in _THRESHOLDS} <= set(Thresholds.model_fields)
