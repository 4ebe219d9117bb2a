"""Header spellings per role: case, accents, separators, CamelCase, UPPERCASE, es/en/pt."""

from __future__ import annotations

import pytest

from cartera.io.recognise import recognise
from cartera.io.words import header_words

SPELLINGS: dict[str, list[str]] = {
    "date": [
        "Fecha", "FECHA FACTURA", "fecha_emision", "Fecha de Expedición", "Invoice/Bill Date",
        "InvoiceDate", "ORDERDATE", "invoice-date", "Date Issued", "Data de emissão", "Data",
        "Fecha Docto", "issue_date", "DocumentDate", "Fecha Pedido", "Order Date",
    ],
    "doc_number": [
        "Nº factura", "N.º Factura", "numero_factura", "InvoiceNo", "ORDERNUMBER",
        "Invoice #", "Invoice Number", "Folio", "Número do pedido", "Nro. Documento",
        "DocNumber", "Num Fra", "order_no",
    ],
    "client_name": [
        "Cliente", "CLIENTE", "Razón Social", "razon_social", "Client Name", "CUSTOMERNAME",
        "Invoice Partner Display Name", "customer", "Nome do cliente", "Customer/Vendor",
        "Nombre del Cliente", "BuyerName", "Destinatario",
    ],
    "client_code": [
        "Código cliente", "customer_id", "CustomerID", "CLIENT_CODE", "Cod. Cliente",
        "Id Cliente", "Código do cliente", "Nº cliente", "CustomerNumber",
    ],
    "tax_id": ["NIF", "Rut cliente", "RFC", "CNPJ", "VAT number", "cif_cliente", "TaxId"],
    "net": [
        "Base imponible", "BASE IMPONIBLE", "Untaxed Amount Signed", "Line Subtotal",
        "Monto Neto", "Importe neto", "NetAmount", "subtotal", "Valor líquido", "Neto",
        "Amount excl. VAT", "base_imponible",
    ],
    "total": ["Total", "TOTAL FACTURA", "Total Signed", "Monto total", "GrossAmount", "Line Total"],
    "units": ["Cantidad", "QUANTITYORDERED", "Qty", "Item Quantity", "Quantidade", "unidades"],
    "unit_price": ["Precio unitario", "PRICEEACH", "UnitPrice", "Item Cost", "Preço unitário"],
    "status": ["Estado", "Status", "Invoice Status", "STATUS", "estado_factura"],
    "vat_amount": ["Cuota IVA", "Tax 1 Amount", "Monto IVA", "VAT amount", "TaxAmount"],
    "due_date": ["Fecha de vencimiento", "Due Date", "DueDate", "Data de vencimento"],
    "paid_date": ["Fecha de cobro", "Date Paid", "PaymentDate", "Fecha Pago"],
    "currency": ["Moneda", "Currency", "CurrencyCode", "Divisa", "Moeda"],
}  # fmt: skip
# Every spelling is tried next to unrelated columns that must not steal the role.
OTHERS = ["Sales Person Names", "Email", "Payment Status", "PHONE", "Discount Percentage"]


@pytest.mark.parametrize(("role", "header"), [(r, h) for r, hs in SPELLINGS.items() for h in hs])
def test_each_spelling_is_recognised(role: str, header: str) -> None:
    headers = [*OTHERS, header]
    rec = recognise(headers, "documents")
    assert rec.roles.get(role) == len(OTHERS), (header, rec.roles)


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("Invoice/Bill Date", ("invoice", "bill", "date")),
        ("QUANTITYORDERED", ("quantity", "ordered")),
        ("UntaxedAmountSigned", ("untaxed", "amount", "signed")),
        ("Nº_factura", ("no", "factura")),
        ("Tax 1 Amount", ("tax", "1", "amount")),
        ("Fecha*Expedición", ("fecha", "expedicion")),
    ],
)
def test_header_words(header: str, words: tuple[str, ...]) -> None:
    assert header_words(header) == words


def test_columns_that_look_right_but_are_not() -> None:
    headers = ["Client", "Sales Person Names", "Date Paid", "Date Issued", "VAT %",
               "Total", "Subtotal", "Payment Status", "Status"]  # fmt: skip
    rec = recognise(headers, "documents")
    named = {role: headers[i] for role, i in rec.roles.items()}
    assert named["client_name"] == "Client"
    assert named["date"] == "Date Issued"  # issue date before paid date
    assert named["paid_date"] == "Date Paid"
    assert named["net"] == "Subtotal"  # net before total with tax
    assert named["status"] == "Status"  # not the payment status
    assert named["vat_pct"] == "VAT %"
    assert "Sales Person Names" not in named.values()
