"""``cartera log`` and ``cartera remind``: the follow-up assistant on a firm of the web app.

``log`` writes one interaction to the firm's store (as the client page does);
``remind`` e-mails each due agenda item to its owner with its ``.ics`` invitation
and records every send in the ledger right after the server accepts it, so a
run from cron every hour sends each reminder once, and a run that stops half-way
resends nothing already sent. Both find the store as ``cartera user add`` and
``cartera firm import`` do (``--data``, ``CARTERA_DATA``, ``CARTERA_DATABASE_URL``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from cartera.cli.serve_cmd import data_dir, data_option, existing_firm, lang_option
from cartera.errors import SettingsError
from cartera.i18n import N_, _, fmt_date
from cartera.result import PortfolioAnalysis

if TYPE_CHECKING:  # the store (SQLAlchemy, Alembic) loads only when a command uses it
    from sqlalchemy.orm import Session

    from cartera.assistant.reminders import LedgerEntry
    from cartera.assistant.settings import SmtpSettings
    from cartera.store.models import Firm, ScheduledItem, User

__all__ = ["FirmData", "open_firm", "parse_day", "register"]


@dataclass
class FirmData:
    """An open firm of the store: its session, row and data folder."""

    session: Session
    firm: Firm
    data: Path

    def workspace(self) -> Path:
        """The workspace of the firm's latest successful import."""
        from cartera.store import runs

        run = runs.latest_run(self.session, self.firm.id)
        if run is None:
            raise SettingsError(
                N_("The firm «{firm}» has no import yet; run `cartera firm import` first."),
                firm=self.firm.name,
            )
        return self.data / run.workspace

    def analysis(self, as_of: dt.date | None = None) -> tuple[PortfolioAnalysis, Path]:
        """The analysis of the latest import under the firm's saved settings."""
        from cartera import analyze
        from cartera.store import runs

        workspace = self.workspace()
        settings = runs.firm_settings(self.session, self.firm.id)
        if as_of is not None:
            settings = settings.model_copy(update={"as_of": as_of})
        return analyze(workspace, settings=settings), workspace


@contextmanager
def open_firm(data: Path | None, firm: str) -> Iterator[FirmData]:
    """The firm named ``firm`` (name or URL name) in the web app's store at ``data``."""
    from cartera.store import open_store
    from cartera.web.config import load_web_settings

    web = load_web_settings(data_dir(data))
    store = open_store(web.database_url)
    try:
        with store.session() as session:
            target = existing_firm(session, firm)
            yield FirmData(session, target, web.data_dir)
    finally:
        store.dispose()


def parse_day(text: str | None, option: str) -> dt.date | None:
    """An ISO date (or dd/mm/yyyy) given to ``option``; None when not given."""
    if text is None:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise SettingsError(
        N_("{option} «{value}» is not a date; expected YYYY-MM-DD or DD/MM/YYYY."),
        option=option,
        value=text,
    )


