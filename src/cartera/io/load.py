"""Read every input file into checked parts of the four tables (no writing).

:func:`load_inputs` is the shared core of ``import``, ``read_table`` and
``prepare_workspace``: it opens each file, recognises its table and roles,
types its columns, collects *every* problem (bad cells, missing values,
duplicate document numbers, payments of unknown documents) and either raises
one :class:`InputError` listing them (strict, the default) or drops the bad
rows and keeps them, with their reasons, for the rejects files.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Mapping as Mapping_
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import polars as pl

from cartera.errors import InputError, Problem
from cartera.i18n import N_, _
from cartera.io import assemble, tables
from cartera.io.aliases import ALIASES
from cartera.io.buckets import in_range
from cartera.io.faults import first_fault
from cartera.io.groups import drop_report_rows, fill_group_labels
from cartera.io.mapping import Mapping, TableMapping, load_mapping
from cartera.io.options import ReadOptions
from cartera.io.parse import ISSUE_SCHEMA, Note, type_columns
from cartera.io.part_ranges import SpilledPart
from cartera.io.reading import (
    BUILDERS,
    apply_filter,
    build_part,
    recognise_file,
    sample_profiles,
)
from cartera.io.recognise import Recognition, missing_roles, recognise
from cartera.io.scratch import scratch_dir, scratch_folder
from cartera.io.segment_parts import SegmentedDocuments, documents_by_segment
from cartera.io.segments import segment_rows, segmented, type_in_segments, typed_segments
from cartera.io.source import ROW, RawTable, open_source, same_column_sheets, sheet_names
from cartera.io.xlsx_cells import FORMULA_WITHOUT_VALUE, SPREADSHEET_ERROR

__all__ = [
    "BUILDERS",
    "FileReport",
    "Loaded",
    "csv_fault",
    "expand_inputs",
    "file_hash",
    "file_issues",
    "load_inputs",
    "prefetch_hash",
    "problems_of",
    "read_file",
    "recognise_file",
    "strict_error",
    "unreadable_error",
]

SUFFIXES: Final = frozenset(
    {".csv", ".txt", ".tsv", ".tab", ".xlsx", ".xlsm", ".xls", ".ods", ".parquet"}
)
#: The longest text a cell may hold (characters): a name, a number, a description. Longer
#: is a broken export (a quote never closed, a pasted document) and would make every
#: screen and report that shows it slow to lay out.
MAX_CELL_CHARS: Final = 1000
LONG_CELL: Final = N_("the cell holds {length} characters; a cell may hold at most {max}")
_SHOWN_CHARS: Final = 40
_CODES: Final = {
    "not a number; expected an amount like {expected}": "bad_number",
    "not a date; expected {expected}": "bad_date",
    "this date does not exist": "impossible_date",
    "the date is in the future (today is {today})": "future_date",
    "the year is implausible; expected a date after 1900": "implausible_date",
    "empty, but a value is required": "missing_value",
    "no client: the row has no client code, tax id or name": "missing_client",
    "this document number is already used on row {other} with another client or date": (
        "duplicate_document"
    ),
    assemble.DUPLICATE_IN_FILE: "duplicate_document",
    "payment of a document that is not in the documents file": "unknown_document",
    "this client is already listed on row {other}": "duplicate_client",
    "not a yes/no value; expected Sí or No": "bad_flag",
    FORMULA_WITHOUT_VALUE: "formula_without_value",
    SPREADSHEET_ERROR: "cell_error",
    LONG_CELL: "long_cell",
}


@dataclass
class FileReport:
    """How one file was read (recorded in the manifest)."""

    path: Path
    table: str
    sha256: str
    kind: str
    headers: list[str]
    recognition: Recognition
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int = 1
    conventions: dict[str, str] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    rows_read: int = 0
    rows_rejected: int = 0
    rejects: str | None = None
    currency: str | None = None
    #: Whether the file's sheet was one of several read from it (messages name the sheet).
    one_of_sheets: bool = False

    @property
    def name(self) -> str:
        """The file's name in messages: with its sheet when several sheets were read."""
        return f"{self.path.name} «{self.sheet}»" if self.one_of_sheets else self.path.name

    def columns(self) -> dict[str, str]:
        return {role: self.headers[i] for role, i in self.recognition.roles.items()}

    def as_manifest(self) -> dict[str, Any]:
        return {
            "file": self.path.name,
            "path": str(self.path.absolute()),
            "sha256": self.sha256,
            "format": self.kind,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "recognised_by": self.recognition.how,
            "columns": self.columns(),
            "ignored": [self.headers[i] for i in self.recognition.duplicates],
            "unused": [
                h for i, h in enumerate(self.headers) if i not in self.recognition.roles.values()
            ],
            "conventions": self.conventions,
            "notes": [n.as_dict() for n in self.notes],
            "rows_read": self.rows_read,
            "rows_accepted": self.rows_read - self.rows_rejected,
            "rows_rejected": self.rows_rejected,
            "rejects": self.rejects,
            "currency": self.currency,
        }


