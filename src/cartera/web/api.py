"""The REST API under ``/api/v1`` (OpenAPI at ``/api/v1/openapi.json``).

The same library calls and the same membership checks as the pages; answers
are the documented JSON contracts (docs/json-contract.md, docs/scenarios.md).
Authenticate with ``Authorization: Bearer <token>`` (a user's API token,
acting with that user's role in each firm) or the browser session (then
state-changing calls need the CSRF header).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response, StreamingResponse
from sqlalchemy.orm import Session

from cartera.contract_stream import contract_parts
from cartera.errors import CarteraError
from cartera.store import people, runs
from cartera.web.analyses import FirmAnalysis
from cartera.web.api_followup import add_followup_routes, churn_levels
from cartera.web.api_study import study_routes
from cartera.web.deps import Auth, FirmContext, NotAuthenticated, current_user, db, require
from cartera.web.firmdata import ClientQuery, client_results, current_analysis, query_clients
from cartera.web.pages import imports as imp
from cartera.web.pages.whatif import WhatIfQuery
from cartera.web.routes.client_pages import client_query, whatif_query
from cartera.web.routes.imports import save_uploads
from cartera.web.state import AppState

__all__ = ["create_api"]

MAX_STRESS_SCENARIOS = 20_000


def create_api(state: AppState) -> FastAPI:
    """The API app; ``create_app`` mounts it at ``/api/v1``."""
    api = FastAPI(
        title="Cartera API",
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    api.state.cartera = state

    @api.exception_handler(NotAuthenticated)
    def not_authenticated(_request: Request, _exc: NotAuthenticated) -> Response:
        return JSONResponse({"detail": "Not authenticated"}, status_code=401,
                            headers={"www-authenticate": "Bearer"})  # fmt: skip

    @api.exception_handler(CarteraError)
    def cartera_error(_request: Request, exc: CarteraError) -> Response:
        return JSONResponse({"detail": exc.render()}, status_code=422)

    _routes(api, state)
    add_followup_routes(api, state)
    study_routes(api, state)
    return api


Db = Annotated[Session, Depends(db)]
Reader = Annotated[FirmContext, Depends(require("read"))]
Importer = Annotated[FirmContext, Depends(require("import"))]


def _analysis(state: AppState, session: Session, ctx: FirmContext) -> FirmAnalysis:
    fa = current_analysis(state, session, ctx)
    if fa is None:
        raise HTTPException(404, "The firm has no import yet")
    return fa


def _routes(api: FastAPI, state: AppState) -> None:
    @api.get("/firms", summary="The caller's firms and roles")
    def firms(session: Db, auth: Annotated[Auth, Depends(current_user)]) -> list[dict[str, str]]:
        return [
            {"slug": f.slug, "name": f.name, "role": r}
            for f, r in people.user_firms(session, auth.user.id)
        ]

    @api.get("/firms/{firm}/imports", summary="Import runs, newest first")
    def imports(session: Db, ctx: Importer) -> list[dict[str, Any]]:
        return [
            {"id": r.id, "created_at": r.created_at.isoformat(), "status": r.status,
             "files": r.files, "content_hash": r.content_hash, "manifest": r.manifest,
             "error": r.error}
            for r in runs.import_runs(session, ctx.firm.id)
        ]  # fmt: skip

    @api.post(
        "/firms/{firm}/imports", summary="Upload export files and import them", status_code=201
    )
    def upload(session: Db, ctx: Importer, files: list[UploadFile]) -> dict[str, Any]:
        token = save_uploads(state, ctx.firm.id, files)
        stage = imp.stage_dir(state.firm_dir(ctx.firm.id), token)
        assert stage is not None
        run_dir = state.firm_dir(ctx.firm.id) / "runs" / token
        try:
            run = imp.import_staged(session, stage, run_dir, state.settings.data_dir,
                                    firm_id=ctx.firm.id, user_id=ctx.user.id)  # fmt: skip
        except CarteraError:
            imp.discard(stage)  # the API keeps no staged files: the caller has them
            raise
        return {"id": run.id, "status": run.status, "files": run.files, "manifest": run.manifest}

    @api.get(
        "/firms/{firm}/analysis",
        summary="The analysis (JSON contract)",
        response_class=StreamingResponse,
        responses={200: {"content": {"application/json": {"schema": {"type": "object"}}}}},
    )
    def analysis(session: Db, ctx: Reader) -> StreamingResponse:
        # Streamed slice by slice (one slice of clients in memory), not one dict per client.
        parts = contract_parts(_analysis(state, session, ctx).analysis)
        return StreamingResponse(parts, media_type="application/json")

    @api.get("/firms/{firm}/clients", summary="Clients, filtered, sorted and paged")
    def clients(
        session: Db, ctx: Reader, query: Annotated[ClientQuery, Depends(client_query)]
    ) -> dict[str, Any]:
        fa = _analysis(state, session, ctx)
        frame, total = query_clients(fa, query)
        rows = [c.model_dump(mode="json") for c in client_results(fa, frame)]
        return {"total": total, "page": query.page, "per_page": query.per_page, "clients": rows}

    @api.get("/firms/{firm}/clients/{client_id}", summary="One client (JSON contract)")
    def client(session: Db, ctx: Reader, client_id: str) -> dict[str, Any]:
        fa = _analysis(state, session, ctx)
        frame, _n = query_clients(fa, ClientQuery(ids=(client_id,), per_page=10))
        if frame.height == 0:
            raise HTTPException(404, "Unknown client")
        return client_results(fa, frame)[0].model_dump(mode="json")

    @api.get("/firms/{firm}/whatif", summary="What if these clients leave")
    def whatif(
        session: Db, ctx: Reader, query: Annotated[WhatIfQuery, Depends(whatif_query)]
    ) -> dict[str, Any]:
        fa = _analysis(state, session, ctx)
        chosen = fa.settings.with_overrides(
            fixed_costs=query.fixed_costs, hourly_cost=query.hourly_cost
        )
        sim = fa.simulator
        before = fa.analysis.portfolio
        if chosen != fa.settings or query.price_cut:
            before = sim.portfolio(chosen, price_cut=query.price_cut)
        return sim.what_if(before, query.lose, chosen, price_cut=query.price_cut).to_contract()

    @api.get("/firms/{firm}/stress", summary="Crisis stress test (Monte Carlo)")
    def stress(
        session: Db,
        ctx: Reader,
        scenarios: Annotated[int, Query(ge=100, le=MAX_STRESS_SCENARIOS)] = 2000,
        seed: Annotated[int, Query(ge=0, le=2**32 - 1)] = 0,
    ) -> dict[str, Any]:
        from cartera.scenarios import stress_test

        fa = _analysis(state, session, ctx)
        churn = churn_levels(state, session, ctx) if fa.settings.stress.use_churn_risk else None
        with state.heavy:
            result = stress_test(fa.analysis, fa.settings, scenarios=scenarios, seed=seed,
                                 churn_risk=churn)  # fmt: skip
        return result.to_contract()
