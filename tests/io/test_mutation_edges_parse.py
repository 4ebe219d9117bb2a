"""Edges of the typing of date and number columns that mutation testing found unguarded
(issue #11).

A date of today is not in the future, the year 1900 is plausible and 1899 is not (with its
own message); a number column of more distinct texts than are looked up is cast in place
unless a text needs cleaning, keeps its readable values beside an unreadable one, and
reports the unreadable one. Each runs through the fast path and through its general twin
(the fast path returning None, so the parsed distinct values are joined back).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from io_paths import TODAY

from cartera.errors import InputError
from cartera.io import ReadOptions, import_files, inspect_file, parse, read_table

#: More distinct amounts than the lookup takes (:data:`parse._LOOKUP_UP_TO`): cast in place.
_MANY = [str(i) for i in range(1, parse._LOOKUP_UP_TO + 2)]


@pytest.fixture(params=["direct", "joined"])
def path_kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The fast paths as they are, or both returning None (the general join)."""
    if request.param == "joined":
        monkeypatch.setattr(parse, "_direct_date", lambda *_a: None)
        monkeypatch.setattr(parse, "_direct_number", lambda *_a: None)
    yield request.param


def _write(folder: Path, dates: list[str], amounts: list[str]) -> Path:
    lines = ["Invoice number,Date,Customer,Amount"]
    lines += [
        f'{i},{date},Acme,"{amount}"'
        for i, (date, amount) in enumerate(zip(dates, amounts, strict=True), 1)
    ]
    path = folder / "docs.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _problems(path: Path, options: ReadOptions) -> set[tuple[int | None, str | None, str]]:
    with pytest.raises(InputError) as err:
        import_files([path], into=path.parent / "ws", options=options)
    return {(p.row, p.value, p.code) for p in err.value.problems}


def test_a_date_of_today_is_not_in_the_future(
    tmp_path: Path, options: ReadOptions, path_kind: str
) -> None:
    dates = ["2024-02-15", TODAY.isoformat()]
    table = read_table(_write(tmp_path, dates, ["1", "2"]), options=options)
    assert table.sort("source_row")["date"].to_list() == [dt.date(2024, 2, 15), TODAY]
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    path = _write(tmp_path, ["2024-02-15", tomorrow], ["1", "2"])
    assert _problems(path, options) == {(3, tomorrow, "future_date")}


def test_the_year_1900_is_plausible(tmp_path: Path, options: ReadOptions, path_kind: str) -> None:
    table = read_table(_write(tmp_path, ["1900-01-01", "2024-02-15"], ["1", "2"]), options=options)
    assert table.sort("source_row")["date"].to_list() == [
        dt.date(1900, 1, 1),
        dt.date(2024, 2, 15),
    ]


def test_the_year_1899_is_implausible(tmp_path: Path, options: ReadOptions, path_kind: str) -> None:
    path = _write(tmp_path, ["1899-12-31", "2024-02-15"], ["1", "2"])
    with pytest.raises(InputError) as err:
        import_files([path], into=tmp_path / "ws", options=options)
    [problem] = err.value.problems
    assert (problem.row, problem.value, problem.code) == (2, "1899-12-31", "implausible_date")
    assert problem.message == "the year is implausible; expected a date after 1900"


def test_many_distinct_amounts_with_one_to_clean(
    tmp_path: Path, options: ReadOptions, path_kind: str
) -> None:
    # No dot and no comma, but "$1000" needs cleaning: a cast would not read it.
    amounts = [*_MANY, "$1000"]
    path = _write(tmp_path, ["2024-02-15"] * len(amounts), amounts)
    table = read_table(path, options=options)
    assert table.sort("source_row")["amount"].to_list() == [*map(float, _MANY), 1000.0]


def test_many_distinct_amounts_report_the_unreadable_one(
    tmp_path: Path, options: ReadOptions, path_kind: str
) -> None:
    amounts = [*_MANY, "abc"]
    path = _write(tmp_path, ["2024-02-15"] * len(amounts), amounts)
    assert _problems(path, options) == {(len(amounts) + 1, "abc", "bad_number")}


def test_many_distinct_amounts_keep_the_readable_beside_an_unreadable(
    tmp_path: Path, options: ReadOptions, path_kind: str
) -> None:
    # "NaN" casts to a float but is no amount: it stays empty, the others keep their value.
    amounts = ["NaN", *_MANY]
    path = _write(tmp_path, ["2024-02-15"] * len(amounts), amounts)
    [column] = [c for c in inspect_file(path, options=options).columns if c.header == "Amount"]
    assert column.parsed == ["1", "2"]