@dataclass
class Loaded:
    """The checked parts of every table, their reports, and the rejected rows."""

    parts: dict[str, list[tuple[int, tables.Part]]]
    reports: list[FileReport]
    rejects: dict[str, pl.DataFrame]
    payment_amounts: bool = True

    def frame(self, table: str, columns: tuple[str, ...] | None = None) -> pl.DataFrame | None:
        """Every accepted row of ``table`` (or just ``columns``) in file and row order."""
        frames = [
            p.spilled.whole(columns)
            if p.spilled is not None
            else p.frame.with_columns(pl.lit(i, pl.Int64).alias("__file")).select(
                columns or pl.all()
            )
            for i, p in self.parts.get(table, [])
        ]
        return pl.concat(frames, how="vertical_relaxed") if frames else None

    def spilled(self) -> SpilledPart | None:
        """The documents when they are one file's part written by range of hashes
        (:mod:`cartera.io.part_ranges`): the checks and the build then read a range at a
        time. Several documents files are read whole (:meth:`frame`)."""
        items = self.parts.get("documents", [])
        return items[0][1].spilled if len(items) == 1 else None

    def ids(self) -> dict[str, pl.DataFrame]:
        """The distinct clients of each client-bearing table (over all its files)."""
        out: dict[str, pl.DataFrame] = {}
        for table, items in self.parts.items():
            frames = [p.ids for _i, p in items if p.ids is not None]
            if frames:
                out[table] = pl.concat(frames, how="vertical_relaxed").unique(
                    "__ck", keep="first", maintain_order=True
                )
        return out


def file_hash(path: Path) -> str:
    """SHA-256 of a file (cached per path, size and modification time: hashed once per import)."""
    return _hash_of(path).result()


def prefetch_hash(path: Path) -> None:
    """Start hashing ``path`` in a background thread (:func:`file_hash` then waits for it).

    SHA-256 releases the GIL, so on a fresh import it overlaps the encoding
    check and the transcoding, which hold it.
    """
    if path.is_file():
        _hash_of(path)


def _hash_of(path: Path) -> Future[str]:
    stat = path.stat()
    return _hash(str(path.absolute()), stat.st_size, stat.st_mtime_ns)


_HASHER: Final = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cartera-sha256")


@functools.lru_cache(maxsize=64)
def _hash(path: str, size: int, mtime_ns: int) -> Future[str]:
    del size, mtime_ns  # part of the cache key only
    return _HASHER.submit(_digest, path)


def _digest(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def expand_inputs(
    files: Iterable[Path | str],
    explicit: Mapping_[str, Path | str | Sequence[Path | str] | None],
) -> list[tuple[Path, str | None]]:
    """(file, table or None) for every input; a folder means every table file directly inside it."""
    out: list[tuple[Path, str | None]] = []
    for table, given in explicit.items():
        if given is None:
            continue
        # A table given several times (--documents A --documents B) reads every file.
        for one in [given] if isinstance(given, (str, Path)) else given:
            out.append((Path(one), table))
    for item in files:
        path = Path(item)
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and p.suffix.lower() in SUFFIXES
                and not p.name.startswith((".", "~$"))
            )
            if not found:
                raise InputError(
                    N_("The folder {path} has no CSV, Excel or Parquet files."), path=str(path)
                )
            out.extend((p, None) for p in found)
        else:
            out.append((path, None))
    if not out:
        raise InputError(N_("No input files. Give files or a folder, or --documents FILE."))
    return out


def missing_columns(rec: Recognition, table: str, file: str) -> list[Problem]:
    """One problem per required role (or group of alternatives) ``rec`` has no column for."""
    return [
        Problem(
            N_("no column for «{role}»; expected a header such as {examples}"),
            file=file,
            params={
                "role": " / ".join(group),
                "examples": ", ".join(f"«{a}»" for r in group for a in ALIASES[table][r][:3]),
            },
            code="missing_column",
        )
        for group in missing_roles(rec)
    ]


