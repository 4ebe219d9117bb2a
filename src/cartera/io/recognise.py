"""Recognise which table a file is and which role each column plays.

Roles come from the mapping file first, then from the alias table
(:mod:`cartera.io.aliases`). A file's table is the one whose required roles
are all present and which recognises most of its columns; a mapping's
``files`` list or an explicit ``--documents``/``--payments``... wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from cartera.errors import InputError, Problem
from cartera.i18n import N_
from cartera.io.aliases import CLIENT_ROLES, EXTRA_ROLES, REQUIRED, normalise_header
from cartera.io.mapping import TableMapping
from cartera.io.score import ROLE_PRIORITY, Candidate, Profile, rank_roles
from cartera.io.words import names_a_tax

__all__ = ["TABLE_ORDER", "Choice", "Recognition", "guess_table", "missing_roles", "recognise"]

#: Preference on a tie of recognised columns.
TABLE_ORDER: Final = ("documents", "payments", "activities", "clients")
_ORDER: Final = {role: i for i, role in enumerate(ROLE_PRIORITY)}


@dataclass(frozen=True)
class Choice:
    """How one role was decided: the chosen column, the runner-up, and why (message ids)."""

    column: int
    reason: str
    params: dict[str, object]
    runner_up: int | None = None
    runner_reason: str | None = None
    runner_params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Recognition:
    """Roles of one file's columns for one table: ``roles`` maps role → column index."""

    table: str
    roles: dict[str, int]
    duplicates: dict[int, str] = field(default_factory=dict)
    ignored: tuple[int, ...] = ()
    how: str = "headers"
    choices: dict[str, Choice] = field(default_factory=dict)
    candidates: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def header(self, headers: list[str], role: str) -> str:
        return headers[self.roles[role]]


def recognise(
    headers: list[str],
    table: str,
    mapping: TableMapping | None = None,
    profiles: list[Profile] | None = None,
) -> Recognition:
    """Assign roles of ``table`` to ``headers``: the mapping first, then the best scored
    column per role (:func:`cartera.io.score.rank_roles`; ``profiles`` add content evidence)."""
    mapping = mapping or TableMapping()
    norm = [normalise_header(h) for h in headers]
    ignored = {i for i, n in enumerate(norm) if n in {normalise_header(x) for x in mapping.ignore}}
    roles: dict[str, int] = {}
    choices: dict[str, Choice] = {}
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
        choices[role] = Choice(idx, N_("named in the mapping"), {})
    ranked = rank_roles(table, headers, profiles, ignored)
    pool = sorted(
        (c for cands in ranked.values() for c in cands if c.veto is None),
        key=lambda c: (-c.score, _ORDER.get(c.role, 99), c.column),
    )
    taken = set(roles.values())
    for cand in pool:
        if cand.role in roles or cand.column in taken:
            continue
        roles[cand.role] = cand.column
        taken.add(cand.column)
    # A grouped report's labels before the fallback: a column ruled out as the client by its
    # content («Account» holding ledger accounts) must not win over them.
    grouped = _group_client(table, profiles, roles, taken)
    if grouped is not None:
        roles["client_name"] = grouped
        taken.add(grouped)
        choices["client_name"] = Choice(
            grouped, N_("the labels of a report grouped by client, above their lines"), {}
        )
    _fallback(table, ranked, roles, taken)
    _named_taxes_from_rate(ranked, roles, taken, headers, choices)
    choices.update(_extras(ranked, roles, taken, headers))
    duplicates: dict[int, str] = {}
    for role, cands in ranked.items():
        if role not in roles:
            continue
        if role not in choices:
            chosen = next(c for c in cands if c.column == roles[role])
            choices[role] = _choice(chosen, cands, roles)
        for c in cands:
            if c.veto is None and c.column not in taken and c.score >= 90:
                duplicates.setdefault(c.column, role)
    candidates = {
        role: tuple(c.column for c in cands if c.column not in taken)
        for role, cands in ranked.items()
    }
    how = "mapping" if mapping.columns else "headers"
    return Recognition(table, roles, duplicates, tuple(sorted(ignored)), how, choices, candidates)


#: The least header score a column ruled out by its content needs to be taken for a missing
#: required role (below it, the role is reported missing).
FALLBACK_MIN: Final = 25