@pytest.mark.parametrize(
    "dates",
    [["05/03/2024", "17/03/2024"], ["03/05/2024", "03/17/2024"], ["2024-03-05", "2024-03-17"]],
    ids=["dmy", "mdy", "iso"],
)
def test_a_usual_date_column_takes_the_fast_path(
    tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch, dates: list[str]
) -> None:
    """One shape per column is read in place by ``strptime`` (the general join is its twin:
    the same dates, so only the path taken tells them apart)."""
    taken: list[bool] = []
    real = parse._direct_date

    def spy(*args):  # type: ignore[no-untyped-def]
        out = real(*args)
        taken.append(out is not None)
        return out

    monkeypatch.setattr(parse, "_direct_date", spy)
    docs = import_files(
        [_write(tmp_path, dates, ["10.00", "20.00"])], into=tmp_path / "ws", options=options
    ).workspace.read("documents")
    assert taken and all(taken)
    assert sorted(docs["date"].to_list()) == [dt.date(2024, 3, 5), dt.date(2024, 3, 17)]


def _dated(
    folder: Path, header: str, rows: list[str], options: ReadOptions, column: str, label: str
) -> list[dt.date]:
    """``column``'s dates, once the convention the manifest shows for it is ``label``."""
    path = folder / "docs.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    summary = import_files([path], into=folder / "ws", options=options)
    (entry,) = summary.workspace.manifest["tables"]["documents"]["files"]
    assert entry["conventions"][column] == label
    role = "due_date" if column == "Due date" else "date"
    return sorted(summary.workspace.read("documents")[role].to_list())


#: An ambiguous date column (``03/05``, ``04/02``) and what decides its order: the file's
#: other date column (month first: 13 is no month), a header's hint, a Spanish file.
_AMBIGUOUS_DATES = {
    "file": ("Invoice number,Date,Due date,Customer,Amount",
             ["1,01/13/2024,03/05/{y},Acme,10.50", "2,01/14/2024,04/02/{y},Acme,20.25"],
             "Due date", "mm/dd/", [dt.date(2024, 3, 5), dt.date(2024, 4, 2)]),
    "hint": ("Invoice number,Date (dd/mm/yyyy),Customer,Amount",
             ["1,05/03/{y},Acme,10.50", "2,04/02/{y},Acme,20.25"],
             "Date (dd/mm/yyyy)", "dd/mm/", [dt.date(2024, 2, 4), dt.date(2024, 3, 5)]),
    "spanish": ("Nº factura;Fecha;Cliente;Importe",
                ["1;05/03/{y};Acme;10.50", "2;04/02/{y};Acme;20.25"],
                "Fecha", "dd/mm/", [dt.date(2024, 2, 4), dt.date(2024, 3, 5)]),
}  # fmt: skip


@pytest.mark.parametrize("years", ["2024", "24"])
@pytest.mark.parametrize("decided_by", list(_AMBIGUOUS_DATES))
def test_an_ambiguous_date_column_takes_the_order_the_file_gives(
    tmp_path: Path, options: ReadOptions, decided_by: str, years: str
) -> None:
    header, rows, column, order, expected = _AMBIGUOUS_DATES[decided_by]
    label = order + ("yyyy" if years == "2024" else "yy")
    got = _dated(tmp_path, header, [r.format(y=years) for r in rows], options, column, label)
    assert got == expected


def test_an_ambiguous_date_column_is_refused_with_its_examples(
    tmp_path: Path, options: ReadOptions
) -> None:
    from cartera.errors import AmbiguousFormatError
    from cartera.i18n import language

    path = tmp_path / "docs.csv"
    path.write_text(
        "Invoice number,Date,Customer,Amount\n1,05/03/2024,Acme,10.50\n2,04/02/2024,Acme,20.25\n",
        encoding="utf-8",
    )
    with pytest.raises(AmbiguousFormatError) as err, language("en"):
        import_files([path], into=tmp_path / "ws", options=options)
    with language("en"):
        text = err.value.render()
    assert text.splitlines() == [
        "docs.csv: cartera cannot tell the date order of some columns. Run again with "
        "--date-format %d/%m/%Y (day first) or --date-format %m/%d/%Y (month first).",
        # the examples sorted
        "  - docs.csv, column «Date»: «04/02/2024», «05/03/2024» can be read day-first or "
        "month-first",
    ]
    (problem,) = err.value.problems
    assert (problem.file, problem.column, problem.code) == ("docs.csv", "Date", "ambiguous_date")


def _many_amounts(folder: Path, amounts: list[str], options: ReadOptions) -> list[float]:
    path = _write(folder, ["2024-03-05"] * len(amounts), amounts)
    docs = import_files([path], into=folder / "ws", options=options).workspace.read("documents")
    return docs.sort("doc_number")["amount"].to_list()


def test_many_distinct_amounts_that_all_need_cleaning(
    tmp_path: Path, options: ReadOptions, path_kind: str
) -> None:
    """More distinct texts than are looked up, every one with a currency sign and no mark:
    none can be cast in place."""
    amounts = [f"${i}" for i in range(1, parse._LOOKUP_UP_TO + 45)]
    got = _many_amounts(tmp_path, amounts, options)
    assert sorted(got) == [float(i) for i in range(1, parse._LOOKUP_UP_TO + 45)]


