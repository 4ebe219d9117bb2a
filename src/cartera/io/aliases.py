"""The header alias table: which column of an export plays which role.

Every table of :mod:`cartera.schema` is read from columns that play *roles*
(``date``, ``net``, ``client_code``...). A header is matched to a role by its
normalised form (:func:`normalise_header`: lower case, no accents, no
punctuation or spaces, no format hints such as ``dd/mm/yyyy`` or ``(€)``), so
``Nº factura``, ``N.º Factura`` and ``no_factura`` are the same header.

The table below is the documented alias table (docs/input-formats.md is
checked against it by the tests). Order matters inside a role: when a file has
two columns for the same role, the earlier alias wins and the other column is
ignored with a note.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = [
    "AFIP_CREDIT_CODES",
    "ALIASES",
    "CLIENT_ROLES",
    "CREDIT_PATTERN",
    "CREDIT_WORDS",
    "DATE_ROLES",
    "DOCUMENT_STATUS",
    "EXCLUDED_STATUS",
    "EXTRA_ROLES",
    "FALSE_WORDS",
    "KIND_WORDS",
    "LEGAL_SUFFIXES",
    "MONEY_ROLES",
    "NOT_SALES_TYPES",
    "NOT_SALES_WORDS",
    "NUMBER_ROLES",
    "OWED_STATUS",
    "PAID_STATUS",
    "REQUIRED",
    "ROLE_TABLES",
    "TRUE_WORDS",
    "header_hint",
    "normalise_header",
    "normalise_word",
]

_HINT_RE = re.compile(
    r"\(?\b(dd|d)[/.-](mm|m)[/.-](aaaa|yyyy|aa|yy)\b\)?|\(?\b(aaaa|yyyy)[/.-]?mm[/.-]?dd\b\)?",
    re.IGNORECASE,
)
_UNIT_RE = re.compile(r"\((€|eur|euros|usd|\$|%)\)|\s(€|eur)$", re.IGNORECASE)


def normalise_word(text: str) -> str:
    """Lower case, no accents, only letters and digits: ``Razón Social`` → ``razonsocial``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z%]+", "", plain)


def normalise_header(header: str) -> str:
    """How headers are compared: format hints and units dropped, then :func:`normalise_word`."""
    text = _HINT_RE.sub(" ", header)
    text = _UNIT_RE.sub(" ", text)
    return normalise_word(text).replace("%", "pct") or normalise_word(header)


def header_hint(header: str) -> str | None:
    """A date format written in the header (``Fecha dd/mm/yyyy``) as strftime, else None."""
    match = _HINT_RE.search(header)
    if not match:
        return None
    hint = match.group(0).strip("()").lower()
    if hint.startswith(("yyyy", "aaaa")):
        return "%Y-%m-%d"
    sep = "/" if "/" in hint else ("-" if "-" in hint else ".")
    year = "%Y" if hint.endswith(("yyyy", "aaaa")) else "%y"
    return f"%d{sep}%m{sep}{year}"


