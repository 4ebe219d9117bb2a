"""Client identity: one id per client across documents, activities and the clients file.

The rule (docs/input-formats.md, decision 0103): a client is its **code**
when the file has one; else its **tax id** (upper case, no spaces, dashes or
dots, without the ``ES`` prefix); else its **name** (lower case, no accents or
punctuation, spaces collapsed, legal suffixes such as S.L./S.A./Ltd dropped).
A tax id or name that another row (the clients file first) pairs with a code
resolves to that code, so ``B12345678`` in the invoices and ``C0042`` in the
clients file are one client when the clients file says so.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from cartera.io.aliases import LEGAL_SUFFIXES

__all__ = [
    "IDENTITY",
    "assign_keys",
    "complete_identity",
    "link_ids",
    "listed_forms",
    "local_id",
    "norm_code",
    "norm_name",
    "norm_tax",
    "plain_text",
]

#: The three identity columns every client-bearing table carries before linking.
IDENTITY: Final = ("__code", "__tax", "__name")
_SUFFIX_RE: Final = r"(\s(" + "|".join(LEGAL_SUFFIXES) + r"))+$"


_ACCENTED: Final = "áàâäãåéèêëíìîïóòôöõúùûüñçýÿšžœæ"
_PLAIN: Final = (
    ("a",) * 6
    + ("e",) * 4
    + ("i",) * 4
    + ("o",) * 5
    + ("u",) * 4
    + (
        "n",
        "c",
        "y",
        "y",
        "s",
        "z",
        "oe",
        "ae",
    )
)


def fold(expr: pl.Expr) -> pl.Expr:
    """Lower case without accents (a lookup table: far faster than Unicode NFKD on millions)."""
    return expr.str.to_lowercase().str.replace_many(list(_ACCENTED), list(_PLAIN))


def plain_text(expr: pl.Expr) -> pl.Expr:
    """Lower case, no accents, only letters and digits (``Devolución`` → ``devolucion``)."""
    return fold(expr).str.replace_all(r"[^0-9a-z]", "")


def norm_code(expr: pl.Expr) -> pl.Expr:
    """Codes as written, trimmed; all-digit codes without leading zeros (Excel drops them)
    and without the ``.0`` of a spreadsheet's float (``12472.0`` → ``12472``)."""
    s = expr.str.strip_chars().str.replace(r"^(\d+)\.0+$", "${1}")
    digits = s.str.contains(r"^\d+$")
    stripped = s.str.strip_chars_start("0")
    return (
        pl.when(digits)
        .then(pl.when(stripped == "").then(pl.lit("0")).otherwise(stripped))
        .otherwise(s)
    )


def norm_tax(expr: pl.Expr) -> pl.Expr:
    """``es-b12.345.678`` → ``B12345678``."""
    s = expr.str.to_uppercase().str.replace_all(r"[\s\-./]", "")
    s = pl.when(s.str.contains(r"^ES[0-9A-Z]\d{7}[0-9A-Z]$")).then(s.str.slice(2)).otherwise(s)
    return pl.when(s == "").then(None).otherwise(s)


def norm_name(expr: pl.Expr) -> pl.Expr:
    """``'Construcciones Pérez, S.L.'`` → ``'construcciones perez'``; letters of any script
    are kept (Unicode NFKC, lower case), only punctuation and spaces are folded."""
    s = fold(expr.str.normalize("NFKC"))
    s = s.str.replace_all(r"\.", "").str.replace_all(r"[^\p{L}\p{N}]+", " ").str.strip_chars()
    s = s.str.replace(_SUFFIX_RE, "").str.strip_chars()
    return pl.when(s == "").then(None).otherwise(s)


def listed_forms(ids: list[str]) -> pl.DataFrame:
    """Ids written by a user (``listed``, one row each) with every id the import could give
    that client (``form``: read as a code, a tax id or a name), nulls dropped; up to 3 rows
    per listed id."""
    listed = pl.DataFrame({"listed": ids}, schema={"listed": pl.String})
    col = pl.col("listed")
    forms = pl.concat_list(norm_code(col), norm_tax(col), norm_name(col)).alias("form")
    return listed.select("listed", forms).explode("form").drop_nulls().unique(maintain_order=True)


