"""Rows and columns of a documents file that are not revenue as they stand.

Works on the typed frame of one documents file (``__row`` + role columns,
see :mod:`cartera.io.parse`) before :func:`cartera.io.tables.documents_part`:

* continuation and subtotal rows (no number and no date, or no date and no
  amount) are left out and counted;
* documents whose status says they are not issued (draft, cancelled, void,
  proforma, rejected...) are left out, counted with their amount;
* a money column whose value is constant within each document while the
  lines vary is a *document figure* (an invoice total repeated on every line):
  it is never summed per line (decision 0108);
* SII-style numbers unique only within a document type get the type in their key.

Every change is said in a :class:`~cartera.io.parse.Note`.
"""

from __future__ import annotations

import re
from typing import Final

import polars as pl

from cartera.i18n import N_
from cartera.io.aliases import (
    CREDIT_PATTERN,
    EXCLUDED_STATUS,
    FALSE_WORDS,
    NOT_SALES_TYPES,
    NOT_SALES_WORDS,
    OWED_STATUS,
    PAID_STATUS,
    normalise_word,
)
from cartera.io.identity import fold, plain_text
from cartera.io.parse import Note, distinct_texts

__all__ = [
    "EXCLUDED_STATUS",
    "REFUND_OF",
    "SAMPLE_LINES",
    "document_figures",
    "document_gaps",
    "drop_excluded_status",
    "drop_not_sales",
    "drop_orphan_refunds",
    "drop_structure_rows",
    "excluded_words",
    "fill_document_fields",
    "key_by_type",
    "key_refunds",
    "line_amounts",
    "not_sales",
    "number_continuations",
    "numeric_types",
    "paid_by_status",
    "program_statuses",
]

_MONEY: Final = ("net", "exempt", "amount", "total")
#: Lines checked to tell a document figure from a line amount (documents are listed together).
SAMPLE_LINES: Final = 20_000


def _amount_cols(frame: pl.DataFrame) -> list[str]:
    return [c for c in (*_MONEY, "unit_price", "vat_amount") if c in frame.columns]


_SHARED: Final = ("client_code", "tax_id", "client_name", "date", "status", "currency")


def document_gaps(frame: pl.DataFrame) -> list[str]:
    """The client, date, status and currency columns that some numbered line leaves empty
    (:func:`fill_document_fields` fills them from the document's other lines)."""
    if "doc_number" not in frame.columns:
        return []
    cols = [c for c in _SHARED if c in frame.columns]
    numbered = pl.col("doc_number").is_not_null()
    gaps = frame.select([(pl.col(c).is_null() & numbered).any().alias(c) for c in cols]).row(0)
    return [c for c, gap in zip(cols, gaps, strict=True) if gap]


def fill_document_fields(frame: pl.DataFrame) -> pl.DataFrame:
    """Lines that leave the document's client, date, status or currency empty take them from
    the document's other lines (exports that write them on a document's first line only)."""
    fill = document_gaps(frame)
    if not fill:
        return frame
    numbered = pl.col("doc_number").is_not_null()
    document = document_key(frame)
    return frame.with_columns(
        pl.when(pl.col(c).is_null() & numbered)
        .then(pl.col(c).drop_nulls().first().over(document))
        .otherwise(pl.col(c))
        .alias(c)
        for c in fill
    )


def document_key(frame: pl.DataFrame) -> list[str]:
    """The columns that name one document among ``frame``'s lines.

    A document is its number within its series (written on every line): AFIP's credit note
    2-13-1 is not invoice 3-11-1; and beside a series, within its type when every line's
    type is a numeric code (AFIP numbers each type apart: 2-11-1, 2-13-1). Types in words
    may differ between a document's lines (Vend's «Sale», «Sale Line»)."""
    document = ["doc_number"]
    if _on_every_line(frame, "series"):
        document.append("series")
        if _on_every_line(frame, "doc_type") and numeric_types(frame.get_column("doc_type")):
            document.append("doc_type")
    return document


