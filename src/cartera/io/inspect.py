"""``inspect``: how cartera reads one file, so a user can check it or write a mapping.

For any file: its format, encoding, delimiter, sheet and header row; which
table it looks like (and how many columns each table recognises); each
column's role and convention; sample values as written and as parsed; notes;
and the first problems an import would report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from cartera.errors import AmbiguousFormatError, InputError
from cartera.i18n import N_, _
from cartera.io.aliases import ALIASES
from cartera.io.groups import drop_report_rows, fill_group_labels
from cartera.io.load import (
    FileReport,
    cell_issues,
    csv_fault,
    file_issues,
    long_cell_issues,
    problems_of,
    unreadable_error,
)
from cartera.io.mapping import Mapping, TableMapping, load_mapping
from cartera.io.options import ReadOptions
from cartera.io.parse import Note, Typed, type_columns
from cartera.io.reading import apply_filter, build_part, recognise_file, sample_profiles
from cartera.io.recognise import Recognition, guess_table
from cartera.io.scratch import scratch_folder
from cartera.io.source import ROW, RawTable, open_source
from cartera.io.tables import Part

__all__ = ["ColumnInfo", "InspectResult", "RoleInfo", "inspect_file", "role_infos"]

_SAMPLES = 3


@dataclass(frozen=True)
class ColumnInfo:
    """One column of the file: header as written, role (or None), convention, samples."""

    header: str
    role: str | None
    convention: str | None
    samples: list[str]
    parsed: list[str]


@dataclass(frozen=True)
class RoleInfo:
    """How one role was decided: the chosen column and why, the runner-up and why not."""

    role: str
    column: str
    reason: str
    runner_up: str | None
    runner_reason: str | None


def role_infos(rec: Recognition, headers: list[str]) -> list[RoleInfo]:
    """Per recognised role, in the order of the file's columns (texts in the user's language)."""
    out = []
    for role, idx in sorted(rec.roles.items(), key=lambda kv: kv[1]):
        choice = rec.choices.get(role)
        if choice is None:
            out.append(RoleInfo(role, headers[idx], "", None, None))
            continue
        runner = headers[choice.runner_up] if choice.runner_up is not None else None
        why_not = (
            _(choice.runner_reason).format(**choice.runner_params) if choice.runner_reason else None
        )
        out.append(
            RoleInfo(role, headers[idx], _(choice.reason).format(**choice.params), runner, why_not)
        )
    return out


@dataclass
class InspectResult:
    """Everything ``cartera inspect`` shows (``as_dict()`` is its JSON form)."""

    file: str
    format: str
    table: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    header_row: int
    rows: int
    scores: dict[str, int]
    columns: list[ColumnInfo]
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    problem_count: int = 0
    roles: list[RoleInfo] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "table": self.table,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "rows": self.rows,
            "scores": self.scores,
            "columns": [c.__dict__ for c in self.columns],
            "notes": self.notes,
            "problems": self.problems,
            "problem_count": self.problem_count,
            "roles": [r.__dict__ for r in self.roles],
        }


def _short(text: str, limit: int = 60) -> str:
    """A sample as shown: at most ``limit`` characters (a 5 MB cell would take minutes to
    lay out in a table)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}" if value != int(value) or abs(value) >= 1e15 else f"{value:.0f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _typed_even_if_ambiguous(
    raw: RawTable,
    rec: Recognition,
    options: ReadOptions,
    tmap: TableMapping,
    today: dt.date,
    notes: list[Note],
) -> Typed:
    """Type the columns; an ambiguous convention is noted and shown with the Spanish reading."""
    for _attempt in range(3):
        try:
            return type_columns(raw, rec, options, tmap, today)
        except AmbiguousFormatError as exc:
            notes.append(
                Note(
                    N_("ambiguous, shown as if read with the option it asks for: {detail}"),
                    {"detail": exc.render()},
                )
            )
            codes = {p.code for p in exc.problems}
            update: dict[str, str] = {}
            if "ambiguous_decimal" in codes:
                update["decimal"] = "comma"
            if "ambiguous_date" in codes:
                update["date_format"] = "%d/%m/%Y"
            options = options.model_copy(update=update)
    return type_columns(raw, rec, options, tmap, today)


def _read(
    raw: RawTable, table: str | None, options: ReadOptions, mapping: Mapping, today: dt.date
) -> tuple[Recognition, dict[str, int], list[Note], Typed, Part, pl.DataFrame, pl.DataFrame]:
    """Recognise and type ``raw`` (polars errors of a malformed CSV propagate)."""
    if raw.wider_than_header and (fault := csv_fault(raw)) is not None:
        raise fault
    fill_group_labels(raw)
    drop_report_rows(raw)
    profiles = sample_profiles(raw)
    rec = recognise_file(raw, table, mapping, profiles)
    notes_filter = apply_filter(raw, mapping.table(rec.table))
    _best, scores = (
        guess_table(raw.headers, {t: mapping.table(t) for t in ALIASES}, raw.name, profiles)
        if table is None
        else (rec, {})
    )
    notes: list[Note] = [Note(m, p) for m, p in raw.notes] + notes_filter
    typed = _typed_even_if_ambiguous(raw, rec, options, mapping.table(rec.table), today, notes)
    headers = {role: raw.headers[i] for role, i in rec.roles.items()}
    part = build_part(
        typed.frame, rec, raw.headers, mapping.table(rec.table), profiles, rates=mapping.currency
    )
    found = [typed.issues, cell_issues(raw, rec), long_cell_issues(typed.frame, headers)]
    issues = file_issues(pl.concat(found), part).with_columns(pl.lit(0, pl.Int64).alias("__file"))
    samples = raw.frame.head(50).collect()
    return rec, scores, notes, typed, part, issues, samples


def inspect_file(
    path: Path | str, *, table: str | None = None, options: ReadOptions | None = None
) -> InspectResult:
    """How ``path`` would be read (see the module docstring); never writes anything."""
    options = options or ReadOptions()
    path = Path(path)
    if table is not None and table not in ALIASES:
        raise InputError(
            N_("Unknown table «{table}»; tables: {tables}."), table=table, tables=", ".join(ALIASES)
        )
    mapping = load_mapping(options.mapping)
    today = options.today or dt.date.today()
    with scratch_folder("inspect") as work:
        raw = open_source(path, options, Path(work))
        try:
            result = _read(raw, table, options, mapping, today)
        except pl.exceptions.PolarsError as exc:
            raise unreadable_error(raw, exc) from exc
    rec, scores, notes, typed, part, issues, samples = result
    notes += typed.notes + part.notes
    role_of = {i: r for r, i in rec.roles.items()}
    columns = []
    for i, header in enumerate(raw.headers):
        values = [_short(v) for v in samples[raw.col(i)].to_list() if v not in (None, "")]
        values = values[:_SAMPLES]
        role = role_of.get(i)
        parsed: list[str] = []
        if role is not None:
            first_rows = samples.filter(pl.col(raw.col(i)).is_not_null()).head(_SAMPLES)[ROW]
            parsed = [
                _short(_text(v))
                for v in typed.frame.filter(pl.col(ROW).is_in(first_rows.implode()))[role].to_list()
                if v is not None
            ]
        columns.append(ColumnInfo(header, role, typed.conventions.get(header), values, parsed))
    report = FileReport(path, rec.table, "", raw.kind, raw.headers, rec)
    return InspectResult(
        file=path.name,
        format=raw.kind,
        table=rec.table,
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        sheet=raw.sheet,
        header_row=raw.header_row,
        rows=typed.rows_read,
        scores=scores,
        columns=columns,
        notes=[n.text() for n in notes],
        problems=[p.render() for p in problems_of(issues.sort("row"), [report], 10)],
        problem_count=issues.height,
        roles=role_infos(rec, raw.headers),
    )
