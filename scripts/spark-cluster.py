#!/usr/bin/env python3
"""A Spark standalone cluster on this machine: one master and N workers on 127.0.0.1.

Usage::

    python scripts/spark-cluster.py start   # master at spark://127.0.0.1:7077, 2 workers
    python scripts/spark-cluster.py status
    python scripts/spark-cluster.py stop

Everything comes from the installed ``pyspark`` package (its ``bin/spark-class``
and ``jars/``) and the machine's Java: nothing is downloaded. Every daemon binds
to the loopback address (``SPARK_LOCAL_IP``, ``--host``); the master's web UI
(also on loopback) serves the JSON the script reads to know the workers are up.
Logs, pid files and the workers' scratch space live in ``--dir`` (default
``$TMPDIR/cartera-spark-cluster``). ``stop`` ends exactly the processes whose
pid files it wrote (SIGTERM to each daemon's process group, SIGKILL after a
grace period), workers first.

Exit status: 0 when done; 1 when the cluster did not come up (its processes are
stopped again and the log tails printed) or Java/pyspark is missing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

DEFAULT_DIR = Path(tempfile.gettempdir()) / "cartera-spark-cluster"
HOST = "127.0.0.1"


def spark_home() -> Path:
    """The folder of the installed pyspark package (it holds ``bin/`` and ``jars/``)."""
    import pyspark

    return Path(pyspark.__file__).resolve().parent


def java_binary() -> str | None:
    """The Java the daemons will run on: ``$JAVA_HOME/bin/java`` or ``java`` on the path."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


def _env(root: Path, args: argparse.Namespace) -> dict[str, str]:
    conf = root / "conf"  # empty: no stray spark-env.sh or spark-defaults.conf
    conf.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        SPARK_HOME=str(spark_home()),
        SPARK_CONF_DIR=str(conf),
        SPARK_LOCAL_IP=HOST,
        SPARK_MASTER_HOST=HOST,
        SPARK_LOG_DIR=str(root / "logs"),
        SPARK_PID_DIR=str(root),
        SPARK_DAEMON_MEMORY=args.daemon_memory,
        # Executors start Python workers with the interpreter that runs Cartera.
        PYSPARK_PYTHON=sys.executable,
    )
    return env


def _launch(root: Path, name: str, argv: list[str], env: dict[str, str]) -> int:
    log = root / "logs" / f"{name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    spark_class = spark_home() / "bin" / "spark-class"
    with log.open("ab") as out:
        proc = subprocess.Popen(  # spark-class ends in exec: the pid is the JVM's
            ["bash", str(spark_class), *argv],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            cwd=root,
        )
    (root / f"{name}.pid").write_text(str(proc.pid))
    return proc.pid


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child of ours counts as gone
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _pids(root: Path) -> dict[str, int]:
    found = {}
    for path in sorted(root.glob("*.pid")):
        try:
            found[path.stem] = int(path.read_text().strip())
        except ValueError:
            path.unlink()
    return found


def master_state(webui_port: int) -> dict[str, object] | None:
    """The master's JSON state (workers, status), or ``None`` when it does not answer."""
    try:
        with urllib.request.urlopen(f"http://{HOST}:{webui_port}/json/", timeout=2) as resp:
            state: dict[str, object] = json.load(resp)
            return state
    except (OSError, ValueError):
        return None


def alive_workers(webui_port: int) -> int:
    state = master_state(webui_port)
    if state is None:
        return -1
    workers = state.get("workers", [])
    assert isinstance(workers, list)
    return sum(1 for w in workers if isinstance(w, dict) and w.get("state") == "ALIVE")


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def _wait(check: object, timeout: float, root: Path) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        if any(not _alive(pid) for pid in _pids(root).values()):
            return False
        time.sleep(0.5)
    return False


def _tails(root: Path) -> None:
    for log in sorted((root / "logs").glob("*.log")):
        lines = log.read_text(errors="replace").splitlines()[-15:]
        print(f"--- {log}", *lines, sep="\n", file=sys.stderr)


def start(args: argparse.Namespace) -> int:
    root: Path = args.dir
    root.mkdir(parents=True, exist_ok=True)
    running = {n: p for n, p in _pids(root).items() if _alive(p)}
    if running:
        print(f"A cluster is already running from {root}: {running}", file=sys.stderr)
        return 1
    if java_binary() is None:
        print("Java is not installed (set JAVA_HOME or put java on the PATH).", file=sys.stderr)
        return 1
    env = _env(root, args)
    master = f"spark://{HOST}:{args.port}"
    _launch(root, "master", [
        "org.apache.spark.deploy.master.Master",
        "--host", HOST, "--port", str(args.port), "--webui-port", str(args.webui_port),
    ], env)  # fmt: skip
    if not _wait(lambda: _port_open(args.port), args.timeout, root):
        print("The master did not start.", file=sys.stderr)
        _tails(root)
        stop(args)
        return 1
    for i in range(1, args.workers + 1):
        work = root / f"worker-{i}"
        work.mkdir(exist_ok=True)
        _launch(root, f"worker-{i}", [
            "org.apache.spark.deploy.worker.Worker",
            "--host", HOST, "--cores", str(args.cores), "--memory", args.memory,
            "--webui-port", "0", "--work-dir", str(work), master,
        ], env)  # fmt: skip
    if not _wait(lambda: alive_workers(args.webui_port) >= args.workers, args.timeout, root):
        print("The workers did not register with the master.", file=sys.stderr)
        _tails(root)
        stop(args)
        return 1
    print(master)
    return 0


def stop(args: argparse.Namespace) -> int:
    root: Path = args.dir
    pids = _pids(root)
    order = sorted(pids, key=lambda name: name == "master")  # workers first
    for name in order:
        pid = pids[name]
        if _alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + args.grace
    while time.monotonic() < deadline and any(_alive(pids[n]) for n in order):
        time.sleep(0.2)
    for name in order:
        if _alive(pids[name]):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pids[name], signal.SIGKILL)
        (root / f"{name}.pid").unlink(missing_ok=True)
    return 0


def status(args: argparse.Namespace) -> int:
    pids = _pids(args.dir)
    up = {name: pid for name, pid in pids.items() if _alive(pid)}
    if "master" not in up:
        print("stopped")
        return 1
    print(f"spark://{HOST}:{args.port}: {alive_workers(args.webui_port)} workers alive")
    for name, pid in sorted(up.items()):
        print(f"  {name} pid {pid}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("start", "stop", "status"))
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="logs, pids, scratch")
    parser.add_argument("--port", type=int, default=7077, help="master port")
    parser.add_argument("--webui-port", type=int, default=8080, help="master web UI port")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cores", type=int, default=1, help="cores per worker")
    parser.add_argument("--memory", default="2g", help="memory per worker")
    parser.add_argument("--daemon-memory", default="512m", help="heap of each daemon")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to come up")
    parser.add_argument("--grace", type=float, default=15.0, help="seconds before SIGKILL")
    args = parser.parse_args(argv)
    args.dir = args.dir.resolve()
    return {"start": start, "stop": stop, "status": status}[args.action](args)


if __name__ == "__main__":
    sys.exit(main())