def _on_every_line(frame: pl.DataFrame, column: str) -> bool:
    return column in frame.columns and frame.get_column(column).null_count() == 0


def numeric_types(types: pl.Series) -> bool:
    """Whether a type column's texts are all numeric codes (AFIP's 11, 13…)."""
    texts = types.drop_nulls().str.strip_chars()
    return texts.len() > 0 and bool(texts.str.contains(r"^[0-9]+$").all())


#: A cell that labels a totals row (``Total factura``, ``Subtotal``, ``Suma``).
_TOTAL_LABEL: Final = r"(?i)^\s*(grand\s+)?(total|totals|totales|subtotal|suma|sumas)\b"
#: Columns that only a document's line fills (what was sold, at what price); a report's
#: subtotal row may sum units, never names a product or a price.
_LINE_FIELDS: Final = ("product", "unit_price")


def number_continuations(frame: pl.DataFrame) -> tuple[pl.DataFrame, list[Note]]:
    """Lines without a document number that continue the numbered document above them take
    its number (decision 0952): hand-made sheets write the number, and often the date and
    client, on an invoice's first line only.

    A line continues the document above when it has an amount, no totals label, its own
    date and client (where written) equal that document's, and either a line field
    (product, unit price) or both its own date and client. The date and client it
    leaves empty are then filled from the document (:func:`fill_document_fields`)."""
    if "doc_number" not in frame.columns:
        return frame, []
    money = _amount_cols(frame)
    unnumbered = pl.col("doc_number").is_null()
    if not money or not frame.select(unnumbered.any()).item():
        return frame, []
    numbered = ~unnumbered
    above = pl.col("doc_number").forward_fill()
    shared = [c for c in ("date", "client_code", "tax_id", "client_name") if c in frame.columns]
    same = [
        pl.col(c).is_null() | (pl.col(c) == pl.when(numbered).then(pl.col(c)).forward_fill())
        for c in shared
    ]
    own = [c for c in shared if c != "date"]
    both = (
        pl.col("date").is_not_null() & pl.any_horizontal([pl.col(c).is_not_null() for c in own])
        if "date" in shared and own
        else pl.lit(False)
    )
    lines = [c for c in _LINE_FIELDS if c in frame.columns]
    line = pl.any_horizontal([pl.col(c).is_not_null() for c in lines]) if lines else pl.lit(False)
    texts = [c for c in frame.columns if frame.schema[c] == pl.String and not c.startswith("__")]
    label = (
        pl.any_horizontal([pl.col(c).str.contains(_TOTAL_LABEL).fill_null(False) for c in texts])
        if texts
        else pl.lit(False)
    )
    continues = (
        unnumbered
        & above.is_not_null()
        & pl.any_horizontal([pl.col(c).is_not_null() for c in money])
        & pl.all_horizontal(same or [pl.lit(True)]).fill_null(False)
        & (line | both)
        & ~label
    )
    count = frame.select(continues.sum()).item()
    if not count:
        return frame, []
    note = Note(
        N_("{count} lines without a document number continue the document above them"),
        {"count": count},
    )
    filled = frame.with_columns(
        pl.when(continues).then(above).otherwise(pl.col("doc_number")).alias("doc_number")
    )
    return filled, [note]


