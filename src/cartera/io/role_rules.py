"""Word rules: how well a header's concepts (:func:`cartera.io.words.concepts`) fit each
role of each table, 0 (not at all) to 88 (an alias scores 95 in :mod:`cartera.io.score`).

Each rule first rules out headers that name something else (a salesperson, a payment
status, another document, money that is not revenue), then scores what is left.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Final

__all__ = ["RULES", "Rule"]


Rule = Callable[[frozenset[str], tuple[str, ...]], float]


def _has(c: frozenset[str], *names: str) -> bool:
    return any(n in c for n in names)


def _doc_number(c: frozenset[str], w: tuple[str, ...]) -> float:
    if _has(c, "CLIENT", "PRODUCT", "TAX", "TAXID", "SELLER", "PERSONAL", "DATE"):
        return 0
    if _has(c, "AMOUNT", "NET", "TOTAL", "QTY", "PRICE", "STATUS", "TYPE", "CURRENCY", "PAID"):
        return 0
    if "line" in w or "final" in w:
        return 0
    if _has(c, "REFERENCE"):
        # «Order Reference» is the order's number; «PO Number», «Folio Docto. Referencia»
        # name another document.
        # «Nominal A/C Ref» is a ledger account (Sage 50).
        blocked = (
            "po",
            "externa",
            "extranjero",
            "original",
            "foreign",
            "docto",
            "folio",
            "nominal",
            "modificado",
            "modificada",
            "afectado",
            "afectada",
            "rectificada",
            "rectificado",
        )
        return 0 if any(b in w for b in blocked) else (55 if _has(c, "DOC") else 40)
    if "folio" in w:
        return 85
    if _has(c, "DOC") and _has(c, "NUMBER", "ID"):
        return 80
    if _has(c, "DOC") and len(w) == 1:
        return 60
    if _has(c, "NUMBER") and len(w) <= 2:
        return 45
    return 0


def _client_code(c: frozenset[str], w: tuple[str, ...]) -> float:
    if _has(c, "PERSONAL", "SELLER", "REFERENCE", "DATE", "AMOUNT", "TAXID", "PRODUCT", "DOC"):
        return 0
    return 85 if _has(c, "CLIENT") and _has(c, "ID", "NUMBER") else 0


def _tax_id(c: frozenset[str], w: tuple[str, ...]) -> float:
    if _has(c, "TYPE", "PERSONAL", "SELLER", "REFERENCE", "NOTREVENUE", "DATE"):
        return 0
    if _has(c, "TAXID"):
        return 88 if _has(c, "CLIENT") else 85
    if _has(c, "TAX") and _has(c, "ID", "NUMBER") and not _has(c, "AMOUNT", "RATE"):
        return 75
    if _id_document(c, w):
        return 75
    return 0


#: Words of an identity document (Latin America's «Nro. Doc. Receptor», «Documento del
#: cliente»: the DNI, CUIT or RUC number), not of an invoice.
_ID_DOCUMENT: Final = frozenset({"doc", "documento", "docto"})


def _id_document(c: frozenset[str], w: tuple[str, ...]) -> bool:
    """A client's identity document number: the client and a number named, a document word
    that is no invoice word, and no amount, series or name."""
    if not _has(c, "CLIENT") or not _has(c, "NUMBER") or _has(c, "AMOUNT", "SERIES", "NAME"):
        return False
    invoice = {"invoice", "factura", "bill", "order", "pedido", "folio", "comprobante"}
    return bool(_ID_DOCUMENT & set(w)) and not invoice & set(w)


def _client_name(c: frozenset[str], w: tuple[str, ...]) -> float:
    blocked = ("SELLER", "PERSONAL", "ID", "TAXID", "DATE", "AMOUNT", "PRODUCT", "REFERENCE")
    issuer = _has(c, "SELLER", "TAXID", "ID", "NUMBER", "TYPE", "DATE")
    if "razon" in w and "social" in w and not issuer:
        # «Apellidos y nombres o razón social» (Peru's registers): a person's or a company's
        # name, though «apellidos» (surnames) is a personal-data word.
        return 80
    if _has(c, *blocked) or _has(c, "NUMBER", "STATUS", "TYPE"):
        return 0
    if _has(c, "CLIENT") and _has(c, "NAME"):
        return 85
    if _has(c, "CLIENT"):
        return 75
    if _has(c, "NAME") and len(w) <= 2:
        return 40
    return 0


#: An accounting date (ERPNext's and Business Central's «Posting Date»): the document's date
#: when a file has no better one, far below an issue date when it has.
_POSTING: Final = ("posting", "contabilizacion", "contable", "accounting")


#: A month column (``Mes``, ``Month``, ``Periodo``): the document's date in a book kept by
#: month when its values are months (``Enero 2024``: the profile's date check), far below
#: any date header (decision 0953).
_MONTH: Final = ("mes", "month", "periodo", "period", "competencia")


def _date(c: frozenset[str], w: tuple[str, ...]) -> float:
    if not _has(c, "DATE") and len(w) <= 2 and any(x in w for x in _MONTH):
        return 0 if _has(c, "DUE", "PAID", "NUMBER", "QTY", "AMOUNT", "NET", "TOTAL") else 20
    if not _has(c, "DATE") or _has(c, "DUE", "PAID"):
        return 0
    if _has(c, "OTHERDATE"):
        return 30 if any(x in w for x in _POSTING) and not _has(c, "ISSUE") else 0
    return 88 if _has(c, "ISSUE") else 75


def _due_date(c: frozenset[str], w: tuple[str, ...]) -> float:
    if not _has(c, "DUE") or _has(c, "AMOUNT", "PAID"):
        return 0
    return 85 if _has(c, "DATE") else 70


def _to_date(w: tuple[str, ...]) -> bool:
    """«Paid to Date» (Invoice Ninja, QuickBooks): an amount so far, not a date."""
    return any(a == "to" and b == "date" for a, b in pairwise(w))


def _paid_date(c: frozenset[str], w: tuple[str, ...]) -> float:
    if not (_has(c, "PAID") and _has(c, "DATE")) or _to_date(w):
        return 0
    return 85


def _paid_amount(c: frozenset[str], w: tuple[str, ...]) -> float:
    if not _has(c, "PAID") or _has(c, "STATUS", "TYPE", "ID", "NUMBER"):
        return 0
    if _has(c, "DATE") and not _to_date(w):
        return 0
    if "method" in w or "metodo" in w or "medio" in w:
        return 0
    if "terms" in w or "condiciones" in w or "plazo" in w:  # «Payment Terms»: days
        return 0
    return 80 if _has(c, "AMOUNT") else 70


def _money_penalty(c: frozenset[str], w: tuple[str, ...]) -> float:
    return (8 if _has(c, "CURRENCY") else 0) + (2 if _has(c, "DOC") else 0)


#: Words saying a discount was taken off (Recurly's «subtotal_after_discount»).
_AFTER: Final = ("after", "less", "despues", "tras", "menos")


def _untaxed(w: tuple[str, ...]) -> bool:
    """«Neto No Gravado», «Importe no gravado»: an amount outside the tax, so an exempt one
    (though «gravado» is a net word)."""
    return any(a == "no" and b.startswith("gravad") for a, b in pairwise(w))


def _net(c: frozenset[str], w: tuple[str, ...]) -> float:
    if not _has(c, "NET") or _has(c, "NOTREVENUE", "DATE", "PAID", "RATE", "QTY", "PRICE", "FLAG"):
        return 0
    if _untaxed(w):
        return 0
    after = 2 if _has(c, "DISCOUNT") and any(x in w for x in _AFTER) else 0
    return 85 + (3 if _has(c, "LINE") else 0) + after - _money_penalty(c, w)


def _exempt(c: frozenset[str], w: tuple[str, ...]) -> float:
    if _untaxed(w) and not _has(c, "NOTREVENUE", "TAX", "DATE", "RATE"):
        return 80
    if not _has(c, "EXEMPT") or _has(c, "NOTREVENUE", "TAX", "DATE"):
        return 0
    return 80 if _has(c, "AMOUNT") else 55


_NOT_AMOUNT: Final = (
    "NOTREVENUE",
    "TAX",
    "PAID",
    "DISCOUNT",
    "DUE",
    "COST",
    "EXEMPT",
    "PRICE",
    "QTY",
    "MARGIN",
    "RATE",
    "DATE",
    "STATUS",
    "TYPE",
    "ID",
    "NUMBER",
    "SELLER",
    "PERSONAL",
    "FLAG",
)


def _amount(c: frozenset[str], w: tuple[str, ...]) -> float:
    if not _has(c, "AMOUNT") or _has(c, *_NOT_AMOUNT):
        return 0
    return 65 + (5 if _has(c, "LINE") else 0) - _money_penalty(c, w)


def _total(c: frozenset[str], w: tuple[str, ...]) -> float:
    blocked = ("NOTREVENUE", "TAX", "PAID", "DUE", "DISCOUNT", "QTY", "PRICE", "COST", "MARGIN")
    if not _has(c, "TOTAL") or _has(c, *blocked) or _has(c, "DATE", "EXEMPT", "NET", "SELLER"):
        return 0
    bonus = (3 if _has(c, "AMOUNT") else 0) + (3 if _has(c, "LINE") else 0)
    return 72 + bonus - _money_penalty(c, w)


def _vat_amount(c: frozenset[str], w: tuple[str, ...]) -> float:
    if c - {"DOC", "ISSUE"} == {"TAX", "TOTAL"}:
        # «Tax Total», «Total IVA», «Invoice Total Taxes»: the tax summed, below a plain
        # tax column.
        return 60
    if not _has(c, "TAX") or _has(c, "RATE", "NOTREVENUE", "TYPE", "NET", "TOTAL", "TAXID"):
        return 0
    if _has(c, "ID", "NUMBER", "DATE"):
        return 0
    return 78 if _has(c, "AMOUNT") else 70


def _vat_pct(c: frozenset[str], w: tuple[str, ...]) -> float:
    if _has(c, "NOTREVENUE", "TAXID"):
        return 0
    if _has(c, "TAX") and _has(c, "RATE"):
        return 80
    # A bare «IVA»: the rate only when its values rule the amount out (score's veto).
    return 35 if c == {"TAX"} else 0


def _discount_pct(c: frozenset[str], w: tuple[str, ...]) -> float:
    if not _has(c, "DISCOUNT") or _has(c, "DATE", "AMOUNT", "ID"):
        return 0
    return 80 if _has(c, "RATE") else 70


def _discount_amount(c: frozenset[str], w: tuple[str, ...]) -> float:
    """A discount in money (Chargebee's «Discount», Harvest's «Discount Amount»): below a
    rate for a bare «Discount» unless its values rule the rate out (above 100)."""
    if not _has(c, "DISCOUNT") or _has(c, "DATE", "ID", "RATE", "TYPE", "NET"):
        return 0
    return 80 if _has(c, "AMOUNT", "TOTAL") else 60


#: Words of an amount the client withholds and pays to the tax office for the seller
#: (Spain's IRPF, Colombia's Retefuente and ReteICA, Mexico's ISR Retenido; decision 0953).
_WITHHELD: Final = (
    "retencion",
    "retenciones",
    "retenido",
    "retenida",
    "retenidos",
    "rete",
    "retefuente",
    "withholding",
    "withheld",
    "irpf",
)


def _withholding(c: frozenset[str], w: tuple[str, ...]) -> float:
    """A withheld amount: not revenue, but part of what makes the total (total = net −
    discount + tax − withholding)."""
    if not any(x in w for x in _WITHHELD) or _has(c, "RATE", "TYPE", "DATE", "ID", "NUMBER"):
        return 0
    return 0 if _has(c, "PAID", "STATUS") else 75


def _units(c: frozenset[str], w: tuple[str, ...]) -> float:
    if not _has(c, "QTY") or _has(c, "PRICE", "AMOUNT", "DATE", "COST", "NET", "TOTAL"):
        return 0
    # «Attempt Count» (a payment platform's retries) counts something other than units.
    return 0 if any(x in w for x in ("attempt", "attempts", "intento", "intentos")) else 80


def _unit_price(c: frozenset[str], w: tuple[str, ...]) -> float:
    if _has(c, "TAX", "DISCOUNT", "DATE", "TOTAL", "NET"):
        return 0
    if _has(c, "PRICE") and not _has(c, "MARGIN"):
        return 78
    if _has(c, "COST", "AMOUNT") and ("item" in w or "unit" in w) and not _has(c, "LINE"):
        return 72
    if w == ("rate",):
        return 60
    return 0


def _cost(c: frozenset[str], w: tuple[str, ...]) -> float:
    if not _has(c, "COST") or "item" in w or "unit" in w or _has(c, "DATE", "PRICE", "FLAG"):
        return 0
    # «Shipping Cost», «Handling Cost»: charged to the customer, not the cost of the sale.
    return 0 if _has(c, "NOTREVENUE") else 70


def _margin(c: frozenset[str], w: tuple[str, ...]) -> float:
    return 75 if _has(c, "MARGIN") and not _has(c, "RATE") else 0


def _product(c: frozenset[str], w: tuple[str, ...]) -> float:
    blocked = ("AMOUNT", "PRICE", "QTY", "COST", "NET", "TOTAL", "DATE", "TAX", "STATUS", "TYPE")
    if not _has(c, "PRODUCT") or _has(c, *blocked) or _has(c, "CLIENT", "DOC", "FLAG"):
        return 0
    return 65 if _has(c, "NAME") else 60


def _status(c: frozenset[str], w: tuple[str, ...]) -> float:
    if not _has(c, "STATUS") or _has(c, "PERSONAL", "DATE"):
        return 0
    if _has(c, "PAID", "DUE"):
        return 30
    # A line's or a shipment's status (fulfilment, delivery) does not say whether the
    # document is revenue: below the document's own status when a file has both.
    if _has(c, "LINE", "OTHERDATE", "NOTREVENUE") or any(x in w for x in _FULFILMENT):
        return 40
    return 85 if _has(c, "DOC") else 80


_FULFILMENT: Final = ("fulfillment", "fulfilment", "fulfilled", "shipment")


def _doc_type(c: frozenset[str], w: tuple[str, ...]) -> float:
    blocked = ("TAX", "REFERENCE", "NOTREVENUE", "PAID", "CLIENT", "DISCOUNT")
    if not _has(c, "TYPE") or _has(c, *blocked):
        return 0
    if _has(c, "DOC"):
        return 80
    return 50 if len(w) <= 2 and not _has(c, "AMOUNT", "PRODUCT", "DATE") else 0


def _series(c: frozenset[str], w: tuple[str, ...]) -> float:
    return 80 if _has(c, "SERIES") and not _has(c, "DATE", "AMOUNT") else 0


def _currency(c: frozenset[str], w: tuple[str, ...]) -> float:
    if not _has(c, "CURRENCY") or _has(c, "AMOUNT", "TOTAL", "NET", "TAX", "PRICE"):
        return 0
    return 80


def _hours(c: frozenset[str], w: tuple[str, ...]) -> float:
    return 75 if _has(c, "HOURS") and not _has(c, "DATE") else 0


def _image(c: frozenset[str], w: tuple[str, ...]) -> float:
    if not _has(c, "IMAGE") or _has(c, "DATE", "AMOUNT", "PERSONAL"):
        return 0
    if "key" in w and "account" not in w:
        return 0
    return 70


def _payment_date(c: frozenset[str], w: tuple[str, ...]) -> float:
    if not _has(c, "DATE") or _has(c, "DUE", "OTHERDATE"):
        return 0
    return 85 if _has(c, "PAID") else 70


def _payment_amount(c: frozenset[str], w: tuple[str, ...]) -> float:
    if _has(c, "DATE", "NOTREVENUE", "TAX", "ID", "NUMBER", "STATUS"):
        return 0
    if _has(c, "AMOUNT"):
        return 75 - (8 if _has(c, "CURRENCY") else 0)
    return 65 if _has(c, "PAID") and not _has(c, "TYPE") else 0


def _payment_doc(c: frozenset[str], w: tuple[str, ...]) -> float:
    """A payment's invoice: only a header naming the invoice (a bare «Number» is the
    payment's own number)."""
    score = _doc_number(c, w)
    return score if score >= 60 else 0


_CLIENT_RULES: Final[dict[str, Rule]] = {
    "client_code": _client_code,
    "tax_id": _tax_id,
    "client_name": _client_name,
}
RULES: Final[dict[str, dict[str, Rule]]] = {
    "documents": {
        **_CLIENT_RULES,
        "doc_number": _doc_number,
        "date": _date,
        "due_date": _due_date,
        "paid_date": _paid_date,
        "paid_amount": _paid_amount,
        "net": _net,
        "exempt": _exempt,
        "amount": _amount,
        "total": _total,
        "vat_amount": _vat_amount,
        "vat_pct": _vat_pct,
        "discount_pct": _discount_pct,
        "discount_amount": _discount_amount,
        "withholding": _withholding,
        "units": _units,
        "unit_price": _unit_price,
        "cost": _cost,
        "margin": _margin,
        "product": _product,
        "status": _status,
        "doc_type": _doc_type,
        "series": _series,
        "currency": _currency,
    },
    "payments": {"doc_number": _payment_doc, "date": _payment_date, "amount": _payment_amount},
    "clients": {**_CLIENT_RULES, "image": _image},
    "activities": {**_CLIENT_RULES, "date": _date, "hours": _hours},
}
