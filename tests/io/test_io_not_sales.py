"""Lines that are not sales by their own cells (decision 0944), and credit-note type words."""

from __future__ import annotations

import datetime as dt
import re

import polars as pl
import pytest

from cartera.io.rows import drop_not_sales, not_sales
from cartera.io.tables import _CREDIT_RE


@pytest.mark.parametrize(
    ("word", "credit"),
    [
        ("R", True),
        ("E", True),
        ("61", True),
        ("Egreso", True),
        ("Nota de crédito electrónica", True),
        ("Abono", True),
        ("Recibo", False),  # starts with R, but R is a whole code
        ("Entrega", False),  # starts with E
        ("610", False),
        ("Factura", False),
        ("I", False),
    ],
)
def test_credit_type_words_and_codes(word: str, credit: bool) -> None:
    plain = re.sub(r"[^0-9a-z]", "", word.lower().replace("é", "e").replace("ó", "o"))
    assert (re.search(_CREDIT_RE, plain) is not None) is credit


def _frame(**columns: list[str | None]) -> pl.DataFrame:
    height = len(next(iter(columns.values())))
    return pl.DataFrame({"amount": [10.0] * height, **columns})


def test_a_cancellation_date_leaves_the_line_out() -> None:
    frame = _frame(cancelled=["2024-04-05", None, "", "  ", "x"])
    kept, notes = drop_not_sales(frame, {"cancelled": "FechaCancelacion"}, pl.col("amount"))
    assert kept.height == 3  # empty and blank cells are not a date
    assert notes[0].params == {"lines": 2, "amount": 20.0, "column": "FechaCancelacion"}


@pytest.mark.parametrize(
    ("kind", "sale"),
    [
        ("N", False),
        ("Nómina", False),
        ("P", False),
        ("Pago", False),
        ("Pagos", False),
        ("Recepción de pagos", False),
        ("T", False),
        ("Traslado", False),
        ("Pagaré", True),
        ("Nota", True),
        ("I", True),
        ("Ingreso", True),
        ("Comprobante de Retención", False),
        ("Retención", False),
        ("Comprobante de venta", True),
        (None, True),
    ],
)
def test_types_that_are_not_sales(kind: str | None, sale: bool) -> None:
    frame = _frame(doc_type=[kind, "I"])
    kept, notes = drop_not_sales(frame, {"doc_type": "EfectoComprobante"}, pl.col("amount"))
    assert kept.height == (2 if sale else 1)
    assert bool(notes) is not sale


def test_no_such_columns_means_nothing_to_check() -> None:
    frame = _frame(doc_type=["I", "E"])
    assert not_sales(frame) is None
    assert not_sales(pl.DataFrame({"amount": [1.0]})) is None
    kept, notes = drop_not_sales(frame, {}, pl.col("amount"))
    assert kept.height == 2 and notes == []


def test_both_reasons_each_noted_once() -> None:
    frame = _frame(cancelled=["2024-01-01", None, None], doc_type=["N", "N", "I"])
    kept, notes = drop_not_sales(
        frame, {"cancelled": "Cancelada", "doc_type": "Tipo"}, pl.col("amount")
    )
    assert kept.height == 1
    assert [n.params["lines"] for n in notes] == [1, 1]
    assert notes[1].params["words"] == "«N»"


@pytest.mark.parametrize(
    ("status", "excluded"),
    [
        ("Cancelled", True),
        ("Venta cancelada. No despaches.", True),  # a later word
        ("Reclamo cerrado con reembolso al comprador", True),
        ("partially_refunded", False),  # a partial change counts
        ("Reembolso parcial", False),
        ("Refunded", True),
        ("Payment error", True),  # a phrase, read whole
        ("Error de pago", True),
        ("Pending payment", True),
        ("Awaiting bank wire payment", True),
        ("Awaiting Payment", False),  # Xero: an approved invoice not yet paid
        ("Pendiente", False),
        ("Failed", True),
        ("Payment accepted", False),
        ("Paid", False),
    ],
)
def test_status_words_anywhere_unless_partial(status: str, excluded: bool) -> None:
    from cartera.io.rows import EXCLUDED_STATUS, excluded_words

    frame = pl.DataFrame({"status": [status, "Paid"]})
    assert (excluded_words(frame, EXCLUDED_STATUS) == [status]) is excluded


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("1 de enero de 2024 10:00 hs.", "2024-01-01"),
        ("15 de marzo de 2024 18:42 hs", "2024-03-15"),
        ("15 de marzo de 2024 18:42 h", "2024-03-15"),
        ("15 de marzo de 2024 18:42 hrs.", "2024-03-15"),
        ("05/01/2024 10:00 hs.", "05/01/2024"),
    ],
)
def test_an_hour_word_after_the_time_is_dropped(text: str, iso: str) -> None:
    from cartera.io.conventions import clean_date_text

    assert pl.select(clean_date_text(pl.lit(text))).item() == iso


def _orders(rows: list[tuple[str, str, str, float]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "doc_number": [r[0] for r in rows],
            "date": [dt.date.fromisoformat(r[1]) for r in rows],
            "client_name": [r[2] for r in rows],
            "amount": [r[3] for r in rows],
        }
    )


