"""The study's rules applied to a firm's stored prospects and campaigns (issue 15).

Glue between :mod:`cartera.store.study` (rows) and :mod:`cartera.study`
(dedupe, enrolment, the campaign state machine, the funnel, meetings): the
pages, the API and ``cartera firm import`` call these. Times are stored in
UTC and given to the state machine in :data:`CALL_TZ`, where calling windows
and meeting times are read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Final
from zoneinfo import ZoneInfo

import polars as pl
from sqlalchemy.orm import Session

from cartera.errors import InputError
from cartera.i18n import N_
from cartera.store import study as db
from cartera.store.followup import add_scheduled_item
from cartera.store.models.followup import ScheduledItem
from cartera.store.models.study import Campaign, CampaignCall, CampaignMember, Prospect
from cartera.study.book import BOOK_SCHEMA, add_to_book
from cartera.study.campaign import (
    Call,
    CallWindow,
    CampaignProspect,
    Enrollment,
    ProspectState,
    RetryRule,
    advance,
    apply_call,
    enroll,
    won_client,
)
from cartera.study.campaign import Campaign as Rules
from cartera.study.fit import TARGET_KINDS
from cartera.study.funnel import funnel
from cartera.study.meetings import AgendaItem, meeting_item, to_ics
from cartera.study.prospects import do_not_call_keys, on_do_not_call

__all__ = [
    "CALL_TZ",
    "CallLogged",
    "add_prospects",
    "advance_member",
    "campaign_funnel",
    "campaign_prospect",
    "campaign_rules",
    "do_not_call_frame",
    "enroll_prospects",
    "import_do_not_call",
    "log_call",
    "meeting_ics",
    "meeting_of",
    "member_state",
    "new_campaign",
    "prospect_book",
    "update_campaign",
]

#: The time zone of calling windows and meeting times (Spanish firms first).
CALL_TZ: Final = ZoneInfo("Europe/Madrid")
_TEXT: Final = ("tax_id", "sector", "region", "size", "contact", "phone", "email", "source")
_KEYS: Final = {"phone": pl.String, "email": pl.String}


def prospect_book(session: Session, firm_id: int) -> pl.DataFrame:
    """The firm's prospects as a book (:data:`cartera.study.book.BOOK_SCHEMA`, ``id`` = code)."""
    data = [
        {
            "id": p.code,
            "name": p.name,
            **{c: getattr(p, c) for c in _TEXT},
            "consent": p.consent,
            "do_not_call": p.do_not_call,
            "file": (p.origin or {}).get("file"),
            "row": (p.origin or {}).get("row"),
        }
        for p in db.prospects_of(session, firm_id)
    ]
    return pl.DataFrame(data, schema=BOOK_SCHEMA)


def do_not_call_frame(session: Session, firm_id: int) -> pl.DataFrame:
    """The firm's do-not-call list as ``phone, email`` keys (one of them null per row)."""
    rows = db.do_not_call_entries(session, firm_id)
    return pl.DataFrame(
        {
            "phone": [v if k == "phone" else None for k, v in rows],
            "email": [v if k == "email" else None for k, v in rows],
        },
        schema=_KEYS,
    )


def add_prospects(
    session: Session,
    firm_id: int,
    prospects: pl.DataFrame,
    clients: pl.DataFrame,
    *,
    user_id: int | None,
) -> dict[str, int]:
    """Add a prospect list (:func:`cartera.study.prospects.read_prospects` rows) to the firm.

    Prospects matching a client or an earlier prospect (tax id, then normalised
    name) or repeating a row are left out; the others get the next codes and the
    do-not-call flag of the firm's list. Returns the counts of
    :func:`cartera.study.book.add_to_book`.
    """
    book = prospect_book(session, firm_id)
    new_book, counts = add_to_book(book, prospects, clients, do_not_call_frame(session, firm_id))
    now = dt.datetime.now(dt.UTC).isoformat()
    for row in new_book.slice(book.height).iter_rows(named=True):
        db.add_prospect(
            session, firm_id,
            code=row["id"], name=row["name"] or row["tax_id"] or row["id"],
            **{c: row[c] for c in _TEXT}, consent=row["consent"],
            do_not_call=bool(row["do_not_call"]), attributes={}, status="open",
            origin={"file": row["file"], "row": row["row"], "imported_at": now,
                    "user_id": user_id},
        )  # fmt: skip
    session.flush()
    return counts


