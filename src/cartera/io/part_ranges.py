"""A documents part written to Parquet, by range of document hashes, as it is built.

When a large documents CSV has its part built one segment at a time
(:mod:`cartera.io.segment_parts`), holding the parts put together was the import's floor:
~1 GB at 10M lines from the reading to the build, under every later stage (decision 0284).
Here each segment's part is split by its number's hash (``__doc``) into the ranges that
:func:`cartera.io.buckets.build_in_buckets` works in (:func:`~cartera.io.buckets.bucket_bounds`
of the file's lines) and each piece is written to its own file, ``NAME.<range>.<segment>``.
A range read back is its segments' pieces in segment order: the rows of those documents in
file order, what ``frame.filter`` of the range gives on the whole part. The cross-file checks
and the build read one range (or a few columns) at a time; rows rejected after the write are
recorded and left out of every read (decision 0286).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from cartera.io.buckets import bucket_bounds, in_range
from cartera.io.source import ROW

__all__ = ["SpilledPart"]


@dataclass
class SpilledPart:
    """A part's rows in Parquet files by range of ``__doc`` (module doc); ``index`` is the
    file's place among the inputs (``__file`` of every row read back)."""

    folder: Path
    name: str
    index: int
    bounds: list[int]
    empty: pl.DataFrame = field(default_factory=pl.DataFrame)
    files: list[list[Path]] = field(default_factory=list)
    segments: int = 0
    rejected: pl.DataFrame | None = None
    height: int = 0

    @classmethod
    def create(cls, folder: Path, name: str, index: int, lines: int, rows: int) -> SpilledPart:
        """An empty part of a file of about ``lines`` lines, in ranges of ``rows`` lines."""
        bounds = bucket_bounds(lines, rows)
        return cls(folder, name, index, bounds, files=[[] for _ in bounds])

    def add(self, frame: pl.DataFrame) -> None:
        """The next segment's part (rows in file order), written range by range."""
        if self.segments == 0:
            self.empty = frame.clear()
        for k, files in enumerate(self.files):
            piece = frame.filter(in_range(self.bounds, k))
            if piece.height:
                path = self.folder / f"{self.name}.{k:02d}.{self.segments:05d}.parquet"
                piece.write_parquet(path, compression="lz4", statistics=False)
                files.append(path)
        self.segments += 1
        self.height += frame.height

    def range(self, k: int, columns: tuple[str, ...] | None = None) -> pl.DataFrame:
        """Range ``k``'s accepted rows in file order, with ``__file`` (or just ``columns``)."""
        wanted = list(columns) if columns is not None else [*self.empty.columns, "__file"]
        read = [c for c in wanted if c != "__file"]
        if self.rejected is not None and ROW not in read:
            read.append(ROW)
        files = self.files[k]
        frame = pl.scan_parquet(files).select(read).collect() if files else self.empty.select(read)
        if self.rejected is not None:
            frame = frame.join(self.rejected, on=ROW, how="anti", maintain_order="left")
        return frame.with_columns(pl.lit(self.index, pl.Int64).alias("__file")).select(wanted)

    def ranges(self) -> int:
        return len(self.bounds)

    def whole(self, columns: tuple[str, ...] | None = None) -> pl.DataFrame:
        """Every accepted row in file order (``__file`` included), or just ``columns``."""
        wanted = list(columns) if columns is not None else [*self.empty.columns, "__file"]
        with_row = wanted if ROW in wanted else [*wanted, ROW]
        found = [self.range(k, tuple(with_row)) for k in range(self.ranges())]
        return pl.concat(found, how="vertical").sort(ROW).select(wanted)

    def run_counts(self) -> tuple[int, int]:
        """(runs of equal ``__doc`` in file order, distinct ``__doc``) of the accepted rows,
        one segment (then one range) at a time instead of the whole column: a segment's
        pieces put back in file order, its runs counted, one less when it starts with the
        document the segment before ended with; the ranges split the documents, so their
        distinct counts add up."""
        by_segment: dict[int, list[Path]] = {}
        for files in self.files:  # NAME.<range>.<segment>.parquet
            for path in files:
                by_segment.setdefault(int(path.stem.rsplit(".", 1)[1]), []).append(path)
        runs, last = 0, None
        for _, pieces in sorted(by_segment.items()):
            frame = pl.scan_parquet(pieces).select(ROW, "__doc").collect()
            if self.rejected is not None:
                frame = frame.join(self.rejected, on=ROW, how="anti")
            if frame.height == 0:
                continue
            doc = frame.sort(ROW).get_column("__doc")
            runs += int(doc.rle_id()[-1]) + 1 - (doc[0] == last)
            last = doc[-1]
        distinct = sum(self.range(k, ("__doc",)).n_unique() for k in range(self.ranges()))
        return runs, distinct

    def reject(self, bad: pl.DataFrame) -> None:
        """Leave the rows ``bad`` (a ``__row`` column) out of every read from now on."""
        rows = bad.select(ROW).unique()
        if self.rejected is not None:
            rows = pl.concat([self.rejected, rows], how="vertical").unique()
        self.rejected = rows
        self.height = sum(self.range(k, (ROW,)).height for k in range(self.ranges()))

    def remove(self) -> None:
        """Delete the files written (the part is then empty)."""
        for files in self.files:
            for path in files:
                path.unlink(missing_ok=True)
            files.clear()
        self.segments = self.height = 0
