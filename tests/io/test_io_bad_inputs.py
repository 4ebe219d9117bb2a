"""Every class of bad input gets a clear error naming file, row, column and value."""

from __future__ import annotations

from pathlib import Path

import pytest
from io_paths import BAD, DEMO

from cartera.errors import AmbiguousFormatError, InputError
from cartera.i18n import language
from cartera.io import ReadOptions, import_files


def _refused(tmp_path: Path, options: ReadOptions, *files: Path, **tables: Path) -> InputError:
    with pytest.raises(InputError) as err:
        import_files(files, into=tmp_path / "ws", options=options, **tables)
    assert not (tmp_path / "ws").exists(), "a refused import writes nothing"
    return err.value


def test_bad_rows_are_all_listed_with_location(tmp_path: Path, options: ReadOptions) -> None:
    err = _refused(tmp_path, options, BAD / "bad_rows.csv")
    got = {(p.row, p.column, p.value, p.code) for p in err.problems}
    assert got == {
        (3, "Fecha", "31/02/2024", "impossible_date"),
        (4, "Base imponible", "doce euros", "bad_number"),
        (5, "Código cliente / Cliente", None, "missing_client"),
        (6, "Fecha", "01/01/2099", "future_date"),
        (7, "Base imponible", None, "missing_value"),
        (8, "Fecha", "ayer", "bad_date"),
    }
    assert all(p.file == "bad_rows.csv" for p in err.problems)
    assert err.exit_code == 1


def test_messages_in_spanish_and_english(tmp_path: Path, options: ReadOptions) -> None:
    err = _refused(tmp_path, options, BAD / "bad_rows.csv")
    with language("es"):
        es = err.render()
    with language("en"):
        en = err.render()
    assert "fila 3, columna «Fecha», valor «31/02/2024»: esta fecha no existe" in es
    assert "row 3, column «Fecha», value «31/02/2024»: this date does not exist" in en
    assert "--skip-bad-rows" in es and "--skip-bad-rows" in en


def test_skip_bad_rows_writes_rejects(tmp_path: Path, options: ReadOptions) -> None:
    skip = options.model_copy(update={"skip_bad_rows": True})
    summary = import_files([BAD / "bad_rows.csv"], into=tmp_path / "ws", options=skip)
    docs = summary.tables["documents"]
    assert (docs.rows_read, docs.rows_accepted, docs.rows_rejected) == (7, 1, 6)
    rejects = (tmp_path / "ws" / "rejects" / "bad_rows.documents.rejects.csv").read_text(
        encoding="utf-8-sig"
    )
    lines = rejects.splitlines()
    assert lines[0].split(";")[2:] == [
        "Nº factura",
        "Fecha",
        "Código cliente",
        "Cliente",
        "Base imponible",
    ]
    assert len(lines) == 7
    assert lines[1].startswith("3;") and "31/02/2024" in lines[1]
    assert summary.workspace.manifest["tables"]["documents"]["rows_rejected"] == 6
    assert "rejects" in summary.render()


def test_duplicate_document_numbers(tmp_path: Path, options: ReadOptions) -> None:
    err = _refused(tmp_path, options, BAD / "duplicates.csv")
    assert [(p.row, p.value, p.params["other"]) for p in err.problems] == [
        (5, "F2", 4),
        (7, "F3", 6),
    ]
    assert {p.column for p in err.problems} == {"Nº factura"}


def test_a_duplicate_whose_first_use_is_in_another_file_names_that_file(
    tmp_path: Path, options: ReadOptions
) -> None:
    header = "Nº factura;Fecha;Código cliente;Cliente;Base imponible\n"
    first, second = tmp_path / "enero.csv", tmp_path / "febrero.csv"
    first.write_text(header + "F1;15/01/2024;C1;Acme;100,00\nF2;16/01/2024;C1;Acme;5,00\n")
    # F1 again with another client (first used in enero.csv, row 2); F2 twice in this file.
    second.write_text(
        header + "F2;16/01/2024;C1;Acme;5,00\nF1;15/01/2024;C2;Globex;300,00\n"
        "F3;17/01/2024;C2;Globex;10,00\nF3;18/01/2024;C2;Globex;10,00\n"
    )
    err = _refused(tmp_path, options, first, second)
    got = [(p.file, p.row, p.value, p.code, p.params) for p in err.problems]
    assert got == [
        ("febrero.csv", 3, "F1", "duplicate_document", {"other": 2, "other_file": "enero.csv"}),
        ("febrero.csv", 5, "F3", "duplicate_document", {"other": 4}),
    ]
    with language("es"):
        es = err.render()
    with language("en"):
        en = err.render()
    assert "este número de documento ya se usa en enero.csv, fila 2, con otro cliente" in es
    assert "this document number is already used in enero.csv, row 2, with another client" in en
    # Within one file the row alone says where.
    assert "ya se usa en la fila 4 con otro cliente" in es
    assert "already used on row 4 with another client" in en


def test_payments_of_unknown_documents(tmp_path: Path, options: ReadOptions) -> None:
    err = _refused(
        tmp_path,
        options,
        documents=BAD / "good_documents.csv",
        payments=BAD / "unknown_payments.csv",
    )
    assert [(p.file, p.row, p.value, p.code) for p in err.problems] == [
        ("unknown_payments.csv", 3, "F9", "unknown_document")
    ]


