"""The one connection factory: DuckDB in-process by default, PySpark on request.

Metric code never knows which backend it runs on; it receives Ibis tables
bound here. Spark is an optional extra (``cartera[spark]``); its session is
configured for a laptop or CI: loopback binds, no UI, a few shuffle
partitions, UTC, and never ``spark.jars.packages`` (no downloads).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis.backends import BaseBackend

from cartera.errors import MissingExtraError, SettingsError
from cartera.i18n import N_

__all__ = [
    "ENGINES",
    "Tables",
    "connect",
    "from_arrow",
    "load_tables",
    "release",
    "spark_session",
    "to_arrow",
]

Engine = Literal["duckdb", "spark"]
ENGINES: tuple[Engine, ...] = ("duckdb", "spark")
_TABLES = ("documents", "payments", "clients", "activities")

#: Spark settings for local runs and tests: everything bound to loopback, no UI.
SPARK_CONF: dict[str, str] = {
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.ansi.enabled": "false",
}


@dataclass(frozen=True)
class Tables:
    """The canonical tables bound to one backend."""

    con: BaseBackend
    documents: ir.Table
    payments: ir.Table
    clients: ir.Table
    activities: ir.Table


def spark_session(master: str | None = None) -> Any:
    """A SparkSession: ``local[2]`` by default, or the cluster at ``master``."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise MissingExtraError("spark", "pyspark") from exc
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.master(master or "local[2]").appName("cartera")
    for key, value in SPARK_CONF.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _teach_spark_bit_or() -> None:
    """Compile ibis' ``BitOr`` aggregate to Spark SQL's ``bit_or`` (Spark ≥ 3.0 has it).

    ibis 12 leaves it undefined for PySpark although Spark supports it; the
    active-months mask needs it (one aggregate instead of one per month).
    """
    from ibis.backends.sql.compilers.pyspark import PySparkCompiler

    def visit_bit_or(self: Any, op: Any, *, arg: Any, where: Any) -> Any:
        return self.agg.bit_or(arg, where=where)

    PySparkCompiler.visit_BitOr = visit_bit_or


def connect(
    engine: str = "duckdb",
    *,
    spark_master: str | None = None,
    memory_limit: str | None = None,
    threads: int | None = None,
) -> BaseBackend:
    """A backend for ``engine`` (``duckdb`` or ``spark``).

    ``memory_limit`` (e.g. ``"1GB"``) and ``threads`` tune DuckDB; DuckDB
    spills to a temporary directory beyond the limit, so large inputs run
    out of core.
    """
    if engine == "duckdb":
        config: dict[str, Any] = {}
        if memory_limit:
            config["memory_limit"] = memory_limit
        if threads:
            config["threads"] = threads
        return ibis.duckdb.connect(**config)
    if engine == "spark":
        try:
            importlib.import_module("ibis.backends.pyspark")
        except ImportError as exc:  # pragma: no cover - depends on the installed extras
            raise MissingExtraError("spark", "ibis-framework[pyspark]") from exc
        _teach_spark_bit_or()
        return ibis.pyspark.connect(spark_session(spark_master))
    raise SettingsError(
        N_("Unknown engine «{engine}»; use one of: {choices}."),
        engine=engine,
        choices=", ".join(ENGINES),
    )


#: Deprecation warnings raised inside ibis 12 by newer DuckDB and pandas, not by our code.
_THIRD_PARTY_WARNINGS = ("fetch_arrow_table", "future.infer_string")


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    with warnings.catch_warnings():
        for message in _THIRD_PARTY_WARNINGS:
            warnings.filterwarnings("ignore", f".*{re.escape(message)}")
        yield


def to_arrow(expr: ir.Table, con: BaseBackend | None = None) -> pa.Table:
    """Execute ``expr`` on ``con`` (default: its own backend) into an Arrow table."""
    with _quiet():
        return con.to_pyarrow(expr) if con is not None else expr.to_pyarrow()


def from_arrow(table: pa.Table, con: BaseBackend, name: str) -> ir.Table:
    """An intermediate result back on ``con`` as a table named ``name``.

    DuckDB reads the Arrow memory in place (an ibis memtable). On Spark the
    frame is created from Arrow directly: ibis would go through pandas, where
    a null float becomes NaN, and Spark orders NaN above every number (so a
    missing days-to-pay would pass ``> 120``).
    """
    if con.name == "pyspark":
        view = f"{name}_{uuid.uuid4().hex[:12]}"  # one analysis must not see another's
        session = con._session
        session.createDataFrame(table).createOrReplaceTempView(view)
        with _quiet():
            return con.table(view)
    return ibis.memtable(table)


def release(table: ir.Table, con: BaseBackend) -> None:
    """Forget an intermediate table of :func:`from_arrow` once its queries have run.

    The backend otherwise keeps it (and so its Arrow memory: ~170 MB of metrics at
    500k clients) registered until the connection closes.
    """
    name = table.op().name
    if con.name == "pyspark":
        con._session.catalog.dropTempView(name)
    elif con.name == "duckdb":
        with contextlib.suppress(Exception):  # never registered: no query ran on it
            con.con.unregister(name)


def load_tables(con: BaseBackend, folder: str | Path) -> Tables:
    """Bind a workspace's four Parquet files to ``con``."""
    root = Path(folder)
    with _quiet():
        bound = {
            name: con.read_parquet(str(root / f"{name}.parquet"), table_name=f"cartera_{name}")
            for name in _TABLES
        }
    return Tables(con=con, **bound)