def test_many_distinct_amounts_with_a_thousands_dot(
    tmp_path: Path, options: ReadOptions, path_kind: str
) -> None:
    """Decimal comma, thousands dot and no cents: ``1.001`` is a thousand and one, which a
    cast in place would read as 1.001."""
    amounts = [f"1.{i:03d}" for i in range(1, parse._LOOKUP_UP_TO + 45)]
    opts = options.model_copy(update={"decimal": "comma"})
    got = _many_amounts(tmp_path, amounts, opts)
    assert sorted(got) == [1000.0 + i for i in range(1, parse._LOOKUP_UP_TO + 45)]


def test_an_ambiguous_amount_column_follows_the_files_other_number_column(
    tmp_path: Path, options: ReadOptions
) -> None:
    """«Cost» holds only «1.234»-like texts (a thousands dot or a decimal point); «Amount»
    can only be read with a decimal comma, so the file's mark is the comma."""
    path = tmp_path / "docs.csv"
    path.write_text(
        "Invoice number,Date,Customer,Amount,Cost\n"
        '1,2024-03-05,Acme,"2.468,50","1.234"\n'
        '2,2024-03-06,Acme,"3.702,75","2.345"\n',
        encoding="utf-8",
    )
    docs = import_files([path], into=tmp_path / "ws", options=options).workspace.read("documents")
    assert sorted(docs["cost"].to_list()) == [1234.0, 2345.0]


def test_a_column_of_whole_numbers_takes_the_files_decimal_mark(
    tmp_path: Path, options: ReadOptions
) -> None:
    """Whole numbers read alike either way; the manifest shows the file's mark for them."""
    path = tmp_path / "docs.csv"
    path.write_text(
        "Invoice number,Date,Customer,Units,Amount\n"
        '1,2024-03-05,Acme,3,"2.468,50"\n'
        '2,2024-03-06,Acme,12,"3.702,75"\n',
        encoding="utf-8",
    )
    summary = import_files([path], into=tmp_path / "ws", options=options)
    (entry,) = summary.workspace.manifest["tables"]["documents"]["files"]
    assert entry["conventions"]["Units"] == "1.234,56"
    assert sorted(summary.workspace.read("documents")["units"].to_list()) == [3.0, 12.0]


def test_a_semicolon_file_reads_an_ambiguous_amount_column_with_a_decimal_comma(
    tmp_path: Path, options: ReadOptions
) -> None:
    path = tmp_path / "docs.csv"
    path.write_text(
        "Invoice number;Date;Customer;Amount\n1;2024-03-05;Acme;1.234\n2;2024-03-06;Acme;2.345\n",
        encoding="utf-8",
    )
    docs = import_files([path], into=tmp_path / "ws", options=options).workspace.read("documents")
    assert sorted(docs["amount"].to_list()) == [1234.0, 2345.0]


def test_an_ambiguous_amount_column_is_refused_with_its_examples(
    tmp_path: Path, options: ReadOptions
) -> None:
    from cartera.errors import AmbiguousFormatError
    from cartera.i18n import language

    path = tmp_path / "docs.csv"
    path.write_text(
        "Invoice number,Date,Customer,Amount\n"
        '1,2024-03-05,Acme,"2.345"\n2,2024-03-06,Acme,"1.234"\n',
        encoding="utf-8",
    )
    with pytest.raises(AmbiguousFormatError) as err, language("en"):
        import_files([path], into=tmp_path / "ws", options=options)
    with language("en"):
        text = err.value.render()
    assert text.splitlines() == [
        "docs.csv: cartera cannot tell the decimal mark of some columns. Run again with "
        "--decimal comma or --decimal dot.",
        "  - docs.csv, column «Amount»: «1.234», «2.345» can be read with a decimal comma or a "
        "decimal point",
    ]
    (problem,) = err.value.problems
    assert (problem.file, problem.column, problem.code) == (
        "docs.csv",
        "Amount",
        "ambiguous_decimal",
    )
    assert problem.params == {"examples": "1.234», «2.345"}


def test_a_one_column_file_whose_column_is_used(tmp_path: Path, options: ReadOptions) -> None:
    # Every column is used and there is only one: the blank-row check reads that column.
    (tmp_path / "f.csv").write_text(
        "Fecha;Factura;Cliente;Importe\n01/03/2024;F1;Acme;10,00\n", encoding="utf-8"
    )
    import xlsxwriter  # a CSV of one column is refused: a workbook has no separator

    book = xlsxwriter.Workbook(str(tmp_path / "c.xlsx"))
    sheet = book.add_worksheet()
    for r, cell in enumerate(["Cliente", "Acme", None, "Beta"]):
        if cell:
            sheet.write(r, 0, cell)
    book.close()
    summary = import_files(
        documents=tmp_path / "f.csv",
        clients=tmp_path / "c.xlsx",
        into=tmp_path / "ws",
        options=options,
    )
    assert sorted(summary.workspace.read("clients")["name"].to_list()) == ["Acme", "Beta"]
