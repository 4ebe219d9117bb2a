"""Prospect lists: read any CSV/XLSX export, recognise its columns, deduplicate.

Files are opened with the project's reader (:func:`cartera.io.source.open_source`:
encoding, separator, header row and sheet detected as for every other file) and
headers are matched to prospect roles by their normalised form
(:func:`cartera.io.aliases.normalise_header`), with the words of
:data:`PROSPECT_ALIASES`.

A prospect is a duplicate of a client or of an earlier prospect when its tax id
(upper case, no spaces, dots or dashes, no ``ES`` prefix) or its name (NFKC,
lower case, no accents or punctuation, legal suffixes such as S.L./S.A./Ltd
dropped) matches: the same normalisation as client identity at import
(:mod:`cartera.io.identity`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Final

import polars as pl

from cartera.errors import InputError, Problem
from cartera.i18n import N_
from cartera.io.aliases import FALSE_WORDS, TRUE_WORDS, normalise_header
from cartera.io.identity import norm_name, norm_tax, plain_text
from cartera.io.options import ReadOptions
from cartera.io.sniff import detect_delimiter, detect_encoding, detect_kind, read_head
from cartera.io.source import ROW, open_source

__all__ = [
    "PROSPECT_ALIASES",
    "PROSPECT_COLUMNS",
    "dedupe",
    "do_not_call_keys",
    "name_key",
    "on_do_not_call",
    "read_do_not_call",
    "read_prospects",
    "tax_key",
]

#: Header words of each prospect role (first listed wins when a file has two).
PROSPECT_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "name": ("Razón social", "Nombre", "Empresa", "Nombre fiscal", "Cliente", "Prospecto",
             "Company", "Company name", "Name", "Account", "Lead"),
    "tax_id": ("NIF", "CIF", "NIF/CIF", "DNI", "RUT", "RFC", "CUIT", "Tax id", "VAT number",
               "VAT", "Tax number"),
    "sector": ("Sector", "Actividad", "Actividad económica", "CNAE", "Industria", "Industry"),
    "region": ("Provincia", "Región", "Comunidad autónoma", "Ciudad", "Población", "Localidad",
               "Region", "Province", "State", "City", "Country", "País"),
    "size": ("Empleados", "Nº empleados", "Tamaño", "Tamaño empresa", "Plantilla", "Employees",
             "Size", "Company size", "Headcount"),
    "contact": ("Persona de contacto", "Contacto", "Interlocutor", "Contact", "Contact person"),
    "phone": ("Teléfono", "Tel.", "Móvil", "Teléfono móvil", "Phone", "Telephone", "Mobile"),
    "email": ("Email", "E-mail", "Correo", "Correo electrónico", "Mail"),
    "source": ("Origen", "Fuente", "Procedencia", "Canal", "Source", "Lead source", "Origin"),
    "consent": ("Consentimiento", "Acepta comunicaciones", "RGPD", "Consent", "Opt-in",
                "Opt in", "GDPR consent"),
}  # fmt: skip
#: Columns of a prospect frame, in order (``row``: the spreadsheet row; ``file``: its name).
PROSPECT_COLUMNS: Final = ("file", "row", *PROSPECT_ALIASES)
_TEXT_ROLES: Final = tuple(r for r in PROSPECT_ALIASES if r != "consent")


def _roles(headers: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    index = {
        normalise_header(a): (role, p) for role, al in aliases.items() for p, a in enumerate(al)
    }
    found = sorted(
        (index[n][1], i, index[n][0])
        for i, h in enumerate(headers)
        if (n := normalise_header(h)) in index
    )
    roles: dict[str, int] = {}
    for _p, i, role in found:
        if role not in roles and i not in roles.values():
            roles[role] = i
    return roles


def _read(path: Path, options: ReadOptions | None) -> tuple[list[str], pl.DataFrame]:
    with tempfile.TemporaryDirectory(prefix="cartera-prospects-") as work:
        raw = open_source(Path(path), options or ReadOptions(), Path(work))
        return raw.headers, raw.frame.collect()


def read_prospects(path: str | Path, options: ReadOptions | None = None) -> pl.DataFrame:
    """One prospect list as a frame of :data:`PROSPECT_COLUMNS`.

    Text roles are trimmed Strings (null when empty or absent); ``consent`` is
    Boolean (``Sí``/``No``…; null when the file has no such column or the cell
    is empty).

    Raises
    ------
    InputError
        When no column names the prospect (name or tax id), or a consent cell
        is not a yes/no word (each such cell is listed with its row).
    """
    path = Path(path)
    headers, frame = _read(path, options)
    roles = _roles(headers, PROSPECT_ALIASES)
    if "name" not in roles and "tax_id" not in roles:
        raise InputError(
            N_("{file}: no column names the prospect; expected a name (Razón social, Nombre, "
               "Empresa…) or a tax id (NIF, CIF…). Columns: {columns}."),
            file=path.name, columns=", ".join(headers[:20]),
        )  # fmt: skip
    text = {
        r: (
            pl.col(f"c{roles[r]}").str.strip_chars().replace("", None)
            if r in roles
            else pl.lit(None, pl.String)
        ).alias(r)
        for r in _TEXT_ROLES
    }
    out = frame.select(pl.lit(path.name).alias("file"), pl.col(ROW).alias("row"), *text.values())
    consent = pl.lit(None, pl.Boolean)
    if "consent" in roles:
        cell = pl.col(f"c{roles['consent']}").str.strip_chars().replace("", None)
        word = plain_text(cell)
        bad = frame.filter(cell.is_not_null() & ~word.is_in(list(TRUE_WORDS | FALSE_WORDS)))
        if bad.height:
            column = headers[roles["consent"]]
            raise InputError(
                N_("{file}: the consent column has values that are not yes or no."),
                [
                    Problem(
                        N_("expected Sí or No"),
                        file=path.name,
                        row=int(r),
                        column=column,
                        value=str(v),
                    )
                    for r, v in bad.select(ROW, f"c{roles['consent']}").head(50).iter_rows()
                ],
                total=bad.height,
                file=path.name,
            )
        consent = (
            pl.when(word.is_in(list(TRUE_WORDS))).then(True).when(word.is_not_null()).then(False)
        )
        out = out.with_columns(frame.select(consent.alias("consent")).to_series())
    else:
        out = out.with_columns(consent.alias("consent"))
    return out.filter(pl.any_horizontal(pl.col(_TEXT_ROLES).is_not_null())).select(PROSPECT_COLUMNS)


def tax_key(expr: pl.Expr) -> pl.Expr:
    """``es-b12.345.678`` → ``B12345678``; Chile's RUT ``12.345.678-5`` → ``123456785``."""
    return norm_tax(expr)