def _entries(keys: pl.DataFrame) -> list[tuple[str, str]]:
    return [
        (kind, value)
        for kind in ("phone", "email")
        for value in keys[kind].drop_nulls().unique().sort().to_list()
    ]


def import_do_not_call(session: Session, firm_id: int, keys: pl.DataFrame, list_name: str) -> int:
    """Add a do-not-call list (``phone, email``, normalised again) and flag the prospects it names.

    Returns the number of keys that were not on the firm's list yet.
    """
    added = db.add_do_not_call(session, firm_id, _entries(do_not_call_keys(keys)), list_name)
    rows = db.prospects_of(session, firm_id)
    if rows:
        frame = pl.DataFrame(
            {"phone": [p.phone for p in rows], "email": [p.email for p in rows]}, schema=_KEYS
        )
        hits = on_do_not_call(frame, do_not_call_frame(session, firm_id)).to_list()
        for p, hit in zip(rows, hits, strict=True):
            if hit:
                p.do_not_call = True
    session.flush()
    return added


def _listed(session: Session, prospect: Prospect) -> bool:
    frame = pl.DataFrame({"phone": [prospect.phone], "email": [prospect.email]}, schema=_KEYS)
    return db.on_do_not_call(session, prospect.firm_id, _entries(do_not_call_keys(frame)))


def campaign_prospect(session: Session, prospect: Prospect) -> CampaignProspect:
    """A stored prospect as enrolment checks it (the do-not-call list read again now)."""
    return CampaignProspect(
        id=prospect.code,
        name=prospect.name,
        phone=prospect.phone,
        email=prospect.email,
        contact=prospect.contact,
        tax_id=prospect.tax_id,
        consent=prospect.consent,
        source=prospect.source,
        do_not_call=prospect.do_not_call or _listed(session, prospect),
        not_interested=prospect.status == "not_interested",
    )


# --- campaigns ------------------------------------------------------------------------------


def _time(text: str) -> dt.time:
    try:
        return dt.time.fromisoformat(text)
    except ValueError as exc:
        raise InputError(N_("«{value}» is not a time of day; write it as 09:30."),
                         value=text) from exc  # fmt: skip


def _checked(fields: dict[str, Any]) -> dict[str, Any]:
    """Campaign fields checked by the study's rules (kind, name, window, retry rule)."""
    if fields.get("kind") not in TARGET_KINDS:
        raise InputError(N_("Unknown target kind «{value}»; kinds: structure, margin, image."),
                         value=str(fields.get("kind")))  # fmt: skip
    if not str(fields.get("name", "")).strip():
        raise InputError(N_("A campaign needs a name."))
    if fields.get("status", "active") not in ("active", "paused", "closed"):
        raise InputError(N_("Unknown campaign status «{value}»."), value=str(fields["status"]))
    days = sorted(set(fields.get("window_days") or []))
    CallWindow(tuple(days), _time(fields["window_start"]), _time(fields["window_end"]))
    RetryRule(int(fields["retry_attempts"]), int(fields["retry_gap_days"]))
    scripts = {k: v.strip() for k, v in (fields.get("scripts") or {}).items() if v.strip()}
    return {**fields, "name": str(fields["name"]).strip(), "window_days": days, "scripts": scripts}


def new_campaign(
    session: Session,
    firm_id: int,
    *,
    name: str,
    kind: str,
    scripts: dict[str, str] | None = None,
    window_days: list[int] | None = None,
    window_start: str = "09:30",
    window_end: str = "13:30",
    retry_attempts: int = 3,
    retry_gap_days: int = 2,
    assistants: list[int] | None = None,
    created_by: int | None = None,
) -> Campaign:
    """A new active campaign, its window and retry rule checked by the study's rules."""
    fields = _checked({
        "name": name, "kind": kind, "scripts": scripts or {},
        "window_days": [0, 1, 2, 3, 4] if window_days is None else window_days,
        "window_start": window_start, "window_end": window_end,
        "retry_attempts": retry_attempts, "retry_gap_days": retry_gap_days,
    })  # fmt: skip
    return db.create_campaign(
        session, firm_id, assistants=assistants or [], status="active", created_by=created_by,
        **fields,
    )  # fmt: skip