def drop_structure_rows(frame: pl.DataFrame) -> tuple[pl.DataFrame, list[Note]]:
    """Without continuation and subtotal rows: no date and either no number, no client or no
    amount at all (a grouped export's ``Administrator (3)`` row has amounts but neither)."""
    money = _amount_cols(frame)
    no_date = pl.col("date").is_null() if "date" in frame.columns else pl.lit(True)
    no_money = pl.all_horizontal([pl.col(c).is_null() for c in money]) if money else pl.lit(True)
    structure = no_date & no_money
    clients = [c for c in ("client_code", "tax_id", "client_name") if c in frame.columns]
    if clients:
        structure = structure | (
            no_date & pl.all_horizontal([pl.col(c).is_null() for c in clients])
        )
    if "doc_number" in frame.columns:
        structure = structure | (no_date & pl.col("doc_number").is_null())
    count = frame.select(structure.sum()).item()
    if not count:
        return frame, []
    note = Note(
        N_(
            "{count} rows without a date and without a document number, client or amount "
            "(continuation or subtotal rows) were left out"
        ),
        {"count": count},
    )
    return frame.filter(~structure), [note]


#: Dolibarr's invoice references: ``FA2606-0001`` (invoice), ``AV2606-0005`` (credit note),
#: ``AC``/``IN`` (deposit, situation), and a draft's ``(PROV36)``.
_DOLIBARR_REF: Final = r"^(\(PROV[0-9]+\)|(FA|AV|AC|IN|FS)[0-9]{4}-[0-9]{4,})$"
#: Dolibarr's invoice statuses as its export writes them (``fk_statut``), in the words the
#: status rules know: 0 draft, 1 validated and unpaid (its screens: «Pendiente de pago»), 2 paid,
#: 3 abandoned.
DOLIBARR_STATUS: Final = {"0": "Borrador", "1": "Pendiente", "2": "Pagada", "3": "Abandonada"}


#: Share of a file's document numbers that must be Dolibarr's references for its codes to
#: be read as Dolibarr's.
DOLIBARR_SHARE: Final = 0.8


def program_statuses(
    frame: pl.DataFrame, headers: dict[str, str], sample: pl.DataFrame | None = None
) -> tuple[pl.DataFrame, list[Note]]:
    """Statuses written as a program's codes, read as its words (decision 0954): Dolibarr's
    export writes 0–3 where its screens say draft, validated, paid, abandoned. Told by the
    file's first :data:`SAMPLE_LINES` lines: every status a code of 0–3 and at least
    :data:`DOLIBARR_SHARE` of the numbers Dolibarr's references."""
    head = (sample if sample is not None else frame).head(SAMPLE_LINES)
    if not {"status", "doc_number"} <= set(head.columns) or head.height == 0:
        return frame, []
    codes, refs = head.select(
        pl.col("status").drop_nulls().str.strip_chars().is_in(list(DOLIBARR_STATUS)).all(),
        pl.col("doc_number").drop_nulls().str.strip_chars().str.contains(_DOLIBARR_REF).mean(),
    ).row(0)
    if not codes or (refs or 0) < DOLIBARR_SHARE:
        return frame, []
    status = pl.col("status").str.strip_chars()
    note = Note(
        N_("«{column}» holds Dolibarr's status codes: 0 draft, 1 validated, 2 paid, 3 abandoned"),
        {"column": headers["status"]},
    )
    mapped = status.replace_strict(DOLIBARR_STATUS, default=status, return_dtype=pl.String)
    return frame.with_columns(mapped.alias("status")), [note]


def drop_excluded_status(
    frame: pl.DataFrame, header: str, amount: pl.Expr, excluded: frozenset[str]
) -> tuple[pl.DataFrame, list[Note]]:
    """Without the documents whose status is one of ``excluded`` (normalised words)."""
    out = excluded_words(frame, excluded)
    if not out:
        return frame, []
    # An empty status is no status: its line stays (without fill_null the filter drops it).
    bad = pl.col("status").is_in(out).fill_null(False)
    # A credit note or refund «Refunded» was paid back: it is the refund itself, not a sale
    # undone (FreeAgent's credit notes, NetSuite's cash refunds).
    refunds = [w for w in out if re.search(r"refund|reembols", w.casefold())]
    if refunds:
        bad = bad & ~(pl.col("status").is_in(refunds) & (amount < 0)).fill_null(False)
    figures = frame.filter(bad).select(
        pl.len().alias("lines"),
        (pl.col("doc_number").n_unique() if "doc_number" in frame.columns else pl.len()).alias(
            "docs"
        ),
        amount.sum().alias("amount"),
    )
    lines, docs, total = figures.row(0)
    note = Note(
        N_(
            "{docs} documents ({lines} lines, {amount}) with status {words} in «{column}» are "
            "not revenue and were left out"
        ),
        {
            "docs": docs,
            "lines": lines,
            "amount": round(float(total or 0.0), 2),
            "words": ", ".join(f"«{w}»" for w in out),
            "column": header,
        },
    )
    return frame.filter(~bad), [note]


