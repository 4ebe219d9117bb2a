"""The documents part of a large CSV built one typed segment at a time, when that is exact.

:func:`cartera.io.segments.type_in_segments` types a large CSV a segment at a time but puts
the typed segments together, and :func:`cartera.io.tables.documents_part` then works on
the whole typed file: at 10M lines the typed documents and their part side by side were
the import's peak (decisions 0282, 0283). Most of what ``documents_part`` does is per line;
what it decides over the whole file is either fixed here before the first segment's part
is built (:class:`~cartera.io.tables.FileDecisions`: the file's first lines, from which
document figures and numbers keyed by type are told; VAT as a fraction, decided from the
largest VAT seen so far and checked against the whole file's at the end), or checked to be
a no-op in every segment: no numbered line leaves a document field empty (nothing to fill
from another line), no structure rows, no excluded status, no document figures, no line
without a client, every client code present, no currency column, no exchange rates. Then
each segment's part is the whole part's rows of that segment, its issues the whole part's
issues of those rows, and its notes the whole part's notes.

When any check fails the segments are typed again from the same spilled text and put
together, and the caller builds the part from the whole typed file as before: a file that
cannot be built per segment exactly is built as it always was (decision 0284).

Given somewhere to write them, the segments' parts are not put together but written to
Parquet by range of document hashes as they are built (:mod:`cartera.io.part_ranges`,
decision 0286); the part then holds no rows, only their files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import polars as pl

from cartera.io import rows
from cartera.io.parse import Note, Typed
from cartera.io.part_ranges import SpilledPart
from cartera.io.segments import Segments
from cartera.io.tables import FileDecisions, Part, with_exempt

__all__ = ["SegmentedDocuments", "documents_by_segment"]

#: A segment's part: ``(typed segment, the file's decisions) → part``.
Builder = Callable[[pl.DataFrame, FileDecisions], Part]
#: Where the segments' parts go: ``lines of the file → an empty spilled part``.
Spill = Callable[[int], SpilledPart]


@dataclass
class SegmentedDocuments:
    """The documents file typed in segments: ``part`` built per segment (``typed.frame``
    then empty) with the long cells' issues, or ``part`` None and ``typed`` the whole file."""

    typed: Typed
    part: Part | None = None
    long_cells: pl.DataFrame | None = None


def documents_by_segment(
    segments: Segments,
    headers: dict[str, str],
    excluded: frozenset[str],
    build: Builder,
    long_cells: Callable[[pl.DataFrame], pl.DataFrame],
    spill: Spill | None = None,
) -> SegmentedDocuments:
    """The part of the documents file ``segments`` built a segment at a time when that is
    exact (module doc), else the whole typed file for the caller to build as before;
    written by range of hashes when ``spill`` is given."""
    store = spill(segments.total) if spill is not None and segments.total else None
    built = (
        _by_segment(segments, headers, excluded, _Gathered(build, long_cells, store))
        if segments.total
        else None
    )
    if built is None and store is not None:
        store.remove()
    if built is not None:
        part, cells = built
        typed = Typed(
            pl.DataFrame(), segments.issues(), segments.conventions, segments.notes, segments.total
        )
        return SegmentedDocuments(typed, part, cells)
    segments.restart()
    return SegmentedDocuments(segments.whole())


def _alike(frame: pl.DataFrame, excluded: frozenset[str]) -> bool:
    """Whether ``documents_part``'s row-dropping and filling steps leave ``frame`` as it is."""
    return (
        not rows.document_gaps(frame)
        and not rows.drop_structure_rows(frame)[1]
        and not rows.excluded_words(frame, excluded)
        and not _any(frame, rows.not_sales(frame))
        and not _refunds(frame)
    )


def _refunds(frame: pl.DataFrame) -> bool:
    """Whether a number is used on two dates: a refund under its order's number may be in
    another segment, so such a file is built whole (:func:`rows.key_refunds`)."""
    if "doc_number" not in frame.columns or "date" not in frame.columns:
        return False
    money = [c for c in _SIGNED if c in frame.columns]
    if not money:
        return False
    # Only a number with a negative line can be refunded under it: those numbers alone.
    negative = frame.filter(pl.any_horizontal([pl.col(c) < 0 for c in money]).fill_null(False))
    if negative.height == 0:
        return False
    numbers = negative.get_column("doc_number").drop_nulls().unique().implode()
    dates = (
        frame.filter(pl.col("doc_number").is_in(numbers))
        .group_by("doc_number")
        .agg((pl.col("date").min() != pl.col("date").max()).alias("__two"))
    )
    return bool(dates.get_column("__two").any())


