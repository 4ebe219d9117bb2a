"""Call scripts per kind, in Spanish and English, whose opening names what the firm gives.

The seed's three kinds value different things: a structure client steady
supply and prices agreed on volume, a margin client speed and custom work when
it needs them, an image client a partnership that shows. The opening says so
in the first sentence; the rest qualifies the prospect and asks for a meeting.
Campaigns may carry their own edited text (:attr:`Campaign.scripts`).
"""

from __future__ import annotations

from typing import Final

from cartera.errors import InputError
from cartera.i18n import N_, _, language
from cartera.study.campaign import Campaign

__all__ = ["OPENINGS", "script"]

#: The opening of each kind: the value the firm gives clients of that kind.
OPENINGS: Final = {
    "structure": N_(
        "Good morning, {contact}. This is {assistant}, calling on behalf of {firm}: we supply "
        "firms like {prospect} all year round, with steady deliveries, prices agreed on volume "
        "and one person who knows your account."
    ),
    "margin": N_(
        "Good morning, {contact}. This is {assistant}, calling on behalf of {firm}: when "
        "{prospect} needs an urgent or custom order, we deliver it in days, made to measure."
    ),
    "image": N_(
        "Good morning, {contact}. This is {assistant}, calling on behalf of {firm}: we would like "
        "to work with {prospect} as a reference client, with preferred terms, a dedicated team "
        "and a partnership both of us can show."
    ),
}
_BODY: Final = N_(
    "Who decides on these purchases at {prospect}, and how do you buy today? Would you have "
    "half an hour next week so that we can show you how we work?"
)


def script(
    campaign: Campaign,
    lang: str,
    *,
    firm: str,
    prospect: str,
    assistant: str,
    contact: str | None = None,
) -> str:
    """The campaign's script in ``lang`` with the names filled in.

    The campaign's own text for ``lang`` when it has one, else the default of
    its kind. Placeholders: ``{firm}``, ``{prospect}``, ``{contact}``, ``{assistant}``.

    Raises
    ------
    InputError
        When the kind has no script or an edited script names an unknown placeholder.
    """
    values = {
        "firm": firm,
        "prospect": prospect,
        "contact": contact or prospect,
        "assistant": assistant,
    }
    text = campaign.scripts.get(lang)
    if text is None:
        if campaign.kind not in OPENINGS:
            raise InputError(N_("There is no call script for «{value}» clients."),
                             value=campaign.kind)  # fmt: skip
        with language(lang):
            text = _(OPENINGS[campaign.kind]) + "\n\n" + _(_BODY)
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError) as exc:
        raise InputError(
            N_("The call script has an unknown placeholder ({value}); use {{firm}}, "
               "{{prospect}}, {{contact}} or {{assistant}}."),
            value=str(exc),
        ) from exc  # fmt: skip
