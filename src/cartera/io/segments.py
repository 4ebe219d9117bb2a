"""Type a large CSV in segments of rows, with the file's conventions decided over all of it.

:func:`cartera.io.parse.type_columns` holds the text of every used column and the typed
columns side by side: at 10M lines that was the import's peak (decision 0281). Here
polars' streaming engine spills the used columns' text (blank rows dropped, ``__row``
kept) once to a Parquet file in the read's scratch folder; the distinct texts of every
number and date column are gathered segment by segment, in order of first appearance,
so the conventions are decided from exactly the distinct texts ``type_columns`` sees
(the same votes, decisions, examples and errors); then each segment is typed with those
decisions and the typed segments are put together in row order. The result, issues
included, equals ``type_columns``'s; only the text of one segment is held at a time.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import polars as pl

from cartera.io.aliases import DATE_ROLES, NUMBER_ROLES
from cartera.io.mapping import TableMapping
from cartera.io.options import ReadOptions
from cartera.io.parse import (
    ISSUE_SCHEMA,
    Note,
    Typed,
    _decide,
    _direct,
    _distinct,
    _type_base,
    distinct_texts,
)
from cartera.io.recognise import Recognition
from cartera.io.source import ROW, RawTable

__all__ = [
    "SEGMENT_ENV",
    "SEGMENT_ROWS",
    "Segments",
    "estimated_lines",
    "segment_rows",
    "segmented",
    "type_in_segments",
    "typed_segments",
]

#: Rows typed at a time. A CSV is typed in segments when it has more than
#: :data:`SEGMENTS_FROM` segments' worth of lines (estimated from its size and its first
#: lines), so the 1M-line import and every smaller one keep the single pass.
#: ``CARTERA_SEGMENT_ROWS`` sets another size (the tests use a few rows).
SEGMENT_ROWS: Final = 1_000_000
SEGMENT_ENV: Final = "CARTERA_SEGMENT_ROWS"
SEGMENTS_FROM: Final = 2
_HEAD_BYTES: Final = 1 << 16


def segment_rows() -> int:
    value = os.environ.get(SEGMENT_ENV, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else SEGMENT_ROWS


def estimated_lines(paths: tuple[Path, ...]) -> float:
    """Lines of the text: its size over the mean length of the first lines."""
    size = sum(p.stat().st_size for p in paths)
    with open(paths[0], "rb") as fh:
        head = fh.read(_HEAD_BYTES)
    lines = head.count(b"\n")
    return size / (len(head) / lines) if lines else 1.0


def segmented(raw: RawTable) -> bool:
    """Whether ``raw`` is a CSV long enough to be typed in segments."""
    if raw.kind != "csv" or not raw.text_paths or raw.delimiter is None:
        return False
    return estimated_lines(raw.text_paths) > SEGMENTS_FROM * segment_rows()


def _spill(raw: RawTable, rec: Recognition, target: Path) -> int:
    """The used columns' text without blank rows (as ``_collect_base`` keeps them) written
    to ``target``; returns the number of rows."""
    every = [raw.col(i) for i in range(len(raw.headers))]
    used = [raw.col(i) for i in sorted(set(rec.roles.values()))]
    blank = pl.all_horizontal([pl.col(c).is_null() for c in every])
    raw.frame.filter(~blank).select([ROW, *used]).sink_parquet(
        target, compression="lz4", row_group_size=64 * 1024
    )
    return int(pl.scan_parquet(target).select(pl.len()).collect().item())


def _distinct_base(raw: RawTable, rec: Recognition, segments: list[pl.LazyFrame]) -> pl.DataFrame:
    """The distinct texts of the number and date columns over every segment, in order of
    first appearance, as columns padded with nulls (``_distinct`` leaves nulls out).

    The texts seen so far and one segment's are deduplicated together after each segment:
    the same texts in the same order as deduplicating every segment's at the end, holding
    the file's distinct texts and one segment's instead of every segment's (at 100M lines
    the segments' lists of distinct amounts took 2.6 GB, decision 0283)."""
    wanted = sorted({idx for role, idx in rec.roles.items() if role in NUMBER_ROLES | DATE_ROLES})
    cols = [raw.col(i) for i in wanted]
    whole: dict[str, pl.Series] = {}
    for segment in segments:
        seg = segment.select(cols).collect()
        for c in cols:
            found = seg.select(distinct_texts(c)).to_series()
            if c in whole:
                both = pl.DataFrame({c: whole[c].append(found)})
                found = both.select(distinct_texts(c)).to_series()
            whole[c] = found
        del seg
    height = max((s.len() for s in whole.values()), default=0)
    return pl.DataFrame(
        [s.extend(pl.Series(c, [None] * (height - s.len()), pl.String)) for c, s in whole.items()]
    )


