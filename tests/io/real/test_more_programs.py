"""Exports probed from more programs (Sage 50 UK, QuickBooks' transaction list, WooCommerce,
PrestaShop, Mercado Libre), written from their usual headers and values (decision 0945)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from realfiles import notes, run, write_csv, write_xlsx

SAGE = [
    "Type", "Account Reference", "Nominal A/C Ref", "Department Code", "Date", "Reference",
    "Details", "Net Amount", "Tax Code", "Tax Amount", "Exchange Rate", "Extra Reference",
    "User Name",
]  # fmt: skip


def test_sage50_transactions_invoices_credits_and_receipts(tmp_path: Path) -> None:
    """SI invoices, SC credits written positive, SR receipts (not sales); the customer is the
    «Account Reference», the invoice number the «Reference», «Tax Code» T1 a VAT code."""

    def row(kind: str, account: str, day: str, ref: str, net: float) -> list[object]:
        return [kind, account, "4000", "0", day, ref, "Consultancy", net, "T1",
                round(net * 0.2, 2), "1", "", "MANAGER"]  # fmt: skip

    rows = [
        row("SI", "HAR002", "01/01/2024", "2001", 75.25),
        row("SI", "CGS001", "06/01/2024", "2002", 499.99),
        row("SI", "HAR002", "09/02/2024", "2003", 300.00),
        row("SC", "HAR002", "12/02/2024", "2004", 25.25),
        row("SR", "HAR002", "20/02/2024", "2001", 90.30),
        row("SI", "BRI001", "01/03/2024", "2005", 120.00),
    ]
    analysis = run(write_csv(tmp_path / "transactions.csv", SAGE, rows))
    assert analysis.portfolio.revenue == pytest.approx(
        75.25 + 499.99 + 300 - 25.25 + 120, abs=0.005
    )
    assert {c.name for c in analysis.clients} == {"HAR002", "CGS001", "BRI001"}
    columns = analysis.input_summary.tables["documents"]["columns"]
    assert columns["client_code"] == "Account Reference"
    assert columns["doc_number"] == "Reference"
    assert "tax_id" not in columns
    assert "«SR»" in notes(analysis)


QBO_LIST = ["", "Date", "Transaction Type", "Num", "Posting", "Memo/Description", "Account",
            "Amount"]  # fmt: skip


def test_quickbooks_transaction_list_by_customer(tmp_path: Path) -> None:
    """Grouped by customer; «Account» holds ledger accounts, not clients; payments and
    estimates are not sales; a row of quoted empty cells is blank."""
    ar, funds = "Accounts Receivable (A/R)", "Undeposited Funds"
    rows = [
        ["Amy's Bird Sanctuary"],
        ["", "03/13/2024", "Invoice", "1002", "Yes", "Design", ar, "89.99"],
        ["", "04/13/2024", "Payment", "", "Yes", "", funds, "89.99"],
        ["", "12/14/2024", "Estimate", "1559", "No", "Proposal", "", "420.00"],
        ["Total for Amy's Bird Sanctuary", "", "", "", "", "", "", "$599.98"],
        ["Red Rock Diner"],
        ["", "07/08/2024", "Invoice", "1025", "Yes", "Design", ar, "275.50"],
        ["", "08/08/2024", "Payment", "", "Yes", "", funds, "275.50"],
        ["", "07/18/2024", "Sales Receipt", "1028", "Yes", "Fountain", funds, "420.00"],
        ["", "09/01/2024", "Credit Memo", "1030", "Yes", "Refund", ar, "-50.00"],
        ["Total for Red Rock Diner", "", "", "", "", "", "", "$1,341.00"],
        ["TOTAL", "", "", "", "", "", "", "$1,940.98"],
        ["", "", "", "", "", "", "", ""],
        ["Monday, January 06, 2025 09:14 AM GMT-08:00"],
    ]
    above = ["Transaction List by Customer", "Craig's Design and Landscaping Services",
             "January - December 2024", ""]  # fmt: skip
    path = tmp_path / "tl.csv"
    # QuickBooks quotes every cell, the empty ones too (a row of them ends the report).
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("\r\n".join(f'"{line}"' for line in above) + "\r\n")
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerows([QBO_LIST, *rows])
    assert '"","","","","","","",""' in path.read_text(encoding="utf-8")
    analysis = run(path)
    assert analysis.portfolio.revenue == pytest.approx(89.99 + 275.50 + 420 - 50, abs=0.005)
    assert {c.name for c in analysis.clients} == {"Amy's Bird Sanctuary", "Red Rock Diner"}
    assert "«Payment», «Estimate»" in notes(analysis)


WOO = ["Date", "Order #", "N. Revenue (formatted)", "Status", "Customer", "Customer type",
       "Product(s)", "Items sold", "Coupon(s)", "Net Sales", "Attribution"]  # fmt: skip
PRESTA = ["ID", "Reference", "New client", "Delivery", "Customer", "Total", "Payment", "Status",
          "Date"]  # fmt: skip


def test_web_shop_orders_never_paid_are_not_sales(tmp_path: Path) -> None:
    woo = [
        ["2024-03-05 10:11:12", "3001", "$59.94", "Completed", "Emma", "new", "1× Hoodie", "1",
         "", "45.00", "Source: Direct"],
        ["2024-03-06 11:12:13", "3002", "$29.94", "Failed", "Liam", "new", "1× Cap", "1", "",
         "15.00", "Source: Direct"],
        ["2024-03-07 12:13:14", "3003", "$113.94", "Pending payment", "Olivia", "new",
         "2× Hoodie", "2", "", "90.00", "Source: Direct"],
        ["2024-03-08 12:13:14", "3004", "$40.00", "Processing", "Emma", "returning", "1× Mug",
         "1", "", "30.00", "Source: Direct"],
    ]  # fmt: skip
    analysis = run(write_csv(tmp_path / "orders.csv", WOO, woo))
    assert analysis.portfolio.revenue == pytest.approx(45 + 30, abs=0.005)
    presta = [
        ["4", "VUCPUOKES", "0", "Spain", "S. Müller", "€36.90", "PayPal", "Delivered",
         "2024-12-21 16:08:32"],
        ["3", "HQLPLPRFJ", "1", "Spain", "M. García", "€127.00", "Bank wire",
         "Awaiting bank wire payment", "2024-11-15 14:54:06"],
        ["2", "LXUVBXEWV", "0", "Spain", "S. Müller", "€127.00", "Bank wire", "Payment accepted",
         "2024-11-12 13:47:53"],
        ["1", "QWERTYUIO", "1", "Spain", "L. Martin", "€80.00", "Card", "Payment error",
         "2024-11-10 10:00:00"],
    ]  # fmt: skip
    analysis = run(write_csv(tmp_path / "order.csv", PRESTA, presta, delimiter=";"))
    assert analysis.portfolio.revenue == pytest.approx(36.90 + 127, abs=0.005)
    assert {c.name for c in analysis.clients} == {"S. Müller"}
    assert "client_code" not in analysis.input_summary.tables["documents"]["columns"]


MELI = ["# de venta", "Fecha de venta", "Estado", "Descripción del estado", "Unidades",
        "Ingresos por productos (CLP)", "Total (CLP)", "Comprador"]  # fmt: skip


def test_mercado_libre_sales_hour_words_and_statuses_inside_the_text(tmp_path: Path) -> None:
    rows = [
        ["2000007000000000", "1 de enero de 2024 10:00 hs.", "Entregado", "Llegó", "1", "25600",
         "17514", "Ana Pérez"],
        ["2000007001234567", "5 de enero de 2024 11:07 hs.", "Venta cancelada. No despaches.",
         "", "1", "31000", "0", "Luis Soto"],
        ["2000007002469134", "9 de enero de 2024 12:14 hs.",
         "Reclamo cerrado con reembolso al comprador", "", "2", "40000", "0", "Ana Pérez"],
        ["2000007003703701", "12 de febrero de 2024 09:30 hs.", "En camino", "Llega mañana",
         "1", "12990", "8000", "Luis Soto"],
    ]  # fmt: skip
    titles = [["Mercado Libre"], ["Ventas"], ["Período: 1 de enero de 2024 al 31 de marzo"], []]
    analysis = run(write_xlsx(tmp_path / "Ventas_CL.xlsx", [*titles, MELI], rows))
    assert analysis.portfolio.revenue == pytest.approx(25600 + 12990, abs=0.005)
    assert {c.name for c in analysis.clients} == {"Ana Pérez", "Luis Soto"}
    assert analysis.input_summary.tables["documents"]["columns"]["doc_number"] == "# de venta"


def test_woocommerce_refunds_under_the_order_number(tmp_path: Path) -> None:
    """WooCommerce's orders report writes a refund as a second row with the order's number,
    the refund's later date and a negative amount; a wholly refunded order is «Refunded»
    and its refund row «Completed». Newest first, as WooCommerce lists them."""
    woo = [
        ["2024-10-03 16:30:00", "2239", "$28.95", "Completed", "Emma", "returning", "1× Tee",
         "-1", "", "-20.00", "Source: Direct"],
        ["2024-10-02 17:14:26", "2239", "$57.90", "Completed", "Emma", "returning", "2× Tee",
         "2", "", "40.00", "Source: Direct"],
        ["2024-09-05 15:00:00", "2234", "$19.95", "Completed", "Liam", "returning", "1× Mug",
         "-1", "", "-12.50", "Source: Direct"],
        ["2024-09-04 12:09:51", "2234", "$19.95", "Refunded", "Liam", "returning", "1× Mug",
         "1", "", "12.50", "Source: Direct"],
        ["2024-09-01 10:00:00", "2230", "$59.94", "Completed", "Liam", "new", "1× Hoodie", "1",
         "", "45.00", "Source: Direct"],
    ]  # fmt: skip
    analysis = run(write_csv(tmp_path / "orders.csv", WOO, woo))
    assert analysis.portfolio.revenue == pytest.approx(40 - 20 + 45, abs=0.005)
    said = notes(analysis)
    assert "2 refunds written under their order's number" in said
    assert "1 refund lines of orders left out were left out with them" in said
