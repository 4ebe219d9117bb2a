"""Scenarios on top of an analysis: what-if loss, crisis stress, recommendations."""

from __future__ import annotations

from typing import Any

from cartera.result import PortfolioAnalysis

__all__ = ["enrich"]


def enrich(analysis: PortfolioAnalysis, settings: Any) -> PortfolioAnalysis:
    """Add the worst single loss and the recommendations to a fresh analysis."""
    return analysis