_EDITABLE: Final = ("name", "scripts", "window_days", "window_start", "window_end",
                    "retry_attempts", "retry_gap_days", "status")  # fmt: skip


def update_campaign(
    session: Session, campaign: Campaign, assistants: list[int] | None = None, **changes: Any
) -> Campaign:
    """Change a campaign's name, scripts, window, retry rule, status or assistants (checked)."""
    current = {k: getattr(campaign, k) for k in _EDITABLE} | {"kind": campaign.kind}
    fields = _checked(current | {k: v for k, v in changes.items() if k in _EDITABLE})
    for key in _EDITABLE:
        setattr(campaign, key, fields[key])
    if assistants is not None:
        db.set_assistants(campaign, assistants)
    session.flush()
    return campaign


def campaign_rules(campaign: Campaign) -> Rules:
    """The stored campaign as the state machine takes it."""
    return Rules(
        id=str(campaign.id),
        name=campaign.name,
        kind=campaign.kind,
        window=CallWindow(
            tuple(campaign.window_days), _time(campaign.window_start), _time(campaign.window_end)
        ),
        retry=RetryRule(campaign.retry_attempts, campaign.retry_gap_days),
        assistants=tuple(str(a.user_id) for a in campaign.assistants),
        scripts=dict(campaign.scripts or {}),
        meeting_minutes=campaign.meeting_minutes,
    )


def enroll_prospects(session: Session, campaign: Campaign, codes: list[str]) -> Enrollment:
    """Enrol the firm's prospects ``codes`` in ``campaign``; refused ones are not added.

    Won prospects and prospects already in the campaign are skipped.

    Raises
    ------
    InputError
        Naming an unknown code, or when the campaign is closed.
    """
    if campaign.status == "closed":
        raise InputError(N_("The campaign «{value}» is closed."), value=campaign.name)
    found = db.prospects_by_code(session, campaign.firm_id, codes)
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise InputError(N_("Unknown prospect «{value}»."), value=unknown[0])
    present = {m.prospect_id for m in db.members(session, campaign)}
    candidates = [p for p in found.values() if p.id not in present and p.status != "won"]
    enrollment = enroll([campaign_prospect(session, p) for p in candidates])
    for accepted in enrollment.accepted:
        db.add_member(session, campaign, found[accepted.id])
    return enrollment


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.astimezone(CALL_TZ)


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.astimezone(dt.UTC)


def _as_call(code: str, row: CampaignCall) -> Call:
    return Call(
        prospect_id=code,
        at=row.at.astimezone(CALL_TZ),
        result=row.result,  # type: ignore[arg-type]
        outcome=row.outcome,  # type: ignore[arg-type]
        assistant=str(row.user_id) if row.user_id is not None else None,
        callback_at=_local(row.callback_at),
        meeting_at=_local(row.meeting_at),
        note=row.note,
    )


def member_state(session: Session, rules: Rules, member: CampaignMember) -> ProspectState:
    """The member's state: its calls replayed, then its moves after the meeting."""
    code = member.prospect.code
    state = ProspectState(code)
    for row in db.member_calls(session, member):
        state = apply_call(rules, state, _as_call(code, row))
    for stage, reason in member.moves or []:
        state = advance(state, stage, reason)  # type: ignore[arg-type]
    return state


@dataclass(frozen=True)
class CallLogged:
    """What logging a call did: the prospect's new state and the meeting it booked, if any."""

    state: ProspectState
    meeting: AgendaItem | None
    call_id: int


