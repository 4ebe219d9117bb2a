"""The assumptions section of every report: what the figures rest on, in the reader's words.

Window, as-of date, currency, fixed costs, the costs that make up the cost to
serve, the thresholds behind segments and reasons, and the stress test's
size and seed. Values come from the settings the analysis ran with (kept on
the result) and from the result itself; nothing is recomputed. Each row keeps
its raw value and kind, so the Excel sheet stores numbers, not text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from cartera.i18n import N_, _, fmt_date, fmt_money, fmt_number, fmt_pct
from cartera.result import PortfolioAnalysis, StressResult

__all__ = ["Assumption", "assumptions"]

Kind = Literal["text", "money", "pct", "number", "int", "days"]


@dataclass(frozen=True)
class Assumption:
    """One setting as shown (``text``) and stored (``raw``, of ``kind``), with a ``note``."""

    key: str
    label: str
    text: str
    raw: float | int | str | None
    kind: Kind = "text"
    note: str = ""


#: Settings field → (label, kind). Shares are fractions, shown as percentages.
_COSTS: tuple[tuple[str, str, Kind], ...] = (
    ("hourly_cost", N_("Cost of one hour of service"), "money"),
    ("order_cost", N_("Cost of processing one order"), "money"),
    ("return_cost", N_("Cost of handling one credit note or return"), "money"),
    ("annual_rate", N_("Yearly cost of the credit given to clients"), "pct"),
)
_THRESHOLDS: tuple[tuple[str, str, Kind], ...] = (
    ("late_payment_days", N_("Late payment: days to pay above"), "days"),
    ("high_return_rate", N_("High returns: credit notes above this share of invoicing"), "pct"),
    ("low_volume_share", N_("Low volume: share of revenue below"), "pct"),
    ("service_burden_ratio", N_("Service burden: service cost above this share of margin"), "pct"),
    ("price_pressure_discount", N_("Price pressure: average discount above"), "pct"),
    ("dependence_share", N_("Dependence: one client's share of revenue above"), "pct"),
    ("declining_ratio", N_("Declining: sales below this share of the previous period"), "pct"),
    (
        "structure_min_typical_multiple",
        N_("Structure client: revenue at least this many times the typical client's"),
        "number",
    ),
    (
        "structure_min_active_ratio",
        N_("Structure client: share of months with an invoice of at least"),
        "pct",
    ),
    (
        "structure_fixed_cost_share",
        N_("Structure clients: the top clients who together pay this share of fixed costs"),
        "pct",
    ),
    ("dormant_days", N_("Dormant: no purchase for more than (days)"), "days"),
    ("new_client_days", N_("New client: first purchase less than (days) ago"), "days"),
)


def _text(value: float, kind: Kind, currency: str) -> str:
    if kind == "money":
        return fmt_money(value, currency, digits=2 if value != int(value) else 0)
    if kind == "pct":
        return fmt_pct(value, 1 if abs(value) >= 0.01 or value == 0 else 2)
    return fmt_number(value)


def _row(key: str, label: str, value: Any, kind: Kind, currency: str) -> Assumption:
    return Assumption(key, _(label), _text(float(value), kind, currency), value, kind)


def assumptions(
    analysis: PortfolioAnalysis, stress: StressResult | None = None
) -> list[Assumption]:
    """The settings behind ``analysis`` (and ``stress``) as labelled, formatted rows."""
    cur = analysis.currency
    months = _months(analysis)
    window = _("{start} to {end}").format(
        start=fmt_date(analysis.window.start), end=fmt_date(analysis.window.end)
    )
    rows = [
        Assumption("as_of", _("Analysis date"), fmt_date(analysis.as_of), str(analysis.as_of)),
        Assumption(
            "window",
            _("Window analysed"),
            window,
            window,
            note=_("{n} months").format(n=fmt_number(months)) if months else "",
        ),
        Assumption("currency", _("Currency"), cur, cur),
        _fixed_costs(analysis),
    ]
    settings = analysis._settings
    if settings is not None:
        rows += [_row(k, label, getattr(settings, k), kind, cur) for k, label, kind in _COSTS]
        rows += [
            _row(k, label, getattr(settings.thresholds, k), kind, cur)
            for k, label, kind in _THRESHOLDS
        ]
    if stress is not None:
        rows.append(
            Assumption(
                "stress_scenarios",
                _("Crisis stress test: simulated years"),
                fmt_number(stress.scenarios),
                stress.scenarios,
                "int",
                note=_("random seed {seed}: the same seed gives the same result").format(
                    seed=stress.seed
                ),
            )
        )
    return rows


def _fixed_costs(analysis: PortfolioAnalysis) -> Assumption:
    fixed = analysis.portfolio.fixed_costs
    label = _("Fixed costs per year (salaries, rent…)")
    if fixed:
        return Assumption(
            "fixed_costs", label, fmt_money(fixed, analysis.currency, digits=0), fixed, "money"
        )
    return Assumption(
        "fixed_costs",
        label,
        _("not given"),
        None,
        "money",
        note=_("they are not deducted, and whether clients cover them is not judged"),
    )


def _months(analysis: PortfolioAnalysis) -> int:
    settings = analysis._settings
    if settings is not None:
        return int(settings.window_months)
    return round((analysis.window.end - analysis.window.start).days / 30.4375)