def name_key(expr: pl.Expr) -> pl.Expr:
    """NFKC, then :func:`cartera.io.identity.norm_name` (``GRUPO DOÑANA SA`` → ``grupo donana``)."""
    return norm_name(expr.str.normalize("NFKC"))


def _keys(frame: pl.DataFrame, name: str, tax: str) -> pl.DataFrame:
    return frame.with_columns(
        tax_key(pl.col(tax)).alias("_tax"), name_key(pl.col(name)).alias("_name")
    )


def dedupe(
    prospects: pl.DataFrame, clients: pl.DataFrame, earlier: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Mark each prospect ``new`` or a duplicate, and of what.

    Parameters
    ----------
    prospects
        :func:`read_prospects` rows (``name``, ``tax_id`` at least).
    clients
        The canonical clients table (``client_id, name, tax_id``).
    earlier
        Prospects already kept (``name``, ``tax_id``), or None.

    Returns
    -------
    pl.DataFrame
        ``prospects`` plus ``status`` (``new``, ``client``, ``earlier``,
        ``repeat`` — a row repeating an earlier row of the same list),
        ``match`` (the client id, the earlier prospect's name, or the first
        row's number) and ``match_by`` (``tax_id`` or ``name``). A tax id match
        wins over a name match; a client over an earlier prospect.
    """
    p = _keys(prospects.with_row_index("_i"), "name", "tax_id")
    c = _keys(clients.select("client_id", "name", "tax_id"), "name", "tax_id")
    matches: list[pl.DataFrame] = []
    for key, by in (("_tax", "tax_id"), ("_name", "name")):
        found = c.drop_nulls(key).unique(key, keep="first").select(key, match=pl.col("client_id"))
        matches.append(_match(p, found, key, "client", by))
    if earlier is not None and earlier.height:
        e = _keys(earlier.select("name", "tax_id"), "name", "tax_id")
        for key, by in (("_tax", "tax_id"), ("_name", "name")):
            found = e.drop_nulls(key).unique(key, keep="first").select(key, match=pl.col("name"))
            matches.append(_match(p, found, key, "earlier", by))
    for key, by in (("_tax", "tax_id"), ("_name", "name")):
        first = p.drop_nulls(key).group_by(key).agg(first=pl.col("_i").min())
        first = first.join(p.select("_i", first_row=pl.col("row")), left_on="first", right_on="_i")
        rep = p.join(first, on=key).filter(pl.col("_i") > pl.col("first"))
        rank = pl.lit(4 if by == "tax_id" else 5)
        match = pl.col("first_row").cast(pl.String)
        matches.append(
            rep.select("_i", status=pl.lit("repeat"), match=match, match_by=pl.lit(by), _rank=rank)
        )
    best = pl.concat(matches).sort("_rank").unique("_i", keep="first")
    return (
        p.join(best.drop("_rank"), on="_i", how="left")
        .with_columns(pl.col("status").fill_null("new"))
        .sort("_i")
        .drop("_i", "_tax", "_name")
    )


_RANK: Final = {("client", "tax_id"): 0, ("client", "name"): 1, ("earlier", "tax_id"): 2,
                ("earlier", "name"): 3}  # fmt: skip


def _match(p: pl.DataFrame, found: pl.DataFrame, key: str, status: str, by: str) -> pl.DataFrame:
    return p.join(found, on=key).select(
        "_i",
        status=pl.lit(status),
        match=pl.col("match").cast(pl.String),
        match_by=pl.lit(by),
        _rank=pl.lit(_RANK[(status, by)]),
    )


def _phone_key(expr: pl.Expr) -> pl.Expr:
    """Digits only, without Spain's ``34``/``0034`` prefix on 11-digit numbers."""
    digits = expr.str.replace_all(r"\D", "").str.replace(r"^00", "")
    digits = (
        pl.when(digits.str.len_chars() == 11).then(digits.str.replace(r"^34", "")).otherwise(digits)
    )
    return pl.when(digits == "").then(None).otherwise(digits)


def do_not_call_keys(frame: pl.DataFrame) -> pl.DataFrame:
    """``phone`` and ``email`` keys of a do-not-call list or of prospects (null when absent)."""
    return frame.select(
        (_phone_key(pl.col("phone")) if "phone" in frame.columns else pl.lit(None, pl.String))
        .alias("phone"),
        (pl.col("email").str.strip_chars().str.to_lowercase() if "email" in frame.columns
         else pl.lit(None, pl.String)).alias("email"),
    )  # fmt: skip


def _single_column(path: Path) -> tuple[list[str], pl.DataFrame] | None:
    """A one-column CSV (a plain list of phones), which the table reader refuses, as one."""
    if detect_kind(path) != "csv":
        return None
    encoding = detect_encoding(path)
    if detect_delimiter(read_head(path, encoding)) is not None:
        return None
    codec = "utf-8-sig" if encoding.startswith("utf-8") else encoding
    lines = [ln.strip() for ln in path.read_text(encoding=codec).splitlines()]
    if not lines:
        return None
    values = [ln for ln in lines[1:] if ln]
    return [lines[0]], pl.DataFrame({"c0": values}, schema={"c0": pl.String})


def read_do_not_call(path: str | Path, options: ReadOptions | None = None) -> pl.DataFrame:
    """A do-not-call list (e.g. a Robinson-list export): ``phone, email`` keys.

    A plain list of phones or e-mails under one header (``Teléfono``) is read
    too, though the table reader refuses one-column files.

    Raises
    ------
    InputError
        When the file has neither a phone nor an e-mail column.
    """
    path = Path(path)
    headers, frame = _single_column(path) or _read(path, options)
    roles = _roles(headers, {r: PROSPECT_ALIASES[r] for r in ("phone", "email")})
    if not roles:
        raise InputError(
            N_("{file}: a do-not-call list needs a phone or e-mail column. Columns: {columns}."),
            file=path.name, columns=", ".join(headers[:20]),
        )  # fmt: skip
    rows = frame.select(*(pl.col(f"c{i}").alias(r) for r, i in roles.items()))
    return do_not_call_keys(rows).filter(pl.any_horizontal(pl.all().is_not_null())).unique()


def on_do_not_call(prospects: pl.DataFrame, dnc: pl.DataFrame) -> pl.Series:
    """Boolean per prospect: its phone or e-mail is on the do-not-call list ``dnc``."""
    keys = do_not_call_keys(prospects)
    phones = dnc["phone"].drop_nulls().unique()
    emails = dnc["email"].drop_nulls().unique()
    hit = keys["phone"].is_in(phones.implode()) | keys["email"].is_in(emails.implode())
    return hit.fill_null(False).alias("do_not_call")