def log_call(
    session: Session, campaign: Campaign, member: CampaignMember, call: Call, *, user_id: int | None
) -> CallLogged:
    """Check ``call`` against the state machine, save it and update the member and prospect.

    "Not interested" marks the prospect so that no campaign enrols it again; a
    prospect put on the do-not-call list since it was enrolled is not called.
    A booked meeting becomes a scheduled item of the firm's agenda
    (:func:`cartera.store.followup.add_scheduled_item`) and an ``.ics``
    (:func:`cartera.study.meetings.to_ics` of the returned item).

    Raises
    ------
    InputError
        When the campaign is not active, the prospect is on the do-not-call list,
        or the call breaks the state machine (a closed prospect, out of order…).
    """
    if campaign.status != "active":
        raise InputError(N_("The campaign «{value}» is not active."), value=campaign.name)
    prospect = member.prospect
    if prospect.do_not_call or _listed(session, prospect):
        raise InputError(N_("«{value}» is on the do-not-call list: it is not to be called."),
                         value=prospect.name)  # fmt: skip
    rules = campaign_rules(campaign)
    state = apply_call(rules, member_state(session, rules, member), call)
    row = db.add_call(
        session, member, call.at.astimezone(dt.UTC), result=call.result, outcome=call.outcome,
        callback_at=_utc(call.callback_at), meeting_at=_utc(call.meeting_at), note=call.note,
        user_id=user_id,
    )  # fmt: skip
    member.stage = state.stage
    member.next_call = _utc(state.next_call)
    if call.outcome == "not_interested":
        prospect.status = "not_interested"
    meeting = None
    if call.outcome == "meeting_booked":
        meeting = meeting_item(rules, campaign_prospect(session, prospect), call)
        item = _schedule(session, campaign, prospect, meeting, user_id)
        row.scheduled_item_id = item.id
        meeting = replace(meeting, uid=item.calendar_uid)
    session.flush()
    return CallLogged(state, meeting, row.id)


def _schedule(
    session: Session,
    campaign: Campaign,
    prospect: Prospect,
    meeting: AgendaItem,
    user_id: int | None,
) -> ScheduledItem:
    return add_scheduled_item(
        session, campaign.firm_id,
        subject_kind="prospect", subject_id=prospect.code, subject_name=prospect.name,
        due=meeting.start.date(), at=meeting.start.astimezone(dt.UTC), kind="meeting",
        summary=meeting.title[:500], owner_user_id=user_id, source=f"campaign:{campaign.id}",
    )  # fmt: skip


def meeting_of(session: Session, campaign: Campaign, call_id: int) -> AgendaItem | None:
    """The meeting a stored call booked (None: no such call, or it booked none).

    Its UID is the agenda entry's calendar UID, so the invitation and the
    agenda's calendar feed name the same event.
    """
    row = db.find_call(session, campaign, call_id)
    if row is None or row.outcome != "meeting_booked":
        return None
    member = db.member_of_call(session, row)
    rules = campaign_rules(campaign)
    meeting = meeting_item(rules, campaign_prospect(session, member.prospect),
                           _as_call(member.prospect.code, row))  # fmt: skip
    item = session.get(ScheduledItem, row.scheduled_item_id) if row.scheduled_item_id else None
    return replace(meeting, uid=item.calendar_uid) if item is not None else meeting


def meeting_ics(meeting: AgendaItem) -> bytes:
    """The ``.ics`` invitation of ``meeting`` (RFC 5545)."""
    return to_ics([meeting], dt.datetime.now(dt.UTC))


def advance_member(
    session: Session,
    campaign: Campaign,
    member: CampaignMember,
    stage: str,
    reason: str | None = None,
    *,
    client_id: str | None = None,
    today: dt.date | None = None,
) -> ProspectState:
    """Meeting → proposal → won (or lost): checked by the state machine and saved.

    A won prospect becomes a client of the firm: its ``client_id`` (given, else
    its tax id, else its code) and its origin (campaign, kind, source, date)
    are kept on the prospect.
    """
    rules = campaign_rules(campaign)
    state = advance(member_state(session, rules, member), stage, reason)  # type: ignore[arg-type]
    member.moves = [*(member.moves or []), [stage, reason]]
    member.stage = state.stage
    prospect = member.prospect
    if stage == "won":
        cid = (client_id or "").strip() or prospect.tax_id or prospect.code
        won = won_client(campaign_prospect(session, prospect), rules, cid, today or dt.date.today())
        db.mark_won(prospect, cid, won["origin"])
    session.flush()
    return state


def campaign_funnel(
    session: Session,
    firm_id: int,
    by: tuple[str, ...] = ("campaign", "kind"),
    campaign_id: int | None = None,
) -> pl.DataFrame:
    """The funnel (:func:`cartera.study.funnel.funnel`) of the firm's campaigns (or one)."""
    pairs = []
    for campaign in db.firm_campaigns(session, firm_id):
        if campaign_id is not None and campaign.id != campaign_id:
            continue
        rules = campaign_rules(campaign)
        for member in db.members(session, campaign):
            pairs.append((rules, member_state(session, rules, member)))
    return funnel(pairs, by)
