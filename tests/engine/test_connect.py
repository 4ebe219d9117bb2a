"""Intermediate tables on a backend are forgotten once their queries ran."""

from __future__ import annotations

import os

import pyarrow as pa
import pytest

from cartera.engine.connect import connect, from_arrow, release, to_arrow


def _registered(con: object) -> set[str]:
    return {row[0] for row in con.con.sql("SHOW TABLES").fetchall()}  # type: ignore[attr-defined]


def test_release_forgets_an_intermediate_table_and_its_arrow_memory() -> None:
    con = connect()
    data = pa.table({"id": ["A", "B"], "revenue": [1.0, 2.0]})
    table = from_arrow(data, con, "cartera_metrics")
    assert to_arrow(table.aggregate(total=table.revenue.sum()), con).to_pylist() == [{"total": 3.0}]
    name = table.op().name
    assert name in _registered(con)  # the query registered it
    release(table, con)
    assert name not in _registered(con)
    release(table, con)  # twice, or before any query: nothing to forget, no error
    release(from_arrow(data, con, "cartera_other"), con)


def test_release_drops_the_spark_temporary_view_by_the_table_name() -> None:
    # A recording stand-in for a Spark backend: the real one needs a Spark session (slow runs).
    dropped: list[str] = []

    class _Catalog:
        def dropTempView(self, name: str) -> None:
            dropped.append(name)

    class _Spark:
        name = "pyspark"
        _session = type("_Session", (), {"catalog": _Catalog()})()

    table = from_arrow(pa.table({"id": ["A"]}), connect(), "cartera_metrics")
    release(table, _Spark())  # type: ignore[arg-type]
    assert dropped == [table.op().name]


