"""Study and communication pages: study, prospects, call list, campaigns, call screen, funnel.

Reading is for every member; importing prospects and running campaigns needs
``prospects`` (owner, analyst); logging calls needs ``calls`` and, for an
assistant, being assigned to the campaign (decision 0910).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cartera.errors import CarteraError, InputError
from cartera.i18n import N_, _
from cartera.store import study as db
from cartera.store.models.study import Campaign
from cartera.study.campaign import STAGE_NAMES, Call
from cartera.study.prospects import read_do_not_call, read_prospects
from cartera.study.texts import gap_sentence
from cartera.web import campaigns as glue
from cartera.web.deps import FirmContext, app_state, require
from cartera.web.deps import db as db_session
from cartera.web.firmdata import current_analysis
from cartera.web.pages import study as pages
from cartera.web.render import page, respond
from cartera.web.routes.client_pages import analysis_or_404
from cartera.web.state import AppState

__all__ = ["campaign_or_404", "check_caller", "parse_local", "router"]

router = APIRouter()
State = Annotated[AppState, Depends(app_state)]
Db = Annotated[Session, Depends(db_session)]
Reader = Annotated[FirmContext, Depends(require("read"))]
Manager = Annotated[FirmContext, Depends(require("prospects"))]
Caller = Annotated[FirmContext, Depends(require("calls"))]
Kind = Literal["structure", "margin", "image"]
_DAYS = (0, 1, 2, 3, 4, 5, 6)


def campaign_or_404(session: Session, ctx: FirmContext, campaign_id: int) -> Campaign:
    found = db.find_campaign(session, ctx.firm.id, campaign_id)
    if found is None:
        raise HTTPException(404, "Unknown campaign")
    return found


def check_caller(ctx: FirmContext, campaign: Campaign) -> None:
    """An assistant calls only in the campaigns assigned to them; owners and analysts in any."""
    if ctx.role == "assistant" and ctx.user.id not in {a.user_id for a in campaign.assistants}:
        raise HTTPException(403, "Not assigned to this campaign")


def parse_local(text: str | None) -> dt.datetime | None:
    """``2026-12-10T16:30`` (a datetime-local field) in the calling time zone; None when empty."""
    if not text or not text.strip():
        return None
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise InputError(N_("«{value}» is not a date and time."), value=text) from exc
    return value.replace(tzinfo=glue.CALL_TZ) if value.tzinfo is None else value


@router.get("/f/{firm}/study")
def study(request: Request, state: State, session: Db, ctx: Reader) -> Response:
    fa = analysis_or_404(state, session, ctx)
    with state.heavy:
        data = pages.study_data(fa, session, ctx.firm.id)
    return respond(request, state, "study.html", data, ctx=ctx)


@router.get("/f/{firm}/prospects")
def prospects(
    request: Request,
    state: State,
    session: Db,
    ctx: Reader,
    q: Annotated[str, Query(max_length=200)] = "",
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    data = pages.prospects_data(session, ctx.firm.id, q, page_no)
    data["message"] = ""
    return respond(request, state, "prospects.html", data, ctx=ctx,
                   fragment="_prospects_table.html")  # fmt: skip


def _prospects_page(
    request: Request, state: AppState, session: Session, ctx: FirmContext, message: str,
    status: int = 200,
) -> Response:  # fmt: skip
    data = pages.prospects_data(session, ctx.firm.id, "", 1)
    data["message"] = message
    return page(request, state, "prospects.html", data, ctx=ctx, status=status)


@router.post("/f/{firm}/prospects/import")
def import_prospects(
    request: Request, state: State, session: Db, ctx: Manager,
    file: Annotated[UploadFile, Form()],
) -> Response:  # fmt: skip
    limit = state.settings.max_upload_mb * 1024 * 1024
    try:
        frame = pages.read_upload(file, read_prospects, limit)
        clients = pages.firm_clients(current_analysis(state, session, ctx))
        counts = glue.add_prospects(session, ctx.firm.id, frame, clients, user_id=ctx.user.id)
        session.commit()
    except CarteraError as exc:
        session.rollback()
        return _prospects_page(request, state, session, ctx, exc.render(), status=422)
    except IntegrityError:  # another list was imported at the same moment: codes collided
        session.rollback()
        busy = _("Another prospect list was being imported at the same time; import it again.")
        return _prospects_page(request, state, session, ctx, busy, status=409)
    message = _("{added} new prospects added of {read} rows; left out: {client} already clients, "
                "{earlier} already kept, {repeat} repeated; {dnc} on the do-not-call list, "
                "{consent} without consent.").format(
        added=counts["added"], read=counts["read"], client=counts["client"],
        earlier=counts["earlier"], repeat=counts["repeat"], dnc=counts["do_not_call"],
        consent=counts["no_consent"])  # fmt: skip
    return _prospects_page(request, state, session, ctx, message)


@router.post("/f/{firm}/prospects/do-not-call")
def import_do_not_call(
    request: Request, state: State, session: Db, ctx: Manager,
    file: Annotated[UploadFile, Form()],
) -> Response:  # fmt: skip
    limit = state.settings.max_upload_mb * 1024 * 1024
    try:
        keys = pages.read_upload(file, read_do_not_call, limit)
        added = glue.import_do_not_call(session, ctx.firm.id, keys, file.filename or "")
    except CarteraError as exc:
        session.rollback()
        return _prospects_page(request, state, session, ctx, exc.render(), status=422)
    session.commit()
    message = _("{n} phones or e-mails added to the do-not-call list.").format(n=added)
    return _prospects_page(request, state, session, ctx, message)


@router.get("/f/{firm}/prospects/{code}")
def prospect(request: Request, state: State, session: Db, ctx: Reader, code: str) -> Response:
    found = db.find_prospect(session, ctx.firm.id, code)
    if found is None:
        raise HTTPException(404, "Unknown prospect")
    fa = current_analysis(state, session, ctx)
    with state.heavy:
        data = pages.prospect_data(fa, session, ctx.firm.id, found)
    return respond(request, state, "prospect.html", data, ctx=ctx)


@router.get("/f/{firm}/calllist")
def call_list(
    request: Request, state: State, session: Db, ctx: Reader, kind: Kind | None = None
) -> Response:
    fa = analysis_or_404(state, session, ctx)
    with state.heavy:
        ranked = pages.ranking(fa, session, ctx.firm.id)
    data = {
        "kind": kind or "",
        "kinds": [(k, n) for k, n in pages.campaigns_data(session, ctx.firm.id)["kinds"]],
        "gaps": [gap_sentence(g) for g in ranked.gaps],
        "rows": pages.call_list_rows(fa, ranked, kind or ""),
        "left_out": ranked.duplicates.height,
    }
    return respond(request, state, "calllist.html", data, ctx=ctx)


@router.get("/f/{firm}/campaigns")
def campaigns(request: Request, state: State, session: Db, ctx: Reader) -> Response:
    data = pages.campaigns_data(session, ctx.firm.id)
    data["error"] = ""
    return respond(request, state, "campaigns.html", data, ctx=ctx)


@router.post("/f/{firm}/campaigns")
def create_campaign(
    request: Request, state: State, session: Db, ctx: Manager,
    name: Annotated[str, Form(max_length=200)],
    kind: Annotated[Kind, Form()],
    top: Annotated[int, Form(ge=0, le=1000)] = 20,
) -> Response:  # fmt: skip
    """A campaign for ``kind`` with the ``top`` callable prospects of its call list."""
    fa = analysis_or_404(state, session, ctx)
    try:
        campaign = glue.new_campaign(session, ctx.firm.id, name=name, kind=kind,
                                     created_by=ctx.user.id)  # fmt: skip
        with state.heavy:
            rows = pages.call_list_rows(fa, pages.ranking(fa, session, ctx.firm.id), kind)
        codes = [r["code"] for r in rows if r["callable"]][:top]
        glue.enroll_prospects(session, campaign, codes)
    except CarteraError as exc:
        session.rollback()
        data = pages.campaigns_data(session, ctx.firm.id)
        data["error"] = exc.render()
        return page(request, state, "campaigns.html", data, ctx=ctx, status=422)
    session.commit()
    return RedirectResponse(f"/f/{ctx.firm.slug}/campaigns/{campaign.id}", status_code=303)


def _campaign_page(
    request: Request, state: AppState, session: Session, ctx: FirmContext, campaign: Campaign,
    message: str = "", status: int = 200,
) -> Response:  # fmt: skip
    data = pages.campaign_data(session, campaign, ctx.firm.name)
    data["message"] = message
    if status != 200:
        return page(request, state, "campaign.html", data, ctx=ctx, status=status)
    return respond(request, state, "campaign.html", data, ctx=ctx)


@router.get("/f/{firm}/campaigns/{campaign_id}")
def campaign(
    request: Request, state: State, session: Db, ctx: Reader, campaign_id: int
) -> Response:
    return _campaign_page(request, state, session, ctx, campaign_or_404(session, ctx, campaign_id))


@router.post("/f/{firm}/campaigns/{campaign_id}")
def edit_campaign(
    request: Request, state: State, session: Db, ctx: Manager, campaign_id: int,
    name: Annotated[str, Form(max_length=200)],
    script_es: Annotated[str, Form(max_length=5000)] = "",
    script_en: Annotated[str, Form(max_length=5000)] = "",
    days: Annotated[list[int], Form()] = [],  # noqa: B006
    start: Annotated[str, Form(max_length=5)] = "09:30",
    end: Annotated[str, Form(max_length=5)] = "13:30",
    attempts: Annotated[int, Form(ge=1, le=20)] = 3,
    gap_days: Annotated[int, Form(ge=0, le=60)] = 2,
    assistants: Annotated[list[int], Form()] = [],  # noqa: B006
    status: Annotated[Literal["active", "paused", "closed"], Form()] = "active",
) -> Response:  # fmt: skip
    found = campaign_or_404(session, ctx, campaign_id)
    allowed = {u["id"] for u in pages.assignable(session, ctx.firm.id)}
    try:
        if not set(assistants) <= allowed or not set(days) <= set(_DAYS):
            raise InputError(N_("Choose assistants among the firm's members and days of the week."))
        glue.update_campaign(
            session, found, assistants=assistants, name=name,
            scripts={"es": script_es, "en": script_en}, window_days=days, window_start=start,
            window_end=end, retry_attempts=attempts, retry_gap_days=gap_days, status=status,
        )  # fmt: skip
    except CarteraError as exc:
        session.rollback()
        found = campaign_or_404(session, ctx, campaign_id)
        return _campaign_page(request, state, session, ctx, found, exc.render(), 422)
    session.commit()
    return _campaign_page(request, state, session, ctx, found, _("Campaign saved."))


@router.post("/f/{firm}/campaigns/{campaign_id}/enroll")
def enroll(
    request: Request, state: State, session: Db, ctx: Manager, campaign_id: int,
    codes: Annotated[str, Form(max_length=20_000)],
) -> Response:  # fmt: skip
    found = campaign_or_404(session, ctx, campaign_id)
    wanted = [c.strip() for c in codes.replace(",", " ").split() if c.strip()]
    try:
        enrollment = glue.enroll_prospects(session, found, wanted)
    except CarteraError as exc:
        session.rollback()
        found = campaign_or_404(session, ctx, campaign_id)
        return _campaign_page(request, state, session, ctx, found, exc.render(), 422)
    session.commit()
    refused = "; ".join(f"{p.name}: {_(pages.REFUSAL_NAMES[why])}" for p, why in enrollment.refused)
    message = _("{n} prospects added.").format(n=len(enrollment.accepted))
    if refused:
        message += " " + _("Not added: {list}.").format(list=refused)
    return _campaign_page(request, state, session, ctx, found, message)


@router.post("/f/{firm}/campaigns/{campaign_id}/members/{code}/advance")
def advance(
    request: Request, state: State, session: Db, ctx: Manager, campaign_id: int, code: str,
    stage: Annotated[Literal["proposal", "won", "lost"], Form()],
    client_id: Annotated[str, Form(max_length=100)] = "",
) -> Response:  # fmt: skip
    found = campaign_or_404(session, ctx, campaign_id)
    member = db.find_member(session, found, code)
    if member is None:
        raise HTTPException(404, "Unknown prospect")
    try:
        glue.advance_member(session, found, member, stage, client_id=client_id or None)
    except CarteraError as exc:
        session.rollback()
        found = campaign_or_404(session, ctx, campaign_id)
        return _campaign_page(request, state, session, ctx, found, exc.render(), 422)
    session.commit()
    return _campaign_page(request, state, session, ctx, found, _("Campaign saved."))


def _call_screen(
    request: Request, state: AppState, session: Session, ctx: FirmContext, campaign: Campaign,
    code: str | None, message: str = "", meeting_call: int | None = None, status: int = 200,
) -> Response:  # fmt: skip
    data = pages.call_screen_data(session, campaign, ctx.firm.name,
                                  ctx.user.name or ctx.user.email, code,
                                  dt.datetime.now(dt.UTC))  # fmt: skip
    data["message"] = message
    data["meeting_call"] = meeting_call
    if status != 200:
        return page(request, state, "call.html", data, ctx=ctx, status=status)
    return respond(request, state, "call.html", data, ctx=ctx)


@router.get("/f/{firm}/campaigns/{campaign_id}/call")
def call_screen(
    request: Request, state: State, session: Db, ctx: Caller, campaign_id: int,
    prospect: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:  # fmt: skip
    found = campaign_or_404(session, ctx, campaign_id)
    check_caller(ctx, found)
    return _call_screen(request, state, session, ctx, found, prospect)


@router.post("/f/{firm}/campaigns/{campaign_id}/calls")
def log_call(
    request: Request, state: State, session: Db, ctx: Caller, campaign_id: int,
    prospect: Annotated[str, Form(max_length=16)],
    result: Annotated[Literal["no_answer", "voicemail", "busy", "wrong_number", "reached"],
                      Form()],
    outcome: Annotated[str, Form(max_length=16)] = "",
    callback_at: Annotated[str, Form(max_length=32)] = "",
    meeting_at: Annotated[str, Form(max_length=32)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:  # fmt: skip
    found = campaign_or_404(session, ctx, campaign_id)
    check_caller(ctx, found)
    member = db.find_member(session, found, prospect)
    if member is None:
        raise HTTPException(404, "Unknown prospect")
    try:
        call = Call(
            prospect_id=prospect, at=dt.datetime.now(glue.CALL_TZ), result=result,
            outcome=(outcome or None) if result == "reached" else None,  # type: ignore[arg-type]
            assistant=str(ctx.user.id), callback_at=parse_local(callback_at),
            meeting_at=parse_local(meeting_at), note=note.strip(),
        )  # fmt: skip
        logged = glue.log_call(session, found, member, call, user_id=ctx.user.id)
    except CarteraError as exc:
        session.rollback()
        found = campaign_or_404(session, ctx, campaign_id)
        return _call_screen(request, state, session, ctx, found, prospect, exc.render(),
                            status=422)  # fmt: skip
    session.commit()
    message = _("Call saved: {stage}.").format(stage=_(STAGE_NAMES[logged.state.stage]))
    if logged.meeting is not None:
        message = _("Meeting booked and added to the agenda.")
        return _call_screen(request, state, session, ctx, found, prospect, message,
                            meeting_call=logged.call_id)  # fmt: skip
    return _call_screen(request, state, session, ctx, found, None, message)


@router.get("/f/{firm}/campaigns/{campaign_id}/calls/{call_id}/meeting.ics")
def meeting_ics(session: Db, ctx: Reader, campaign_id: int, call_id: int) -> Response:
    found = campaign_or_404(session, ctx, campaign_id)
    meeting = glue.meeting_of(session, found, call_id)
    if meeting is None:
        raise HTTPException(404, "No meeting")
    return Response(glue.meeting_ics(meeting), media_type="text/calendar; charset=utf-8",
                    headers={"content-disposition":
                             f'attachment; filename="meeting-{call_id}.ics"'})  # fmt: skip


@router.get("/f/{firm}/funnel")
def funnel(request: Request, state: State, session: Db, ctx: Reader) -> Response:
    return respond(request, state, "funnel.html", pages.funnel_data(session, ctx.firm.id), ctx=ctx)
