"""Edges of the io rules that mutation testing found unguarded (issue #11).

Each test sits at one rule's edge: a decimal comma read from the numbers' own votes (all of
them or a majority) makes ambiguous dates day-first, a decimal mark given as an option does
not; a duplicate client is reported in words; a sort out of core where the scratch path
holds a quote; a number column joined back by hash with empty cells.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from cartera.errors import AmbiguousFormatError, InputError
from cartera.i18n import language
from cartera.io import ReadOptions, import_files
from cartera.io.importer import OUT_OF_CORE_ENV

#: Every date reads both ways (day and month at most 12).
_DATES = ("01/02/2024", "03/04/2024", "05/06/2024")


def _write(folder: Path, name: str, amounts: tuple[str, ...]) -> Path:
    lines = ["Invoice number,Date,Customer,Amount"]
    lines += [
        f'{i},{date},Acme,"{amount}"'
        for i, (date, amount) in enumerate(zip(_DATES, amounts, strict=True), 1)
    ]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_comma_votes_make_ambiguous_dates_day_first(tmp_path: Path, options: ReadOptions) -> None:
    path = _write(tmp_path, "comma.csv", ("100,50", "200,25", "300,75"))
    docs = import_files([path], into=tmp_path / "ws", options=options).workspace.read("documents")
    got = docs.sort("source_row")
    assert [d.month for d in got["date"]] == [2, 4, 6]
    assert got["amount"].to_list() == [100.5, 200.25, 300.75]


def test_mixed_votes_with_a_comma_majority_make_dates_day_first(
    tmp_path: Path, options: ReadOptions
) -> None:
    # Two values read only with a comma, one only with a point: the comma wins ("mixed")
    # and the point's value is unreadable; the dates are not what is asked about.
    path = _write(tmp_path, "mixed.csv", ("100,50", "200,25", "300.75"))
    with pytest.raises(InputError) as err:
        import_files([path], into=tmp_path / "ws", options=options)
    assert not isinstance(err.value, AmbiguousFormatError)
    assert {(p.row, p.value, p.code) for p in err.value.problems} == {(4, "300.75", "bad_number")}


def test_a_decimal_option_does_not_decide_the_date_order(
    tmp_path: Path, options: ReadOptions
) -> None:
    path = _write(tmp_path, "option.csv", ("100,50", "200,25", "300,75"))
    given = options.model_copy(update={"decimal": "comma"})
    with pytest.raises(AmbiguousFormatError) as err:
        import_files([path], into=tmp_path / "ws", options=given)
    assert {p.code for p in err.value.problems} == {"ambiguous_date"}


def test_a_client_listed_twice_is_reported_in_words(tmp_path: Path, options: ReadOptions) -> None:
    docs = tmp_path / "invoices.csv"
    docs.write_text(
        "Invoice number,Customer ID,Customer,Invoice date,Amount\n"
        "INV-1,CUST-01,Acme Ltd,15/01/2024,100.50\n",
        encoding="utf-8",
    )
    clients = tmp_path / "customers.csv"
    clients.write_text(
        "Customer ID,Company name,VAT number\n"
        "CUST-01,Acme Ltd,GB123456789\n"
        "CUST-02,Globex LLC,US987654321\n"
        "CUST-01,Acme Ltd,GB123456789\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        import_files([docs], into=tmp_path / "ws", options=options, clients=clients)
    dup = [p for p in err.value.problems if p.row == 4]
    assert [(p.file, p.column, p.message) for p in dup] == [
        (
            "customers.csv",
            "Customer ID / VAT number / Company name",
            "this client is already listed on row {other}",
        )
    ]
    with language("en"):
        text = err.value.render()
    assert "this client is already listed on row 2" in text


def test_out_of_core_sort_where_the_scratch_path_holds_a_quote(
    tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "o'brien"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv(OUT_OF_CORE_ENV, "0")
    path = _write(tmp_path, "comma.csv", ("100,50", "200,25", "300,75"))
    summary = import_files([path], into=tmp_path / "ws", options=options)
    docs = summary.workspace.read("documents").sort("source_row")
    assert docs["amount"].to_list() == [100.5, 200.25, 300.75]
    assert list(scratch.iterdir()) == []


def test_many_distinct_costs_with_empty_cells_keep_their_rows(
    tmp_path: Path, options: ReadOptions
) -> None:
    # More distinct texts than a lookup takes, each with a thousands comma: the values are
    # joined back by hash; the empty cells stay empty and every row keeps its own value.
    n = 300
    lines = ["Invoice number,Customer,Invoice date,Amount,Cost"]
    for i in range(n):
        cost = "" if i % 7 == 3 else f'"1,{i:03d}.25"'
        lines.append(f"INV-{i},Acme,15/01/2024,100.50,{cost}")
    path = tmp_path / "costs.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = import_files([path], into=tmp_path / "ws", options=options).workspace.read("documents")
    got = docs.sort("source_row")["cost"].to_list()
    assert got == [None if i % 7 == 3 else 1000 + i + 0.25 for i in range(n)]