def register(app: typer.Typer) -> None:
    @app.command("log", help=_("Log a call, e-mail, meeting or note with a client of a firm."))
    def log(
        client: str = typer.Argument(..., help=_("Client id or exact name.")),
        firm: str = typer.Option(..., "--firm", help=_("Firm name or its URL name.")),
        kind: str = typer.Option("call", "--kind", help=_("call, email, meeting, visit, note, "
                                                          "support, survey or letter.")),
        outcome: str | None = typer.Option(None, "--outcome", help=_("What came of it.")),
        note: str | None = typer.Option(None, "--note", help=_("Free text.")),
        when: str | None = typer.Option(None, "--when", help=_("Day (YYYY-MM-DD); today.")),
        next_step: str | None = typer.Option(None, "--next-step", help=_("What to do next.")),
        next_on: str | None = typer.Option(
            None, "--next-on", help=_("Day of the next step: it goes on the agenda.")
        ),
        rule: str | None = typer.Option(
            None, "--rule", help=_("The agenda rule this answers (resets it).")
        ),
        by: str | None = typer.Option(None, "--by", help=_("E-mail of the member who did it.")),
        data: Path | None = data_option(),
        lang: str | None = lang_option(),
    ) -> None:  # fmt: skip
        day = parse_day(when, "--when") or dt.date.today()
        next_day = parse_day(next_on, "--next-on")
        with open_firm(data, firm) as fd:
            text = _log(fd, client, kind, outcome, note, day, next_step, next_day, rule, by)
        Console(highlight=False, soft_wrap=True).print(text)

    @app.command(
        "remind",
        help=_("E-mail each due agenda item of a firm to its owner with a calendar invitation; "
               "run it from cron: nothing is sent twice."),
    )  # fmt: skip
    def remind(
        firm: str = typer.Option(..., "--firm", help=_("Firm name or its URL name.")),
        settings_file: Path | None = typer.Option(
            None, "--settings", help=_("TOML settings file whose [assistant] table to use.")
        ),
        as_of: str | None = typer.Option(None, "--as-of", help=_("Date of the agenda.")),
        dry_run: bool = typer.Option(
            False, "--dry-run", help=_("List what would be sent; send nothing.")
        ),
        limit: int | None = typer.Option(
            None, "--limit", min=1,
            help=_("Send at most N reminders this run (largest stake first); the rest next run."),
        ),
        data: Path | None = data_option(),
        lang: str | None = lang_option(),
    ) -> None:  # fmt: skip
        day = parse_day(as_of, "--as-of")
        with open_firm(data, firm) as fd:
            sent, waiting, skipped = _remind(fd, settings_file, day, dry_run, limit)
        console = Console(highlight=False, soft_wrap=True)
        if dry_run:
            console.print(_("{n} reminders to send.").format(n=waiting))
        else:
            console.print(_("{n} reminders sent.").format(n=sent))
        if skipped:
            console.print(_("{n} items have no owner with an e-mail and no firm owner to "
                            "send them to.").format(n=skipped))  # fmt: skip


def _log(
    fd: FirmData,
    client: str,
    kind: str,
    outcome: str | None,
    note: str | None,
    day: dt.date,
    next_step: str | None,
    next_day: dt.date | None,
    rule: str | None,
    by: str | None,
) -> str:
    from cartera.assistant.texts import kind_label
    from cartera.store import followup as F
    from cartera.store import people
    from cartera.web.followup import CHANNELS, client_names, resolve_client

    names = client_names(fd.workspace())
    client_id = resolve_client(names, client)
    user_id = None
    if by is not None:
        user = people.find_user(fd.session, by)
        if user is None or people.membership(fd.session, user.id, fd.firm.id) is None:
            raise SettingsError(N_("«{email}» is not a member of the firm."), email=by)
        user_id = user.id
    row = F.add_interaction(
        fd.session, fd.firm.id, client_id=client_id, when=day, kind=kind, outcome=outcome,
        note=note, next_step=next_step, next_step_on=next_day, rule=rule, user_id=user_id,
        source="cli", channel=CHANNELS.get(kind),
    )  # fmt: skip
    if next_day is not None:
        F.add_scheduled_item(
            fd.session, fd.firm.id, subject_kind="client", subject_id=client_id,
            subject_name=names[client_id], due=next_day, kind="call",
            summary=next_step or _("Next step"), owner_user_id=user_id,
            source=f"interaction:{row.id}",
        )  # fmt: skip
    fd.session.commit()
    return _("Logged: {kind} with {client} ({id}), {day}.").format(
        kind=kind_label(kind), client=names[client_id], id=client_id, day=fmt_date(day)
    )


