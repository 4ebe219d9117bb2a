"""``cartera campaign script|status``: call scripts, and a campaign replayed from its call log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.padding import Padding

from cartera.cli.common import (
    check_output_format,
    print_json,
)
from cartera.cli.prospects_cmd import read_book
from cartera.cli.serve_cmd import data_option
from cartera.i18n import N_, _, fmt_number
from cartera.report.term_layout import Prose

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help=_("Call campaigns: scripts per kind, and a campaign's standing from its call log."),
        no_args_is_help=True,
    )
    app.add_typer(group, name="campaign")
    lang_opt = typer.Option(None, "--lang", help=_("Language: es or en."))
    kind_opt = typer.Option(..., "--kind", help=_("Target kind: structure, margin or image."))

    @group.command("script", help=_("The call script of a kind, its opening naming the value "
                                    "the firm gives clients of that kind."))  # fmt: skip
    def script_cmd(
        kind: str = kind_opt,
        firm: str = typer.Option(..., "--firm", help=_("Your firm's name.")),
        prospect: str = typer.Option(..., "--prospect", help=_("The prospect's name.")),
        contact: str | None = typer.Option(None, "--contact", help=_("The person called.")),
        assistant: str = typer.Option(..., "--assistant", help=_("Who calls.")),
        lang: str | None = lang_opt,
    ) -> None:
        from cartera.i18n import get_language
        from cartera.study import Campaign, script

        del lang  # already applied by cli.app.run before parsing
        _check_kind(kind)
        text = script(Campaign("script", "", kind), get_language(), firm=firm,
                      prospect=prospect, contact=contact, assistant=assistant)  # fmt: skip
        Console(highlight=False, soft_wrap=True).print(text)

    status_help = _(
        "Replay a campaign's call log over a prospect book: whom to call now, booked meetings "
        "(.ics) and the funnel. With --firm: the firm's campaigns and their funnel."
    )

    kind_help = _(
        "Target kind: structure, margin or image (with --firm: only the campaigns of that kind)."
    )

    @group.command("status", help=status_help)
    def status_cmd(
        book: Path | None = typer.Argument(None, help=_("The prospect book (a Parquet file).")),
        kind: str | None = typer.Option(None, "--kind", help=kind_help),
        firm: str | None = typer.Option(
            None, "--firm", help=_("A firm of the web app: its campaigns instead of a book.")
        ),
        data: Path | None = data_option(),
        calls: Path | None = typer.Option(None, "--calls", help=_("Call log (CSV or Excel).")),
        name: str = typer.Option("", "--name", help=_("Campaign name.")),
        attempts: int = typer.Option(3, "--attempts", help=_("Calls before giving up.")),
        gap_days: int = typer.Option(2, "--gap-days", help=_("Days between attempts.")),
        now: str | None = typer.Option(
            None, "--now", help=_("The moment to plan from (dd/mm/yyyy hh:mm; default: now).")
        ),
        ics: Path | None = typer.Option(
            None, "--ics", help=_("Write the booked meetings to this .ics file.")
        ),
        fmt: str = typer.Option("table", "--format", help=_("Output: table or json.")),
        lang: str | None = lang_opt,
    ) -> None:
        import datetime as dt

        from cartera.errors import SettingsError
        from cartera.study import Campaign, RetryRule, book_prospects, to_ics
        from cartera.study.calls import read_calls
        from cartera.study.status import campaign_status

        del lang
        check_output_format(fmt)
        if kind is not None:
            _check_kind(kind)
        if (book is None) == (firm is None):
            raise SettingsError(N_("Give either a prospect book or --firm, not both or neither."))
        if firm is not None:
            if calls is not None or ics is not None or now is not None or name:
                raise SettingsError(N_("--calls, --ics, --now and --name go with a prospect "
                                       "book, not with --firm."))  # fmt: skip
            from cartera.cli.firm_cmd import firm_campaigns
            from cartera.cli.serve_cmd import data_dir

            found = firm_campaigns(data_dir(data), firm, kind)
            if fmt == "json":
                print_json(found)
            else:
                _print_campaigns(found, Console(highlight=False, soft_wrap=True))
            return
        assert book is not None
        if kind is None:
            raise SettingsError(N_("--kind is required with a prospect book."))
        moment = _moment(now)
        campaign = Campaign(book.stem, name or book.stem, kind, retry=RetryRule(attempts, gap_days))
        status = campaign_status(campaign, book_prospects(read_book(book, must_exist=True)),
                                 read_calls(calls) if calls else [], moment)  # fmt: skip
        if ics is not None:
            ics.write_bytes(to_ics(status.meetings, dt.datetime.now(dt.UTC)))
        if fmt == "json":
            print_json(_status_dict(status))
            return
        _print_status(status, Console(highlight=False, soft_wrap=True))


def _check_kind(kind: str) -> None:
    from cartera.errors import SettingsError
    from cartera.i18n import N_

    if kind not in ("structure", "margin", "image"):
        raise SettingsError(
            N_("--kind must be structure, margin or image, not «{value}»."), value=kind
        )


def _moment(text: str | None) -> Any:
    import datetime as dt

    from cartera.errors import SettingsError
    from cartera.i18n import N_
    from cartera.study.calls import parse_moment

    if text is None:
        return dt.datetime.now().replace(second=0, microsecond=0)
    value = parse_moment(text)
    if value is None:
        raise SettingsError(N_("--now «{value}» is not a date; expected dd/mm/yyyy hh:mm."),
                            value=text)  # fmt: skip
    return value


def _status_dict(status: Any) -> dict[str, Any]:
    import dataclasses

    def state(s: Any) -> dict[str, Any]:
        return {k: v.isoformat() if hasattr(v, "isoformat") else v
                for k, v in dataclasses.asdict(s).items()}  # fmt: skip

    return {
        "campaign": {
            "id": status.campaign.id,
            "name": status.campaign.name,
            "kind": status.campaign.kind,
        },
        "refused": [{"prospect": p.id, "reason": r} for p, r in status.enrollment.refused],
        "states": [state(s) for s in status.states.values()],
        "due": [s.prospect_id for s in status.due],
        "meetings": [
            {
                "uid": m.uid,
                "prospect": m.prospect_id,
                "title": m.title,
                "start": m.start.isoformat(),
                "end": m.end.isoformat(),
            }
            for m in status.meetings
        ],
        "funnel": status.funnel.to_dicts(),
    }


def _print_status(status: Any, console: Console) -> None:
    from cartera.i18n import fmt_pct
    from cartera.study.campaign import STAGE_NAMES

    enrolled = len(status.states)
    console.print(Prose(_("{name}: {enrolled} prospects in the campaign, {refused} refused "
                          "(do-not-call, consent, source or phone).").format(
        name=status.campaign.name, enrolled=fmt_number(enrolled),
        refused=fmt_number(len(status.enrollment.refused)))))  # fmt: skip
    counts: dict[str, int] = {}
    for s in status.states.values():
        counts[s.stage] = counts.get(s.stage, 0) + 1
    console.print(Prose(", ".join(_step(_(STAGE_NAMES[k]) + ":", v) for k, v in counts.items())))
    console.print(_("To call now: {n}").format(n=fmt_number(len(status.due))))
    for item in status.meetings:
        console.print(f"  📅 {item.start:%d/%m/%Y %H:%M} {item.title}")
    if status.funnel.height:
        row = status.funnel.row(0, named=True)
        steps = ("called", "reached", "meeting", "proposal", "client")
        console.print(Prose(" → ".join(_step(_(_STEP_NAMES[k]), row[k]) for k in steps)))
        rate = row["client_rate"]
        console.print(_("Clients won per prospect called: {rate}").format(
            rate="–" if rate is None else fmt_pct(rate)))  # fmt: skip


def _print_campaigns(found: list[dict[str, Any]], console: Console) -> None:
    from cartera.i18n import fmt_pct
    from cartera.study import kind_name
    from cartera.web.pages.study import CAMPAIGN_STATUS_NAMES

    if not found:
        console.print(_("No campaigns yet."))
        return
    steps = ("enrolled", "called", "reached", "meeting", "proposal", "client")
    for c in found:
        status = _(CAMPAIGN_STATUS_NAMES[c["status"]])
        console.print(f"{c['name']} ({kind_name(c['kind'])}, {status})")
        funnel = " → ".join(_step(_(_STEP_NAMES[k]), c.get(k) or 0) for k in steps)
        console.print(Padding(Prose(funnel), (0, 0, 0, 2)))
        rate = c.get("client_rate")
        console.print("  " + _("Clients won per prospect called: {rate}").format(
            rate="–" if rate is None else fmt_pct(rate)))  # fmt: skip


def _step(name: str, count: int) -> str:
    """A funnel step and its count as one word (never the count alone on a line)."""
    return f"{name}\xa0{fmt_number(count)}"


_STEP_NAMES = {
    "enrolled": N_("enrolled"),
    "called": N_("called"),
    "reached": N_("reached"),
    "meeting": N_("meeting"),
    "proposal": N_("proposal"),
    "client": N_("client"),
}
