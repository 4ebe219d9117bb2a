"""A throw-away PostgreSQL cluster on 127.0.0.1 for the test run.

Finds Debian's binaries under ``/usr/lib/postgresql/*/bin`` (the newest
version), ``initdb``'s a cluster in a temporary folder, starts it on a free
port, creates a database, and stops and removes it at the end. Run as root
(as in the containers here), the server runs as the ``postgres`` user, since
PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["find_bin", "postgres_cluster"]


def find_bin() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` holding ``initdb``."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name.split(".")[0]),
    )
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(args: list[str], as_postgres: bool) -> None:
    prefix = ["runuser", "-u", "postgres", "--"] if as_postgres else []
    subprocess.run(prefix + args, check=True, capture_output=True, timeout=120)


@contextlib.contextmanager
def postgres_cluster() -> Iterator[str]:
    """Yield a ``postgresql+psycopg://`` URL of a fresh database; stop the cluster after."""
    bindir = find_bin()
    if bindir is None:
        raise RuntimeError(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); "
            "run `make system-deps` or `apt-get install postgresql`."
        )
    as_postgres = os.geteuid() == 0
    root = Path(tempfile.mkdtemp(prefix="cartera-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if as_postgres:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
    port = _free_port()
    user = "postgres" if as_postgres else os.environ.get("USER", "postgres")
    _run([str(bindir / "initdb"), "-D", str(data), "-U", user, "-A", "trust", "-E", "UTF8",
          "--no-sync"], as_postgres)  # fmt: skip
    opts = f"-h 127.0.0.1 -p {port} -k {sock} -F"
    _run([str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-w", "-l",
          str(root / "log"), "start"], as_postgres)  # fmt: skip
    try:
        _run([str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", user,
              "cartera_test"], as_postgres)  # fmt: skip
        yield f"postgresql+psycopg://{user}@127.0.0.1:{port}/cartera_test"
    finally:
        _run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], as_postgres)
        shutil.rmtree(root, ignore_errors=True)
