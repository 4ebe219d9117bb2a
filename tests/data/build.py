# ruff: noqa: E501
"""Write the small test files of tests/data (run once; the files are committed).

    .venv/bin/python tests/data/build.py

Each dialect file imitates a real export (headers from the programs' public
documentation, see /docs/input-formats.md); each file under ``bad/`` holds one
class of bad input.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).parent


def write(path: Path, text: str, encoding: str = "utf-8", newline: str = "\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = text.strip("\n").replace("\n", newline) + newline
    path.write_bytes(body.encode(encoding))


def dialects() -> None:
    d = HERE / "dialects"
    # Holded import/export template: ";" UTF-8, dates d/m/yyyy in headers, no net column.
    write(
        d / "holded_facturas.csv",
        """
Num factura;Formato de numeración;Fecha dd/mm/yyyy;Fecha de vencimiento dd/mm/yyyy;Descripción;Nombre del contacto;NIF del contacto;Provincia;País;Concepto;Descripción del producto;SKU;Precio unidad;Unidades;Descuento %;IVA %;Retención %;Cantidad cobrada;Fecha de cobro;Moneda
F2024-001;F[YYYY]-[000];3/1/2024;2/2/2024;Proyecto web;Diseños Ñora S.L.;B-12.345.678;Murcia;España;Diseño;Diseño de logotipo;LOGO;450,00;1;0;21;0;1.089,00;25/1/2024;eur
F2024-001;F[YYYY]-[000];3/1/2024;2/2/2024;Proyecto web;Diseños Ñora S.L.;B-12.345.678;Murcia;España;Web;Maquetación web;WEB;150,00;3;0;21;0;1.089,00;25/1/2024;eur
F2024-002;F[YYYY]-[000];14/2/2024;15/3/2024;Mantenimiento;Clínica Dental Sonrisa;B87654321;Madrid;España;Soporte;Mantenimiento mensual;MANT;80,00;6;10;21;0;;;eur
F2024-003;F[YYYY]-[000];1/3/2024;31/3/2024;Devolución;Diseños Ñora S.L.;B-12.345.678;Murcia;España;Diseño;Diseño de logotipo;LOGO;450,00;-1;0;21;0;;;eur
F2024-004;F[YYYY]-[000];20/3/2024;19/4/2024;Campaña;Asesoría Gómez;12345678Z;Sevilla;España;Publicidad;Campaña redes sociales;ADS;1.200,00;1;5;21;0;600,00;10/4/2024;eur
""",
    )
    # Odoo (es) invoice list export: "," UTF-8, ISO dates, dot decimals, net and total.
    write(
        d / "odoo_facturas.csv",
        """
Número,Cliente,NIF Cliente,Fecha de factura,Fecha de vencimiento,Estado,Total,Impuestos,Base imponible,Condiciones de pago,Referencia,Moneda
INV/2024/00001,Ferretería Alonso,ESB11111111,2024-01-10,2024-02-09,Pagado,1210.00,210.00,1000.00,30 días,PO-1,EUR
INV/2024/00002,"Papelería Rivas, S.L.",B22222222,2024-01-22,2024-03-22,Publicado,2420.00,420.00,2000.00,60 días,,EUR
INV/2024/00003,Ferretería Alonso,ESB11111111,2024-02-15,2024-03-16,Publicado,605.00,105.00,500.00,30 días,PO-2,EUR
RINV/2024/00001,Ferretería Alonso,ESB11111111,2024-02-20,2024-02-20,Publicado,-121.00,-21.00,-100.00,,Devolución,EUR
INV/2024/00004,Hotel Bahía,B33333333,2024-03-05,2024-04-04,Pagado,3630.00,630.00,3000.00,30 días,,EUR
""",
    )
    # Sage 50 / ContaPlus style: ";" cp1252 CRLF, d/m/yy, Serie + Número, R series with positive amounts.
    write(
        d / "sage_facturas.csv",
        """
Reg;Serie;Número factura;Fecha factura;NIF cliente;Nombre cliente;Concepto;Total factura;Base imponible;%Iva1;Importe impuesto
1;A;101;5/1/24;B44444444;Muebles Castaño S.A.;Mesas;1452,00;1200,00;21;252,00
2;A;102;18/1/24;B55555555;Cafetería Núñez;Sillas;363,00;300,00;21;63,00
3;A;103;2/2/24;B44444444;Muebles Castaño S.A.;Armarios;2420,00;2000,00;21;420,00
4;R;1;9/2/24;B55555555;Cafetería Núñez;Abono sillas;121,00;100,00;21;21,00
5;A;104;29/2/24;B66666666;Óptica Visión;Estanterías;968,00;800,00;21;168,00
""",
        encoding="cp1252",
        newline="\r\n",
    )
    # Cegid A3 report: "|" UTF-8 with BOM, yyyymmdd, euro signs and parentheses negatives.
    write(
        d / "a3_facturas.csv",
        """
