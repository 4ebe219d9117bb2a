"""Every recommendation's sentence, word for word, in English and Spanish.

The sentences are what a firm reads; a changed word, number format or branch shows
here. Each builder is read on both sides of its branches: a sign at zero, a list of
exactly four clients (the most named) and one more, a missing number (shown as —).
"""

from __future__ import annotations

from typing import Any

import pytest

from cartera.i18n import language
from cartera.result import Recommendation, StressResult
from cartera.scenarios.texts import (
    FIXED_COSTS_HINT,
    FIXED_COSTS_READER_HINT,
    client_list,
    describe,
    format_impact,
    impact_label,
    reader_note,
    renegotiation_option,
    stress_figures,
    title,
)

NAMES = {"A": "Alfa", "B": "Beta", "C": "Gamma", "D": "Delta", "E": "Épsilon"}


def _rec(
    code: str, clients: str = "", impact: dict[str, float | None] | None = None, **params: Any
) -> Recommendation:
    return Recommendation(
        code=code,
        priority=1,
        clients=list(clients),
        impact=impact or {},
        params={"names": NAMES, "currency": "EUR", **params},
    )


ALTERNATIVES = [
    {"client": "C", "contribution": -100.0, "price_rise": 0.123, "terms_days": 60},
    {"client": "D", "contribution": 50.0, "price_rise": 0.05, "terms_days": None},
    {"client": "E", "contribution": None, "price_rise": None, "terms_days": 30},
]

RECS = {
    "single_loss": _rec(
        "single_loss_risk",
        "AB",
        {"profit": 120000.4, "profit_after": -35000.6, "coverage_after": 0.874},
    ),
    "reduce_dependence": _rec(
        "reduce_dependence", "AB", {"share": 0.3456, "target": 0.2, "revenue_to_add": 250000}
    ),
    "let_go": _rec(
        "let_go",
        "CD",
        {"profit_change": 12345.6, "hours_freed": 12.34, "hhi_before": 1800.4, "hhi_after": 1900.6},
        alternatives=ALTERNATIVES,
    ),
    "let_go_nothing_known": _rec("let_go", "C", {"profit_change": -500.0}),
    "let_go_zero": _rec(
        "let_go",
        "C",
        {"profit_change": 0.0, "hours_freed": 0.05, "hhi_before": 10.0, "hhi_after": 9.0},
        alternatives=[{"client": "C", "contribution": 0.0, "price_rise": 0.1, "terms_days": 30}],
    ),
    "let_go_five": _rec(
        "let_go",
        "ABCDE",
        {"profit_change": 1.0},
        alternatives=[
            {"client": c, "contribution": -1.0, "price_rise": None, "terms_days": 30}
            for c in "ABCDE"
        ],
    ),
    "renegotiate_or_let_go": _rec(
        "renegotiate_or_let_go",
        "CD",
        {
            "profit_change": -8000.0,
            "hours_freed": 3.25,
            "overdue_freed": 4000,
            "financing_saving": 1500,
        },
        target_terms=45,
    ),
    "renegotiate_or_let_go_default_terms": _rec(
        "renegotiate_or_let_go", "C", {"profit_change": -10.0, "financing_saving": 25.0}
    ),
    "renegotiate_or_let_go_no_saving": _rec(
        "renegotiate_or_let_go", "C", {"profit_change": -10.0, "financing_saving": 0.0}
    ),
    # Built by hand: the plan's clients still contribute, so its change is never a gain; a
    # gain given anyway reads with its sign.
    "renegotiate_or_let_go_gain": _rec(
        "renegotiate_or_let_go", "C", {"profit_change": 120.0, "financing_saving": None}
    ),
    "renegotiate_loss": _rec(
        "renegotiate", "C", {"contribution": -2500.0, "price_rise": 0.08, "terms_days": 45.0}
    ),
    "renegotiate_terms": _rec(
        "renegotiate",
        "D",
        {"contribution": 3000.0, "terms_days": 60.0, "current_days": 95.0, "gain": 800.0},
    ),
    "renegotiate_break_even": _rec("renegotiate", "E", {"contribution": 0.0, "revenue": 40000.0}),
    "renegotiate_days_without_current": _rec(
        "renegotiate", "D", {"contribution": 10.0, "terms_days": 60.0, "revenue": 100.0}
    ),
    "renegotiate_nothing_known": _rec("renegotiate", "D"),
    "spread": _rec("spread_risk", "ABCDE", {"share": 0.05, "target_min": 0.15, "target_max": 0.3}),
    "spread_no_clients": _rec(
        "spread_risk", "", {"share": 0.05, "target_min": 0.15, "target_max": 0.3}
    ),
    "management": _rec(
        "reduce_management_cost", "", {"share": 0.62, "target_min": 0.15, "target_max": 0.3}
    ),
    "structure": _rec("cover_fixed_costs", "A", {"coverage": 0.654, "target": 0.8, "gap": 90000}),
    "structure_nothing_known": _rec(
        "cover_fixed_costs", "", {"coverage": None, "target": 0.8, "gap": None}
    ),
    "crisis": _rec(
        "prepare_for_crisis", "", {"price_drop": 0.1, "profit": 50000, "crisis_profit": -20000}
    ),
    "seek_margin": _rec(
        "seek_margin_clients",
        "",
        {"count": 3.0, "gross_margin_each": 15000, "current_clients": 2.0, "target_clients": 5.0},
    ),
    "seek_image": _rec(
        "seek_image_clients", "", {"count": 2.0, "current_clients": 1.0, "target_clients": 3.0}
    ),
    "keep_image_flagged": _rec("keep_image", "B", {"contribution": -1200}, flagged=True),
    "keep_image_two": _rec("keep_image", "BE", {"contribution": 300}),
    "keep_image_one": _rec("keep_image", "E", {"contribution": 300}),
    "collect": _rec("collect_overdue", "D", {"amount": 7000.5}),
    "follow_up": _rec("follow_up", "AE", {"revenue_drop": 22000}),
    "watch": _rec("watch_dependence", "AX", {"flag": 0.1}, shares={"A": 0.25, "X": 0.125}),
    "unknown_code": _rec("no_such_code"),
}