_CLIENT_CODE = (
    "Código cliente",
    "Código de cliente",
    "Cod. cliente",
    "Codigo_Cliente",
    "Cód. cliente",
    "Nº cliente",
    "Número de cliente",
    "Cuenta cliente",
    "Cuenta",
    "Id cliente",
    "Customer code",
    "Customer ID",
    "Customer number",
    "CustomerID",
    "customer_id",
    "Customer no",
    "Client code",
    "Client ID",
    "Account number",
    "Account Reference",
    "Account Ref",
    "A/C Ref",
    "A/C",
)
_CLIENT_NAME = (
    "Cliente",
    "Nombre del contacto",
    "Razón social",
    "Nombre cliente",
    "Nombre del cliente",
    "Nombre",
    "Cliente de facturación",
    "Tercero",
    "Destinatario",
    "Nombre Destinatario",
    "Nombre o razón social",
    "Empresa",
    "Customer",
    "Customer name",
    "Client",
    "Client name",
    "Company",
    "Company name",
    "Name",
    "Bill to",
    "Client Name",
    "Invoice Partner Display Name",
    "CUSTOMERNAME",
    "Razon Social",
    "Full Name",
    "Co./Last Name",
)
_TAX_ID = (
    "NIF",
    "CIF",
    "NIE",
    "NIF/CIF",
    "CIF/NIF",
    "NIF del contacto",
    "NIF cliente",
    "CIF cliente",
    "NIF Destinatario",
    "NIF Destinatario / Identificación",
    "Identificación fiscal",
    "NIT",
    "RUT",
    "Rut cliente",
    "RFC",
    "CUIT",
    "RUC",
    "Tax ID",
    "VAT number",
    "VAT ID",
    "VAT no",
    "Tax number",
)
_DOC_NUMBER = (
    "Nº factura",
    "Número factura",
    "Número de factura",
    "Num factura",
    "Numero_Factura",
    "Nº documento",
    "Número documento",
    "Número",
    "Nº",
    "Factura",
    "Documento",
    "Folio",
    "Identificación Factura / Número",
    "Invoice",
    "Invoice number",
    "Invoice no",
    "Invoice #",
    "InvoiceNo",
    "ORDERNUMBER",
    "Order number",
    "Document number",
    "Document",
    "Number",
    "UUID",
    "Folio fiscal",
    "Inv Ref",
    "Invoice Ref",
    "# de venta",
    "Número de venta",
)
_SERIES = (
    "Serie",
    "Serie factura",
    "Identificación Factura / Serie",
    "Series",
    "Invoice series",
    # Argentina: the point of sale is part of every document's number (0002-00000134).
    "Punto de Venta",
    "Pto. Vta.",
    "Punto Vta.",
)
_DATE = (
    "Fecha",
    "Fecha factura",
    "Fecha de factura",
    "Fecha de expedición",
    "Fecha expedición",
    "Fecha de emisión",
    "Fecha emisión",
    "Fecha documento",
    "Fecha de la factura",
    "Date",
    "Invoice date",
    "Issue date",
    "Document date",
    "Invoice/Bill Date",
    "Date Issued",
    "Fecha Docto",
    "InvoiceDate",
    "ORDERDATE",
    "Order date",
    "Created (UTC)",
    "Created date",
    "Date (UTC)",
    "Opened",
)
_DUE_DATE = (
    "Fecha de vencimiento",
    "Vencimiento",
    "Fecha vencimiento",
    "Fecha vto.",
    "Fecha vto",
    "Vto.",
    "Due date",
    "Due",
    "Payment due",
)
_PAID_DATE = (
    "Fecha de cobro",
    "Fecha cobro",
    "Fecha de pago",
    "Fecha pago",
    "Cobrada el",
    "Paid date",
    "Date paid",
    "Payment date",
    "Paid on",
)
_PAID_AMOUNT = (
    "Cantidad cobrada",
    "Importe cobrado",
    "Cobrado",
    "Pagado",
    "Importe pagado",
    "Paid amount",
    "Amount paid",
    "Paid",
)