Número de factura|Código de cliente|Cliente de facturación|Fecha de emisión|Tipo|Base imponible|Importe de la factura|Fecha de cobro
2024/0001|430000001|Talleres Ibáñez|20240108|Factura|1.500,00 €|1.815,00 €|20240207
2024/0002|430000002|Frutas Peña|20240119|Factura|250,50 €|303,11 €|
2024/0003|430000001|Talleres Ibáñez|20240205|Abono|(120,00 €)|(145,20 €)|
2024/0004|430000003|Gestoría Llull|20240212|Factura|12.000,00 €|14.520,00 €|20240315
""",
        encoding="utf-8-sig",
    )
    # Plain English export: "," UTF-8, UK day-first dates, quoted thousands.
    write(
        d / "english_invoices.csv",
        """
Invoice number,Customer ID,Customer,Invoice date,Due date,Type,Units,Amount,Cost,Paid date
INV-1001,CUST-01,Acme Ltd,15/01/2024,14/02/2024,Invoice,10,"1,250.00",700.00,10/02/2024
INV-1002,CUST-02,Globex LLC,03/02/2024,04/03/2024,Invoice,2,450.50,300.00,
INV-1003,CUST-01,Acme Ltd,20/02/2024,21/03/2024,Credit note,-1,-125.00,-70.00,
INV-1004,CUST-03,Initech Inc.,28/02/2024,29/03/2024,Invoice,5,"2,000.00","1,100.00",25/03/2024
""",
    )
    # US tab-separated export: month-first dates, plain dot decimals, margin instead of cost.
    write(
        d / "us_sales.tsv",
        "Date\tCustomer\tAmount\tMargin\tUnits\n"
        "01/15/2024\tNorthwind Traders\t1200.50\t400.25\t3\n"
        "02/03/2024\tContoso Ltd\t80.00\t20.00\t1\n"
        "02/28/2024\tNorthwind Traders\t560.00\t150.00\t2\n",
    )
    write(
        d / "customers.csv",
        """
Customer ID,Company name,VAT number,Industry,Region,Image client,Contact,Email,Phone,Payment terms
CUST-01,Acme Ltd,GB123456789,Manufacturing,London,Yes,Jane Roe,jane@acme.test,+44 20 0000 0001,30 days
CUST-02,Globex LLC,US987654321,Energy,Texas,No,John Doe,john@globex.test,+1 555 0100,60 days
CUST-03,Initech Inc.,US111222333,Software,California,No,Bill L,bill@initech.test,,45
""",
    )
    write(
        d / "payments.csv",
        """
Invoice number,Payment date,Amount paid
INV-1001,2024-02-10,"1,250.00"
INV-1002,2024-03-01,200.00
INV-1004,2024-03-20,"1,000.00"
INV-1004,2024-03-25,"1,000.00"
""",
    )
    write(
        d / "activities.csv",
        """
