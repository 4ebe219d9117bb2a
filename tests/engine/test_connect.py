"""Intermediate tables on a backend are forgotten once their queries ran."""

from __future__ import annotations

import pyarrow as pa

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
