"""Invoice and credit-note lines of the demo (the ``facturas.csv`` table).

Everything is drawn per line with NumPy: how many lines each client gets,
how lines group into invoices of 1–5 lines, the invoice dates, products,
units, prices, discounts, costs, and which lines come back as credit notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import polars as pl

from cartera.demo.calendar import Span, invoice_days, weekday_shift
from cartera.demo.kinds import KINDS, SPECS, spec_array, spec_uniform
from cartera.errors import SettingsError
from cartera.i18n import N_

__all__ = ["DOCUMENT_COLUMNS", "Documents", "make_documents"]

DOCUMENT_COLUMNS: Final = (
    "Nº factura",
    "Fecha",
    "Código cliente",
    "Cliente",
    "NIF",
    "Tipo",
    "Producto",
    "Unidades",
    "Precio unidad",
    "Descuento %",
    "Base imponible",
    "IVA %",
    "Total",
    "Coste",
    "Fecha de vencimiento",
)
VAT: Final = 0.21
#: (product, list price in euros, unit cost as a share of list price)
CATALOGUE: Final = (
    ("Guantes de nitrilo (caja 100)", 6.90, 0.68),
    ("Tornillería inoxidable M8 (caja)", 12.40, 0.70),
    ("Cinta americana reforzada", 4.35, 0.67),
    ("Brida de acero DN50", 18.75, 0.71),
    ("Aceite hidráulico ISO 46 (20 L)", 64.00, 0.72),
    ("Disco de corte 230 mm", 3.95, 0.69),
    ("Válvula de bola latón 1/2", 9.80, 0.70),
    ("Rodamiento rígido 6205", 7.60, 0.71),
    ("Manguera neumática 10 m", 29.90, 0.70),
    ("Casco de seguridad homologado", 14.50, 0.68),
    ("Calzado de seguridad S3", 48.00, 0.70),
    ("Pintura epoxi para suelos (15 L)", 129.00, 0.72),
    ("Extintor de polvo 6 kg", 39.00, 0.70),
    ("Compresor de pistón 50 L", 289.00, 0.73),
    ("Taladro percutor inalámbrico", 179.00, 0.72),
    ("Escalera de aluminio 3 tramos", 219.00, 0.71),
    ("Carro de herramientas equipado", 649.00, 0.73),
    ("Soldadora inverter 200 A", 459.00, 0.72),
    ("Estantería metálica industrial", 185.00, 0.69),
    ("Transpaleta manual 2.500 kg", 395.00, 0.71),
    ("Grupo electrógeno 5 kVA", 1290.00, 0.73),
    ("Revisión anual de maquinaria", 480.00, 0.68),
    ("Instalación y puesta en marcha", 950.00, 0.69),
    ("Formación en prevención (curso)", 320.00, 0.67),
    ("Mantenimiento preventivo (mes)", 240.00, 0.68),
    ("Reparación urgente (servicio)", 175.00, 0.69),
    ("Cuadro eléctrico a medida", 2350.00, 0.73),
    ("Señalización de seguridad (kit)", 56.00, 0.67),
)
_MAX_INVOICE_LINES: Final = 5


@dataclass(frozen=True)
class Documents:
    """The documents table and what payments and activities need from it.

    ``frame`` has :data:`DOCUMENT_COLUMNS` (dates ``pl.Date``, numbers Float64).
    The arrays are per invoice (credit notes excluded): ``number``, ``client``
    (client index), ``day`` and ``due`` (days since epoch), ``total`` (with VAT).
    ``gross_margin`` is per client: net amount minus cost over all lines.
    """

    frame: pl.DataFrame
    number: pl.Series
    client: np.ndarray
    day: np.ndarray
    due: np.ndarray
    total: np.ndarray
    gross_margin: np.ndarray


def allocate_lines(codes: np.ndarray, lines: int, rng: np.random.Generator) -> np.ndarray:
    """Invoice lines per client: fixed for tiny clients, the rest by weighted volume.

    Raises :class:`SettingsError` when ``lines`` cannot give every client its minimum.
    """
    weight = spec_array("weight", codes)
    fixed = weight == 0
    low = np.array([SPECS[k].fixed_lines[0] for k in KINDS])[codes]
    high = np.array([SPECS[k].fixed_lines[1] for k in KINDS])[codes]
    out = np.where(fixed, rng.integers(low, high + 1), spec_array("min_lines", codes)).astype(
        np.int64
    )
    rest = lines - int(out.sum())
    if rest < 0:
        raise SettingsError(
            N_("--lines must be at least {minimum} for {clients} clients."),
            minimum=int(out.sum()),
            clients=int(codes.size),
        )
    sigma = spec_array("weight_sigma", codes)
    # The floor keeps the smallest regular clients from turning into tiny ones.
    w = np.where(fixed, 0.0, weight * np.maximum(rng.lognormal(-(sigma**2) / 2, sigma), 0.25))
    share = rest * w / w.sum()
    extra = np.floor(share).astype(np.int64)
    leftover = rest - int(extra.sum())
    extra[np.argsort(-(share - extra), kind="stable")[:leftover]] += 1
    return out + extra


def split_invoices(
    per_client: np.ndarray, codes: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Invoice index of each line (lines sorted by client; invoices of 1–5 lines)."""
    total = int(per_client.sum())
    client = np.repeat(np.arange(per_client.size), per_client)
    first = np.concatenate([[0], np.cumsum(per_client)[:-1]])
    start = rng.random(total) < 1.0 / spec_array("invoice_lines", codes)[client]
    start[first[per_client > 0]] = True
    index = np.arange(total)
    run_start = np.maximum.accumulate(np.where(start, index, 0))
    start |= (index - run_start) % _MAX_INVOICE_LINES == 0
    return np.cumsum(start) - 1


