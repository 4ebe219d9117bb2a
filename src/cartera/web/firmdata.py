"""The data every firm page starts from: the firm's current analysis and client queries.

Thin glue between the store (which import run is current, which settings
the firm saved) and the analysis cache; and the clients list as one DuckDB
query (filter, accent-insensitive search, sort, page) over the cached frame.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from cartera.result import ClientResult
from cartera.store import runs
from cartera.web.analyses import FirmAnalysis
from cartera.web.deps import FirmContext
from cartera.web.state import AppState

__all__ = [
    "SORTABLE",
    "ClientQuery",
    "client_results",
    "current_analysis",
    "fold",
    "query_clients",
]

#: Columns the clients list can be sorted by.
SORTABLE = (
    "rank", "id", "name", "segment", "action", "revenue", "gross_margin", "margin_pct",
    "net_contribution", "cost_to_serve", "days_to_pay", "overdue", "return_rate",
    "service_hours",
)  # fmt: skip


def current_analysis(state: AppState, session: Session, ctx: FirmContext) -> FirmAnalysis | None:
    """The analysis of the firm's latest successful import under its settings (None: no import)."""
    run = runs.latest_run(session, ctx.firm.id)
    if run is None:
        return None
    settings = runs.firm_settings(session, ctx.firm.id)
    workspace = state.settings.data_dir / run.workspace
    # The computation below can take seconds: give the database connection back first
    # (the loaded rows stay usable; the session reconnects if asked again).
    session.close()
    return state.cache.get(run.id, settings, Path(workspace))


def fold(text: str) -> str:
    """Lower case without accents: ``Clínica`` → ``clinica`` (DuckDB's ``strip_accents`` twin)."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


@dataclass(frozen=True)
class ClientQuery:
    """What the clients list asks for; every field is validated by the route."""

    q: str = ""
    segment: str = ""
    action: str = ""
    ids: tuple[str, ...] = ()
    sort: str = "rank"
    desc: bool = False
    page: int = 1
    per_page: int = 50


def _where(query: ClientQuery) -> tuple[str, list[Any]]:
    clauses: list[str] = ["TRUE"]
    params: list[Any] = []
    if query.q:
        clauses.append("search LIKE ?")
        params.append("%" + fold(query.q).replace("%", "").replace("_", "") + "%")
    if query.segment:
        clauses.append("segment = ?")
        params.append(query.segment)
    if query.action:
        clauses.append("action = ?")
        params.append(query.action)
    if query.ids:
        clauses.append("list_contains(?, id)")
        params.append(list(query.ids))
    return " AND ".join(clauses), params


def query_clients(
    fa: FirmAnalysis, query: ClientQuery, *, paged: bool = True
) -> tuple[pl.DataFrame, int]:
    """(the page of clients as a frame, the number of matching clients).

    The frame has the analysis frame's columns; ``sort`` must be one of
    :data:`SORTABLE` (the route refuses others), ties broken by rank.
    """
    assert query.sort in SORTABLE
    where, params = _where(query)
    cur = fa.cursor()
    total = cur.sql(f"SELECT count(*) FROM clients WHERE {where}", params=params).fetchall()[0]
    order = f"{query.sort} {'DESC' if query.desc else 'ASC'} NULLS LAST, rank"
    sql = f"SELECT * EXCLUDE (search) FROM clients WHERE {where} ORDER BY {order}"
    if paged:
        sql += f" LIMIT {int(query.per_page)} OFFSET {int((query.page - 1) * query.per_page)}"
    frame = pl.from_arrow(cur.sql(sql, params=params).to_arrow_table())
    assert isinstance(frame, pl.DataFrame)
    return frame, int(total[0] if total else 0)


def client_results(fa: FirmAnalysis, frame: pl.DataFrame) -> list[ClientResult]:
    """The :class:`ClientResult` of each row of ``frame`` (a slice of the analysis frame)."""
    from cartera.analysis import client_results as results

    return results(frame, fa.settings)
