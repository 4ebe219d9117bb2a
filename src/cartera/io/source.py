"""Open an export as a lazy frame of text cells, whatever its format.

CSV, XLSX/XLS/ODS and Parquet all become one :class:`RawTable`: the headers as
written in the file, and a lazy polars frame with one String column per
header (``c0``, ``c1``...) plus ``__row``, the row number a spreadsheet shows
for each record (header = row 1, or lower when title rows sit above it).
Typing happens later, per role, once the conventions are known.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import polars as pl

from cartera.errors import InputError, Problem
from cartera.i18n import N_
from cartera.io.aliases import ALIASES, normalise_header
from cartera.io.options import ReadOptions
from cartera.io.sniff import FileKind, detect_delimiter, detect_kind, read_head, utf8_sources
from cartera.io.whitespace import WHITESPACE, looks_whitespace_aligned, scan_whitespace, split_line
from cartera.io.words import concepts
from cartera.io.xlsx_cells import CellFault, cell_faults

__all__ = [
    "ROW",
    "RawTable",
    "column_letter",
    "header_score",
    "open_source",
    "ragged_row",
    "same_column_sheets",
    "sheet_names",
]

ROW: Final = "__row"
_HEADER_SCAN: Final = 30
_KNOWN: Final = frozenset(
    normalise_header(a) for roles in ALIASES.values() for al in roles.values() for a in al
)


@dataclass
class RawTable:
    """One input file as text cells; ``frame`` has columns ``c0..cN`` (String) and ``__row``."""

    path: Path
    kind: FileKind
    headers: list[str]
    frame: pl.LazyFrame
    header_row: int = 1
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    native_numbers: bool = False
    notes: list[tuple[str, dict[str, object]]] = field(default_factory=list)
    #: The CSV's text as UTF-8: the file itself or transcoded copies, read one after the other.
    text_paths: tuple[Path, ...] = ()
    #: Cells of an .xlsx that read as empty but hold an error or an uncalculated formula.
    cell_faults: list[CellFault] = field(default_factory=list)
    #: How many cells the CSV's header row has (``headers`` may be padded for wider rows).
    header_cells: int | None = None
    #: The column of a grouped report's labels, filled down (:mod:`cartera.io.groups`).
    group_column: int | None = None

    @property
    def wider_than_header(self) -> bool:
        """Whether some of the first rows have more cells than the header (CSV only)."""
        return self.header_cells is not None and self.header_cells < len(self.headers)

    #: Whether this table is one of several sheets of its workbook read together: messages
    #: then name the sheet with the file.
    one_of_sheets: bool = False

    @property
    def name(self) -> str:
        return f"{self.path.name} «{self.sheet}»" if self.one_of_sheets else self.path.name

    def col(self, index: int) -> str:
        return f"c{index}"


def column_letter(index: int) -> str:
    """0 → ``A``, 27 → ``AB`` (how a spreadsheet names a column)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def header_score(cells: list[str | None]) -> int:
    """How many cells are known header aliases (of any table)."""
    return sum(1 for c in cells if c and normalise_header(str(c)) in _KNOWN)


def _display_headers(cells: list[str | None]) -> list[str]:
    out: list[str] = []
    for i, cell in enumerate(cells):
        text = (cell or "").strip().lstrip("\ufeff")
        out.append(text or f"({column_letter(i)})")
    return out


def open_source(path: Path, options: ReadOptions, workdir: Path) -> RawTable:
    """Open ``path`` (CSV, Excel or Parquet); ``workdir`` holds transcoded copies while reading."""
    kind = detect_kind(path)
    if kind == "parquet":
        return _open_parquet(path)
    if kind in ("xlsx", "xls", "ods"):
        return _open_excel(path, kind, options)
    return _open_csv(path, workdir, options.delimiter)


def _open_parquet(path: Path) -> RawTable:
    lazy = pl.scan_parquet(path)
    names = lazy.collect_schema().names()
    frame = lazy.select(
        [pl.col(n).cast(pl.String).alias(f"c{i}") for i, n in enumerate(names)]
    ).with_row_index(ROW, offset=2)
    return RawTable(
        path,
        "parquet",
        list(names),
        frame.with_columns(pl.col(ROW).cast(pl.Int64)),
        native_numbers=True,
    )