def _cancelled() -> pl.Expr:
    """A cancellation cell that says so: a date or a yes (CONTPAQi's «Cancelado: Sí»); empty
    cells and a no (``No``, ``0``, ``false``) are not cancelled."""
    text = fold(pl.col("cancelled").cast(pl.String).str.strip_chars()).fill_null("")
    return (text != "") & ~text.is_in(list(FALSE_WORDS))


def not_sales(frame: pl.DataFrame) -> pl.Expr | None:
    """Lines that are not sales by their own cells: a cancellation date (the document was
    cancelled) or a type of :data:`NOT_SALES_TYPES`; None when the file can have neither."""
    found = [_cancelled()] if "cancelled" in frame.columns else []
    kinds = _not_sale_kinds(frame)
    if kinds is not None:
        found.append(kinds)
    return pl.any_horizontal(found) if found else None


def _not_sale_kinds(frame: pl.DataFrame) -> pl.Expr | None:
    """Lines whose type is not a sale, when the type column also holds a sale type."""
    if "doc_type" not in frame.columns:
        return None
    words = frame.select(distinct_texts("doc_type")).to_series()
    plain = pl.DataFrame({"w": words}).select(plain_text(pl.col("w")))["w"]
    pairs = list(zip(words.to_list(), plain.to_list(), strict=True))
    kinds = [w for w, p in pairs if p and _not_sale_type(p, w)]
    # Only beside a type that is a sale: Square calls every sale a «Payment» (beside
    # «Refund»), QuickBooks lists «Payment» rows among its «Invoice» rows.
    sales = [p for w, p in pairs if p and not _not_sale_type(p, w)]
    sales = [p for p in sales if re.search(CREDIT_PATTERN, p) is None]
    return pl.col("doc_type").is_in(kinds).fill_null(False) if kinds and sales else None


#: Type codes of this length or shorter must be the whole type (``REC`` is not
#: ``Rectificativa``); longer words start it (``Guía de despacho electrónica``).
_CODE_LENGTH: Final = 3


def _not_sale_type(plain: str, text: str) -> bool:
    """Whether a type (``plain``: folded, letters only; ``text``: as written) is no sale: a
    code of :data:`NOT_SALES_TYPES` whole, a longer word of it starting the type, or a word
    of :data:`NOT_SALES_WORDS` anywhere in it."""
    if plain in NOT_SALES_TYPES or any(
        len(w) > _CODE_LENGTH and plain.startswith(w) for w in NOT_SALES_TYPES
    ):
        return True
    return any(normalise_word(w) in NOT_SALES_WORDS for w in re.split(r"[\s/_.,;:()-]+", text))


