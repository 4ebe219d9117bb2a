"""Payments resolved onto documents: sums, settlement date, partial payments, allocation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from io_paths import DEMO

from cartera.io import ReadOptions, import_files

D = dt.date
HEAD = "Nº factura;Fecha;Código cliente;Base imponible;Total\n"


@pytest.fixture(autouse=True, params=["runs", "group-by"])
def _document_paths(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test twice: with the fast paths for documents listed line after line (one run
    each), and with their general twins (group-by), as for documents in any order."""
    if request.param == "group-by":
        from cartera.io import assemble

        monkeypatch.setattr(assemble, "_runs", lambda docs: None)
        monkeypatch.setattr(assemble, "_contiguous_and_consistent", lambda keyed: False)


def _import(tmp_path: Path, options: ReadOptions, docs: str, pays: str) -> pl.DataFrame:
    (tmp_path / "f.csv").write_text(HEAD + docs, encoding="utf-8")
    (tmp_path / "c.csv").write_text(
        "Nº factura;Fecha cobro;Cantidad cobrada\n" + pays, encoding="utf-8"
    )
    summary = import_files(
        documents=tmp_path / "f.csv",
        payments=tmp_path / "c.csv",
        into=tmp_path / "ws",
        options=options,
    )
    return summary.workspace.read("documents").sort("source_row")


def test_demo_sample(tmp_path: Path, options: ReadOptions) -> None:
    docs = import_files([DEMO], into=tmp_path / "ws", options=options).workspace.read("documents")
    by_doc = docs.group_by("doc_number").agg(
        pl.col("paid_amount").sum(), pl.col("paid_date").first()
    )
    paid = {
        r["doc_number"]: (r["paid_amount"], r["paid_date"]) for r in by_doc.iter_rows(named=True)
    }
    assert paid["F24-000001"] == (pytest.approx(1996.5), D(2024, 2, 20))  # two partial payments
    assert paid["F24-000003"] == (pytest.approx(1815.0), None)  # half paid: open
    assert docs.filter(pl.col("doc_number") == "F24-000006")["paid_amount"].to_list() == [
        None
    ]  # unpaid
    assert paid["F24-000007"] == (pytest.approx(2722.5), D(2024, 6, 15))


def test_paid_date_is_when_payments_reach_the_total(tmp_path: Path, options: ReadOptions) -> None:
    docs = _import(
        tmp_path,
        options,
        "F1;01/01/2024;C1;100;121\nF1;01/01/2024;C1;300;363\n",
        "F1;10/02/2024;200\nF1;01/03/2024;280\nF1;15/03/2024;4\n",
    )
    # 200 + 280 = 480 of 484 is within 1 %, so settled on 01/03/2024.
    assert docs["paid_date"].to_list() == [D(2024, 3, 1), D(2024, 3, 1)]
    # 484 paid, spread over the lines by their totals (121 : 363).
    assert docs["paid_amount"].to_list() == [pytest.approx(121.0), pytest.approx(363.0)]


def test_partial_payment_has_no_paid_date(tmp_path: Path, options: ReadOptions) -> None:
    docs = _import(tmp_path, options, "F1;01/01/2024;C1;100;121\n", "F1;10/02/2024;100\n")
    assert docs["paid_date"].to_list() == [None]
    assert docs["paid_amount"].to_list() == [100.0]


def test_payment_amounts_compared_with_net_when_no_total(
    tmp_path: Path, options: ReadOptions
) -> None:
    (tmp_path / "f.csv").write_text(
        "Nº factura;Fecha;Cliente;Importe\nF1;01/01/2024;Acme;100\n", encoding="utf-8"
    )
    (tmp_path / "c.csv").write_text("Nº factura;Fecha cobro\nF1;05/01/2024\n", encoding="utf-8")
    ws = import_files(
        documents=tmp_path / "f.csv",
        payments=tmp_path / "c.csv",
        into=tmp_path / "ws",
        options=options,
    ).workspace
    docs = ws.read("documents")
    assert docs["paid_date"].to_list() == [D(2024, 1, 5)]
    assert docs["paid_amount"].to_list() == [100.0]
    assert ws.read("payments")["amount"].to_list() == [None]


def test_a_zero_value_document_keeps_its_paid_amount_once_on_its_first_line(
    tmp_path: Path, options: ReadOptions
) -> None:
    # Lines that cancel out: the paid amount cannot be spread by value, so it stays whole on
    # the first line and the other lines add nothing (the document's sum is what was paid).
    (tmp_path / "f.csv").write_text(
        "Nº factura;Fecha;Código cliente;Base imponible;Total;Importe cobrado;Fecha cobro\n"
        "F1;01/01/2024;C1;100;121;50;10/02/2024\n"
        "F1;01/01/2024;C1;-100;-121;50;10/02/2024\n",
        encoding="utf-8",
    )
    summary = import_files(documents=tmp_path / "f.csv", into=tmp_path / "ws", options=options)
    docs = summary.workspace.read("documents").sort("source_row")
    assert docs["paid_amount"].to_list() == [50.0, 0.0]
    assert docs["paid_date"].to_list() == [D(2024, 2, 10), D(2024, 2, 10)]