#: table → role → header aliases (as an export writes them).
ALIASES: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "documents": {
        "doc_number": _DOC_NUMBER,
        "series": _SERIES,
        "date": _DATE,
        "client_code": _CLIENT_CODE,
        "client_name": _CLIENT_NAME,
        "tax_id": _TAX_ID,
        "doc_type": (
            "Tipo",
            "Tipo de documento",
            "Tipo documento",
            "Tipo_Documento",
            "Tipo Doc",
            "Tipo de factura",
            "Clase",
            "Type",
            "Document type",
            "Invoice type",
        ),
        "product": (
            "Producto",
            "Descripción del producto",
            "Artículo",
            "Concepto",
            "Descripción",
            "Servicio",
            "Familia",
            "Product",
            "Item",
            "Description",
            "Service",
        ),
        "units": (
            "Unidades",
            "Cantidad",
            "Uds.",
            "Uds",
            "Units",
            "Quantity",
            "Qty",
            "Item Quantity",
            "QUANTITYORDERED",
        ),
        "unit_price": (
            "Precio unidad",
            "Precio unitario",
            "Precio",
            "PVP",
            "Tarifa",
            "Unit price",
            "UnitPrice",
            "Price",
            "PRICEEACH",
            "Item Cost",
            "List price",
        ),
        "discount_pct": (
            "Descuento %",
            "Descuento",
            "Dto.",
            "Dto",
            "% Dto",
            "Discount %",
            "Discount",
        ),
        "discount_amount": (
            "Discount Amount",
            "Discount Total",
            "Total Discount",
            "Importe descuento",
            "Importe dto.",
            "Descuento importe",
            "Valor do desconto",
        ),
        "withholding": (
            "Retención",
            "Retenciones",
            "Retención IRPF",
            "IRPF",
            "Retefuente",
            "ReteICA",
            "ReteIVA",
            "ISR Retenido",
            "IVA Retenido",
            "Withholding",
            "Withholding tax",
        ),
        "net": (
            "Untaxed Total",
            "Base imponible",
            "Monto Neto",
            "Untaxed Amount Signed",
            "Untaxed Amount",
            "Line Subtotal",
            "Base",
            "Subtotal",
            "Neto",
            "Importe neto",
            "T.Gravado",
            "Base_Imponible",
            "Net amount",
            "Net",
            "Amount excl. VAT",
            "Amount excl VAT",
        ),
        "amount": (
            "Importe",
            "Importe línea",
            "Valor",
            "Amount",
            "Line amount",
            "Revenue",
            "Sales",
            "Sold For",
        ),
        "total": (
            "Total",
            "Total factura",
            "Importe de la factura",
            "Importe total",
            "Total con IVA",
            "Total amount",
            "Total Signed",
            "Monto total",
            "Line Total",
            "Amount incl. VAT",
            "Gross amount",
            "Total incl. VAT",
            "Total Price",
        ),
        "vat_pct": (
            "IVA %",
            "% IVA",
            "%Iva1",
            "Tipo de IVA",
            "Tipo IVA",
            "VAT %",
            "VAT rate",
            "Tax rate",
        ),
        "vat_amount": (
            "IVA",
            "Cuota IVA",
            "Cuota IVA Repercutida",
            "Impuestos",
            "Importe impuesto",
            "Importe IVA",
            "VAT",
            "Tax",
            "VAT amount",
            "Tax amount",
            "Monto IVA",
            "Tax 1 Amount",
        ),
        "cost": (
            "Coste",
            "Costo",
            "Coste total",
            "Coste de ventas",
            "Cost",
            "COGS",
            "Cost of sales",
        ),
        "margin": ("Margen", "Beneficio", "Margen bruto", "Margin", "Gross margin", "Profit"),
        "due_date": _DUE_DATE,
        "paid_date": _PAID_DATE,
        "paid_amount": _PAID_AMOUNT,
        "status": ("Estado", "Status", "Invoice Status", "Estado factura", "Situación"),
        "exempt": (
            "Monto Exento",
            "Importe exento",
            "Base exenta",
            "Exento",
            "Exempt amount",
            "No Gravado",
            "Monto no gravado",
        ),
        "cancelled": (
            "Fecha de cancelación",
            "Data de cancelamento",
            "Data cancelamento",
            "Fecha cancelación",
            "FechaCancelacion",
            "Fecha de anulación",
            "Fecha anulación",
            "Cancelled at",
            "Canceled at",
            "Cancelled on",
            "Cancellation date",
            "Date cancelled",
            "Cancelado",
            "Cancelada",
            "Anulado",
            "Anulada",
            "Cancelled",
            "Canceled",
            "Voided",
            "Void",
            "Fully Refunded?",
        ),
        "currency": ("Moneda", "Divisa", "Currency", "Currency code", "Moeda"),
    },
    "payments": {
        "doc_number": _DOC_NUMBER,
        "series": _SERIES,
        "date": (*_PAID_DATE, "Fecha", "Date", "Fecha valor", "Value date"),
        "amount": (*_PAID_AMOUNT, "Importe", "Cantidad", "Amount", "Payment amount", "Cobro"),
    },
    "clients": {
        # In a clients file a bare code is the client's (decision 0953).
        "client_code": (*_CLIENT_CODE, "Código", "Cód.", "Cod.", "Code", "ID"),
        "client_name": _CLIENT_NAME,
        "tax_id": _TAX_ID,
        "sector": ("Sector", "Actividad económica", "Industria", "Industry", "Segment"),
        "region": (
            "Provincia",
            "Región",
            "Comunidad autónoma",
            "Población",
            "Ciudad",
            "País",
            "Region",
            "Province",
            "State",
            "City",
            "Country",
        ),
        "size": ("Tamaño", "Tamaño empresa", "Empleados", "Size", "Company size"),
        "image": (
            "Cliente imagen",
            "Imagen",
            "Cliente de imagen",
            "Cliente de referencia",
            "Cliente referencia",
            "Cliente estratégico",
            "Cliente emblemático",
            "Cliente escaparate",
            "Cliente VIP",
            "Cuenta clave",
            "Image client",
            "Image",
            "Reference client",
            "Reference customer",
            "Reference account",
            "Key account",
            "Showcase client",
            "Showcase",
            "Flagship client",
            "Logo client",
            "VIP",
            "Referencia",
        ),
        "reputation": ("Reputación", "Puntuación reputación", "Reputation", "Reputation score"),
        "contact": ("Persona de contacto", "Contacto", "Contact", "Contact person"),
        "email": ("Email", "E-mail", "Correo", "Correo electrónico", "Mail"),
        "phone": ("Teléfono", "Tel.", "Móvil", "Phone", "Telephone", "Mobile"),
        "terms_days": (
            "Días de pago",
            "Plazo de pago",
            "Condiciones de pago",
            "Días vencimiento",
            "Payment terms",
            "Terms",
            "Terms days",
        ),
    },
    "activities": {
        "date": _DATE,
        "client_code": _CLIENT_CODE,
        "client_name": _CLIENT_NAME,
        "tax_id": _TAX_ID,
        "hours": ("Horas", "Tiempo", "Duración", "Duración (h)", "Hours", "Time", "Duration"),
        "kind": (
            "Actividad",
            "Tipo",
            "Tipo de actividad",
            "Acción",
            "Activity",
            "Type",
            "Activity type",
            "Kind",
        ),
        "note": (
            "Nota",
            "Notas",
            "Comentario",
            "Observaciones",
            "Asunto",
            "Note",
            "Notes",
            "Subject",
        ),
    },
}

