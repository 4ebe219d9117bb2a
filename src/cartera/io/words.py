"""Header words: what a column's header says, in Spanish, English and Portuguese.

A header is split into words on separators (``/ _ * # . - ( )``, spaces),
CamelCase boundaries and digits; glued UPPERCASE words (``ORDERDATE``,
``QUANTITYORDERED``) are segmented against the vocabulary below. Each word
maps to *concepts* (``DATE``, ``ISSUE``, ``NUMBER``...); :mod:`cartera.io.score`
scores every role of every table from the concepts of a header.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Final

__all__ = ["CONCEPTS", "GENERIC_TAX_WORDS", "concepts", "header_words", "names_a_tax"]

#: concept → words (normalised: lower case, no accents).
CONCEPTS: Final[dict[str, frozenset[str]]] = {
    k: frozenset(v.split())
    for k, v in {
        "DATE": "date dates dated fecha fechas data dia day fec dt datum",
        "ISSUE": (
            "issue issued emision emitida expedicion expedida invoice invoices factura facturas "
            "bill docto documento document doc order orden pedido created creacion creation "
            "fra fact nota comprobante receipt ticket albaran operation venda emissao placed "
            "venta facture"
        ),
        "DUE": "due vencimiento vto vencto venc vence expiry vencimento",
        "PAID": (
            "paid pago pagado pagada pagos cobro cobrado cobrada cobros payment payments "
            "settled settlement pagamento recebimento liquidacion"
        ),
        "OTHERDATE": (
            "recepcion acuse reclamo recibo received delivery entrega envio shipped ship "
            "modified updated modificacion registro contable contabilizacion posting "
            "accounting entrada start end inicio fin birth alta baja last ultima"
        ),
        "NUMBER": "number numero no nro num n nr nbr numer numeracion",
        "DOC": (
            "invoice invoices factura facturas bill order orders pedido document documento "
            "docto doc folio albaran receipt ticket fra fact orden comprobante voucher nota "
            "nf fatura venta facture"
        ),
        "CLIENT": (
            "client clients cliente clientes customer customers partner buyer comprador "
            "destinatario tercero consumer receptor adquiriente adquirente tomador shopper socio "
            "contact contacto contato razon raison denominacion sold soldto billto "
            "particulars party"
        ),
        "NAME": "name names nombre nombres razon raison social display denominacion nome",
        "ID": "id code codigo cod key ident identificador identificacion account cuenta ref",
        "TAXID": (
            "nif cif nie rut rfc nit cuit ruc cpf cnpj dni ein tin taxid vatid ssn fiscal identidad"
        ),
        "AMOUNT": (
            "amount amounts importe importes monto montos valor value revenue sales ventas "
            "dollar dollars ingreso ingresos income facturado sum suma money "
            "receita montant imp"
        ),
        "NET": (
            "untaxed neto net netto base subtotal imponible excl gravado afecto liquido ht "
            "mercadoria mercancia mercaderia merchandise goods"
        ),
        "TOTAL": "total totales gross bruto incl ttc",
        "TAX": (
            "tax taxes iva vat impuesto impuestos impto igv igic cuota gst hst itbis icms iss "
            "imposto impostos tva equivalencia pst qst cgst sgst igst utgst cess ieps isc "
            "impoconsumo percepcion percepciones"
        ),
        "RATE": "rate pct percent percentage porcentaje tasa tipo % aliquota",
        "DISCOUNT": (
            "discount discounts descuento descuentos dto dtos dscto desc rebate bonificacion "
            "desconto descontos"
        ),
        "QTY": (
            "quantity qty cantidad unidades units unit uds ud qtd quantidade count pieces "
            "piezas cds items"
        ),
        "PRICE": "price precio tarifa pvp each preco unitario unitprice",
        "PRODUCT": (
            "product producto productos item items description descripcion concepto articulo "
            "service servicio stock sku familia producto produto"
        ),
        "STATUS": "status estado estatus stage situacion situacao etat statut",
        "TYPE": "type tipo clase kind class efecto",
        "SERIES": "serie series prefix prefijo",
        "CURRENCY": "currency moneda divisa curr ccy moeda",
        "COST": "cost coste costo cogs custo",
        "MARGIN": "margin margen profit beneficio lucro",
        "EXEMPT": "exento exenta exentos exentas exempt exendas isento",
        "LINE": "line linea lineas item",
        "SELLER": (
            "seller salesperson person vendedor comercial agent agente user usuario emisor "
            "issuer employee rep responsable owner salesman representative prestador emitente "
            "emissor"
        ),
        "NOTREVENUE": (
            "comision commission retenido retencion retenida rete withholding balance saldo "
            "retenidos retenciones retefuente withheld irpf "
            "outstanding pendiente deposit partial anticipo periodo facturable shipping "
            "envio freight refund refunded refunds reembolso reembolsado reembolsada remaining "
            "restante handling"
        ),
        "FLAG": "indicador indicator flag marca",
        "REFERENCE": (
            "referencia reference po ref original extranjero foreign externa modificado "
            "modificada afectado afectada rectificada rectificado"
        ),
        "PERSONAL": (
            "email mail correo phone telefono tel movil mobile fax address direccion "
            "addressline city ciudad postal postalcode zip country pais state provincia "
            "region territory first last apellido apellidos"
        ),
        "HOURS": "hours horas hour hora time tiempo duration duracion",
        "IMAGE": (
            "imagen image showcase reference referencia key flagship vip escaparate "
            "emblematico emblematica estrategico estrategica logo"
        ),
    }.items()
}

_EXTRA_VOCAB: Final = frozenset(
    [
        "of",
        "each",
        "ordered",
        "last",
        "first",
        "line",
        "address",
        "postal",
        "deal",
        "size",
        "month",
        "year",
        "qtr",
        "territory",
        "phone",
        "city",
        "state",
        "country",
        "msrp",
        "by",
        "in",
        "signed",
        "company",
        "vendor",
        "journal",
        "method",
        "activities",
        "names",
        "person",
        "sales",
        "display",
        "partner",
        "email",
        "item",
        "notes",
        "public",
        "private",
        "at",
        "on",
        "billing",
        "shipping",
        "created",
    ]
)
_VOCAB: Final = frozenset().union(*CONCEPTS.values()) | _EXTRA_VOCAB
_SPLIT_RE: Final = re.compile(r"[^0-9a-z%]+")
_CAMEL_RE: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_DIGITS_RE: Final = re.compile(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _segment(token: str) -> list[str]:
    """A glued word split into vocabulary words (``orderdate`` → ``order date``), else itself."""
    if token in _VOCAB or len(token) < 5:
        return [token]
    best: list[list[str] | None] = [None] * (len(token) + 1)
    best[0] = []
    for end in range(1, len(token) + 1):
        for start in range(max(0, end - 14), end):
            prev = best[start]
            piece = token[start:end]
            if prev is not None and (piece in _VOCAB and len(piece) >= 2):
                candidate = [*prev, piece]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    found = best[len(token)]
    return found if found else [token]


@cache
def header_words(header: str) -> tuple[str, ...]:
    """The words of a header: ``Invoice/Bill Date`` → ``invoice bill date``;
    ``QUANTITYORDERED`` → ``quantity ordered``; ``Nº factura`` → ``no factura``."""
    text = _plain(header.replace("º", "o ").replace("ª", "a ").replace("#", " no "))
    text = _CAMEL_RE.sub(" ", text).casefold()
    text = _DIGITS_RE.sub(" ", text)
    words: list[str] = []
    for token in _SPLIT_RE.split(text):
        if token:
            words.extend(_segment(token))
    if "%" in header and "%" not in words:
        words.append("%")
    return tuple(words)


@cache
def concepts(header: str) -> frozenset[str]:
    """The concepts the words of ``header`` carry (see :data:`CONCEPTS`)."""
    words = header_words(header)
    found = {c for c, vocab in CONCEPTS.items() if any(w in vocab for w in words)}
    if "number" in words and "of" in words[words.index("number") :]:
        found = (found - {"NUMBER"}) | {"QTY"}
    if len(words) <= 3 and words[-1:] in (("at",), ("on",)) and found & {"ISSUE", "PAID", "DUE"}:
        found.add("DATE")  # «Created at», «Paid at», «Issued on»
    if "NUMBER" in found and _negation(words):
        # «Neto No Gravado», «No sujeto»: «no» says not, it is no number.
        found.discard("NUMBER")
    if "TAX" in found and _untaxed(words):
        # «Importe sin IVA», «Impuestos no incluidos»: an amount before tax, not a tax.
        found = (found - {"TAX", "NUMBER"}) | {"NET"}
    elif "TAX" in found and _with_tax(words):
        # «Subtotal (inc tax)», «Importe con IVA»: an amount with its tax, not a net.
        found = (found - {"TAX", "NET"}) | {"TOTAL"}
    return frozenset(found)


#: Words after which «no» is a negation, not «número» (``Imp. Neto No Gravado``).
_NEGATED: Final = ("gravad", "sujet", "afect", "exent", "inclu", "imponib", "grav")


def _negation(words: tuple[str, ...]) -> bool:
    """Whether the only number word is a «no» that negates the word after it."""
    numbers = [i for i, w in enumerate(words) if w in CONCEPTS["NUMBER"]]
    return bool(numbers) and all(
        words[i] == "no" and words[i + 1 : i + 2] and words[i + 1].startswith(_NEGATED)
        for i in numbers
    )


#: Words before a tax word that make the column an amount with it.
_WITH: Final = frozenset({"inc", "incl", "including", "con", "com"})


def _with_tax(words: tuple[str, ...]) -> bool:
    taxes = CONCEPTS["TAX"]
    return any(w in taxes and i and words[i - 1] in _WITH for i, w in enumerate(words))


#: Words before a tax word that make the column an amount without it.
_WITHOUT: Final = frozenset({"sin", "without", "excl", "excluding", "sem", "ex", "s"})
#: Words after a tax word that do the same.
_NOT_INCLUDED: Final = (("no", "incluidos"), ("no", "incluido"), ("not", "included"))


def _untaxed(words: tuple[str, ...]) -> bool:
    taxes = CONCEPTS["TAX"]
    for i, word in enumerate(words):
        if word not in taxes:
            continue
        if i and words[i - 1] in _WITHOUT:
            return True
        if tuple(words[i + 1 : i + 3]) in _NOT_INCLUDED or words[i + 1 : i + 2] in (
            ("excluidos",),
            ("excluido",),
        ):
            return True
    return False


#: Words that name no tax in particular («Cuota IVA», «Tax Amount», «Impuestos»).
GENERIC_TAX_WORDS: Final = frozenset(
    [
        "tax",
        "taxes",
        "impuesto",
        "impuestos",
        "impto",
        "iva",
        "vat",
        "cuota",
        "importe",
        "amount",
        "monto",
        "valor",
        "value",
        "total",
        "sales",
        "venta",
        "ventas",
        "de",
        "del",
        "the",
        "of",
        "on",
        "signed",
        "trasladado",
        "trasladados",
        "repercutido",
        "repercutida",
        "retencion",
        "retenciones",
        "retenido",
        "retenida",
        "withholding",
        "withheld",
    ]
)


def names_a_tax(header: str) -> bool:
    """Whether a header names a tax in particular («SGST», «IEPS», «Recargo equivalencia»),
    not just «the tax» («Cuota IVA», «Tax Amount»)."""
    return bool(set(header_words(header)) - GENERIC_TAX_WORDS)