def _almost_documents(reports: list[FileReport], mapping: Mapping) -> list[Problem]:
    """For files read as another table that have a documents file's number, date and client
    columns: what they lack to be one (usually the amount)."""
    problems: list[Problem] = []
    for report in reports:
        rec = recognise(report.headers, "documents", mapping.table("documents"))
        if {"doc_number", "date"} <= rec.roles.keys() and len(rec.roles) >= 3:
            problems += missing_columns(rec, "documents", report.name)
        elif _summary(rec):
            problems.append(
                Problem(
                    N_(
                        "it has amounts per client but no dates: a summary report (sales by "
                        "customer). Export the detail instead, one row per invoice with its "
                        "date"
                    ),
                    file=report.name,
                    code="missing_column",
                )
            )
        others = [n for n in sheet_names(report.path) if n != report.sheet]
        if report.sheet is not None and others:
            problems.append(
                Problem(
                    N_(
                        "sheet «{sheet}» was read; the workbook's other sheets are {sheets}: "
                        "name the one with the invoices with --sheet"
                    ),
                    file=report.path.name,
                    params={"sheet": report.sheet, "sheets": ", ".join(f"«{n}»" for n in others)},
                    code="missing_column",
                )
            )
    return problems


def _with_documents_sheets(
    plan: list[tuple[Path, str | None, list[str | None]]],
    reports: list[FileReport],
    options: ReadOptions,
    mapping: Mapping,
    workdir: Path,
) -> list[tuple[Path, str | None, list[str | None]]] | None:
    """The read plan again with, for each workbook of ``plan`` read on one sheet that was not
    documents (no table or sheet named), its later sheets whose columns are a documents
    table's; the sheet read first is kept unless it is a summary (amounts per client, no
    dates). None when no workbook has such a sheet."""
    if options.sheet is not None:
        return None
    read = {r.path: r for r in reports}
    out: list[tuple[Path, str | None, list[str | None]]] = []
    found = False
    for path, table, sheets in plan:
        report = read.get(path)
        named = table is not None or sheets != [None] or mapping.table_for(path) is not None
        if named or report is None or report.sheet is None:
            out.append((path, table, sheets))
            continue
        names = sheet_names(path)
        later: list[str | None] = [
            n
            for n in names[names.index(report.sheet) + 1 :]
            if _sheet_table(path, n, options, mapping, workdir) == "documents"
        ]
        if later:
            found = True
            first = recognise(report.headers, "documents", mapping.table("documents"))
            sheets = later if _summary(first) else [report.sheet, *later]
        out.append((path, table, sheets))
    return out if found else None


def _sheet_table(
    path: Path, sheet: str, options: ReadOptions, mapping: Mapping, workdir: Path
) -> str | None:
    """The table a workbook's sheet would be read as; None when it cannot be read as one."""
    try:
        raw = open_source(path, options.model_copy(update={"sheet": sheet}), workdir)
        fill_group_labels(raw)
        drop_report_rows(raw)
        return recognise_file(raw, None, mapping, sample_profiles(raw)).table
    except (InputError, pl.exceptions.PolarsError):
        return None


def _summary(rec: Recognition) -> bool:
    """A client's totals without dates: a «sales by customer» summary, not documents."""
    roles = rec.roles.keys()
    return (
        "date" not in roles
        and bool(roles & {"client_code", "tax_id", "client_name"})
        and bool(roles & {"net", "amount", "total"})
    )


def _sheets(path: Path, table: str | None, options: ReadOptions, mapping: Mapping) -> list[str]:
    """The sheets of ``path`` to read one by one (:func:`same_column_sheets`), unless a sheet
    is named (option or mapping)."""
    target = table or mapping.table_for(path)
    if options.sheet is not None or (target and mapping.table(target).sheet is not None):
        return []
    return same_column_sheets(path)