CLIENT_ROLES: Final = ("client_code", "tax_id", "client_name")

#: Required roles per table: each entry is satisfied by any of its roles.
REQUIRED: Final[dict[str, tuple[tuple[str, ...], ...]]] = {
    "documents": (CLIENT_ROLES, ("date",), ("net", "amount", "total", "unit_price")),
    "payments": (("doc_number",), ("date",)),
    "clients": (CLIENT_ROLES,),
    "activities": (CLIENT_ROLES, ("date",), ("hours", "kind")),
}

#: Roles whose columns add up: a file with several tax columns (IVA and recargo de
#: equivalencia, GST and PST, IVA and IEPS), withholdings (Retefuente and ReteICA, ISR and
#: IVA retenidos) or untaxed amounts (Neto No Gravado and Op. Exentas) has its further
#: columns typed as these roles, then summed into the first; taxes and withholdings unless
#: the figures say they are one tax written twice (decision 0954).
EXTRA_ROLES: Final[dict[str, tuple[str, ...]]] = {
    "vat_amount": ("vat_amount_2", "vat_amount_3", "vat_amount_4"),
    "withholding": ("withholding_2", "withholding_3", "withholding_4"),
    # Argentina's «Neto No Gravado» beside «Op. Exentas»: both are added to the net.
    "exempt": ("exempt_2", "exempt_3"),
}
_EXTRAS: Final = tuple(r for names in EXTRA_ROLES.values() for r in names)
#: The documents roles that hold money (converted by :func:`cartera.io.currency.to_base`,
#: checked as amounts when recognised and typed).
MONEY_ROLES: Final = (
    "unit_price",
    "net",
    "exempt",
    "amount",
    "total",
    "vat_amount",
    "cost",
    "margin",
    "paid_amount",
    "discount_amount",
    "withholding",
    *_EXTRAS,
)
NUMBER_ROLES: Final = frozenset(
    {
        *_EXTRAS,
        "units",
        "unit_price",
        "discount_pct",
        "discount_amount",
        "withholding",
        "net",
        "amount",
        "total",
        "vat_pct",
        "vat_amount",
        "cost",
        "margin",
        "paid_amount",
        "exempt",
        "hours",
        "reputation",
    }
)
DATE_ROLES: Final = frozenset({"date", "due_date", "paid_date"})

#: role → tables where it appears (for the docs and for `inspect`).
ROLE_TABLES: Final[dict[str, tuple[str, ...]]] = {}
for _table, _roles in ALIASES.items():
    for _role in _roles:
        ROLE_TABLES[_role] = (*ROLE_TABLES.get(_role, ()), _table)

