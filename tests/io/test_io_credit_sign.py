"""A document is a credit note by its type word or a negative sum of its lines, not at zero."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from cartera.io import ReadOptions, import_files


def _documents(folder: Path, text: str, options: ReadOptions) -> pl.DataFrame:
    """Import ``text`` as a documents file; its documents table in the file's order."""
    (folder / "f.csv").write_text(text, encoding="utf-8")
    ws = import_files(documents=folder / "f.csv", into=folder / "ws", options=options).workspace
    return ws.read("documents").sort("source_row")


def test_a_document_summing_to_zero_is_an_invoice(tmp_path: Path, options: ReadOptions) -> None:
    docs = _documents(
        tmp_path,
        "Nº factura;Fecha;Código cliente;Base imponible\n"
        "F1;01/01/2024;C1;0\n"
        "F2;02/01/2024;C1;50\nF2;02/01/2024;C1;-50\n"
        "F3;03/01/2024;C1;-0,01\n",
        options,
    )
    assert docs["doc_type"].to_list() == ["invoice", "invoice", "invoice", "credit_note"]
    assert docs["amount"].to_list() == [0.0, 50.0, -50.0, -0.01]


def test_a_credit_note_is_made_negative_only_when_its_sum_is_positive(
    tmp_path: Path, options: ReadOptions
) -> None:
    docs = _documents(
        tmp_path,
        "Nº factura;Tipo;Fecha;Código cliente;Base imponible\n"
        "A1;Abono;01/01/2024;C1;50\nA1;Abono;01/01/2024;C1;-50\n"
        "A2;Abono;02/01/2024;C1;0,5\n",
        options,
    )
    assert docs["doc_type"].to_list() == ["credit_note"] * 3
    # A1 sums to zero: left as written; A2 is written positive: given the schema's sign.
    assert docs["amount"].to_list() == [50.0, -50.0, -0.5]


def test_paid_cells_that_differ_by_line_are_added_up(tmp_path: Path, options: ReadOptions) -> None:
    # One value repeated on a document's lines is the document's; values per line add up.
    docs = _documents(
        tmp_path,
        "Nº factura;Fecha;Código cliente;Base imponible;Cobrado\n"
        "F1;01/01/2024;C1;100;100\nF1;01/01/2024;C1;100;100\n"
        "F2;02/01/2024;C1;100;10\nF2;02/01/2024;C1;100;30\n"
        "F3;03/01/2024;C1;100;10\nF3;03/01/2024;C1;100;20\nF3;03/01/2024;C1;100;30\n",
        options,
    )
    paid = docs.group_by("doc_number").agg(pl.col("paid_amount").sum()).sort("doc_number")
    assert paid.rows() == [("F1", 100.0), ("F2", 40.0), ("F3", 60.0)]


def test_own_paid_cells_stay_for_documents_the_payments_file_leaves_out(
    tmp_path: Path, options: ReadOptions
) -> None:
    (tmp_path / "f.csv").write_text(
        "Nº factura;Fecha;Código cliente;Base imponible;Cobrado;Fecha cobro\n"
        "F1;01/01/2024;C1;100;100;15/01/2024\nF2;02/01/2024;C1;100;;\n",
        encoding="utf-8",
    )
    (tmp_path / "c.csv").write_text(
        "Nº factura;Fecha cobro;Cantidad cobrada\nF2;20/01/2024;100\n", encoding="utf-8"
    )
    ws = import_files(
        documents=tmp_path / "f.csv", payments=tmp_path / "c.csv", into=tmp_path / "ws",
        options=options,
    ).workspace  # fmt: skip
    docs = ws.read("documents").sort("source_row")
    assert docs.select("doc_number", "paid_amount", "paid_date").rows() == [
        ("F1", 100.0, dt.date(2024, 1, 15)),
        ("F2", 100.0, dt.date(2024, 1, 20)),
    ]


def test_a_paid_document_summing_to_zero_is_paid_on_its_first_line(
    tmp_path: Path, options: ReadOptions
) -> None:
    docs = _documents(
        tmp_path,
        "Nº factura;Fecha;Código cliente;Base imponible;Cobrado\n"
        "F1;01/01/2024;C1;50;10\nF1;01/01/2024;C1;-50;10\n"
        "F2;02/01/2024;C1;0,5;1\nF2;02/01/2024;C1;0,5;1\n",
        options,
    )
    # F2, a total of exactly 1, is spread over its lines by their values as any other.
    assert docs["paid_amount"].to_list() == [10.0, 0.0, 0.5, 0.5]