def read_file(
    path: Path,
    table: str | None,
    index: int,
    options: ReadOptions,
    mapping: Mapping,
    workdir: Path,
    today: dt.date,
    spill: Path | None = None,
    one_of_sheets: bool = False,
) -> tuple[FileReport, tables.Part, pl.DataFrame, RawTable]:
    """One file → its report, its part, its issues (with ``__file``), its raw table; a
    documents part built per segment is written by range of hashes in ``spill`` if given.
    ``one_of_sheets``: the sheet named in ``options`` is one of several read from the file."""
    sheet_opts = options
    target = table or mapping.table_for(path)
    if options.sheet is None and target and mapping.table(target).sheet is not None:
        sheet_opts = sheet_opts.model_copy(update={"sheet": mapping.table(target).sheet})
    if options.delimiter is None and target and mapping.table(target).delimiter is not None:
        sheet_opts = sheet_opts.model_copy(update={"delimiter": mapping.table(target).delimiter})
    raw = open_source(path, sheet_opts, workdir)
    raw.one_of_sheets = one_of_sheets
    if raw.wider_than_header and (fault := csv_fault(raw)) is not None:
        raise fault  # cells beyond the header would be dropped without a word
    try:
        fill_group_labels(raw)
        drop_report_rows(raw)
        profiles = sample_profiles(raw)
    except pl.exceptions.PolarsError as exc:
        raise unreadable_error(raw, exc) from exc
    rec = recognise_file(raw, table, mapping, profiles)
    if rec.table == "payments" and "doc_number" not in rec.roles:
        return _unmatched_payments(path, raw, rec, index)
    filter_notes = apply_filter(raw, mapping.table(rec.table))
    headers = {role: raw.headers[i] for role, i in rec.roles.items()}

    def part_of(frame: pl.DataFrame, fixed: tables.FileDecisions | None = None) -> tables.Part:
        return build_part(
            frame,
            rec,
            raw.headers,
            mapping.table(rec.table),
            profiles,
            options.currency,
            raw.name,
            mapping.currency,
            fixed,
        )

    tmap = mapping.table(rec.table)
    try:
        if segmented(raw) and _by_segment(rec, options, mapping):
            rows = segment_rows()
            store = (
                None
                if spill is None
                else lambda lines: SpilledPart.create(spill, f"part{index}", index, lines, rows)
            )
            built = documents_in_segments(
                raw, rec, options, tmap, today, workdir, rows, part_of, headers, store
            )
            typed = built.typed
        elif segmented(raw):
            typed = type_in_segments(raw, rec, options, tmap, today, workdir, segment_rows())
            built = SegmentedDocuments(typed)
        else:
            typed = type_columns(raw, rec, options, tmap, today)
            built = SegmentedDocuments(typed)
    except pl.exceptions.PolarsError as exc:
        raise unreadable_error(raw, exc) from exc
    if typed.rows_read == 0 and rec.table == "documents":
        raise InputError(N_("{file}: the file has headers but no data rows."), file=path.name)
    if built.part is None or built.long_cells is None:
        part, long_cells = part_of(typed.frame), long_cell_issues(typed.frame, headers)
    else:
        part, long_cells = built.part, built.long_cells
    found = [typed.issues, cell_issues(raw, rec), long_cells]
    issues = file_issues(pl.concat(found), part)
    # The part's issue queries are collected: dropped, they no longer hold the frames they
    # were built on (the typed file, its client and text columns) to the end of the build.
    part.issues = []
    notes = [Note(m, p) for m, p in raw.notes] + filter_notes + typed.notes + part.notes
    notes += [
        Note(
            N_("column «{column}» also looks like «{role}» and was not used"),
            {"column": raw.headers[i], "role": r},
        )
        for i, r in rec.duplicates.items()
    ]
    report = FileReport(
        path,
        rec.table,
        file_hash(path),
        raw.kind,
        raw.headers,
        rec,
        raw.encoding,
        raw.delimiter,
        raw.sheet,
        raw.header_row,
        typed.conventions,
        notes,
        typed.rows_read,
    )
    report.currency = part.currency
    report.one_of_sheets = raw.one_of_sheets
    return report, part, issues.with_columns(pl.lit(index, pl.Int64).alias("__file")), raw


def _by_segment(rec: Recognition, options: ReadOptions, mapping: Mapping) -> bool:
    """Whether a documents file typed in segments may have its part built per segment
    (:mod:`cartera.io.segment_parts`): not with a currency column or exchange rates, whose
    decisions are the whole file's."""
    rates = mapping.currency is not None and options.currency is None
    return rec.table == "documents" and "currency" not in rec.roles and not rates