def make_documents(
    codes: np.ndarray, clients: pl.DataFrame, lines: int, span: Span, rng: np.random.Generator
) -> Documents:
    """Draw every invoice and credit-note line.

    Parameters
    ----------
    codes
        Kind code per client.
    clients
        The clients table (``Código cliente``, ``Razón social``, ``NIF``, ``Días de pago``).
    lines
        Invoice lines to draw (credit-note lines come on top).
    """
    per_client = allocate_lines(codes, lines, rng)
    line_client = np.repeat(np.arange(codes.size), per_client)
    line_invoice = split_invoices(per_client, codes, rng)
    first_line = np.concatenate([[True], line_invoice[1:] != line_invoice[:-1]])
    inv_client = line_client[first_line]
    inv_first = np.searchsorted(inv_client, np.arange(codes.size))
    j = np.arange(inv_client.size) - inv_first[inv_client]
    count = np.bincount(inv_client, minlength=codes.size)[inv_client]
    inv_day = invoice_days(codes[inv_client], inv_client, j, count, span, rng)
    priced = _price_lines(codes, line_client, rng)
    terms = clients["Días de pago"].to_numpy().astype(np.int64)
    inv_due = inv_day + terms[inv_client]
    inv_total = np.round(np.bincount(line_invoice, weights=priced["total"]), 2)
    returned = _credit_note_lines(codes, line_client, line_invoice, inv_day, span, rng)
    docs = _doc_table(first_line, inv_client, inv_day, inv_due, returned)
    values = _line_values(priced, returned)
    owner = np.concatenate([line_client, line_client[returned["line"]]])
    margin = np.bincount(owner, weights=values["base"] - values["cost"], minlength=codes.size)
    frame = _frame(values, docs, clients)
    number = docs["number"].slice(0, inv_day.size)
    return Documents(frame, number, inv_client, inv_day, inv_due, inv_total, margin)