ENGLISH = {
    "single_loss": "Losing Alfa (A) alone would turn the profit of €120,000 into -€35,001 "
    "(fixed-cost coverage 87%).",
    "reduce_dependence": "Reduce dependence on Alfa (A): 34.6% of revenue (target at most 20%); "
    "€250,000 more sales from other clients would bring it to the target.",
    "let_go": "Let go Gamma (C), Delta (D): profit +€12,346, 12.3 service hours freed, "
    "HHI 1,800 → 1,901. To keep them instead, each breaks even with: Gamma (C): +12.3% price "
    "or terms down to 60 days.",
    "let_go_nothing_known": "Let go Gamma (C): profit -€500, 0.0 service hours freed, HHI 0 → 0.",
    "let_go_zero": "Let go Gamma (C): profit €0, 0.0 service hours freed, HHI 10 → 9.",
    "let_go_five": "Let go Alfa (A), Beta (B), Gamma (C), Delta (D) and 1 more: profit +€1, "
    "0.0 service hours freed, HHI 0 → 0. To keep them instead, each breaks even with: "
    "Alfa (A): terms down to 30 days; Beta (B): terms down to 30 days; Gamma (C): terms down "
    "to 30 days; Delta (D): terms down to 30 days.",
    "renegotiate_or_let_go": "Gamma (C), Delta (D) pay late or return a lot but still "
    "contribute €8,000: renegotiate first and let go whoever refuses. Letting them all go "
    "would free 3.2 service hours and €4,000 overdue, and change profit by -€8,000. Payment "
    "terms of 45 days would save €1,500 of financing cost a year.",
    "renegotiate_or_let_go_default_terms": "Gamma (C) pay late or return a lot but still "
    "contribute €10: renegotiate first and let go whoever refuses. Letting them all go would "
    "free 0.0 service hours and — overdue, and change profit by -€10. Payment terms of 60 "
    "days would save €25 of financing cost a year.",
    "renegotiate_or_let_go_no_saving": "Gamma (C) pay late or return a lot but still "
    "contribute €10: renegotiate first and let go whoever refuses. Letting them all go would "
    "free 0.0 service hours and — overdue, and change profit by -€10.",
    "renegotiate_or_let_go_gain": "Gamma (C) pay late or return a lot but still contribute "
    "-€120: renegotiate first and let go whoever refuses. Letting them all go would free 0.0 "
    "service hours and — overdue, and change profit by +€120.",
    "renegotiate_loss": "Renegotiate Gamma (C): it loses €2,500 a year and breaks even with "
    "+8.0% price or terms down to 45 days.",
    "renegotiate_terms": "Renegotiate Delta (D): payment terms from 95 to 60 days would save "
    "€800 of financing cost a year.",
    "renegotiate_break_even": "Renegotiate Épsilon (E): review its prices and service; it "
    "contributes €0 on €40,000 of sales.",
    "renegotiate_days_without_current": "Renegotiate Delta (D): review its prices and service; "
    "it contributes €10 on €100 of sales.",
    "renegotiate_nothing_known": "Renegotiate Delta (D): review its prices and service; it "
    "contributes — on — of sales.",
    "spread": "80% of sales come from 5% of clients (target 15%–30%): one departure hits the "
    "bottom line. Grow the next clients: Alfa (A), Beta (B), Gamma (C), Delta (D) and 1 more.",
    "spread_no_clients": "80% of sales come from 5% of clients (target 15%–30%): one departure "
    "hits the bottom line.",
    "management": "80% of sales come from 62% of clients (target 15%–30%): low risk but high "
    "management and service cost; focus effort on the largest clients.",
    "structure": "Structure clients' gross margin covers 65% of fixed costs (target 80%): "
    "€90,000 more gross margin from steady clients is needed. Candidates to grow: Alfa (A).",
    "structure_nothing_known": "Structure clients' gross margin covers — of fixed costs "
    "(target 80%): — more gross margin from steady clients is needed.",
    "crisis": "In a crisis (every margin client gone, structure prices −10%) profit would fall "
    "from €50,000 to -€20,000: build a reserve or lower fixed costs.",
    "seek_margin": "Margin clients to seek: 3, of about €15,000 gross margin each (2 today, "
    "target 5).",
    "seek_image": "Image clients to seek: 2, names that reassure prospects (1 today, target 3).",
    "keep_image_flagged": "Keep image client Beta (B) although its payments or returns would "
    "get another client let go (contribution -€1,200): it brings credibility and references; "
    "renegotiate instead.",
    "keep_image_two": "Keep image clients Beta (B), Épsilon (E) despite their low profit (€300 "
    "together): they bring credibility and references.",
    "keep_image_one": "Keep image client Épsilon (E) despite its low profit (€300): it brings "
    "credibility and references.",
    "collect": "Collect €7,000 open for more than 90 days; start with Delta (D).",
    "follow_up": "Call the clients whose sales fell by half or more (€22,000 less than the "
    "previous period), starting with Alfa (A), Épsilon (E): check they are satisfied and "
    "remind them of the value delivered.",
    "watch": "Large clients at or above 10% of revenue, to watch: Alfa 25.0%, X 12.5%.",
    "unknown_code": "no_such_code",
}

