"""Localised names of the codes a result holds (segments, actions, reasons, bands).

Every function translates at call time, so the current language (or the
``lang`` a renderer switched to with :func:`cartera.i18n.language`) decides.
Numbers inside texts go through the cached Babel formatters of :mod:`cartera.i18n_fast`
(the same text as the helpers of :mod:`cartera.i18n`).
"""

from __future__ import annotations

from collections.abc import Callable

from cartera.i18n import N_, _, share_text
from cartera.i18n_fast import money_format, number_format, percent_format
from cartera.result import Reason

__all__ = [
    "action_label",
    "aging_label",
    "band_label",
    "field_label",
    "hhi_label",
    "reason_text",
    "segment_label",
]

_SEGMENTS = {
    "structure": N_("Structure"),
    "margin": N_("Margin"),
    "image": N_("Image"),
    "regular": N_("Regular"),
    "new": N_("New"),
    "dormant": N_("Dormant"),
}

_ACTIONS = {
    "keep": N_("Keep"),
    "grow": N_("Grow"),
    "win_back": N_("Win back"),
    "renegotiate": N_("Renegotiate"),
    "let_go": N_("Let go"),
}

_BANDS = {
    "high_risk": N_("High risk: close to 80/10"),
    "typical": N_("Typical: around 80/20"),
    "low_risk_high_cost": N_("Low risk, high management cost: close to 80/40"),
    "undefined": N_("Undefined (no revenue)"),
}

_AGING = {
    "current": N_("Not yet due"),
    "1_30": N_("1–30 days"),
    "31_60": N_("31–60 days"),
    "61_90": N_("61–90 days"),
    "91_120": N_("91–120 days"),
    "over_120": N_("Over 120 days"),
}


#: Recognised columns in the reader's words (the fields Cartera reads from an export).
_FIELDS = {
    "doc_number": N_("invoice number"),
    "date": N_("date"),
    "client_code": N_("client code"),
    "client_id": N_("client code"),
    "client_name": N_("client name"),
    "name": N_("client name"),
    "tax_id": N_("tax id"),
    "doc_type": N_("document type"),
    "product": N_("product"),
    "units": N_("units"),
    "unit_price": N_("unit price"),
    "discount_pct": N_("discount"),
    "discount_amount": N_("discount amount"),
    "withholding": N_("withholding"),
    "net": N_("net amount"),
    "amount": N_("amount"),
    "vat_pct": N_("VAT rate"),
    "total": N_("total with tax"),
    "cost": N_("cost"),
    "margin": N_("margin"),
    "due_date": N_("due date"),
    "paid_date": N_("payment date"),
    "list_price": N_("list price"),
    "sector": N_("sector"),
    "region": N_("region"),
    "size": N_("size"),
    "image": N_("image client"),
    "reputation": N_("reputation"),
    "contact": N_("contact person"),
    "email": N_("email"),
    "phone": N_("phone"),
    "terms_days": N_("payment terms (days)"),
    "hours": N_("hours"),
    "kind": N_("kind"),
    "note": N_("note"),
    "series": N_("invoice series"),
    "status": N_("invoice status"),
    "vat_amount": N_("VAT amount"),
    "paid_amount": N_("amount paid"),
    "exempt": N_("tax-exempt amount"),
    "currency": N_("currency"),
    "cancelled": N_("cancellation date"),
}


def field_label(code: str) -> str:
    """A column role in the reader's words (``client_name`` → "client name")."""
    return _(_FIELDS[code]) if code in _FIELDS else code.replace("_", " ")


def segment_label(code: str) -> str:
    """``'structure'`` → ``'Estructura'`` / ``'Structure'``."""
    return _(_SEGMENTS[code]) if code in _SEGMENTS else code


def action_label(code: str) -> str:
    """``'let_go'`` → ``'Dejar ir'`` / ``'Let go'``."""
    return _(_ACTIONS[code]) if code in _ACTIONS else code


def band_label(code: str) -> str:
    """The Pareto band in words, with the seed's reference shape."""
    return _(_BANDS[code]) if code in _BANDS else code


def aging_label(code: str) -> str:
    """An aging bucket (``'31_60'``) in words."""
    return _(_AGING[code]) if code in _AGING else code


def hhi_label(hhi: float) -> str:
    """The 2023 DOJ/FTC reading of an HHI on the 0–10,000 scale."""
    if hhi > 1800:
        return _("highly concentrated")
    if hhi >= 1000:
        return _("moderately concentrated")
    return _("unconcentrated")


# Reasons are written for every client (the Excel client sheet): the cached formatters of
# cartera.i18n_fast give fmt_number / fmt_pct / fmt_money's text without Babel per value.
def _days(value: float) -> str:
    return number_format(0)(value)


def _share(value: float) -> str:
    return percent_format(1)(value)


def _fine_share(value: float) -> str:
    # Tiny buyers sit far below 0.01%: one more decimal rather than "0,00 %", and below
    # that the bound "< 0,001 %" rather than "0,000 %" (share_text).
    digits = 2 if abs(value) >= 0.0001 or value == 0 else 3
    return share_text(value, digits, percent_format(digits))


# code → (message id, formatter of value and threshold)
_REASONS: dict[str, tuple[str, Callable[[float], str]]] = {
    "late_payment": (N_("pays in {value} days (limit {threshold})"), _days),
    "high_returns": (N_("credit notes are {value} of invoicing (limit {threshold})"), _share),
    "low_volume": (N_("buys only {value} of revenue (under {threshold})"), _fine_share),
    "service_burden": (N_("service hours eat {value} of its margin (limit {threshold})"), _share),
    "price_pressure": (N_("average discount {value} (limit {threshold})"), _share),
    "dependence": (N_("{value} of all revenue (limit {threshold})"), _share),
    "declining": (N_("sales fell to {value} of the previous period (under {threshold})"), _share),
}


def reason_text(reason: Reason, currency: str = "EUR") -> str:
    """One reason with its numbers: ``'pays in 172 days (limit 120)'``."""
    if reason.code == "negative_contribution":
        return _("loses {value} after serving it").format(
            value=money_format(currency, digits=0)(abs(reason.value))
        )
    message, fmt = _REASONS[reason.code]
    return _(message).format(value=fmt(reason.value), threshold=fmt(reason.threshold))
