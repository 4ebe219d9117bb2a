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
    "silence",
)
#: Frame columns an item is built from, in the order of the loop in :func:`build_agenda`.
_FIELDS = (
    "client_id",
    "name",
    "segment",
    "rule",
    "due",
    "stake",
    "channel",
    "template",
    "last_contact",
    "trigger",
    "owner",
    "status",
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
    owner: str | None = None,
    limit: int | None = None,
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
    owner, limit
        Only this owner's items; only the first ``limit`` after ranking. Both
        are applied in the frame, before any item object is built, so a list
        of a few dozen costs little even at hundreds of thousands of clients.

    Returns
    -------
    list[AgendaItem]
        Ranked by stake (largest first), then due date, rule and client.
    """
    frame = _with_states(_with_owners(due, owners or {}, default_owner), list(states))
    frame = frame.filter(pl.col("due") <= until)
    if owner is not None:
        frame = frame.filter(pl.col("owner") == owner)
    frame = frame.sort(
        pl.col("stake"),
        pl.col("due"),
        pl.col("rule").replace_strict(_RANK, default=99, return_dtype=pl.Int32),
        pl.col("client_id"),
        descending=[True, False, False, False],
    )
    if limit is not None:
        frame = frame.head(limit)
    return _items(frame)


def _with_owners(due: pl.DataFrame, owners: Mapping[str, str], default: str) -> pl.DataFrame:
    table = pl.DataFrame(
        {"client_id": list(owners), "owner": list(owners.values())},
        schema={"client_id": pl.String, "owner": pl.String},
    )
    return due.join(table, on="client_id", how="left").with_columns(
        pl.col("owner").fill_null(default), pl.lit("open").alias("status")
    )


def _with_states(frame: pl.DataFrame, states: list[ItemState]) -> pl.DataFrame:
    if not states:
        return frame
    table = pl.DataFrame(
        {
            "_key": [s.key for s in states],
            "_until": [s.snoozed_until for s in states],
            "_owner": [s.owner or None for s in states],
        },
        schema={"_key": pl.String, "_until": pl.Date, "_owner": pl.String},
    ).unique("_key", keep="last")
    key = pl.concat_str(pl.col("client_id"), pl.lit(":"), pl.col("rule"))
    later = (pl.col("_until") > pl.col("due")).fill_null(False)
    return (
        frame.with_columns(key.alias("_key"))
        .join(table, on="_key", how="left")
        .with_columns(
            pl.when(later).then(pl.col("_until")).otherwise(pl.col("due")).alias("due"),
            pl.when(later).then(pl.lit("snoozed")).otherwise(pl.col("status")).alias("status"),
            pl.coalesce("_owner", "owner").alias("owner"),
        )
        .drop("_key", "_until", "_owner")
    )


def _items(frame: pl.DataFrame) -> list[AgendaItem]:
    present = [k for k in _PARAMS if k in frame.columns]
    columns = {c: frame[c].to_list() for c in (*_FIELDS, *present)}
    values = [columns[k] for k in present]
    return [
        AgendaItem(
            client_id=cid,
            name=name or cid,
            segment=segment,
            rule=rule,
            due=day,
            stake=float(stake),
            channel=channel,
            template=template,
            owner=who,
            status=status,
            last_contact=last,
            trigger=trigger,
            params={k: v[i] for k, v in zip(present, values, strict=True) if v[i] is not None},
        )
        for i, (cid, name, segment, rule, day, stake, channel, template, last, trigger, who,
                status) in enumerate(zip(*(columns[c] for c in _FIELDS), strict=True))
    ]  # fmt: skip


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
