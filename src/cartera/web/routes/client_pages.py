"""The clients list (with export), one client's page and the what-if simulator.

Their computations run through :func:`cartera.web.offload.offload` (a few at a
time, off the shared worker pool) so that they never hold up a cached dashboard.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from cartera.result import ACTIONS, SEGMENTS
from cartera.web.analyses import FirmAnalysis
from cartera.web.deps import FirmContext, app_state, db, require
from cartera.web.firmdata import SORTABLE, ClientQuery, current_analysis
from cartera.web.followup import assessments
from cartera.web.offload import offload
from cartera.web.pages.client import client_data
from cartera.web.pages.clients import clients_data, export_clients
from cartera.web.pages.followup import client_followup
from cartera.web.pages.whatif import WhatIfQuery, whatif_data
from cartera.web.render import respond
from cartera.web.routes.followup import firm_plan_or_404
from cartera.web.state import AppState

__all__ = ["client_query", "router"]

router = APIRouter()
State = Annotated[AppState, Depends(app_state)]
Db = Annotated[Session, Depends(db)]
Reader = Annotated[FirmContext, Depends(require("read"))]


def analysis_or_404(state: AppState, session: Session, ctx: FirmContext) -> FirmAnalysis:
    fa = current_analysis(state, session, ctx)
    if fa is None:
        raise HTTPException(404, "No import yet")
    return fa


def client_query(
    q: Annotated[str, Query(max_length=200)] = "",
    segment: Annotated[Literal["", *SEGMENTS], Query()] = "",  # type: ignore[valid-type]
    action: Annotated[Literal["", *ACTIONS], Query()] = "",  # type: ignore[valid-type]
    rec: Annotated[str, Query(max_length=60)] = "",
    sort: Annotated[Literal[*SORTABLE], Query()] = "rank",  # type: ignore[valid-type]
    desc: bool = False,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=10, le=500)] = 50,
) -> ClientQuery:
    """The list's query parameters, validated (unknown sort or segment → 422)."""
    return ClientQuery(q, segment, action, (rec,) if rec else (), sort, desc, page, per_page)


Clients = Annotated[ClientQuery, Depends(client_query)]


def _with_recommendation(fa: FirmAnalysis, query: ClientQuery) -> ClientQuery:
    """``rec=<code>`` means the clients of that recommendation."""
    if not query.ids:
        return query
    code = query.ids[0]
    found = [r for r in fa.analysis.recommendations if r.code == code]
    if not found:
        raise HTTPException(404, "Unknown recommendation")
    ids = tuple(found[0].clients) or ("\x00",)  # no clients: match none
    return ClientQuery(**{**query.__dict__, "ids": ids})


@router.get("/f/{firm}/clients")
async def clients(
    request: Request, state: State, session: Db, ctx: Reader, query: Clients
) -> Response:
    def work() -> Response:
        fa = analysis_or_404(state, session, ctx)
        data = clients_data(fa, _with_recommendation(fa, query))
        data["rec"] = query.ids[0] if query.ids else ""
        return respond(request, state, "clients.html", data, ctx=ctx,
                       fragment="_clients_table.html")  # fmt: skip

    return await offload(request, work)


@router.get("/f/{firm}/clients/export")
async def export(
    request: Request,
    state: State,
    session: Db,
    ctx: Reader,
    query: Clients,
    format: Literal["csv", "xlsx"] = "csv",
) -> Response:
    def work() -> bytes:
        fa = analysis_or_404(state, session, ctx)
        return export_clients(fa, _with_recommendation(fa, query), format)

    body = await offload(request, work)
    media = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[format]
    name = f"{ctx.firm.slug}-clients.{format}"
    return Response(body, media_type=media,
                    headers={"content-disposition": f'attachment; filename="{name}"'})  # fmt: skip


@router.get("/f/{firm}/clients/{client_id}")
async def client(
    request: Request, state: State, session: Db, ctx: Reader, client_id: str
) -> Response:
    def work() -> Response:
        fa = analysis_or_404(state, session, ctx)
        data = client_data(fa, client_id)
        if data is None:
            raise HTTPException(404, "Unknown client")
        fp = firm_plan_or_404(state, session, ctx)
        with state.heavy:  # health moves with each logged answer and with the settings
            assessed = fa.latest(("assessed", str(ctx.firm.id)), fp.version,
                                 lambda: assessments(fp))  # fmt: skip
        data["follow_up"] = client_followup(session, ctx, fp, client_id, assessed)
        data["today"] = dt.date.today().isoformat()
        return respond(request, state, "client.html", data, ctx=ctx)

    return await offload(request, work)


def whatif_query(
    lose: Annotated[list[str], Query(max_length=1000)] = [],  # noqa: B006
    fixed_costs: Annotated[float | None, Query(ge=0, le=1e12)] = None,
    hourly_cost: Annotated[float | None, Query(ge=0, le=1e6)] = None,
    price_cut: Annotated[float, Query(ge=0, le=0.9)] = 0.0,
    q: Annotated[str, Query(max_length=200)] = "",
) -> WhatIfQuery:
    return WhatIfQuery(tuple(dict.fromkeys(lose)), fixed_costs, hourly_cost, price_cut, q)


@router.get("/f/{firm}/whatif")
async def whatif(
    request: Request,
    state: State,
    session: Db,
    ctx: Reader,
    query: Annotated[WhatIfQuery, Depends(whatif_query)],
) -> Response:
    def work() -> Response:
        fa = analysis_or_404(state, session, ctx)
        data = whatif_data(fa, query)
        # HTMX picks the parts it swaps (hx-select) from the whole page.
        return respond(request, state, "whatif.html", data, ctx=ctx)

    return await offload(request, work)
