"""The least an import of the four demo files must do under the workspace's contract
(DESIGN: canonical types, payments resolved onto their documents, figures per client
written at import), with no order, no check and the file's layout given by hand: a floor
no import that reads unknown files and checks them can go under.

Usage::

    python benchmarks/import_floors.py KIND DATA_DIR OUT_DIR

KIND ``polars`` or ``duckdb``: the contract; ``duckdb-documents``: the documents file
alone, typed; ``duckdb-documents-sorted``: the same in the workspace's order.

Writes ``documents``, ``payments`` (each with its document's client), ``clients``,
``activities`` and ``aggregates`` (one row per client) as Parquet in ``OUT_DIR``, and prints
the seconds. ``polars``: the streaming engine; ``duckdb``: its out-of-core engine within
1 GB. Run by ``bench_import_scale.py`` as two of its floors.
"""

from __future__ import annotations

import sys
import time
from typing import Any

#: The demo files' columns (``cartera demo``): documents, payments, clients, activities.
DOCS = ["doc_number", "date", "client_code", "client_name", "tax_id", "doc_type", "product",
        "units", "unit_price", "discount_pct", "amount", "vat_rate", "total", "cost",
        "due_date"]  # fmt: skip
DOC_DATES = {"date", "due_date"}
DOC_NUMBERS = {"units", "unit_price", "discount_pct", "amount", "vat_rate", "total", "cost"}
PAYS = ["doc_number", "date", "amount"]
CLIENTS = ["client_code", "name", "tax_id", "sector", "region", "image", "contact", "email",
           "phone", "terms", "employees"]  # fmt: skip
ACTS = ["date", "client_code", "kind", "hours", "note"]
#: Each demo file: its columns, dates and numbers.
TABLES: dict[str, tuple[list[str], set[str], set[str]]] = {
    "facturas": (DOCS, DOC_DATES, DOC_NUMBERS),
    "cobros": (PAYS, {"date"}, {"amount"}),
    "clientes": (CLIENTS, set(), {"terms", "employees"}),
    "actividades": (ACTS, {"date"}, {"hours"}),
}


def _polars(data: str, out: str) -> None:
    import polars as pl

    def num(c: str) -> pl.Expr:
        text = pl.col(c).str.replace_all(".", "", literal=True)
        return text.str.replace(",", ".", literal=True).cast(pl.Float64)

    def typed(name: str, columns: list[str], dates: set[str], numbers: set[str]) -> None:
        lf = pl.scan_csv(
            f"{data}/{name}.csv", separator=";", encoding="utf8-lossy", infer_schema=False
        )
        lf = lf.rename(dict(zip(lf.collect_schema().names(), columns, strict=True)))
        lf.with_columns(
            *[pl.col(c).str.to_date("%d/%m/%Y") for c in dates],
            *[num(c) for c in numbers],
        ).sink_parquet(f"{out}/{name}.parquet", compression="lz4")

    for name, (columns, dates, numbers) in TABLES.items():
        typed(name, columns, dates, numbers)
    docs = pl.scan_parquet(f"{out}/facturas.parquet")
    pl.scan_parquet(f"{out}/cobros.parquet").join(
        docs.select("doc_number", "client_code").unique(), on="doc_number", how="left"
    ).sink_parquet(f"{out}/payments.parquet", compression="lz4")
    docs.group_by("client_code").agg(
        pl.col("amount").sum(),
        pl.col("cost").sum(),
        pl.col("doc_number").n_unique().alias("documents"),
        pl.col("date").min().alias("first"),
        pl.col("date").max().alias("last"),
    ).sink_parquet(f"{out}/aggregates.parquet", compression="lz4")


def _duckdb_connect(out: str) -> Any:
    import duckdb

    con = duckdb.connect()
    con.execute(
        "SET memory_limit='1GB'; SET preserve_insertion_order=false; "
        f"SET enable_progress_bar=false; SET temp_directory='{out}/spill'"
    )
    return con


def _duckdb_typed(
    con: Any, data: str, out: str, name: str, table: tuple[list[str], set[str], set[str]],
    order: str = "",
) -> None:  # fmt: skip
    """``name``.csv typed column by column (``table``: columns, dates, numbers written with
    a decimal comma and thousands points) and written as Parquet, in ``order`` if given."""
    columns, dates, numbers = table
    source = (
        f"read_csv('{data}/{name}.csv', delim=';', header=true, all_varchar=true, "
        f"encoding='latin-1', names={columns!r})"
    )
    cols = [
        f"strptime({c}, '%d/%m/%Y')::DATE AS {c}"
        if c in dates
        else f"replace(replace({c}, '.', ''), ',', '.')::DOUBLE AS {c}"
        if c in numbers
        else c
        for c in columns
    ]
    con.execute(
        f"COPY (SELECT {', '.join(cols)} FROM {source} {order}) TO '{out}/{name}.parquet' "
        "(FORMAT parquet, COMPRESSION lz4)"
    )


def _duckdb(data: str, out: str) -> None:
    con = _duckdb_connect(out)
    for name, table in TABLES.items():
        _duckdb_typed(con, data, out, name, table)
    con.execute(
        f"COPY (SELECT p.*, d.client_code FROM '{out}/cobros.parquet' p LEFT JOIN "
        f"(SELECT DISTINCT doc_number, client_code FROM '{out}/facturas.parquet') d "
        f"USING (doc_number)) TO '{out}/payments.parquet' (FORMAT parquet, COMPRESSION lz4)"
    )
    con.execute(
        "COPY (SELECT client_code, sum(amount) AS amount, sum(cost) AS cost, "
        "count(DISTINCT doc_number) AS documents, min(date) AS first, max(date) AS last "
        f"FROM '{out}/facturas.parquet' GROUP BY client_code) TO '{out}/aggregates.parquet' "
        "(FORMAT parquet, COMPRESSION lz4)"
    )


def _duckdb_documents(data: str, out: str) -> None:
    """The documents file alone, typed: the least a bounded import of it must do."""
    _duckdb_typed(_duckdb_connect(out), data, out, "facturas", TABLES["facturas"])


def _duckdb_documents_sorted(data: str, out: str) -> None:
    """The same in the workspace's order (client, date): what keeping it costs."""
    con = _duckdb_connect(out)
    _duckdb_typed(con, data, out, "facturas", TABLES["facturas"], "ORDER BY client_code, date")


KINDS = {
    "polars": _polars,
    "duckdb": _duckdb,
    "duckdb-documents": _duckdb_documents,
    "duckdb-documents-sorted": _duckdb_documents_sorted,
}


if __name__ == "__main__":
    started = time.perf_counter()
    KINDS[sys.argv[1]](sys.argv[2], sys.argv[3])
    print(f"{sys.argv[1]} contract floor: {time.perf_counter() - started:.1f} s")