def _price_lines(
    codes: np.ndarray, line_client: np.ndarray, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Product, units, price, discount, net amount, cost and total of each line."""
    n = line_client.size
    _names, prices, ratios = (np.array(c) for c in zip(*CATALOGUE, strict=True))
    order = np.argsort(prices, kind="stable")
    prices, ratios = prices[order].astype(np.float64), ratios[order].astype(np.float64)
    scale = rng.lognormal(0.0, np.minimum(spec_array("weight_sigma", codes), 0.15))
    value = (spec_array("line_value", codes) * scale)[line_client] * rng.lognormal(0.0, 0.5, n)
    affordable = np.maximum(np.searchsorted(prices, value * 1.2, side="right"), 1)
    product = (rng.random(n) * affordable).astype(np.int64)
    factor = spec_uniform("price_factor", codes, rng)
    price = np.round(prices[product] * factor[line_client], 2)
    client_discount = spec_uniform("discount", codes, rng)
    # Some clients of kinds that may get a discount get none at all.
    optional = np.array([SPECS[k].discount[0] == 0 for k in KINDS])[codes]
    client_discount[optional & (rng.random(codes.size) < 0.4)] = 0.0
    discount = client_discount[line_client]
    noisy = discount > 0
    discount[noisy] = np.clip(discount[noisy] + rng.normal(0, 0.01, int(noisy.sum())), 0, 0.5)
    discount = np.round(discount * 200) / 200  # half a percentage point
    net_price = price * (1 - discount)
    units = np.maximum(np.round(value / net_price), 1.0)
    base = np.round(units * net_price, 2)
    cost = np.round(units * prices[product] * ratios[product] * rng.uniform(0.97, 1.03, n), 2)
    return {
        "product": order[product],
        "net_price": net_price,
        "units": units,
        "price": price,
        "discount": discount * 100,
        "base": base,
        "cost": cost,
        "total": np.round(base * (1 + VAT), 2),
    }


def _credit_note_lines(
    codes: np.ndarray,
    line_client: np.ndarray,
    line_invoice: np.ndarray,
    inv_day: np.ndarray,
    span: Span,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Lines returned with a credit note: ``line`` (index), ``note`` (note index per line), ``day``.

    Each client returns a share of its lines (its kind's ``return_rate``); the
    returned lines of one invoice go on one credit note, 3–45 days after it.
    ``line_client`` must be sorted (lines grouped by client, in invoice order).
    Returns after the end of the span have not happened yet and are dropped.
    """
    rate = spec_uniform("return_rate", codes, rng)
    optional = np.array([SPECS[k].return_rate[0] == 0 for k in KINDS])[codes]
    rate[optional & (rng.random(codes.size) < 0.6)] = 0.0
    note_day = weekday_shift(inv_day + rng.integers(3, 46, inv_day.size), span.first)
    # Systematic sampling: every 1/rate-th line of a client, from a random start, so a
    # returner's credit notes come close to its rate instead of a coin-flip count.
    first = np.searchsorted(line_client, line_client, side="left")
    step = (np.arange(line_client.size) - first) * rate[line_client]
    start = rng.random(codes.size)[line_client]
    chosen = (np.floor(start + step + rate[line_client]) > np.floor(start + step)) & (
        note_day[line_invoice] <= span.last
    )
    line = np.nonzero(chosen)[0]
    invoice, note = np.unique(line_invoice[line], return_inverse=True)
    # Heavy returners send whole lines back; the others a part of a line now and then.
    whole = codes[line_client[line]] == KINDS.index("returner")
    fraction = np.where(whole, 1.0, rng.uniform(0.1, 0.5, line.size))
    return {
        "line": line,
        "note": note,
        "day": note_day[invoice],
        "invoice": invoice,
        "fraction": fraction,
    }


def _doc_table(
    first_line: np.ndarray,
    inv_client: np.ndarray,
    inv_day: np.ndarray,
    inv_due: np.ndarray,
    returned: dict[str, np.ndarray],
) -> dict[str, Any]:
    """One entry per document, invoices then credit notes.

    ``start`` and ``length`` locate each document's lines in the arrays of
    :func:`_line_values` (invoice lines, then credit-note lines); ``number`` is
    the document number (a polars String series).
    """
    lines = first_line.size
    inv_start = np.flatnonzero(first_line)
    note_len = np.bincount(returned["note"], minlength=returned["day"].size)
    note_start = lines + np.concatenate([[0], np.cumsum(note_len)[:-1]]).astype(np.int64)
    kind = np.concatenate([np.zeros(inv_day.size, np.int8), np.ones(note_len.size, np.int8)])
    day = np.concatenate([inv_day, returned["day"]])
    seq = np.concatenate([
        _sequence(inv_day, np.arange(inv_day.size)),
        _sequence(returned["day"], returned["invoice"]),
    ])  # fmt: skip
    return {
        "kind": kind,
        "day": day,
        "due": np.concatenate([inv_due, returned["day"]]),
        "client": np.concatenate([inv_client, inv_client[returned["invoice"]]]),
        "start": np.concatenate([inv_start, note_start]),
        "length": np.concatenate([np.diff(np.append(inv_start, lines)), note_len]),
        "number": _numbers(kind, day, seq),
        "seq": seq,
    }


def _line_values(
    priced: dict[str, np.ndarray], returned: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Per line, invoice lines then credit-note lines (negative amounts)."""
    line = returned["line"]
    units = np.maximum(np.round(priced["units"][line] * returned["fraction"]), 1.0)
    base = np.round(units * priced["net_price"][line], 2)
    back = {
        "units": units,
        "base": base,
        "cost": np.round(priced["cost"][line] * units / priced["units"][line], 2),
        "total": np.round(base * (1 + VAT), 2),
    }
    values = {name: np.concatenate([priced[name], priced[name][line]])
              for name in ("product", "price", "discount")}  # fmt: skip
    for name, returned_values in back.items():
        values[name] = np.concatenate([priced[name], -returned_values])
    return values


def _export_order(docs: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Line positions and document of each exported line, in (date, number) order.

    Documents are sorted (a few million) and their line ranges laid out one after
    the other, which is cheaper than sorting ten million lines.
    """
    order = np.lexsort((docs["seq"], docs["kind"], docs["day"]))
    length = docs["length"][order]
    out_start = np.concatenate([[0], np.cumsum(length)[:-1]])
    position = np.repeat(docs["start"][order] - out_start, length)
    position += np.arange(position.size)
    return position, np.repeat(order, length)


def _frame(
    values: dict[str, np.ndarray], docs: dict[str, Any], clients: pl.DataFrame
) -> pl.DataFrame:
    """The typed documents frame (:data:`DOCUMENT_COLUMNS`), in export order."""
    position, doc = _export_order(docs)
    client = pl.Series(docs["client"][doc], dtype=pl.UInt32)
    doc_index = pl.Series(doc, dtype=pl.UInt32)
    product = pl.Series(values["product"][position], dtype=pl.UInt32)
    kind = pl.Series(docs["kind"][doc], dtype=pl.UInt32)
    return pl.DataFrame(
        {
            "Nº factura": docs["number"].gather(doc_index),
            "Fecha": _dates(docs["day"][doc]),
            "Código cliente": clients["Código cliente"].gather(client),
            "Cliente": clients["Razón social"].gather(client),
            "NIF": clients["NIF"].gather(client),
            "Tipo": pl.Series(["Factura", "Rectificativa"]).gather(kind),
            "Producto": pl.Series([c[0] for c in CATALOGUE]).gather(product),
            "Unidades": values["units"][position],
            "Precio unidad": values["price"][position],
            "Descuento %": values["discount"][position],
            "Base imponible": values["base"][position],
            "IVA %": np.full(position.size, VAT * 100),
            "Total": values["total"][position],
            "Coste": values["cost"][position],
            "Fecha de vencimiento": _dates(docs["due"][doc]),
        }
    )


def _dates(days: np.ndarray) -> pl.Series:
    return pl.Series(days.astype(np.int32)).cast(pl.Date)


def _year(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _sequence(days: np.ndarray, tie: np.ndarray) -> np.ndarray:
    """1-based position of each document within its year, in date order."""
    order = np.lexsort((tie, days))
    years = _year(days[order])
    seq = np.empty(days.size, dtype=np.int64)
    seq[order] = np.arange(days.size) - np.searchsorted(years, years, side="left") + 1
    return seq


def _numbers(kind: np.ndarray, days: np.ndarray, seq: np.ndarray) -> pl.Series:
    """Document numbers: ``F24-000123`` for invoices, ``R24-000045`` for credit notes."""
    frame = pl.DataFrame({"kind": kind, "year": _year(days) % 100, "seq": seq})
    return frame.select(
        pl.concat_str(
            pl.when(pl.col("kind") == 0).then(pl.lit("F")).otherwise(pl.lit("R")),
            pl.col("year").cast(pl.String).str.zfill(2),
            pl.lit("-"),
            pl.col("seq").cast(pl.String).str.zfill(6),
        ).alias("Nº factura")
    ).to_series()