SPANISH = {
    "single_loss": "Perder solo a Alfa (A) convertiría el beneficio de 120.000\xa0€ en "
    "-35.001\xa0€ (cobertura de costes fijos 87\xa0%).",
    "let_go": "Dejar ir a Gamma (C), Delta (D): beneficio +12.346\xa0€, 12,3 horas de servicio "
    "liberadas, HHI 1.800 → 1.901. Para conservarlos, cada uno llega al equilibrio con: "
    "Gamma (C): +12,3\xa0% de precio o plazo de pago reducido a 60 días.",
    "renegotiate_terms": "Renegociar con Delta (D): pasar el plazo de pago de 95 a 60 días "
    "ahorraría 800\xa0€ al año en coste de financiación.",
    "spread": "El 80\xa0% de las ventas viene del 5\xa0% de los clientes "
    "(objetivo 15\xa0%–30\xa0%): "
    "una sola baja golpea la cuenta de resultados. Hacer crecer a los siguientes clientes: "
    "Alfa (A), Beta (B), Gamma (C), Delta (D) y 1 más.",
    "keep_image_two": "Mantener a los clientes de imagen Beta (B), Épsilon (E) pese a su poco "
    "beneficio (300\xa0€ entre todos): aportan credibilidad y referencias.",
}


def test_every_case_has_its_sentence() -> None:
    assert set(ENGLISH) == set(RECS) and set(SPANISH) <= set(RECS)


