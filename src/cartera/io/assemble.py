"""Across files: duplicate numbers, payments onto documents, client ids and keys.

Input: the per-file parts of every table concatenated in file order (each row
carries ``__file``, the index of its file, ``__row``, and for client-bearing
tables ``__ck``/``__lid``), plus each table's distinct clients (``ids``, see
:func:`cartera.io.tables.with_identity`). Output: the four canonical tables of
:mod:`cartera.schema`, documents sorted by ``(client_key, date)``.

Payments are resolved here, once, so an analysis never joins them again:
``paid_amount`` of a document is the sum of its payments, spread over its
lines in proportion to each line's total (so summing lines gives the
document); ``paid_date`` is the date the payments, in date order, first
reached 99 % of the document's total with tax (its net amount when the total
is unknown) — null while a document is only partly paid.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Final, TypeVar

import polars as pl

from cartera.i18n import N_
from cartera.io.identity import IDENTITY, assign_keys, attach_ids, complete_identity, link_ids
from cartera.io.tables import doc_key
from cartera.schema import ACTIVITIES, CLIENTS, DOCUMENTS, PAYMENTS

__all__ = [
    "DUPLICATE_IN_FILE",
    "IDS_SCHEMA",
    "PAID_TOLERANCE",
    "build_tables",
    "build_tables_out_of_core",
    "duplicate_client_issues",
    "duplicate_issues",
    "unknown_payment_issues",
]

T = TypeVar("T")

#: Payments within 1 % of a document's total settle it (rounding, bank fees).
PAID_TOLERANCE: Final = 0.01

#: A duplicate document number whose first use is in another file of the import.
DUPLICATE_IN_FILE: Final = N_(
    "this document number is already used in {other_file}, row {other}, with another client or date"
)

#: The distinct clients of a table (see :func:`cartera.io.tables.with_identity`).
IDS_SCHEMA: Final = {
    "__ck": pl.UInt64,
    **dict.fromkeys((*IDENTITY, "__dname", "__dtax"), pl.String),
    "__lid": pl.UInt64,
}
_KEYS: Final = {"__file": pl.Int64, "__row": pl.Int64, "__ck": pl.UInt64}
_EMPTY_DOCS: Final = pl.DataFrame(
    schema={
        **_KEYS,
        **dict.fromkeys(("doc_number", "product"), pl.String),
        **dict.fromkeys(
            ("amount", "cost", "units", "list_amount", "total", "paid_amount"), pl.Float64
        ),
        **dict.fromkeys(("date", "due_date", "paid_date"), pl.Date),
        "__credit": pl.Boolean,
    }
)
_EMPTY_ACTS: Final = pl.DataFrame(
    schema={**_KEYS, "date": pl.Date, "hours": pl.Float64, "kind": pl.String, "note": pl.String}
)
_EMPTY_PAYMENTS: Final = pl.DataFrame(
    schema={
        "__file": pl.Int64,
        "__row": pl.Int64,
        "doc_number": pl.String,
        "date": pl.Date,
        "amount": pl.Float64,
    }
)


def _with_doc_key(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with ``__doc`` (:func:`doc_key`), computed only when it is not there yet."""
    return frame if "__doc" in frame.columns else frame.with_columns(doc_key())


def _issues(
    frame: pl.DataFrame, column: pl.Expr, value: pl.Expr, message: str | pl.Expr, params: pl.Expr
) -> pl.DataFrame:
    text = pl.lit(message, pl.String) if isinstance(message, str) else message.cast(pl.String)
    return frame.select(
        pl.col("__file"),
        pl.col("__row").alias("row"),
        column.alias("column"),
        value.cast(pl.String).alias("value"),
        text.alias("message"),
        params.alias("params"),
    )


def _other_row() -> pl.Expr:
    return pl.concat_str([pl.lit('{"other": '), pl.col("__f_row").cast(pl.String), pl.lit("}")])


