"""The follow-up pages: agenda (done, snooze, reassign, export, .ics), a client's
interactions and surveys, the calendar feed, and the public survey page.

Reading is for every member; changing (log, edit, done, snooze, reassign, send a
survey) needs the ``follow_up`` permission (owner, analyst, assistant). The survey
page and the calendar feed are public: the secret token in their URL is the key.
"""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from dataclasses import replace
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from cartera.assistant import done as item_done
from cartera.assistant import surveys
from cartera.assistant.interactions import KINDS
from cartera.assistant.reminders import feed, item_calendar
from cartera.assistant.texts import rule_label, why
from cartera.errors import SettingsError
from cartera.i18n import N_, _, language
from cartera.store import followup as F
from cartera.store import people
from cartera.store.base import utcnow
from cartera.store.models import Firm, ScheduledItem, User
from cartera.web import followup as W
from cartera.web.deps import FirmContext, app_state, db, require, same_origin
from cartera.web.firmdata import current_analysis
from cartera.web.pages.followup import agenda_data, export_agenda, find_item, member_label
from cartera.web.render import page, respond
from cartera.web.state import AppState

__all__ = ["firm_plan_or_404", "known_client", "log_done", "router"]

router = APIRouter()
State = Annotated[AppState, Depends(app_state)]
Db = Annotated[Session, Depends(db)]
Reader = Annotated[FirmContext, Depends(require("read"))]
Writer = Annotated[FirmContext, Depends(require("follow_up"))]
Kind = Literal["call", "email", "meeting", "visit", "note", "support", "letter"]
Text = Annotated[str, Form(max_length=2000)]
Key = Annotated[str, Form(min_length=3, max_length=250)]


def firm_plan_or_404(state: AppState, session: Session, ctx: FirmContext) -> W.FirmPlan:
    """The firm's agenda inputs from its current analysis; 404 when it has no import."""
    fa = current_analysis(state, session, ctx)
    if fa is None:
        raise HTTPException(404, "No import yet")
    from cartera.io.workspace import Workspace

    settings = W.assistant_settings(session, ctx.firm.id)
    # An analysis never changes, nor its documents: read them once per analysis.
    documents = fa.remember(
        ("documents", ""), lambda: Workspace.open(fa.workspace).read("documents")
    )
    # The interaction log only changes when an interaction is logged, imported or edited:
    # read it again only then (its version is one aggregate query; the log, 100,000 rows).
    version = F.log_version(session, ctx.firm.id)
    log = fa.latest(
        ("interactions", str(ctx.firm.id)), version, lambda: W.interaction_log(session, ctx.firm.id)
    )
    # The due contacts change with the log and the settings only: computed once for each.
    key = f"{version}|{settings.model_dump_json()}"

    def compute() -> W.FirmPlan:
        with state.heavy:
            found = W.firm_plan(
                session, ctx.firm.id, fa.analysis, fa.workspace, settings, documents, log
            )
        return replace(found, version=key)

    return fa.latest(("plan", str(ctx.firm.id)), key, compute)


def _back(ctx: FirmContext, where: str = "agenda") -> RedirectResponse:
    return RedirectResponse(f"/f/{ctx.firm.slug}/{where}", status_code=303)


@router.get("/f/{firm}/agenda")
def agenda(
    request: Request,
    state: State,
    session: Db,
    ctx: Reader,
    week: Annotated[str, Query(max_length=20)] = "",
    owner: Annotated[str, Query(max_length=320)] = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=10, le=500)] = 50,
) -> Response:
    fp = firm_plan_or_404(state, session, ctx)
    data = agenda_data(session, ctx, fp, week or None, owner or None, page=page,
                       per_page=per_page)  # fmt: skip
    return respond(request, state, "agenda.html", data, ctx=ctx)


@router.get("/f/{firm}/agenda/export")
def export(
    state: State,
    session: Db,
    ctx: Reader,
    format: Literal["csv", "xlsx"] = "csv",
    week: Annotated[str, Query(max_length=20)] = "",
    owner: Annotated[str, Query(max_length=320)] = "",
) -> Response:
    fp = firm_plan_or_404(state, session, ctx)
    data = agenda_data(session, ctx, fp, week or None, owner or None)
    body = export_agenda([*data["booked"], *data["items"]], format)
    media = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[format]
    name = f"{ctx.firm.slug}-agenda.{format}"
    return Response(body, media_type=media,
                    headers={"content-disposition": f'attachment; filename="{name}"'})  # fmt: skip


