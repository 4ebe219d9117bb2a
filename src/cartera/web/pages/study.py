"""Data of the study pages: profile and gaps, prospects, call list, campaigns, funnel.

One function per page returning plain values (``render.respond`` answers the
page, the fragment or JSON from them). The rules are :mod:`cartera.study`'s;
stored rows come through :mod:`cartera.web.campaigns`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any, Final

import polars as pl
from fastapi import UploadFile
from sqlalchemy.orm import Session

from cartera.errors import InputError
from cartera.i18n import N_, _, fmt_date, fmt_money, fmt_number, fmt_pct, get_language
from cartera.store import study as db
from cartera.store.models.study import Campaign, CampaignMember, Prospect
from cartera.study.attributes import client_attributes
from cartera.study.campaign import OUTCOMES, RESULTS, STAGE_NAMES, due
from cartera.study.fit import TARGET_KINDS
from cartera.study.funnel import FUNNEL_STEPS
from cartera.study.profile import ProfileSettings, profile
from cartera.study.ranking import Ranking, rank_prospects
from cartera.study.scripts import script
from cartera.study.texts import (
    METHOD_NAMES,
    SEGMENT_CLIENTS,
    gap_sentence,
    kind_name,
    rule_sentence,
)
from cartera.web import campaigns as glue
from cartera.web.analyses import FirmAnalysis
from cartera.web.pages.imports import safe_name

__all__ = [
    "GAP_NAMES",
    "OUTCOME_NAMES",
    "REFUSAL_NAMES",
    "RESULT_NAMES",
    "assignable",
    "call_list_rows",
    "call_row",
    "call_screen_data",
    "campaign_data",
    "campaigns_data",
    "firm_clients",
    "funnel_data",
    "open_prospects",
    "prospect_data",
    "prospects_data",
    "ranking",
    "read_upload",
    "study_data",
]

RESULT_NAMES: Final = {
    "no_answer": N_("no answer"),
    "voicemail": N_("voicemail"),
    "busy": N_("busy"),
    "wrong_number": N_("wrong number"),
    "reached": N_("answered"),
}
OUTCOME_NAMES: Final = {
    "meeting_booked": N_("meeting booked"),
    "call_back": N_("call back"),
    "not_interested": N_("not interested"),
    "not_a_fit": N_("not a fit"),
}
REFUSAL_NAMES: Final = {
    "do_not_call": N_("on the do-not-call list"),
    "not_interested": N_("said it was not interested"),
    "no_consent": N_("no consent recorded"),
    "no_source": N_("no source recorded"),
    "no_phone": N_("no phone"),
}
GAP_NAMES: Final = {
    "cover_fixed_costs": N_("fixed-cost coverage"),
    "seek_margin_clients": N_("margin clients"),
    "seek_image_clients": N_("image clients"),
}
STATUS_NAMES: Final = {"open": N_("open"), "not_interested": N_("not interested"),
                       "won": N_("won")}  # fmt: skip
CAMPAIGN_STATUS_NAMES: Final = {"active": N_("active"), "paused": N_("paused"),
                                "closed": N_("closed")}  # fmt: skip
_EMPTY_CLIENTS: Final = {"client_id": pl.String, "name": pl.String, "tax_id": pl.String}


def firm_clients(fa: FirmAnalysis | None) -> pl.DataFrame:
    """The canonical clients table of the analysed import (empty without an import)."""
    if fa is None:
        return pl.DataFrame(schema=_EMPTY_CLIENTS)
    from cartera.io import Workspace

    return fa.remember(("study", "clients"), lambda: Workspace.open(fa.workspace).read("clients"))


def read_upload(upload: UploadFile, reader: Any, limit: int) -> Any:
    """Save ``upload`` in a temporary folder and read it with ``reader(path)``."""
    with tempfile.TemporaryDirectory(prefix="cartera-upload-") as folder:
        path = Path(folder) / safe_name(upload.filename or "file.csv")
        size = 0
        with path.open("wb") as out:
            while chunk := upload.file.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise InputError(N_("{file} is larger than the upload limit."), file=path.name)
                out.write(chunk)
        return reader(path)


# --- study -------------------------------------------------------------------------------------


def study_data(fa: FirmAnalysis, session: Session, firm_id: int) -> dict[str, Any]:
    """The profile of each segment in words, the portfolio's gaps and the fit models."""
    clients = firm_clients(fa)
    result = profile(client_attributes(fa.analysis.clients_frame, clients), ProfileSettings())
    segments = [
        {
            "segment": seg.segment,
            "title": _(SEGMENT_CLIENTS.get(seg.segment, seg.segment)),
            "clients": seg.clients,
            "rules": [rule_sentence(r) for r in seg.rules],
        }
        for seg in result.segments
        if seg.clients
    ]
    ranked = ranking(fa, session, firm_id)
    models = [
        {
            "kind": m.kind,
            "kind_name": kind_name(m.kind),
            "method": _(METHOD_NAMES[m.method]),
            "auc": None if m.auc.get(m.method) is None else fmt_number(m.auc[m.method] or 0, 2),
            "clients": m.positives,
        }
        for m in ranked.models
    ]
    return {
        "profile": result.to_dict(),
        "segments": segments,
        "gaps": [{**g.to_dict(), "text": gap_sentence(g)} for g in ranked.gaps],
        "models": models,
    }