#: Money roles whose sign can mark a refund line.
_SIGNED: Final = ("net", "amount", "total", "unit_price", "exempt")


def _any(frame: pl.DataFrame, which: pl.Expr | None) -> bool:
    return which is not None and bool(frame.select(which.any()).item())


def _vat_max(frame: pl.DataFrame) -> float:
    if "vat_pct" not in frame.columns:
        return 0.0
    return float(frame["vat_pct"].abs().max() or 0)  # type: ignore[arg-type]


class _Gathered:
    """The segments' parts put together as the whole file's part would be."""

    def __init__(
        self,
        build: Builder,
        long_cells: Callable[[pl.DataFrame], pl.DataFrame],
        store: SpilledPart | None = None,
    ):
        self.build, self.long_cells, self.store = build, long_cells, store
        self.frames: list[pl.DataFrame] = []
        self.issues: list[list[pl.DataFrame]] = []
        self.cells: list[pl.DataFrame] = []
        self.ids: pl.DataFrame | None = None
        # The first segment's notes, currency and number of issue queries (not its part:
        # that would hold its rows to the end).
        self.first: tuple[list[Note], str | None, int] | None = None

    def add(self, frame: pl.DataFrame, fixed: FileDecisions) -> bool:
        """``frame``'s part added; False when it did not decide as the first segment did or
        needs the whole file (a line without a client, a client without a code)."""
        part = self.build(frame, fixed)
        ids = part.ids
        if ids is None or ids.get_column("__lid").null_count():
            return False
        if "client_code" in frame.columns and ids.get_column("__code").null_count():
            return False  # the whole file's identity would use every client column
        decided = (part.notes, part.currency, len(part.issues))
        if self.first is None:
            self.first = decided
        elif decided != self.first:
            return False
        if self.store is not None:
            self.store.add(part.frame)
        else:
            self.frames.append(part.frame)
        self.issues.append([query.collect() for query in part.issues])
        self.cells.append(self.long_cells(frame))
        # The file's first line of each client, in file order (``with_identity``'s ``ids``).
        if self.ids is None:
            self.ids = ids
        else:
            new = ids.filter(~pl.col("__ck").is_in(self.ids.get_column("__ck").implode()))
            self.ids = pl.concat([self.ids, new], how="vertical")
        return True

    def part(self) -> tuple[Part, pl.DataFrame]:
        assert self.first is not None
        frame = (
            self.store.empty if self.store is not None else pl.concat(self.frames, how="vertical")
        )
        issues = [
            pl.concat(found, how="vertical").lazy() for found in zip(*self.issues, strict=True)
        ]
        notes, currency, _queries = self.first
        part = Part(frame, issues, notes, self.ids, currency, self.store)
        return part, pl.concat(self.cells, how="vertical")


def _by_segment(
    segments: Segments, headers: dict[str, str], excluded: frozenset[str], gathered: _Gathered
) -> tuple[Part, pl.DataFrame] | None:
    pending: list[pl.DataFrame] = []  # typed segments held until the sample is complete
    fixed: FileDecisions | None = None
    vat = 0.0
    for frame in segments.typed():
        if not _alike(frame, excluded):
            return None
        vat = max(vat, _vat_max(frame))
        pending.append(frame)
        if fixed is None and sum(f.height for f in pending) < rows.SAMPLE_LINES:
            continue
        fixed = fixed or _decisions(pending, headers, vat)
        if fixed is None or not all(gathered.add(f, fixed) for f in pending):
            return None
        pending = []
    if pending:  # the whole file is shorter than the sample
        fixed = _decisions(pending, headers, vat)
        if fixed is None or not all(gathered.add(f, fixed) for f in pending):
            return None
    if fixed is None or (fixed.vat_fraction and vat > 1):
        return None  # no rows, or VAT decided a fraction before a later segment said otherwise
    return gathered.part()


def _decisions(
    pending: list[pl.DataFrame], headers: dict[str, str], vat: float
) -> FileDecisions | None:
    """The file's decisions from its first segments; None when the file has document
    figures (a figure counted on each document's first line spans segments)."""
    head = pl.concat(pending, how="vertical").head(rows.SAMPLE_LINES)
    sample, _notes = with_exempt(head, headers)
    if rows.document_figures(sample):
        return None
    return FileDecisions(sample, vat <= 1)
