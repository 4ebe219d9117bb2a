"""The agenda: whom to contact, ranked by the money at stake, with why.

:func:`build_agenda` turns :func:`cartera.assistant.cadence.due_contacts`
into :class:`AgendaItem` objects for a date range, applies what people
decided (snoozes and reassignments, :class:`ItemState`) and ranks them by
money at stake (revenue at risk, overdue amount, the margin of a lapsing
margin client; docs/assistant.md "Money at stake"). ``done``, ``snooze``
and ``reassign`` are pure transitions: they return the interaction or state
the store keeps; the next agenda is computed from them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from cartera.assistant.cadence import RULES
from cartera.assistant.interactions import Interaction
from cartera.errors import CarteraError
from cartera.i18n import N_

__all__ = [
    "AgendaItem",
    "ItemState",
    "Week",
    "apply_states",
    "build_agenda",
    "done",
    "filter_items",
    "owners_from_log",
    "reassign",
    "snooze",
    "week_of",
]

_RANK = {rule: i for i, rule in enumerate(RULES)}
#: Figures kept with each item (the numbers of its why).
_PARAMS = (
    "revenue",
    "gross_margin",
    "previous_revenue",
    "net_contribution",
    "overdue",
    "days_past_due",
    "usual_gap",
    "days_since",
    "orders",
    "cadence_days",
)


@dataclass(frozen=True)
class AgendaItem:
    """One thing to do for one client (``key`` is stable: ``client_id:rule``)."""

    client_id: str
    name: str
    segment: str
    rule: str
    due: dt.date
    stake: float
    channel: str
    template: str
    owner: str
    last_contact: dt.date | None = None
    trigger: dt.date | None = None
    status: str = "open"  #: open or snoozed
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.client_id}:{self.rule}"

    def days_overdue(self, today: dt.date) -> int:
        """Days the item is late at ``today`` (0 when not yet due)."""
        return max((today - self.due).days, 0)


@dataclass(frozen=True)
class ItemState:
    """What people decided about an item: snoozed until a day, given to someone."""

    key: str
    snoozed_until: dt.date | None = None
    owner: str | None = None


@dataclass(frozen=True)
class Week:
    """A date range of the agenda (both ends included)."""

    start: dt.date
    end: dt.date


class AgendaError(CarteraError):
    """A transition that makes no sense (a snooze into the past, an empty owner)."""


def week_of(day: dt.date) -> Week:
    """The seven days starting at ``day``."""
    return Week(day, day + dt.timedelta(days=6))


def owners_from_log(interactions: pl.DataFrame) -> dict[str, str]:
    """Client → who logged its latest interaction that names someone."""
    rows = (
        interactions.filter(pl.col("who").is_not_null() & (pl.col("who") != ""))
        .sort("when")
        .group_by("client_id")
        .agg(pl.col("who").last())
    )
    return dict(zip(rows["client_id"].to_list(), rows["who"].to_list(), strict=True))


def build_agenda(
    due: pl.DataFrame,
    *,
    until: dt.date,
    owners: Mapping[str, str] | None = None,
    default_owner: str = "",
    states: Iterable[ItemState] = (),
) -> list[AgendaItem]:
    """Items due on or before ``until`` (overdue ones included), ranked.

    Parameters
    ----------
    due
        :func:`cartera.assistant.cadence.due_contacts`' frame.
    owners
        Client id → owner (the firm's assignments, else who last talked to it).
    states
        Snoozes and reassignments; a snooze moves the item's due date.

    Returns
    -------
    list[AgendaItem]
        Ranked by stake (largest first), then due date, rule and client.
    """
    owners = owners or {}
    rows = due.filter(pl.col("due") <= until).to_dicts()
    items = [
        AgendaItem(
            client_id=r["client_id"],
            name=r["name"] or r["client_id"],
            segment=r["segment"],
            rule=r["rule"],
            due=r["due"],
            stake=float(r["stake"]),
            channel=r["channel"],
            template=r["template"],
            owner=owners.get(r["client_id"], default_owner),
            last_contact=r["last_contact"],
            trigger=r["trigger"],
            params={k: r[k] for k in _PARAMS if r.get(k) is not None},
        )
        for r in rows
    ]
    items = [i for i in apply_states(items, states) if i.due <= until]
    return rank(items)


def rank(items: Iterable[AgendaItem]) -> list[AgendaItem]:
    """Largest stake first; ties by due date, rule order and client id."""
    return sorted(items, key=lambda i: (-i.stake, i.due, _RANK.get(i.rule, 99), i.client_id))


def apply_states(items: Iterable[AgendaItem], states: Iterable[ItemState]) -> list[AgendaItem]:
    """Items with their snoozes (due moved, status ``snoozed``) and new owners."""
    by_key = {s.key: s for s in states}
    out: list[AgendaItem] = []
    for item in items:
        state = by_key.get(item.key)
        if state is not None:
            if state.snoozed_until is not None and state.snoozed_until > item.due:
                item = dataclasses.replace(item, due=state.snoozed_until, status="snoozed")
            if state.owner:
                item = dataclasses.replace(item, owner=state.owner)
        out.append(item)
    return out


def filter_items(
    items: Sequence[AgendaItem], *, owner: str | None = None, week: Week | None = None
) -> list[AgendaItem]:
    """Items of one owner and/or due up to the end of a week (overdue ones kept)."""
    return [
        i
        for i in items
        if (owner is None or i.owner == owner) and (week is None or i.due <= week.end)
    ]


def done(
    item: AgendaItem,
    when: dt.date,
    *,
    kind: str = "call",
    who: str | None = None,
    outcome: str | None = None,
    note: str | None = None,
    next_step: str | None = None,
) -> Interaction:
    """The interaction that marks ``item`` done (logged for its rule: it resets it)."""
    channel = {"call": "phone", "email": "email", "letter": "letter"}.get(kind, "in_person")
    return Interaction(
        client_id=item.client_id,
        when=when,
        kind=kind,
        channel=channel,
        outcome=outcome,
        note=note,
        next_step=next_step,
        who=who or item.owner or None,
        rule=item.rule,
    )


def snooze(item: AgendaItem, until: dt.date, today: dt.date) -> ItemState:
    """Put ``item`` off until ``until`` (a day after ``today``)."""
    if until <= today:
        raise AgendaError(
            N_("A snooze must end after today ({today}), not on {until}."),
            today=today.isoformat(),
            until=until.isoformat(),
        )
    return ItemState(key=item.key, snoozed_until=until)


def reassign(item: AgendaItem, owner: str) -> ItemState:
    """Give ``item`` to ``owner``."""
    if not owner.strip():
        raise AgendaError(N_("Say who the item goes to."))
    return ItemState(key=item.key, owner=owner.strip())
