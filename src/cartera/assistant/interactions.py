"""The interaction log as a plain frame: who talked to which client, when and how.

One row is one interaction (the store keeps them; this module only shapes and
checks them):

==========  ======  ===========================================================
column      type    meaning
==========  ======  ===========================================================
client_id   str     the client's id (as in the analysis)
when        date    day of the interaction
kind        str     one of :data:`KINDS`
channel     str     phone, email, in_person, letter, web (or null)
outcome     str     free text or a code (``csat:4``, ``nps:9``), may be null
note        str     free text, may be null
next_step   str     free text, may be null
who         str     who did it (a user name), may be null
rule        str     the agenda rule the interaction answered (null: none)
==========  ======  ===========================================================

The imported activities table (``client_id, date, kind, hours, note``) becomes
interactions with :func:`from_activities`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Final

import polars as pl

from cartera.errors import InputError, Problem
from cartera.i18n import N_

__all__ = [
    "INTERACTION_SCHEMA",
    "KINDS",
    "Interaction",
    "check_interactions",
    "empty_interactions",
    "from_activities",
    "to_frame",
]

KINDS: Final = ("call", "email", "meeting", "visit", "note", "support", "survey", "letter")
INTERACTION_SCHEMA: Final = {
    "client_id": pl.String,
    "when": pl.Date,
    "kind": pl.String,
    "channel": pl.String,
    "outcome": pl.String,
    "note": pl.String,
    "next_step": pl.String,
    "who": pl.String,
    "rule": pl.String,
}
_CHANNEL: Final = {
    "call": "phone",
    "email": "email",
    "meeting": "in_person",
    "visit": "in_person",
    "support": "phone",
    "survey": "web",
    "letter": "letter",
}


@dataclass(frozen=True)
class Interaction:
    """One logged interaction (a row of the log)."""

    client_id: str
    when: dt.date
    kind: str
    channel: str | None = None
    outcome: str | None = None
    note: str | None = None
    next_step: str | None = None
    who: str | None = None
    rule: str | None = None


def empty_interactions() -> pl.DataFrame:
    """An interaction log with no rows."""
    return pl.DataFrame(schema=INTERACTION_SCHEMA)


def to_frame(rows: Iterable[Interaction]) -> pl.DataFrame:
    """Interactions as the log frame (columns of :data:`INTERACTION_SCHEMA`)."""
    data = [asdict(r) for r in rows]
    return pl.DataFrame(data, schema=INTERACTION_SCHEMA) if data else empty_interactions()


def from_activities(activities: pl.DataFrame) -> pl.DataFrame:
    """The activities table (``client_id, date, kind, note``) as interactions.

    Activities carry no outcome, next step, author or rule; their channel
    follows from the kind (a call is by phone, a visit in person). Unknown or
    missing kinds become ``note`` (they never reset a contact cadence).
    """
    if activities.is_empty():
        return empty_interactions()
    kind = pl.col("kind").fill_null("note")
    kind = pl.when(kind.is_in(list(KINDS))).then(kind).otherwise(pl.lit("note"))
    note = pl.col("note") if "note" in activities.columns else pl.lit(None)
    frame = activities.select(
        pl.col("client_id").cast(pl.String),
        pl.col("date").cast(pl.Date).alias("when"),
        kind.alias("kind"),
        note.cast(pl.String).alias("note"),
    ).with_columns(
        pl.col("kind")
        .replace_strict(_CHANNEL, default=None, return_dtype=pl.String)
        .alias("channel"),
        pl.lit(None, pl.String).alias("outcome"),
    )
    return frame.with_columns(
        pl.lit(None, pl.String).alias("next_step"),
        pl.lit(None, pl.String).alias("who"),
        pl.lit(None, pl.String).alias("rule"),
    ).select(list(INTERACTION_SCHEMA))


def check_interactions(frame: pl.DataFrame, source: str | None = None) -> pl.DataFrame:
    """The log with its columns in order and typed; :class:`InputError` naming each bad row.

    Required: ``client_id``, ``when``, ``kind``; the other columns are added
    as nulls when absent. A kind outside :data:`KINDS` or a missing client or
    date is refused with its row number (1-based) and value.
    """
    missing = [c for c in ("client_id", "when", "kind") if c not in frame.columns]
    if missing:
        raise InputError(
            N_("The interaction log lacks the columns {columns}."),
            [Problem(N_("Missing column."), file=source, column=c, code="missing_column")
             for c in missing],
            columns=", ".join(missing),
        )  # fmt: skip
    full = frame.with_columns(
        pl.lit(None, pl.String).alias(c) for c in INTERACTION_SCHEMA if c not in frame.columns
    ).select(pl.col(c).cast(t, strict=False) for c, t in INTERACTION_SCHEMA.items())
    problems: list[Problem] = []
    for column, bad, expected in (
        ("client_id", full["client_id"].is_null(), N_("a client id")),
        ("when", full["when"].is_null(), N_("a date")),
        ("kind", ~full["kind"].is_in(list(KINDS)).fill_null(False), ", ".join(KINDS)),
    ):
        for row in bad.arg_true().to_list()[:20]:
            value = frame[column][row]
            problems.append(
                Problem(
                    N_("Expected {expected}."),
                    file=source,
                    row=row + 1,
                    column=column,
                    value=None if value is None else str(value),
                    params={"expected": expected},
                    code="bad_interaction",
                )
            )
    if problems:
        raise InputError(N_("The interaction log has bad rows."), problems, total=len(problems))
    return full
