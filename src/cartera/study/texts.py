"""Sentences of the study in the current language (profile rules, kinds, gaps).

Every renderer (terminal, JSON's ``text`` fields, the web page) calls these,
so a rule reads the same everywhere; numbers follow the locale.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from cartera.i18n import N_, _, fmt_number, fmt_pct
from cartera.study.attributes import attribute_name, value_label
from cartera.study.gaps import Gap
from cartera.study.profile import ProfileRule

__all__ = [
    "KIND_NAMES",
    "METHOD_NAMES",
    "SEGMENT_CLIENTS",
    "explanation",
    "gap_sentence",
    "join_or",
    "kind_name",
    "rule_sentence",
]

#: "Structure clients" as the subject of a sentence.
SEGMENT_CLIENTS: Final = {
    "structure": N_("Structure clients"),
    "margin": N_("Margin clients"),
    "image": N_("Image clients"),
    "regular": N_("Regular clients"),
    "new": N_("New clients"),
    "dormant": N_("Dormant clients"),
}
#: The target kinds of the study as a noun.
KIND_NAMES: Final = {
    "structure": N_("structure"),
    "margin": N_("margin"),
    "image": N_("image"),
}
#: The fit models by name.
METHOD_NAMES: Final = {
    "naive_bayes": N_("naive Bayes"),
    "logistic": N_("logistic regression"),
}
_WHAT: Final = {
    "sector": N_("in the sector {values}"),
    "region": N_("in {values}"),
    "size": N_("of size {values}"),
    "terms": N_("on payment terms of {values}"),
    "tenure": N_("clients for {values}"),
}
RULE: Final = N_(
    "{subject} are {lift}× more often {what}: {count} of {total} ({share}), against {base} of "
    "all clients."
)


def kind_name(kind: str) -> str:
    return _(KIND_NAMES.get(kind, kind))


def join_or(items: Sequence[str]) -> str:
    """``a``, ``a or b``, ``a, b or c`` in the current language."""
    if len(items) <= 1:
        return "".join(items)
    return _("{first} or {last}").format(first=", ".join(items[:-1]), last=items[-1])


def rule_sentence(rule: ProfileRule) -> str:
    """``Structure clients are 3.1× more often in Madrid or Barcelona: 6 of 8 (75.0%)…``."""
    values = join_or([value_label(rule.attribute, v) for v in rule.values])
    what = _(_WHAT.get(rule.attribute, N_("with {values}"))).format(values=values)
    subject = _(SEGMENT_CLIENTS.get(rule.segment, rule.segment))
    return _(RULE).format(
        subject=subject,
        lift=fmt_number(rule.lift, 1),
        what=what,
        count=fmt_number(rule.count),
        total=fmt_number(rule.segment_clients),
        share=fmt_pct(rule.share, 0),
        base=fmt_pct(rule.base_share, 0),
    )


#: Contributions smaller than this (in log-odds) are not worth naming.
_NEGLIGIBLE: Final = 0.05


def explanation(contributions: Sequence[dict[str, object]], top: int = 3) -> str:
    """``+ sector Logística, + region Madrid, − size micro (1–9 employees)``.

    ``contributions`` are a score's ``{attribute, value, contribution}``
    items, largest absolute first (as :func:`cartera.study.fit.score` gives them).
    """
    parts = []
    for item in contributions:
        value, amount = item["value"], float(item["contribution"])  # type: ignore[arg-type]
        if value is None or abs(amount) < _NEGLIGIBLE:
            continue
        attribute = str(item["attribute"])
        sign = "+" if amount > 0 else "−"
        parts.append(f"{sign} {attribute_name(attribute)} {value_label(attribute, str(value))}")
        if len(parts) == top:
            break
    return ", ".join(parts)


_GAPS: Final = {
    "cover_fixed_costs": N_(
        "Structure clients' gross margin covers {current} of the fixed costs (target {target}): "
        "structure-like prospects first."
    ),
    "no_structure": N_("There is no structure client: structure-like prospects first."),
    "seek_margin_clients": N_(
        "{current} active margin clients (target {target}) bring {share} of the gross margin "
        "(target {share_target}): margin-like prospects first."
    ),
    "seek_image_clients": N_(
        "{current} image clients (target {target}): image-like prospects first."
    ),
    "spread_risk": N_(
        "80% of sales come from {current} of the clients (target at least {target}): many "
        "mid-size prospects rather than one more giant."
    ),
}


def gap_sentence(gap: Gap) -> str:
    """What the portfolio lacks, with its numbers, and whom to call first for it."""
    if gap.code == "cover_fixed_costs" and gap.missing is None:
        return _(_GAPS["no_structure"])
    pct = gap.code in ("cover_fixed_costs", "spread_risk")
    # one decimal: a coverage of 79.6 % against a target of 80 % must not read "80 % (80 %)"
    current = fmt_pct(gap.current, 1) if pct else fmt_number(gap.current)
    target = fmt_pct(gap.target, 0) if pct else fmt_number(gap.target)
    return _(_GAPS[gap.code]).format(
        current=current,
        target=target,
        share="–" if gap.share is None else fmt_pct(gap.share, 1),
        share_target="–" if gap.share_target is None else fmt_pct(gap.share_target, 0),
    )