def _open_csv(path: Path, workdir: Path, forced: str | None = None) -> RawTable:
    encoding, sources = utf8_sources(path, workdir)
    head = read_head(sources[0], "utf-8")
    if "\r" in head and "\n" not in head:  # old Mac / Excel for Mac: CR alone ends a line
        sources = [_lf_copy(sources, workdir)]
        head = read_head(sources[0], "utf-8")
    delimiter = forced or detect_delimiter(head)
    if delimiter == WHITESPACE or (delimiter is None and looks_whitespace_aligned(head)):
        return _open_whitespace(path, sources, head, encoding)
    if delimiter is None:
        raise InputError(
            N_(
                "{file}: the file has a single column; cartera found no «;», «,», tab, «|» or "
                "«~» separating columns. Check that it is a table exported as CSV."
            ),
            file=path.name,
        )
    try:
        lines = list(csv.reader(io.StringIO(head), delimiter=delimiter))[:_HEADER_SCAN]
    except csv.Error as exc:
        raise InputError(
            N_("{file}: the first lines cannot be read as a table ({detail})."),
            file=path.name,
            detail=str(exc),
        ) from exc
    top, depth = _header_rows([list(r) for r in lines]) if lines else (0, 1)
    cells = _merge_header_rows([list(r) for r in lines[top : top + depth]]) if lines else []
    header_idx = top + depth - 1  # the header's last row
    header_cells = len(cells)
    width = max((len(r) for r in lines), default=len(cells))
    cells += [None] * (width - len(cells))
    headers = _display_headers(cells)
    scans = [
        pl.scan_csv(
            source,
            separator=delimiter,
            has_header=False,
            # The title and header rows are at the top of the first file only.
            skip_rows=header_idx + 1 if n == 0 else 0,
            infer_schema=False,
            quote_char='"',
            encoding="utf8",
            raise_if_empty=False,
            schema={f"c{i}": pl.String for i in range(len(headers))},
            missing_columns="insert",
            # A quoted empty cell ("") is as empty as a missing one: a row of them is blank
            # (QuickBooks ends its reports with one).
            null_values="",
        )
        for n, source in enumerate(sources)
    ]
    frame = (scans[0] if len(scans) == 1 else pl.concat(scans, how="vertical")).with_row_index(
        ROW, offset=header_idx + 2
    )
    frame = frame.with_columns(pl.col(ROW).cast(pl.Int64))
    return RawTable(
        path,
        "csv",
        headers,
        frame,
        header_row=header_idx + 1,
        encoding=encoding,
        delimiter=delimiter,
        text_paths=tuple(sources),
        header_cells=header_cells,
    )


def _open_whitespace(path: Path, sources: list[Path], head: str, encoding: str) -> RawTable:
    """A text file whose columns are separated by runs of spaces (see
    :mod:`cartera.io.whitespace`)."""
    lines = [split_line(ln) for ln in head.splitlines()[:_HEADER_SCAN] if ln.strip()]
    header_idx = _best_header_row([list(r) for r in lines])
    headers = _display_headers(list(lines[header_idx]) if lines else [])
    # Blank lines above the header are not counted by the splitter: skip them by position.
    skip = [i for i, ln in enumerate(head.splitlines()) if ln.strip()][header_idx] + 1
    frame = scan_whitespace(sources[0], skip, len(headers))
    frame = frame.with_columns((pl.col("__line") + skip + 1).cast(pl.Int64).alias(ROW)).drop(
        "__line"
    )
    raw = RawTable(
        path,
        "csv",
        headers,
        frame.select(ROW, *[f"c{i}" for i in range(len(headers))]),
        header_row=skip,
        encoding=encoding,
        delimiter=WHITESPACE,
    )
    raw.notes.append((N_("columns separated by runs of spaces"), {}))
    return raw


