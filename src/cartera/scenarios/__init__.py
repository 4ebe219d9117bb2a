"""Scenarios on top of an analysis: what-if loss, crisis stress, recommendations.

:func:`enrich` is called by :func:`cartera.analyze` on every fresh analysis: it
fills ``portfolio.worst_single_loss`` and ``recommendations``. The other
functions back ``cartera whatif`` and ``cartera stress`` and the Python API
(``PortfolioAnalysis.without``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from cartera.result import PortfolioAnalysis, Recommendation, StressResult
from cartera.scenarios.dependence import worst_single_loss
from cartera.scenarios.letgo import LetGoPlan, let_go_plan
from cartera.scenarios.recommend import CODES, recommend
from cartera.scenarios.simulate import Simulator
from cartera.scenarios.stress import crisis_profit, run_stress
from cartera.scenarios.texts import describe, title
from cartera.scenarios.whatif import what_if

__all__ = [
    "CODES",
    "LetGoPlan",
    "Simulator",
    "describe",
    "enrich",
    "let_go_plan",
    "recommendations",
    "stress_test",
    "title",
    "what_if",
]


def enrich(analysis: PortfolioAnalysis, settings: Any) -> PortfolioAnalysis:
    """Add the worst single loss and the recommendations to a fresh analysis (in place).

    Parameters
    ----------
    analysis
        An analysis whose ``clients_frame`` has the engine's per-client columns.
    settings
        The :class:`cartera.settings.Settings` of the analysis.
    """
    frame = analysis.clients_frame
    simulator = _simulator(analysis, settings)
    worst = worst_single_loss(frame, settings, simulator=simulator)
    analysis.portfolio.worst_single_loss = worst
    analysis.recommendations = recommendations(analysis, settings, simulator=simulator)
    return analysis


def _simulator(analysis: PortfolioAnalysis, settings: Any) -> Simulator:
    """The analysis' simulator (kept for later what-ifs) when built with these settings."""
    if analysis._settings is settings:
        return Simulator.of(analysis)
    return Simulator(analysis.clients_frame, settings)


def recommendations(
    analysis: PortfolioAnalysis, settings: Any, *, simulator: Simulator | None = None
) -> list[Recommendation]:
    """The recommendations of an analysis (see :mod:`cartera.scenarios.recommend`).

    The let-go plans' portfolios after are the ``simulator``'s when given (the
    what-if's sums with numpy), else the engine's summaries.
    """
    frame = analysis.clients_frame
    crisis: float | None = None
    if analysis.portfolio.net_contribution is not None and frame.height:
        crisis = crisis_profit(frame, settings)
    return recommend(
        frame,
        analysis.portfolio,
        settings,
        plans=(
            let_go_plan(frame, analysis.portfolio, settings, only="losing", simulator=simulator),
            let_go_plan(
                frame, analysis.portfolio, settings, only="contributing", simulator=simulator
            ),
        ),
        worst=analysis.portfolio.worst_single_loss,
        crisis_profit=crisis,
        currency=analysis.currency,
    )


def stress_test(
    analysis: PortfolioAnalysis,
    settings: Any = None,
    *,
    scenarios: int | None = None,
    seed: int | None = None,
    churn_risk: Mapping[str, str] | None = None,
) -> StressResult:
    """The crisis stress of an analysis (see :mod:`cartera.scenarios.stress`).

    ``churn_risk`` maps client id → the follow-up assistant's risk level; with
    ``stress.use_churn_risk`` it raises those clients' leave probabilities.
    """
    frame = analysis.clients_frame
    if churn_risk is not None:
        risk = pl.DataFrame(
            {"id": list(churn_risk), "churn_risk": list(churn_risk.values())},
            schema={"id": pl.String, "churn_risk": pl.String},
        )
        frame = frame.join(risk, on="id", how="left", maintain_order="left")
    return run_stress(
        frame,
        settings if settings is not None else analysis._settings,
        scenarios=scenarios,
        seed=seed,
    )
