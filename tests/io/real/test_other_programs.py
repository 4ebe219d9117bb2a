"""Export styles of programs not in the reference (Zoho, Xero, Holded, CONTPAQi, Alegra),
written from their usual header words, to check that recognition generalises."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from realfiles import notes, run, top, write_csv

ZOHO = [
    "Invoice Date", "Invoice ID", "Invoice Number", "Invoice Status", "Customer ID",
    "Customer Name", "Due Date", "Currency Code", "Exchange Rate", "Item Name", "Item Desc",
    "Quantity", "Item Price", "Discount", "Discount Amount", "Item Tax", "Item Tax %",
    "Item Tax Amount", "Item Total", "SubTotal", "Total", "Balance", "Notes",
]  # fmt: skip


def test_zoho_invoice_lines_with_repeated_subtotal_and_total(tmp_path: Path) -> None:
    def line(date: str, iid: str, num: str, status: str, cid: str, name: str, item: str,
             qty: int, price: float, disc: float, sub: float) -> list[object]:  # fmt: skip
        net = round(qty * price * (1 - disc / 100), 2)
        tax = round(net * 0.21, 2)
        return [date, iid, num, status, cid, name, "2024-07-01", "EUR", 1, item, "", qty,
                price, disc, round(qty * price - net, 2), "IVA", 21, tax, net, sub,
                round(sub * 1.21, 2), 0, ""]  # fmt: skip

    rows = [
        # INV-1 of Acme: 2 × 100 + 3 × 50 less 10 % = 200 + 135 = 335, repeated as SubTotal.
        line("2024-06-01", "9001", "INV-000001", "Paid", "460001", "Acme", "A", 2, 100, 0, 335),
        line("2024-06-01", "9001", "INV-000001", "Paid", "460001", "Acme", "B", 3, 50, 10, 335),
        # INV-2 of Beta: 4 × 100 = 400 in one line.
        line("2024-06-02", "9002", "INV-000002", "Sent", "460002", "Beta", "A", 4, 100, 0, 400),
        line("2024-06-03", "9003", "INV-000003", "Void", "460002", "Beta", "A", 9, 100, 0, 900),
    ]  # fmt: skip
    analysis = run(write_csv(tmp_path / "Invoice.csv", ZOHO, rows))
    assert analysis.portfolio.revenue == pytest.approx(335 + 400, abs=0.005)
    assert top(analysis) == "Beta"
    assert "repeats each document's figure" in notes(analysis)


XERO = [
    "ContactName", "EmailAddress", "POAddressLine1", "POCity", "POCountry", "InvoiceNumber",
    "Reference", "InvoiceDate", "DueDate", "Total", "TaxTotal", "InvoiceAmountPaid",
    "InvoiceAmountDue", "InventoryItemCode", "Description", "Quantity", "UnitAmount",
    "Discount", "LineAmount", "AccountCode", "TaxType", "TaxAmount", "TrackingName1",
    "TrackingOption1", "Currency", "Type", "Sent", "Status",
]  # fmt: skip


def test_xero_sales_invoices_line_amount_not_invoice_total(tmp_path: Path) -> None:
    def line(name: str, num: str, date: str, total: float, qty: int, unit: float,
             status: str) -> list[object]:  # fmt: skip
        amount = round(qty * unit, 2)
        return [name, "x@y.test", "1 Road", "Wellington", "NZ", num, "PO-9", date, "30/07/2024",
                total, round(total / 1.15 * 0.15, 2), 0, total, "ITEM", "Goods", qty, unit, "",
                amount, "200", "15% GST on Income", round(amount * 0.15, 2), "", "", "NZD",
                "Sales invoice", "Sent", status]  # fmt: skip

    rows = [
        line("Ridgeway University", "INV-0001", "01/06/2024", 575.0, 2, 100.0, "AUTHORISED"),
        line("Ridgeway University", "INV-0001", "01/06/2024", 575.0, 3, 100.0, "AUTHORISED"),
        line("City Limousines", "INV-0002", "05/06/2024", 690.0, 6, 100.0, "PAID"),
        line("City Limousines", "INV-0003", "06/06/2024", 115.0, 1, 100.0, "DRAFT"),
        line("Bayside Club", "INV-0004", "07/06/2024", 57.5, 1, 50.0, "VOIDED"),
    ]  # fmt: skip
    analysis = run(write_csv(tmp_path / "SalesInvoices.csv", XERO, rows))
    assert analysis.portfolio.revenue == pytest.approx(200 + 300 + 600, abs=0.005)
    assert top(analysis) == "City Limousines"
    assert analysis.currency == "NZD"


HOLDED = [
    "Núm", "Fecha", "Fecha de vencimiento", "Contacto", "NIF del contacto", "Descripción",
    "Subtotal", "IVA", "Retención", "Recargo de equivalencia", "Total", "Cobrado", "Pendiente",
    "Estado", "Moneda", "Etiquetas",
]  # fmt: skip


def test_holded_spanish_invoices_with_withholding_and_drafts(tmp_path: Path) -> None:
    rows = [
        ["F240001", "02/06/2024", "02/07/2024", "Reformas Díaz SL", "B11111111", "Obra",
         "1.000,00", "210,00", "-150,00", "0,00", "1.060,00", "1.060,00", "0,00", "Pagada",
         "eur", ""],
        ["F240002", "05/06/2024", "05/07/2024", "Clínica Sol SA", "A22222222", "Servicio",
         "2.500,00", "525,00", "0,00", "0,00", "3.025,00", "0,00", "3.025,00", "Pendiente",
         "eur", ""],
        ["F240003", "06/06/2024", "06/07/2024", "Reformas Díaz SL", "B11111111", "Obra",
         "1.800,00", "378,00", "0,00", "0,00", "2.178,00", "0,00", "2.178,00", "Pendiente",
         "eur", ""],
        ["", "07/06/2024", "07/07/2024", "Clínica Sol SA", "A22222222", "Borrador",
         "9.000,00", "1.890,00", "0,00", "0,00", "10.890,00", "0,00", "10.890,00", "Borrador",
         "eur", ""],
    ]  # fmt: skip
    analysis = run(write_csv(tmp_path / "facturas.csv", HOLDED, rows, delimiter=";"))
    assert analysis.portfolio.revenue == pytest.approx(1000 + 2500 + 1800, abs=0.005)
    assert top(analysis) == "Reformas Díaz SL"
    assert analysis.currency == "EUR"


CONTPAQI = [
    "Serie", "Folio", "Fecha", "UUID", "RFC Receptor", "Razón Social Receptor", "Subtotal",
    "Descuento", "IVA Trasladado", "Total", "Moneda", "Tipo de Cambio", "Estatus",
    "Tipo de Comprobante",
]  # fmt: skip


def test_contpaqi_cfdi_list_cancelled_and_series(tmp_path: Path) -> None:
    rows = [
        ["A", "101", "03/06/2024", "6F1E...01", "XAXX010101000", "Abarrotes La Esperanza",
         "10000.00", "0.00", "1600.00", "11600.00", "MXN", "1", "Vigente", "I"],
        ["A", "102", "04/06/2024", "6F1E...02", "GODE561231GR8", "Ferretería Godínez",
         "25000.50", "500.00", "4000.08", "29000.58", "MXN", "1", "Vigente", "I"],
        ["B", "101", "05/06/2024", "6F1E...03", "XAXX010101000", "Abarrotes La Esperanza",
         "30000.00", "0.00", "4800.00", "34800.00", "MXN", "1", "Cancelado", "I"],
        ["B", "102", "13/06/2024", "6F1E...04", "XAXX010101000", "Abarrotes La Esperanza",
         "500.00", "0.00", "80.00", "580.00", "MXN", "1", "Vigente", "I"],
    ]  # fmt: skip
    analysis = run(write_csv(tmp_path / "cfdi.csv", CONTPAQI, rows))
    assert analysis.portfolio.revenue == pytest.approx(10000 + 25000.50 + 500, abs=0.005)
    assert top(analysis) == "Ferretería Godínez"
    assert analysis.currency == "MXN"


ALEGRA = [
    "Número", "Fecha de creación", "Fecha de vencimiento", "Cliente", "Identificación",
    "Estado", "Subtotal", "Descuento", "Impuestos", "Total", "Pagado", "Por cobrar", "Moneda",
]  # fmt: skip


def test_alegra_invoices_annulled_left_out(tmp_path: Path) -> None:
    rows = [
        ["FE-1", "2024-06-03", "2024-07-03", "Distribuidora Andina", "900123456", "Cerrada",
         "1200000", "0", "228000", "1428000", "1428000", "0", "COP"],
        ["FE-2", "2024-06-04", "2024-07-04", "Café del Monte", "800987654", "Por cobrar",
         "2500000", "0", "475000", "2975000", "0", "2975000", "COP"],
        ["FE-3", "2024-06-05", "2024-07-05", "Distribuidora Andina", "900123456", "Anulada",
         "9000000", "0", "1710000", "10710000", "0", "0", "COP"],
    ]  # fmt: skip
    analysis = run(write_csv(tmp_path / "facturas_alegra.csv", ALEGRA, rows))
    assert analysis.portfolio.revenue == pytest.approx(1_200_000 + 2_500_000, abs=0.005)
    assert top(analysis) == "Café del Monte"
    assert analysis.currency == "COP"


SHOPIFY = [
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at",
    "Accepts Marketing", "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code",
    "Discount Amount", "Shipping Method", "Created at", "Lineitem quantity", "Lineitem name",
    "Lineitem price", "Lineitem compare at price", "Lineitem sku", "Lineitem requires shipping",
    "Lineitem taxable", "Lineitem fulfillment status", "Billing Name", "Billing City",
    "Billing Country", "Notes", "Cancelled at", "Payment Method", "Refunded Amount", "Vendor",
    "Id", "Tags", "Risk Level", "Source", "Lineitem discount",
]  # fmt: skip


def _shopify_order(
    number: int, email: str, name: str, status: str, created: str, lines: list[tuple[int, float]]
) -> list[list[object]]:
    """One order as Shopify's orders export writes it: the order's fields on its first line
    only, one line per item."""
    subtotal = round(sum(q * p for q, p in lines), 2)
    total = round(subtotal * 1.21 + 5, 2)
    refunded = total if status == "refunded" else 0.0
    out: list[list[object]] = []
    for i, (qty, price) in enumerate(lines):
        first = i == 0
        out.append(
            [
                f"#{number}", email if first else "", status if first else "",
                created if first and status == "paid" else "", "fulfilled" if first else "", "",
                "no" if first else "", "EUR" if first else "", subtotal if first else "",
                5.0 if first else "", round(subtotal * 0.21, 2) if first else "",
                total if first else "", "", 0.0 if first else "", "Standard" if first else "",
                created if first else "", qty, f"Item {i}", price, "", f"SKU{i}", "true", "true",
                "fulfilled", name if first else "", "Madrid" if first else "",
                "ES" if first else "", "", "", "Shopify Payments" if first else "",
                refunded if first else "", "MyShop", 5_000_000 + number if first else "", "",
                "Low" if first else "", "web" if first else "", 0.0,
            ]
        )  # fmt: skip
    return out


def test_shopify_orders_first_line_fields_financial_status_and_hash_numbers(
    tmp_path: Path,
) -> None:
    """«Name» holds the order number (#1001) and «Financial Status» the order's state, not
    «Lineitem fulfillment status»; voided and refunded orders are not revenue; a pending
    order is (it is owed); the lines' price × quantity make the order's net."""
    orders = [
        (1001, "ana@example.com", "Ana Ruiz", "paid", "2025-01-07 10:55:00 +0100",
         [(2, 49.90), (3, 12.50)]),
        (1002, "bob@shop.com", "Bob Lee", "paid", "2025-01-09 11:00:00 +0100", [(1, 35.0)]),
        (1003, "ana@example.com", "Ana Ruiz", "voided", "2025-02-01 09:00:00 +0100",
         [(10, 49.90)]),
        (1004, "bob@shop.com", "Bob Lee", "refunded", "2025-02-03 09:30:00 +0100",
         [(5, 35.0), (5, 19.0)]),
        (1005, "bob@shop.com", "Bob Lee", "pending", "2025-02-05 12:00:00 +0100",
         [(1, 19.0), (2, 12.5)]),
        (1006, "carla@mail.es", "Carla Gómez", "partially_refunded",
         "2025-03-01 08:00:00 +0100", [(1, 120.0)]),
    ]  # fmt: skip
    rows = [line for order in orders for line in _shopify_order(*order)]
    analysis = run(write_csv(tmp_path / "orders_export.csv", SHOPIFY, rows))
    paid = 2 * 49.90 + 3 * 12.50 + 35.0
    pending = 19.0 + 2 * 12.5
    assert analysis.portfolio.revenue == pytest.approx(paid + pending + 120.0, abs=0.005)
    assert top(analysis) == "Ana Ruiz"
    said = notes(analysis)
    assert "«voided», «refunded» in «Financial Status»" in said
    columns = analysis.input_summary.tables["documents"]["columns"]
    assert columns["doc_number"] == "Name"
    assert columns["status"] == "Financial Status"
    assert "Refunded Amount" not in columns.values()


SAT = [
    "Uuid", "RfcEmisor", "NombreEmisor", "RfcReceptor", "NombreReceptor", "RfcPac",
    "FechaEmision", "FechaCertificacionSat", "Monto", "EfectoComprobante", "Estatus",
    "FechaCancelacion",
]  # fmt: skip


def _sat(
    n: int, rfc: str, name: str, day: str, amount: float, kind: str, cancelled: str = ""
) -> list[object]:
    return [f"6F1E{n:04d}-AAAA-BBBB-CCCC-{n:012d}", "EKU9003173C9", "Mi Empresa SA de CV", rfc,
            name, "SAT970701NN3", f"{day} 10:11:12", f"{day} 10:12:00", amount, kind,
            "0" if cancelled else "1", cancelled]  # fmt: skip


def test_sat_metadata_tilde_cancelled_payment_payroll_and_egreso(tmp_path: Path) -> None:
    """Mexico's SAT download of issued CFDI: ``~`` between fields, the UUID is the document,
    a cancellation date cancels it, ``E`` (egreso) is a credit note, ``P`` (payment) and
    ``N`` (payroll) receipts are not sales."""
    rows = [
        _sat(1, "GODE561231GR8", "Ferretería Godínez", "2024-03-01", 10000.0, "I"),
        _sat(2, "GODE561231GR8", "Ferretería Godínez", "2024-03-01", 2500.0, "I"),
        _sat(3, "GODE561231GR8", "Ferretería Godínez", "2024-03-09", 1000.0, "E"),
        _sat(4, "AAA010101AAA", "Abarrotes Alfa", "2024-04-02", 7000.0, "I"),
        _sat(5, "AAA010101AAA", "Abarrotes Alfa", "2024-04-03", 50000.0, "I",
             "2024-04-05 09:00:00"),
        _sat(6, "AAA010101AAA", "Abarrotes Alfa", "2024-04-20", 0.0, "P"),
        _sat(7, "PEMJ800101XX1", "Juan Pérez", "2024-04-30", 18000.0, "N"),
    ]  # fmt: skip
    path = write_csv(tmp_path / "metadata_emitidas.txt", SAT, rows, delimiter="~")
    analysis = run(path)
    assert analysis.portfolio.revenue == pytest.approx(10000 + 2500 - 1000 + 7000, abs=0.005)
    assert {c.name for c in analysis.clients} == {"Ferretería Godínez", "Abarrotes Alfa"}
    assert {c.name: c.metrics.orders for c in analysis.clients}["Ferretería Godínez"] >= 2
    said = notes(analysis)
    assert "1 lines (50000.0) marked cancelled in «FechaCancelacion»" in said
    assert "2 lines (18000.0) of type «P», «N» in «EfectoComprobante» are not sales" in said
    columns = analysis.input_summary.tables["documents"]["columns"]
    assert columns["doc_number"] == "Uuid"


STRIPE = [
    "id", "Number", "Customer", "Customer Name", "Customer Email", "Status", "Currency",
    "Amount Due", "Amount Paid", "Amount Remaining", "Subtotal", "Tax", "Total", "Date (UTC)",
    "Due Date (UTC)", "Paid", "Billing Reason", "Attempt Count",
]  # fmt: skip


def test_stripe_invoices_customer_code_and_name_no_remaining_or_attempts(tmp_path: Path) -> None:
    def inv(n: int, cus: str, name: str, status: str, sub: float, attempts: int) -> list[object]:
        total = round(sub * 1.2, 2)
        paid = total if status == "paid" else 0.0
        return [f"in_{n:08d}", f"ABCD-{1000 + n}", cus, name, f"{cus}@x.com", status, "usd",
                total, paid, total - paid, sub, round(sub * 0.2, 2), total,
                f"2024-0{1 + n % 9}-05 12:00", f"2024-0{1 + n % 9}-20 12:00",
                str(status == "paid").lower(), "subscription_cycle", attempts]  # fmt: skip

    rows = [
        inv(1, "cus_9s8d7f", "Acme Inc", "paid", 499.0, 1),
        inv(2, "cus_9s8d7f", "Acme Inc", "open", 499.0, 3),
        inv(3, "cus_2b3c4d", "Beta LLC", "paid", 99.0, 1),
        inv(4, "cus_2b3c4d", "Beta LLC", "void", 99.0, 1),
        inv(5, "cus_5e6f7g", "Gamma Co", "uncollectible", 199.0, 4),
        inv(6, "cus_5e6f7g", "Gamma Co", "draft", 199.0, 0),
    ]
    analysis = run(write_csv(tmp_path / "invoices.csv", STRIPE, rows))
    assert analysis.portfolio.revenue == pytest.approx(499 * 2 + 99 + 199, abs=0.005)
    assert top(analysis) == "Acme Inc"
    columns = analysis.input_summary.tables["documents"]["columns"]
    assert columns["client_code"] == "Customer"
    assert columns["client_name"] == "Customer Name"
    assert "units" not in columns and "amount" not in columns
