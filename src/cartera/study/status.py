"""A campaign's standing from its prospects and its call log: states, calls due, meetings.

The glue the CLI (and the web page) call: enrol the prospects, refuse any call
logged for a prospect the campaign does not hold (one refused for do-not-call,
consent or source is never to be called), replay each prospect's calls, and
list whom to call now, the booked meetings and the funnel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from cartera.errors import InputError, Problem
from cartera.i18n import N_
from cartera.study.campaign import (
    Call,
    Campaign,
    CampaignProspect,
    Enrollment,
    ProspectState,
    due,
    enroll,
    replay,
)
from cartera.study.funnel import funnel
from cartera.study.meetings import AgendaItem, meeting_item

__all__ = ["CampaignStatus", "campaign_status"]

_REFUSAL_TEXT = {
    "do_not_call": N_("on the do-not-call list"),
    "not_interested": N_("said it was not interested"),
    "no_consent": N_("no consent recorded"),
    "no_source": N_("no source recorded"),
    "no_phone": N_("no phone"),
}


@dataclass(frozen=True)
class CampaignStatus:
    """Where a campaign stands at ``now``."""

    campaign: Campaign
    enrollment: Enrollment
    states: dict[str, ProspectState]
    due: list[ProspectState]
    meetings: list[AgendaItem]
    funnel: pl.DataFrame


def campaign_status(
    campaign: Campaign, prospects: list[CampaignProspect], calls: list[Call], now: dt.datetime
) -> CampaignStatus:
    """Enrol ``prospects``, replay ``calls`` and list what is due at ``now``.

    Raises
    ------
    InputError
        When a call is logged for a prospect that is not in the campaign (unknown,
        or refused: do-not-call, no consent…), or breaks the state machine.
    """
    enrollment = enroll(prospects)
    accepted = {p.id: p for p in enrollment.accepted}
    refused = {p.id: reason for p, reason in enrollment.refused}
    problems = [
        Problem(N_("a call to a prospect the campaign must not call: {why}"),
                value=c.prospect_id, params={"why": _REFUSAL_TEXT[refused[c.prospect_id]]})
        if c.prospect_id in refused
        else Problem(N_("no such prospect in the campaign"), value=c.prospect_id)
        for c in calls
        if c.prospect_id not in accepted
    ]  # fmt: skip
    if problems:
        raise InputError(N_("Some calls are for prospects outside the campaign."), problems)
    states = {pid: replay(campaign, pid, calls) for pid in accepted}
    meetings = [
        meeting_item(campaign, accepted[c.prospect_id], c)
        for c in sorted(calls, key=lambda c: c.at)
        if c.outcome == "meeting_booked"
    ]
    return CampaignStatus(
        campaign=campaign,
        enrollment=enrollment,
        states=states,
        due=due(list(states.values()), now),
        meetings=meetings,
        funnel=funnel((campaign, s) for s in states.values()),
    )
