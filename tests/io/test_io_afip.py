"""Argentina's AFIP «Mis Comprobantes» and what it taught the reader (decision 0954): the
point of sale is the series, numeric types beside it are AFIP's codes, the receptor's
document number is the tax id, untaxed and exempt amounts add to the net, and a tax id of
zeros with no name is the final consumer."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from io_text import import_text

from cartera.io import ReadOptions, import_files
from cartera.io.aliases import AFIP_CREDIT_CODES
from cartera.io.role_rules import RULES
from cartera.io.words import concepts, header_words

HEAD = (
    "Fecha de Emisión;Tipo de Comprobante;Punto de Venta;Número Desde;Tipo Doc. Receptor;"
    "Nro. Doc. Receptor;Denominación Receptor;Imp. Neto Gravado Total;Imp. Neto No Gravado;"
    "Imp. Op. Exentas;Total IVA;Imp. Total\n"
)


def _row(day: int, kind: str, pv: str, number: str, doc: str, name: str, *money: str) -> str:
    return ";".join([f"2026-10-{day:02d}", kind, pv, number, "80", doc, name, *money]) + "\n"


def _score(role: str, header: str) -> float:
    return RULES["documents"][role](concepts(header), header_words(header))


@pytest.mark.parametrize(
    ("header", "role", "score"),
    [
        ("Nro. Doc. Receptor", "tax_id", 75),
        ("Número de documento del cliente", "tax_id", 75),
        ("Documento cliente", "tax_id", 0),  # no number named: a name, as before
        ("Tipo Doc. Receptor", "tax_id", 0),
        ("Nº Factura Cliente", "tax_id", 0),  # an invoice's number
        ("Número de documento de la factura del cliente", "tax_id", 0),
        ("Nro. Doc. Cliente Importe", "tax_id", 0),
        ("Imp. Neto No Gravado", "exempt", 80),
        ("Neto no gravada", "exempt", 80),
        ("Imp. Neto No Gravado", "net", 0),
        ("Imp. Neto Gravado Total", "net", 85),
        ("Imp. Neto Gravado Total", "exempt", 0),
        ("Imp. Op. Exentas", "exempt", 80),
        ("IVA no gravado", "exempt", 0),  # a tax word: no untaxed amount
    ],
)
def test_header_scores(header: str, role: str, score: float) -> None:
    assert _score(role, header) == score


def test_the_afip_credit_codes() -> None:
    assert AFIP_CREDIT_CODES == (
        "3", "8", "13", "53", "110", "112", "113", "114", "119", "203", "208", "213"
    )  # fmt: skip


def _import(tmp_path: Path, options: ReadOptions, text: str) -> pl.DataFrame:
    docs, _ = import_text(tmp_path, options, text)
    return docs


def test_a_monotributista_export(tmp_path: Path, options: ReadOptions) -> None:
    text = HEAD
    text += _row(2, "11", "2", "1", "30712345678", "PAZ SRL", "0", "0", "0", "0", "310000")
    text += _row(3, "11", "3", "1", "28765432", "FERNÁNDEZ LUCÍA", "0", "0", "0", "0", "1000")
    # Credit note C (13) number 1 of point of sale 2, to the final consumer: not invoice 3-1.
    text += _row(4, "13", "2", "1", "0", "", "0", "0", "0", "0", "700")
    text += _row(5, "11", "2", "2", "0", "", "0", "0", "0", "0", "950")
    text += _row(6, "12", "2", "1", "30712345678", "PAZ SRL", "0", "0", "0", "0", "50")
    docs = _import(tmp_path, options, text)
    assert docs["doc_number"].to_list() == ["2-11-1", "3-11-1", "2-13-1", "2-11-2", "2-12-1"]
    assert docs["doc_type"].to_list() == ["invoice"] * 2 + ["credit_note"] + ["invoice"] * 2
    assert docs["amount"].to_list() == [310000.0, 1000.0, -700.0, 950.0, 50.0]
    ws_clients = docs["client_key"].to_list()
    assert ws_clients[2] == ws_clients[3] != ws_clients[1]  # the final consumer, one client


def test_the_final_consumer_is_named_and_joins_nobody(tmp_path: Path, options: ReadOptions) -> None:
    text = HEAD
    text += _row(2, "11", "2", "1", "0", "", "0", "0", "0", "0", "100")
    text += _row(3, "11", "2", "2", "000", "", "0", "0", "0", "0", "200")
    # A zero tax id beside a name: that person, not the final consumer.
    text += _row(4, "11", "2", "3", "0", "GÓMEZ ANA", "0", "0", "0", "0", "300")
    text += _row(5, "11", "2", "4", "0", "PÉREZ JUAN", "0", "0", "0", "0", "400")
    text += _row(6, "11", "2", "5", "30712345678", "PAZ SRL", "0", "0", "0", "0", "500")
    (tmp_path / "f.csv").write_text(text, encoding="utf-8")
    summary = import_files(documents=tmp_path / "f.csv", into=tmp_path / "ws", options=options)
    clients = summary.workspace.read("clients").sort("client_key")
    docs = summary.workspace.read("documents").sort("source_row")
    named = docs.join(clients, on="client_key").select("name", "tax_id", "amount")
    assert named.rows() == [
        ("Consumidor final", None, 100.0),
        ("Consumidor final", None, 200.0),
        ("GÓMEZ ANA", None, 300.0),
        ("PÉREZ JUAN", None, 400.0),
        ("PAZ SRL", "30712345678", 500.0),
    ]


def test_untaxed_and_exempt_amounts_add_to_the_net(tmp_path: Path, options: ReadOptions) -> None:
    text = HEAD + _row(
        2, "1", "4", "2211", "30501234567", "METALÚRGICA SA", "1000", "15", "5", "210", "1230"
    )
    docs = _import(tmp_path, options, text)
    assert docs["amount"].to_list() == [1020.0]


@pytest.mark.parametrize(("series", "credit"), [("Punto de Venta", True), ("Sucursal", False)])
def test_numeric_types_are_afip_codes_only_beside_a_point_of_sale(
    tmp_path: Path, options: ReadOptions, series: str, credit: bool
) -> None:
    text = f"Fecha;Tipo;{series};Número;Cliente;Neto\n"
    text += "02/10/2026;11;2;1;Acme;100\n02/10/2026;13;2;2;Acme;40\n"
    docs = _import(tmp_path, options, text)
    assert docs["amount"].to_list() == [100.0, -40.0 if credit else 40.0]


def test_a_worded_type_beside_a_point_of_sale_is_read_by_its_words(
    tmp_path: Path, options: ReadOptions
) -> None:
    text = "Fecha;Tipo;Punto de Venta;Número;Cliente;Neto\n"
    text += "02/10/2026;1 - Factura A;2;1;Acme;100\n02/10/2026;3 - Nota de Crédito A;2;2;Acme;40\n"
    docs = _import(tmp_path, options, text)
    assert docs["amount"].to_list() == [100.0, -40.0]


@pytest.mark.parametrize(
    ("case", "shared"),
    [
        ("series", False),  # number 1 of series A and of series B
        ("codes", False),  # number 1 of type 11 and of type 13, one point of sale
        ("type on the first line", True),
        ("line types in words", True),  # Vend's «Sale» and «Sale Line» rows
        ("codes without a series", True),
    ],
)
def test_a_line_takes_its_client_only_from_its_own_document(
    tmp_path: Path, options: ReadOptions, case: str, shared: bool
) -> None:
    # The second line names no client: it takes one only from a line of its own document.
    head, first, second = {
        "series": ("Serie;Número", "A;1", "B;1"),
        "codes": ("Punto de Venta;Número;Tipo", "2;1;11", "2;1;13"),
        "type on the first line": ("Número;Tipo", "1;Factura", "1;"),
        "line types in words": ("Número;Tipo", "1;Sale", "1;Sale Line"),
        "codes without a series": ("Número;Tipo", "1;11", "1;13"),
    }[case]
    text = f"Fecha;{head};Cliente;Neto\n02/10/2026;{first};Acme;100\n02/10/2026;{second};;40\n"
    skip = options.model_copy(update={"skip_bad_rows": True})
    docs = _import(tmp_path, skip, text)
    assert (docs.height == 2 and docs["client_key"].n_unique() == 1) is shared


def test_clients_with_a_zero_tax_id_are_not_merged(tmp_path: Path, options: ReadOptions) -> None:
    # Both used to be client «0»: a zero tax id identified them.
    text = "Fecha;Factura;NIF;Cliente;Neto\n02/10/2026;1;0;GÓMEZ ANA;100\n"
    text += "02/10/2026;2;0;PÉREZ JUAN;40\n02/10/2026;3;B12345678;ACME;40\n"
    (tmp_path / "f.csv").write_text(text, encoding="utf-8")
    summary = import_files(documents=tmp_path / "f.csv", into=tmp_path / "ws", options=options)
    clients = summary.workspace.read("clients").sort("client_key")
    assert sorted(clients["name"].to_list()) == ["ACME", "GÓMEZ ANA", "PÉREZ JUAN"]


def test_factura_c_reads_its_total_by_the_untaxed_rule(
    tmp_path: Path, options: ReadOptions
) -> None:
    # A monotributista's export: every net column 0, no VAT; numbers repeat across points of
    # sale (2-11-1, 3-11-1), which are different documents, not one document's lines.
    text = HEAD
    for pv in ("2", "3"):
        for n, total in (("1", "1000"), ("2", "2500"), ("3", "400")):
            text += _row(2, "11", pv, n, "30712345678", "PAZ SRL", "0", "0", "0", "0", total)
    docs, rendered = import_text(tmp_path, options, text)
    assert docs["amount"].to_list() == [1000.0, 2500.0, 400.0] * 2
    assert "repeats each document's figure" not in rendered


@pytest.mark.parametrize(("untaxed", "applies"), [(4, True), (3, False)])
def test_untaxed_nets_share_edge(
    tmp_path: Path, options: ReadOptions, untaxed: int, applies: bool
) -> None:
    from cartera.io.taxes import UNTAXED_NETS

    assert UNTAXED_NETS == 0.8  # 4 of 5 rows with a total: the rule; 3 of 5: not
    text = HEAD
    for n in range(untaxed):
        text += _row(2, "11", "2", str(n + 1), "30712345678", "PAZ SRL", "0", "0", "0", "0", "500")
    for n in range(untaxed, 5):
        text += _row(
            2, "1", "2", str(n + 1), "30712345678", "PAZ SRL", "100", "0", "0", "21", "121"
        )
    docs, rendered = import_text(tmp_path, options, text)
    zero_rows = docs["amount"].to_list()[:untaxed]
    assert zero_rows == ([500.0] if applies else [0.0]) * untaxed
    assert docs["amount"].to_list()[untaxed:] == [100.0] * (5 - untaxed)
    note = (
        "«Imp. Neto Gravado Total» is 0 and no tax is written on the rows with «Imp. Total» "
        "(invoices without VAT, such as AFIP's type C): there the net amount is «Imp. Total»"
    )
    assert (note in rendered) is applies


@pytest.mark.parametrize(
    ("net", "vat", "total", "amount"),
    [
        ("0,00", "0,00", "500,00", 500.0),  # untaxed: the total
        ("", "", "500,00", 500.0),  # empty cells are no figure either
        ("0,00", "105,00", "105,00", 0.0),  # a tax written: the net as it is
        ("30,00", "0,00", "30,00", 30.0),  # a net written: itself
        ("0,00", "0,00", "0,00", 0.0),  # nothing at all
        ("0,00", "0,00", "", 0.0),  # no total: the net as it is
    ],
)
def test_untaxed_rule_row_by_row(
    tmp_path: Path, options: ReadOptions, net: str, vat: str, total: str, amount: float
) -> None:
    text = "Factura;Fecha;Cliente;Base imponible;Cuota IVA;Total\n"
    # 8 untaxed rows of 10 with a total: the rule holds whatever the ninth row is.
    text += "".join(f"F{n};0{n}/10/2026;Sol SL;0,00;0,00;500,00\n" for n in range(1, 9))
    text += f"F9;09/10/2026;Sol SL;{net};{vat};{total}\n"
    text += "F10;10/10/2026;Luna SL;1000,00;210,00;1210,00\n"
    docs = _import(tmp_path, options, text)
    assert docs["amount"].to_list() == [500.0] * 8 + [amount, 1000.0]


def test_document_figures_are_told_per_series(tmp_path: Path, options: ReadOptions) -> None:
    # Two series numbered apart (A-1 and B-1 are two invoices) that bill the same amounts:
    # grouped by number alone, each pair looked like one document repeating its total.
    head = "Serie;Número;Fecha;Cliente;Producto;Unidades;Total\n"
    rows = [
        f"{serie};{n};0{n}/10/2026;{client};{product};1;{total}\n"
        for n, total in ((1, "150,00"), (2, "90,00"), (3, "75,00"))
        for serie, client, product in (
            ("A", "Ferretería Sol", "Cuota"),
            ("B", "Bazar Luna", "Alta"),
        )
    ]
    docs, rendered = import_text(tmp_path, options, head + "".join(rows))
    assert docs["amount"].sum() == pytest.approx(630.0)
    assert docs["doc_number"].n_unique() == 6
    assert "repeats each document's figure" not in rendered


def test_the_monotributo_fixture(tmp_path: Path, options: ReadOptions) -> None:
    # tests/data/dialects/ar_afip_monotributo.csv: ten Factura C documents of two points of
    # sale (numbers repeating across them), a credit note C and a debit note C, in pesos.
    fixture = Path(__file__).parents[1] / "data" / "dialects" / "ar_afip_monotributo.csv"
    summary = import_files(documents=fixture, into=tmp_path / "ws", options=options)
    docs = summary.workspace.read("documents")
    assert docs["amount"].sum() == pytest.approx(983800.0)
    assert docs.height == docs["doc_number"].n_unique() == 10
    assert summary.workspace.manifest["tables"]["documents"]["files"][0]["currency"] == "ARS"