def log_done(
    session: Session,
    ctx: FirmContext,
    fp: W.FirmPlan,
    key: str,
    *,
    kind: str,
    outcome: str,
    note: str,
    next_step: str,
) -> None:
    """Mark ``key`` done: the interaction logged for its rule (a scheduled item: closed too)."""
    today = dt.date.today()
    if key.startswith("scheduled:"):
        item = _scheduled(session, ctx, key)
        F.mark_done(session, ctx.firm.id, key, ctx.user.id)
        if item.subject_kind == "client":
            F.add_interaction(
                session, ctx.firm.id, client_id=item.subject_id, when=today, kind=kind,
                channel=W.CHANNELS.get(kind), outcome=outcome, note=note, next_step=next_step,
                user_id=ctx.user.id, source="agenda",
            )  # fmt: skip
        return
    found = find_item(fp, session, ctx.firm.id, key)
    if found is None:
        raise HTTPException(404, "This item is not on the agenda")
    entry = item_done(found, today, kind=kind, outcome=outcome or None, note=note or None,
                      next_step=next_step or None)  # fmt: skip
    F.add_interaction(
        session, ctx.firm.id, client_id=entry.client_id, when=entry.when, kind=entry.kind,
        channel=entry.channel, outcome=entry.outcome, note=entry.note,
        next_step=entry.next_step, rule=entry.rule, user_id=ctx.user.id, source="agenda",
    )  # fmt: skip


def _scheduled(session: Session, ctx: FirmContext, key: str) -> ScheduledItem:
    number = key.partition(":")[2]
    valid = number.isdigit() and len(number) <= 9  # an id, never past the INTEGER column
    item = session.get(ScheduledItem, int(number)) if valid else None
    if item is None or item.firm_id != ctx.firm.id:
        raise HTTPException(404, "Unknown item")
    return item


@router.post("/f/{firm}/agenda/done")
def done(
    state: State,
    session: Db,
    ctx: Writer,
    key: Key,
    kind: Annotated[Kind, Form()] = "call",
    outcome: Annotated[str, Form(max_length=200)] = "",
    note: Text = "",
    next_step: Text = "",
) -> Response:
    fp = firm_plan_or_404(state, session, ctx)
    log_done(session, ctx, fp, key, kind=kind, outcome=outcome, note=note, next_step=next_step)
    session.commit()
    return _back(ctx)


def _check_key(state: AppState, session: Session, ctx: FirmContext, key: str) -> None:
    if key.startswith("scheduled:"):
        _scheduled(session, ctx, key)
    elif find_item(firm_plan_or_404(state, session, ctx), session, ctx.firm.id, key) is None:
        raise HTTPException(404, "This item is not on the agenda")


@router.post("/f/{firm}/agenda/snooze")
def snooze(
    state: State,
    session: Db,
    ctx: Writer,
    key: Key,
    until: Annotated[dt.date, Form()],
) -> Response:
    if until <= dt.date.today():
        raise SettingsError(N_("A snooze must end after today ({today}), not on {until}."),
                            today=dt.date.today().isoformat(), until=until.isoformat())  # fmt: skip
    _check_key(state, session, ctx, key)
    if key.startswith("scheduled:"):
        item = _scheduled(session, ctx, key)
        changes: dict[str, object] = {"due": until}
        if item.at is not None:  # a timed meeting keeps its hour on the new day
            changes["at"] = dt.datetime.combine(until, item.at.timetz())
        F.update_scheduled_item(session, item, changes)
    else:
        F.snooze_item(session, ctx.firm.id, key, until, ctx.user.id)
    session.commit()
    return _back(ctx)


@router.post("/f/{firm}/agenda/reassign")
def reassign(
    state: State,
    session: Db,
    ctx: Writer,
    key: Key,
    owner_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
) -> Response:
    _check_key(state, session, ctx, key)
    if key.startswith("scheduled:"):
        if people.membership(session, owner_id, ctx.firm.id) is None:
            raise SettingsError(N_("The item can only go to a member of the firm."))
        F.update_scheduled_item(session, _scheduled(session, ctx, key), {"owner_user_id": owner_id})
    else:
        F.reassign_item(session, ctx.firm.id, key, owner_id, ctx.user.id)
    session.commit()
    return _back(ctx)


