"""Localised sentences for recommendations, built from their code and numbers.

Every renderer (terminal, HTML, Excel, PDF) calls :func:`describe` and
:func:`title`, so a recommendation reads the same everywhere. Sentences are
translated at call time, numbers formatted in the current locale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cartera.i18n import N_, _, fmt_money, fmt_number, fmt_pct
from cartera.result import Recommendation, StressResult

__all__ = [
    "FIXED_COSTS_HINT",
    "FIXED_COSTS_READER_HINT",
    "IMPACT_LABELS",
    "IMPACT_UNITS",
    "TITLES",
    "client_list",
    "describe",
    "format_impact",
    "impact_label",
    "reader_note",
    "renegotiation_option",
    "stress_figures",
    "title",
]

#: Short heading of each recommendation code (message ids, translated by :func:`title`).
TITLES: dict[str, str] = {
    "single_loss_risk": N_("One client holds the profit"),
    "reduce_dependence": N_("Reduce dependence"),
    "let_go": N_("Let go"),
    "renegotiate_or_let_go": N_("Renegotiate or let go"),
    "cover_fixed_costs": N_("Cover the fixed costs"),
    "spread_risk": N_("Spread the risk"),
    "renegotiate": N_("Renegotiate"),
    "prepare_for_crisis": N_("Prepare for a crisis"),
    "seek_margin_clients": N_("Seek margin clients"),
    "collect_overdue": N_("Collect overdue receivables"),
    "follow_up": N_("Follow up declining clients"),
    "keep_image": N_("Keep image client"),
    "seek_image_clients": N_("Seek image clients"),
    "watch_dependence": N_("Watch large clients"),
    "reduce_management_cost": N_("Reduce management cost"),
}
_LISTED = 4


def title(code: str) -> str:
    """The heading of a recommendation code in the current language."""
    return _(TITLES.get(code, code))


def describe(rec: Recommendation) -> str:
    """One sentence (or two) stating what to do and its numbers, in the current language."""
    builder = _BUILDERS.get(rec.code)
    return builder(rec) if builder else title(rec.code)


def _money(rec: Recommendation, value: float | None, sign: bool = False) -> str:
    if value is None:
        return "—"
    text = fmt_money(value, rec.params.get("currency", "EUR"), digits=0)
    return "+" + text if sign and value > 0 else text


def _pct(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else fmt_pct(value, digits)


def client_list(rec: Recommendation, ids: list[str] | None = None) -> str:
    """``Name (ID), Name (ID) and 3 more``."""
    names: dict[str, str] = rec.params.get("names", {})
    chosen = rec.clients if ids is None else ids
    shown = [f"{names[c]} ({c})" if names.get(c) else c for c in chosen[:_LISTED]]
    text = ", ".join(shown)
    rest = len(chosen) - len(shown)
    if rest > 0:
        text = _("{clients} and {n} more").format(clients=text, n=rest)
    return text


def _one(rec: Recommendation) -> str:
    return client_list(rec, rec.clients[:1])


def renegotiation_option(alt: dict[str, Any], currency: str = "EUR") -> str:
    """``+14% price or terms down to 60 days`` (or the one that applies)."""
    rise, days = alt.get("price_rise"), alt.get("terms_days")
    if rise is not None and days is not None:
        return _("+{price} price or terms down to {days} days").format(
            price=fmt_pct(rise), days=days
        )
    if rise is not None:
        return _("a price rise of {price} (shorter terms alone would not cover it)").format(
            price=fmt_pct(rise)
        )
    if days is not None:
        return _("terms down to {days} days").format(days=days)
    return _("a review of its prices and service")


def _let_go(rec: Recommendation) -> str:
    i = rec.impact
    hhi = _("HHI {before} → {after}").format(
        before=fmt_number(i.get("hhi_before") or 0), after=fmt_number(i.get("hhi_after") or 0)
    )
    text = _("Let go {clients}: profit {profit}, {hours} service hours freed, {hhi}.").format(
        clients=client_list(rec),
        profit=_money(rec, i.get("profit_change"), sign=True),
        hours=fmt_number(i.get("hours_freed") or 0, 1),
        hhi=hhi,
    )
    currency = rec.params.get("currency", "EUR")
    options = [
        _("{client}: {option}").format(
            client=client_list(rec, [a["client"]]), option=renegotiation_option(a, currency)
        )
        for a in rec.params.get("alternatives", [])[:_LISTED]
        if (a.get("contribution") or 0) < 0
    ]
    if options:
        text += " " + _("To keep them instead, each breaks even with: {options}.").format(
            options="; ".join(options)
        )
    return text


def _renegotiate_or_let_go(rec: Recommendation) -> str:
    i = rec.impact
    change = i.get("profit_change")
    text = _(
        "{clients} pay late or return a lot but still contribute {contribution}: renegotiate "
        "first and let go whoever refuses. Letting them all go would free {hours} service "
        "hours and {overdue} overdue, and change profit by {profit}."
    ).format(
        clients=client_list(rec),
        contribution=_money(rec, None if change is None else -change),
        hours=fmt_number(i.get("hours_freed") or 0, 1),
        overdue=_money(rec, i.get("overdue_freed")),
        profit=_money(rec, change, sign=True),
    )
    if i.get("financing_saving"):
        text += " " + _(
            "Payment terms of {days} days would save {saving} of financing cost a year."
        ).format(days=rec.params.get("target_terms", 60), saving=_money(rec, i["financing_saving"]))
    return text


def _renegotiate(rec: Recommendation) -> str:
    i = rec.impact
    contribution = i.get("contribution")
    days = i.get("terms_days")
    alt = {"price_rise": i.get("price_rise"), "terms_days": None if days is None else int(days)}
    if contribution is not None and contribution < 0:
        return _(
            "Renegotiate {client}: it loses {loss} a year and breaks even with {option}."
        ).format(
            client=_one(rec), loss=_money(rec, -contribution), option=renegotiation_option(alt)
        )
    if days is not None and i.get("current_days") is not None:
        return _(
            "Renegotiate {client}: payment terms from {current} to {days} days would save {gain} "
            "of financing cost a year."
        ).format(
            client=_one(rec),
            current=fmt_number(i["current_days"] or 0),
            days=int(days),
            gain=_money(rec, i.get("gain")),
        )
    return _(
        "Renegotiate {client}: review its prices and service; it contributes {contribution} "
        "on {revenue} of sales."
    ).format(
        client=_one(rec),
        contribution=_money(rec, contribution),
        revenue=_money(rec, i.get("revenue")),
    )


def _single_loss(rec: Recommendation) -> str:
    i = rec.impact
    return _(
        "Losing {client} alone would turn the profit of {profit} into {profit_after} "
        "(fixed-cost coverage {coverage})."
    ).format(
        client=_one(rec),
        profit=_money(rec, i.get("profit")),
        profit_after=_money(rec, i.get("profit_after")),
        coverage=_pct(i.get("coverage_after"), 0),
    )


def _reduce_dependence(rec: Recommendation) -> str:
    i = rec.impact
    return _(
        "Reduce dependence on {client}: {share} of revenue (target at most {target}); {revenue} "
        "more sales from other clients would bring it to the target."
    ).format(
        client=_one(rec),
        share=_pct(i.get("share")),
        target=_pct(i.get("target"), 0),
        revenue=_money(rec, i.get("revenue_to_add")),
    )


def _watch(rec: Recommendation) -> str:
    shares: dict[str, float] = rec.params.get("shares", {})
    names: dict[str, str] = rec.params.get("names", {})
    listed = ", ".join(
        f"{names.get(c) or c} {fmt_pct(shares.get(c, 0.0))}" for c in rec.clients[:_LISTED]
    )
    return _("Large clients at or above {flag} of revenue, to watch: {clients}.").format(
        flag=_pct(rec.impact.get("flag"), 0), clients=listed
    )


def _band(rec: Recommendation) -> dict[str, str]:
    i = rec.impact
    return {
        "share": _pct(i.get("share"), 0),
        "min": _pct(i.get("target_min"), 0),
        "max": _pct(i.get("target_max"), 0),
    }


def _spread(rec: Recommendation) -> str:
    text = _(
        "80% of sales come from {share} of clients (target {min}–{max}): one departure hits "
        "the bottom line."
    ).format(**_band(rec))
    if rec.clients:
        text += " " + _("Grow the next clients: {clients}.").format(clients=client_list(rec))
    return text


def _management(rec: Recommendation) -> str:
    return _(
        "80% of sales come from {share} of clients (target {min}–{max}): low risk but high "
        "management and service cost; focus effort on the largest clients."
    ).format(**_band(rec))


def _structure(rec: Recommendation) -> str:
    i = rec.impact
    text = _(
        "Structure clients' gross margin covers {coverage} of fixed costs (target {target}): "
        "{gap} more gross margin from steady clients is needed."
    ).format(
        coverage=_pct(i.get("coverage"), 0),
        target=_pct(i.get("target"), 0),
        gap=_money(rec, i.get("gap")),
    )
    if rec.clients:
        text += " " + _("Candidates to grow: {clients}.").format(clients=client_list(rec))
    return text


def _crisis(rec: Recommendation) -> str:
    i = rec.impact
    return _(
        "In a crisis (every margin client gone, structure prices −{drop}) profit would fall "
        "from {profit} to {crisis_profit}: build a reserve or lower fixed costs."
    ).format(
        drop=_pct(i.get("price_drop"), 0),
        profit=_money(rec, i.get("profit")),
        crisis_profit=_money(rec, i.get("crisis_profit")),
    )


def _seek_margin(rec: Recommendation) -> str:
    i = rec.impact
    return _(
        "Margin clients to seek: {count}, of about {gross_margin} gross margin each ({current} "
        "today, target {target})."
    ).format(
        count=int(i.get("count") or 0),
        gross_margin=_money(rec, i.get("gross_margin_each")),
        current=int(i.get("current_clients") or 0),
        target=int(i.get("target_clients") or 0),
    )


def _seek_image(rec: Recommendation) -> str:
    i = rec.impact
    return _(
        "Image clients to seek: {count}, names that reassure prospects ({current} today, "
        "target {target})."
    ).format(
        count=int(i.get("count") or 0),
        current=int(i.get("current_clients") or 0),
        target=int(i.get("target_clients") or 0),
    )


def _keep_image(rec: Recommendation) -> str:
    contribution = _money(rec, rec.impact.get("contribution"))
    if rec.params.get("flagged"):
        return _(
            "Keep image client {client} although its payments or returns would get another "
            "client let go (contribution {contribution}): it brings credibility and references; "
            "renegotiate instead."
        ).format(client=_one(rec), contribution=contribution)
    if len(rec.clients) > 1:
        return _(
            "Keep image clients {clients} despite their low profit ({contribution} together): "
            "they bring credibility and references."
        ).format(clients=client_list(rec), contribution=contribution)
    return _(
        "Keep image client {client} despite its low profit ({contribution}): it brings "
        "credibility and references."
    ).format(client=_one(rec), contribution=contribution)


def _collect(rec: Recommendation) -> str:
    return _("Collect {amount} open for more than 90 days; start with {clients}.").format(
        amount=_money(rec, rec.impact.get("amount")), clients=client_list(rec)
    )


def _follow_up(rec: Recommendation) -> str:
    return _(
        "Call the clients whose sales fell by half or more ({drop} less than the previous "
        "period), starting with {clients}: check they are satisfied and remind them of the "
        "value delivered."
    ).format(drop=_money(rec, rec.impact.get("revenue_drop")), clients=client_list(rec))


_BUILDERS: dict[str, Callable[[Recommendation], str]] = {
    "single_loss_risk": _single_loss,
    "reduce_dependence": _reduce_dependence,
    "let_go": _let_go,
    "renegotiate_or_let_go": _renegotiate_or_let_go,
    "cover_fixed_costs": _structure,
    "spread_risk": _spread,
    "renegotiate": _renegotiate,
    "prepare_for_crisis": _crisis,
    "seek_margin_clients": _seek_margin,
    "keep_image": _keep_image,
    "collect_overdue": _collect,
    "follow_up": _follow_up,
    "seek_image_clients": _seek_image,
    "watch_dependence": _watch,
    "reduce_management_cost": _management,
}


#: Unit of each ``impact`` key, so every renderer formats the numbers alike.
IMPACT_UNITS: dict[str, str] = {
    **dict.fromkeys(
        (
            "profit",
            "profit_after",
            "profit_change",
            "revenue_lost",
            "overdue_freed",
            "revenue_to_add",
            "contribution",
            "revenue",
            "gain",
            "gap",
            "crisis_profit",
            "gross_margin_each",
            "gross_margin_total",
            "average_contribution",
            "cost",
            "financing_saving",
            "amount",
            "listed_amount",
            "revenue_drop",
        ),
        "money",
    ),
    **dict.fromkeys(
        (
            "share",
            "target",
            "coverage",
            "coverage_after",
            "target_min",
            "target_max",
            "top1_share",
            "largest_share",
            "flag",
            "price_rise",
            "price_drop",
            "n80_share_before",
            "n80_share_after",
        ),
        "pct",
    ),
    **dict.fromkeys(
        ("count", "current_clients", "target_clients", "clients_needed", "hhi_before", "hhi_after"),
        "number",
    ),
    **dict.fromkeys(("terms_days", "current_days"), "days"),
    "hours_freed": "hours",
}

#: Label of each ``impact`` key (message ids, translated by :func:`impact_label`).
IMPACT_LABELS: dict[str, str] = {
    "profit": N_("Profit"),
    "profit_after": N_("Profit after"),
    "profit_change": N_("Change in profit"),
    "revenue_lost": N_("Revenue lost"),
    "overdue_freed": N_("Overdue no longer at risk"),
    "revenue_to_add": N_("Sales to add elsewhere"),
    "contribution": N_("Net contribution"),
    "revenue": N_("Revenue"),
    "gain": N_("Saving"),
    "financing_saving": N_("Financing saving at the new terms"),
    "gap": N_("Gross margin missing"),
    "crisis_profit": N_("Profit in a crisis"),
    "gross_margin_each": N_("Gross margin each"),
    "gross_margin_total": N_("Gross margin in all"),
    "average_contribution": N_("Average contribution per client"),
    "cost": N_("Yearly cost"),
    "amount": N_("Amount"),
    "listed_amount": N_("Amount of the listed clients"),
    "revenue_drop": N_("Fall in sales"),
    "share": N_("Share"),
    "target": N_("Target"),
    "coverage": N_("Fixed-cost coverage"),
    "coverage_after": N_("Coverage after"),
    "target_min": N_("Target minimum"),
    "target_max": N_("Target maximum"),
    "top1_share": N_("Largest client's share"),
    "largest_share": N_("Largest share"),
    "flag": N_("Flag from"),
    "price_rise": N_("Price rise to break even"),
    "price_drop": N_("Structure price cut"),
    "n80_share_before": N_("Clients for 80% before"),
    "n80_share_after": N_("Clients for 80% after"),
    "count": N_("Clients"),
    "current_clients": N_("Today"),
    "target_clients": N_("Target"),
    "clients_needed": N_("Clients needed"),
    "hhi_before": N_("HHI before"),
    "hhi_after": N_("HHI after"),
    "terms_days": N_("New terms (days)"),
    "current_days": N_("Days to pay today"),
    "hours_freed": N_("Service hours freed"),
}


def impact_label(key: str) -> str:
    """The label of an ``impact`` key in the current language."""
    return _(IMPACT_LABELS[key]) if key in IMPACT_LABELS else key.replace("_", " ")


def format_impact(key: str, value: float | None, currency: str = "EUR") -> str:
    """An ``impact`` value in its unit and the current locale (``—`` when undefined)."""
    if value is None:
        return "—"
    unit = IMPACT_UNITS.get(key, "money")
    if unit == "pct":
        return fmt_pct(value)
    if unit == "number":
        return fmt_number(value)
    if unit == "days":
        return fmt_number(value)
    if unit == "hours":
        return fmt_number(value, 1)
    return fmt_money(value, currency, digits=0)


#: One line saying how to get profit, shown wherever profit would be without fixed costs.
FIXED_COSTS_HINT = N_(
    "No fixed costs given: these are net contributions, not profit. Set fixed_costs in the "
    "settings file (--settings) or pass --fixed-costs to see profit and coverage."
)
#: The same line for a reader of a report or a page (no command-line options).
FIXED_COSTS_READER_HINT = N_(
    "No fixed costs given: these are net contributions, not profit. Enter the firm's yearly "
    "fixed costs in its settings to see profit and coverage."
)


def reader_note(note: str) -> str:
    """``note`` (a message id) as a report or page reader should read it (still untranslated)."""
    return FIXED_COSTS_READER_HINT if note == FIXED_COSTS_HINT else note


def stress_figures(stress: StressResult, currency: str) -> list[tuple[str, str]]:
    """The stress test's headline figures as (label, text), in the user's language.

    Without fixed costs nothing is called profit and no chance of a loss is given:
    the figures are net contribution and the contribution at risk (today minus the
    worst 5 % of years).
    """

    def m(v: float) -> str:
        return fmt_money(v, currency, digits=0)

    seed = (_("Simulated years (seed)"), f"{fmt_number(stress.scenarios)} ({stress.seed})")
    if stress.fixed_costs <= 0:
        return [
            (_("Net contribution today"), m(stress.baseline_profit)),
            (_("Expected net contribution in a crisis"), m(stress.expected_profit)),
            (_("Net contribution in the worst 5% of years"), m(stress.profit_p5)),
            (_("Contribution at risk (today − worst 5%)"),
             m(stress.baseline_profit - stress.profit_p5)),
            seed,
        ]  # fmt: skip
    return [
        (_("Profit today"), m(stress.baseline_profit)),
        (_("Expected profit in a crisis"), m(stress.expected_profit)),
        (_("Profit in the worst 5% of years"), m(stress.profit_p5)),
        (_("Chance of a loss"), fmt_pct(stress.p_loss)),
        (_("Chance fixed costs are not covered"), fmt_pct(stress.p_fixed_costs_uncovered)),
        seed,
    ]
