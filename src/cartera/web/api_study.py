"""The study API under ``/api/v1``: prospects, call list, campaigns, calls, funnel.

The same data functions and membership checks as the pages
(:mod:`cartera.web.pages.study`, :mod:`cartera.web.campaigns`); answers are
plain JSON. Times are ISO 8601; a time without a zone is read in
:data:`cartera.web.campaigns.CALL_TZ`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Path, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from cartera.store import study as db
from cartera.study.prospects import read_do_not_call, read_prospects
from cartera.study.texts import gap_sentence
from cartera.web import campaigns as glue
from cartera.web.deps import FirmContext, require
from cartera.web.deps import db as db_session
from cartera.web.firmdata import current_analysis
from cartera.web.pages import study as pages
from cartera.web.routes.study_pages import campaign_or_404, check_caller
from cartera.web.state import AppState

__all__ = ["CallIn", "CampaignIn", "study_routes"]

Db = Annotated[Session, Depends(db_session)]
Reader = Annotated[FirmContext, Depends(require("read"))]
Manager = Annotated[FirmContext, Depends(require("prospects"))]
Caller = Annotated[FirmContext, Depends(require("calls"))]
Kind = Literal["structure", "margin", "image"]
CampaignId = Annotated[int, Path(ge=1, le=2**31 - 1)]
_HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


class CampaignIn(BaseModel):
    """A new campaign: its prospects by code, or the ``top`` of the kind's call list."""

    name: str = Field(min_length=1, max_length=200)
    kind: Kind
    prospects: list[Annotated[str, Field(max_length=16)]] = Field(default=[], max_length=5000)
    top: int = Field(0, ge=0, le=1000)
    scripts: dict[Literal["es", "en"], Annotated[str, Field(max_length=5000)]] = {}
    window_days: list[Annotated[int, Field(ge=0, le=6)]] = [0, 1, 2, 3, 4]
    window_start: str = Field("09:30", pattern=_HHMM)
    window_end: str = Field("13:30", pattern=_HHMM)
    retry_attempts: int = Field(3, ge=1, le=20)
    retry_gap_days: int = Field(2, ge=0, le=60)
    assistants: list[int] = Field(default=[], max_length=200)


class CallIn(BaseModel):
    """One call: the technical result and, when reached, the business outcome."""

    prospect: str = Field(max_length=16)
    result: Literal["no_answer", "voicemail", "busy", "wrong_number", "reached"]
    outcome: Literal["meeting_booked", "call_back", "not_interested", "not_a_fit"] | None = None
    at: dt.datetime | None = None
    callback_at: dt.datetime | None = None
    meeting_at: dt.datetime | None = None
    note: str = Field("", max_length=2000)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=glue.CALL_TZ) if value.tzinfo is None else value


