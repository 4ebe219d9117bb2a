"""Cadence rules: when each client is next due a contact, and why.

One rule per situation (docs/assistant.md, "Cadences"). Every rule gives,
per client it applies to, a *trigger* (the day the situation starts: the end
of a margin client's usual silence, a dunning level's day) and/or a
*cadence* (days between contacts). Next contact:

* cadence rules: the last real interaction + the cadence; never contacted →
  due at ``as_of``;
* trigger rules: the trigger, or the last interaction + the cadence when that
  is later (a logged call resets it);
* one-off rules (new-client checks, dunning levels): the trigger, until an
  interaction logged for the rule (or, for the checks, a conversation on or
  after the trigger) settles it.

Which interactions reset a rule: any real conversation (``contact_kinds``)
for the contact cadences; a meeting or visit for the quarterly review; only
an interaction logged *for that rule* for the reference ask, the
conversations with the numbers and the dunning levels (a routine call is
not a reference ask). Due dates are rolled to the next business day.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import polars as pl

from cartera.assistant.calendar import roll_forward
from cartera.assistant.settings import AssistantSettings

__all__ = ["DUE_COLUMNS", "RULES", "due_contacts"]

#: Every rule, in the order the agenda lists rules of equal stake.
RULES: Final = (
    "dunning_final",
    "dunning_call",
    "dunning_firm",
    "dunning_friendly",
    "structure_call",
    "structure_review",
    "margin_reactivation",
    "lapsing_call",
    "declining_call",
    "renegotiate",
    "let_go",
    "image_call",
    "image_reference",
    "new_first_check",
    "new_followup",
    "dormant_winback",
    "regular_contact",
)
_NUMBERS: Final = (
    "revenue",
    "gross_margin",
    "previous_revenue",
    "net_contribution",
    "overdue",
    "days_past_due",
    "usual_gap",
    "days_since",
    "orders",
)
#: Columns of :func:`due_contacts`' result.
DUE_COLUMNS: Final = (
    "client_id",
    "name",
    "segment",
    "rule",
    "due",
    "trigger",
    "last_contact",
    "cadence_days",
    "stake",
    "channel",
    "template",
    *_NUMBERS,
    "silence",
)
_CONTACT = "contact"
_MEETING = "meeting"
_RULE_ONLY = "rule"


def _base(
    clients: pl.DataFrame,
    rhythm: pl.DataFrame,
    open_items: pl.DataFrame,
    interactions: pl.DataFrame,
    settings: AssistantSettings,
) -> pl.LazyFrame:
    """Clients with their rhythm, overdue figures and last conversations."""
    log = interactions.lazy().with_columns(pl.col("client_id").cast(pl.String))
    contacts = log.group_by("client_id").agg(
        pl.col("when").filter(pl.col("kind").is_in(list(settings.contact_kinds))).max()
        .alias("last_contact"),
        pl.col("when").filter(pl.col("kind").is_in(["meeting", "visit"])).max()
        .alias("last_meeting"),
    )  # fmt: skip
    return (
        clients.lazy()
        .select(
            pl.col("id").cast(pl.String).alias("client_id"),
            pl.col("name").cast(pl.String),
            "segment",
            "action",
            pl.col("reasons").fill_null(""),
            pl.col("revenue").cast(pl.Float64),
            pl.col("gross_margin").cast(pl.Float64),
            pl.col("previous_revenue").cast(pl.Float64).fill_null(0.0),
            pl.col("net_contribution").cast(pl.Float64),
        )
        .join(rhythm.lazy(), on="client_id", how="left")
        .join(open_items.lazy(), on="client_id", how="left")
        .join(contacts, on="client_id", how="left")
        .with_columns(pl.col("overdue").fill_null(0.0))
    )


def _rule(
    frame: pl.LazyFrame,
    rule: str,
    *,
    mode: str,
    reset: str,
    stake: pl.Expr,
    channel: str,
    template: str,
    cadence: int | None = None,
    trigger: pl.Expr | None = None,
) -> pl.LazyFrame:
    return frame.with_columns(
        pl.lit(rule).alias("rule"),
        pl.lit(mode).alias("_mode"),
        pl.lit(reset).alias("_reset"),
        (trigger if trigger is not None else pl.lit(None, pl.Date)).cast(pl.Date).alias("trigger"),
        pl.lit(cadence, pl.Int64).alias("cadence_days"),
        stake.cast(pl.Float64).fill_null(0.0).alias("stake"),
        pl.lit(channel).alias("channel"),
        pl.lit(template).alias("template"),
    )


def _candidates(base: pl.LazyFrame, s: AssistantSettings) -> list[pl.LazyFrame]:
    seg, action, reasons = pl.col("segment"), pl.col("action"), pl.col("reasons")
    revenue = pl.col("revenue")
    days = pl.duration(days=1)
    gap = pl.col("usual_gap").ceil().cast(pl.Int64)
    lapsed = pl.max_horizontal(
        (pl.col("usual_gap") * s.churn.lapsed_multiple).ceil(), pl.lit(s.churn.min_lapse_days)
    ).cast(pl.Int64)
    out = [
        _rule(base.filter(seg == "structure"), "structure_call", mode="cadence", reset=_CONTACT,
              stake=revenue, channel="phone", template="satisfaction_check",
              cadence=s.structure_call_days),
        _rule(base.filter(seg == "structure"), "structure_review", mode="cadence",
              reset=_MEETING, stake=revenue, channel="meeting", template="value_reminder",
              cadence=s.structure_review_days),
        _rule(base.filter((seg == "margin") & (pl.col("orders") >= s.churn.min_orders)),
              "margin_reactivation", mode="trigger", reset=_CONTACT,
              stake=pl.coalesce("gross_margin", "revenue"), channel="phone",
              template="reactivation", cadence=s.margin_repeat_days,
              trigger=pl.col("last_order") + gap * days),
        _rule(base.filter(seg.is_in(["structure", "image", "regular", "new"])
                          & (pl.col("orders") >= s.churn.min_orders)),
              "lapsing_call", mode="trigger", reset=_CONTACT, stake=revenue, channel="phone",
              template="reactivation", cadence=s.margin_repeat_days,
              trigger=pl.col("last_order") + lapsed * days),
        _rule(base.filter(seg == "image"), "image_call", mode="cadence", reset=_CONTACT,
              stake=revenue, channel="phone", template="satisfaction_check",
              cadence=s.image_call_days),
        _rule(base.filter(seg == "image"), "image_reference", mode="cadence", reset=_RULE_ONLY,
              stake=revenue, channel="email", template="reference_ask",
              cadence=s.image_reference_days),
        _rule(base.filter(seg == "new"), "new_first_check", mode="once", reset=_CONTACT,
              stake=revenue, channel="phone", template="satisfaction_check",
              trigger=pl.col("first_order") + pl.duration(days=s.new_first_check_days)),
        _rule(base.filter(seg == "new"), "new_followup", mode="once", reset=_CONTACT,
              stake=revenue, channel="phone", template="value_reminder",
              trigger=pl.col("first_order") + pl.duration(days=s.new_followup_days)),
        _rule(base.filter((seg == "regular") & (action == "keep")), "regular_contact",
              mode="cadence", reset=_CONTACT, stake=revenue, channel="phone",
              template="value_reminder", cadence=s.regular_days),
        _rule(base.filter((seg == "dormant") & (action != "let_go")
                          & ((revenue > 0) | (pl.col("previous_revenue") > 0))),
              "dormant_winback", mode="cadence", reset=_CONTACT,
              stake=pl.max_horizontal(revenue, pl.col("previous_revenue")), channel="phone",
              template="reactivation", cadence=s.dormant_days),
        _rule(base.filter(action == "renegotiate"), "renegotiate", mode="cadence",
              reset=_RULE_ONLY, stake=revenue, channel="meeting", template="renegotiation",
              cadence=s.conversation_days),
        _rule(base.filter(action == "let_go"), "let_go", mode="cadence", reset=_RULE_ONLY,
              stake=pl.col("net_contribution").abs().fill_null(revenue), channel="meeting",
              template="renegotiation", cadence=s.conversation_days),
        _rule(base.filter(reasons.str.contains("declining") & (seg != "dormant")),
              "declining_call", mode="cadence", reset=_CONTACT,
              stake=pl.max_horizontal(pl.col("previous_revenue") - revenue, 0.0),
              channel="phone", template="satisfaction_check", cadence=s.conversation_days),
    ]  # fmt: skip
    levels = s.dunning
    past = pl.col("days_past_due")
    for i, level in enumerate(levels):
        at_level = (past >= level.days) & (pl.col("overdue") > 0)
        if i + 1 < len(levels):
            at_level = at_level & (past < levels[i + 1].days)
        out.append(
            _rule(base.filter(at_level), f"dunning_{level.name}", mode="once", reset=_RULE_ONLY,
                  stake=pl.col("overdue"), channel=level.channel, template=level.template,
                  trigger=pl.col("oldest_due") + pl.duration(days=level.days))
        )  # fmt: skip
    return out


def _last_by_rule(interactions: pl.DataFrame) -> pl.LazyFrame:
    return (
        interactions.lazy()
        .filter(pl.col("rule").is_not_null())
        .group_by(pl.col("client_id").cast(pl.String), "rule")
        .agg(pl.col("when").max().alias("last_rule"))
    )


def due_contacts(
    clients: pl.DataFrame,
    rhythm: pl.DataFrame,
    open_items: pl.DataFrame,
    interactions: pl.DataFrame,
    settings: AssistantSettings,
    as_of: dt.date,
) -> pl.DataFrame:
    """Every rule that applies to every client, with its next due date.

    Parameters
    ----------
    clients
        The analysis' per-client frame (``id, name, segment, action, reasons,
        revenue, gross_margin, previous_revenue, net_contribution``).
    rhythm, open_items
        :func:`cartera.assistant.history.order_rhythm` and ``open_items``.
    interactions
        The interaction log (:mod:`cartera.assistant.interactions`).

    Returns
    -------
    pl.DataFrame
        :data:`DUE_COLUMNS`, one row per (client, rule) still to do; ``due``
        may lie before ``as_of`` (overdue) or after it (upcoming).
    """
    # Computed once: every rule filters the same joined clients.
    base = _base(clients, rhythm, open_items, interactions, settings).collect().lazy()
    frames = [
        f.select(
            "client_id", "name", "segment", "rule", "_mode", "_reset", "trigger", "cadence_days",
            "stake", "channel", "template", "last_contact", "last_meeting", "last_order",
            *_NUMBERS,
        )
        for f in _candidates(base, settings)
    ]  # fmt: skip
    rows = pl.concat(frames, how="vertical_relaxed").join(
        _last_by_rule(interactions), on=["client_id", "rule"], how="left"
    )
    seen = (
        pl.when(pl.col("_reset") == _CONTACT)
        .then(pl.col("last_contact"))
        .when(pl.col("_reset") == _MEETING)
        .then(pl.col("last_meeting"))
        .otherwise(None)
    )
    reset = pl.max_horizontal(seen, pl.col("last_rule"))
    next_after_reset = reset + pl.duration(days=pl.col("cadence_days"))
    mode = pl.col("_mode")
    due = (
        pl.when(mode == "cadence")
        .then(pl.coalesce(next_after_reset, pl.lit(as_of)))
        .when(mode == "trigger")
        .then(pl.max_horizontal(pl.col("trigger"), next_after_reset))
        .otherwise(pl.col("trigger"))
    )
    settled = (mode == "once") & (
        (pl.col("last_rule") >= pl.col("trigger")).fill_null(False)
        | ((seen >= pl.col("trigger")) & (pl.col("_reset") == _CONTACT)).fill_null(False)
    )
    result = (
        rows.with_columns(due.alias("due"), reset.alias("last_contact"))
        .filter(~settled & pl.col("due").is_not_null())
        .select(*DUE_COLUMNS[:-1], "last_order")
        .collect()
    )
    if settings.business_days and result.height:
        result = result.with_columns(roll_forward(result["due"], settings.holidays))
    # Days without an order on the due day (what a call then is about).
    result = result.with_columns(
        (pl.col("due") - pl.col("last_order")).dt.total_days().alias("silence")
    ).select(DUE_COLUMNS)
    order = {rule: i for i, rule in enumerate(RULES)}
    return result.sort(
        pl.col("client_id"), pl.col("rule").replace_strict(order, return_dtype=pl.Int32)
    )