def _lf_copy(sources: list[Path], workdir: Path) -> Path:
    """The UTF-8 ``sources`` as one file whose lines end in LF instead of a lone CR."""
    import tempfile

    handle, name = tempfile.mkstemp(suffix=".csv", dir=workdir)
    with open(handle, "wb") as dst:
        for source in sources:
            with source.open("rb") as src:
                while chunk := src.read(1 << 20):
                    dst.write(chunk.replace(b"\r", b"\n"))
    return Path(name)


def ragged_row(raw: RawTable) -> int | None:
    """Spreadsheet row of the first CSV record with more fields than the header (None if none)."""
    if not raw.text_paths or raw.delimiter is None:
        return None
    number = 0
    for text_path in raw.text_paths:  # parts start records: a record never spans two
        with text_path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
            for record in csv.reader(fh, delimiter=raw.delimiter):
                number += 1
                if number > raw.header_row and len(record) > len(raw.headers):
                    return number
    return None


#: A cell that is a value, not a header: a number (``1.019,60``, ``-12``) or a date.
_VALUE_CELL: Final = re.compile(
    r"^\s*-?[$€£]?\s*[0-9][0-9.,' ]*\s*$|^\s*[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}\b"
)


def _best_header_row(rows: list[list[str | None]]) -> int:
    """The row with most known aliases among the first rows (else the first non-empty one).

    Each cell that is a value (a number, a date) counts against its row: a data row holding
    one alias (a status «Cancelado») does not outscore the header above it."""
    best, best_score = None, 0
    for i, row in enumerate(rows):
        values = sum(1 for c in row if c is not None and _VALUE_CELL.match(str(c)))
        score = header_score(row) - values
        if score > best_score:
            best, best_score = i, score
    if best is not None:
        return best
    for i, row in enumerate(rows):
        if sum(1 for c in row if c and str(c).strip()) > 1:
            return i
    return 0


def _open_excel(path: Path, kind: FileKind, options: ReadOptions) -> RawTable:
    import fastexcel

    if kind == "xls" and _encrypted(path):
        raise InputError(
            N_(
                "{file}: the workbook is protected with a password. Open it in Excel, remove "
                "the password (File > Info > Protect workbook > Encrypt with password) and save "
                "it again, or export it as CSV."
            ),
            file=path.name,
        )
    try:
        reader = fastexcel.read_excel(path)
    except Exception as exc:  # fastexcel raises its own exception types per failure
        raise InputError(
            N_("{file}: the workbook cannot be read ({detail})."), file=path.name, detail=str(exc)
        ) from exc
    names = list(reader.sheet_names)
    sheets = [_sheet_by_option(path, names, options.sheet)] if options.sheet is not None else names
    tried: list[tuple[int, str, pl.DataFrame, int, int]] = []
    for sheet in sheets:
        df = reader.load_sheet(sheet, header_row=None, dtypes="string").to_polars()
        if df.height == 0 or df.width == 0:
            continue
        rows = [list(r) for r in df.head(_HEADER_SCAN).iter_rows()]
        top, depth = _header_rows(rows)
        score = header_score(_merge_header_rows(rows[top : top + depth]))
        tried.append((score, sheet, df, top, depth))
        if score >= 2:
            break
    if not tried:
        raise InputError(
            N_("{file}: the sheet «{sheet}» is empty.")
            if options.sheet is not None
            else N_("{file}: the workbook has no data; every sheet is empty."),
            file=path.name,
            sheet=sheets[0] if sheets else "",
        )
    score, sheet, df, top, depth = max(tried, key=lambda t: t[0]) if len(tried) > 1 else tried[0]
    header_cells = _merge_header_rows([list(r) for r in df.slice(top, depth).iter_rows()])
    headers = _display_headers(header_cells)
    offset = _first_row_number(path, names.index(sheet)) if kind == "xlsx" else 1
    data = df.slice(top + depth)
    data.columns = [f"c{i}" for i in range(len(headers))]
    frame = (
        data.lazy()
        .with_row_index(ROW, offset=offset + top + depth)
        .with_columns(pl.col(ROW).cast(pl.Int64))
    )
    raw = RawTable(
        path, kind, headers, frame, header_row=offset + top, sheet=sheet, native_numbers=True
    )
    if kind == "xlsx":
        raw.cell_faults = _xlsx_faults(path, names.index(sheet))
    if len(names) > 1:
        raw.notes.append(
            (N_("read sheet «{sheet}» of {count}"), {"sheet": sheet, "count": len(names)})
        )
    return raw


