"""Hints when a required role has no column: headers to use, in the user's and the file's
language, and the columns of the file that came closest."""

from __future__ import annotations

from typing import Final

from cartera.errors import Problem
from cartera.i18n import N_, get_language
from cartera.io.parse import SPANISH_WORDS
from cartera.io.recognise import Recognition
from cartera.io.source import RawTable
from cartera.io.words import header_words

__all__ = ["EXAMPLES", "file_language", "missing_problem"]

#: role → language → headers a user could write (the first ones of the alias table and more).
EXAMPLES: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "client_code": {
        "es": ("Código cliente", "Nº cliente"),
        "en": ("Customer ID", "Client code"),
        "pt": ("Código do cliente",),
    },
    "tax_id": {"es": ("NIF", "CIF"), "en": ("Tax ID", "VAT number"), "pt": ("CNPJ", "CPF")},
    "client_name": {
        "es": ("Cliente", "Razón social"),
        "en": ("Customer", "Client name"),
        "pt": ("Cliente", "Razão social"),
    },
    "date": {
        "es": ("Fecha", "Fecha factura"),
        "en": ("Date", "Invoice date"),
        "pt": ("Data", "Data de emissão"),
    },
    "net": {
        "es": ("Base imponible", "Importe neto"),
        "en": ("Net amount", "Subtotal"),
        "pt": ("Valor líquido",),
    },
    "amount": {"es": ("Importe",), "en": ("Amount",), "pt": ("Valor",)},
    "total": {"es": ("Total",), "en": ("Total",), "pt": ("Total",)},
    "unit_price": {"es": ("Precio unitario",), "en": ("Unit price",), "pt": ("Preço unitário",)},
    "doc_number": {
        "es": ("Nº factura", "Número"),
        "en": ("Invoice number", "Number"),
        "pt": ("Número da fatura",),
    },
    "hours": {"es": ("Horas",), "en": ("Hours",), "pt": ("Horas",)},
    "kind": {"es": ("Tipo de actividad",), "en": ("Activity type",), "pt": ("Tipo",)},
}
#: Spanish header words: the ones the number conventions look for, and a few more
#: (LatAm registers, statuses, prices).
_SPANISH: Final = frozenset((*SPANISH_WORDS, "monto", "neto", "folio", "docto", "estado", "precio"))
_PORTUGUESE: Final = frozenset(
    ["data", "valor", "nome", "fatura", "emissao", "quantidade", "preco"]
)


def file_language(headers: list[str]) -> str:
    """``es``, ``pt`` or ``en``: the language most of the file's header words are in."""
    words = [w for h in headers for w in header_words(h)]
    es = sum(w in _SPANISH for w in words)
    pt = sum(w in _PORTUGUESE for w in words)
    if es >= max(pt, 1):
        return "es"
    return "pt" if pt else "en"


def missing_problem(raw: RawTable, rec: Recognition, group: tuple[str, ...]) -> Problem:
    """The problem of a missing role group: headers to use and the closest columns."""
    langs = dict.fromkeys((get_language(), file_language(raw.headers)))
    examples = [
        f"«{e}»" for lang in langs for r in group for e in EXAMPLES.get(r, {}).get(lang, ())
    ]
    near = [raw.headers[i] for r in group for i in rec.candidates.get(r, ())]
    near = list(dict.fromkeys(near))[:5]
    if near:
        return Problem(
            N_(
                "no column for «{role}»; expected a header such as {examples}. Columns that "
                "came close: {near}"
            ),
            file=raw.name,
            params={
                "role": " / ".join(group),
                "examples": ", ".join(dict.fromkeys(examples)),
                "near": ", ".join(f"«{n}»" for n in near),
            },
            code="missing_column",
        )
    return Problem(
        N_("no column for «{role}»; expected a header such as {examples}"),
        file=raw.name,
        params={"role": " / ".join(group), "examples": ", ".join(dict.fromkeys(examples))},
        code="missing_column",
    )