@pytest.mark.parametrize("case", sorted(ENGLISH))
def test_english_sentences(case: str) -> None:
    with language("en"):
        assert describe(RECS[case]) == ENGLISH[case]


@pytest.mark.parametrize("case", sorted(SPANISH))
def test_spanish_sentences(case: str) -> None:
    with language("es"):
        assert describe(RECS[case]) == SPANISH[case]


def test_titles_and_client_lists() -> None:
    spread = RECS["spread"]
    with language("en"):
        assert title("let_go") == "Let go"
        assert title("no_such_code") == "no_such_code"
        # At most four clients are named; a name is optional.
        assert client_list(spread, list("ABCD")) == "Alfa (A), Beta (B), Gamma (C), Delta (D)"
        assert client_list(spread) == "Alfa (A), Beta (B), Gamma (C), Delta (D) and 1 more"
        assert client_list(spread, ["X", "A"]) == "X, Alfa (A)"
        assert client_list(spread, []) == ""
    with language("es"):
        assert title("let_go") == "Dejar ir"
        assert client_list(spread) == "Alfa (A), Beta (B), Gamma (C), Delta (D) y 1 más"


def test_renegotiation_options() -> None:
    with language("en"):
        assert [
            renegotiation_option(alt)
            for alt in ({"price_rise": 0.1, "terms_days": 30}, {"price_rise": 0.1},
                        {"terms_days": 30}, {})
        ] == [
            "+10.0% price or terms down to 30 days",
            "a price rise of 10.0% (shorter terms alone would not cover it)",
            "terms down to 30 days",
            "a review of its prices and service",
        ]  # fmt: skip


def test_impact_values_and_labels() -> None:
    values = [("profit", 1234.5), ("share", 0.25), ("count", 1234.0), ("terms_days", 45.0),
              ("hours_freed", 2.25), ("unknown_key", 10.0), ("profit", None)]  # fmt: skip
    with language("en"):
        assert [format_impact(k, v) for k, v in values] == [
            "€1,234", "25.0%", "1,234", "45", "2.2", "€10", "—"
        ]  # fmt: skip
        assert format_impact("gain", 10.0, "USD") == "US$10"
        labels = [impact_label(k) for k in ("profit", "hours_freed", "no_such_key")]
        assert labels == ["Profit", "Service hours freed", "no such key"]
    with language("es"):
        assert format_impact("hours_freed", 2.25) == "2,2"
        assert impact_label("profit") == "Beneficio"