def documents_in_segments(
    raw: RawTable,
    rec: Recognition,
    options: ReadOptions,
    tmap: TableMapping,
    today: dt.date,
    workdir: Path,
    rows: int,
    build: Callable[[pl.DataFrame, tables.FileDecisions], tables.Part],
    headers: dict[str, str],
    spill: Callable[[int], SpilledPart] | None = None,
) -> SegmentedDocuments:
    """The documents file typed ``rows`` rows at a time, its part built per segment when
    that is exact, else typed whole (:func:`cartera.io.segment_parts.documents_by_segment`)."""
    with typed_segments(raw, rec, options, tmap, today, workdir, rows) as segments:
        return documents_by_segment(
            segments,
            headers,
            tmap.excluded_status(),
            build,
            lambda frame: long_cell_issues(frame, headers),
            spill,
        )


def _unmatched_payments(
    path: Path, raw: RawTable, rec: Recognition, index: int
) -> tuple[FileReport, tables.Part, pl.DataFrame, RawTable]:
    """A payments file with no column naming the invoice: read, counted, not matched."""
    rows = raw.frame.select(pl.len()).collect().item()
    frame = pl.DataFrame(
        schema={ROW: pl.Int64, "doc_number": pl.String, "date": pl.Date, "amount": pl.Float64}
    )
    note = Note(
        N_(
            "no column names the invoice each payment settles (a bare number is the payment's "
            "own): the {rows} payments were not matched to invoices"
        ),
        {"rows": rows},
    )
    report = FileReport(
        path, "payments", file_hash(path), raw.kind, raw.headers, rec, raw.encoding,
        raw.delimiter, raw.sheet, raw.header_row, {}, [note], rows, 0,
    )  # fmt: skip
    issues = pl.DataFrame(schema={**ISSUE_SCHEMA, "__file": pl.Int64})
    return report, tables.Part(frame, [], [note]), issues, raw


def cell_issues(raw: RawTable, rec: Recognition) -> pl.DataFrame:
    """Issues for the workbook cells of used columns that hold an error or an uncalculated
    formula (a reader sees them empty; they are not)."""
    used = set(rec.roles.values())
    rows = [
        {
            "row": f.row,
            "column": raw.headers[f.column],
            "value": f.value,
            "message": f.message,
            "params": json.dumps({"error": f.value} if f.value else {}),
        }
        for f in raw.cell_faults
        if f.column in used and f.row > raw.header_row and f.column < len(raw.headers)
    ]
    return pl.DataFrame(rows, schema=ISSUE_SCHEMA)


def long_cell_issues(frame: pl.DataFrame, headers: dict[str, str]) -> pl.DataFrame:
    """Issues for text cells longer than :data:`MAX_CELL_CHARS` in the typed ``frame``
    (role columns; bytes are counted first, which costs nothing on Arrow strings)."""
    texts = [r for r in headers if r in frame.columns and frame.schema[r] == pl.String]
    found = [
        frame.filter(pl.col(role).str.len_bytes() > MAX_CELL_CHARS)
        .filter(pl.col(role).str.len_chars() > MAX_CELL_CHARS)
        .select(
            pl.col(ROW).alias("row"),
            pl.lit(headers[role]).alias("column"),
            (pl.col(role).str.slice(0, _SHOWN_CHARS) + pl.lit("…")).alias("value"),
            pl.lit(LONG_CELL).alias("message"),
            pl.concat_str(
                pl.lit('{"length": '),
                pl.col(role).str.len_chars().cast(pl.String),
                pl.lit(f', "max": {MAX_CELL_CHARS}}}'),
            ).alias("params"),
        )
        for role in texts
        if frame.height
    ]
    found = [f for f in found if f.height]
    if not found:
        return pl.DataFrame(schema=ISSUE_SCHEMA)
    return pl.concat(found).cast(ISSUE_SCHEMA)  # type: ignore[arg-type]


def file_issues(cell_issues: pl.DataFrame, part: tables.Part) -> pl.DataFrame:
    """Cell issues plus the table's issues; a cell that could not be read is not also 'empty'."""
    issues = pl.concat([cell_issues.lazy(), *part.issues], how="vertical").collect()
    shadowed = (pl.col("message") == tables.MISSING) & (pl.len().over("row", "column") > 1)
    return issues.filter(~shadowed).sort("row", maintain_order=True)


