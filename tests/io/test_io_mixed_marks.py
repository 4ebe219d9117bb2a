"""A column that mixes decimal marks (decision 0953): a text that reads only with the
other mark is read as written; a text that reads both ways follows the column."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from io_text import import_text

from cartera.errors import InputError
from cartera.io import ReadOptions, import_files

HEAD = "Fecha;Factura;Cliente;Importe\n"


def _amounts(tmp_path: Path, options: ReadOptions, *amounts: str) -> tuple[list[float], str]:
    rows = "".join(f"0{i + 1}/03/2024;F{i};Acme;{a}\n" for i, a in enumerate(amounts))
    docs, text = import_text(tmp_path, options, HEAD + rows)
    return docs["amount"].to_list(), text


@pytest.mark.parametrize(
    ("amounts", "expected"),
    [
        # comma majority (2 votes to 1): the dot texts that read only one way, read so
        (("818,09", "2.336,85", "1916.50"), [818.09, 2336.85, 1916.5]),
        (("818,09", "2.336,85", "1,573.63"), [818.09, 2336.85, 1573.63]),
        # dot majority: the comma text is read as written
        (("818.09", "2,336.85", "561,16"), [818.09, 2336.85, 561.16]),
        # a text reading both ways (1.500) follows the majority, not its own guess
        (("818,09", "2.336,85", "1916.50", "1.500"), [818.09, 2336.85, 1916.5, 1500.0]),
        # a tie is read with a decimal comma, the other text as written
        (("818,09", "1916.50"), [818.09, 1916.5]),
    ],
)
def test_the_minority_mark_is_read_as_written(
    tmp_path: Path, options: ReadOptions, amounts: tuple[str, ...], expected: list[float]
) -> None:
    got, text = _amounts(tmp_path, options, *amounts)
    assert got == pytest.approx(expected)
    assert "written with the other decimal mark" in text


def test_the_note_counts_and_shows_three_texts_sorted(tmp_path: Path, options: ReadOptions) -> None:
    amounts = ("1.000,00", "2.000,00", "3.000,00", "4.000,00", "5.5", "4.25", "3.5", "1.75")
    _got, text = _amounts(tmp_path, options, *amounts)
    flat = " ".join(text.split())
    assert (
        "column «Importe»: 4 amounts written with the other decimal mark than the column's "
        "(1.234,56), such as «1.75», «3.5», «4.25», were read as written" in flat
    )


def test_one_mark_only_no_note_and_unreadable_texts_still_refused(
    tmp_path: Path, options: ReadOptions
) -> None:
    got, text = _amounts(tmp_path, options, "818,09", "2.336,85")
    assert got == pytest.approx([818.09, 2336.85]) and "other decimal mark" not in text
    with pytest.raises(InputError) as err:
        _amounts(tmp_path, options, "818,09", "2.336,85", "1916.50", "12.5.3")
    assert [p.value for p in err.value.problems] == ["12.5.3"]


def test_the_decimal_option_allows_one_mark(tmp_path: Path, options: ReadOptions) -> None:
    fixed = options.model_copy(update={"decimal": "dot"})
    with pytest.raises(InputError) as err:
        _amounts(tmp_path, fixed, "818.09", "2,336.85", "561,16")
    assert [p.value for p in err.value.problems] == ["561,16"]


def test_text_amounts_in_a_numeric_workbook_column(tmp_path: Path, options: ReadOptions) -> None:
    import xlsxwriter

    path = tmp_path / "libro.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Fecha", "Factura", "Cliente", "Importe"])
    rows = [(1, 1200.5), (2, "1.474,76 €"), (3, 310.25), (4, "EUR 515,51"), (5, 99.9)]
    for i, (n, amount) in enumerate(rows, start=1):
        sheet.write_row(i, 0, [f"0{n}/03/2024", f"F{n}", "Acme", amount])
    book.close()
    summary = import_files(documents=path, into=tmp_path / "ws", options=options)
    docs = summary.workspace.read("documents").sort("source_row")
    assert docs["amount"].to_list() == pytest.approx([1200.5, 1474.76, 310.25, 515.51, 99.9])
    assert docs.select(pl.col("amount").sum()).item() == pytest.approx(3600.92)


def test_an_unreadable_text_is_not_counted_as_the_other_mark(
    tmp_path: Path, options: ReadOptions
) -> None:
    # «12,5,0» reads with neither mark: a bad row (skipped here), never one of the texts
    # read with the other mark.
    skip = options.model_copy(update={"skip_bad_rows": True})
    got, text = _amounts(tmp_path, skip, "1.000,00", "2.000,00", "5.5", "12,5,0")
    assert got == pytest.approx([1000.0, 2000.0, 5.5])
    flat = " ".join(text.split())
    assert "1 amounts written with the other decimal mark" in flat
    assert "«12,5,0»" not in flat