def _header(headers: dict[int, str]) -> pl.Expr:
    return pl.col("__file").replace_strict(headers, default="", return_dtype=pl.String)


def _varies(column: str) -> pl.Expr:
    """Within a group: whether ``column`` holds more than one distinct value (null counts)."""
    col = pl.col(column)
    mixed_nulls = col.is_null().any() & col.is_not_null().any()
    return (col.min() != col.max()).fill_null(False) | mixed_nulls


def _contiguous_and_consistent(keyed: pl.DataFrame) -> bool:
    """Whether each document's lines are one run of rows sharing client and date.

    The usual export lists an invoice's lines together, so comparing each row
    with the one before it (and counting runs against distinct numbers)
    proves there is no duplicate without a group-by.
    """
    doc = pl.col("__doc")
    new_run = doc.ne_missing(doc.shift(1))
    changed = pl.col("__ck").ne_missing(pl.col("__ck").shift(1)) | pl.col("date").ne_missing(
        pl.col("date").shift(1)
    )
    runs, distinct, mismatched = keyed.select(
        new_run.sum().alias("runs"),
        doc.n_unique().alias("distinct"),
        (changed & ~new_run).any().alias("mismatched"),
    ).row(0)
    return bool(runs == distinct and not mismatched)


def duplicate_issues(
    docs: pl.DataFrame, ids: pl.DataFrame, number_header: dict[int, str]
) -> pl.DataFrame:
    """Rows whose document number was first used with another client or date.

    Lines of one invoice share number, client and date; a number reused with a
    different client or date is two documents under one number. A group-by
    finds the few suspect numbers; only their rows are compared in detail.
    """
    keyed = _with_doc_key(docs).select("__file", "__row", "__ck", "date", "__doc")
    if _contiguous_and_consistent(keyed):
        return _issues(keyed.clear(), pl.lit(""), pl.lit(""), "", pl.lit("{}"))
    # min != max (or nulls next to values) says "more than one distinct value" far more
    # cheaply than n_unique.
    suspects = (
        keyed.group_by("__doc")
        .agg(_varies("__ck").alias("__vc"), _varies("date").alias("__vd"))
        .filter(pl.col("__vc") | pl.col("__vd"))
        .select("__doc")
    )
    rows = (
        keyed.join(suspects, on="__doc", how="semi")
        .sort("__file", "__row")
        .join(ids.select("__ck", "__lid"), on="__ck", how="left", maintain_order="left")
    )
    first = rows.filter(pl.col("__doc").is_first_distinct()).select(
        "__doc",
        *[pl.col(c).alias(f"__f_{c.lstrip('_')}") for c in ("__lid", "date", "__row", "__file")],
    )
    flagged = (
        rows.join(first, on="__doc", how="inner")
        .filter((pl.col("__lid") != pl.col("__f_lid")) | (pl.col("date") != pl.col("__f_date")))
        .join(docs.select("__file", "__row", "doc_number"), on=["__file", "__row"], how="left")
        .sort("__file", "__row")
    )
    # A first use in another file names that file (a multi-file import: "row 12" alone
    # sends the user to the wrong file); load.problems_of turns its index into its name.
    elsewhere = pl.col("__f_file") != pl.col("__file")
    same_file = N_(
        "this document number is already used on row {other} with another client or date"
    )
    message = pl.when(elsewhere).then(pl.lit(DUPLICATE_IN_FILE)).otherwise(pl.lit(same_file))
    params = (
        pl.when(elsewhere)
        .then(
            pl.concat_str(
                pl.lit('{"other": '), pl.col("__f_row").cast(pl.String),
                pl.lit(', "other_file": '), pl.col("__f_file").cast(pl.String), pl.lit("}"),
            )
        )
        .otherwise(_other_row())
    )  # fmt: skip
    return _issues(flagged, _header(number_header), pl.col("doc_number"), message, params)