def unreadable_error(raw: RawTable, exc: Exception) -> InputError:
    """A CSV polars cannot split: name the first faulty record (row, column and why)."""
    fault = csv_fault(raw)
    if fault is not None:
        return fault
    detail = " ".join(str(exc).split())[:160]
    return InputError(
        N_("{file}: the file cannot be read as a table ({detail})."), file=raw.name, detail=detail
    )


def csv_fault(raw: RawTable) -> InputError | None:
    """The error naming the first CSV record polars cannot split as the header says."""
    if not raw.text_paths or raw.delimiter is None:
        return None
    cells = raw.header_cells if raw.header_cells is not None else len(raw.headers)
    problem = first_fault(
        raw.text_paths, raw.delimiter, raw.header_row, raw.headers[:cells], raw.name
    )
    if problem is None:
        return None
    return InputError(N_("{file}: the file cannot be read as a table."), [problem], file=raw.name)


def load_inputs(
    inputs: list[tuple[Path, str | None]],
    options: ReadOptions,
    *,
    require_documents: bool = True,
    spill: Path | None = None,
) -> Loaded:
    """Read and check every input; strict unless ``options.skip_bad_rows`` (see module doc).

    ``spill``: a folder that outlives the returned parts, where a large documents file's
    part is written by range of hashes instead of held (:mod:`cartera.io.part_ranges`)."""
    mapping = load_mapping(options.mapping)
    today = options.today or dt.date.today()
    reports: list[FileReport] = []
    parts: dict[str, list[tuple[int, tables.Part]]] = {}
    issues: list[pl.DataFrame] = []
    raws: list[RawTable] = []
    sizes = (p.stat().st_size for p, _t in inputs if p.is_file())
    with scratch_folder("read", scratch_dir(sizes)) as work:
        # A workbook kept one sheet per month: every sheet with the same columns.
        plan: list[tuple[Path, str | None, list[str | None]]] = [
            (path, table, [*_sheets(path, table, options, mapping)] or [None])
            for path, table in inputs
        ]
        for attempt in range(2):
            reports, parts, issues, raws = [], {}, [], []
            index = 0
            for path, table, sheets in plan:
                for sheet in sheets:
                    opts = options if sheet is None else options.model_copy(update={"sheet": sheet})
                    report, part, file_issues, raw = read_file(
                        path,
                        table,
                        index,
                        opts,
                        mapping,
                        Path(work),
                        today,
                        spill,
                        sheet is not None,
                    )
                    reports.append(report)
                    parts.setdefault(report.table, []).append((index, part))
                    issues.append(file_issues)
                    raws.append(raw)
                    index += 1
            if attempt or not require_documents or "documents" in parts:
                break
            # No documents: a workbook's invoices may be on a later sheet (decision 0953).
            later = _with_documents_sheets(plan, reports, options, mapping, Path(work))
            if later is None:
                break
            plan = later
        if require_documents and "documents" not in parts:
            raise InputError(
                N_(
                    "None of the files is a documents (invoices) file ({found}); name it with "
                    "--documents FILE."
                ),
                _almost_documents(reports, mapping),
                found=", ".join(f"{r.path.name}: {_(r.table)}" for r in reports),
            )
        _one_currency(reports)
        loaded = Loaded(parts, reports, {})
        row_issues = (
            pl.concat(issues, how="vertical")
            if issues
            else pl.DataFrame(schema={**ISSUE_SCHEMA, "__file": pl.Int64})
        )
        all_issues = _cross_issues(loaded, row_issues, options.overpayment_tolerance)
        if all_issues.height and not options.skip_bad_rows:
            raise strict_error(all_issues, reports)
        if all_issues.height:
            _reject(loaded, all_issues, raws)
    loaded.payment_amounts = all(
        "amount" in r.recognition.roles for r in reports if r.table == "payments"
    )
    return loaded


def _one_currency(reports: list[FileReport]) -> None:
    """Documents files in different currencies are not added up."""
    found = {r.path.name: r.currency for r in reports if r.table == "documents" and r.currency}
    if len(set(found.values())) > 1:
        raise InputError(
            N_(
                "The documents files are in different currencies ({currencies}) and cannot be "
                "added up. Analyse each currency's files on their own."
            ),
            currencies=", ".join(f"{f}: {c}" for f, c in found.items()),
        )


def _without(frame: pl.DataFrame, bad: pl.DataFrame) -> pl.DataFrame:
    """``frame`` without the rows that have issues (no copy when there are none)."""
    return frame.join(bad, on=["__file", ROW], how="anti") if bad.height else frame