def drop_not_sales(
    frame: pl.DataFrame, headers: dict[str, str], amount: pl.Expr
) -> tuple[pl.DataFrame, list[Note]]:
    """Without the lines :func:`not_sales` finds, with a note per reason."""
    notes: list[Note] = []
    if "cancelled" in frame.columns:
        gone = _cancelled()
        lines, total = frame.filter(gone).select(pl.len(), amount.sum()).row(0)
        if lines:
            notes.append(
                Note(
                    N_(
                        "{lines} lines ({amount}) marked cancelled in «{column}» (a date or a "
                        "yes) were left out"
                    ),
                    {
                        "lines": lines,
                        "amount": round(float(total or 0.0), 2),
                        "column": headers.get("cancelled", ""),
                    },
                )
            )
        frame = frame.filter(~gone)
    kinds = _not_sale_kinds(frame)
    if kinds is not None:
        left = frame.filter(kinds)
        words = left.select(distinct_texts("doc_type")).to_series().to_list()
        lines, total = left.select(pl.len(), amount.sum()).row(0)
        notes.append(
            Note(
                N_(
                    "{lines} lines ({amount}) of type {words} in «{column}» are not sales "
                    "(payroll or payment receipts, transfers, estimates, purchases or "
                    "entries) and were left out"
                ),
                {
                    "lines": lines,
                    "amount": round(float(total or 0.0), 2),
                    "words": ", ".join(f"«{w}»" for w in words),
                    "column": headers.get("doc_type", ""),
                },
            )
        )
        frame = frame.filter(~kinds)
    return frame, notes


def _statuses(frame: pl.DataFrame) -> list[tuple[str, str]]:
    """The distinct status texts of ``frame`` in order of first appearance, each with its
    folded form (lower case, no accents, words split by single spaces)."""
    if "status" not in frame.columns:
        return []
    words = frame.select(distinct_texts("status")).to_series()
    folded = pl.DataFrame({"w": words}).select(
        fold(pl.col("w")).str.replace_all(r"[^0-9a-z]+", " ").str.strip_chars()
    )["w"]
    return [(w, f) for w, f in zip(words.to_list(), folded.to_list(), strict=True) if f]


def excluded_words(frame: pl.DataFrame, excluded: frozenset[str]) -> list[str]:
    """The status words of ``frame``, in order of first appearance, that are one of
    ``excluded`` (normalised words)."""
    return [w for w, f in _statuses(frame) if _excluded_status(f, excluded)]


def status_says_paid(folded: str) -> bool | None:
    """Whether a status (folded like :func:`_excluded_status`) says its invoice is paid in
    full (True), still owed (False) or neither (None): partial payments, other words."""
    if _partial(folded):
        return None
    for known, says in ((OWED_STATUS, False), (PAID_STATUS, True)):
        if _starts_with_one(folded, known):
            return says
    return None


def paid_by_status(frame: pl.DataFrame) -> pl.Expr | None:
    """The status column read as payment (decision 0949): True where it says paid in full,
    False where it says owed, null otherwise; None when no status of ``frame`` says paid."""
    says = {w: v for w, f in _statuses(frame) if (v := status_says_paid(f)) is not None}
    # Only a column that says paid somewhere is about payment: tax authorities' states
    # (Emitida, Autorizada) would otherwise make every invoice owed.
    if True not in says.values():
        return None
    return pl.col("status").replace_strict(says, default=None, return_dtype=pl.Boolean)


#: A word that makes a status partial (``partially_refunded``): the document still counts.
_PARTIAL: Final = ("partial", "parcial")


def _partial(folded: str) -> bool:
    return any(w.startswith(_PARTIAL) for w in folded.split(" "))


def _starts_with_one(folded: str, known: frozenset[str]) -> bool:
    """Whether the whole text (spaces left out) or one of its words starts with a word of
    ``known``."""
    whole = folded.replace(" ", "")
    return any(whole.startswith(x) for x in known) or any(
        w.startswith(x) for w in folded.split(" ") for x in known
    )


def _excluded_status(folded: str, excluded: frozenset[str]) -> bool:
    """Whether a status (folded: lower case, no accents, words split by single spaces) says
    its document is not revenue: the whole text or one of its words starts with an excluded
    word, and no word says the change was partial."""
    return not _partial(folded) and _starts_with_one(folded, excluded)


