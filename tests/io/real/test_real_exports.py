"""Every kind of real export in docs/../real-exports.md, written as a fixture with its exact
headers and layout quirks and invented rows, analysed with no mapping.

Expected revenue and top client are computed by hand in each test.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from realfiles import notes, run, top, write_csv, write_xlsx

ODOO = [
    "Activities",
    "Due Date",
    "Invoice Partner Display Name",
    "Invoice/Bill Date",
    "Number",
    "Payment Status",
    "Sales Person Names",
    "Status",
    "Total in Currency Signed",
    "Total Signed",
    "Untaxed Amount Signed",
]
AMAL, NOUR, GREEK = "شركة الأمل", "مؤسسة النور", "Ελληνική Εταιρεία"


def _odoo_rows() -> list[list[object]]:
    return [
        ["", "2024-02-14", AMAL, "2024-01-15", "INV/2024/00001", "Paid", "Administrator",
         "Posted", 1210.0, 1210.0, 1000.0],
        ["", "2024-02-19", NOUR, "2024-01-20", "INV/2024/00002", "Not Paid", "Administrator",
         "Posted", 605.0, 605.0, 500.0],
        ["Call", "2024-03-04", AMAL, "2024-02-03", "INV/2024/00003", "In Payment",
         "Administrator", "Posted", 363.0, 363.0, 300.0],
        # A draft of 129,264 would make Nour the top client if it were counted.
        ["", "2024-03-10", NOUR, "2024-02-10", "/", "Not Paid", "Administrator", "Draft",
         156409.44, 156409.44, 129264.0],
        ["", "2024-03-11", GREEK, "2024-02-11", "INV/2024/00004", "Not Paid", "Administrator",
         "Cancelled", 2420.0, 2420.0, 2000.0],
        ["", "2024-03-12", GREEK, "2024-02-12", "INV/2024/00005", "Not Paid", "Administrator",
         "Posted", 242.0, 242.0, 200.0],
    ]  # fmt: skip


def test_odoo_invoices_xlsx_arabic_names_drafts_and_cancelled(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "account.move.xlsx", [ODOO], _odoo_rows())
    analysis = run(path)
    # Posted only, untaxed: 1000 + 500 + 300 + 200; Amal 1000 + 300 = 1300.
    assert analysis.portfolio.revenue == pytest.approx(1000 + 500 + 300 + 200, abs=0.005)
    assert top(analysis) == AMAL
    assert {c.name for c in analysis.clients} == {AMAL, NOUR, GREEK}
    text = notes(analysis)
    assert "2 documents" in text and "«Draft», «Cancelled»" in text
    assert "131264" in text  # 129264 + 2000 left out


ODOO_CREDIT = [
    "Number",
    "Invoice Partner Display Name",
    "Invoice/Bill Date",
    "Due Date",
    "Activities",
    "Untaxed Amount Signed",
    "Total Signed",
    "Total in Currency Signed",
    "Payment Status",
    "Status",
]


def test_odoo_credit_notes_with_group_subtotal_rows(tmp_path: Path) -> None:
    invoices = write_xlsx(tmp_path / "invoices.xlsx", [ODOO], _odoo_rows())
    credits = write_csv(
        tmp_path / "credit_notes.csv",
        ODOO_CREDIT,
        [
            ["Administrator (2)", "", "", "", "", -150.0, -181.5, -181.5, "", ""],
            ["RINV/2024/00001", AMAL, "2024-02-20", "2024-03-20", "", -100.0, -121.0, -121.0,
             "Paid", "Posted"],
            ["RINV/2024/00002", NOUR, "2024-02-21", "2024-03-21", "", -50.0, -60.5, -60.5,
             "Not Paid", "Posted"],
        ],
    )  # fmt: skip
    analysis = run(invoices, credits)
    # Invoices 2000, credit notes -100 - 50; Amal 1300 - 100 = 1200.
    assert analysis.portfolio.revenue == pytest.approx(2000 - 100 - 50, abs=0.005)
    assert top(analysis) == AMAL
    assert "1 rows without a date and without a document number, client or amount" in notes(
        analysis
    )


ODOO_PAYMENTS = [
    "Amount Company Currency Signed",
    "Amount Signed",
    "Customer/Vendor",
    "Date",
    "Journal",
    "Number",
    "Payment Method",
    "Status",
]


def test_odoo_payments_without_an_invoice_reference_are_not_matched(tmp_path: Path) -> None:
    invoices = write_xlsx(tmp_path / "invoices.xlsx", [ODOO], _odoo_rows())
    payments = write_csv(
        tmp_path / "payments.csv",
        ODOO_PAYMENTS,
        [
            [1210.0, 1210.0, AMAL, "2024-02-01", "Bank", "PBNK1/2024/00001", "Manual", "Posted"],
            [363.0, 363.0, AMAL, "2024-03-01", "Bank", "PBNK1/2024/00002", "Manual", "Posted"],
        ],
    )
    analysis = run(invoices, payments)
    # The payments file is not a second documents file: revenue is the invoices' alone.
    assert analysis.portfolio.revenue == pytest.approx(2000, abs=0.005)
    pay_notes = " ".join(analysis.input_summary.tables["payments"]["notes"])
    assert "not matched" in pay_notes


FRESHBOOKS = [
    "Client Name",
    "Invoice #",
    "Date Issued",
    "Invoice Status",
    "Date Paid",
    "Item Name",
    "Item Description",
    "Rate",
    "Quantity",
    "Discount Percentage",
    "Line Subtotal",
    "Tax 1 Type",
    "Tax 1 Amount",
    "Tax 2 Type",
    "Tax 2 Amount",
    "Line Total",
    "Currency",
]


def test_freshbooks_lines_net_subtotal_not_total_with_tax(tmp_path: Path) -> None:
    rows = [
        ["Acme Corp", "0000001", "2024-03-01", "paid", "2024-03-15", "Design", "Logo", 100, 2,
         0, 200.0, "GST", 10.0, "", "", 210.0, "USD"],
        ["Acme Corp", "0000001", "2024-03-01", "paid", "2024-03-15", "Hosting", "Year", 50, 1,
         10, 45.0, "GST", 2.25, "", "", 47.25, "USD"],
        ["Globex", "0000002", "2024-03-05", "sent", "", "Consulting", "Hours", 80, 5, 0, 400.0,
         "GST", 20.0, "", "", 420.0, "USD"],
        ["Initech", "0000003", "2024-03-06", "draft", "", "Consulting", "Hours", 80, 10, 0,
         800.0, "GST", 40.0, "", "", 840.0, "USD"],
        ["Initech", "0000004", "2024-03-07", "viewed", "", "Support", "Month", 30, 1, 0, 30.0,
         "GST", 1.5, "", "", 31.5, "USD"],
    ]  # fmt: skip
    analysis = run(write_csv(tmp_path / "freshbooks.csv", FRESHBOOKS, rows))
    # Net line subtotals, the draft left out: 200 + 45 + 400 + 30.
    assert analysis.portfolio.revenue == pytest.approx(200 + 45 + 400 + 30, abs=0.005)
    assert top(analysis) == "Globex"
    assert analysis.currency == "USD"


NINJA = [
    "Client",
    "Email",
    "Invoice Number",
    "Amount",
    "Paid",
    "PO Number",
    "Status",
    "Invoice Date",
    "Due Date",
    "Discount",
    "Partial/Deposit",
    "Partial Due Date",
    "Public Notes",
    "Private Notes",
    "Item Product",
    "Item Notes",
    "Item Cost",
    "Item Quantity",
]


def test_invoice_ninja_repeated_invoice_amount_is_not_summed_per_line(tmp_path: Path) -> None:
    rows = [
        # Invoice 0001 of Acme: 3 lines, amount 13.50 × 2 + 100 + 5 × 4 = 147 repeated.
        ["Acme", "a@acme.test", "0001", "$147.00", "$147.00", "", "Paid", "2024-04-02",
         "2024-05-02", "0", "", "", "", "", "Widget", "", "$13.50", "2"],
        ["Acme", "a@acme.test", "0001", "$147.00", "$147.00", "", "Paid", "2024-04-02",
         "2024-05-02", "0", "", "", "", "", "Setup", "", "$100.00", "1"],
        ["Acme", "a@acme.test", "0001", "$147.00", "$147.00", "", "Paid", "2024-04-02",
         "2024-05-02", "0", "", "", "", "", "Bolt", "", "$5.00", "4"],
        # Invoice 0002 of Beta: one line of 300; summing Amount per line would make Acme
        # (3 × 147 = 441) the top client instead.
        ["Beta", "b@beta.test", "0002", "$300.00", "$0.00", "", "Sent", "2024-04-10",
         "2024-05-10", "0", "", "", "", "", "Service", "", "$150.00", "2"],
        ["Beta", "b@beta.test", "0003", "$60.00", "$0.00", "", "Draft", "2024-04-11",
         "2024-05-11", "0", "", "", "", "", "Service", "", "$60.00", "1"],
    ]  # fmt: skip
    above = ["Invoice Ninja export", "Exported on 2024-04-12", ""]
    analysis = run(write_csv(tmp_path / "ninja.csv", NINJA, rows, above=above))
    assert analysis.portfolio.revenue == pytest.approx(147 + 300, abs=0.005)
    assert top(analysis) == "Beta"
    assert "«Amount» repeats each document's figure" in notes(analysis)


SII = [
    "Nro",
    "Tipo Doc",
    "Tipo Venta",
    "Rut cliente",
    "Razon Social",
    "Folio",
    "Fecha Docto",
    "Fecha Recepcion",
    "Fecha Acuse Recibo",
    "Fecha Reclamo",
    "Monto Exento",
    "Monto Neto",
    "Monto IVA",
    "Monto total",
    "IVA Retenido Total",
    "IVA Retenido Parcial",
    "IVA no retenido",
    "IVA propio",
    "IVA Terceros",
    "RUT Emisor Liquid. Factura",
    "Neto Comision Liquid. Factura",
    "Exento Comision Liquid. Factura",
    "IVA Comision Liquid. Factura",
    "IVA fuera de plazo",
    "Tipo Docto. Referencia",
    "Folio Docto. Referencia",
    "Num. Ident. Receptor Extranjero",
    "Nacionalidad Receptor Extranjero",
    "Credito empresa constructora",
    "Impto. Zona Franca (Ley 18211)",
    "Garantia Dep. Envases",
    "Indicador Venta sin Costo",
    "Indicador Servicio Periodico",
    "Monto No facturable",
    "Total Monto Periodo",
    "Venta Pasajes Transporte Nacional",
    "Venta Pasajes Transporte Internacional",
    "Numero Interno",
    "Codigo Sucursal",
    "NCE o NDE sobre Fact. de Compra",
    "Codigo Otro Imp.",
    "Valor Otro Imp.",
    "Tasa Otro Imp.",
]


def _sii_row(nro: str, tipo: str, rut: str, name: str, folio: str, date: str,
             exento: str, neto: str, iva: str, total: str) -> list[str]:  # fmt: skip
    row = [nro, tipo, "Del Giro", rut, name, folio, date, date, "", "", exento, neto, iva, total]
    row += [""] * (len(SII) - len(row))
    row[SII.index("Total Monto Periodo")] = total
    row[SII.index("Codigo Sucursal")] = "81234567"
    return row


def test_sii_folio_per_type_continuation_rows_and_exempt_amounts(tmp_path: Path) -> None:
    andes, sur = "Comercial Andes SpA", "Servicios Sur Ltda"
    rows = [
        _sii_row("1", "33", "76.123.456-7", andes, "101", "05/03/2024", "0", "1000000",
                 "190000", "1190000"),
        _sii_row("2", "33", "77.222.333-4", sur, "102", "08/03/2024", "0", "500000", "95000",
                 "595000"),
        # A continuation row: no number, no date, no amounts.
        ["", "", "", "", "(continuación de la glosa)"] + [""] * (len(SII) - 5),
        _sii_row("3", "34", "76.123.456-7", andes, "15", "10/03/2024", "200000", "0", "0",
                 "200000"),
        # Credit note 61 reuses folio 101 (of type 33): the key is (type, folio).
        _sii_row("4", "61", "77.222.333-4", sur, "101", "12/03/2024", "0", "100000", "19000",
                 "119000"),
        _sii_row("5", "56", "77.222.333-4", sur, "7", "15/03/2024", "0", "50000", "9500",
                 "59500"),
    ]  # fmt: skip
    analysis = run(write_csv(tmp_path / "RCV_VENTA.csv", SII, rows, delimiter=";"))
    # Net = Neto + Exento; credit note 61 negative; debit note 56 positive.
    assert analysis.portfolio.revenue == pytest.approx(
        1_000_000 + 500_000 + 200_000 - 100_000 + 50_000, abs=0.005
    )
    assert top(analysis) == andes  # 1,200,000 against Sur's 450,000
    text = notes(analysis)
    assert "1 rows without a date and without a document number, client or amount" in text
    assert "«Folio» repeat across «Tipo Doc»" in text


AEAT_1 = [
    "Autoliquidación ",
    " ",
    " ",
    " Actividad ",
    " ",
    " Tipo de ",
    " Concepto de ",
    " Ingreso ",
    " Fecha ",
    " Fecha ",
    " Identificación de la factura ",
    " ",
    " ",
    " NIF Destinatario ",
    " ",
    " ",
    " Nombre ",
    " Clave ",
    " Calificación de la ",
    " Operación ",
    " Total ",
    " Base ",
    " Tipo ",
    " Cuota IVA ",
    " Tipo de ",
    " Cuota ",
    " Cobro ( Operación Criterio de Caja ) ",
    " ",
    " ",
    " ",
    " Tipo Retención ",
    " Importe Retenido ",
    " Registro Acuerdo ",
    " Inmueble ",
    " ",
    " Referencia Externa",
]
AEAT_2 = [
    "Ejercicio ",
    " Periodo ",
    " Código ",
    " Tipo ",
    " Grupo o Epígrafe del IAE ",
    " Factura ",
    " Ingreso ",
    " Computable ",
    " Expedición ",
    " Operación ",
    " Serie ",
    " Número ",
    " Número-final ",
    " Tipo ",
    " Código país ",
    " Identificación ",
    " Destinatario ",
    " Operación ",
    " Operación ",
    " Exenta ",
    " Factura ",
    " Imponible ",
    " de IVA ",
    " Repercutida ",
    " Recargo Eq. ",
    " Recargo Eq. ",
    " Fecha ",
    " Importe ",
    " Medio utilizado ",
    " Identificación medio utilizado ",
    " del IRPF ",
    " del IRPF ",
    " Facturación ",
    " Situación ",
    " Referencia Catastral",
]


def test_aeat_two_row_header_and_cash_basis_group(tmp_path: Path) -> None:
    import datetime as dt

    width = max(len(AEAT_1), len(AEAT_2))
    top_row = [c.strip() or None for c in AEAT_1] + [None] * (width - len(AEAT_1))
    sub_row = [f"  {c.strip()}  " for c in AEAT_2] + [None] * (width - len(AEAT_2))
    col = {name.strip(): i for i, name in enumerate(AEAT_2)}

    def row(serie: str, num: str, nif: str, name: str, day: int, base: float,
            cobro: tuple[dt.date, float] | None = None) -> list[object]:  # fmt: skip
        r: list[object] = [None] * width
        r[0], r[1], r[2], r[3] = 2024, "1T", "A", "01"
        r[col["Factura"]] = "F1"
        r[8] = dt.date(2024, 3, day)  # Fecha Expedición
        r[9] = dt.date(2024, 3, day)  # Fecha Operación
        r[col["Serie"]], r[col["Número"]] = serie, num
        r[15], r[16] = nif, name
        r[20] = round(base * 1.21, 2)  # Total Factura
        r[21] = base  # Base Imponible
        r[22] = 21  # Tipo de IVA
        r[23] = round(base * 0.21, 2)  # Cuota IVA Repercutida
        if cobro:
            r[26], r[27] = cobro  # Cobro: Fecha, Importe (not the invoice's)
        return r

    # Cash-basis firm: the «Cobro» group's Fecha and Importe are filled on most rows; they are
    # the payment's, not the invoice's date and amount.
    rows = [
        row("A", "1", "B12345678", "Construcciones Pérez SL", 4, 1000.0,
            (dt.date(2024, 4, 30), 1210.0)),
        row("A", "2", "A87654321", "Talleres Ruiz SA", 6, 2500.50,
            (dt.date(2024, 5, 30), 3025.61)),
        row("A", "3", "B12345678", "Construcciones Pérez SL", 8, 300.0,
            (dt.date(2024, 5, 2), 363.0)),
        row("A", "4", "12345678Z", "Hostal Mar", 9, 120.25),
    ]  # fmt: skip
    analysis = run(write_xlsx(tmp_path / "libro.xlsx", [top_row, sub_row], rows))
    assert analysis.portfolio.revenue == pytest.approx(1000 + 2500.50 + 300 + 120.25, abs=0.005)
    assert top(analysis) == "Talleres Ruiz SA"
    assert analysis.as_of == dt.date(2024, 3, 9)  # the invoice dates, not the cobro's
    columns = analysis.input_summary.tables["documents"]["columns"]
    assert columns["date"] == "Fecha / Expedición"
    assert columns["paid_date"].startswith("Cobro")


UCI = [
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
]


def test_uci_online_retail_float_ids_credit_notes_and_anonymous_lines(tmp_path: Path) -> None:
    uk = "United Kingdom"
    rows: list[list[object]] = [
        ["536365", "85123A", "WHITE HANGING HEART", 6, "12/1/2010 8:26", 2.55, "17850.0", uk],
        ["536365", "71053", "WHITE METAL LANTERN", 6, "12/1/2010 8:26", 3.39, "17850.0", uk],
        ["536366", "22633", "HAND WARMER", 6, "12/1/2010 8:28", 1.85, "17850.0", uk],
        ["536367", "84879", "ASSORTED BIRD", 32, "12/1/2010 8:34", 1.69, "13047.0", uk],
        ["536368", "22960", "JAM MAKING SET", 6, "12/1/2010 8:34", 4.25, "13047.0", uk],
        ["C536379", "D", "Discount", -1, "12/1/2010 9:41", 27.50, "14527.0", uk],
        ["536370", "22728", "ALARM CLOCK", 24, "12/13/2010 8:45", 3.75, "12583.0", "France"],
        ["536370", "22727", "ALARM CLOCK RED", 24, "12/13/2010 8:45", 3.75, "12583.0", "France"],
        # Anonymous sale: 1 line of 21 (4.8 %), 2.50 of the amount.
        ["536414", "22139", "RETROSPOT", 2, "12/13/2010 11:52", 1.25, "", uk],
    ]
    rows += [
        [f"5365{i:02d}", "21730", "LANTERN", 1, "12/2/2010 10:00", 10.0, "12472.0", "Germany"]
        for i in range(12)
    ]
    analysis = run(write_csv(tmp_path / "Online Retail.csv", UCI, rows))
    by_client = {
        "17850": 6 * 2.55 + 6 * 3.39 + 6 * 1.85,
        "13047": 32 * 1.69 + 6 * 4.25,
        "14527": -27.50,
        "12583": 2 * 24 * 3.75,
        "12472": 12 * 10.0,
    }
    assert analysis.portfolio.revenue == pytest.approx(sum(by_client.values()), abs=0.005)
    assert {c.id for c in analysis.clients} == set(by_client)  # 12472.0 read as 12472
    assert analysis.clients[0].id == "12583"
    assert "1 lines of 21, 2.5 in amount, have no client" in notes(analysis)


KAGGLE = [
    "ORDERNUMBER",
    "QUANTITYORDERED",
    "PRICEEACH",
    "ORDERLINENUMBER",
    "SALES",
    "ORDERDATE",
    "STATUS",
    "QTR_ID",
    "MONTH_ID",
    "YEAR_ID",
    "PRODUCTLINE",
    "MSRP",
    "PRODUCTCODE",
    "CUSTOMERNAME",
    "PHONE",
    "ADDRESSLINE1",
    "ADDRESSLINE2",
    "CITY",
    "STATE",
    "POSTALCODE",
    "COUNTRY",
    "TERRITORY",
    "CONTACTLASTNAME",
    "CONTACTFIRSTNAME",
    "DEALSIZE",
]


def _kaggle(order: int, qty: int, price: float, line: int, sales: float, date: str,
            status: str, customer: str, city: str) -> list[object]:  # fmt: skip
    month, _day, year = date.split()[0].split("/")
    return [order, qty, price, line, sales, date, status, 1, month, year, "Motorcycles", 95,
            "S10_1678", customer, "2125557818", "897 Long Airport Avenue", "", city, "NY",
            "10022", "USA", "NA", "Yu", "Kwai", "Small"]  # fmt: skip


def test_kaggle_sample_sales_cp1252_cancelled_orders(tmp_path: Path) -> None:
    rows = [
        _kaggle(10107, 30, 95.70, 2, 2871.00, "2/24/2003 0:00", "Shipped", "Land of Toys Inc.",
                "NYC"),
        _kaggle(10107, 45, 90.00, 1, 4050.00, "2/24/2003 0:00", "Shipped", "Land of Toys Inc.",
                "NYC"),
        _kaggle(10121, 34, 81.35, 5, 2765.90, "5/7/2003 0:00", "Shipped", "Café Lumière",
                "Reims"),
        _kaggle(10134, 41, 94.74, 2, 3884.34, "7/1/2003 0:00", "Cancelled", "Lyon Souveniers",
                "Lyon"),
        _kaggle(10145, 45, 83.26, 6, 3746.70, "8/25/2003 0:00", "On Hold", "Toys4GrownUps.com",
                "Pasadena"),
        _kaggle(10159, 49, 100.00, 14, 5205.27, "10/10/2003 0:00", "Disputed",
                "Corporate Gift Ideas Co.", "San Francisco"),
    ]  # fmt: skip
    path = write_csv(tmp_path / "sales_data_sample.csv", KAGGLE, rows, encoding="cp1252")
    analysis = run(path)
    # SALES, the cancelled order left out (On Hold and Disputed are still sales).
    assert analysis.portfolio.revenue == pytest.approx(
        2871.00 + 4050.00 + 2765.90 + 3746.70 + 5205.27, abs=0.005
    )
    assert top(analysis) == "Land of Toys Inc."
    assert "Café Lumière" in {c.name for c in analysis.clients}
    assert analysis.clients[0].metrics.orders == 1  # one order of two lines


def test_cdnow_whitespace_columns_one_document_per_client_and_day(tmp_path: Path) -> None:
    path = tmp_path / "CDNOW_master.txt"
    path.write_text(
        " customer_id  date number_of_cds  dollar_value\n"
        " 00001 19970101  1   11.77\n"
        " 00002 19970112  1   12.00\n"
        " 00002 19970112  5   77.00\n"
        " 00003 19970102  2   20.76\n"
        " 00003 19970330  2   20.76\n"
        " 00003 19970402  2   19.54\n",
        encoding="utf-8",
    )
    analysis = run(path)
    assert analysis.portfolio.revenue == pytest.approx(
        11.77 + 12.00 + 77.00 + 20.76 + 20.76 + 19.54, abs=0.005
    )
    assert analysis.clients[0].id == "2"  # 00002: 89.00 in one order of two lines
    assert analysis.clients[0].metrics.orders == 1
    assert analysis.currency == "USD"  # «dollar_value»
    assert "one client on one date count as one document" in notes(analysis)


def test_odoo_payments_given_as_payments_are_read_but_not_matched(tmp_path: Path) -> None:
    from realfiles import TODAY

    from cartera.analysis import analyze
    from cartera.i18n import language
    from cartera.io import ReadOptions

    invoices = write_xlsx(tmp_path / "invoices.xlsx", [ODOO], _odoo_rows())
    payments = write_csv(
        tmp_path / "payments.csv",
        ODOO_PAYMENTS,
        [[1210.0, 1210.0, AMAL, "2024-02-01", "Bank", "PBNK1/2024/00001", "Manual", "Posted"]],
    )
    with language("en"):
        analysis = analyze(documents=invoices, payments=payments, options=ReadOptions(today=TODAY))
    assert analysis.portfolio.revenue == pytest.approx(2000, abs=0.005)
    assert "not matched" in " ".join(analysis.input_summary.tables["payments"]["notes"])
