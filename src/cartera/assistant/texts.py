"""Localised labels and the "why" of each agenda item (rule + its numbers)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from cartera.assistant.agenda import AgendaItem
from cartera.assistant.messages import Message
from cartera.i18n import N_, _, fmt_date, fmt_money, fmt_number, fmt_pct

__all__ = [
    "CHANNEL_LABELS",
    "CHURN_LABELS",
    "HEALTH_LABELS",
    "KIND_LABELS",
    "ROW_COLUMNS",
    "RULE_LABELS",
    "agenda_rows",
    "channel_label",
    "churn_signal_text",
    "kind_label",
    "label",
    "reminder_message",
    "rule_label",
    "why",
]

RULE_LABELS: Final = {
    "dunning_friendly": N_("Payment reminder (friendly)"),
    "dunning_firm": N_("Payment reminder (firm)"),
    "dunning_call": N_("Payment call"),
    "dunning_final": N_("Final payment notice"),
    "structure_call": N_("Satisfaction call"),
    "structure_review": N_("Quarterly review"),
    "margin_reactivation": N_("Reactivation call"),
    "lapsing_call": N_("Call: the orders have stopped"),
    "declining_call": N_("Call to ask why sales fell"),
    "renegotiate": N_("Renegotiation with the numbers"),
    "let_go": N_("Conversation about terms or parting"),
    "image_call": N_("Relationship call"),
    "image_reference": N_("Reference ask"),
    "new_first_check": N_("Check after the first order"),
    "new_followup": N_("90-day check"),
    "dormant_winback": N_("Win-back call"),
    "regular_contact": N_("Keep-in-touch call"),
}
_WHY: Final = {
    "dunning_friendly": N_("{overdue} overdue; oldest invoice {days_past_due} days past due."),
    "dunning_firm": N_("{overdue} overdue; oldest invoice {days_past_due} days past due."),
    "dunning_call": N_("{overdue} overdue; oldest invoice {days_past_due} days past due."),
    "dunning_final": N_("{overdue} overdue; oldest invoice {days_past_due} days past due."),
    "structure_call": N_("Structure client ({revenue} a year): a satisfaction call every "
                         "{cadence_days} days; {last}."),
    "structure_review": N_("Structure client ({revenue} a year): a review meeting every "
                           "{cadence_days} days; {last}."),
    "margin_reactivation": N_("Margin client ({gross_margin} margin a year): {silence} days "
                              "without an order by the due day, its usual gap is {usual_gap} "
                              "days."),
    "lapsing_call": N_("{silence} days without an order by the due day, more than twice its "
                       "usual gap of {usual_gap} days (churn risk: lapsed); {last}."),
    "declining_call": N_("Sales fell from {previous_revenue} to {revenue}; {last}."),
    "renegotiate": N_("Renegotiate: net contribution {net_contribution} on {revenue} of sales."),
    "let_go": N_("Let go or change terms: net contribution {net_contribution} on {revenue} of "
                 "sales."),
    "image_call": N_("Image client: a relationship call every {cadence_days} days; {last}."),
    "image_reference": N_("Image client: a reference or testimonial ask every {cadence_days} "
                          "days; {last_rule}."),
    "new_first_check": N_("New client: {orders} orders so far; check how the first delivery "
                          "went."),
    "new_followup": N_("New client: 90 days since the first order; {orders} orders so far."),
    "dormant_winback": N_("Dormant client: bought {previous_revenue} the year before, nothing "
                          "for {days_since} days; {last}."),
    "regular_contact": N_("Regular client ({revenue} a year): a contact every {cadence_days} "
                          "days; {last}."),
}  # fmt: skip
CHANNEL_LABELS: Final = {
    "email": N_("e-mail"),
    "phone": N_("phone"),
    "letter": N_("letter"),
    "meeting": N_("meeting"),
    "in_person": N_("in person"),
    "web": N_("web"),
}
KIND_LABELS: Final = {
    "call": N_("call"),
    "email": N_("e-mail"),
    "meeting": N_("meeting"),
    "visit": N_("visit"),
    "note": N_("note"),
    "support": N_("support"),
    "survey": N_("survey"),
    "letter": N_("letter"),
}
#: Health parts and bands, churn statuses, risk levels (one table: codes do not collide).
HEALTH_LABELS: Final = {
    "satisfaction": N_("Satisfaction"),
    "recency": N_("Orders on rhythm"),
    "payment": N_("Payment"),
    "trend": N_("Sales trend"),
    "contact": N_("Contact freshness"),
    "red": N_("red"),
    "amber": N_("amber"),
    "green": N_("green"),
}
CHURN_LABELS: Final = {
    "no_history": N_("too few orders to judge"),
    "active": N_("active"),
    "at_risk": N_("at risk"),
    "lapsed": N_("lapsed"),
    "high": N_("high"),
    "medium": N_("medium"),
    "low": N_("low"),
    "none": N_("none"),
}
_SIGNALS: Final = {
    "silence": N_("{value} days without an order (its usual limit: {threshold})."),
    "falling_trend": N_("Sales at {value} of the previous year (alarm below {threshold})."),
    "payment_worse": N_("Paying {value} days later than the half-year before (alarm above "
                        "{threshold})."),
    "low_satisfaction": N_("Low satisfaction: {value} (alarm at {threshold} or less)."),
}  # fmt: skip
_MONEY: Final = ("revenue", "gross_margin", "previous_revenue", "net_contribution", "overdue")


def rule_label(rule: str) -> str:
    return _(RULE_LABELS[rule]) if rule in RULE_LABELS else rule


def channel_label(channel: str) -> str:
    return _(CHANNEL_LABELS[channel]) if channel in CHANNEL_LABELS else channel


def label(code: str) -> str:
    """A health part or band, churn status or risk level in words."""
    table = {**HEALTH_LABELS, **CHURN_LABELS}
    return _(table[code]) if code in table else code


def churn_signal_text(code: str, value: float, threshold: float) -> str:
    """One churn signal in words, with its value and threshold."""
    if code not in _SIGNALS:
        return code
    if code == "falling_trend":
        shown = (fmt_pct(value, 0), fmt_pct(threshold, 0))
    else:
        shown = (fmt_number(value), fmt_number(threshold))
    return _(_SIGNALS[code]).format(value=shown[0], threshold=shown[1])


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def _last(last: dt.date | None, today: dt.date) -> str:
    if last is None:
        return _("no conversation logged")
    return _("last conversation {date} ({days} days ago)").format(
        date=fmt_date(last), days=fmt_number((today - last).days)
    )


def why(item: AgendaItem, today: dt.date, currency: str = "EUR") -> str:
    """The reason for ``item`` with its numbers, in the current language."""
    values: dict[str, str] = {}
    for key, value in item.params.items():
        if key in _MONEY:
            values[key] = fmt_money(float(value), currency, digits=0)
        else:
            values[key] = fmt_number(float(value))
    for key in (*_MONEY, "days_past_due", "usual_gap", "days_since", "orders", "cadence_days",
                "silence"):  # fmt: skip
        values.setdefault(key, "—")
    last = _last(item.last_contact, today)
    last_rule = _("never asked") if item.last_contact is None else last
    return _(_WHY[item.rule]).format(last=last, last_rule=last_rule, **values)


#: Columns of :func:`agenda_rows` (the CSV/XLSX/JSON export), in order.
ROW_COLUMNS: Final = (
    "due",
    "days_overdue",
    "client_id",
    "name",
    "segment",
    "rule",
    "action",
    "why",
    "stake",
    "channel",
    "template",
    "owner",
    "status",
    "key",
)


def agenda_rows(
    items: list[AgendaItem], today: dt.date, currency: str = "EUR"
) -> list[dict[str, Any]]:
    """One plain dict per item (keys :data:`ROW_COLUMNS`): dates ISO, stake rounded to cents,
    ``action`` and ``why`` in the current language."""
    return [
        {
            "due": item.due.isoformat(),
            "days_overdue": item.days_overdue(today),
            "client_id": item.client_id,
            "name": item.name,
            "segment": item.segment,
            "rule": item.rule,
            "action": rule_label(item.rule),
            "why": why(item, today, currency),
            "stake": round(item.stake, 2),
            "channel": item.channel,
            "template": item.template,
            "owner": item.owner,
            "status": item.status,
            "key": item.key,
        }
        for item in items
    ]


def reminder_message(
    item: AgendaItem, today: dt.date, currency: str, firm: str, lang: str
) -> Message:
    """The e-mail reminding an item's owner of it (in the current language, tagged ``lang``)."""
    due = fmt_date(item.due)
    late = item.days_overdue(today)
    if late:
        due = _("{date} ({days} days late)").format(date=due, days=late)
    action = rule_label(item.rule)
    subject = _("Reminder: {action} — {client}").format(action=action, client=item.name)
    body = _(
        "{action}: {client} ({client_id}), due {due}.\n\nWhy: {why}\nAt stake: {stake}\n"
        "Channel: {channel}\n\n{firm} · Cartera\n"
    ).format(
        action=action, client=item.name, client_id=item.client_id, due=due,
        why=why(item, today, currency), stake=fmt_money(item.stake, currency, digits=0),
        channel=channel_label(item.channel), firm=firm,
    )  # fmt: skip
    return Message(purpose="reminder", lang=lang, subject=subject, body=body)
