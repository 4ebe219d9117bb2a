"""A small demo firm (workspace and its prospect files), shared by the study tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from cartera.cli.app import run
from cartera.demo import DemoData, write_demo


@pytest.fixture(scope="session")
def demo_firm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, DemoData]:
    """(export folder, workspace, demo data) of 200 clients, seed 11."""
    root = tmp_path_factory.mktemp("study")
    data = write_demo(root / "export", clients=200, lines=12000, seed=11)
    assert run(["import", str(root / "export"), "--into", str(root / "ws"), "--lang", "en"]) == 0
    return root / "export", root / "ws", data