def _sequence(session: Session, firm_id: int, key: str) -> int:
    sent = [r for r in F.sent_ledger(session, firm_id) if r.item_key == key]
    return sent[-1].sequence if sent else 0


@router.get("/f/{firm}/agenda/item.ics")
def item_ics(
    state: State, session: Db, ctx: Reader, key: Annotated[str, Query(min_length=3, max_length=250)]
) -> Response:
    fp = firm_plan_or_404(state, session, ctx)
    if key.startswith("scheduled:"):
        body = W.scheduled_calendar([_scheduled(session, ctx, key)], utcnow(), "REQUEST")
    else:
        item = find_item(fp, session, ctx.firm.id, key)
        if item is None:
            raise HTTPException(404, "This item is not on the agenda")
        body = item_calendar(
            item, f"firm-{ctx.firm.id}", sequence=_sequence(session, ctx.firm.id, key),
            summary=f"{rule_label(item.rule)} — {item.name}",
            description=why(item, fp.as_of, fp.currency), stamp=utcnow(),
        )  # fmt: skip
    disposition = 'attachment; filename="cartera.ics"'
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"content-disposition": disposition})  # fmt: skip


@router.post("/f/{firm}/agenda/feed")
def new_feed(request: Request, state: State, session: Db, ctx: Reader) -> Response:
    raw = F.new_feed_token(session, ctx.firm.id, ctx.user.id)
    session.commit()
    url = str(request.url_for("calendar_feed", token=raw))
    return respond(request, state, "feed.html", {"feed_url": url}, ctx=ctx)


@router.get("/calendar/{token}", name="calendar_feed")
def calendar_feed(state: State, session: Db, token: str) -> Response:
    """The owner's agenda as a subscribable calendar; the secret token is the key."""
    row = F.feed_for_token(session, token)
    user = session.get(User, row.user_id) if row is not None else None
    firm = session.get(Firm, row.firm_id) if row is not None else None
    member = people.membership(session, row.user_id, row.firm_id) if row is not None else None
    if row is None or user is None or firm is None or member is None:
        raise HTTPException(404, "Unknown calendar")
    from cartera.web.deps import Auth

    ctx = FirmContext(firm, member.role, Auth(user, None))
    fp = firm_plan_or_404(state, session, ctx)
    label = member_label(user)
    horizon = fp.as_of + dt.timedelta(days=91)
    with language(user.language if user.language in ("es", "en") else "es"):
        items = W.agenda_items(session, firm.id, fp, until=horizon, owner=label)
        entries = [
            (i, f"{rule_label(i.rule)} — {i.name}", why(i, fp.as_of, fp.currency),
             _sequence(session, firm.id, i.key))
            for i in items
        ]  # fmt: skip
    booked = [
        s for s in F.scheduled_items(session, firm.id, until=horizon) if s.owner_user_id == user.id
    ]
    body = W.merge_calendars(feed(entries, f"firm-{firm.id}", utcnow()),
                             W.scheduled_calendar(booked, utcnow(), "PUBLISH"))  # fmt: skip
    return Response(body, media_type="text/calendar; charset=utf-8")


@router.post("/f/{firm}/clients/{client_id}/interactions")
def add_interaction(
    state: State,
    session: Db,
    ctx: Writer,
    client_id: str,
    kind: Annotated[Kind, Form()],
    when: Annotated[dt.date, Form()],
    outcome: Annotated[str, Form(max_length=200)] = "",
    note: Text = "",
    next_step: Text = "",
) -> Response:
    known_client(state, session, ctx, client_id)
    F.add_interaction(
        session, ctx.firm.id, client_id=client_id, when=when, kind=kind,
        channel=W.CHANNELS.get(kind), outcome=outcome, note=note, next_step=next_step,
        user_id=ctx.user.id, source="app",
    )  # fmt: skip
    session.commit()
    return _back(ctx, f"clients/{client_id}#interactions")


def known_client(state: AppState, session: Session, ctx: FirmContext, client_id: str) -> None:
    fa = current_analysis(state, session, ctx)
    if (
        fa is None
        or fa.analysis.clients_frame.filter(fa.analysis.clients_frame["id"] == client_id).is_empty()
    ):
        raise HTTPException(404, "Unknown client")


