"""How one file is recognised and turned into its table's part (shared by import and
``inspect``): content sample, table and roles, the mapping's row filter, the part's
builder with the currency written in the file."""

from __future__ import annotations

from dataclasses import replace
from typing import Final

import polars as pl

from cartera.errors import InputError
from cartera.i18n import N_
from cartera.io import tables
from cartera.io.aliases import ALIASES, normalise_header
from cartera.io.country import currency_of, dollar_of, file_country
from cartera.io.currency import code_of, symbol_in
from cartera.io.hints import missing_problem
from cartera.io.mapping import CurrencyMapping, Mapping, TableMapping
from cartera.io.parse import Note
from cartera.io.recognise import Recognition, guess_table, missing_roles, recognise
from cartera.io.score import (
    SAMPLE_ROWS,
    Profile,
    header_currency,
    looks_like_payments,
    profile_columns,
)
from cartera.io.source import RawTable

__all__ = ["BUILDERS", "apply_filter", "build_part", "recognise_file", "sample_profiles"]

BUILDERS: Final = {
    "documents": tables.documents_part,
    "payments": tables.payments_part,
    "clients": tables.clients_part,
    "activities": tables.activities_part,
}


def _documents_lacking_a_role(chosen: Recognition, docs: Recognition) -> bool:
    """Whether a file taken for clients or activities is rather a documents file missing one
    role: it has document numbers and amounts."""
    money = {"net", "amount", "total"} & set(docs.roles)
    return (
        chosen.table in ("clients", "activities")
        and "doc_number" in docs.roles
        and bool(money)
        and len(missing_roles(docs)) == 1
    )


def sample_profiles(raw: RawTable) -> list[Profile]:
    """Content evidence of every column from the first rows (:data:`SAMPLE_ROWS`)."""
    columns = [raw.col(i) for i in range(len(raw.headers))]
    if raw.text_paths and raw.delimiter and raw.kind == "csv" and raw.group_column is None:
        # Reading the first rows straight is several times cheaper than a head of the scan.
        sample = pl.read_csv(
            raw.text_paths[0],
            separator=raw.delimiter,
            has_header=False,
            skip_rows=raw.header_row,
            n_rows=SAMPLE_ROWS,
            infer_schema=False,
            quote_char='"',
            encoding="utf8",
            raise_if_empty=False,
            schema=dict.fromkeys(columns, pl.String),
            missing_columns="insert",
            null_values="",
        )
    else:
        sample = raw.frame.select(columns).head(SAMPLE_ROWS).collect()
    profiles = profile_columns(sample, columns)
    if raw.group_column is not None:
        profiles[raw.group_column] = replace(profiles[raw.group_column], group_labels=True)
    return profiles


def recognise_file(
    raw: RawTable, table: str | None, mapping: Mapping, profiles: list[Profile] | None = None
) -> Recognition:
    mappings = {t: mapping.table(t) for t in ALIASES}
    table = table or mapping.table_for(raw.path)
    profiles = profiles if profiles is not None else sample_profiles(raw)
    if table is None and looks_like_payments(raw.headers):
        rec = recognise(raw.headers, "payments", mappings["payments"], profiles)
        if "date" in rec.roles:
            return rec
    if table is None:
        try:
            rec, _scores = guess_table(raw.headers, mappings, raw.name, profiles)
            if rec.table not in ("clients", "activities"):
                return rec
            docs = recognise(raw.headers, "documents", mappings["documents"], profiles)
            if not _documents_lacking_a_role(rec, docs):
                return rec
            rec, table = docs, "documents"
        except InputError:
            # A file that has most of a documents file is a documents file lacking a role.
            rec = recognise(raw.headers, "documents", mappings["documents"], profiles)
            if len(missing_roles(rec)) > 1:
                raise
            table = "documents"
    else:
        rec = recognise(raw.headers, table, mappings[table], profiles)
    missing = missing_roles(rec)
    if missing == [("doc_number",)] and table == "payments" and "date" in rec.roles:
        return rec  # read, counted and noted as not matched (see _unmatched_payments)
    if missing:
        problems = [missing_problem(raw, rec, group) for group in missing]
        raise InputError(
            N_(
                "{file}: required columns of the {table} table are missing (the file has: "
                "{columns})."
            ),
            problems,
            file=raw.name,
            table=table,
            columns=", ".join(raw.headers),
        )
    return rec


def build_part(
    frame: pl.DataFrame,
    rec: Recognition,
    headers: list[str],
    tmap: TableMapping,
    profiles: list[Profile] | None = None,
    keep_currency: str | None = None,
    file: str = "",
    rates: CurrencyMapping | None = None,
    fixed: tables.FileDecisions | None = None,
) -> tables.Part:
    """The table's part of one typed file (documents get the mapping's excluded statuses and
    the currency written in their amounts or headers, and the mapping's exchange rates;
    ``fixed``, the file's decisions when ``frame`` is one segment of it)."""
    named = {role: headers[i] for role, i in rec.roles.items()}
    if rec.table != "documents":
        return BUILDERS[rec.table](frame, named)
    country = file_country(headers, _tax_ids(rec, profiles))
    dollar = dollar_of(country)
    return tables.documents_part(
        frame,
        named,
        tmap.excluded_status(),
        file=file,
        keep_currency=keep_currency,
        written_currency=_written_currency(rec, headers, profiles, dollar),
        rates=rates,
        fixed=fixed,
        dollar=dollar,
        country_currency=currency_of(country),
    )


def _tax_ids(rec: Recognition, profiles: list[Profile] | None) -> tuple[str, ...]:
    """The distinct tax ids of the file's sample, which say what country it is from
    (:mod:`cartera.io.country`)."""
    i = rec.roles.get("tax_id")
    return profiles[i].values if profiles is not None and i is not None else ()


def _written_currency(
    rec: Recognition, headers: list[str], profiles: list[Profile] | None, dollar: str = "USD"
) -> str | None:
    """A currency symbol or code in the amounts (``$13.50``), else in a money header
    (``Base Imponible (€)``); ``$`` is ``dollar``."""
    money = [rec.roles[r] for r in ("net", "amount", "total", "unit_price") if r in rec.roles]
    for i in money:
        if profiles:
            found = symbol_in(list(profiles[i].examples), dollar)
            if found:
                return found
    for i in money:
        found = header_currency(headers[i], dollar)
        if found:
            return code_of(found, dollar) or found
    return None


def apply_filter(raw: RawTable, tmap: TableMapping) -> list[Note]:
    """Keep only the rows the mapping's ``filter`` allows (column → accepted values, compared
    trimmed and case-insensitively); a note counts the rows left out."""
    if not tmap.filter:
        return []
    keep = pl.lit(True)
    for written, values in tmap.filter.items():
        idx = next(
            (
                i
                for i, h in enumerate(raw.headers)
                if normalise_header(h) == normalise_header(written)
            ),
            None,
        )
        if idx is None:
            raise InputError(
                N_(
                    "The mapping filters on the column «{column}», but the file has no such column."
                ),
                column=written,
            )
        wanted = [v.strip().casefold() for v in values]
        keep = keep & pl.col(raw.col(idx)).str.strip_chars().str.to_lowercase().is_in(wanted)
    before = raw.frame.select(pl.len()).collect().item()
    raw.frame = raw.frame.filter(keep.fill_null(False))
    after = raw.frame.select(pl.len()).collect().item()
    return [
        Note(
            N_("the mapping's filter kept {kept} of {rows} rows"),
            {"kept": after, "rows": before},
        )
    ]
