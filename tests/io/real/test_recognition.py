"""Header spellings per role: case, accents, separators, CamelCase, UPPERCASE, es/en/pt."""

from __future__ import annotations

import polars as pl
import pytest

from cartera.io.recognise import recognise
from cartera.io.score import Profile, profile_columns
from cartera.io.words import header_words

SPELLINGS: dict[str, list[str]] = {
    "date": [
        "Fecha", "FECHA FACTURA", "fecha_emision", "Fecha de Expedición", "Invoice/Bill Date",
        "InvoiceDate", "ORDERDATE", "invoice-date", "Date Issued", "Data de emissão", "Data",
        "Fecha Docto", "issue_date", "DocumentDate", "Fecha Pedido", "Order Date",
        "Posting Date", "Dated On",
    ],
    "doc_number": [
        "Nº factura", "N.º Factura", "numero_factura", "InvoiceNo", "ORDERNUMBER",
        "Invoice #", "Invoice Number", "Folio", "Número do pedido", "Nro. Documento",
        "DocNumber", "Num Fra", "order_no",
    ],
    "client_name": [
        "Cliente", "CLIENTE", "Razón Social", "razon_social", "Client Name", "CUSTOMERNAME",
        "Invoice Partner Display Name", "customer", "Nome do cliente", "Customer/Vendor",
        "Nombre del Cliente", "BuyerName", "Destinatario", "Raison sociale", "Adquirente",
        "Razão Social do Tomador", "Co./Last Name",
    ],
    "client_code": [
        "Código cliente", "customer_id", "CustomerID", "CLIENT_CODE", "Cod. Cliente",
        "Id Cliente", "Código do cliente", "Nº cliente", "CustomerNumber",
    ],
    "tax_id": ["NIF", "Rut cliente", "RFC", "CNPJ", "VAT number", "cif_cliente", "TaxId"],
    "net": [
        "Base imponible", "BASE IMPONIBLE", "Untaxed Amount Signed", "Line Subtotal",
        "Monto Neto", "Importe neto", "NetAmount", "subtotal", "Valor líquido", "Neto",
        "Amount excl. VAT", "base_imponible", "Montant HT", "Valor s/ IVA", "Importe s/IVA",
    ],
    "total": ["Total", "TOTAL FACTURA", "Total Signed", "Monto total", "GrossAmount", "Line Total",
              "Montant TTC"],
    "units": ["Cantidad", "QUANTITYORDERED", "Qty", "Item Quantity", "Quantidade", "unidades"],
    "unit_price": ["Precio unitario", "PRICEEACH", "UnitPrice", "Item Cost", "Preço unitário"],
    "status": ["Estado", "Status", "Invoice Status", "STATUS", "estado_factura", "Situação",
               "Statut"],
    "vat_amount": ["Cuota IVA", "Tax 1 Amount", "Monto IVA", "VAT amount", "TaxAmount",
                   "Montant TVA"],
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


@pytest.mark.parametrize(
    ("header", "score"),
    [
        ("Financial Status", 80.0),
        ("Order Status", 85.0),
        ("Fulfillment Status", 40.0),
        ("Fulfilment status", 40.0),
        ("Lineitem fulfillment status", 40.0),
        ("Line status", 40.0),
        ("Delivery status", 40.0),
        ("Estado de envío", 40.0),
        ("Shipment status", 40.0),
        ("Payment Status", 30.0),
    ],
)
def test_a_line_or_shipment_status_scores_below_the_documents(header: str, score: float) -> None:
    from cartera.io.score import role_score

    assert role_score("documents", "status", header)[0] == score


def _profiles(columns: dict[str, list[str]]) -> list[Profile]:
    sample = pl.DataFrame(columns)
    return profile_columns(sample, list(columns))


def test_the_status_column_holding_document_states_wins() -> None:
    """Both headers are usual status aliases («Estado» scores a little higher and is filled on
    every line): the one whose values are a document's state (paid, cancelled by...) wins."""
    rows = 20
    shipped = ["enviado", "entregado"] * (rows // 2)
    states = ["paid", "", "Cancelled by customer", ""] * (rows // 4)
    headers = ["Estado", "Status"]
    rec = recognise(
        headers, "documents", None, _profiles(dict(zip(headers, [shipped, states], strict=True)))
    )
    assert rec.roles["status"] == 1
    # The same column with other words: the better header and the fuller column win.
    other = ["open", "", "shipped", ""] * (rows // 4)
    plain = ["received", "", "shipped", ""] * (rows // 4)
    rec = recognise(
        headers, "documents", None, _profiles(dict(zip(headers, [shipped, plain], strict=True)))
    )
    assert rec.roles["status"] == 0
    rec = recognise(
        headers, "documents", None, _profiles(dict(zip(headers, [shipped, other], strict=True)))
    )
    assert rec.roles["status"] == 1  # «open» is a document's state


@pytest.mark.parametrize(("numbered", "found"), [(20, True), (18, True), (17, False), (0, False)])
def test_hash_numbers_make_a_document_number_column(numbered: int, found: bool) -> None:
    """A web shop's «Name» holds ``#1001``: a document number when 90 % of its first 20 values
    look so (and not a client name: they have no letters)."""
    values = [f"#{1001 + i}" if i % 2 else f"# {1001 + i}" for i in range(numbered)]
    values += [str(2001 + i) for i in range(20 - numbered)]
    headers = ["Name", "Billing Name", "Created at", "Subtotal"]
    columns = [
        values,
        [f"Client {i % 3}" for i in range(20)],
        ["2025-01-07 10:55:00 +0100"] * 20,
        ["10.00"] * 20,
    ]
    rec = recognise(headers, "documents", None, _profiles(dict(zip(headers, columns, strict=True))))
    assert (rec.roles.get("doc_number") == 0) is found
    assert rec.roles["client_name"] == 1
    if found:
        assert rec.choices["doc_number"].reason == "values such as «{example}» are document numbers"


@pytest.mark.parametrize("value", ["1001", "#A1001", "#", "##1001", "#1001a"])
def test_only_a_hash_and_digits_is_an_order_number(value: str) -> None:
    headers = ["Name", "Billing Name", "Created at", "Subtotal"]
    columns = [[value] * 20, ["Ana"] * 10 + ["Bob"] * 10, ["2025-01-07"] * 20, ["10"] * 20]
    rec = recognise(headers, "documents", None, _profiles(dict(zip(headers, columns, strict=True))))
    assert "doc_number" not in rec.roles


def test_hash_numbers_are_not_a_payments_file_document_number() -> None:
    """In a payments file a bare number is the payment's own (Odoo's «Number»)."""
    headers = ["Name", "Date", "Amount"]
    columns = [[f"#{1001 + i}" for i in range(20)], ["2025-01-07"] * 20, ["10"] * 20]
    rec = recognise(headers, "payments", None, _profiles(dict(zip(headers, columns, strict=True))))
    assert "doc_number" not in rec.roles


@pytest.mark.parametrize("header", ["Refunded Amount", "Importe reembolsado", "Refund amount"])
def test_a_refund_is_never_an_amount(header: str) -> None:
    from cartera.io.score import role_score

    assert [role_score("documents", r, header)[0] for r in ("amount", "net", "total")] == [0, 0, 0]


def test_a_whole_refund_is_left_out_and_a_partial_one_counts() -> None:
    from cartera.io.rows import EXCLUDED_STATUS, excluded_words

    frame = pl.DataFrame({"status": ["paid", "Refunded", "partially_refunded", "Reembolsada"]})
    assert excluded_words(frame, EXCLUDED_STATUS) == ["Refunded", "Reembolsada"]


@pytest.mark.parametrize(("coded", "code"), [(10, True), (9, True), (8, False), (0, False)])
def test_customer_codes_under_a_bare_customer_header(coded: int, code: bool) -> None:
    """«Customer» holding ``cus_…`` codes (90 % of its distinct values one word with a digit)
    is the client code, and «Customer Name» the name."""
    codes = [f"cus_{i}x9" for i in range(coded)] + [f"Client {i}" for i in range(10 - coded)]
    names = [f"Company {i} Inc" for i in range(10)]
    headers = ["Customer", "Customer Name", "Date", "Total"]
    columns = [codes * 2, names * 2, ["2024-01-05"] * 20, ["10"] * 20]
    rec = recognise(headers, "documents", None, _profiles(dict(zip(headers, columns, strict=True))))
    assert rec.roles["client_name"] == (1 if code else 0)
    assert (rec.roles.get("client_code") == 0) is code


def test_codes_under_a_qualified_client_header_are_not_the_client_code() -> None:
    headers = ["NIF Destinatario / Tipo", "Cliente", "Fecha", "Total"]
    columns = [["02"] * 20, ["Acme SL"] * 10 + ["Beta SA"] * 10, ["2024-01-05"] * 20, ["1"] * 20]
    rec = recognise(headers, "documents", None, _profiles(dict(zip(headers, columns, strict=True))))
    assert rec.roles.get("client_code") != 0


@pytest.mark.parametrize(
    ("header", "units"),
    [("Attempt Count", False), ("Intentos", False), ("Item Count", True), ("Quantity", True)],
)
def test_an_attempt_count_is_not_units(header: str, units: bool) -> None:
    from cartera.io.score import role_score

    assert (role_score("documents", "units", header)[0] > 0) is units


@pytest.mark.parametrize(("values", "code"), [(["0", "1"], False), (["0", "1", "2"], True)])
def test_a_yes_no_flag_is_not_a_client_code(values: list[str], code: bool) -> None:
    """PrestaShop's «New client» holds 0 and 1: three distinct values make a code column."""
    headers = ["New client", "Customer", "Date", "Total"]
    flags = (values * 20)[:20]
    columns = [flags, ["Ana"] * 10 + ["Bob"] * 10, ["2024-01-05"] * 20, ["1"] * 20]
    rec = recognise(headers, "documents", None, _profiles(dict(zip(headers, columns, strict=True))))
    assert (rec.roles.get("client_code") == 0) is code


@pytest.mark.parametrize(("phrases", "vetoed"), [(10, True), (9, True), (8, False)])
def test_ledger_account_names_are_not_a_client_code(phrases: int, vetoed: bool) -> None:
    """«Cuenta» holding phrases (several words, no digit) in 90 % of its distinct values is
    ruled out as the client code (a ledger account's name, not a client's account)."""
    accounts = [f"Ledger account {'abcdefghij'[i]}" for i in range(phrases)]
    accounts += [f"43000{i}" for i in range(10 - phrases)]
    headers = ["Cuenta", "Cliente", "Fecha", "Total"]
    columns = [accounts * 2, ["Ana"] * 10 + ["Bob"] * 10, ["2024-01-05"] * 20, ["1"] * 20]
    rec = recognise(headers, "documents", None, _profiles(dict(zip(headers, columns, strict=True))))
    assert (rec.roles.get("client_code") == 0) is not vetoed


@pytest.mark.parametrize(
    ("values", "tax_id"),
    [(["T0", "T1"], False), (["T10", "T20"], False), (["B123", "B124"], True)],
)
def test_vat_codes_are_too_short_for_tax_ids(values: list[str], tax_id: bool) -> None:
    """Sage 50's «Tax Code» (T0, T1): values of under four characters are not tax ids."""
    from cartera.io.score import _veto

    profile = _profiles({"Tax Code": values * 10})[0]
    assert (_veto("tax_id", "Tax Code", profile) is None) is tax_id


@pytest.mark.parametrize(
    ("values", "flag"), [(["0", "1"], True), (["true", "false"], True), (["0", "1", "2"], False)]
)
def test_a_yes_no_column_is_not_an_amount(values: list[str], flag: bool) -> None:
    from cartera.io.score import _veto

    profile = _profiles({"pagada": values * 10})[0]
    assert (_veto("paid_amount", "pagada", profile) is not None) is flag


def test_an_empty_column_never_fills_a_required_role() -> None:
    """Stripe: «Dispute Date (UTC)» empty on every row is no date; the file lacks one."""
    headers = ["Dispute Date", "Amount", "Customer"]
    columns = [[""] * 20, ["10"] * 20, ["Ana"] * 10 + ["Bob"] * 10]
    rec = recognise(headers, "documents", None, _profiles(dict(zip(headers, columns, strict=True))))
    assert "date" not in rec.roles


@pytest.mark.parametrize(
    ("header", "net"),
    [
        ("Importe sin IVA", True),
        ("Impuestos no incluidos firmado", True),
        ("Total sin impuestos", True),
        ("Amount without tax", True),
        ("Valor sem imposto", True),
        ("IVA (21%)", False),
        ("Impuestos firmado", False),
    ],
)
def test_an_amount_without_tax_is_not_a_tax(header: str, net: bool) -> None:
    from cartera.io.score import role_score

    assert (role_score("documents", "net", header)[0] > 0) is net
    if net:
        assert role_score("documents", "vat_amount", header)[0] == 0
    assert role_score("documents", "tax_id", header)[0] == 0


def test_peru_register_customer_name_and_identity_number() -> None:
    from cartera.io.score import role_score

    assert role_score("documents", "client_name", "Apellidos Nombres/ Razón Social")[0] == 80
    assert role_score("documents", "client_name", "Apellidos")[0] == 0
    assert role_score("documents", "tax_id", "Nro Doc Identidad")[0] > 0


@pytest.mark.parametrize(
    ("values", "kinds"),
    [
        (["Factura", "Devolución"], True),
        (["Factura", "Nota de crédito"], True),
        (["Factura"], False),  # no credit kind: a product may well be called so
        (["Factura", "Devolución", "Tornillos"], False),
        (["Invoice", "Credit Memo"], True),
    ],
)
def test_document_kinds_under_concepto(values: list[str], kinds: bool) -> None:
    """CONTPAQi writes the document's kind under «Concepto» (a product header)."""
    headers = ["Concepto", "Razón social", "Fecha", "Neto"]
    columns = [(values * 20)[:20], ["Acme"] * 10 + ["Beta"] * 10, ["2024-01-05"] * 20,
               ["1"] * 20]  # fmt: skip
    rec = recognise(headers, "documents", None, _profiles(dict(zip(headers, columns, strict=True))))
    assert (rec.roles.get("doc_type") == 0) is kinds
    assert (rec.roles.get("product") == 0) is not kinds


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Subtotal (inc tax)", "total"),
        ("Subtotal (ex tax)", "net"),
        ("Importe con IVA", "total"),
        ("Order Total (ex tax)", "net"),
        ("Shipping Cost (inc tax)", None),
        ("Handling Cost", None),
        ("Cost", "cost"),
    ],
)
def test_with_or_without_tax_and_shipping_costs(header: str, role: str | None) -> None:
    from cartera.io.score import role_score

    scores = {r: role_score("documents", r, header)[0] for r in ("net", "total", "cost")}
    best = max(scores, key=lambda r: scores[r])
    assert (best if scores[best] > 0 else None) == role