def open_prospects(session: Session, firm_id: int) -> pl.DataFrame:
    """The firm's prospects that may still be offered (not won, not "not interested")."""
    book = glue.prospect_book(session, firm_id)
    closed = {p.code for p in db.prospects_of(session, firm_id) if p.status != "open"}
    return book.filter(~pl.col("id").is_in(list(closed))) if closed else book


def ranking(fa: FirmAnalysis, session: Session, firm_id: int) -> Ranking:
    """The call list of the firm's open prospects (kept per analysis, book and language)."""
    book = open_prospects(session, firm_id)
    dnc = glue.do_not_call_frame(session, firm_id)
    digest = hashlib.sha256(book.write_csv().encode() + dnc.write_csv().encode()).hexdigest()

    def compute() -> Ranking:
        return rank_prospects(fa.analysis.clients_frame, fa.analysis.portfolio, firm_clients(fa),
                              book, fa.settings, dnc)  # fmt: skip

    return fa.remember((f"ranking-{get_language()}", digest), compute)


def _money(value: float | None, fa: FirmAnalysis) -> str:
    return "" if value is None else fmt_money(value, fa.settings.currency, digits=0)


def call_list_rows(fa: FirmAnalysis, ranked: Ranking, kind: str = "") -> list[dict[str, Any]]:
    """The call list as table rows (best first; ``kind`` keeps one target kind)."""
    frame = ranked.prospects
    if kind:
        frame = frame.filter(pl.col("kind") == kind)
    return [
        {
            "rank": r["rank"],
            "code": r["id"],
            "name": r["name"] or r["tax_id"] or r["id"],
            "kind": r["kind"],
            "kind_name": kind_name(r["kind"]),
            "fit": fmt_pct(r["probability"], 0),
            "probability": r["probability"],
            "priority": r["priority"],
            "gap": r["gap"],
            "gap_name": _(GAP_NAMES[r["gap"]]) if r["gap"] in GAP_NAMES else "–",
            "expected_margin": _money(r["expected_margin"], fa),
            "closes": "" if r["closes"] is None else fmt_pct(r["closes"], 0),
            "why": r["why"],
            "callable": bool(r["callable"]),
            "refused": "" if r["refused"] is None else _(REFUSAL_NAMES[r["refused"]]),
        }
        for r in frame.iter_rows(named=True)
    ]


# --- prospects ---------------------------------------------------------------------------------


