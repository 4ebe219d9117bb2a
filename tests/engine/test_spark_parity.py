"""The whole analysis on Spark equals the one on DuckDB (the demo portfolio)."""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cartera.analysis import analyze
from cartera.demo import write_demo
from cartera.io import import_files

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    pytest.importorskip("pyspark")
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    root = tmp_path_factory.mktemp("parity")
    write_demo(root / "data", clients=150, lines=8_000, seed=11)
    yield import_files([root / "data"], into=root / "ws").workspace.path
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        active.stop()


def _assert_same(a: Any, b: Any, path: str = "$") -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys(), path
        for key in a:
            _assert_same(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _assert_same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert a is not None and b is not None, (path, a, b)
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9), (path, a, b)
    else:
        assert a == b, (path, a, b)


def test_spark_matches_duckdb(workspace: Path) -> None:
    duck = analyze(workspace)
    spark = analyze(workspace, engine="spark")
    _assert_same(duck.to_contract(), spark.to_contract())
    assert len(spark.pareto_curve) == len(duck.pareto_curve)
    assert spark.clients_frame.height == duck.clients_frame.height == 150