def study_routes(api: FastAPI, state: AppState) -> None:
    limit = state.settings.max_upload_mb * 1024 * 1024

    @api.get("/firms/{firm}/study", summary="Profile of each kind, gaps and fit models")
    def study(session: Db, ctx: Reader) -> dict[str, Any]:
        fa = current_analysis(state, session, ctx)
        if fa is None:
            raise HTTPException(404, "The firm has no import yet")
        with state.heavy:
            return pages.study_data(fa, session, ctx.firm.id)

    @api.get("/firms/{firm}/prospects", summary="Prospects, searched and paged")
    def prospects(
        session: Db,
        ctx: Reader,
        q: Annotated[str, Query(max_length=200)] = "",
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        per_page: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> dict[str, Any]:
        return pages.prospects_data(session, ctx.firm.id, q, page, per_page)

    @api.post("/firms/{firm}/prospects", summary="Import a prospect list", status_code=201)
    def import_prospects(session: Db, ctx: Manager, file: UploadFile) -> dict[str, int]:
        frame = pages.read_upload(file, read_prospects, limit)
        clients = pages.firm_clients(current_analysis(state, session, ctx))
        counts = glue.add_prospects(session, ctx.firm.id, frame, clients, user_id=ctx.user.id)
        session.commit()
        return counts

    @api.post("/firms/{firm}/do-not-call", summary="Import a do-not-call list", status_code=201)
    def import_dnc(session: Db, ctx: Manager, file: UploadFile) -> dict[str, int]:
        keys = pages.read_upload(file, read_do_not_call, limit)
        added = glue.import_do_not_call(session, ctx.firm.id, keys, file.filename or "")
        session.commit()
        return {"added": added}

    @api.get("/firms/{firm}/prospects/{code}", summary="One prospect, its fit and its calls")
    def prospect(
        session: Db, ctx: Reader, code: Annotated[str, Path(max_length=16)]
    ) -> dict[str, Any]:
        found = db.find_prospect(session, ctx.firm.id, code)
        if found is None:
            raise HTTPException(404, "Unknown prospect")
        fa = current_analysis(state, session, ctx)
        with state.heavy:
            return pages.prospect_data(fa, session, ctx.firm.id, found)

    @api.get("/firms/{firm}/calllist", summary="Prospects ranked by the gap they close")
    def call_list(session: Db, ctx: Reader, kind: Kind | None = None) -> dict[str, Any]:
        fa = current_analysis(state, session, ctx)
        if fa is None:
            raise HTTPException(404, "The firm has no import yet")
        with state.heavy:
            ranked = pages.ranking(fa, session, ctx.firm.id)
        return {
            "gaps": [{**g.to_dict(), "text": gap_sentence(g)} for g in ranked.gaps],
            "models": [m.to_dict() for m in ranked.models],
            "prospects": pages.call_list_rows(fa, ranked, kind or ""),
            "left_out": ranked.duplicates.height,
        }

    @api.get("/firms/{firm}/campaigns", summary="The firm's campaigns")
    def campaigns(session: Db, ctx: Reader) -> dict[str, Any]:
        return pages.campaigns_data(session, ctx.firm.id)

    @api.post("/firms/{firm}/campaigns", summary="Create a campaign", status_code=201)
    def create_campaign(session: Db, ctx: Manager, body: CampaignIn) -> dict[str, Any]:
        allowed = {u["id"] for u in pages.assignable(session, ctx.firm.id)}
        if not set(body.assistants) <= allowed:
            raise HTTPException(422, "Assistants must be members of the firm")
        codes = list(body.prospects)
        if body.top:
            fa = current_analysis(state, session, ctx)
            if fa is None:
                raise HTTPException(404, "The firm has no import yet")
            with state.heavy:
                rows = pages.call_list_rows(fa, pages.ranking(fa, session, ctx.firm.id), body.kind)
            codes += [r["code"] for r in rows if r["callable"]][: body.top]
        campaign = glue.new_campaign(
            session, ctx.firm.id, name=body.name, kind=body.kind,
            scripts={str(k): v for k, v in body.scripts.items()},
            window_days=body.window_days, window_start=body.window_start,
            window_end=body.window_end, retry_attempts=body.retry_attempts,
            retry_gap_days=body.retry_gap_days, assistants=body.assistants,
            created_by=ctx.user.id,
        )  # fmt: skip
        enrollment = glue.enroll_prospects(session, campaign, codes)
        session.commit()
        return {
            "id": campaign.id,
            "enrolled": [p.id for p in enrollment.accepted],
            "refused": [{"prospect": p.id, "reason": why} for p, why in enrollment.refused],
        }

    @api.get("/firms/{firm}/campaigns/{campaign_id}", summary="One campaign and its members")
    def campaign(session: Db, ctx: Reader, campaign_id: CampaignId) -> dict[str, Any]:
        found = campaign_or_404(session, ctx, campaign_id)
        return pages.campaign_data(session, found, ctx.firm.name)

    @api.get("/firms/{firm}/campaigns/{campaign_id}/calls", summary="A campaign's calls")
    def calls(session: Db, ctx: Reader, campaign_id: CampaignId) -> list[dict[str, Any]]:
        found = campaign_or_404(session, ctx, campaign_id)
        return [
            {"prospect": m.prospect.code, **pages.call_row(c)}
            for m in db.members(session, found)
            for c in db.member_calls(session, m)
        ]

    @api.post("/firms/{firm}/campaigns/{campaign_id}/calls", summary="Log a call", status_code=201)
    def log_call(
        session: Db,
        ctx: Caller,
        campaign_id: CampaignId,
        body: CallIn,
    ) -> dict[str, Any]:
        from cartera.study.campaign import Call

        found = campaign_or_404(session, ctx, campaign_id)
        check_caller(ctx, found)
        member = db.find_member(session, found, body.prospect)
        if member is None:
            raise HTTPException(404, "Unknown prospect")
        call = Call(
            prospect_id=body.prospect, at=_aware(body.at) or dt.datetime.now(glue.CALL_TZ),
            result=body.result, outcome=body.outcome, assistant=str(ctx.user.id),
            callback_at=_aware(body.callback_at), meeting_at=_aware(body.meeting_at),
            note=body.note.strip(),
        )  # fmt: skip
        logged = glue.log_call(session, found, member, call, user_id=ctx.user.id)
        session.commit()
        meeting = logged.meeting
        return {
            "call_id": logged.call_id,
            "stage": logged.state.stage,
            "next_call": None if logged.state.next_call is None
            else logged.state.next_call.isoformat(),
            "meeting": None if meeting is None else {
                "uid": meeting.uid, "start": meeting.start.isoformat(),
                "end": meeting.end.isoformat(), "title": meeting.title,
                "ics": f"/api/v1/firms/{ctx.firm.slug}/campaigns/{found.id}/calls/"
                       f"{logged.call_id}/meeting.ics",
            },
        }  # fmt: skip

    @api.get(
        "/firms/{firm}/campaigns/{campaign_id}/calls/{call_id}/meeting.ics",
        summary="The invitation (.ics) of a meeting a call booked",
        response_class=Response,
    )
    def meeting_ics(
        session: Db, ctx: Reader, campaign_id: CampaignId,
        call_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    ) -> Response:  # fmt: skip
        found = campaign_or_404(session, ctx, campaign_id)
        meeting = glue.meeting_of(session, found, call_id)
        if meeting is None:
            raise HTTPException(404, "No meeting")
        return Response(glue.meeting_ics(meeting), media_type="text/calendar; charset=utf-8")

    @api.get("/firms/{firm}/funnel", summary="Funnel counts and rates")
    def funnel(
        session: Db, ctx: Reader, by: Literal["campaign", "kind"] = "campaign"
    ) -> list[dict[str, Any]]:
        grouping = ("campaign", "kind") if by == "campaign" else ("kind",)
        return glue.campaign_funnel(session, ctx.firm.id, by=grouping).to_dicts()