def _cross_issues(loaded: Loaded, row_issues: pl.DataFrame, tolerance: float) -> pl.DataFrame:
    """Row issues plus duplicate document numbers and payments of unknown documents."""
    bad = row_issues.select("__file", pl.col("row").alias(ROW)).unique()
    number_header = {
        r_i: r.headers[r.recognition.roles["doc_number"]]
        for r_i, r in enumerate(loaded.reports)
        if "doc_number" in r.recognition.roles
    }
    ids = loaded.ids()
    if "documents" not in loaded.parts:
        return row_issues.sort("__file", "row", maintain_order=True)
    duplicates, good_docs = _duplicates(loaded, bad, ids["documents"], number_header)
    extra = [duplicates]
    clients = loaded.frame("clients")
    if clients is not None:
        client_header = {
            i: " / ".join(
                r.headers[r.recognition.roles[k]]
                for k in ("client_code", "tax_id", "client_name")
                if k in r.recognition.roles
            )
            for i, r in enumerate(loaded.reports)
        }
        extra.append(
            assemble.duplicate_client_issues(_without(clients, bad), ids["clients"], client_header)
        )
    payments = loaded.frame("payments", ("__file", ROW, "doc_number"))
    if payments is not None:
        good_pay = _without(payments, bad).filter(pl.col("doc_number").is_not_null())
        extra.append(assemble.unknown_payment_issues(good_pay, good_docs, number_header))
        extra.append(_payment_checks(loaded, bad, tolerance))
    extra_df = (
        pl.concat([e.select(row_issues.columns) for e in extra if e.height], how="vertical")
        if any(e.height for e in extra)
        else None
    )
    out = row_issues if extra_df is None else pl.concat([row_issues, extra_df], how="vertical")
    return out.sort("__file", "row", maintain_order=True)


