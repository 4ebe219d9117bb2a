"""The imports pages: history, upload, preview and role correction, import, run detail."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from cartera.errors import CarteraError
from cartera.i18n import _, fmt_date
from cartera.store import runs
from cartera.store.models import ImportRun
from cartera.web.deps import FirmContext, app_state, db, require
from cartera.web.pages import imports as imp
from cartera.web.render import page, respond
from cartera.web.state import AppState

__all__ = ["router", "save_uploads"]

router = APIRouter()
State = Annotated[AppState, Depends(app_state)]
Db = Annotated[Session, Depends(db)]
Importer = Annotated[FirmContext, Depends(require("import"))]


def _run_row(run: ImportRun) -> dict[str, object]:
    return {
        "id": run.id,
        "when": fmt_date(run.created_at.date()) + run.created_at.strftime(" %H:%M UTC"),
        "status": run.status,
        "files": [f["name"] for f in run.files],
        "rows": {t: v.get("rows_written") for t, v in run.manifest.get("tables", {}).items()},
        "error": run.error,
    }


@router.get("/f/{firm}/imports")
def history(request: Request, state: State, session: Db, ctx: Importer) -> Response:
    data = {"runs": [_run_row(r) for r in runs.import_runs(session, ctx.firm.id)]}
    return respond(request, state, "imports.html", data, ctx=ctx)


def save_uploads(state: AppState, firm_id: int, files: list[UploadFile]) -> str:
    """Copy the uploads into a new staging folder; return its token."""
    limit = state.settings.max_upload_mb * 1024 * 1024
    token = imp.staging_token()
    folder = state.firm_dir(firm_id) / "staging" / token / "files"
    folder.mkdir(parents=True)
    total = 0
    for upload in files:
        target = folder / imp.safe_name(upload.filename or "file")
        with target.open("wb") as out:
            while chunk := upload.file.read(1 << 20):
                total += len(chunk)
                if total > limit:
                    imp.discard(folder.parent)
                    raise HTTPException(413, "Upload too large")
                out.write(chunk)
    return token


@router.post("/f/{firm}/imports")
def upload(state: State, ctx: Importer, files: Annotated[list[UploadFile], Form()]) -> Response:
    if not files:
        raise HTTPException(422, "No file")
    token = save_uploads(state, ctx.firm.id, files)
    return RedirectResponse(f"/f/{ctx.firm.slug}/imports/staged/{token}", status_code=303)


def _stage(state: AppState, ctx: FirmContext, token: str) -> Path:
    stage = imp.stage_dir(state.firm_dir(ctx.firm.id), token)
    if stage is None:
        raise HTTPException(404, "Unknown upload")
    return stage


@router.get("/f/{firm}/imports/staged/{token}")
def staged(request: Request, state: State, ctx: Importer, token: str) -> Response:
    stage = _stage(state, ctx, token)
    data = {"token": token, "files": imp.preview(stage), "error": ""}
    return respond(request, state, "staged.html", data, ctx=ctx, fragment="_preview.html")


@router.post("/f/{firm}/imports/staged/{token}/role")
def set_role(
    request: Request,
    state: State,
    ctx: Importer,
    token: str,
    file: Annotated[str, Form(max_length=300)],
    table: Annotated[str, Form(max_length=30)],
    header: Annotated[str, Form(max_length=300)],
    role: Annotated[str, Form(max_length=60)] = "",
) -> Response:
    """Correct one column's role; answers the refreshed preview."""
    stage = _stage(state, ctx, token)
    imp.set_role(stage, file, table, header, role)
    data = {"token": token, "files": imp.preview(stage), "error": ""}
    return respond(request, state, "staged.html", data, ctx=ctx, fragment="_preview.html")


@router.post("/f/{firm}/imports/staged/{token}/run")
def run(request: Request, state: State, session: Db, ctx: Importer, token: str) -> Response:
    """Import the staged files; record the run (failed ones too, with the reason)."""
    stage = _stage(state, ctx, token)
    run_dir = state.firm_dir(ctx.firm.id) / "runs" / token
    try:
        record = imp.import_staged(session, stage, run_dir, state.settings.data_dir,
                                   firm_id=ctx.firm.id, user_id=ctx.user.id)  # fmt: skip
    except CarteraError as exc:
        data = {"token": token, "files": imp.preview(stage), "error": exc.render()}
        return page(request, state, "staged.html", data, ctx=ctx, status=422)
    return RedirectResponse(f"/f/{ctx.firm.slug}/imports/{record.id}", status_code=303)


@router.get("/f/{firm}/imports/{run_id}")
def run_detail(request: Request, state: State, session: Db, ctx: Importer, run_id: int) -> Response:
    """One run, and its figures next to the previous run's (same settings)."""
    record = session.get(ImportRun, run_id)
    if record is None or record.firm_id != ctx.firm.id:
        raise HTTPException(404, "Unknown import")
    data: dict[str, object] = {"run": _run_row(record), "compare": []}
    if record.status == "ok":
        settings = runs.firm_settings(session, ctx.firm.id)
        now = state.cache.get(record.id, settings, state.settings.data_dir / record.workspace)
        prev_run = runs.previous_run(session, record)
        before = (
            state.cache.get(prev_run.id, settings, state.settings.data_dir / prev_run.workspace)
            if prev_run is not None
            else None
        )
        data["compare"] = imp.compare_runs(
            now.analysis.portfolio, before.analysis.portfolio if before else None,
            now.analysis.currency,
        )  # fmt: skip
        data["has_previous"] = prev_run is not None
    data["title"] = _("Import {n}").format(n=record.id)
    return respond(request, state, "run.html", data, ctx=ctx)