@dataclass
class Segments:
    """A CSV's text spilled and its conventions decided over the whole file: ``typed()``
    types it one segment at a time, gathering each role's issues (:meth:`issues`)."""

    raw: RawTable
    rec: Recognition
    parts: list[pl.LazyFrame]
    mapped: dict[str, pl.DataFrame]
    direct: dict[str, pl.Expr | None]
    headers: dict[str, str]
    conventions: dict[str, str]
    total: int
    notes: list[Note]

    def __post_init__(self) -> None:
        self._issues: dict[str, list[pl.DataFrame]] = {}

    def typed(self) -> Iterator[pl.DataFrame]:
        """Each segment's typed frame, in row order."""
        for segment in self.parts:
            frame, found = _type_base(
                segment.collect(), self.raw, self.rec, self.mapped, self.direct, self.headers
            )
            for role, bad in found.items():
                self._issues.setdefault(role, []).append(bad)
            yield frame

    def restart(self) -> None:
        """Forget the issues gathered, to type the segments again from the first."""
        self._issues = {}

    def whole(self) -> Typed:
        """Every segment typed and put together in row order: ``type_columns``'s result."""
        frames = list(self.typed())
        typed = pl.concat(frames, how="vertical") if len(frames) > 1 else frames[0]
        return Typed(typed, self.issues(), self.conventions, self.notes, self.total)

    def issues(self) -> pl.DataFrame:
        """The issues of the segments typed so far, in the order of the single pass (role by
        role, then row)."""
        found = [pl.concat(self._issues[r], how="vertical") for r in self.rec.roles
                 if r in self._issues]  # fmt: skip
        return pl.concat(found, how="vertical") if found else pl.DataFrame(schema=ISSUE_SCHEMA)


@contextmanager
def typed_segments(
    raw: RawTable,
    rec: Recognition,
    options: ReadOptions,
    tmap: TableMapping,
    today: dt.date,
    folder: Path,
    rows: int,
) -> Iterator[Segments]:
    """``raw``'s used columns spilled to a Parquet file in ``folder`` (removed on leaving),
    its conventions decided over all of it, ready to be typed ``rows`` rows at a time."""
    spill = folder / f"{raw.path.stem}.{os.getpid()}.{id(raw)}.text.parquet"
    try:
        total = _spill(raw, rec, spill)
        segments = [
            pl.scan_parquet(spill).slice(start, rows) for start in range(0, max(total, 1), rows)
        ]
        numbers_cols, date_cols = _distinct(_distinct_base(raw, rec, segments), raw, rec)
        dates, mapped, conventions, notes = _decide(
            numbers_cols, date_cols, raw, options, tmap, today
        )
        headers = {c.role: c.header for c in (*numbers_cols, *date_cols)}
        direct = _direct(raw, rec, mapped, dates, headers)
        yield Segments(raw, rec, segments, mapped, direct, headers, conventions, total, notes)
    finally:
        spill.unlink(missing_ok=True)


def type_in_segments(
    raw: RawTable,
    rec: Recognition,
    options: ReadOptions,
    tmap: TableMapping,
    today: dt.date,
    folder: Path,
    rows: int,
) -> Typed:
    """:func:`cartera.io.parse.type_columns` of ``raw`` with ``rows`` rows of text held at a
    time; the spilled text is written in ``folder`` and removed before returning."""
    with typed_segments(raw, rec, options, tmap, today, folder, rows) as segments:
        return segments.whole()
