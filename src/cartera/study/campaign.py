"""Call campaigns (*teleconcertación*) as a pure state machine.

A :class:`Campaign` targets one kind with a calling window, a retry rule and
its assistants. Prospects enter it through :func:`enroll`, which refuses any
prospect on the do-not-call list, without consent or without a recorded
source (what Spanish and EU data-protection law expect to be able to show),
or that already said "not interested". Each :class:`Call` logs a technical
result (no answer, voicemail, busy, wrong number, reached) and, when reached,
a business outcome (meeting booked, call back on a date, not interested, not
a fit), as VICIdial and Close separate them. :func:`apply_call` moves a
prospect's :class:`ProspectState` and schedules the next attempt: retries
``gap_days`` apart inside the window until ``attempts`` are used, callbacks
on the asked date. After a meeting, :func:`advance` records the proposal and
the win (or the loss); a won prospect becomes a client row with its origin
kept (:func:`won_client`).

Nothing here reads or writes storage: the store keeps campaigns, states and
calls; the web pages and the CLI call these functions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal, get_args

from cartera.errors import InputError
from cartera.i18n import N_, _

__all__ = [
    "OUTCOMES",
    "RESULTS",
    "STAGES",
    "STAGE_NAMES",
    "Call",
    "CallWindow",
    "Campaign",
    "CampaignProspect",
    "Enrollment",
    "ProspectState",
    "RetryRule",
    "advance",
    "apply_call",
    "due",
    "enroll",
    "replay",
    "won_client",
]

Result = Literal["no_answer", "voicemail", "busy", "wrong_number", "reached"]
Outcome = Literal["meeting_booked", "call_back", "not_interested", "not_a_fit"]
Stage = Literal["queued", "retry", "callback", "meeting", "proposal", "won", "lost"]
RESULTS: Final = get_args(Result)
OUTCOMES: Final = get_args(Outcome)
STAGES: Final = get_args(Stage)
#: Each stage as shown to people.
STAGE_NAMES: Final = {
    "queued": N_("to call"),
    "retry": N_("to call again"),
    "callback": N_("call back"),
    "meeting": N_("meeting booked"),
    "proposal": N_("proposal sent"),
    "won": N_("won"),
    "lost": N_("lost"),
}
#: Stages after which no call is made.
CLOSED: Final = frozenset({"meeting", "proposal", "won", "lost"})
_UNANSWERED: Final = frozenset({"no_answer", "voicemail", "busy"})


@dataclass(frozen=True)
class CallWindow:
    """When assistants call: on ``weekdays`` (0 = Monday) from ``start`` to ``end``."""

    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    start: dt.time = dt.time(9, 30)
    end: dt.time = dt.time(13, 30)

    def __post_init__(self) -> None:
        if not self.weekdays or any(d not in range(7) for d in self.weekdays):
            raise InputError(N_("The calling window needs weekdays between 0 (Monday) and 6."))
        if self.start >= self.end:
            raise InputError(
                N_("The calling window must start before it ends ({start}–{end})."),
                start=self.start.isoformat("minutes"), end=self.end.isoformat("minutes"),
            )  # fmt: skip

    def next_open(self, at: dt.datetime) -> dt.datetime:
        """The first moment at or after ``at`` inside the window."""
        day = at.date()
        for offset in range(8):
            current = day + dt.timedelta(days=offset)
            if current.weekday() not in self.weekdays:
                continue
            opens = dt.datetime.combine(current, self.start, at.tzinfo)
            closes = dt.datetime.combine(current, self.end, at.tzinfo)
            if at < closes:
                return max(at, opens)
        raise AssertionError("a week always has a weekday of the window")  # pragma: no cover


@dataclass(frozen=True)
class RetryRule:
    """Unanswered calls are retried ``gap_days`` apart until ``attempts`` calls were made."""

    attempts: int = 3
    gap_days: int = 2

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.gap_days < 0:
            raise InputError(
                N_("A retry rule needs at least 1 attempt and 0 or more days between attempts."),
            )


@dataclass(frozen=True)
class Campaign:
    """A call campaign for one kind of client."""

    id: str
    name: str
    kind: str  #: structure, margin or image
    window: CallWindow = field(default_factory=CallWindow)
    retry: RetryRule = field(default_factory=RetryRule)
    assistants: tuple[str, ...] = ()
    #: Scripts by language when edited; else :func:`cartera.study.scripts.script`.
    scripts: dict[str, str] = field(default_factory=dict)
    meeting_minutes: int = 45


@dataclass(frozen=True)
class CampaignProspect:
    """What a campaign needs to know of a prospect."""

    id: str
    name: str
    phone: str | None = None
    email: str | None = None
    contact: str | None = None
    tax_id: str | None = None
    consent: bool | None = None
    source: str | None = None
    do_not_call: bool = False
    not_interested: bool = False  #: said so in an earlier campaign


@dataclass(frozen=True)
class Enrollment:
    """Who entered the campaign and who was refused, with the reason code."""

    accepted: tuple[CampaignProspect, ...]
    refused: tuple[tuple[CampaignProspect, str], ...]


def enroll(prospects: list[CampaignProspect]) -> Enrollment:
    """Check every prospect before it enters a campaign.

    Refusal codes, first that applies: ``do_not_call``, ``not_interested``,
    ``no_consent`` (consent not given, or not recorded), ``no_source``,
    ``no_phone``.
    """
    accepted, refused = [], []
    for p in prospects:
        reason = (
            "do_not_call" if p.do_not_call
            else "not_interested" if p.not_interested
            else "no_consent" if p.consent is not True
            else "no_source" if not (p.source or "").strip()
            else "no_phone" if not (p.phone or "").strip()
            else None
        )  # fmt: skip
        if reason is None:
            accepted.append(p)
        else:
            refused.append((p, reason))
    return Enrollment(tuple(accepted), tuple(refused))


@dataclass(frozen=True)
class Call:
    """One call and what came of it."""

    prospect_id: str
    at: dt.datetime
    result: Result
    outcome: Outcome | None = None
    assistant: str | None = None
    callback_at: dt.datetime | None = None  #: for ``call_back``
    meeting_at: dt.datetime | None = None  #: for ``meeting_booked``
    note: str = ""

    def __post_init__(self) -> None:
        if self.result not in RESULTS:
            raise InputError(N_("Unknown call result «{value}»."), value=self.result)
        if self.outcome is not None and self.outcome not in OUTCOMES:
            raise InputError(N_("Unknown call outcome «{value}»."), value=self.outcome)
        if self.result == "reached" and self.outcome is None:
            raise InputError(N_("A reached call needs its outcome."))
        if self.result != "reached" and self.outcome is not None:
            raise InputError(N_("Only a reached call has an outcome (the result was «{value}»)."),
                             value=self.result)  # fmt: skip
        if self.outcome == "call_back" and (
            self.callback_at is None or self.callback_at <= self.at
        ):
            raise InputError(N_("A call back needs a date after the call."))
        if self.outcome == "meeting_booked" and (
            self.meeting_at is None or self.meeting_at <= self.at
        ):
            raise InputError(N_("A booked meeting needs a date after the call."))


@dataclass(frozen=True)
class ProspectState:
    """Where a prospect stands in a campaign."""

    prospect_id: str
    stage: Stage = "queued"
    attempts: int = 0  #: unanswered calls since the last time the prospect was reached
    calls: int = 0
    reached: bool = False
    next_call: dt.datetime | None = None
    meeting_at: dt.datetime | None = None
    reason: str | None = None  #: why it was lost (an outcome, ``wrong_number``, ``no_contact``)
    last_call: dt.datetime | None = None
    proposed: bool = False  #: a proposal was made (kept when the prospect is lost after it)


def apply_call(campaign: Campaign, state: ProspectState, call: Call) -> ProspectState:
    """The state after ``call``; refuses a call to a closed prospect or out of order.

    Raises
    ------
    InputError
        When the prospect is closed (meeting booked, won, lost), the call is
        for another prospect or earlier than the previous one.
    """
    if call.prospect_id != state.prospect_id:
        raise InputError(N_("The call is for prospect «{value}», not this one."),
                         value=call.prospect_id)  # fmt: skip
    if state.stage in CLOSED:
        raise InputError(
            N_("Prospect «{value}» is not to be called any more (stage: {stage})."),
            value=state.prospect_id, stage=_(STAGE_NAMES[state.stage]),
        )  # fmt: skip
    if state.last_call is not None and call.at < state.last_call:
        raise InputError(N_("Calls must be logged in order: this one is before the previous one."))
    base = replace(state, calls=state.calls + 1, last_call=call.at)
    if call.result == "wrong_number":
        return replace(base, stage="lost", reason="wrong_number", next_call=None)
    if call.result in _UNANSWERED:
        attempts = state.attempts + 1
        if attempts >= campaign.retry.attempts:
            return replace(
                base, stage="lost", attempts=attempts, reason="no_contact", next_call=None
            )
        retry_at = call.at + dt.timedelta(days=campaign.retry.gap_days)
        return replace(base, stage="retry", attempts=attempts,
                       next_call=campaign.window.next_open(retry_at))  # fmt: skip
    reached = replace(base, reached=True, attempts=0)
    if call.outcome == "meeting_booked":
        return replace(reached, stage="meeting", meeting_at=call.meeting_at, next_call=None)
    if call.outcome == "call_back":
        assert call.callback_at is not None  # checked by Call
        return replace(reached, stage="callback",
                       next_call=campaign.window.next_open(call.callback_at))  # fmt: skip
    return replace(reached, stage="lost", reason=call.outcome, next_call=None)


def replay(campaign: Campaign, prospect_id: str, calls: list[Call]) -> ProspectState:
    """A prospect's state from its calls (sorted by time; other prospects' calls skipped)."""
    state = ProspectState(prospect_id)
    for call in sorted((c for c in calls if c.prospect_id == prospect_id), key=lambda c: c.at):
        state = apply_call(campaign, state, call)
    return state


def due(states: list[ProspectState], now: dt.datetime) -> list[ProspectState]:
    """Prospects to call at ``now``: never called, or their next call has come; earliest first."""
    ready = [
        s for s in states
        if s.stage not in CLOSED and (s.next_call is None or s.next_call <= now)
    ]  # fmt: skip
    return sorted(ready, key=lambda s: (s.next_call or dt.datetime.min, s.prospect_id))


#: After a meeting: the stages it may move to.
_NEXT: Final = {"meeting": ("proposal", "lost"), "proposal": ("won", "lost")}


def advance(state: ProspectState, stage: Stage, reason: str | None = None) -> ProspectState:
    """Meeting → proposal → won, or lost at either step.

    Raises
    ------
    InputError
        For any other move (e.g. won without a proposal).
    """
    if stage not in _NEXT.get(state.stage, ()):
        raise InputError(
            N_("A prospect cannot go from «{current}» to «{stage}»."),
            current=_(STAGE_NAMES[state.stage]), stage=_(STAGE_NAMES.get(stage, stage)),
        )  # fmt: skip
    return replace(
        state,
        stage=stage,
        reason=reason if stage == "lost" else None,
        proposed=state.proposed or stage == "proposal",
    )


def won_client(
    prospect: CampaignProspect, campaign: Campaign, client_id: str, won_on: dt.date
) -> dict[str, Any]:
    """The clients-table row of a won prospect, with its origin kept.

    Columns of the canonical clients table (``client_id, name, tax_id, contact,
    email, phone``) plus ``origin`` {``campaign``, ``campaign_name``, ``kind``,
    ``source``, ``prospect``, ``won_on``}.
    """
    return {
        "client_id": client_id,
        "name": prospect.name,
        "tax_id": prospect.tax_id,
        "contact": prospect.contact,
        "email": prospect.email,
        "phone": prospect.phone,
        "origin": {
            "campaign": campaign.id,
            "campaign_name": campaign.name,
            "kind": campaign.kind,
            "source": prospect.source,
            "prospect": prospect.id,
            "won_on": won_on.isoformat(),
        },
    }
