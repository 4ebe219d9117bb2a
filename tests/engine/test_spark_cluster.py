"""The analysis on a real Spark standalone cluster (a master, two workers) equals DuckDB's.

The session fixture starts the cluster with ``scripts/spark-cluster.py`` on free
loopback ports and stops it at the end (checking that every daemon is gone).
``CARTERA_SPARK_MASTER`` points the tests at a cluster that is already running
instead (``spark://host:port``); the script's own tests then do not run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_spark_parity import _assert_same

from cartera.analysis import analyze
from cartera.demo import write_demo
from cartera.io import import_files

pytestmark = pytest.mark.slow

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "spark-cluster.py"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _script(action: str, root: Path, port: int, ui: int) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, str(SCRIPT), action, "--dir", str(root)]
    argv += ["--port", str(port), "--webui-port", str(ui), "--memory", "1g"]
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)


def _running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie waiting for its reaper is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _stop_active_session() -> None:
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        active.stop()


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    pytest.importorskip("pyspark")
    if os.environ.get("CARTERA_SPARK_MASTER"):
        yield {"master": os.environ["CARTERA_SPARK_MASTER"], "own": False}
        return
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Java is not installed: a Spark cluster cannot start (make system-deps)")
    root = tmp_path_factory.mktemp("spark-cluster")
    port, ui = _free_port(), _free_port()
    started = _script("start", root, port, ui)
    if started.returncode != 0:
        _script("stop", root, port, ui)
        pytest.fail(f"the cluster did not start:\n{started.stderr}")
    pids = [int(p.read_text()) for p in root.glob("*.pid")]
    try:
        yield {"master": started.stdout.strip(), "own": True, "root": root, "port": port,
               "ui": ui, "pids": pids}  # fmt: skip
    finally:
        _stop_active_session()
        _script("stop", root, port, ui)
    running = [pid for pid in pids if _running(pid)]
    assert not running, f"daemons still running after stop: {running}"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cluster-ws")
    write_demo(root / "data", clients=150, lines=8_000, seed=23)
    return import_files([root / "data"], into=root / "ws").workspace.path


def test_cluster_has_a_master_and_two_workers(cluster: dict[str, object]) -> None:
    if not cluster["own"]:
        pytest.skip("CARTERA_SPARK_MASTER names a cluster this test did not start")
    assert cluster["master"] == f"spark://127.0.0.1:{cluster['port']}"
    assert len(cluster["pids"]) == 3  # type: ignore[arg-type]
    root, port, ui = cluster["root"], cluster["port"], cluster["ui"]
    state = _script("status", root, port, ui)  # type: ignore[arg-type]
    assert state.returncode == 0
    assert f"spark://127.0.0.1:{port}: 2 workers alive" in state.stdout
    again = _script("start", root, port, ui)  # type: ignore[arg-type]
    assert again.returncode == 1 and "already running" in again.stderr


def test_cluster_analysis_matches_duckdb(cluster: dict[str, object], workspace: Path) -> None:
    _stop_active_session()  # a local session from another test would be reused
    master = str(cluster["master"])
    try:
        spark = analyze(workspace, engine="spark", spark_master=master)
        from pyspark.sql import SparkSession

        active = SparkSession.getActiveSession()
        assert active is not None and active.sparkContext.master == master
    finally:
        _stop_active_session()  # later Spark tests must get their own local session
    duck = analyze(workspace)
    _assert_same(duck.to_contract(), spark.to_contract())
    assert spark.clients_frame.height == duck.clients_frame.height == 150


def test_status_of_a_stopped_cluster(tmp_path: Path) -> None:
    state = _script("status", tmp_path, _free_port(), _free_port())
    assert state.returncode == 1 and state.stdout.strip() == "stopped"