def _duplicates(
    loaded: Loaded, bad: pl.DataFrame, ids: pl.DataFrame, number_header: dict[int, str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Duplicate numbers among the documents without ``bad`` rows, and those documents
    (at least ``__doc``, each number once when read by range: what the payments are
    matched on).

    Documents written by range of hashes are checked a range at a time: every document's
    lines are in one range, in file order, and ``duplicate_issues`` flags rows per document
    (a range whose documents are each one run of one client and date has none; the rows are
    put in file and row order by the caller's sort), so the ranges find the whole file's."""
    columns = ("__file", ROW, "__ck", "date", "doc_number", "__doc")
    spilled = loaded.spilled()
    if spilled is None:
        docs = loaded.frame("documents", columns)
        assert docs is not None
        good = _without(docs, bad)
        return assemble.duplicate_issues(good, ids, number_header), good
    found, known = [], []
    for k in range(spilled.ranges()):
        good = _without(spilled.range(k, columns), bad)
        found.append(assemble.duplicate_issues(good, ids, number_header))
        # A document's lines are all in one range: its distinct numbers are the file's.
        known.append(good.select("__doc").unique())
        del good
    return pl.concat(found, how="vertical"), pl.concat(known, how="vertical")


#: The most buckets the payment checks are split into (one per segment's worth of payments,
#: :func:`cartera.io.segments.segment_rows`).
PAYMENT_BUCKETS: Final = 64


def _payment_checks(loaded: Loaded, bad: pl.DataFrame, tolerance: float) -> pl.DataFrame:
    """Payments that cannot be (negative, before the document, far over it): payment_checks."""
    from cartera.io.payment_checks import payment_issues

    pay, spilled = loaded.frame("payments"), loaded.spilled()
    docs = loaded.frame("documents") if spilled is None else spilled.empty
    assert pay is not None and docs is not None
    headers = {
        role: {i: r.headers[r.recognition.roles[role]] for i, r in enumerate(loaded.reports)
               if r.table == "payments" and role in r.recognition.roles}
        for role in ("date", "amount")
    }  # fmt: skip
    pay = _without(pay, bad).filter(pl.col("doc_number").is_not_null())
    pay = pay if "__doc" in pay.columns else pay.with_columns(tables.doc_key())
    keep = [c for c in ("__file", ROW, "__doc", "date", "amount") if c in pay.columns]
    cols = [c for c in ("__doc", "date", "amount", "total") if c in docs.columns]
    pay = pay.select(keep)
    if spilled is not None:
        # The documents' ranges are buckets too (every check is per document).
        found = [
            payment_issues(
                pay.filter(in_range(spilled.bounds, k)),
                _without(spilled.range(k, ("__file", ROW, *cols)), bad).select(cols),
                headers,
                tolerance,
            )
            for k in range(spilled.ranges())
        ]
        return pl.concat(found, how="vertical").sort("__file", "row", maintain_order=True)
    docs = _without(docs, bad).select(cols)
    buckets = min(PAYMENT_BUCKETS, -(-pay.height // segment_rows()))
    if buckets <= 1:
        return payment_issues(pay, docs, headers, tolerance)
    # Every check is per document: a bucket of documents (by their number's hash) at a time
    # holds a bucket's working frames only, and finds the same issues.
    bucket = pl.col("__doc") % buckets
    found = [
        payment_issues(pay.filter(bucket == b), docs.filter(bucket == b), headers, tolerance)
        for b in range(buckets)
    ]
    return pl.concat(found, how="vertical").sort("__file", "row", maintain_order=True)


def _named_files(params: dict[str, object], reports: list[FileReport]) -> dict[str, object]:
    """An issue's parameters with ``other_file`` (a file's index in the import) as its name."""
    index = params.get("other_file")
    if isinstance(index, int):
        return {**params, "other_file": reports[index].name}
    return params


def problems_of(
    issues: pl.DataFrame, reports: list[FileReport], limit: int | None = None
) -> list[Problem]:
    rows = issues.head(limit) if limit else issues
    return [
        Problem(
            message=r["message"],
            file=reports[r["__file"]].name,
            row=r["row"],
            column=r["column"] or None,
            value=r["value"],
            params=_named_files(json.loads(r["params"] or "{}"), reports),
            code=_CODES.get(r["message"], "invalid"),
        )
        for r in rows.iter_rows(named=True)
    ]


def strict_error(issues: pl.DataFrame, reports: list[FileReport]) -> InputError:
    """The error of a strict import: every problem (up to a limit) of every file."""
    rows = issues.select("__file", "row").unique().height
    message = (
        N_(
            "Nothing was imported: 1 row has problems. Fix it, or run again with --skip-bad-rows "
            "to import the other rows and list this one in the workspace's rejects folder."
        )
        if rows == 1
        else N_(
            "Nothing was imported: {rows} rows have problems. Fix them, or run again with "
            "--skip-bad-rows to import the other rows and list these in the workspace's rejects "
            "folder."
        )
    )
    return InputError(message, problems_of(issues, reports, 200), total=issues.height, rows=rows)


def _reject(loaded: Loaded, issues: pl.DataFrame, raws: list[RawTable]) -> None:
    """Drop the bad rows from the parts and keep them, with reasons, for the rejects files."""
    texts = [
        Problem(p.message, column=p.column, value=p.value, params=p.params).render()
        for p in problems_of(issues, loaded.reports)
    ]
    reasons = (
        issues.with_columns(pl.Series("__reason", texts, pl.String))
        .group_by("__file", "row", maintain_order=True)
        .agg(pl.col("__reason").str.join(" | ").alias("reason"))
    )
    for table, items in loaded.parts.items():
        for index, part in items:
            bad = reasons.filter(pl.col("__file") == index).select(
                pl.col("row").alias(ROW), "reason"
            )
            if bad.height == 0:
                continue
            if part.spilled is not None:
                part.spilled.reject(bad)
            else:
                part.frame = part.frame.join(bad, on=ROW, how="anti")
            report, raw = loaded.reports[index], raws[index]
            report.rows_rejected = bad.height
            report.rejects = f"rejects/{raw.path.stem}.{table}.rejects.csv"
            loaded.rejects[Path(report.rejects).name] = _reject_rows(raw, bad)


def _reject_rows(raw: RawTable, bad: pl.DataFrame) -> pl.DataFrame:
    """The rejected rows as written (headers of the file) with ``row`` and ``reason`` first."""
    cols = [raw.col(i) for i in range(len(raw.headers))]
    names = [_("row"), _("reason"), *_unique_names(raw.headers)]
    rows = (
        raw.frame.join(bad.lazy(), on=ROW, how="inner")
        .select(ROW, "reason", *cols)
        .sort(ROW)
        .collect()
    )
    rows.columns = names
    return rows


def _unique_names(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        seen[h] = seen.get(h, 0) + 1
        out.append(h if seen[h] == 1 else f"{h} ({seen[h]})")
    return out
