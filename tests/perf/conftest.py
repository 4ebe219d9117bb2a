"""A small demo analysis for the JSON writer's tests."""

from __future__ import annotations

import pytest

from cartera.analysis import analyze
from cartera.demo import write_demo
from cartera.io import import_files
from cartera.result import PortfolioAnalysis


@pytest.fixture(scope="module")
def analysis(tmp_path_factory: pytest.TempPathFactory) -> PortfolioAnalysis:
    """One lazy analysis of 150 demo clients (serialising it builds no client objects)."""
    root = tmp_path_factory.mktemp("stream")
    write_demo(root / "data", clients=150, lines=8_000, seed=5)
    return analyze(import_files([root / "data"], into=root / "ws").workspace.path)