Date,Customer ID,Activity,Hours,Notes
2024-01-16,CUST-01,Meeting,1.5,Kick-off
2024-02-04,CUST-02,Call,0.5,
2024-02-21,CUST-01,Support,3,Return of goods
""",
    )
    xlsx_title_rows(d / "ventas_titulo.xlsx")
    xlsx_aeat(d / "libro_expedidas.xlsx")


def xlsx_title_rows(path: Path) -> None:
    """Title rows above the header, a summary sheet first, Excel serial dates as plain numbers."""
    wb = xlsxwriter.Workbook(path)
    summary = wb.add_worksheet("Resumen")
    summary.write(0, 0, "Resumen de ventas 2024")
    summary.write(1, 0, "Total")
    summary.write_number(1, 1, 4330.5)
    ws = wb.add_worksheet("Ventas")
    ws.write(0, 0, "Listado de ventas 2024")
    ws.write(1, 0, "Empresa: Ejemplo S.L.")
    headers = ["Fecha", "Código cliente", "Cliente", "NIF", "Importe", "Coste", "Unidades"]
    for col, header in enumerate(headers):
        ws.write(3, col, header)
    rows = [
        (45300, "C1", "Librería Ortega", "B77777777", 1500.0, 900.0, 3),
        (45320, "C2", "Vivero Sáez", "B88888888", 830.5, 500.0, 1),
        (45350, "C1", "Librería Ortega", "B77777777", 2000.0, 1300.0, 4),
    ]
    for r, row in enumerate(rows, start=4):
        for col, value in enumerate(row):
            if isinstance(value, str):
                ws.write_string(r, col, value)
            else:
                ws.write_number(r, col, value)
    wb.close()


def xlsx_aeat(path: Path) -> None:
    """AEAT "libro registro de facturas expedidas": two header rows with grouped columns."""
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("EXPEDIDAS")
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    top = [
        "Ejercicio",
        "Periodo",
        "Actividad",
        "Fecha Expedición",
        "Identificación Factura",
        None,
        "NIF Destinatario",
        None,
        None,
        "Nombre Destinatario",
        "Total Factura",
        "Base Imponible",
        "Tipo de IVA",
        "Cuota IVA Repercutida",
    ]
    sub = [
        None,
        None,
        None,
        None,
        "Serie",
        "Número",
        "Tipo",
        "Código País",
        "Identificación",
        None,
        None,
        None,
        None,
        None,
    ]
    for col, text in enumerate(top):
        if text:
            ws.write(0, col, text)
    ws.merge_range(0, 4, 0, 5, "Identificación Factura")
    ws.merge_range(0, 6, 0, 8, "NIF Destinatario")
    for col, text in enumerate(sub):
        if text:
            ws.write(1, col, text)
    rows = [
        (
            2024,
            "1T",
            "A",
            dt.datetime(2024, 1, 9),
            "FV",
            "0001",
            "02",
            "ES",
            "B99999999",
            "Carpintería Vidal",
            1210.0,
            1000.0,
            21,
            210.0,
        ),
        (
            2024,
            "1T",
            "A",
            dt.datetime(2024, 2, 14),
            "FV",
            "0002",
            "02",
            "ES",
            "B12121212",
            "Imprenta Solé",
            605.0,
            500.0,
            21,
            105.0,
        ),
        (
            2024,
            "1T",
            "A",
            dt.datetime(2024, 3, 1),
            "FV",
            "0003",
            "02",
            "ES",
            "B99999999",
            "Carpintería Vidal",
            2420.0,
            2000.0,
            21,
            420.0,
        ),
    ]
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row):
            if isinstance(value, dt.datetime):
                ws.write_datetime(r, col, value, date_fmt)
            elif isinstance(value, str):
                ws.write_string(r, col, value)
            else:
                ws.write_number(r, col, value)
    wb.close()


DOC_HEADER = "Nº factura;Fecha;Código cliente;Cliente;Base imponible"


def bad_files() -> None:
    b = HERE / "bad"
    write(b / "empty.csv", "")
    (b / "empty.csv").write_bytes(b"")
    write(b / "header_only.csv", DOC_HEADER)
    write(b / "single_column.csv", "Cliente\nAcme\nGlobex\nInitech")
    (b / "report.csv").write_bytes(
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    )
    (b / "binary.csv").write_bytes(bytes(range(256)) * 4)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("facturas.csv", DOC_HEADER + "\n")
    (b / "archive.csv").write_bytes(buf.getvalue())
    mixed = (DOC_HEADER + "\nF1;01/02/2024;C1;Muñoz;100,00\n").encode("utf-8")
    mixed += "F2;02/02/2024;C2;Peña;200,00\n".encode("cp1252")
    (b / "mixed_encoding.csv").write_bytes(mixed)
    write(
        b / "bad_rows.csv",
        DOC_HEADER
        + """
F1;15/01/2024;C1;Acme;100,00
F2;31/02/2024;C1;Acme;200,00
F3;16/01/2024;C2;Globex;doce euros
F4;17/01/2024;;;300,00
F5;01/01/2099;C2;Globex;400,00
F6;18/01/2024;C3;Initech;
F7;ayer;C3;Initech;50,00
""",
    )
    write(
        b / "duplicates.csv",
        DOC_HEADER
        + """
F1;15/01/2024;C1;Acme;100,00
F1;15/01/2024;C1;Acme;50,00
F2;16/01/2024;C1;Acme;200,00
F2;16/01/2024;C2;Globex;300,00
F3;17/01/2024;C2;Globex;10,00
F3;18/01/2024;C2;Globex;10,00
""",
    )
    write(
        b / "good_documents.csv",
        DOC_HEADER + "\nF1;15/01/2024;C1;Acme;100,00\nF2;16/01/2024;C2;Globex;200,00",
    )
    write(
        b / "unknown_payments.csv",
        """
Nº factura;Fecha cobro;Cantidad cobrada
F1;20/01/2024;121,00
F9;21/01/2024;50,00
""",
    )
    write(b / "no_amount.csv", "Nº factura;Fecha;Cliente\nF1;15/01/2024;Acme")
    write(
        b / "ambiguous_dates.csv",
        """
Invoice number,Date,Customer,Amount
1,01/02/2024,Acme,100.50
2,03/04/2024,Globex,200.25
3,05/06/2024,Acme,300.00
""",
    )
    write(
        b / "ambiguous_decimal.csv",
        """
Invoice number,Date,Customer,Amount
1,2024-01-02,Acme,"1,500"
2,2024-03-04,Globex,"2,250"
""",
    )
    write(
        b / "mixed_decimal.csv",
        DOC_HEADER
        + """
F1;15/01/2024;C1;Acme;1.234,56
F2;16/01/2024;C2;Globex;99,95
F3;17/01/2024;C2;Globex;1,234.56
""",
    )


if __name__ == "__main__":
    dialects()
    bad_files()
