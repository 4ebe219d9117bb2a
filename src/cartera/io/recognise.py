"""Recognise which table a file is and which role each column plays.

Roles come from the mapping file first, then from the alias table
(:mod:`cartera.io.aliases`). A file's table is the one whose required roles
are all present and which recognises most of its columns; a mapping's
``files`` list or an explicit ``--documents``/``--payments``... wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Final

from cartera.errors import InputError, Problem
from cartera.i18n import N_
from cartera.io.aliases import ALIASES, REQUIRED, normalise_header
from cartera.io.mapping import TableMapping

__all__ = ["TABLE_ORDER", "Recognition", "guess_table", "missing_roles", "recognise"]

#: Preference on a tie of recognised columns.
TABLE_ORDER: Final = ("documents", "payments", "activities", "clients")


@dataclass(frozen=True)
class Recognition:
    """Roles of one file's columns for one table: ``roles`` maps role → column index."""

    table: str
    roles: dict[str, int]
    duplicates: dict[int, str] = field(default_factory=dict)
    ignored: tuple[int, ...] = ()
    how: str = "headers"

    def header(self, headers: list[str], role: str) -> str:
        return headers[self.roles[role]]


@cache
def _alias_index(table: str) -> dict[str, tuple[str, int]]:
    """normalised alias → (role, priority) for one table (first alias listed wins)."""
    index: dict[str, tuple[str, int]] = {}
    for role, aliases in ALIASES[table].items():
        for priority, alias in enumerate(aliases):
            index.setdefault(normalise_header(alias), (role, priority))
    return index


def recognise(headers: list[str], table: str, mapping: TableMapping | None = None) -> Recognition:
    """Assign roles of ``table`` to ``headers`` (mapping first, then aliases)."""
    mapping = mapping or TableMapping()
    norm = [normalise_header(h) for h in headers]
    ignored = {i for i, n in enumerate(norm) if n in {normalise_header(x) for x in mapping.ignore}}
    roles: dict[str, int] = {}
    for role, written in mapping.columns.items():
        idx = _find_header(headers, norm, written)
        if idx is None:
            raise InputError(
                N_(
                    "The mapping names the column «{column}» for «{role}», but the file has no "
                    "such column."
                ),
                [
                    Problem(
                        N_("columns in the file: {columns}"), params={"columns": ", ".join(headers)}
                    )
                ],
                column=written,
                role=role,
            )
        roles[role] = idx
    index = _alias_index(table)
    candidates = sorted(
        (index[n][1], i, index[n][0]) for i, n in enumerate(norm) if n in index and i not in ignored
    )
    duplicates: dict[int, str] = {}
    taken = set(roles.values())
    for _priority, i, role in candidates:
        if i in taken:
            continue
        if role in roles:
            duplicates[i] = role
            continue
        roles[role] = i
        taken.add(i)
    how = "mapping" if mapping.columns else "headers"
    return Recognition(table, roles, duplicates, tuple(sorted(ignored)), how)


def _find_header(headers: list[str], norm: list[str], written: str) -> int | None:
    if written in headers:
        return headers.index(written)
    target = normalise_header(written)
    return norm.index(target) if target in norm else None


def missing_roles(recognition: Recognition) -> list[tuple[str, ...]]:
    """Groups of required roles of which no column was found."""
    return [
        group
        for group in REQUIRED[recognition.table]
        if not any(r in recognition.roles for r in group)
    ]


def _eligible(rec: Recognition, documents_roles: dict[str, int]) -> bool:
    if missing_roles(rec):
        return False
    if rec.table == "clients":
        # A file with dates is a list of events, not a list of clients.
        return "date" not in documents_roles
    if rec.table == "activities":
        return not {"net", "amount", "total"} & set(documents_roles)
    return True


def guess_table(
    headers: list[str], mappings: dict[str, TableMapping], file: str
) -> tuple[Recognition, dict[str, int]]:
    """The best table for ``headers`` and every table's count of recognised columns."""
    recs = {t: recognise(headers, t, mappings.get(t)) for t in TABLE_ORDER}
    scores = {t: len(r.roles) for t, r in recs.items()}
    eligible = [t for t in TABLE_ORDER if _eligible(recs[t], recs["documents"].roles)]
    if not eligible:
        raise InputError(
            N_(
                "{file}: cartera cannot tell which table this file is from its columns "
                "({columns}). "
                "Name it with --documents, --payments, --clients or --activities, or write a "
                "mapping file."
            ),
            file=file,
            columns=", ".join(headers[:20]),
        )
    best = max(eligible, key=lambda t: (scores[t], -TABLE_ORDER.index(t)))
    return recs[best], scores
