"""Helpers of the real-export tests: write a fixture, analyse it as `cartera analyze FILE`."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from cartera.analysis import analyze
from cartera.i18n import language
from cartera.io import ReadOptions
from cartera.result import PortfolioAnalysis

TODAY = dt.date(2026, 11, 1)


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    above: Sequence[str] = (),
) -> Path:
    """A CSV file with optional title lines ``above`` the header."""
    with path.open("w", encoding=encoding, newline="") as fh:
        for line in above:
            fh.write(line + "\r\n")
        writer = csv.writer(fh, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in r] for r in rows)
    return path


def write_xlsx(
    path: Path, header_rows: Sequence[Sequence[object]], rows: Sequence[Sequence[object]]
) -> Path:
    """An XLSX workbook whose first sheet holds ``header_rows`` then ``rows``."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for r in [*header_rows, *rows]:
        sheet.append(list(r))
    book.save(path)
    return path


def run(*files: Path, **options: object) -> PortfolioAnalysis:
    """The analysis of ``files`` with no mapping, as `cartera analyze FILE...` runs it."""
    source = files[0] if len(files) == 1 else list(files)
    with language("en"):
        return analyze(source, options=ReadOptions(today=TODAY, **options))  # type: ignore[arg-type]


def notes(analysis: PortfolioAnalysis) -> str:
    """Every import note of the documents table, joined."""
    table = analysis.input_summary.tables.get("documents", {})
    return " | ".join(table.get("notes", []))


def top(analysis: PortfolioAnalysis) -> str:
    """The name of the client ranked first."""
    return analysis.clients[0].name