def duplicate_client_issues(
    clients: pl.DataFrame, ids: pl.DataFrame, id_header: dict[int, str]
) -> pl.DataFrame:
    """Rows of the clients file that list a client already listed (same code, tax id or name)."""
    rows = clients.join(ids.select("__ck", "__lid"), on="__ck", how="left", maintain_order="left")
    flagged = rows.with_columns(pl.col("__row").first().over("__lid").alias("__f_row")).filter(
        pl.col("__lid").is_not_null() & (pl.col("__row") != pl.col("__f_row"))
    )
    message = N_("this client is already listed on row {other}")
    return _issues(flagged, _header(id_header), pl.lit(None, pl.String), message, _other_row())


def unknown_payment_issues(
    payments: pl.DataFrame, docs: pl.DataFrame, number_header: dict[int, str]
) -> pl.DataFrame:
    """Payments whose document number is not among the documents."""
    known = _with_doc_key(docs).select("__doc").unique()
    keyed = _with_doc_key(payments).select("__file", "__row", "doc_number", "__doc")
    unknown = keyed.join(known, on="__doc", how="anti")
    message = N_("payment of a document that is not in the documents file")
    return _issues(unknown, _header(number_header), pl.col("doc_number"), message, pl.lit("{}"))


def _settled(paid: pl.Expr, target: pl.Expr) -> pl.Expr:
    """Whether ``paid`` covers ``target`` within :data:`PAID_TOLERANCE`."""
    return paid.abs() >= target.abs() * (1 - PAID_TOLERANCE)


def _per_document(docs: pl.DataFrame, runs: bool) -> pl.DataFrame:
    """One row per document (``__doc``): credit decision, sign flip, value and own paid columns.

    With ``runs`` (each document one run of lines, numbered by ``__run``) the rows come
    out in run order, grouped over the sorted run number instead of hashing.
    """
    by = docs.group_by("__run", maintain_order=True) if runs else docs.group_by("__doc")
    unpaid = all(
        docs.get_column(c).null_count() == docs.height for c in ("paid_amount", "paid_date")
    )
    paid = (
        # No paid columns in the file (payments come apart, or not at all): nothing to add up.
        [
            pl.lit(0, pl.UInt32).alias("__n_paid"),
            pl.lit(None, pl.Float64).alias("__paid_first"),
            pl.lit(None, pl.Float64).alias("__paid_sum"),
            pl.lit(None, pl.Date).alias("__paid_date_doc"),
        ]
        if unpaid
        else [
            pl.col("paid_amount").n_unique().alias("__n_paid"),
            pl.col("paid_amount").first().alias("__paid_first"),
            pl.col("paid_amount").sum().alias("__paid_sum"),
            pl.col("paid_date").max().alias("__paid_date_doc"),
        ]
    )
    per_doc = by.agg(
        *([pl.col("__doc").first()] if runs else []),
        pl.col("amount").sum().alias("__doc_sum"),
        pl.col("__credit").any().alias("__doc_credit"),
        pl.col("__value").sum().alias("__target"),
        *([] if unpaid else paid),
    )
    if unpaid:
        per_doc = per_doc.with_columns(paid)
    credit = pl.col("__doc_credit") | (pl.col("__doc_sum") < 0)
    # Exports that write credit notes with positive amounts get the schema's negative sign.
    flip = credit & (pl.col("__doc_sum") > 0)
    # A document's own paid columns: one value repeated on its lines, or one per line.
    own = (
        pl.when(pl.col("__n_paid") <= 1)
        .then(pl.col("__paid_first"))
        .otherwise(pl.col("__paid_sum"))
    )
    by_date = pl.when(pl.col("__paid_date_doc").is_not_null()).then(pl.col("__target"))
    per_doc = per_doc.with_columns(
        credit.alias("__is_credit"), flip.alias("__flip"), pl.coalesce(own, by_date).alias("__paid")
    )
    settled = _settled(pl.col("__paid"), pl.col("__target"))
    return per_doc.with_columns(pl.when(settled).then(pl.col("__paid_date_doc")).alias("__paid_on"))