@router.post("/f/{firm}/clients/{client_id}/interactions/{interaction_id}")
def edit_interaction(
    session: Db,
    ctx: Writer,
    client_id: str,
    interaction_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    kind: Annotated[Literal[*KINDS], Form()],  # type: ignore[valid-type]
    when: Annotated[dt.date, Form()],
    outcome: Annotated[str, Form(max_length=200)] = "",
    note: Text = "",
    next_step: Text = "",
) -> Response:
    from cartera.store.models import Interaction

    row = session.get(Interaction, interaction_id)
    if row is None or row.firm_id != ctx.firm.id or row.client_id != client_id:
        raise HTTPException(404, "Unknown interaction")
    F.edit_interaction(session, row, ctx.user.id, {
        "kind": kind, "happened_on": when, "outcome": outcome, "note": note,
        "next_step": next_step,
    })  # fmt: skip
    session.commit()
    return _back(ctx, f"clients/{client_id}#interactions")


@router.post("/f/{firm}/clients/{client_id}/survey")
def send_survey(
    request: Request,
    state: State,
    session: Db,
    ctx: Writer,
    client_id: str,
    scale: Annotated[Literal["csat", "nps"], Form()],
    lang: Annotated[Literal["es", "en"], Form()],
) -> Response:
    known_client(state, session, ctx, client_id)
    settings = W.assistant_settings(session, ctx.firm.id)
    raw, record = surveys.issue(str(ctx.firm.id), client_id, scale, utcnow(),
                                days=settings.survey_days, lang=lang)  # fmt: skip
    F.add_survey_token(
        session, ctx.firm.id, token_hash=record.token_hash, client_id=client_id, scale=scale,
        language=lang, expires_at=record.expires, user_id=ctx.user.id,
    )  # fmt: skip
    session.commit()
    url = str(request.url_for("survey_page", slug=ctx.firm.slug, token=raw))
    with language(lang):
        subject = _("A question about our service")
        body = _("Could you tell us how we are doing? It takes ten seconds: {url}").format(url=url)
    data = {"survey_url": url, "client_id": client_id, "expires": record.expires.isoformat(),
            "mail_subject": subject, "mail_body": body, "token": raw,
            "mail_to": _survey_address(state, session, ctx, client_id)}  # fmt: skip
    return respond(request, state, "survey_link.html", data, ctx=ctx)


def _survey_address(
    state: AppState, session: Session, ctx: FirmContext, client_id: str
) -> str | None:
    """Where the survey may be e-mailed: the client's address when the firm has a mail
    server (None: only the mailto: link is offered)."""
    if not W.smtp_configured(session, ctx.firm.id):
        return None
    fa = current_analysis(state, session, ctx)
    return W.client_email(fa.workspace, client_id) if fa is not None else None


@router.post("/f/{firm}/clients/{client_id}/survey/email")
def email_survey(
    request: Request,
    state: State,
    session: Db,
    ctx: Writer,
    client_id: str,
    token: Annotated[str, Form(min_length=10, max_length=200)],
) -> Response:
    """Send a survey link just created to the client, through the firm's mail server, once."""
    from cartera.assistant.reminders import ReminderError

    row = F.survey_token(session, surveys.hash_token(token))
    if row is None or row.firm_id != ctx.firm.id or row.client_id != client_id:
        raise HTTPException(404, "Unknown survey link")
    if row.used_at is not None or row.expires_at <= utcnow():
        return _survey_mail_page(request, state, ctx, client_id,
                                 _("This survey link was already answered or has expired."),
                                 409)  # fmt: skip
    to = _survey_address(state, session, ctx, client_id)
    if to is None:
        return _survey_mail_page(request, state, ctx, client_id,
                                 _("No mail server, or no e-mail address for this client."),
                                 409)  # fmt: skip
    url = str(request.url_for("survey_page", slug=ctx.firm.slug, token=token))
    row = F.survey_token(session, surveys.hash_token(token))  # the session was closed
    assert row is not None
    subject, body = W.survey_mail_text(url, row.expires_at.date(), ctx.firm.name, row.language)
    scale, lang, token_hash = row.scale, row.language, row.token_hash
    settings = W.assistant_settings(session, ctx.firm.id)
    try:
        sent = W.send_survey_mail(session, ctx.firm.id, token_hash=token_hash, to=to,
                                  subject=subject, body=body, lang=lang, smtp=settings.smtp,
                                  now=utcnow())  # fmt: skip
    except ReminderError as exc:
        return _survey_mail_page(request, state, ctx, client_id, exc.render(), 502)
    if not sent:
        already = _("This survey link was already sent by e-mail.")
        return _survey_mail_page(request, state, ctx, client_id, already, 200)
    note = _("Survey link ({scale}) sent by e-mail to {email}.").format(
        scale=scale.upper(), email=to
    )
    F.add_interaction(session, ctx.firm.id, client_id=client_id, when=utcnow().date(),
                      kind="email", channel="email", outcome=f"survey_sent:{scale}", note=note,
                      user_id=ctx.user.id)  # fmt: skip
    session.commit()
    done = _("Survey link sent by e-mail to {email}.").format(email=to)
    return _survey_mail_page(request, state, ctx, client_id, done, 200)


