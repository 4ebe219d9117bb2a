"""Prospects, the do-not-call list, campaigns, members and calls of a firm: load and save.

Persistence only: the rules (dedupe, enrolment, the campaign state machine,
the funnel) live in :mod:`cartera.study` and the glue that applies them to
these rows in :mod:`cartera.web.campaigns`. Like every store function these
take a session and never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from cartera.store.models.study import (
    Campaign,
    CampaignAssistant,
    CampaignCall,
    CampaignMember,
    DoNotCall,
    Prospect,
)

__all__ = [
    "SEARCHED",
    "add_call",
    "add_do_not_call",
    "add_member",
    "add_prospect",
    "create_campaign",
    "do_not_call_entries",
    "find_call",
    "find_campaign",
    "find_member",
    "find_prospect",
    "firm_campaigns",
    "mark_won",
    "member_calls",
    "member_of_call",
    "members",
    "on_do_not_call",
    "prospects_by_code",
    "prospects_of",
    "search_prospects",
    "set_assistants",
]

#: Columns the prospect search looks in.
SEARCHED = ("name", "tax_id", "contact", "region", "sector", "code")


def prospects_of(session: Session, firm_id: int) -> list[Prospect]:
    """Every prospect of the firm, in the order they were added."""
    return list(
        session.scalars(select(Prospect).where(Prospect.firm_id == firm_id).order_by(Prospect.id))
    )


def add_prospect(session: Session, firm_id: int, **fields: Any) -> Prospect:
    """Add one prospect (fields of :class:`Prospect`)."""
    row = Prospect(firm_id=firm_id, **fields)
    session.add(row)
    return row


def do_not_call_entries(session: Session, firm_id: int) -> list[tuple[str, str]]:
    """The do-not-call keys as ``(kind, value)``: ``phone`` digits or lower-case ``email``."""
    return [
        (k, v)
        for k, v in session.execute(
            select(DoNotCall.kind, DoNotCall.value)
            .where(DoNotCall.firm_id == firm_id)
            .order_by(DoNotCall.id)
        )
    ]


def add_do_not_call(
    session: Session, firm_id: int, entries: Iterable[tuple[str, str]], list_name: str
) -> int:
    """Add keys to the firm's do-not-call list; returns how many were not on it yet."""
    known = set(do_not_call_entries(session, firm_id))
    added = 0
    for kind, value in entries:
        if (kind, value) not in known:
            session.add(DoNotCall(firm_id=firm_id, kind=kind, value=value, list_name=list_name))
            known.add((kind, value))
            added += 1
    session.flush()
    return added


def on_do_not_call(session: Session, firm_id: int, entries: Iterable[tuple[str, str]]) -> bool:
    """Whether any of the keys ``(kind, value)`` is on the firm's do-not-call list."""
    clauses = [(DoNotCall.kind == k) & (DoNotCall.value == v) for k, v in entries]
    if not clauses:
        return False
    found = session.scalar(
        select(func.count())
        .select_from(DoNotCall)
        .where(DoNotCall.firm_id == firm_id, or_(*clauses))
    )
    return bool(found)


def search_prospects(
    session: Session, firm_id: int, q: str = "", *, limit: int = 50, offset: int = 0
) -> tuple[list[Prospect], int]:
    """(a page of the firm's prospects whose :data:`SEARCHED` columns contain ``q``, total)."""
    query = select(Prospect).where(Prospect.firm_id == firm_id)
    if q.strip():
        like = "%" + q.strip().lower().replace("%", "").replace("_", "") + "%"
        query = query.where(or_(*(func.lower(getattr(Prospect, c)).like(like) for c in SEARCHED)))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Prospect.id).limit(limit).offset(offset))
    return list(rows), int(total)


def find_prospect(session: Session, firm_id: int, code: str) -> Prospect | None:
    return session.scalar(
        select(Prospect).where(Prospect.firm_id == firm_id, Prospect.code == code)
    )


def prospects_by_code(session: Session, firm_id: int, codes: Iterable[str]) -> dict[str, Prospect]:
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        return {}
    rows = session.scalars(
        select(Prospect).where(Prospect.firm_id == firm_id, Prospect.code.in_(wanted))
    )
    return {p.code: p for p in rows}


def mark_won(prospect: Prospect, client_id: str, origin: dict[str, Any]) -> None:
    """The prospect became client ``client_id``; ``origin`` says how (campaign, kind, date…)."""
    prospect.status = "won"
    prospect.client_id = client_id
    prospect.won_origin = origin


def create_campaign(
    session: Session, firm_id: int, *, assistants: Iterable[int] = (), **fields: Any
) -> Campaign:
    """Add a campaign (fields of :class:`Campaign`, already checked) and its assistants."""
    row = Campaign(firm_id=firm_id, **fields)
    row.assistants = [CampaignAssistant(user_id=u) for u in sorted(set(assistants))]
    session.add(row)
    session.flush()
    return row


def set_assistants(campaign: Campaign, user_ids: Iterable[int]) -> None:
    campaign.assistants = [CampaignAssistant(user_id=u) for u in sorted(set(user_ids))]


def firm_campaigns(session: Session, firm_id: int) -> list[Campaign]:
    """The firm's campaigns, newest first."""
    return list(
        session.scalars(
            select(Campaign).where(Campaign.firm_id == firm_id).order_by(Campaign.id.desc())
        )
    )


def find_campaign(session: Session, firm_id: int, campaign_id: int) -> Campaign | None:
    return session.scalar(
        select(Campaign).where(Campaign.firm_id == firm_id, Campaign.id == campaign_id)
    )


def add_member(session: Session, campaign: Campaign, prospect: Prospect) -> CampaignMember:
    row = CampaignMember(campaign_id=campaign.id, prospect_id=prospect.id, moves=[])
    session.add(row)
    session.flush()
    return row


def members(session: Session, campaign: Campaign) -> list[CampaignMember]:
    """The campaign's members (their prospect loaded), in the order they were enrolled."""
    return list(
        session.scalars(
            select(CampaignMember)
            .where(CampaignMember.campaign_id == campaign.id)
            .order_by(CampaignMember.id)
        )
    )


def find_member(session: Session, campaign: Campaign, code: str) -> CampaignMember | None:
    return session.scalar(
        select(CampaignMember)
        .join(Prospect, CampaignMember.prospect_id == Prospect.id)
        .where(CampaignMember.campaign_id == campaign.id, Prospect.code == code)
    )


def member_calls(session: Session, member: CampaignMember) -> list[CampaignCall]:
    """The member's calls in the order they were made."""
    return list(
        session.scalars(
            select(CampaignCall)
            .where(CampaignCall.member_id == member.id)
            .order_by(CampaignCall.at, CampaignCall.id)
        )
    )


def add_call(
    session: Session, member: CampaignMember, at: dt.datetime, **fields: Any
) -> CampaignCall:
    """Save one call of ``member`` (fields of :class:`CampaignCall`)."""
    row = CampaignCall(campaign_id=member.campaign_id, member_id=member.id, at=at, **fields)
    session.add(row)
    session.flush()
    return row


def find_call(session: Session, campaign: Campaign, call_id: int) -> CampaignCall | None:
    return session.scalar(
        select(CampaignCall).where(
            CampaignCall.campaign_id == campaign.id, CampaignCall.id == call_id
        )
    )


def member_of_call(session: Session, call: CampaignCall) -> CampaignMember:
    member = session.get(CampaignMember, call.member_id)
    assert member is not None  # the foreign key holds
    return member
