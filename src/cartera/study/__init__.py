"""Study and communication (issue 15): ideal-client profile, prospects, fit, campaigns.

Pure rules: they take the analysis' per-client frame and plain rows
(clients, prospects, calls) and return plain results; they never import
``store/`` or ``web/``. docs/study.md describes them.
"""

from __future__ import annotations

from cartera.study.attributes import (
    ATTRIBUTES,
    client_attributes,
    prospect_attributes,
    value_label,
)
from cartera.study.book import BOOK_SCHEMA, add_to_book, book_prospects, empty_book
from cartera.study.campaign import (
    Call,
    CallWindow,
    Campaign,
    CampaignProspect,
    Enrollment,
    ProspectState,
    RetryRule,
    advance,
    apply_call,
    due,
    enroll,
    replay,
    won_client,
)
from cartera.study.fit import FitChoice, FitModel, choose_model, score
from cartera.study.funnel import funnel
from cartera.study.gaps import Gap, call_list, find_gaps
from cartera.study.meetings import AgendaItem, meeting_item, to_ics
from cartera.study.profile import Profile, ProfileRule, ProfileSettings, SegmentProfile, profile
from cartera.study.prospects import dedupe, read_do_not_call, read_prospects
from cartera.study.ranking import Ranking, rank_prospects
from cartera.study.scripts import script
from cartera.study.texts import SEGMENT_CLIENTS, explanation, kind_name, rule_sentence

__all__ = [
    "ATTRIBUTES",
    "BOOK_SCHEMA",
    "SEGMENT_CLIENTS",
    "AgendaItem",
    "Call",
    "CallWindow",
    "Campaign",
    "CampaignProspect",
    "Enrollment",
    "FitChoice",
    "FitModel",
    "Gap",
    "Profile",
    "ProfileRule",
    "ProfileSettings",
    "ProspectState",
    "Ranking",
    "RetryRule",
    "SegmentProfile",
    "add_to_book",
    "advance",
    "apply_call",
    "book_prospects",
    "call_list",
    "choose_model",
    "client_attributes",
    "dedupe",
    "due",
    "empty_book",
    "enroll",
    "explanation",
    "find_gaps",
    "funnel",
    "kind_name",
    "meeting_item",
    "profile",
    "prospect_attributes",
    "rank_prospects",
    "read_do_not_call",
    "read_prospects",
    "replay",
    "rule_sentence",
    "score",
    "script",
    "to_ics",
    "value_label",
    "won_client",
]