def identity_columns(roles: set[str]) -> list[pl.Expr]:
    """``__code``, ``__tax``, ``__name`` from whichever client roles a file has."""
    null = pl.lit(None, pl.String)
    return [
        (norm_code(pl.col("client_code")) if "client_code" in roles else null).alias("__code"),
        (norm_tax(pl.col("tax_id")) if "tax_id" in roles else null).alias("__tax"),
        (norm_name(pl.col("client_name")) if "client_name" in roles else null).alias("__name"),
    ]


def complete_identity(ids: pl.DataFrame) -> pl.DataFrame:
    """``__tax`` and ``__name`` filled from the tax id and name as written (``__dtax``,
    ``__dname``) where they were left empty because the client had a code."""
    return ids.with_columns(
        pl.coalesce("__tax", norm_tax(pl.col("__dtax"))).alias("__tax"),
        pl.coalesce("__name", norm_name(pl.col("__dname"))).alias("__name"),
    )


def local_id() -> pl.Expr:
    """The id a row has on its own (before linking across tables)."""
    return pl.coalesce("__code", "__tax", "__name")


def link_ids(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """Link table ``(__code, __tax, __name) → client_id`` from every client-bearing frame.

    ``frames`` are in priority order (the clients file first): the first pairing
    of a tax id or name with a code wins.
    """
    nonempty = [f.select(IDENTITY).unique() for f in frames if f.height]
    triples = pl.concat(nonempty, how="vertical") if nonempty else None
    if triples is None:
        return pl.DataFrame(
            schema={
                "__code": pl.String,
                "__tax": pl.String,
                "__name": pl.String,
                "client_id": pl.String,
            }
        )
    triples = triples.unique(maintain_order=True)
    if triples.get_column("__code").null_count() == 0:
        # Every row has a code (the usual export): the code is the id, nothing to link.
        return triples.with_columns(pl.col("__code").alias("client_id"))
    tax_code = triples.filter(
        pl.col("__code").is_not_null() & pl.col("__tax").is_not_null()
    ).unique("__tax", keep="first", maintain_order=True)
    name_code = triples.filter(
        pl.col("__code").is_not_null() & pl.col("__name").is_not_null()
    ).unique("__name", keep="first", maintain_order=True)
    name_tax = triples.filter(
        pl.col("__tax").is_not_null() & pl.col("__name").is_not_null()
    ).unique("__name", keep="first", maintain_order=True)
    linked = (
        triples.join(
            tax_code.select("__tax", pl.col("__code").alias("__tax_code")),
            on="__tax",
            how="left",
            nulls_equal=False,
        )
        .join(
            name_code.select("__name", pl.col("__code").alias("__name_code")),
            on="__name",
            how="left",
        )
        .join(
            name_tax.select("__name", pl.col("__tax").alias("__name_tax")), on="__name", how="left"
        )
    )
    # A tax id reached through a name may itself be paired with a code.
    linked = linked.join(
        tax_code.select(
            pl.col("__tax").alias("__name_tax"), pl.col("__code").alias("__name_tax_code")
        ),
        on="__name_tax",
        how="left",
    )
    client_id = pl.coalesce(
        "__code", "__tax_code", "__name_code", "__tax", "__name_tax_code", "__name_tax", "__name"
    )
    return linked.select(*IDENTITY, client_id.alias("client_id"))


def attach_ids(frame: pl.DataFrame, links: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with ``client_id`` from ``links`` (joined on the three identity columns)."""
    return frame.join(links, on=list(IDENTITY), how="left", nulls_equal=True)


def assign_keys(ids: pl.Series) -> pl.DataFrame:
    """Dense ``client_key`` 0..n-1 in sorted ``client_id`` order (stable across re-imports)."""
    unique = ids.drop_nulls().unique().sort()
    return pl.DataFrame(
        {
            "client_id": unique,
            "client_key": pl.int_range(0, unique.len(), eager=True).cast(pl.Int32),
        }
    )
