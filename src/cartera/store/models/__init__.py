"""Store models, one module per concept; importing this package registers them all.

Later features add a module here (and a migration in ``store/migrations``)
rather than growing the existing ones: ``accounts`` (firms, users, roles,
sessions, API tokens), ``imports`` (import runs), ``firm_settings``, ``followup``
(interactions, agenda states, scheduled items, survey tokens, sent ledger, calendar feeds),
``study`` (prospects, do-not-call list, campaigns, calls).
"""

from __future__ import annotations

from cartera.store.models.accounts import ApiToken, Firm, Membership, User, WebSession
from cartera.store.models.firm_settings import FirmSettings
from cartera.store.models.followup import (
    AgendaState,
    CalendarFeed,
    Interaction,
    InteractionRevision,
    ScheduledItem,
    SentReminder,
    SurveyToken,
)
from cartera.store.models.imports import ImportRun
from cartera.store.models.study import (
    Campaign,
    CampaignAssistant,
    CampaignCall,
    CampaignMember,
    DoNotCall,
    Prospect,
)

__all__ = [
    "AgendaState",
    "ApiToken",
    "CalendarFeed",
    "Campaign",
    "CampaignAssistant",
    "CampaignCall",
    "CampaignMember",
    "DoNotCall",
    "Firm",
    "FirmSettings",
    "ImportRun",
    "Interaction",
    "InteractionRevision",
    "Membership",
    "Prospect",
    "ScheduledItem",
    "SentReminder",
    "SurveyToken",
    "User",
    "WebSession",
]
