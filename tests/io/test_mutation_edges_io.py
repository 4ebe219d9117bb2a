"""Edges of the io rules that mutation testing found unguarded (issue #11).

Each test sits at one rule's edge: a decimal comma read from the numbers' own votes (all of
them or a majority) makes ambiguous dates day-first, a decimal mark given as an option does
not; a duplicate client is reported in words; a sort out of core where the scratch path
holds a quote; a number column joined back by hash with empty cells; a number's first use
found by file and row whatever order the lines come in.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import polars as pl
import pytest
from io_paths import DIALECTS
from polars.testing import assert_frame_equal

from cartera.errors import AmbiguousFormatError, InputError
from cartera.i18n import language
from cartera.io import ReadOptions, import_files
from cartera.io.assemble import DUPLICATE_IN_FILE, duplicate_issues
from cartera.io.importer import OUT_OF_CORE_ENV
from cartera.schema import TABLES

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
    # Two values read only with a comma, one only with a point: the comma wins ("mixed"),
    # the point's value is read as written (decision 0953) and the dates are day-first.
    path = _write(tmp_path, "mixed.csv", ("100,50", "200,25", "300.75"))
    docs = import_files([path], into=tmp_path / "ws", options=options).workspace.read("documents")
    got = docs.sort("source_row")
    assert [d.month for d in got["date"]] == [2, 4, 6]
    assert got["amount"].to_list() == [100.5, 200.25, 300.75]


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


_DOCS_HEAD = "Nº factura;Fecha;Código cliente;Base imponible;Total\n"
_PAYS_HEAD = "Nº factura;Fecha cobro;Cantidad cobrada\n"


def _paid(tmp_path: Path, options: ReadOptions, docs: str, pays: str) -> dict[str, tuple]:
    """``doc_number → (paid_amount, paid_date)`` of the documents imported with payments."""
    (tmp_path / "f.csv").write_text(_DOCS_HEAD + docs, encoding="utf-8")
    (tmp_path / "c.csv").write_text(_PAYS_HEAD + pays, encoding="utf-8")
    summary = import_files(
        documents=tmp_path / "f.csv", payments=tmp_path / "c.csv", into=tmp_path / "ws",
        options=options,
    )  # fmt: skip
    got = summary.workspace.read("documents")
    return {r["doc_number"]: (r["paid_amount"], r["paid_date"]) for r in got.iter_rows(named=True)}


def test_payments_listed_out_of_date_order_settle_on_the_later_date(
    tmp_path: Path, options: ReadOptions
) -> None:
    # The March payment comes first in the file: the invoice is paid when both are in.
    paid = _paid(tmp_path, options, "F1;01/01/2024;C1;100;100\n",
                 "F1;01/03/2024;50\nF1;01/01/2024;50\n")  # fmt: skip
    assert paid == {"F1": (100.0, dt.date(2024, 3, 1))}


def test_a_payment_within_a_millionth_of_the_tolerance_settles_after_a_long_running_sum(
    tmp_path: Path, options: ReadOptions
) -> None:
    # Payments add up in one running sum over the file, sorted by document: F0's four
    # billion come first (F0 sorts before F1). F1's 50 + 49 are exactly the 99 % that settle
    # its 100, but after four billion the running sum gives 98.99999952: read to a
    # millionth, it is 99 and the invoice is paid in March.
    docs = "F0;01/01/2024;C1;4294967197,14;4294967197,14\nF1;01/01/2024;C1;100;100\n"
    pays = "F0;01/01/2024;4294967197,14\nF1;01/02/2024;50\nF1;01/03/2024;49\n"
    paid = _paid(tmp_path, options, docs, pays)
    assert paid["F1"] == (99.0, dt.date(2024, 3, 1))


#: Payments of the scattered documents: (invoice, day of March 2024, amount).
_PAYMENTS = (("1004", "25", "1000.00"), ("1002", "01", "200.00"), ("1004", "20", "1000.00"),
             ("1001", "22", "1250.00"))  # fmt: skip


def test_scattered_documents_out_of_core_with_payments_customers_and_activities(
    tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    # INV-1001's second line comes after the other invoices: the documents are not one run
    # each, so the out-of-core import builds them whole, beside the other three tables.
    invoices = tmp_path / "invoices.csv"
    invoices.write_text(
        (DIALECTS / "english_invoices.csv").read_text(encoding="utf-8")
        + "INV-1001,CUST-01,Acme Ltd,15/01/2024,14/02/2024,Invoice,1,100.00,50.00,\n",
        encoding="utf-8",
    )
    payments = tmp_path / "payments.csv"  # not in (invoice, date) order; 1001 partly paid
    payments.write_text(
        "Invoice number,Payment date,Amount paid\n"
        + "".join(f"INV-{n},2024-03-{d},{a}\n" for n, d, a in _PAYMENTS),
        encoding="utf-8",
    )
    # Only the customers file names Umbrella Corp., and calls Acme by its full name.
    customers = tmp_path / "customers.csv"
    listed = (DIALECTS / "customers.csv").read_text(encoding="utf-8")
    customers.write_text(
        listed.replace("Acme Ltd,", "Acme Limited,")
        + "CUST-09,Umbrella Corp.,GB999999999,Pharma,Kent,No,,,,30\n",
        encoding="utf-8",
    )
    tables: dict[str | None, dict[str, pl.DataFrame]] = {}
    for bound in (None, "0"):
        if bound is None:
            monkeypatch.delenv(OUT_OF_CORE_ENV, raising=False)
        else:
            monkeypatch.setenv(OUT_OF_CORE_ENV, bound)
        ws = import_files(
            documents=invoices, payments=payments, clients=customers,
            activities=DIALECTS / "activities.csv", into=tmp_path / f"ws{bound}", options=options,
        ).workspace  # fmt: skip
        tables[bound] = {name: ws.read(name) for name in TABLES}
    for name in TABLES:
        assert_frame_equal(tables[None][name], tables["0"][name], check_exact=True)
    got = tables["0"]
    assert got["payments"].select("doc_number", "date").rows() == [
        ("INV-1001", dt.date(2024, 3, 22)), ("INV-1002", dt.date(2024, 3, 1)),
        ("INV-1004", dt.date(2024, 3, 20)), ("INV-1004", dt.date(2024, 3, 25)),
    ]  # fmt: skip
    names = dict(got["clients"].select("client_id", "name").rows())
    assert names["CUST-01"] == "Acme Limited" and names["CUST-09"] == "Umbrella Corp."
    assert got["activities"].height == 3
    paid = got["documents"].filter(pl.col("doc_number") == "INV-1001")["paid_date"]
    assert paid.to_list() == [None, None]  # 1,250 of 1,350: not settled


def test_a_made_up_number_taken_by_another_file_names_no_column(
    tmp_path: Path, options: ReadOptions
) -> None:
    # Without a number column, C1's line of 15/01/2024 is document "#2024-01-15 C1", a number
    # the first file gives C2: the second file's row is the duplicate, in no column.
    numbered = tmp_path / "numbered.csv"
    numbered.write_text(
        "Invoice number,Customer ID,Invoice date,Amount\n"
        "#2024-01-15 C1,C2,15/01/2024,100.00\nINV-2,C2,16/01/2024,50.00\n",
        encoding="utf-8",
    )
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(
        "Customer ID,Invoice date,Amount\nC1,15/01/2024,30.00\nC3,17/01/2024,20.00\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        import_files(documents=[numbered, tickets], into=tmp_path / "ws", options=options)
    assert [(p.file, p.row, p.column, p.value, p.code) for p in err.value.problems] == [
        ("tickets.csv", 2, None, "#2024-01-15 C1", "duplicate_document")
    ]


def test_the_clients_table_keys_every_client_and_fills_tax_ids_from_the_documents(
    tmp_path: Path, options: ReadOptions
) -> None:
    (tmp_path / "f.csv").write_text(
        "Nº factura;Fecha;Código cliente;Cliente;NIF;Base imponible\n"
        "F1;01/01/2024;C1;Alfa SL;B111;100\n"
        "F2;02/01/2024;C2;Beta SA;A222;50\n",
        encoding="utf-8",
    )
    (tmp_path / "cl.csv").write_text(
        "Código cliente;Nombre;NIF\nC1;Alfa SL;B999\nC2;Beta SA;\n", encoding="utf-8"
    )
    columns = ("client_id", "client_key", "name", "tax_id")
    alone = import_files(documents=tmp_path / "f.csv", into=tmp_path / "a", options=options)
    # Without a clients file: every client keyed, its name and tax id from its documents.
    assert alone.workspace.read("clients").select(columns).rows() == [
        ("C1", 0, "Alfa SL", "B111"),
        ("C2", 1, "Beta SA", "A222"),
    ]
    listed = import_files(
        documents=tmp_path / "f.csv", clients=tmp_path / "cl.csv", into=tmp_path / "b",
        options=options,
    )  # fmt: skip
    # The clients file's tax id first; the documents' where the file leaves it empty.
    assert listed.workspace.read("clients").select(columns).rows() == [
        ("C1", 0, "Alfa SL", "B999"),
        ("C2", 1, "Beta SA", "A222"),
    ]


def _duplicates_of(
    files: list[int], rows: list[int], clients: list[int], numbers: list[str]
) -> pl.DataFrame:
    """duplicate_issues of document lines of one day (clients 10 and 20 are two clients)."""
    docs = pl.DataFrame(
        {"__file": files, "__row": rows, "__ck": clients,
         "date": [dt.date(2024, 1, 15)] * len(rows), "doc_number": numbers},
        schema={"__file": pl.Int64, "__row": pl.Int64, "__ck": pl.UInt64, "date": pl.Date,
                "doc_number": pl.String},
    )  # fmt: skip
    ids = pl.DataFrame(
        {"__ck": [10, 20], "__lid": [1, 2]}, schema={"__ck": pl.UInt64, "__lid": pl.UInt64}
    )
    return duplicate_issues(docs, ids, {0: "Nº factura", 1: "Invoice number"})


def test_a_numbers_first_use_is_the_lowest_file_and_row_whatever_the_order_of_the_lines() -> None:
    # F1's lines come as row 5, row 3 of the first file, then row 2 of the second. The first
    # use is the first file's row 3 (client 10): its row 5 (client 20) is the duplicate, the
    # second file's row 2 (client 10, same day) is not, though its row number is lower.
    got = _duplicates_of([0, 0, 1, 1], [5, 3, 2, 4], [20, 10, 10, 10], ["F1", "F1", "F1", "F2"])
    message = "this document number is already used on row {other} with another client or date"
    assert got.rows() == [(0, 5, "Nº factura", "F1", message, '{"other": 3}')]


def test_a_duplicate_first_used_in_another_file_carries_that_files_index() -> None:
    got = _duplicates_of([0, 1, 1], [7, 2, 3], [10, 20, 20], ["F1", "F1", "F1"])
    assert got.rows() == [
        (1, 2, "Invoice number", "F1", DUPLICATE_IN_FILE, '{"other": 7, "other_file": 0}'),
        (1, 3, "Invoice number", "F1", DUPLICATE_IN_FILE, '{"other": 7, "other_file": 0}'),
    ]


@pytest.mark.parametrize(
    ("docs", "runs"),
    [
        ([7, 7, 9, 9, 9, 4], [0, 0, 1, 1, 1, 2]),  # each document one run: the fast path
        ([7], [0]),
        ([7, 9, 7], None),  # a document in two runs: the general twin
        ([7, 9, 4, 9], None),
        ([], None),
    ],
)
def test_runs_only_when_each_document_is_one_run(docs: list[int], runs: list[int] | None) -> None:
    """``_runs`` numbers the runs of equal ``__doc`` when there are exactly as many runs as
    documents: one more or one fewer, and the fast path would be taken or left wrongly."""
    from cartera.io.assemble import _runs

    found = _runs(pl.DataFrame({"__doc": docs}, schema={"__doc": pl.UInt64}))
    assert (found.to_list() if found is not None else None) == runs
