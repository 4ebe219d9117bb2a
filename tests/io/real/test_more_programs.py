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


def test_blank_statuses_keep_their_lines(tmp_path: Path) -> None:
    """A status filled only for the voided invoice: the other lines stay (they were all
    dropped when an excluded word was present)."""
    rows = [
        ["1", "2025-01-02", "Acme", "100.00", ""],
        ["2", "2025-01-03", "Beta", "200.00", "Void"],
        ["3", "2025-01-04", "Acme", "300.00", ""],
    ]
    header = ["Invoice", "Date", "Customer", "Net", "Status"]
    analysis = run(write_csv(tmp_path / "inv.csv", header, rows))
    assert analysis.portfolio.revenue == pytest.approx(400, abs=0.005)


def test_quickbooks_invoice_list_total_and_footer_rows(tmp_path: Path) -> None:
    header = ["Date", "Transaction type", "Num", "Name", "Memo", "Due date", "Amount",
              "Open balance"]  # fmt: skip
    rows = [
        ["01/16/2025", "Invoice", "1001", "Amy's Bird Sanctuary", "Gardening", "02/15/2025",
         "1,082.50", "0.00"],
        ["01/19/2025", "Invoice", "1002", "Cool Cars", "Rocks", "02/18/2025", "562.50",
         "562.50"],
        ["TOTAL", "", "", "", "", "", "$1,645.00", "$562.50"],
        [],
        ["Monday, April 07, 2025 03:14 PM GMT-07:00"],
    ]  # fmt: skip
    above = ["Craig's Design and Landscaping Services", "Invoice List", "All Dates", ""]
    analysis = run(write_csv(tmp_path / "Invoice List.csv", header, rows, above=above))
    assert analysis.portfolio.revenue == pytest.approx(1645.00, abs=0.005)
    assert "2 totals, title, footer or repeated header rows of a printed report" in notes(analysis)


XERO_RID = ["Invoice Date", "Source", "Invoice Number", "Reference", "Contact", "Item Code",
            "Description", "Quantity", "Unit Price", "Discount", "Account", "Tax Rate", "Net",
            "Tax", "Gross", "Invoice Total", "Status"]  # fmt: skip


def test_xero_receivable_invoice_detail_account_is_a_ledger_account(tmp_path: Path) -> None:
    def line(day: str, number: str, contact: str, net: float, status: str) -> list[object]:
        return [day, "Receivable Invoice", number, "", contact, "GB1", "Golf balls", "1.00",
                net, "0.00", "200 - Sales", "GST on Income", net, net / 10, net * 1.1,
                net * 1.1, status]  # fmt: skip

    rows = [
        line("6 Jan 2025", "INV-0001", "Bayside Club", 500.0, "Paid"),
        line("7 Jan 2025", "INV-0002", "Ridgeway University", 300.0, "Awaiting Payment"),
        line("8 Jan 2025", "INV-0003", "Marine Systems", 200.0, "Voided"),
        ["Total", "", "", "", "", "", "", "", "", "", "", "", "1000.00", "100.00", "1100.00",
         "", ""],
    ]  # fmt: skip
    analysis = run(write_csv(tmp_path / "Receivable_Invoice_Detail.csv", XERO_RID, rows))
    assert analysis.portfolio.revenue == pytest.approx(800, abs=0.005)
    assert {c.name for c in analysis.clients} == {"Bayside Club", "Ridgeway University"}


def test_facturascripts_paid_flag_is_not_an_amount(tmp_path: Path) -> None:
    header = ["codigo", "numero2", "nombrecliente", "observaciones", "femail", "pagada", "total",
              "fecha"]  # fmt: skip
    rows = [
        ["FAC2025A1", "", "Talleres Martín S.A.", "", "", "1", "2190.72", "05-03-2025"],
        ["FAC2025A2", "", "Bodegas Ruiz", "", "", "0", "500.00", "06-03-2025"],
        ["FAC2025A3", "", "Talleres Martín S.A.", "", "", "1", "100.00", "07-03-2025"],
    ]
    analysis = run(write_csv(tmp_path / "facturascli.csv", header, rows, delimiter=";"))
    assert analysis.portfolio.revenue == pytest.approx(2790.72, abs=0.005)
    assert "paid_amount" not in analysis.input_summary.tables["documents"]["columns"]


