"""The out-of-core build with the documents' figures worked out one bucket of documents at a time.

:func:`cartera.io.assemble.build_tables_out_of_core` works out the per-document figures
(:func:`~cartera.io.assemble._documents`) and joins the client keys over every document
line at once: at 10M lines that build was the import's peak, ~1.9 GB above the parts it
starts from (decision 0281). Here the documents are split by their number's hash
(``__doc``) into ranges, one segment's worth of lines each
(:func:`cartera.io.segments.segment_rows`); each range's lines and payments go through
the same ``_documents`` and the same key join, and are spilled to their own Parquet file;
DuckDB then sorts the files together as it sorts the one file of the whole build (every
row has its own ``(__file, __row)``, so the order the parts are written in does not show).

Identical figures, not close ones: every figure is per document, so a range holds all a
document's lines and payments. The one figure over more than one document is the running
sum of the payments (``_from_payments`` sums the whole column sorted by document and
subtracts the sum before each document): a range's payments start with a row of no
document carrying the sum of the ranges before it, so each addition is the one the whole
build makes. Documents that are not each one run of lines (the path that groups by hash)
are built whole, as before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final, Protocol

import polars as pl

from cartera.io.assemble import (
    _EMPTY_ACTS,
    _documents,
    _keyed_clients,
    _other_tables,
    _sort_out_of_core,
    _spill_unsorted,
    _with_doc_key,
    build_tables_out_of_core,
)
from cartera.io.segments import segment_rows

__all__ = ["MAX_BUCKETS", "DocumentRanges", "bucket_bounds", "build_in_buckets", "in_range"]

#: The most ranges the documents are split into.
MAX_BUCKETS: Final = 64
_SPAN: Final = 1 << 64


def bucket_bounds(lines: int, rows: int) -> list[int]:
    """Lower bounds of the ``__doc`` ranges: one per ``rows`` lines, at most
    :data:`MAX_BUCKETS`, equal shares of the 64-bit hash."""
    n = min(MAX_BUCKETS, max(1, -(-lines // max(rows, 1))))
    return [k * _SPAN // n for k in range(n)]


def in_range(bounds: list[int], k: int) -> pl.Expr:
    """Whether ``__doc`` is in range ``k`` of ``bounds``."""
    doc = pl.col("__doc")
    low = doc >= pl.lit(bounds[k], pl.UInt64)
    return low if k + 1 == len(bounds) else low & (doc < pl.lit(bounds[k + 1], pl.UInt64))


def _with_carry(payments: pl.DataFrame, below: int, carry: float | None) -> pl.DataFrame:
    """``payments`` after a row of document ``below`` (below the range, so none of its
    documents) whose amount is ``carry``, the running sum of the ranges before."""
    if carry is None:
        return payments
    row = pl.DataFrame(
        {"__doc": [below], "amount": [carry]}, schema={"__doc": pl.UInt64, "amount": pl.Float64}
    )
    return pl.concat([row, payments], how="diagonal_relaxed").select(payments.columns)


def _carried(payments: pl.DataFrame, carry: float | None) -> float:
    """The running sum after ``payments``, added in ``_from_payments``' order from ``carry``."""
    amounts = payments.sort("__doc", "date", "__row").get_column("amount").fill_null(0.0)
    start = pl.Series([0.0 if carry is None else carry], dtype=pl.Float64)
    return float(start.append(amounts.cast(pl.Float64)).cum_sum()[-1])


class DocumentRanges(Protocol):
    """The accepted document lines, read one range of ``__doc`` at a time (each range's rows
    in file order, with ``__file``): :class:`cartera.io.part_ranges.SpilledPart`."""

    bounds: list[int]
    height: int

    def range(self, k: int, columns: tuple[str, ...] | None = None) -> pl.DataFrame: ...

    def whole(self, columns: tuple[str, ...] | None = None) -> pl.DataFrame: ...

    def run_counts(self) -> tuple[int, int]:
        """(runs of equal ``__doc`` in file order, distinct ``__doc``)."""
        ...