@pytest.mark.parametrize(
    ("later", "keyed"),
    [
        (("7", "2024-01-05", "Ana", -10.0), True),  # a refund: later, same client, negative
        (("7", "2024-01-05", "Ana", 0.0), False),  # not negative
        (("7", "2024-01-05", "Ana", 10.0), False),  # a number used twice: a duplicate
        (("7", "2024-01-05", "Bob", -10.0), False),  # another client's
        (("7", "2024-01-01", "Ana", -10.0), False),  # the same date: a line of the order
        (("7", "2023-12-31", "Ana", -10.0), False),  # before the order
    ],
)
def test_refund_keyed_under_its_order(later: tuple[str, str, str, float], keyed: bool) -> None:
    from cartera.io.rows import REFUND_OF, drop_orphan_refunds, key_refunds

    frame = _orders([("7", "2024-01-01", "Ana", 30.0), later])
    out, notes = key_refunds(frame, pl.col("amount"))
    numbers = out.get_column("doc_number").to_list()
    assert numbers == (["7", "7-20240105"] if keyed else ["7", "7"])
    assert bool(notes) is keyed
    if keyed:
        assert out.get_column(REFUND_OF).to_list() == [None, "7"]
        kept, _ = drop_orphan_refunds(out)
        assert kept.columns == frame.columns and kept.height == 2
        kept, dropped = drop_orphan_refunds(out.filter(pl.col(REFUND_OF).is_not_null()))
        assert kept.height == 0 and dropped[0].params == {"count": 1}


@pytest.mark.parametrize(
    ("kind", "sale"),
    [
        ("REC", False),
        ("Rectificativa", True),  # REC is a whole code, not a prefix
        ("Guía de despacho electrónica", False),  # a long word starts the type
        ("Guía", True),
        ("Payment received", False),
        ("Pagaré", True),
        # decision 0953: an ERP's delivery notes and orders beside its invoices
        ("Albarán", False),
        ("Albarán de venta", False),
        ("Pedido de cliente", False),
        ("Sales Order", False),
        ("Nota de entrega", False),
        ("Factura de pedido", True),  # «pedido» only starts a type
        # a quote's word anywhere in the type
        ("Factura proforma", False),
        ("Faktura Proforma", False),
        ("Sales quotation", False),
        ("Cotización", False),
        ("Factura de venta", True),
        ("Performance", True),
    ],
)
def test_not_sale_codes_whole_and_words_as_prefixes(kind: str, sale: bool) -> None:
    frame = _frame(doc_type=[kind, "I"])
    kept, _ = drop_not_sales(frame, {"doc_type": "Tipo"}, pl.col("amount"))
    assert kept.height == (2 if sale else 1)


@pytest.mark.parametrize(("word", "credit"), [("NC", True), ("CRE", True), ("CREDITO", True),
                                              ("CREA", False), ("NCX", False)])  # fmt: skip
def test_three_character_credit_codes_are_whole(word: str, credit: bool) -> None:
    assert (re.search(_CREDIT_RE, word.lower()) is not None) is credit


@pytest.mark.parametrize(
    ("types", "kept"),
    [
        (["Payment", "Refund", "Payment"], 3),  # Square: every sale is a «Payment»
        (["Payment", "Invoice", "Payment"], 1),  # QuickBooks: payments among invoices
        (["P", "E"], 2),  # only a payment and a credit: no sale beside them
        (["P", "E", "I"], 2),
        (["Pedido", "Pedido"], 2),  # a web shop's orders are its sales
        (["Pedido", "Factura", "Albarán"], 1),  # beside invoices: invoiced later
    ],
)
def test_not_sale_types_only_beside_a_sale_type(types: list[str], kept: int) -> None:
    frame = _frame(doc_type=types)
    out, _ = drop_not_sales(frame, {"doc_type": "Tipo"}, pl.col("amount"))
    assert out.height == kept


@pytest.mark.parametrize(
    ("cell", "cancelled"),
    [("Sí", True), ("Si", True), ("X", True), ("2024-04-05", True), ("No", False),
     ("no", False), ("0", False), ("false", False), ("", False), (None, False)],
)  # fmt: skip
def test_a_cancellation_column_holding_yes_or_no(cell: str | None, cancelled: bool) -> None:
    """CONTPAQi's «Cancelado: Sí/No»: a yes or a date cancels, a no or nothing does not."""
    frame = _frame(cancelled=[cell, None])
    kept, _ = drop_not_sales(frame, {"cancelled": "Cancelado"}, pl.col("amount"))
    assert kept.height == (1 if cancelled else 2)


@pytest.mark.parametrize(("word", "credit"), [("D", True), ("DEB", False), ("DV", False)])
def test_aspel_return_code(word: str, credit: bool) -> None:
    assert (re.search(_CREDIT_RE, word.lower()) is not None) is credit


@pytest.mark.parametrize("status", ["Nula", "Nulo", "NULA"])
def test_void_in_chile(status: str) -> None:
    from cartera.io.rows import EXCLUDED_STATUS, excluded_words

    assert excluded_words(pl.DataFrame({"status": [status, "Emitida"]}), EXCLUDED_STATUS) == [
        status
    ]


@pytest.mark.parametrize(
    ("text", "iso"),
    [("03-Jan-2024 01:15 PM PST", "2024-01-03"), ("2024-01-03 10:00 CEST", "2024-01-03"),
     ("2024-01-03 10:00 +01:00", "2024-01-03")],
)  # fmt: skip
def test_a_time_zone_abbreviation_after_the_time_is_dropped(text: str, iso: str) -> None:
    from cartera.io.conventions import clean_date_text

    assert pl.select(clean_date_text(pl.lit(text))).item() == iso


@pytest.mark.parametrize("status", ["Declined", "Incomplete"])
def test_declined_and_incomplete_orders(status: str) -> None:
    from cartera.io.rows import EXCLUDED_STATUS, excluded_words

    frame = pl.DataFrame({"status": [status, "Completed"]})
    assert excluded_words(frame, EXCLUDED_STATUS) == [status]
