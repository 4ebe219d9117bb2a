"""A booked meeting as an agenda item and an ``.ics`` invitation (RFC 5545, icalendar).

The follow-up part of the product (issue 14) owns the firm's agenda; a
meeting booked by a campaign is handed to it as a plain :class:`AgendaItem`,
and :func:`to_ics` writes the invitation any calendar opens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from cartera.i18n import N_, _
from cartera.study.campaign import Call, Campaign, CampaignProspect
from cartera.study.texts import kind_name

__all__ = ["AgendaItem", "meeting_item", "to_ics"]


@dataclass(frozen=True)
class AgendaItem:
    """One meeting to hold: who, when, why, and where it came from."""

    uid: str
    title: str
    start: dt.datetime
    end: dt.datetime
    prospect_id: str
    campaign_id: str
    kind: str
    assistant: str | None
    description: str
    email: str | None = None


def meeting_item(campaign: Campaign, prospect: CampaignProspect, call: Call) -> AgendaItem:
    """The agenda item of a ``meeting_booked`` call (title and text in the current language)."""
    if call.outcome != "meeting_booked" or call.meeting_at is None:
        raise ValueError("only a call that booked a meeting has one")
    title = _(N_("Meeting with {prospect} ({kind} prospect)")).format(
        prospect=prospect.name, kind=kind_name(campaign.kind)
    )
    lines = [
        _(N_("Campaign: {name}")).format(name=campaign.name),
        _(N_("Contact: {contact}, {phone}")).format(
            contact=prospect.contact or prospect.name, phone=prospect.phone or "–"
        ),
    ]
    if call.note:
        lines.append(call.note)
    return AgendaItem(
        uid=f"cartera-{campaign.id}-{prospect.id}-{call.meeting_at:%Y%m%dT%H%M}",
        title=title,
        start=call.meeting_at,
        end=call.meeting_at + dt.timedelta(minutes=campaign.meeting_minutes),
        prospect_id=prospect.id,
        campaign_id=campaign.id,
        kind=campaign.kind,
        assistant=call.assistant,
        description="\n".join(lines),
        email=prospect.email,
    )


def to_ics(items: Iterable[AgendaItem], stamp: dt.datetime) -> bytes:
    """An iCalendar file with one event per item (``stamp``: when it was written, UTC)."""
    from icalendar import Calendar, Event, vCalAddress

    calendar = Calendar()
    calendar.add("prodid", "-//Cartera//study//")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    for item in items:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
        event.add("summary", item.title)
        event.add("description", item.description)
        if item.email:
            event.add("attendee", vCalAddress(f"mailto:{item.email}"))
        calendar.add_component(event)
    return calendar.to_ical()