def sheet_names(path: Path) -> list[str]:
    """The sheets of a workbook, in order; empty for other files or an unreadable workbook."""
    import fastexcel

    if detect_kind(path) not in ("xlsx", "xls", "ods"):
        return []
    try:
        return list(fastexcel.read_excel(path).sheet_names)
    except Exception:  # the reader proper reports an unreadable workbook
        return []


def same_column_sheets(path: Path) -> list[str]:
    """The sheets of a workbook to read as one table (decision 0952): the sheet
    :func:`open_source` reads and every later sheet with the same header (a book kept one
    sheet per month); empty when the workbook has one such sheet or is no workbook."""
    import fastexcel

    if detect_kind(path) not in ("xlsx", "xls", "ods"):
        return []
    try:
        reader = fastexcel.read_excel(path)
    except Exception:  # the reader proper reports an unreadable workbook
        return []
    names = list(reader.sheet_names)
    if len(names) < 2:
        return []
    found: list[str] = []
    header: list[str] | None = None
    for sheet in names:
        df = reader.load_sheet(
            sheet, header_row=None, dtypes="string", n_rows=_HEADER_SCAN + 1
        ).to_polars()
        if df.height == 0 or df.width == 0:
            continue
        rows = [list(r) for r in df.iter_rows()]
        top, depth = _header_rows(rows)
        cells = _merge_header_rows(rows[top : top + depth])
        names_here = [normalise_header(str(c)) for c in cells if c and str(c).strip()]
        if header is None:
            if header_score(cells) >= 2:
                header, found = names_here, [sheet]
        elif names_here == header and df.height > top + depth:
            found.append(sheet)
    return found if len(found) > 1 else []


def _sheet_by_option(path: Path, names: list[str], wanted: str) -> str:
    if wanted in names:
        return wanted
    if wanted.isdigit() and int(wanted) < len(names):
        return names[int(wanted)]
    raise InputError(
        N_("{file}: there is no sheet «{sheet}»; the sheets are {sheets}."),
        file=path.name,
        sheet=wanted,
        sheets=", ".join(f"«{n}»" for n in names),
    )


def _header_rows(rows: list[list[str | None]]) -> tuple[int, int]:
    """(first header row, number of header rows: 1, or 2 for grouped headers like AEAT books)."""
    top = _best_header_row(rows)
    if top + 1 < len(rows):
        single = max(header_score(rows[top]), header_score(rows[top + 1]))
        double = header_score(_merge_header_rows(rows[top : top + 2]))
        if double > single:
            return top, 2
        if top > 0:
            above = header_score(_merge_header_rows(rows[top - 1 : top + 1]))
            pair = rows[top - 1 : top + 1]
            if above > header_score(rows[top]) or _resolves_repeats(pair) or _fills_blank(pair):
                return top - 1, 2
    return top, 1


def _fills_blank(rows: list[list[str | None]]) -> bool:
    """Whether the row above a header names one of its blank columns with a known header
    (``Cliente`` merged down over two rows, the sub-header row blank under it) and holds
    another name besides (so it is not a title): the two rows are one header."""
    upper, lower = rows
    names = [i for i, c in enumerate(upper) if c and str(c).strip()]
    return len(names) >= 2 and any(
        (i >= len(lower) or not lower[i] or not str(lower[i]).strip())
        and normalise_header(str(upper[i])) in _KNOWN
        for i in names
    )


def _repeats(cells: list[str | None]) -> int:
    names = [normalise_header(str(c)) for c in cells if c and str(c).strip()]
    return len(names) - len(set(names))