class _Held:
    """:class:`DocumentRanges` of a frame in memory, in ranges of ``rows`` lines."""

    def __init__(self, docs: pl.DataFrame, rows: int) -> None:
        self.docs, self.height = docs, docs.height
        self.bounds = bucket_bounds(docs.height, rows)

    def range(self, k: int, columns: tuple[str, ...] | None = None) -> pl.DataFrame:
        part = self.docs.filter(in_range(self.bounds, k))
        return part if columns is None else part.select(columns)

    def whole(self, columns: tuple[str, ...] | None = None) -> pl.DataFrame:
        return self.docs if columns is None else self.docs.select(columns)

    def run_counts(self) -> tuple[int, int]:
        doc = self.docs.get_column("__doc")
        return int(doc.rle_id()[-1]) + 1, doc.n_unique()


def _one_run_each(docs: DocumentRanges) -> bool:
    """Whether every document is one run of lines (the usual export; see ``_runs``)."""
    if docs.height == 0:
        return False
    runs, distinct = docs.run_counts()
    return runs == distinct


def build_in_buckets(
    docs: pl.DataFrame | DocumentRanges | None,
    payments: pl.DataFrame | None,
    clients: pl.DataFrame | None,
    acts: pl.DataFrame | None,
    ids: dict[str, pl.DataFrame],
    payment_amounts: bool,
    complete: bool,
    folder: Path,
) -> tuple[Path, int, dict[str, pl.DataFrame]]:
    """:func:`cartera.io.assemble.build_tables_out_of_core`, the same file and tables, with
    the documents' figures and keys worked out one range of documents at a time (``docs``
    a frame, split here, or already in ranges)."""
    if isinstance(docs, pl.DataFrame):
        docs = _Held(_with_doc_key(docs) if docs.height else docs, segment_rows())
    if docs is None or not _one_run_each(docs):
        whole = docs.whole() if docs is not None else None
        del docs
        return build_tables_out_of_core(
            whole, payments, clients, acts, ids, payment_amounts, complete, folder
        )
    acts = acts if acts is not None else _EMPTY_ACTS
    # Of the documents, the clients' links read only the client of each line, and only when
    # rows were rejected (``_client_map``: else every client of ``ids`` is used).
    # (Their distinct clients range by range: the same semi-join, bounded by the clients.)
    used = (
        pl.concat([docs.range(k, ("__ck",)).unique() for k in range(len(docs.bounds))])
        if not complete
        else pl.DataFrame(schema={"__ck": pl.UInt64})
    )
    keyed, keys, maps = _keyed_clients(used, clients, acts, ids, complete)
    del used
    pay = _with_doc_key(payments) if payments is not None and payments.height else None
    bounds = docs.bounds
    carry: float | None = None
    for k in range(len(bounds)):
        part = docs.range(k)
        paid = pay.filter(in_range(bounds, k)) if pay is not None else None
        if paid is not None and payment_amounts and paid.height:
            carried = _carried(paid, carry)
            paid = _with_carry(paid, bounds[k] - 1, carry)
            carry = carried
        figures = _documents(part, paid, payment_amounts)
        del part, paid
        keyed_part = figures.join(keyed["documents"], on="__ck", how="left", maintain_order="left")
        del figures
        _spill_unsorted(keyed_part, folder / f"documents.unsorted.{k:02d}.parquet")
        del keyed_part
    rows = docs.height
    del docs, pay
    # Sorted before the other tables are built: DuckDB's sort (up to SORT_MEMORY) is the
    # build's largest stage, and those tables would be held beside it (decision 0286).
    out = folder / "documents.parquet"
    _sort_out_of_core(folder / "documents.unsorted.*.parquet", out, folder)
    for k in range(len(bounds)):
        (folder / f"documents.unsorted.{k:02d}.parquet").unlink()
    return out, rows, _other_tables(payments, clients, acts, keyed, keys, maps)