#: Words of a type column that mark a credit note or return (normalised form is compared).
CREDIT_WORDS: Final = (
    "Rectificativa",
    "Factura rectificativa",
    "Abono",
    "Devolución",
    "Nota de crédito",
    "Nota crédito",
    "Credit note",
    "Credit memo",
    "Refund",
    "Return",
    "Corrective invoice",
    "Egreso",
    "R",
    "61",
    "E",
    "SC",
    "NC",
    "CRE",
    "D",
)

#: Argentina's AFIP document codes that are credit notes: A, B, C and M (3, 8, 13, 53), the
#: tickets' (110, 112, 113, 114, 119) and the electronic credit invoices' (203, 208, 213).
#: Read only from a numeric type column beside a point of sale (decision 0954).
AFIP_CREDIT_CODES: Final = (
    "3",
    "8",
    "13",
    "53",
    "110",
    "112",
    "113",
    "114",
    "119",
    "203",
    "208",
    "213",
)

_CREDIT: Final = sorted({normalise_word(w) for w in CREDIT_WORDS})
#: A credit type, on the type's plain text (lower case, letters and digits): words start it
#: (``Nota de crédito electrónica``); codes of up to three characters (``R``, ``E``, ``61``,
#: ``NC``) must be the whole type, or ``Recibo`` would be one.
CREDIT_PATTERN: Final = (
    r"^("
    + "|".join(w for w in _CREDIT if len(w) > 3)
    + r")|^("
    + "|".join(w for w in _CREDIT if len(w) <= 3)
    + r")$|rectific|abono|devoluc|credit|refund|return"
)

#: Document types that are not sales (normalised, compared whole): Mexico's CFDI payroll
#: receipts (``N``, *Nómina*), payment receipts (``P``, *Pago*, *Recepción de pagos*) and
#: transfers of goods (``T``, *Traslado*), as the SAT's downloads and CONTPAQi write them.
NOT_SALES_TYPES: Final = frozenset(
    {"n", "nomina", "p", "pago", "pagos", "recepciondepagos", "t", "traslado"}
    # A payment, an estimate or a quote listed among the sales (QuickBooks' transaction
    # lists), and Sage 50's codes other than SI (invoice) and SC (credit note): receipts,
    # payments on account, discounts, purchases, bank and journal entries.
    | {"payment", "estimate", "quote", "presupuesto", "proforma"}
    | {"sr", "sa", "sd", "pi", "pc", "pp", "pr", "pa", "bp", "br", "jd", "jc"}
    # Chile's dispatch notes (DTE 52: goods sent, invoiced apart) and Tango's receipts.
    | {"guiadedespacho", "guiadespacho", "rec"}
    # Withholding certificates (Ecuador's SRI, «Comprobante de Retención»): tax withheld
    # by the buyer, listed among the sales.
    | {"comprobantederetencion", "retencion"}
    # An ERP's sales documents beside its invoices (decision 0953): delivery notes and
    # orders are invoiced later, so counting them beside the invoice counts a sale twice.
    | {"albaran", "albaranes", "notadeentrega", "guiaderemision", "pedido", "salesorder"}
    | {"cotizacion", "quotation", "deliverynote"}
)
#: Words that make any type a quote, wherever they stand (``Factura proforma``, ``Sales
#: quotation``): no invoice is called so (decision 0953).
NOT_SALES_WORDS: Final = frozenset(
    {"proforma", "presupuesto", "cotizacion", "quotation", "estimate", "quote"}
)