def _resolves_repeats(rows: list[list[str | None]]) -> bool:
    """Whether a row of group titles above a header with repeated names (``Fecha``,
    ``Importe`` twice) tells them apart: the two rows are one header."""
    upper, lower = rows
    groups = sum(1 for c in upper if c and str(c).strip())
    return groups >= 3 and _repeats(lower) > _repeats(_merge_header_rows(rows))


def _merge_header_rows(rows: list[list[str | None]]) -> list[str | None]:
    """Two header rows into one name per column.

    A group title spanning several sub-columns (``Importes`` over ``Base
    imponible``, ``Cuota``) gives way to the sub-header; a group that is
    itself a column name (``NIF Destinatario`` over ``Tipo``, ``Identificación``)
    is kept as ``group / sub`` so the parts are not mistaken for other roles.
    """
    if len(rows) == 1:
        return rows[0]
    upper, lower = rows[0], [*rows[1], *[None] * (len(rows[0]) - len(rows[1]))]
    merged: list[str | None] = []
    group: str | None = None
    lows = [normalise_header(str(c)) for c in lower if c and str(c).strip()]
    for i, low in enumerate(lower):
        up = upper[i] if i < len(upper) else None
        if up and str(up).strip():
            group = str(up).strip()
        if not low or not str(low).strip():
            merged.append(up)
            group = group if up else None
            continue
        sub = str(low).strip()
        if group is None:
            merged.append(sub)
            continue
        combined = f"{group} / {sub}"
        known = normalise_header(combined) in _KNOWN or normalise_header(group) in _KNOWN
        # A sub-header repeated across groups, or under a payments group (the AEAT book's
        # «Cobro» Fecha and Importe), keeps its group so it is not taken for the document's.
        repeated = lows.count(normalise_header(sub)) > 1
        paid_group = "PAID" in concepts(group)
        merged.append(combined if known or repeated or paid_group else sub)
    return merged


_ROW_RE: Final = re.compile(rb'<row [^>]*?r="(\d+)"[^>]*>(.*?)</row>', re.DOTALL)


def _first_row_number(path: Path, sheet_index: int) -> int:
    """Spreadsheet number of the first row holding a value (calamine drops empty leading rows)."""
    try:
        with zipfile.ZipFile(path) as zf:
            target = _sheet_part(zf, sheet_index)
            with zf.open(target) as fh:
                blob = fh.read(1 << 20)
    except (KeyError, zipfile.BadZipFile, IndexError):
        return 1
    for match in _ROW_RE.finditer(blob):
        if b"<v>" in match.group(2) or b"<is>" in match.group(2) or b"<v " in match.group(2):
            return int(match.group(1))
    return 1


def _xlsx_faults(path: Path, sheet_index: int) -> list[CellFault]:
    try:
        with zipfile.ZipFile(path) as zf:
            part = _sheet_part(zf, sheet_index)
    except (KeyError, zipfile.BadZipFile, IndexError, OSError):
        return []
    return cell_faults(path, part)


#: The stream name an encrypted (password-protected) Office file keeps its workbook in.
_ENCRYPTED: Final = "EncryptedPackage".encode("utf-16-le")


def _encrypted(path: Path) -> bool:
    """Whether an OLE2 file is an encrypted Office document (a password-protected .xlsx)."""
    with path.open("rb") as fh:
        return _ENCRYPTED in fh.read(16 << 20)


def _sheet_part(zf: zipfile.ZipFile, sheet_index: int) -> str:
    workbook = zf.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    rid = re.findall(r'<sheet [^>]*?r:id="([^"]+)"', workbook)[sheet_index]
    target = re.search(rf'<Relationship [^>]*?Id="{re.escape(rid)}"[^>]*?Target="([^"]+)"', rels)
    if target is None:
        target = re.search(
            rf'<Relationship [^>]*?Target="([^"]+)"[^>]*?Id="{re.escape(rid)}"', rels
        )
    if target is None:
        raise KeyError(rid)
    part = target.group(1).lstrip("/")
    return part if part.startswith("xl/") else f"xl/{part}"


def problem_for_file(path: Path, message: str, **params: object) -> Problem:
    """A problem about a whole file."""
    return Problem(message, file=path.name, params=params)
