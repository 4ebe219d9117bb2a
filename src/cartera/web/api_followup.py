"""The follow-up part of the API: the agenda and the interaction log of a firm.

Same checks as the pages: reading needs membership; logging, editing and
marking done need the ``follow_up`` permission (owner, analyst, assistant).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Path, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from cartera.assistant.interactions import KINDS
from cartera.store import followup as F
from cartera.store.models import Interaction
from cartera.web.deps import FirmContext, db, require
from cartera.web.pages.followup import agenda_data, client_followup
from cartera.web.routes.followup import firm_plan_or_404, known_client, log_done
from cartera.web.state import AppState

__all__ = ["InteractionIn", "InteractionPatch", "add_followup_routes", "churn_levels"]

Db = Annotated[Session, Depends(db)]
Reader = Annotated[FirmContext, Depends(require("read"))]
Writer = Annotated[FirmContext, Depends(require("follow_up"))]
Kind = Literal["call", "email", "meeting", "visit", "note", "support", "survey", "letter"]
assert set(KINDS) == set(Kind.__args__)  # type: ignore[attr-defined]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InteractionIn(_Body):
    """A new interaction with a client."""

    kind: Kind
    when: dt.date = Field(ge=dt.date(1900, 1, 1), le=dt.date(2999, 12, 31))
    outcome: str = Field("", max_length=200)
    note: str = Field("", max_length=2000)
    next_step: str = Field("", max_length=2000)
    rule: str = Field("", max_length=32, description="The agenda rule this answers, if any.")


class InteractionPatch(_Body):
    """Fields to change (the others stay); each change is kept in the history."""

    kind: Kind | None = None
    when: dt.date | None = Field(None, ge=dt.date(1900, 1, 1), le=dt.date(2999, 12, 31))
    outcome: str | None = Field(None, max_length=200)
    note: str | None = Field(None, max_length=2000)
    next_step: str | None = Field(None, max_length=2000)


class DoneIn(_Body):
    """Mark an agenda item done (logs the interaction for its rule)."""

    key: str = Field(min_length=3, max_length=250)
    kind: Literal["call", "email", "meeting", "visit", "letter"] = "call"
    outcome: str = Field("", max_length=200)
    note: str = Field("", max_length=2000)
    next_step: str = Field("", max_length=2000)


def _plain(row: Interaction) -> dict[str, Any]:
    return {
        "id": row.id, "client_id": row.client_id, "when": row.happened_on.isoformat(),
        "kind": row.kind, "channel": row.channel, "outcome": row.outcome, "note": row.note,
        "next_step": row.next_step, "rule": row.rule, "user_id": row.user_id,
        "source": row.source, "updated_at": row.updated_at.isoformat(),
    }  # fmt: skip


def churn_levels(state: AppState, session: Session, ctx: FirmContext) -> dict[str, str] | None:
    """Client id → churn risk level, when the firm has logged interactions (else None).

    The stress test raises leave probabilities with it (``stress.use_churn_risk``); a
    firm that logs nothing keeps the segment and activity rules alone (decision 0811).
    """
    from cartera.web.followup import assessments

    if F.log_version(session, ctx.firm.id).startswith("0:"):
        return None
    fp = firm_plan_or_404(state, session, ctx)
    churn = assessments(fp).churn
    return dict(zip(churn["client_id"].to_list(), churn["risk"].to_list(), strict=True))


def add_followup_routes(api: FastAPI, state: AppState) -> None:
    """Register the agenda and interaction endpoints on the API app."""

    @api.get("/firms/{firm}/agenda", summary="Agenda: items due, ranked by money at stake")
    def agenda(
        session: Db,
        ctx: Reader,
        week: Annotated[str, Query(max_length=20)] = "",
        owner: Annotated[str, Query(max_length=320)] = "",
    ) -> dict[str, Any]:
        fp = firm_plan_or_404(state, session, ctx)
        data = agenda_data(session, ctx, fp, week or None, owner or None)
        return {k: v for k, v in data.items() if not k.startswith("_")}

    @api.post("/firms/{firm}/agenda/done", summary="Mark an agenda item done", status_code=201)
    def agenda_done(session: Db, ctx: Writer, body: DoneIn) -> dict[str, str]:
        fp = firm_plan_or_404(state, session, ctx)
        log_done(session, ctx, fp, body.key, kind=body.kind, outcome=body.outcome,
                 note=body.note, next_step=body.next_step)  # fmt: skip
        session.commit()
        return {"key": body.key, "status": "done"}

    @api.get(
        "/firms/{firm}/clients/{client_id}/interactions",
        summary="A client's interactions, next contact, churn risk and health",
    )
    def interactions(session: Db, ctx: Reader, client_id: str) -> dict[str, Any]:
        from cartera.web.followup import assessments

        known_client(state, session, ctx, client_id)
        fp = firm_plan_or_404(state, session, ctx)
        with state.heavy:
            assessed = assessments(fp)
        return client_followup(session, ctx, fp, client_id, assessed)

    @api.post(
        "/firms/{firm}/clients/{client_id}/interactions",
        summary="Log an interaction with a client",
        status_code=201,
    )
    def add(session: Db, ctx: Writer, client_id: str, body: InteractionIn) -> dict[str, Any]:
        from cartera.web.followup import CHANNELS

        known_client(state, session, ctx, client_id)
        row = F.add_interaction(
            session, ctx.firm.id, client_id=client_id, when=body.when, kind=body.kind,
            channel=CHANNELS.get(body.kind), outcome=body.outcome, note=body.note,
            next_step=body.next_step, rule=body.rule or None, user_id=ctx.user.id, source="api",
        )  # fmt: skip
        session.commit()
        return _plain(row)

    @api.patch("/firms/{firm}/interactions/{interaction_id}", summary="Edit an interaction")
    def edit(
        session: Db,
        ctx: Writer,
        interaction_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
        body: InteractionPatch,
    ) -> dict[str, Any]:
        row = session.get(Interaction, interaction_id)
        if row is None or row.firm_id != ctx.firm.id:
            raise HTTPException(404, "Unknown interaction")
        changes = body.model_dump(exclude_unset=True)
        if "when" in changes:
            changes["happened_on"] = changes.pop("when")
        if changes.get("kind") is None:
            changes.pop("kind", None)
        if changes.get("happened_on") is None:
            changes.pop("happened_on", None)
        F.edit_interaction(session, row, ctx.user.id, changes)
        session.commit()
        return _plain(row)