@pytest.mark.parametrize(
    ("kind", "sale"),
    [("FAC", 1), ("CRE", -1), ("N/C", -1), ("DEB", 1), ("REC", 0),
     ("GUÍA DE DESPACHO ELECTRÓNICA", 0), ("FACTURA ELECTRÓNICA", 1)],
)  # fmt: skip
def test_latin_american_document_types(tmp_path: Path, kind: str, sale: int) -> None:
    """Tango's FAC/CRE/DEB/REC and N/C, Chile's dispatch notes; «No Gravado» adds to the net."""
    header = ["Tipo", "Número", "Fecha", "Razón Social", "Neto Gravado", "No Gravado", "Total"]
    rows = [["FAC", "A-1", "02/01/2025", "Ferretería Sur", "1.000,00", "0,00", "1.210,00"],
            [kind, "A-2", "03/01/2025", "Ferretería Sur", "100,00", "10,00", "131,00"]]  # fmt: skip
    analysis = run(write_csv(tmp_path / "comprobantes.csv", header, rows, delimiter=";"))
    assert analysis.portfolio.revenue == pytest.approx(1000 + sale * 110, abs=0.005)


def test_siigo_saved_but_not_sent_is_not_revenue(tmp_path: Path) -> None:
    header = ["Comprobante", "Fecha elaboración", "Nombre tercero", "Base gravable", "IVA",
              "Total", "Estado DIAN"]  # fmt: skip
    rows = [["FV-1-101", "02/01/2025", "Café Andino", "1000000", "190000", "1190000",
             "Aceptado"],
            ["FV-1-102", "03/01/2025", "Café Andino", "350000", "66500", "416500",
             "Guardado (sin enviar)"]]  # fmt: skip
    analysis = run(write_csv(tmp_path / "facturas.csv", header, rows, delimiter=";"))
    assert analysis.portfolio.revenue == pytest.approx(1_000_000, abs=0.005)


def test_marketplace_and_payment_headers(tmp_path: Path) -> None:
    """Amazon's «item-price» is the line's amount (not a unit price), eBay's «Total Price»
    a total, Stripe's «Created (UTC)» the date beside an empty «Dispute Date (UTC)», Odoo's
    sales analysis «Untaxed Total» the net."""
    amazon = ["order-id", "purchase-date", "buyer-name", "quantity-purchased", "currency",
              "item-price", "item-tax"]  # fmt: skip
    rows = [["111-1", "2025-01-05T10:00:00+00:00", "Ann Lee", "3", "USD", "30.00", "2.40"]]
    analysis = run(write_csv(tmp_path / "orders.txt", amazon, rows, delimiter="\t"))
    assert analysis.portfolio.revenue == pytest.approx(30, abs=0.005)
    ebay = ["Order Number", "Buyer Name", "Sale Date", "Total Price"]
    rows = [["12-1", "Sam Ortiz", "Mar-22-25", "$14.22"], ["12-2", "Chris Park", "Feb-10-25",
                                                           "$29.22"]]  # fmt: skip
    analysis = run(write_csv(tmp_path / "ebay.csv", ebay, rows))
    assert analysis.portfolio.revenue == pytest.approx(43.44, abs=0.005)
    stripe = ["id", "Created (UTC)", "Amount", "Status", "Customer ID", "Dispute Date (UTC)"]
    rows = [["ch_1", "2025-01-05 10:00:00", "50.00", "Paid", "cus_9s8d7f", ""],
            ["ch_2", "2025-01-06 10:00:00", "70.00", "Failed", "cus_2b3c4d", ""]]  # fmt: skip
    analysis = run(write_csv(tmp_path / "payments.csv", stripe, rows))
    assert analysis.portfolio.revenue == pytest.approx(50, abs=0.005)
    odoo = ["Order Reference", "Order Date", "Customer", "Untaxed Amount Invoiced",
            "Untaxed Amount To Invoice", "Untaxed Total", "Total", "Status"]  # fmt: skip
    rows = [["S00001", "2025-01-05", "Deco Addict", "100.00", "400.00", "500.00", "575.00",
             "Sales Order"]]  # fmt: skip
    analysis = run(write_csv(tmp_path / "sale_report.csv", odoo, rows))
    assert analysis.portfolio.revenue == pytest.approx(500, abs=0.005)


def test_a_sales_by_customer_summary_is_refused_saying_what_to_export(tmp_path: Path) -> None:
    from cartera.errors import InputError
    from cartera.i18n import language

    rows = [["Café Andino", "900123456", "1190000"], ["Luz SA", "800111222", "500"]]
    path = write_csv(tmp_path / "ventas_por_cliente.csv", ["Cliente", "NIT", "Total"], rows)
    with pytest.raises(InputError) as err:
        run(path)
    with language("en"):
        assert "a summary report (sales by customer)" in err.value.render()