def document_figures(frame: pl.DataFrame, sample: pl.DataFrame | None = None) -> set[str]:
    """Money roles whose value is one per document (:func:`document_key`) while its lines vary
    (checked on the first :data:`SAMPLE_LINES` lines of ``sample``, by default ``frame``: a
    segment of a file is given the file's first lines): every multi-line document whose other
    columns vary holds a single value of the role."""
    if "doc_number" not in frame.columns:
        return set()
    money = [c for c in _MONEY if c in frame.columns]
    evidence = [*money, *[c for c in ("units", "unit_price", "product") if c in frame.columns]]
    if not money or len(evidence) < 2:
        return set()
    head = (frame if sample is None else sample).head(SAMPLE_LINES)
    per_doc = (
        head.filter(pl.col("doc_number").is_not_null())
        .group_by(document_key(head))
        .agg(
            pl.len().alias("__n"),
            *[pl.col(c).n_unique() for c in evidence],
            # A figure written on the first line only (the others empty) is one value too.
            *[pl.col(c).drop_nulls().n_unique().alias(f"__v_{c}") for c in money],
        )
        .filter(pl.col("__n") > 1)
    )
    out: set[str] = set()
    for role in money:
        others = [c for c in evidence if c != role]
        moving = per_doc.filter(pl.any_horizontal([pl.col(c) > 1 for c in others]))
        if moving.height and moving.get_column(f"__v_{role}").max() == 1:
            out.add(role)
    return out


def line_amounts(
    frame: pl.DataFrame, headers: dict[str, str], sample: pl.DataFrame | None = None
) -> tuple[pl.DataFrame, list[Note]]:
    """The frame with document figures (:func:`document_figures`) dropped where a line amount
    exists, or counted on each document's first line only where none does."""
    figures = document_figures(frame, sample)
    if not figures:
        return frame, []
    lines = [c for c in _MONEY if c in frame.columns and c not in figures and c != "exempt"]
    price = {"unit_price", "units"} <= set(frame.columns)
    notes: list[Note] = []
    for role in sorted(figures, key=_MONEY.index):
        if lines or price:
            used = headers[lines[0]] if lines else f"{headers['unit_price']} × {headers['units']}"
            frame = frame.drop(role)
            notes.append(
                Note(
                    N_(
                        "«{column}» repeats each document's figure on its lines: it was not "
                        "summed per line; the line amounts ({used}) were used"
                    ),
                    {"column": headers[role], "used": used},
                )
            )
        else:
            first = pl.col("doc_number").is_first_distinct()
            value = pl.col(role).drop_nulls().first().over("doc_number")
            frame = frame.with_columns(pl.when(first).then(value).otherwise(0.0).alias(role))
            notes.append(
                Note(
                    N_(
                        "«{column}» repeats each document's figure on its lines: it was counted "
                        "once per document"
                    ),
                    {"column": headers[role]},
                )
            )
    return frame, notes


def key_by_type(
    frame: pl.DataFrame, headers: dict[str, str], sample: pl.DataFrame | None = None
) -> tuple[pl.DataFrame, list[Note]]:
    """Numbers unique only within a document type (SII ``Folio`` per ``Tipo Doc``) keyed by
    the pair ``type-number`` (told from the first :data:`SAMPLE_LINES` lines of ``sample``, by
    default ``frame``)."""
    if not {"doc_type", "doc_number"} <= set(frame.columns):
        return frame, []
    shared = (
        (frame if sample is None else sample)
        .head(SAMPLE_LINES)
        .select("doc_number", "doc_type")
        .unique()
        .group_by("doc_number")
        .len()
        .filter(pl.col("len") > 1)
        .height
    )
    if not shared:
        return frame, []
    number = pl.col("doc_type").str.strip_chars() + "-" + pl.col("doc_number").str.strip_chars()
    note = Note(
        N_("numbers of «{number}» repeat across «{type}»: a document is the pair of both"),
        {"number": headers["doc_number"], "type": headers["doc_type"]},
    )
    return frame.with_columns(
        pl.when(pl.col("doc_type").is_not_null())
        .then(number)
        .otherwise(pl.col("doc_number"))
        .alias("doc_number")
    ), [note]