def _survey_mail_page(
    request: Request, state: AppState, ctx: FirmContext, client_id: str, message: str, status: int
) -> Response:
    data = {"client_id": client_id, "message": message, "ok": status == 200}
    return page(request, state, "survey_mailed.html", data, ctx=ctx, status=status)


def _survey_record(
    session: Session, slug: str, token: str
) -> tuple[surveys.SurveyToken, Firm | None]:
    """The stored link of ``token`` as the assistant's record (refusals: SurveyError)."""
    firm = people.firm_by_slug(session, slug)
    row = F.survey_token(session, surveys.hash_token(token)) if len(token) <= 200 else None
    tokens = {}
    if row is not None:
        tokens[row.token_hash] = surveys.SurveyToken(
            token_hash=row.token_hash, firm_id=str(row.firm_id), client_id=row.client_id,
            scale=row.scale, expires=row.expires_at, lang=row.language,  # type: ignore[arg-type]
            used_at=row.used_at,
        )  # fmt: skip
    firm_id = str(firm.id) if firm is not None else "-"
    return surveys.verify(token, firm_id, tokens, utcnow()), firm


def _survey_refused(
    request: Request, state: AppState, exc: surveys.SurveyError, lang: str | None = None
) -> Response:
    """The refusal page: in the link's language when the link is this firm's, else the
    browser's (an unknown or other firm's link reveals nothing about itself)."""
    status = {"expired": 410, "used": 410, "bad_score": 422}.get(exc.reason, 404)
    if exc.reason in ("unknown", "other_firm"):
        lang = None
    data = {"refused": "", "scale": "", "low": 0, "high": 0, "done": False,
            "reason": exc.reason}  # fmt: skip
    with language(lang) if lang else nullcontext():
        data["refused"] = exc.render()
        return page(request, state, "survey.html", data, status=status)


def _link_language(session: Session, token: str) -> str | None:
    row = F.survey_token(session, surveys.hash_token(token)) if len(token) <= 200 else None
    return row.language if row is not None else None


@router.get("/survey/{slug}/{token}", name="survey_page")
def survey_page(request: Request, state: State, session: Db, slug: str, token: str) -> Response:
    try:
        record, _firm = _survey_record(session, slug, token)
    except surveys.SurveyError as exc:
        return _survey_refused(request, state, exc, _link_language(session, token))
    low, high = surveys.SCALES[record.scale]
    with language(record.lang):
        return page(request, state, "survey.html",
                    {"refused": "", "scale": record.scale, "low": low, "high": high,
                     "done": False, "reason": ""})  # fmt: skip


@router.post("/survey/{slug}/{token}", dependencies=[Depends(same_origin)])
def survey_answer(
    request: Request,
    state: State,
    session: Db,
    slug: str,
    token: str,
    score: Annotated[int, Form(ge=0, le=10)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        record, firm = _survey_record(session, slug, token)
        used, entry = surveys.answer(record, score, utcnow(), note or None)
    except surveys.SurveyError as exc:
        return _survey_refused(request, state, exc, _link_language(session, token))
    assert firm is not None and used.used_at is not None
    row = F.survey_token(session, record.token_hash)
    assert row is not None
    if not F.use_survey_token(session, row, used.used_at):
        session.rollback()
        refusal = surveys.SurveyError(N_("This survey has already been answered. Thank you!"),
                                      "used")  # fmt: skip
        return _survey_refused(request, state, refusal, record.lang)
    F.add_interaction(
        session, firm.id, client_id=entry.client_id, when=entry.when, kind="survey",
        channel="web", outcome=entry.outcome, note=entry.note, source="survey",
    )  # fmt: skip
    session.commit()
    with language(record.lang):
        return page(request, state, "survey.html",
                    {"refused": "", "scale": record.scale, "low": 0, "high": 0, "done": True,
                     "reason": ""})  # fmt: skip