def test_spark_session_binds_to_loopback_with_the_projects_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The builder gets the master (``local[2]`` by default), the name and every setting.

    A recording stand-in for ``SparkSession``: the real session is started by the slow
    runs (``tests/engine/test_spark*.py``, the cluster's parity run).
    """
    import pyspark.sql

    from cartera.engine import connect as module

    calls: list[tuple[str, object]] = []

    class _Context:
        def setLogLevel(self, level: str) -> None:
            calls.append(("log", level))

    class _Builder:
        def master(self, url: str) -> _Builder:
            calls.append(("master", url))
            return self

        def appName(self, name: str) -> _Builder:
            calls.append(("name", name))
            return self

        def config(self, key: str, value: str) -> _Builder:
            calls.append(("config", (key, value)))
            return self

        def getOrCreate(self) -> object:
            calls.append(("create", None))
            return type("_Session", (), {"sparkContext": _Context()})()

    monkeypatch.setattr(pyspark.sql.SparkSession, "builder", _Builder())
    monkeypatch.delenv("SPARK_LOCAL_IP", raising=False)
    session = module.spark_session()
    configured = [value for kind, value in calls if kind == "config"]
    assert calls[:2] == [("master", "local[2]"), ("name", "cartera")]
    assert configured == list(module.SPARK_CONF.items())
    assert calls[-2:] == [("create", None), ("log", "ERROR")]
    assert isinstance(session.sparkContext, _Context)
    assert os.environ["SPARK_LOCAL_IP"] == "127.0.0.1"

    calls.clear()
    monkeypatch.setenv("SPARK_LOCAL_IP", "10.0.0.5")  # a firm's own setting is kept
    module.spark_session("spark://127.0.0.1:7077")
    assert calls[0] == ("master", "spark://127.0.0.1:7077")
    assert os.environ["SPARK_LOCAL_IP"] == "10.0.0.5"


def test_spark_learns_the_bit_or_aggregate(monkeypatch: pytest.MonkeyPatch) -> None:
    """ibis 12 has no Spark rule for ``BitOr``: taught, it compiles to ``BIT_OR``, filter too."""
    import ibis
    from ibis.backends.sql.compilers.pyspark import PySparkCompiler

    from cartera.engine.connect import _teach_spark_bit_or

    monkeypatch.setattr(PySparkCompiler, "visit_BitOr", PySparkCompiler.visit_BitOr)
    t = ibis.table({"x": "int64", "g": "string"}, name="t")
    _teach_spark_bit_or()
    plain = ibis.to_sql(t.group_by("g").aggregate(m=t.x.bit_or()), dialect="pyspark")
    where = ibis.to_sql(t.group_by("g").aggregate(m=t.x.bit_or(where=t.x > 1)), dialect="pyspark")
    assert "BIT_OR(`t0`.`x`) AS `m`" in plain
    assert "BIT_OR(IF(`t0`.`x` > 1, `t0`.`x`, NULL)) AS `m`" in where


def test_from_arrow_on_spark_makes_a_view_of_its_own_from_the_arrow_table() -> None:
    # A recording stand-in for a Spark backend (the real one runs only in the slow runs):
    # the Arrow table itself becomes a frame, under the name and 12 hex digits of its own.
    import re

    created: list[pa.Table] = []
    views: list[str] = []
    read: list[str] = []

    class _Frame:
        def createOrReplaceTempView(self, name: str) -> None:
            views.append(name)

    class _Session:
        def createDataFrame(self, data: pa.Table) -> _Frame:
            created.append(data)
            return _Frame()

    class _Spark:
        name = "pyspark"
        _session = _Session()

        def table(self, name: str) -> str:
            read.append(name)
            return f"table {name}"

    data = pa.table({"id": ["A"], "days_to_pay": pa.array([None], pa.float64())})
    first = from_arrow(data, _Spark(), "cartera_metrics")  # type: ignore[arg-type]
    second = from_arrow(data, _Spark(), "cartera_metrics")  # type: ignore[arg-type]
    assert created == [data, data] and created[0] is data
    assert all(re.fullmatch(r"cartera_metrics_[0-9a-f]{12}", v) for v in views), views
    assert views[0] != views[1] and read == views
    assert (first, second) == (f"table {views[0]}", f"table {views[1]}")


def test_spark_without_pyspark_says_which_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without pyspark, the Spark session names the package and the extra that installs it."""
    import sys

    from cartera.engine.connect import spark_session
    from cartera.errors import MissingExtraError

    monkeypatch.setitem(sys.modules, "pyspark.sql", None)  # import fails as if not installed
    with pytest.raises(MissingExtraError) as caught:
        spark_session()
    assert str(caught.value) == (
        "This needs the optional package «pyspark». Install it with: pip install 'cartera[spark]'"
    )


def test_connect_dispatches_spark_and_refuses_an_unknown_engine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """«spark» connects ibis' pyspark backend to the project's session (no Spark started
    here: both are stand-ins); any other engine but DuckDB is refused with the choices."""
    import ibis

    from cartera.engine import connect as module
    from cartera.errors import SettingsError

    session = object()
    taught: list[bool] = []
    monkeypatch.setattr(module, "spark_session", lambda master=None: (session, master))
    monkeypatch.setattr(module, "_teach_spark_bit_or", lambda: taught.append(True))
    monkeypatch.setattr(ibis.pyspark, "connect", lambda s: ("pyspark", s))
    assert connect("spark", spark_master="spark://127.0.0.1:7077") == (
        "pyspark",
        (session, "spark://127.0.0.1:7077"),
    )
    assert taught == [True]
    from cartera.i18n import language

    with pytest.raises(SettingsError) as caught:
        connect("sqlite")
    with language("en"):
        assert str(caught.value) == "Unknown engine «sqlite»; use one of: duckdb, spark."


def test_spark_without_ibis_pyspark_backend_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib

    from cartera.engine import connect as module
    from cartera.errors import MissingExtraError

    real = importlib.import_module

    def without_backend(name: str, *args: object) -> object:
        if name == "ibis.backends.pyspark":
            raise ImportError(name)
        return real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(module.importlib, "import_module", without_backend)
    with pytest.raises(MissingExtraError) as caught:
        connect("spark")
    assert str(caught.value) == (
        "This needs the optional package «ibis-framework[pyspark]». Install it with: "
        "pip install 'cartera[spark]'"
    )