def _documents(
    docs: pl.DataFrame, payments: pl.DataFrame | None, has_amounts: bool
) -> pl.DataFrame:
    """Per line: ``doc_type``, signs, ``first_line``, ``paid_amount``, ``paid_date``.

    Documents arrive in file and row order (``first_line`` is the first line of
    each number); one group-by gives every per-document figure and one join
    brings them back to the lines.
    """
    docs = _with_doc_key(docs).with_columns(pl.coalesce("total", "amount").alias("__value"))
    runs = _runs(docs)
    if runs is None:
        docs = docs.with_columns(pl.col("__doc").is_first_distinct().alias("first_line"))
    else:
        first = pl.col("__doc").ne_missing(pl.col("__doc").shift(1))
        docs = docs.with_columns(runs, first.alias("first_line"))
    per_doc = _per_document(docs, runs is not None)
    if payments is not None and payments.height:
        resolved = _from_payments(
            _with_doc_key(payments), per_doc.select("__doc", "__target"), has_amounts
        )
        per_doc = per_doc.join(
            resolved, on="__doc", how="left", maintain_order="left"
        ).with_columns(
            pl.coalesce("__p_paid", "__paid").alias("__paid"),
            pl.when(pl.col("__p_paid").is_not_null())
            .then(pl.col("__p_on"))
            .otherwise(pl.col("__paid_on"))
            .alias("__paid_on"),
        )
    wanted = ("__doc", "__is_credit", "__flip", "__target", "__paid", "__paid_on")
    if runs is None:
        # Row order no longer matters from here: the tables are sorted at the end.
        docs = docs.join(per_doc.select(wanted), on="__doc", how="left")
    else:
        # Row i of per_doc is run i: a gather instead of a join.
        back = per_doc.select(wanted[1:])[docs.get_column("__run")]
        docs = docs.hstack(back.get_columns())
    # Sign flips and paid shares only when some document has them (each is a pass over
    # five or two columns of every line).
    signed = (
        [
            pl.when(pl.col("__flip")).then(-pl.col(c)).otherwise(pl.col(c)).alias(c)
            for c in ("amount", "cost", "units", "list_amount", "total")
        ]
        if per_doc.get_column("__flip").any()
        else []
    )
    share = (
        pl.when(pl.col("__target") != 0)
        .then(pl.col("__value") / pl.col("__target"))
        .otherwise(pl.when(pl.col("first_line")).then(1.0).otherwise(0.0))
    )
    paid = pl.col("__paid") * share
    if per_doc.get_column("__paid").null_count() == per_doc.height:
        paid = pl.lit(None, pl.Float64)
    doc_type = (
        pl.when(pl.col("__is_credit")).then(pl.lit("credit_note")).otherwise(pl.lit("invoice"))
    )
    return docs.with_columns(
        *signed,
        doc_type.alias("doc_type"),
        paid.alias("paid_amount"),
        pl.col("__paid_on").alias("paid_date"),
    )


def _runs(docs: pl.DataFrame) -> pl.Series | None:
    """``__run``, the number of each line's run of equal ``__doc``, when every document is
    exactly one run (lines listed together, the usual export); None otherwise."""
    if docs.height == 0:
        return None
    run = docs.select(pl.col("__doc").rle_id().alias("__run")).to_series()
    if run[-1] + 1 != docs.get_column("__doc").n_unique():
        return None
    return run.set_sorted()