def test_stress_figures_with_and_without_fixed_costs() -> None:
    stress = StressResult(expected_profit=1000.0, profit_p5=-500.0, p_loss=0.125,
                          p_fixed_costs_uncovered=0.2, scenarios=2000, seed=7,
                          baseline_profit=3000.0, fixed_costs=0.0)  # fmt: skip
    with language("en"):
        assert stress_figures(stress, "EUR") == [
            ("Net contribution today", "€3,000"),
            ("Expected net contribution in a crisis", "€1,000"),
            ("Net contribution in the worst 5% of years", "-€500"),
            ("Contribution at risk (today − worst 5%)", "€3,500"),
            ("Simulated years (seed)", "2,000 (7)"),
        ]
        assert stress_figures(stress.model_copy(update={"fixed_costs": 100.0}), "USD") == [
            ("Profit today", "US$3,000"),
            ("Expected profit in a crisis", "US$1,000"),
            ("Profit in the worst 5% of years", "-US$500"),
            ("Chance of a loss", "12.5%"),
            ("Chance fixed costs are not covered", "20.0%"),
            ("Simulated years (seed)", "2,000 (7)"),
        ]
        # The smallest fixed costs already make the figures profit.
        smallest = stress.model_copy(update={"fixed_costs": 0.01})
        assert stress_figures(smallest, "EUR")[0] == ("Profit today", "€3,000")


def test_reader_note() -> None:
    assert reader_note(FIXED_COSTS_HINT) == FIXED_COSTS_READER_HINT
    assert reader_note("other") == "other"


#: Each sentence without a number or a parameter: a missing amount reads "—", a missing
#: count 0, a missing name or share is left out.
NOTHING_KNOWN = {
    "renegotiate_or_let_go": "A pay late or return a lot but still contribute —: renegotiate "
    "first and let go whoever refuses. Letting them all go would free 0.0 service hours and — "
    "overdue, and change profit by —.",
    "single_loss_risk": "Losing A alone would turn the profit of — into — (fixed-cost coverage —).",
    "reduce_dependence": "Reduce dependence on A: — of revenue (target at most —); — more "
    "sales from other clients would bring it to the target.",
    "let_go": "Let go A: profit —, 0.0 service hours freed, HHI 0 → 0.",
    "cover_fixed_costs": "Structure clients' gross margin covers — of fixed costs (target —): "
    "— more gross margin from steady clients is needed. Candidates to grow: A.",
    "spread_risk": "80% of sales come from — of clients (target —–—): one departure hits the "
    "bottom line. Grow the next clients: A.",
    "renegotiate": "Renegotiate A: review its prices and service; it contributes — on — of sales.",
    "prepare_for_crisis": "In a crisis (every margin client gone, structure prices −—) profit "
    "would fall from — to —: build a reserve or lower fixed costs.",
    "seek_margin_clients": "Margin clients to seek: 0, of about — gross margin each (0 today, "
    "target 0).",
    "collect_overdue": "Collect — open for more than 90 days; start with A.",
    "follow_up": "Call the clients whose sales fell by half or more (— less than the previous "
    "period), starting with A: check they are satisfied and remind them of the value "
    "delivered.",
    "keep_image": "Keep image client A despite its low profit (—): it brings credibility and "
    "references.",
    "seek_image_clients": "Image clients to seek: 0, names that reassure prospects (0 today, "
    "target 0).",
    "watch_dependence": "Large clients at or above — of revenue, to watch: A 0.0%.",
    "reduce_management_cost": "80% of sales come from — of clients (target —–—): low risk but "
    "high management and service cost; focus effort on the largest clients.",
}


@pytest.mark.parametrize("code", sorted(NOTHING_KNOWN))
def test_sentences_with_nothing_known(code: str) -> None:
    with language("en"):
        assert (
            describe(Recommendation(code=code, priority=1, clients=["A"])) == (NOTHING_KNOWN[code])
        )


def test_amounts_in_the_recommendation_currency_and_days_from_zero() -> None:
    dollars = Recommendation(
        code="collect_overdue", priority=1, clients=["A"], impact={"amount": 10.0},
        params={"currency": "USD"},
    )  # fmt: skip
    cash = _rec("renegotiate", "D", {"contribution": 5.0, "terms_days": 30.0, "current_days": 0.0})
    with language("en"):
        assert describe(dollars) == "Collect US$10 open for more than 90 days; start with A."
        euros = dollars.model_copy(update={"params": {}})
        assert describe(euros) == "Collect €10 open for more than 90 days; start with A."
        assert describe(cash).startswith("Renegotiate Delta (D): payment terms from 0 to 30 days")