def _prospect_row(p: Prospect) -> dict[str, Any]:
    return {
        "code": p.code, "name": p.name, "tax_id": p.tax_id, "sector": p.sector,
        "region": p.region, "size": p.size, "contact": p.contact, "phone": p.phone,
        "email": p.email, "source": p.source, "consent": p.consent, "do_not_call": p.do_not_call,
        "status": p.status, "status_name": _(STATUS_NAMES[p.status]), "origin": p.origin,
        "client_id": p.client_id, "won_origin": p.won_origin,
    }  # fmt: skip


def prospects_data(
    session: Session, firm_id: int, q: str, page: int, per_page: int = 50
) -> dict[str, Any]:
    rows, total = db.search_prospects(session, firm_id, q, limit=per_page,
                                      offset=(page - 1) * per_page)  # fmt: skip
    return {
        "q": q,
        "page": page,
        "pages": max(1, -(-total // per_page)),
        "total": total,
        "prospects": [_prospect_row(p) for p in rows],
        "do_not_call": len(db.do_not_call_entries(session, firm_id)),
    }


def prospect_data(
    fa: FirmAnalysis | None, session: Session, firm_id: int, prospect: Prospect
) -> dict[str, Any]:
    """One prospect: its data, consent and source, fit, and its campaigns and calls."""
    fit = None
    if fa is not None and prospect.status == "open":
        found = [r for r in call_list_rows(fa, ranking(fa, session, firm_id))
                 if r["code"] == prospect.code]  # fmt: skip
        fit = found[0] if found else None
    history = []
    for campaign in db.firm_campaigns(session, firm_id):
        member = db.find_member(session, campaign, prospect.code)
        if member is None:
            continue
        history.append({
            "campaign": campaign.id, "name": campaign.name,
            "stage": _(STAGE_NAMES[member.stage]),
            "calls": [call_row(c) for c in db.member_calls(session, member)],
        })  # fmt: skip
    return {"prospect": _prospect_row(prospect), "fit": fit, "campaigns": history}


def _when(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(glue.CALL_TZ)
    return f"{fmt_date(local.date())} {local:%H:%M}"


def call_row(c: Any) -> dict[str, Any]:
    return {
        "id": c.id, "at": c.at.isoformat(), "when": _when(c.at), "result": c.result,
        "result_name": _(RESULT_NAMES[c.result]), "outcome": c.outcome,
        "outcome_name": _(OUTCOME_NAMES[c.outcome]) if c.outcome else "",
        "callback": _when(c.callback_at), "meeting": _when(c.meeting_at), "note": c.note,
        "user_id": c.user_id,
    }  # fmt: skip


# --- campaigns ---------------------------------------------------------------------------------


def _campaign_row(c: Campaign) -> dict[str, Any]:
    return {
        "id": c.id, "name": c.name, "kind": c.kind, "kind_name": kind_name(c.kind),
        "status": c.status, "status_name": _(CAMPAIGN_STATUS_NAMES[c.status]),
        "scripts": dict(c.scripts or {}), "window_days": list(c.window_days),
        "window_start": c.window_start, "window_end": c.window_end,
        "retry_attempts": c.retry_attempts, "retry_gap_days": c.retry_gap_days,
        "assistants": [a.user_id for a in c.assistants],
    }  # fmt: skip


def campaigns_data(session: Session, firm_id: int) -> dict[str, Any]:
    rows = []
    for c in db.firm_campaigns(session, firm_id):
        rows.append({**_campaign_row(c), "members": len(db.members(session, c))})
    return {"campaigns": rows, "kinds": [(k, kind_name(k)) for k in TARGET_KINDS]}


def _member_row(session: Session, rules: Any, m: CampaignMember) -> dict[str, Any]:
    state = glue.member_state(session, rules, m)
    return {
        "code": m.prospect.code, "name": m.prospect.name, "phone": m.prospect.phone,
        "stage": state.stage, "stage_name": _(STAGE_NAMES[state.stage]), "calls": state.calls,
        "next_call": _when(state.next_call), "meeting": _when(state.meeting_at),
    }  # fmt: skip


def campaign_data(session: Session, campaign: Campaign, firm_name: str) -> dict[str, Any]:
    """A campaign: its settings, members with their stage, funnel and default scripts."""
    rules = glue.campaign_rules(campaign)
    members = [_member_row(session, rules, m) for m in db.members(session, campaign)]
    funnel = glue.campaign_funnel(session, campaign.firm_id, campaign_id=campaign.id)
    defaults = {
        lang: script(replace(rules, scripts={}), lang, firm=firm_name,
                     prospect="{prospect}", assistant="{assistant}", contact="{contact}")
        for lang in ("es", "en")
    }  # fmt: skip
    return {
        "campaign": _campaign_row(campaign),
        "members": members,
        "funnel": _funnel_rows(funnel),
        "default_scripts": defaults,
        "users": assignable(session, campaign.firm_id),
    }


def assignable(session: Session, firm_id: int) -> list[dict[str, Any]]:
    """The firm's members who may call (every role but viewer), for the assistants' choice."""
    from cartera.store.followup import firm_users

    return [{"id": u.id, "email": u.email, "name": u.name or u.email, "role": role}
            for u, role in firm_users(session, firm_id) if role != "viewer"]  # fmt: skip


def call_screen_data(
    session: Session,
    campaign: Campaign,
    firm_name: str,
    assistant: str,
    code: str | None,
    now: dt.datetime,
) -> dict[str, Any]:
    """The call screen: the prospect to call (asked, else the first due), its script and calls."""
    rules = glue.campaign_rules(campaign)
    members = db.members(session, campaign)
    states = {m.prospect.code: glue.member_state(session, rules, m) for m in members}
    if code is None:
        ready = due(list(states.values()), now.astimezone(glue.CALL_TZ))
        code = ready[0].prospect_id if ready else None
    member = next((m for m in members if m.prospect.code == code), None)
    data: dict[str, Any] = {
        "campaign": _campaign_row(campaign),
        "prospect": None,
        "results": [(r, _(RESULT_NAMES[r])) for r in RESULTS],
        "outcomes": [(o, _(OUTCOME_NAMES[o])) for o in OUTCOMES],
        "due": sum(1 for s in due(list(states.values()), now.astimezone(glue.CALL_TZ))),
    }
    if member is None:
        return data
    p = member.prospect
    state = states[p.code]
    lang = get_language()
    data.update(
        prospect=_prospect_row(p),
        stage=state.stage,
        stage_name=_(STAGE_NAMES[state.stage]),
        closed=state.stage in ("meeting", "proposal", "won", "lost"),
        script=script(
            rules, lang, firm=firm_name, prospect=p.name, assistant=assistant, contact=p.contact
        ),
        calls=[call_row(c) for c in db.member_calls(session, member)],
    )
    return data


# --- funnel ------------------------------------------------------------------------------------


def _funnel_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    out = []
    for r in frame.iter_rows(named=True):
        row = {k: r[k] for k in FUNNEL_STEPS}
        rates = {k: ("–" if r[k] is None else fmt_pct(r[k], 0))
                 for k in ("reached_rate", "meeting_rate", "proposal_rate", "won_rate",
                           "client_rate")}  # fmt: skip
        out.append({**{k: r.get(k) for k in ("campaign", "kind")}, **row, "rates": rates,
                    "kind_name": kind_name(r["kind"]) if r.get("kind") else ""})  # fmt: skip
    return out


def funnel_data(session: Session, firm_id: int) -> dict[str, Any]:
    names = {str(c.id): c.name for c in db.firm_campaigns(session, firm_id)}
    by_campaign = _funnel_rows(glue.campaign_funnel(session, firm_id))
    for row in by_campaign:
        row["name"] = names.get(str(row["campaign"]), "")
    return {
        "by_campaign": by_campaign,
        "by_kind": _funnel_rows(glue.campaign_funnel(session, firm_id, by=("kind",))),
        "steps": list(FUNNEL_STEPS),
    }