def _from_payments(payments: pl.DataFrame, target: pl.DataFrame, has_amounts: bool) -> pl.DataFrame:
    """Per document: ``__p_paid`` (sum of payments) and ``__p_on`` (date it was settled)."""
    if not has_amounts:
        last = payments.group_by("__doc").agg(pl.col("date").max().alias("__p_on"))
        return last.join(target, on="__doc").select(
            "__doc", pl.col("__target").alias("__p_paid"), "__p_on"
        )
    # Running total per document: sorted by document, it is the running total of the whole
    # column minus its value just before the document's first payment (one pass; a window
    # over hundreds of thousands of small groups took 20 times longer). Rounded to a
    # millionth, which removes the float noise of the long sum and is far below a cent.
    first = pl.col("__doc").ne_missing(pl.col("__doc").shift(1))
    before = pl.when(first).then(pl.col("__all") - pl.col("amount")).forward_fill()
    cum = (
        payments.sort("__doc", "date", "__row")
        .with_columns(pl.col("amount").fill_null(0.0).cum_sum().alias("__all"))
        .with_columns(
            pl.when(pl.col("amount").is_not_null())
            .then((pl.col("__all") - before).round(6))
            .alias("__cum")
        )
        .join(target, on="__doc", how="left")
    )
    return cum.group_by("__doc").agg(
        pl.col("amount").sum().alias("__p_paid"),
        pl.col("date").filter(_settled(pl.col("__cum"), pl.col("__target"))).min().alias("__p_on"),
    )


def _client_map(
    rows: pl.DataFrame, ids: pl.DataFrame, links: pl.DataFrame, complete: bool
) -> pl.DataFrame:
    """``__ck → client_id, __dname, __dtax`` for the distinct clients that ``rows`` use
    (all of ``ids`` when ``complete``: no row was rejected after ``ids`` were taken)."""
    attached = attach_ids(ids, links)
    if not complete:
        attached = attached.join(rows.select("__ck").unique(), on="__ck", how="semi")
    return attached.select("__ck", "client_id", "__dname", "__dtax")


def _clients(
    listed: pl.DataFrame | None, seen: list[pl.DataFrame], keys: pl.DataFrame
) -> pl.DataFrame:
    """One row per client: the clients file's columns, else the name and tax id seen elsewhere."""
    fallback = (
        pl.concat([s.select("client_id", "__dname", "__dtax") for s in seen], how="vertical")
        .group_by("client_id", maintain_order=True)
        .agg(pl.col("__dname").drop_nulls().first(), pl.col("__dtax").drop_nulls().first())
    )
    out = keys.join(fallback, on="client_id", how="left")
    if listed is not None and listed.height:
        first = listed.unique("client_id", keep="first", maintain_order=True)
        out = out.join(
            first.drop("__file", "__row", "__ck", "client_key"), on="client_id", how="left"
        )
    else:
        extra = [c for c in CLIENTS if c not in ("client_id", "client_key")]
        out = out.with_columns([pl.lit(None, CLIENTS[c]).alias(c) for c in extra])
    out = out.with_columns(
        pl.coalesce("name", "__dname").alias("name"),
        pl.coalesce("tax_id", "__dtax").alias("tax_id"),
    )
    return out.select([pl.col(c).cast(t) for c, t in CLIENTS.items()]).sort("client_key")