#: Status words (normalised: lower case, no accents, letters only) of documents that are not
#: revenue: a status whose text, or one of whose words, starts with one of them leaves the
#: document out (``Venta cancelada``), unless a word says the change was partial
#: (``partially_refunded``). Settable per file with ``exclude_status`` in the mapping's
#: ``[documents]``. Web shops' orders that were never paid (``Failed``, ``Pending payment``,
#: ``Payment error``, PrestaShop's ``Awaiting bank wire payment``) are not sales; an
#: invoice awaiting payment (Xero's ``Awaiting Payment``, ``Pendiente``) is.
EXCLUDED_STATUS: Final = frozenset(
    {
        "draft",
        "borrador",
        "cancelled",
        "canceled",
        "cancel",
        "cancelada",
        "cancelado",
        "anulada",
        "anulado",
        "annulled",
        "void",
        "voided",
        "proforma",
        "rejected",
        "rechazada",
        "rechazado",
        "deleted",
        "eliminada",
        "eliminado",
        "quote",
        "quotation",
        "presupuesto",
        "estimate",
        "rascunho",
        "cancelamento",
        "refunded",
        "reembolsada",
        "reembolsado",
        "reembolso",
        "failed",
        "fallido",
        "fallida",
        "paymenterror",
        "errordepago",
        "errorenpago",
        "errorenelpago",
        "pendingpayment",
        "awaitingbankwire",
        "awaitingcheck",
        "guardadosinenviar",
        "nula",
        "nulo",
        "declined",
        "incomplete",
        "reversed",
        "expired",
        "pendingapproval",
        "abandoned",
        "abandonada",
        "abandonado",
        "annule",
        "brouillon",
    }
)

#: Status words of a document's own state (issued, paid, owed, left out), as against a
#: shipment's or a line's (fulfilled, shipped, delivered): a status column holding them is
#: the documents' status (normalised like :data:`EXCLUDED_STATUS`, compared by prefix).
DOCUMENT_STATUS: Final = EXCLUDED_STATUS | frozenset(
    {
        "paid",
        "unpaid",
        "partiallypaid",
        "partiallyrefunded",
        "pending",
        "overdue",
        "posted",
        "open",
        "authorized",
        "pagada",
        "pagado",
        "cobrada",
        "cobrado",
        "pendiente",
        "impagada",
        "impagado",
        "vencida",
        "vencido",
        "contabilizada",
        "emitida",
        "pendente",
    }
)

#: Status words saying an invoice is paid in full, and words saying it is still owed
#: (normalised, compared by prefix with the status's whole text and each of its words; an
#: owed word wins, so ``Not paid`` and ``Pago pendiente`` are owed). With no paid column and
#: no payments, they are what tells an open invoice from a settled one (decision 0949), when
#: some status of the file says paid (a column of tax states, ``Emitida``/``Autorizada``,
#: says nothing of payment). ``partial``/``parcial`` statuses say neither: how much is left
#: is unknown.
PAID_STATUS: Final = frozenset(
    {
        "paid",
        "pagad",
        "cobrad",
        "liquidad",
        "saldad",
        "settled",
        "paidinfull",
        "pago",
        "pagas",
        "paye",
    }
)
OWED_STATUS: Final = frozenset(
    {
        "unpaid",
        "notpaid",
        "nopagad",
        "nocobrad",
        "sinpagar",
        "sincobrar",
        "porcobrar",
        "pending",
        "overdue",
        "pastdue",
        "due",
        "open",
        "sent",
        "viewed",
        "awaitingpayment",
        "authorised",
        "authorized",
        "outstanding",
        "pendiente",
        "pendente",
        "impagad",
        "impaga",
        "vencid",
        "emitid",
        "enviad",
        "abierta",
        "enretard",
        "apayer",
        "impaye",
    }
)

#: Activity kinds: normalised word → canonical kind.
KIND_WORDS: Final[dict[str, str]] = {
    "reunion": "meeting",
    "reuniones": "meeting",
    "meeting": "meeting",
    "llamada": "call",
    "llamadas": "call",
    "telefono": "call",
    "call": "call",
    "phonecall": "call",
    "email": "email",
    "correo": "email",
    "mail": "email",
    "visita": "visit",
    "visit": "visit",
    "soporte": "support",
    "incidencia": "support",
    "asistencia": "support",
    "support": "support",
}

TRUE_WORDS: Final = frozenset({"si", "s", "sim", "yes", "y", "true", "verdadero", "1", "x"})
FALSE_WORDS: Final = frozenset({"no", "n", "nao", "false", "falso", "0"})

#: Legal-form suffixes dropped from client names before they are compared.
LEGAL_SUFFIXES: Final = (
    "sl",
    "slu",
    "sll",
    "slne",
    "sa",
    "sau",
    "sc",
    "scp",
    "scoop",
    "cb",
    "sal",
    "ltd",
    "llc",
    "inc",
    "plc",
    "gmbh",
    "srl",
    "sas",
    "bv",
    "corp",
    "co",
)
