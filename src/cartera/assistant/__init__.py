"""The follow-up assistant: cadences, agenda, churn risk, health, surveys, messages, reminders.

Pure rules: every function takes the analysis' per-client frame and plain
rows or frames (documents, interactions, survey answers, a sent ledger) and
returns plain results. Nothing here reads or writes the store or a file;
the CLI and the web app load, call and save (docs/assistant.md).
"""

from __future__ import annotations

from cartera.assistant.agenda import (
    AgendaItem,
    ItemState,
    Week,
    build_agenda,
    done,
    filter_items,
    owners_from_log,
    reassign,
    snooze,
    week_of,
)
from cartera.assistant.cadence import RULES, due_contacts
from cartera.assistant.interactions import Interaction, from_activities
from cartera.assistant.plan import plan
from cartera.assistant.settings import AssistantSettings, load_assistant_settings

__all__ = [
    "RULES",
    "AgendaItem",
    "AssistantSettings",
    "Interaction",
    "ItemState",
    "Week",
    "build_agenda",
    "done",
    "due_contacts",
    "filter_items",
    "from_activities",
    "load_assistant_settings",
    "owners_from_log",
    "plan",
    "reassign",
    "snooze",
    "week_of",
]