def _canonical(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return frame.with_columns(pl.col("__row").alias("source_row")).select(
        [pl.col(c).cast(t) for c, t in schema.items()]
    )


def _sorted_canonical(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """The canonical columns sorted by ``(client_key, date)``, ties in file and row order.

    Selecting first means the sort moves only the columns that are kept.
    """
    canonical = frame.with_columns(pl.col("__row").alias("source_row")).select(
        *[pl.col(c).cast(t) for c, t in schema.items()], "__file", "__row"
    )
    nulls = sum(canonical.get_column(c).null_count() for c in ("client_key", "date"))
    if nulls or canonical.height == 0:
        return canonical.sort("client_key", "date", "__file", "__row").drop("__file", "__row")
    # The same order from integer keys, far cheaper to sort by than four columns: client and
    # day (days fit in 32 bits), then file and row (rows fit in 40 bits). Rows still in file
    # and row order (the usual case) need only a stable sort on the first key.
    day = pl.col("date").cast(pl.Int32).cast(pl.Int64) + (1 << 31)
    by_client = pl.col("client_key").cast(pl.Int64) * (1 << 32) + day
    by_source = pl.col("__file").cast(pl.Int64) * (1 << 40) + pl.col("__row")
    if canonical.select((by_source.diff() > 0).all()).item():
        return canonical.sort(by_client, maintain_order=True).drop("__file", "__row")
    return canonical.sort(by_client, by_source).drop("__file", "__row")


def build_tables(
    docs: pl.DataFrame | None,
    payments: pl.DataFrame | None,
    clients: pl.DataFrame | None,
    acts: pl.DataFrame | None,
    ids: dict[str, pl.DataFrame],
    payment_amounts: bool = True,
    complete: bool = False,
) -> dict[str, pl.DataFrame]:
    """The four canonical tables from the accepted rows of every file.

    ``complete`` says that no row was rejected, so every client of ``ids`` is used.
    """

    def finish(frame: pl.DataFrame) -> pl.DataFrame:
        return _sorted_canonical(frame, DOCUMENTS)

    # Through a list, so that this frame holds no reference to the documents (_build frees them).
    given = [docs]
    del docs
    docs_out, tables = _build(
        given.pop(), payments, clients, acts, ids, payment_amounts, complete, finish
    )
    return {"documents": docs_out, **tables}


def build_tables_out_of_core(
    docs: pl.DataFrame | None,
    payments: pl.DataFrame | None,
    clients: pl.DataFrame | None,
    acts: pl.DataFrame | None,
    ids: dict[str, pl.DataFrame],
    payment_amounts: bool,
    complete: bool,
    folder: Path,
) -> tuple[Path, int, dict[str, pl.DataFrame]]:
    """:func:`build_tables` with the documents written sorted to a Parquet file in ``folder``
    (decision 0280): their canonical columns are spilled unsorted and DuckDB sorts them into
    ``documents.parquet`` within :data:`SORT_MEMORY`, so the sorted copy is never in memory.

    Returns the file, its rows and the other three tables. The file holds the rows, columns
    and order of :func:`build_tables`' documents.
    """
    unsorted = folder / "documents.unsorted.parquet"

    def spill(frame: pl.DataFrame) -> int:
        _spill_unsorted(frame, unsorted)
        return frame.height

    given = [docs]  # as in build_tables: _build holds the only reference
    del docs
    rows, tables = _build(
        given.pop(), payments, clients, acts, ids, payment_amounts, complete, spill
    )
    out = folder / "documents.parquet"
    _sort_out_of_core(unsorted, out, folder)
    unsorted.unlink()
    return out, rows, tables


def _spill_unsorted(frame: pl.DataFrame, target: Path) -> None:
    """The documents' canonical columns, ``__file`` and ``__row``, unsorted, to ``target``."""
    frame.with_columns(pl.col("__row").alias("source_row")).select(
        *[pl.col(c).cast(t) for c, t in DOCUMENTS.items()], "__file", "__row"
    ).write_parquet(target, compression="lz4", statistics=False)


#: DuckDB's memory for sorting the documents of a large import; beyond it, it spills. With
#: the documents' part no longer held (decision 0286) the sort was the import's peak: 1 GB
#: of it put the 10M-line import at 1.88 GB, 768 MB keeps it level with the reading.
SORT_MEMORY: Final = "768MB"


def _sort_out_of_core(source: Path, out: Path, folder: Path) -> None:
    """``source`` (canonical columns, ``__file``, ``__row``) sorted as :func:`_sorted_canonical`
    sorts (nulls first, ties in file and row order), without them, into ``out``."""
    import duckdb

    columns = ", ".join(f'"{c}"' for c in DOCUMENTS)
    con = duckdb.connect(
        config={
            "memory_limit": SORT_MEMORY,
            "temp_directory": str(folder / "duckdb"),
            "preserve_insertion_order": True,
        }
    )
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute(
            f"COPY (SELECT {columns} FROM read_parquet({_quoted(source)}) ORDER BY client_key "
            f'NULLS FIRST, "date" NULLS FIRST, __file, __row) TO {_quoted(out)} '
            "(FORMAT parquet, COMPRESSION lz4_raw)"
        )
    finally:
        con.close()


def _quoted(path: Path) -> str:
    """``path`` as an SQL string literal."""
    return "'" + str(path).replace("'", "''") + "'"


def _build(
    docs: pl.DataFrame | None,
    payments: pl.DataFrame | None,
    clients: pl.DataFrame | None,
    acts: pl.DataFrame | None,
    ids: dict[str, pl.DataFrame],
    payment_amounts: bool,
    complete: bool,
    finish: Callable[[pl.DataFrame], T],
) -> tuple[T, dict[str, pl.DataFrame]]:
    """``finish`` of the documents with their figures and keys (sorted into the canonical
    table, or spilled), called before the other tables are built so that the documents'
    working columns are freed first; and the payments, clients and activities tables."""
    docs = docs if docs is not None else _EMPTY_DOCS
    acts = acts if acts is not None else _EMPTY_ACTS
    # The per-document figures do not depend on client identity: they are worked out in a
    # thread while this one links the clients (polars releases the GIL; both use its pool).
    # The sorts stay one after the other: run side by side they cost memory, not time.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="cartera-documents") as pool:
        figures = pool.submit(_documents, docs, payments, payment_amounts)
        keyed, keys, maps = _keyed_clients(docs, clients, acts, ids, complete)
        docs = figures.result()
    del figures  # it holds the figures' frame too
    # One integer join per table gives both the client id and its key.
    finished = finish(docs.join(keyed["documents"], on="__ck", how="left", maintain_order="left"))
    del docs
    return finished, _other_tables(payments, clients, acts, keyed, keys, maps)


def _other_tables(
    payments: pl.DataFrame | None,
    clients: pl.DataFrame | None,
    acts: pl.DataFrame,
    keyed: dict[str, pl.DataFrame],
    keys: pl.DataFrame,
    maps: dict[str, pl.DataFrame],
) -> dict[str, pl.DataFrame]:
    """The payments, clients and activities tables, given :func:`_keyed_clients`' result."""
    acts = _sorted_canonical(
        acts.join(keyed["activities"], on="__ck", how="left", maintain_order="left"), ACTIVITIES
    )
    listed = clients.join(keyed["clients"], on="__ck", how="left") if clients is not None else None
    pay = payments if payments is not None else _EMPTY_PAYMENTS
    return {
        "payments": _canonical(pay, PAYMENTS).sort("doc_number", "date"),
        "clients": _clients(listed, [maps["documents"], maps["activities"]], keys),
        "activities": acts,
    }


def _keyed_clients(
    docs: pl.DataFrame,
    clients: pl.DataFrame | None,
    acts: pl.DataFrame,
    ids: dict[str, pl.DataFrame],
    complete: bool,
) -> tuple[dict[str, pl.DataFrame], pl.DataFrame, dict[str, pl.DataFrame]]:
    """Per table ``__ck → client_id, client_key``; the keys; per table the client map."""
    empty_ids = pl.DataFrame(schema=IDS_SCHEMA)
    table_ids = {t: ids.get(t, empty_ids) for t in ("documents", "activities", "clients")}
    if any(f.get_column("__code").null_count() for f in table_ids.values()):
        # Some clients have no code: tax ids and names link them, so every table needs them.
        table_ids = {t: complete_identity(f) for t, f in table_ids.items()}
    links = link_ids([table_ids["clients"], table_ids["documents"], table_ids["activities"]])
    rows = {
        "documents": docs,
        "activities": acts,
        "clients": clients if clients is not None else _EMPTY_ACTS,
    }
    maps = {t: _client_map(rows[t], table_ids[t], links, complete) for t in rows}
    keys = assign_keys(pl.concat([m["client_id"] for m in maps.values()]))
    keyed = {
        t: m.join(keys, on="client_id", how="left").select("__ck", "client_id", "client_key")
        for t, m in maps.items()
    }
    return keyed, keys, maps