def _remind(
    fd: FirmData,
    settings_file: Path | None,
    as_of: dt.date | None,
    dry_run: bool,
    limit: int | None = None,
) -> tuple[int, int, int]:
    """(sent, pending, skipped for want of a recipient)."""
    from cartera.assistant.reminders import LedgerEntry, Pending, deliver, pending
    from cartera.store import followup as F
    from cartera.store.base import utcnow
    from cartera.web import followup as W

    settings = W.assistant_settings(fd.session, fd.firm.id, settings_file)
    analysis, workspace = fd.analysis(as_of)
    fp = W.firm_plan(fd.session, fd.firm.id, analysis, workspace, settings)
    today = fp.as_of
    items = W.agenda_items(fd.session, fd.firm.id, fp, until=today)
    ledger = [
        LedgerEntry(r.item_key, r.channel, r.fingerprint, r.sequence, r.sent_at)
        for r in F.sent_ledger(fd.session, fd.firm.id)
    ]
    by_label, owners = W.owner_emails(fd.session, fd.firm.id)
    todo: list[Pending] = []
    skipped = 0
    for p in pending(items, ledger, today, channels=("email",)):
        if by_label.get(p.item.owner) is None and not owners:
            skipped += 1
        else:
            todo.append(p)
    booked, booked_skipped = _booked_pending(fd, ledger, owners)
    skipped += booked_skipped
    if limit is not None:  # the agenda's order: the largest stake first; booked ones stake 0
        todo = todo[:limit]
        booked = booked[: max(limit - len(todo), 0)]
    if dry_run or not (todo or booked):
        return 0, len(todo) + len(booked), skipped
    stamp = utcnow()
    firm_key = f"firm-{fd.firm.id}"

    def compose(p: Pending) -> EmailMessage:
        user = by_label.get(p.item.owner)
        return W.reminder_mail(
            p.item, to=[user] if user is not None else owners, firm=fd.firm.name,
            sender=settings.smtp.sender, sequence=p.sequence, uid_firm=firm_key, today=today,
            currency=fp.currency, stamp=stamp,
        )  # fmt: skip

    def record(entry: LedgerEntry) -> None:
        F.record_sent(
            fd.session, fd.firm.id, key=entry.key, channel=entry.channel,
            fingerprint=entry.fingerprint, sequence=entry.sequence, sent_at=entry.sent_at,
        )  # fmt: skip
        fd.session.commit()  # at once: a crash after this send must not send it again

    sent = deliver(todo, compose, settings.smtp, record, stamp) if todo else 0
    if booked:
        sent += _deliver_booked(fd, booked, settings.smtp, owners, stamp)
    return sent, len(todo) + len(booked), skipped


def _booked_pending(
    fd: FirmData, ledger: list[LedgerEntry], owners: list[User]
) -> tuple[list[tuple[ScheduledItem, str]], int]:
    """Open booked items (campaign meetings, dated next steps) whose current version was not
    e-mailed yet, with their fingerprints; and how many have nobody to send them to.

    A booked item goes out as soon as it is booked, not on its day: an invitation must
    arrive before the meeting. A change (day, time, owner) sends it again, once.
    """
    from cartera.store import followup as F
    from cartera.web import followup as W

    last = {e.key: e.fingerprint for e in ledger if e.channel == "email"}
    out: list[tuple[ScheduledItem, str]] = []
    skipped = 0
    for item in F.scheduled_items(fd.session, fd.firm.id):
        mark = W.booked_fingerprint(item)
        if last.get(item.key) == mark:
            continue
        if item.owner_user_id is None and not owners:
            skipped += 1
            continue
        out.append((item, mark))
    return out, skipped


def _deliver_booked(
    fd: FirmData,
    booked: list[tuple[ScheduledItem, str]],
    smtp: SmtpSettings,
    owners: list[User],
    stamp: dt.datetime,
) -> int:
    """Send the booked items' reminders, recording each in the sent ledger once accepted."""
    from cartera.assistant.reminders import send
    from cartera.store import followup as F
    from cartera.store.models import User
    from cartera.web import followup as W

    mails = []
    for item, _mark in booked:
        user = fd.session.get(User, item.owner_user_id) if item.owner_user_id else None
        mails.append(W.booked_mail(item, to=[user] if user is not None else owners,
                                   firm=fd.firm.name, sender=smtp.sender, stamp=stamp))  # fmt: skip
    sent = 0

    def done(i: int) -> None:
        nonlocal sent
        item, mark = booked[i]
        F.record_sent(fd.session, fd.firm.id, key=item.key, channel="email", fingerprint=mark,
                      sequence=item.sequence, sent_at=stamp)  # fmt: skip
        fd.session.commit()  # at once: a crash after this send must not send it again
        sent += 1

    send(mails, smtp, on_sent=done)
    return sent