_CLIENT_COLUMNS: Final = ("client_code", "tax_id", "client_name")
#: The order a refund keyed by :func:`key_refunds` belongs to (dropped by
#: :func:`drop_orphan_refunds`).
REFUND_OF: Final = "__refund_of"


def key_refunds(frame: pl.DataFrame, amount: pl.Expr) -> tuple[pl.DataFrame, list[Note]]:
    """Refunds written under their order's number (WooCommerce's orders report: a second row
    with the order's number, the refund's later date and a negative amount) keyed apart as
    ``number-yyyymmdd``, so they are the order's credit notes rather than a number used
    twice: a (number, date) group after the number's first date, of the same client, whose
    amount is negative. A number reused in any other way is left to the duplicate check."""
    if "doc_number" not in frame.columns or "date" not in frame.columns:
        return frame, []
    # Only numbers with a negative line can hold a refund: the usual file has few or none,
    # so the groups are taken over those numbers' lines alone.
    negative = frame.filter(amount < 0).get_column("doc_number").drop_nulls().unique()
    if negative.len() == 0:
        return frame, []
    clients = [c for c in _CLIENT_COLUMNS if c in frame.columns]
    who = pl.concat_str([pl.col(c).fill_null("") for c in clients], separator="\x1f")
    groups = (
        frame.filter(pl.col("doc_number").is_in(negative.implode()) & pl.col("date").is_not_null())
        .group_by("doc_number", "date")
        .agg(amount.sum().alias("__sum"), (who.first() if clients else pl.lit("")).alias("__who"))
        .with_columns(
            pl.col("date").min().over("doc_number").alias("__first"),
            pl.col("__who").sort_by("date").first().over("doc_number").alias("__first_who"),
        )
        .filter(
            (pl.col("date") > pl.col("__first"))
            & (pl.col("__sum") < 0)
            & (pl.col("__who") == pl.col("__first_who"))
        )
        .select("doc_number", "date", pl.lit(True).alias("__refund"))
    )
    if groups.height == 0:
        return frame, []
    keyed = pl.concat_str(
        [pl.col("doc_number"), pl.col("date").dt.strftime("%Y%m%d")], separator="-"
    )
    refund = pl.col("__refund").fill_null(False)
    out = (
        frame.join(groups, on=["doc_number", "date"], how="left", maintain_order="left")
        .with_columns(
            pl.when(refund).then(pl.col("doc_number")).alias(REFUND_OF),
            pl.when(refund).then(keyed).otherwise(pl.col("doc_number")).alias("doc_number"),
        )
        .drop("__refund")
    )
    note = Note(
        N_(
            "{count} refunds written under their order's number (a later date, a negative "
            "amount) were kept as credit notes of that order, numbered «number-date»"
        ),
        {"count": groups.height},
    )
    return out, [note]


def drop_orphan_refunds(frame: pl.DataFrame) -> tuple[pl.DataFrame, list[Note]]:
    """Without the refunds (:func:`key_refunds`) whose order was left out (WooCommerce marks a
    wholly refunded order «Refunded» and writes its refund as a «Completed» row: the order
    and its refund both go, or the refund alone would count)."""
    if REFUND_OF not in frame.columns:
        return frame, []
    orders = frame.filter(pl.col(REFUND_OF).is_null()).get_column("doc_number").unique()
    orphan = pl.col(REFUND_OF).is_not_null() & ~pl.col(REFUND_OF).is_in(orders.implode())
    count = frame.select(orphan.sum()).item()
    out = frame.filter(~orphan).drop(REFUND_OF)
    if not count:
        return out, []
    note = Note(
        N_("{count} refund lines of orders left out were left out with them"), {"count": count}
    )
    return out, [note]