def test_missing_required_columns(tmp_path: Path, options: ReadOptions) -> None:
    err = _refused(tmp_path, options, documents=BAD / "no_amount.csv")
    assert err.problems[0].code == "missing_column"
    assert "Base imponible" in err.render()


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("empty.csv", "empty"),
        ("header_only.csv", "no data rows"),
        ("report.csv", "PDF"),
        ("binary.csv", "binary"),
        ("archive.csv", "zip"),
        ("single_column.csv", "single column"),
        ("mixed_encoding.csv", "encodings"),
    ],
)
def test_whole_file_problems(tmp_path: Path, options: ReadOptions, name: str, words: str) -> None:
    with language("en"):
        text = _refused(tmp_path, options, BAD / name).render()
    assert words in text and name in text


def test_ambiguous_dates_ask_for_a_format(tmp_path: Path, options: ReadOptions) -> None:
    err = _refused(tmp_path, options, BAD / "ambiguous_dates.csv")
    assert isinstance(err, AmbiguousFormatError) and err.exit_code == 2
    assert "--date-format" in err.render()
    assert "01/02/2024" in err.render()
    fixed = options.model_copy(update={"date_format": "%m/%d/%Y"})
    summary = import_files([BAD / "ambiguous_dates.csv"], into=tmp_path / "ok", options=fixed)
    assert summary.workspace.read("documents").sort("source_row")["date"][0].month == 1


def test_ambiguous_decimal_asks_for_a_mark(tmp_path: Path, options: ReadOptions) -> None:
    err = _refused(tmp_path, options, BAD / "ambiguous_decimal.csv")
    assert isinstance(err, AmbiguousFormatError)
    assert "--decimal" in err.render() and "1,500" in err.render()
    fixed = options.model_copy(update={"decimal": "dot"})
    docs = import_files(
        [BAD / "ambiguous_decimal.csv"], into=tmp_path / "ok", options=fixed
    ).workspace.read("documents")
    assert sorted(docs["amount"].to_list()) == [1500.0, 2250.0]


def test_mixed_decimal_marks_in_one_column_read_as_written(
    tmp_path: Path, options: ReadOptions
) -> None:
    # Decision 0953: «1,234.56» among «1.234,56» reads only one way, so it is read so and
    # the import says which; with --decimal the user's mark is the only one.
    with language("en"):
        summary = import_files([BAD / "mixed_decimal.csv"], into=tmp_path / "ws", options=options)
        text = summary.render()
    docs = summary.workspace.read("documents").sort("source_row")
    assert docs["amount"].to_list() == [1234.56, 99.95, 1234.56]
    assert "column «Base imponible»: 1 amounts written with the other decimal mark" in text
    assert "(1.234,56), such as «1,234.56»" in text
    fixed = options.model_copy(update={"decimal": "comma"})
    err = _refused(tmp_path / "strict", fixed, BAD / "mixed_decimal.csv")
    assert [(p.row, p.value) for p in err.problems] == [(4, "1,234.56")]


def test_no_documents_among_the_inputs(tmp_path: Path, options: ReadOptions) -> None:
    with language("en"):
        text = _refused(tmp_path, options, DEMO / "clientes.csv").render()
    assert "clientes.csv: clients" in text


def test_missing_file_and_empty_folder(tmp_path: Path, options: ReadOptions) -> None:
    _refused(tmp_path, options, tmp_path / "nope.csv")
    (tmp_path / "empty").mkdir()
    _refused(tmp_path, options, tmp_path / "empty")


def test_problems_are_limited_but_counted(tmp_path: Path, options: ReadOptions) -> None:
    rows = "\n".join(f"F{i};99/99/2024;C1;Acme;1,00" for i in range(300))
    big = tmp_path / "big.csv"
    big.write_text(
        "Nº factura;Fecha;Código cliente;Cliente;Base imponible\n" + rows + "\n", encoding="utf-8"
    )
    err = _refused(tmp_path, options, big)
    assert err.total == 300 and len(err.problems) == 200
    with language("en"):
        assert "… and 250 more problems." in err.render()


def test_rows_with_too_many_fields(tmp_path: Path, options: ReadOptions) -> None:
    ragged = tmp_path / "ragged.csv"
    ragged.write_text(
        "Nº factura;Fecha;Cliente;Importe\n"
        + "".join(f"F{i};01/02/2024;Acme;1,5\n" for i in range(200))
        + "F9;01/02/2024;Acme;1,5;extra\n",
        encoding="utf-8",
    )
    err = _refused(tmp_path, options, ragged)
    assert [(p.row, p.code) for p in err.problems] == [(202, "ragged_row")]


def test_rows_with_fewer_fields_are_fine(tmp_path: Path, options: ReadOptions) -> None:
    short = tmp_path / "short.csv"
    short.write_text(
        "Nº factura;Fecha;Cliente;Importe;Notas\nF1;01/02/2024;Acme;1,5\n", encoding="utf-8"
    )
    assert import_files([short], into=tmp_path / "ws", options=options).workspace.read("documents")[
        "amount"
    ].to_list() == [1.5]
