"""Each dialect's test file is read with no mapping; values checked by hand."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from io_paths import DIALECTS

from cartera.io import ReadOptions, inspect_file, read_table
from cartera.schema import DOCUMENTS

D = dt.date


def _docs(name: str, options: ReadOptions) -> pl.DataFrame:
    frame = read_table(DIALECTS / name, options=options)
    assert frame.schema == pl.Schema(DOCUMENTS)
    return frame.sort("source_row")


def test_holded_net_from_price_units_discount(options: ReadOptions) -> None:
    docs = _docs("holded_facturas.csv", options)
    assert docs["amount"].to_list() == [450.0, 450.0, 432.0, -450.0, 1140.0]
    assert docs["date"].to_list()[:3] == [D(2024, 1, 3), D(2024, 1, 3), D(2024, 2, 14)]
    assert docs["doc_type"].to_list() == ["invoice", "invoice", "invoice", "credit_note", "invoice"]
    assert docs["first_line"].to_list() == [True, False, True, True, True]
    # "B-12.345.678" and "12345678Z" normalised as tax ids (no client code column).
    assert set(docs["client_id"]) == {"B12345678", "B87654321", "12345678Z"}
    # Holded repeats the invoice's "Cantidad cobrada" on each line: paid once, spread over lines.
    assert docs["paid_amount"].to_list()[:2] == [pytest.approx(544.5), pytest.approx(544.5)]
    assert docs["paid_date"].to_list()[0] == D(2024, 1, 25)
    # 600 of 1379.40 paid: partly paid, so no paid date.
    assert docs["paid_amount"][4] == 600.0
    assert docs["paid_date"][4] is None


def test_odoo_prefers_net_and_strips_es_prefix(options: ReadOptions) -> None:
    docs = _docs("odoo_facturas.csv", options)
    assert docs["amount"].to_list() == [1000.0, 2000.0, 500.0, -100.0, 3000.0]
    assert docs["total"].to_list() == [1210.0, 2420.0, 605.0, -121.0, 3630.0]
    assert docs["client_id"][0] == "B11111111"
    assert docs["doc_type"][3] == "credit_note"
    assert docs["date"][0] == D(2024, 1, 10)


def test_sage_series_and_number_and_r_series_credit(options: ReadOptions) -> None:
    docs = _docs("sage_facturas.csv", options)
    assert docs["doc_number"].to_list() == ["A-101", "A-102", "A-103", "R-1", "A-104"]
    assert docs["date"].to_list()[0] == D(2024, 1, 5)
    # The R series is a credit note written with positive amounts: stored negative.
    assert docs.filter(pl.col("doc_number") == "R-1")["amount"].to_list() == [-100.0]
    assert docs.filter(pl.col("doc_number") == "R-1")["doc_type"].to_list() == ["credit_note"]


def test_a3_pipe_bom_compact_dates_currency_parentheses(options: ReadOptions) -> None:
    docs = _docs("a3_facturas.csv", options)
    assert docs["amount"].to_list() == [1500.0, 250.5, -120.0, 12000.0]
    assert docs["date"].to_list()[0] == D(2024, 1, 8)
    assert docs["paid_date"].to_list() == [D(2024, 2, 7), None, None, D(2024, 3, 15)]
    assert docs["client_id"][0] == "430000001"


def test_english_day_first_and_quoted_thousands(options: ReadOptions) -> None:
    docs = _docs("english_invoices.csv", options)
    assert docs["amount"].to_list() == [1250.0, 450.5, -125.0, 2000.0]
    assert docs["cost"].to_list() == [700.0, 300.0, -70.0, 1100.0]
    assert docs["date"][1] == D(2024, 2, 3)
    assert docs["doc_type"][2] == "credit_note"


def test_us_tab_month_first_margin_gives_cost(options: ReadOptions) -> None:
    docs = _docs("us_sales.tsv", options)
    assert docs["date"].to_list() == [D(2024, 1, 15), D(2024, 2, 3), D(2024, 2, 28)]
    assert docs["cost"].to_list() == [pytest.approx(800.25), 60.0, 410.0]
    # No number column: the lines of one client on one date are one document.
    assert docs["doc_number"].to_list()[0] == "#2024-01-15 Northwind Traders"
    assert docs["first_line"].all()


def test_xlsx_title_rows_sheet_and_excel_serials(options: ReadOptions) -> None:
    info = inspect_file(DIALECTS / "ventas_titulo.xlsx", options=options)
    assert (info.sheet, info.header_row, info.table) == ("Ventas", 4, "documents")
    docs = _docs("ventas_titulo.xlsx", options)
    assert docs["date"].to_list() == [D(2024, 1, 9), D(2024, 1, 29), D(2024, 2, 28)]
    assert docs["amount"].to_list() == [1500.0, 830.5, 2000.0]
    assert docs["source_row"].to_list() == [5, 6, 7]


def test_xlsx_sheet_by_name_or_index(options: ReadOptions) -> None:
    by_index = inspect_file(
        DIALECTS / "ventas_titulo.xlsx", options=options.model_copy(update={"sheet": "1"})
    )
    assert by_index.sheet == "Ventas"
    from cartera.errors import InputError

    with pytest.raises(InputError, match="Resumen"):
        inspect_file(
            DIALECTS / "ventas_titulo.xlsx", options=options.model_copy(update={"sheet": "Nope"})
        )


def test_xlsx_two_header_rows_aeat(options: ReadOptions) -> None:
    info = inspect_file(DIALECTS / "libro_expedidas.xlsx", options=options)
    roles = {c.header: c.role for c in info.columns}
    assert roles["NIF Destinatario / Identificación"] == "tax_id"
    assert roles["NIF Destinatario / Tipo"] is None  # not mistaken for the document type
    assert roles["Identificación Factura / Número"] == "doc_number"
    docs = _docs("libro_expedidas.xlsx", options)
    assert docs["doc_number"].to_list() == ["FV-0001", "FV-0002", "FV-0003"]
    assert docs["amount"].to_list() == [1000.0, 500.0, 2000.0]
    assert docs["date"][0] == D(2024, 1, 9)
    assert docs["source_row"].to_list() == [3, 4, 5]


@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("holded_facturas.csv", "documents"),
        ("odoo_facturas.csv", "documents"),
        ("sage_facturas.csv", "documents"),
        ("a3_facturas.csv", "documents"),
        ("english_invoices.csv", "documents"),
        ("us_sales.tsv", "documents"),
        ("customers.csv", "clients"),
        ("payments.csv", "payments"),
        ("activities.csv", "activities"),
        ("ventas_titulo.xlsx", "documents"),
        ("libro_expedidas.xlsx", "documents"),
    ],
)
def test_table_recognised_from_headers(name: str, table: str, options: ReadOptions) -> None:
    info = inspect_file(DIALECTS / name, options=options)
    assert info.table == table
    assert info.problem_count == 0


def test_read_table_of_each_kind(options: ReadOptions) -> None:
    clients = read_table(DIALECTS / "customers.csv", options=options)
    assert clients["image"].to_list() == [True, False, False]
    assert clients["terms_days"].to_list() == [30.0, 60.0, 45.0]
    payments = read_table(DIALECTS / "payments.csv", options=options)
    assert payments["amount"].sum() == 3450.0
    activities = read_table(DIALECTS / "activities.csv", "activities", options=options)
    assert activities.sort("source_row")["kind"].to_list() == ["meeting", "call", "support"]