def _fallback(
    table: str, ranked: dict[str, list[Candidate]], roles: dict[str, int], taken: set[int]
) -> None:
    """A required role whose only columns were ruled out by their content takes the best of
    them: its bad cells are then reported row by row instead of a missing column. A weak
    fit (a month column's 20, decision 0953) whose content says otherwise is no column."""
    for group in REQUIRED[table]:
        if any(r in roles for r in group):
            continue
        for role in group:
            # An empty column is no column: it would only turn into a bad cell per row.
            spare = [
                c
                for c in ranked.get(role, [])
                if c.column not in taken
                and c.veto != N_("the column is empty")
                and (c.veto is None or c.score >= FALLBACK_MIN)
            ]
            if spare:
                roles[role] = spare[0].column
                taken.add(spare[0].column)
                break


#: The least score of a further tax or withholding column (a plain «IVA», «PST», «ReteICA»):
#: a summed tax («Total IVA», 60) is none.
EXTRA_MIN: Final = 70


def _extras(
    ranked: dict[str, list[Candidate]], roles: dict[str, int], taken: set[int], headers: list[str]
) -> dict[str, Choice]:
    """Further tax and withholding columns (:data:`cartera.io.aliases.EXTRA_ROLES`), in the
    file's order, beside the one chosen for the role; :func:`cartera.io.taxes.extras_decided`
    decides from the figures whether they are added to it (decision 0954)."""
    out: dict[str, Choice] = {}
    for role, names in EXTRA_ROLES.items():
        if role not in roles:
            continue
        spare = sorted(
            c.column
            for c in ranked.get(role, [])
            if c.veto is None and c.column not in taken and c.score >= EXTRA_MIN
        )
        for name, column in zip(names, spare, strict=False):
            roles[name] = column
            taken.add(column)
            out[name] = Choice(
                column,
                N_("another «{role}» column beside «{column}»"),
                {"role": role, "column": headers[roles[role]]},
            )
    return out


def _named_taxes_from_rate(
    ranked: dict[str, list[Candidate]],
    roles: dict[str, int],
    taken: set[int],
    headers: list[str],
    named: dict[str, Choice],
) -> None:
    """A column that names a tax of its own («SGST», «PST», «IEPS», «Recargo equivalencia»),
    taken as the rate by a bare tax word's weak score (35) because another tax column was
    the amount, is another tax amount: it is freed for :func:`_extras`. A rate the mapping
    names stays."""
    column = roles.get("vat_pct")
    if "vat_pct" in named:
        return
    amount = next(
        (c for c in ranked.get("vat_amount", []) if c.column == column and c.veto is None), None
    )
    if amount is not None and amount.score >= EXTRA_MIN and names_a_tax(headers[amount.column]):
        del roles["vat_pct"]
        taken.discard(amount.column)


def _group_client(
    table: str, profiles: list[Profile] | None, roles: dict[str, int], taken: set[int]
) -> int | None:
    """A grouped report's label column (:mod:`cartera.io.groups`) when ``table`` needs a
    client and no column names one."""
    if not profiles or CLIENT_ROLES not in REQUIRED[table]:
        return None
    if any(r in roles for r in CLIENT_ROLES):
        return None
    return next((i for i, p in enumerate(profiles) if p.group_labels and i not in taken), None)


def _choice(chosen: Candidate, cands: list[Candidate], roles: dict[str, int]) -> Choice:
    """The chosen candidate and the best other one, with the reason it lost."""
    others = [c for c in cands if c.column != chosen.column]
    if not others:
        return Choice(chosen.column, chosen.reason, chosen.params)
    other = others[0]
    used_by = next((r for r, i in roles.items() if i == other.column), None)
    reason: str
    params: dict[str, object]
    if other.veto is not None:
        reason, params = other.veto, {}
    elif used_by is not None:
        reason, params = N_("used for «{role}»"), {"role": used_by}
    elif other.score < chosen.score:
        reason, params = N_("a weaker match"), {}
    else:
        reason, params = N_("an equal match further right; the first column wins"), {}
    return Choice(chosen.column, chosen.reason, chosen.params, other.column, reason, params)


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
    headers: list[str],
    mappings: dict[str, TableMapping],
    file: str,
    profiles: list[Profile] | None = None,
) -> tuple[Recognition, dict[str, int]]:
    """The best table for ``headers`` and every table's count of recognised columns."""
    recs = {t: recognise(headers, t, mappings.get(t), profiles) for t in TABLE_ORDER}
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
