"""Study and communication (issue 15): ideal-client profile, prospects, fit, campaigns.

Pure rules: they take the analysis' per-client frame and plain rows
(clients, prospects, calls) and return plain results; they never import
``store/`` or ``web/``. docs/study.md describes them.
"""

from __future__ import annotations

from cartera.study.attributes import ATTRIBUTES, client_attributes, value_label
from cartera.study.profile import Profile, ProfileRule, ProfileSettings, SegmentProfile, profile
from cartera.study.texts import SEGMENT_CLIENTS, kind_name, rule_sentence

__all__ = [
    "ATTRIBUTES",
    "SEGMENT_CLIENTS",
    "Profile",
    "ProfileRule",
    "ProfileSettings",
    "SegmentProfile",
    "client_attributes",
    "kind_name",
    "profile",
    "rule_sentence",
    "value_label",
]
