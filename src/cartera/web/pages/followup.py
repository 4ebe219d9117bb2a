"""The follow-up pages' data: the agenda, a client's follow-up, the survey page.

One data function per page (plain values for the template and its JSON);
the store and the assistant are reached through :mod:`cartera.web.followup`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from cartera.assistant import AgendaItem, build_agenda
from cartera.assistant.texts import (
    agenda_rows,
    channel_label,
    churn_signal_text,
    kind_label,
    label,
)
from cartera.cli.agenda_cmd import parse_week
from cartera.i18n import _, fmt_date, fmt_money, fmt_number
from cartera.store import followup as F
from cartera.store.models import Interaction, User
from cartera.web import followup as W
from cartera.web.deps import FirmContext

__all__ = [
    "agenda_data",
    "client_followup",
    "export_agenda",
    "find_item",
    "member_label",
]


def member_label(user: User) -> str:
    """How the agenda names a member (as its owner): the name, else the e-mail."""
    return user.name or user.email


def agenda_data(
    session: Session,
    ctx: FirmContext,
    fp: W.FirmPlan,
    week: str | None,
    owner: str | None,
    *,
    page: int = 1,
    per_page: int | None = None,
) -> dict[str, Any]:
    """The agenda page: booked items, then the ranked ones, with who can take them.

    With ``per_page`` only that page of the ranked items is described (``total`` counts
    them all); the export and the API take every item.
    """
    start, end = parse_week(week, fp.as_of)
    items = W.agenda_items(session, ctx.firm.id, fp, until=end, owner=owner)
    booked = W.scheduled_rows(session, ctx.firm.id, until=end, today=fp.as_of, owner=owner)
    total, stake = len(items), sum(i.stake for i in items)
    pages = max(1, -(-total // per_page)) if per_page else 1
    if per_page:
        items = items[(page - 1) * per_page : page * per_page]
    rows = agenda_rows(items, fp.as_of, fp.currency)
    for row in [*booked, *rows]:
        row["due_text"] = fmt_date(dt.date.fromisoformat(row["due"]))
        row["stake_text"] = fmt_money(row["stake"], fp.currency, digits=0) if row["stake"] else ""
        scheduled = row["rule"] == "scheduled"  # a booked item's channel is its kind
        row["channel_text"] = (kind_label if scheduled else channel_label)(row["channel"])
    members = [(u.id, member_label(u)) for u, _role in F.firm_users(session, ctx.firm.id)]
    return {
        "as_of": fp.as_of.isoformat(),
        "week_start": start.isoformat(),
        "week_end": end.isoformat(),
        "week_text": (fmt_date(start), fmt_date(end)),
        "week": week or "",
        "owner": owner or "",
        "me": member_label(ctx.user),
        "booked": booked,
        "items": rows,
        "total": total + len(booked),
        "total_stake": fmt_money(stake, fp.currency, digits=0),
        "page": page,
        "pages": pages,
        "_members": members,
        "_kinds": [(k, kind_label(k)) for k in ("call", "meeting", "visit", "email", "letter")],
    }


def export_agenda(rows: Sequence[dict[str, Any]], fmt: str) -> bytes:
    """The agenda rows as CSV or XLSX (the columns of ``cartera agenda --format csv``)."""
    import io

    from cartera.assistant.texts import ROW_COLUMNS

    frame = pl.DataFrame(
        [{c: r[c] for c in ROW_COLUMNS} for r in rows],
        schema={c: (pl.Float64 if c == "stake" else pl.Int64 if c == "days_overdue"
                    else pl.String) for c in ROW_COLUMNS},
    )  # fmt: skip
    if fmt == "csv":
        return frame.write_csv().encode("utf-8")
    buffer = io.BytesIO()
    frame.write_excel(buffer, worksheet="Agenda", autofit=True)
    return buffer.getvalue()


def find_item(fp: W.FirmPlan, session: Session, firm_id: int, key: str) -> AgendaItem | None:
    """The agenda item ``client_id:rule`` as the agenda shows it now (None: not due any more)."""
    client_id, _sep, rule = key.rpartition(":")
    due = fp.due.filter((pl.col("client_id") == client_id) & (pl.col("rule") == rule))
    if due.height == 0:
        return None
    found = build_agenda(
        due, until=dt.date.max, owners=W.owners_from_log(fp.log),
        default_owner=fp.settings.default_owner, states=W.item_states(session, firm_id),
    )  # fmt: skip
    return found[0] if found else None


def _field_label(name: str) -> str:
    """An interaction field as the page names it."""
    labels = {
        "happened_on": _("Date"), "kind": _("Kind"), "channel": _("Channel"),
        "outcome": _("Outcome"), "note": _("Note"), "next_step": _("Next step"),
        "next_step_on": _("Due"), "rule": _("To do"),
    }  # fmt: skip
    return labels.get(name, name)


def _interaction(session: Session, row: Interaction) -> dict[str, Any]:
    who = session.get(User, row.user_id) if row.user_id else None
    history = []
    for rev in F.interaction_history(session, row.id):
        by = session.get(User, rev.user_id) if rev.user_id else None
        history.append({
            "when": rev.changed_at.isoformat(timespec="minutes"),
            "who": member_label(by) if by else "",
            "changes": {k: v for k, v in rev.changes.items()},
            "changes_text": [f"{_field_label(k)}: «{v[0] or ''}» → «{v[1] or ''}»"
                             for k, v in rev.changes.items()],
        })  # fmt: skip
    return {
        "id": row.id,
        "when": row.happened_on.isoformat(),
        "when_text": fmt_date(row.happened_on),
        "kind": row.kind,
        "kind_text": kind_label(row.kind),
        "channel": row.channel,
        "outcome": row.outcome or "",
        "note": row.note or "",
        "next_step": row.next_step or "",
        "rule": row.rule or "",
        "who": member_label(who) if who else (row.who_name or ""),
        "source": row.source,
        "history": history,
    }


def client_followup(
    session: Session,
    ctx: FirmContext,
    fp: W.FirmPlan,
    client_id: str,
    assessed: W.Assessed,
) -> dict[str, Any]:
    """A client's follow-up: interactions with history, next contact, churn risk, health
    (with what the interactions of the last :data:`~cartera.web.followup.RECENT_DAYS`
    days moved)."""
    churn, health = assessed.churn, assessed.health
    moved = assessed.moved.filter(pl.col("client_id") == client_id).to_dicts()
    items = build_agenda(
        fp.due.filter(pl.col("client_id") == client_id), until=dt.date.max,
        owners=W.owners_from_log(fp.log), default_owner=fp.settings.default_owner,
        states=W.item_states(session, ctx.firm.id),
    )  # fmt: skip
    upcoming = sorted(items, key=lambda i: i.due)
    booked = F.scheduled_items(session, ctx.firm.id, subject_id=client_id)
    dates = [i.due for i in upcoming] + [b.due for b in booked]
    next_contact = min(dates) if dates else None
    risk_rows = churn.filter(pl.col("client_id") == client_id).to_dicts()
    health_rows = health.filter(pl.col("client_id") == client_id).to_dicts()
    risk = risk_rows[0] if risk_rows else None
    score = health_rows[0] if health_rows else None
    return {
        "recent_days": W.RECENT_DAYS,
        "next_contact": next_contact.isoformat() if next_contact else None,
        "next_contact_text": fmt_date(next_contact) if next_contact else "",
        "due_items": agenda_rows(upcoming, fp.as_of, fp.currency),
        "churn": None if risk is None else {
            "status": risk["status"], "status_text": label(risk["status"]),
            "risk": risk["risk"], "risk_text": label(risk["risk"]),
            "signals": [churn_signal_text(s["code"], s["value"], s["threshold"])
                        for s in risk["signals"] or []],
        },
        "health": None if score is None else {
            "score": score["score"], "score_text": fmt_number(score["score"], 0),
            "band": score["band"], "band_text": label(score["band"]),
            "parts": [
                {"part": c["part"], "label": label(c["part"]), "value": c["value"],
                 "weight": c["weight"], "points": c["points"],
                 "points_text": fmt_number(c["points"], 1),
                 "max_text": fmt_number(c["weight"] * 100, 0)}
                for c in score["contributions"]
            ],
            "moved": [
                {"part": m["part"], "label": label(m["part"]), "change": m["change"],
                 "change_text": ("+" if m["change"] > 0 else "") + fmt_number(m["change"], 1)}
                for m in moved
            ],
        },
        "interactions": [
            _interaction(session, r) for r in F.client_interactions(session, ctx.firm.id, client_id)
        ],
    }  # fmt: skip
