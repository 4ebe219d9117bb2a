"""The report's "who your clients of each kind are" section: the ideal-client profile.

Built from :func:`cartera.study.profile` over the analysis' per-client frame and
the clients file's attributes that :func:`cartera.analyze` keeps on the analysis
(one grouped pass in polars; no loop over clients). The sentences are the
terminal's (:func:`cartera.study.texts.rule_sentence`), so ``cartera profile``,
the study page and the reports say the same thing. The section is left out when
the analysis carries no clients table (built by hand); when the clients file has
no sector, region, size or payment terms it is one line saying which columns
would give it (docs/decisions/0930-profile-in-the-reports.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from cartera.i18n import _, fmt_number
from cartera.report.labels import segment_label
from cartera.result import PortfolioAnalysis
from cartera.study.attributes import attribute_name, client_attributes, value_label
from cartera.study.profile import Profile, ProfileSettings, profile
from cartera.study.texts import join_or, rule_sentence

__all__ = ["ProfileSegmentView", "ProfileView", "profile_view"]

#: Columns of the clients file that can make a rule (tenure comes from the invoices).
FILE_ATTRIBUTES = ("sector", "region", "size", "terms_days")


@dataclass(frozen=True)
class ProfileSegmentView:
    """One segment: its heading (``Structure: 8 clients``) and its rules in words."""

    segment: str
    title: str
    sentences: list[str]


@dataclass(frozen=True)
class ProfileView:
    """The section: an intro, each segment's sentences and one row per rule (for Excel).

    ``note`` alone (no segments) when the clients file has no attribute to profile.
    """

    title: str
    intro: str
    segments: list[ProfileSegmentView]
    #: Column labels of ``rows``, in order.
    columns: list[str]
    #: Per rule: segment, attribute, values, count, segment clients, share, base share,
    #: lift, sentence (numbers raw; Excel formats them).
    rows: list[tuple[str, str, str, int, int, float, float, float, str]]
    note: str = ""


def _has_attributes(table: pl.DataFrame) -> bool:
    present = [c for c in FILE_ATTRIBUTES if c in table.columns]
    if not present or table.height == 0:
        return False
    counts = table.select(pl.col(present).is_not_null().sum()).row(0)
    return any(n > 0 for n in counts)


def profile_view(
    analysis: PortfolioAnalysis, settings: ProfileSettings | None = None
) -> ProfileView | None:
    """The profile section of ``analysis`` in the current language (``None``: no clients table)."""
    table = analysis._client_attributes
    if table is None:
        return None
    title = _("Who your clients of each kind are")
    if not _has_attributes(table):
        note = _(
            "Add a sector, region (province), size (employees) or payment terms column to the "
            "clients file to see which of them each kind of client has more often."
        )
        return ProfileView(title, "", [], [], [], note=note)
    frame = analysis.clients_frame
    if frame.height == 0:
        return None
    result = profile(client_attributes(frame, table), settings)
    return _view(result, title)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _heading(segment: str, clients: int) -> str:
    """``Structure: 8 clients`` (``one client`` when there is one)."""
    if clients == 1:
        return _("{segment}: one client").format(segment=segment_label(segment))
    return _("{segment}: {n} clients").format(segment=segment_label(segment), n=fmt_number(clients))


def _view(result: Profile, title: str) -> ProfileView:
    s = result.settings
    intro = _(
        "Attribute values each kind of client has at least {lift}× as often as the portfolio as "
        "a whole, shared by at least {support} clients of the kind."
    ).format(lift=fmt_number(s.min_lift, 1), support=fmt_number(s.min_support))
    segments, rows = [], []
    for seg in result.segments:
        sentences = [rule_sentence(r) for r in seg.rules] or [_("No attribute value stands out.")]
        segments.append(
            ProfileSegmentView(seg.segment, _heading(seg.segment, seg.clients), sentences)
        )
        for rule, sentence in zip(seg.rules, sentences, strict=False):
            values = join_or([value_label(rule.attribute, v) for v in rule.values])
            rows.append(
                (
                    segment_label(seg.segment),
                    _capital(attribute_name(rule.attribute)),
                    values,
                    rule.count,
                    rule.segment_clients,
                    rule.share,
                    rule.base_share,
                    rule.lift,
                    sentence,
                )
            )
    columns = [
        _("Segment"),
        _("Attribute"),
        _("Values"),
        _("Clients with them"),
        _("Clients of the segment"),
        _("Share"),
        _("Share of all clients"),
        _("Lift"),
        _("In words"),
    ]
    return ProfileView(title, intro, segments, columns, rows)
