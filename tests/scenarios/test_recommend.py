"""Recommendations on the tiny portfolio, and their sentences in both languages."""

from __future__ import annotations

import dataclasses
import json
import re

import polars as pl
import pytest

from cartera.i18n import language
from cartera.result import PortfolioAnalysis, Recommendation, WorstLoss
from cartera.scenarios import CODES, describe, enrich, title
from cartera.scenarios.letgo import let_go_plan, renegotiation
from cartera.scenarios.recommend import (
    _collect,
    _concentration,
    _crisis,
    _dependence,
    _follow_up,
    _keep_image,
    _let_go,
    _names,
    _renegotiate,
    _seek_image,
    _single_loss,
    _structure,
    recommend,
)
from cartera.scenarios.texts import IMPACT_UNITS, TITLES, format_impact, impact_label
from cartera.settings import Settings, Targets

from .portfolios import TINY, TINY_SETTINGS, analysis


@pytest.fixture
def enriched():
    return enrich(analysis(TINY, TINY_SETTINGS), TINY_SETTINGS)


def _by_code(a) -> dict[str, list[Recommendation]]:
    out: dict[str, list[Recommendation]] = {}
    for rec in a.recommendations:
        out.setdefault(rec.code, []).append(rec)
    return out


def test_enrich_fills_the_worst_loss_and_recommendations(enriched) -> None:
    assert enriched.portfolio.worst_single_loss.client == "A"
    codes = _by_code(enriched)
    assert codes["single_loss_risk"][0].impact["profit_after"] == pytest.approx(-160.0)
    assert codes["let_go"][0].clients == ["C"]
    assert codes["let_go"][0].impact["profit_change"] == pytest.approx(30.0)
    assert codes["let_go"][0].impact["hours_freed"] == pytest.approx(10.0)
    assert [r.clients for r in codes["reduce_dependence"]] == [["A"], ["B"]]
    # A at 64.5% of 1550: others must add 1000/0.25 − 1550 = 2450 to bring it to 25%.
    assert codes["reduce_dependence"][0].impact["revenue_to_add"] == pytest.approx(2450.0)
    seek = codes["seek_margin_clients"][0].impact
    assert seek["count"] == 2 and seek["gross_margin_each"] == pytest.approx(200.0)
    assert codes["keep_image"][0].clients == ["D"]
    assert codes["prepare_for_crisis"][0].impact["crisis_profit"] == pytest.approx(-190.0)
    assert [r.priority for r in enriched.recommendations] == sorted(
        r.priority for r in enriched.recommendations
    )


def test_image_clients_are_never_let_go(enriched) -> None:
    let_go = {c for r in enriched.recommendations if r.code == "let_go" for c in r.clients}
    assert "D" not in let_go


def test_structure_coverage_target() -> None:
    # Fixed costs 1000: structure margin 300 covers 30% (< 80%), 500 missing.
    s = Settings(fixed_costs=1000.0)
    a = enrich(analysis(TINY, s), s)
    rec = _by_code(a)["cover_fixed_costs"][0]
    assert rec.impact["coverage"] == pytest.approx(0.3)
    assert rec.impact["gap"] == pytest.approx(500.0)
    assert rec.clients == []  # C, the only regular client, is to be let go, not grown


def test_concentration_targets() -> None:
    wide = Settings(fixed_costs=300.0, targets=Targets(n80_min_share=0.6, n80_max_share=0.9))
    rec = _by_code(enrich(analysis(TINY, wide), wide))["spread_risk"][0]
    assert rec.impact["share"] == pytest.approx(0.5)
    assert rec.clients == ["C", "D"]  # the clients after the 80%
    narrow = Settings(fixed_costs=300.0)
    assert "reduce_management_cost" in _by_code(enrich(analysis(TINY, narrow), narrow))


def test_contract_is_json(enriched) -> None:
    data = json.loads(json.dumps(enriched.to_contract(), allow_nan=False))
    assert data["portfolio"]["worst_single_loss"]["client"] == "A"
    for rec in data["recommendations"]:
        assert {"code", "priority", "clients", "impact"} <= set(rec)
        assert rec["code"] in CODES


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_recommendation_reads_in_both_languages(enriched, lang: str) -> None:
    with language(lang):
        for rec in enriched.recommendations:
            text = describe(rec)
            assert text and not re.search(r"\{\w+\}", text), text
            assert title(rec.code) != rec.code
            for key, value in rec.impact.items():
                assert format_impact(key, value, "EUR")
                assert impact_label(key) != key.replace("_", " ")


def test_sentences_are_translated(enriched) -> None:
    rec = _by_code(enriched)["let_go"][0]
    with language("es"):
        es = describe(rec)
    with language("en"):
        en = describe(rec)
    assert es != en
    assert "Gamma (C)" in es and "30,0" in es
    assert "30.0%" in en


def test_every_code_has_a_title_and_units_cover_the_impacts(enriched) -> None:
    assert set(CODES) == set(TITLES)
    keys = {k for r in enriched.recommendations for k in r.impact}
    assert keys <= set(IMPACT_UNITS)


def test_without_cost_data() -> None:
    rows = [{**r, "gross_margin": None, "net_contribution": None} for r in TINY]
    a = enrich(analysis(rows, TINY_SETTINGS), TINY_SETTINGS)
    assert a.portfolio.worst_single_loss.client == "A"  # largest revenue
    assert a.portfolio.worst_single_loss.profit_after is None
    codes = _by_code(a)
    assert codes["let_go"][0].clients == ["C"]
    assert codes["let_go"][0].impact["profit_change"] is None
    assert "seek_margin_clients" not in codes and "prepare_for_crisis" not in codes
    with language("en"):
        assert all(describe(r) for r in a.recommendations)


def test_empty_portfolio() -> None:
    empty = enrich(analysis([], TINY_SETTINGS), TINY_SETTINGS)
    assert empty.portfolio.worst_single_loss is None
    assert {r.code for r in empty.recommendations} <= set(CODES)


def test_let_go_clients_that_still_contribute_are_renegotiated_first() -> None:
    late = {"id": "E", "name": "Épsilon", "action": "let_go", "reasons": "late_payment",
            "revenue": 200.0, "gross_margin": 60.0, "cost_to_serve": 20.0,
            "financing_cost": 16.0, "days_to_pay": 160.0, "service_hours": 3.0}  # fmt: skip
    a = enrich(analysis([*TINY, late], TINY_SETTINGS), TINY_SETTINGS)
    codes = _by_code(a)
    assert codes["let_go"][0].clients == ["C"]
    rec = codes["renegotiate_or_let_go"][0]
    assert rec.clients == ["E"] and rec.priority == 2
    assert rec.impact["profit_change"] == pytest.approx(-40.0)
    assert rec.impact["financing_saving"] == pytest.approx(16.0 * (1 - 60 / 160))
    with language("en"):
        text = describe(rec)
    assert "60 days" in text and "€10" in text


def test_the_let_go_params_list_each_plan_client_with_its_name_and_alternative() -> None:
    from cartera.scenarios import let_go_plan

    late = [{"id": f"L{i}", "name": "" if i == 1 else f"Late {i}", "action": "let_go",
             "reasons": "late_payment", "revenue": 100.0, "gross_margin": 10.0 + i,
             "cost_to_serve": 40.0, "financing_cost": 40.0 * i, "days_to_pay": 90.0 + i}
            for i in range(3)]  # fmt: skip
    a = enrich(analysis([*TINY, *late], TINY_SETTINGS), TINY_SETTINGS)
    rec = _by_code(a)["let_go"][0]
    plan = let_go_plan(a.clients_frame, a.portfolio, TINY_SETTINGS, only="losing")
    assert rec.clients == plan.clients == ["C", "L0", "L1", "L2"]  # worst contribution first
    assert list(rec.params) == ["alternatives", "target_terms", "currency", "names"]
    assert rec.params["names"] == {"C": "Gamma", "L0": "Late 0", "L1": "", "L2": "Late 2"}
    assert list(rec.params["alternatives"]) == [alt.as_params() for alt in plan.alternatives]
    gains = [alt.gain for alt in plan.alternatives if alt.gain is not None]
    assert len(gains) == 2 and rec.impact["financing_saving"] == sum(gains)
    assert plan.table.columns == list(type(plan.alternatives[0])._fields)


def test_image_clients_the_rules_would_renegotiate_get_a_flagged_keep_image() -> None:
    from types import SimpleNamespace

    import polars as pl

    from cartera.scenarios.recommend import _keep_image

    frame = pl.DataFrame({
        "id": ["I1", "I2", "R"], "segment": ["image", "image", "regular"],
        "image": [True, True, False], "action": ["renegotiate", "keep", "renegotiate"],
        "net_contribution": [50.0, 10.0, -5.0], "revenue": [900.0, 300.0, 100.0],
    })  # fmt: skip
    portfolio = SimpleNamespace(net_contribution=300.0, clients=3)  # average 100
    recs = _keep_image(frame, portfolio, Settings())  # type: ignore[arg-type]
    assert [(r.clients, r.priority, r.params["flagged"]) for r in recs] == [
        (["I1"], 2, True),  # late or returning: renegotiate, not let go
        (["I2"], 3, False),  # merely below the average contribution
    ]


def test_names_of_the_recommended_clients() -> None:
    frame = pl.DataFrame({"id": ["A", "B", "C"], "name": ["Ann", None, "Cy"]})
    assert _names(frame, {"A", "B"}) == {"A": "Ann", "B": ""}
    assert _names(frame, set()) == {}
    assert _names(frame.drop("name"), {"A", "C"}) == {"A": "", "C": ""}


@pytest.mark.parametrize(
    ("profit", "after", "risk"),
    [(0.0, -1.0, True), (0.5, -1.0, True), (-0.01, -1.0, False), (0.5, 0.0, False)],
)
def test_a_single_loss_is_a_risk_when_it_turns_a_profit_or_break_even_into_a_loss(
    enriched: PortfolioAnalysis, profit: float, after: float, risk: bool
) -> None:
    portfolio = enriched.portfolio.model_copy(update={"profit": profit})
    worst = WorstLoss(client="A", profit_after=after, coverage_after=0.5)
    expected = Recommendation(
        code="single_loss_risk", priority=1, clients=["A"],
        impact={"profit": profit, "profit_after": after, "coverage_after": 0.5},
    )  # fmt: skip
    assert _single_loss(portfolio, worst) == ([expected] if risk else [])


@pytest.mark.parametrize(
    ("profit", "crisis", "risk"),
    [(0.0, -1.0, True), (0.5, -1.0, True), (-0.01, -1.0, False), (0.5, 0.0, False)],
)
def test_prepare_for_a_crisis_that_turns_a_profit_or_break_even_into_a_loss(
    enriched: PortfolioAnalysis, profit: float, crisis: float, risk: bool
) -> None:
    portfolio = enriched.portfolio.model_copy(update={"profit": profit})
    drop = TINY_SETTINGS.stress.structure_price_drop
    expected = Recommendation(
        code="prepare_for_crisis", priority=2,
        impact={"profit": profit, "crisis_profit": crisis, "price_drop": drop},
    )  # fmt: skip
    assert _crisis(portfolio, TINY_SETTINGS, crisis) == ([expected] if risk else [])


@pytest.mark.parametrize("images", [1, 2])
def test_seek_image_clients_below_the_target_only(images: int) -> None:
    settings = Settings(targets=Targets(min_image_clients=2))
    segments = ["image"] * images + ["regular"] * 3
    frame = pl.DataFrame({"segment": segments, "image": [False] * len(segments)})
    expected = Recommendation(
        code="seek_image_clients", priority=3,
        impact={"count": 1.0, "current_clients": 1.0, "target_clients": 2.0},
    )  # fmt: skip
    assert _seek_image(frame, settings) == ([expected] if images == 1 else [])


def _tiny_recommendations(worst: str, profit_after: float, currency: str) -> list[Recommendation]:
    """The tiny portfolio's recommendations with both let-go plans, ``worst`` the worst loss."""
    a = analysis(TINY, TINY_SETTINGS)
    frame, portfolio = a.clients_frame, a.portfolio
    plans = (
        let_go_plan(frame, portfolio, TINY_SETTINGS, only="losing"),
        let_go_plan(frame, portfolio, TINY_SETTINGS, only="contributing"),
    )
    return recommend(
        frame, portfolio, TINY_SETTINGS, plans=plans,
        worst=WorstLoss(client=worst, profit_after=profit_after, coverage_after=None),
        crisis_profit=None, currency=currency,
    )  # fmt: skip


def test_every_recommendation_carries_the_currency_and_its_clients_names() -> None:
    # A worst loss named after a client the frame does not list (a hand-made one): its
    # name is "" like any nameless client's.
    recs = _tiny_recommendations("GHOST", -1.0, "USD")
    assert recs and {r.params["currency"] for r in recs} == {"USD"}
    single = next(r for r in recs if r.code == "single_loss_risk")
    assert single.params["names"] == {"GHOST": ""}


def test_collect_the_largest_overdue_amounts_first() -> None:
    # Past 90 days: A 150, D 20 (one bucket unknown), B 0.50; C and E owe nothing late.
    frame = pl.DataFrame({
        "id": ["A", "B", "C", "D", "E"],
        "aging_91_120": [100.0, 0.5, 0.0, None, None],
        "aging_over_120": [50.0, 0.0, 0.0, 20.0, None],
    })  # fmt: skip
    settings = Settings(targets=Targets(max_listed_clients=2))
    expected = Recommendation(
        code="collect_overdue", priority=2, clients=["A", "D"],
        impact={"amount": 170.5, "count": 3.0, "listed_amount": 170.0},
    )  # fmt: skip
    assert _collect(frame, settings) == [expected]
    assert _collect(frame.drop("aging_over_120"), settings) == []
    assert _collect(frame.filter(pl.col("id") == "C"), settings) == []


def test_follow_up_the_declining_clients_not_let_go_largest_drop_first() -> None:
    frame = pl.DataFrame({
        "id": ["A", "B", "C", "D", "E"],
        "reasons": ["declining", "low_volume,declining", "declining", "low_volume", None],
        "action": ["keep", "renegotiate", "let_go", "keep", "keep"],
        "previous_revenue": [100.0, None, 100.0, 100.0, 100.0],
        "revenue": [40.0, -10.0, 0.0, 0.0, 0.0],
    })  # fmt: skip
    settings = Settings(targets=Targets(max_listed_clients=1))
    expected = Recommendation(
        code="follow_up", priority=3, clients=["A"],
        impact={"count": 2.0, "revenue_drop": 70.0},
    )  # fmt: skip
    assert _follow_up(frame, settings) == [expected]
    assert _follow_up(frame.drop("reasons"), settings) == []
    assert _follow_up(frame.drop("previous_revenue"), settings) == []
    assert _follow_up(frame.filter(pl.col("id") == "C"), settings) == []


_Expected = tuple[str, int, list[str], float | None] | None


@pytest.mark.parametrize(
    ("clients", "n80", "share", "expected"),
    [
        # 80 % of revenue from 10 % of 10 clients: one more needed to reach 20 %
        (10, 1, 0.1, ("spread_risk", 2, ["R2", "R3"], 1.0)),
        (2, 0, 0.1, ("spread_risk", 2, ["R1", "R2", "R3"], 1.0)),  # two clients are enough
        (10, 2, 0.19, ("spread_risk", 2, ["R3"], 0.0)),  # below the target, none missing
        (10, 2, 0.2, None),  # exactly at the lower target
        (10, 4, 0.4, None),  # exactly at the upper target
        (10, 5, 0.5, ("reduce_management_cost", 3, [], None)),
        (1, 0, 0.1, None),  # one client: no concentration to speak of
    ],
)
def test_concentration_at_its_targets(
    enriched: PortfolioAnalysis,
    clients: int,
    n80: int,
    share: float,
    expected: _Expected,
) -> None:
    before = enriched.portfolio
    pareto = before.pareto.model_copy(
        update={"clients_for_80pct": n80, "share_of_clients_for_80pct": share}
    )
    portfolio = before.model_copy(update={"clients": clients, "pareto": pareto})
    frame = pl.DataFrame({"id": ["R3", "R1", "R2"], "rank": [3, 1, 2]})
    recs = _concentration(frame, portfolio, Settings())
    if expected is None:
        assert recs == []
        return
    code, priority, listed, needed = expected
    impact = {"share": share, "target_min": 0.2, "target_max": 0.4, "top1_share": before.top1_share}
    if needed is not None:
        impact["clients_needed"] = needed
    assert recs == [Recommendation(code=code, priority=priority, clients=listed, impact=impact)]


def test_dependence_above_the_target_and_watched_from_the_flag_up_to_it(
    enriched: PortfolioAnalysis,
) -> None:
    frame = pl.DataFrame({
        "id": ["A", "A2", "B", "C", "D", "E"],
        "revenue_share": [0.30, 0.40, 0.25, 0.10, 0.15, 0.05],
        "revenue": [300.0, 400.0, 250.0, 100.0, 150.0, 50.0],
    })  # fmt: skip
    settings = Settings(targets=Targets(max_client_share=0.25, flag_client_share=0.1))
    portfolio = enriched.portfolio.model_copy(update={"revenue": 1_000.0})

    def reduce(cid: str, share: float, add: float) -> Recommendation:
        impact = {"share": share, "target": 0.25, "revenue_to_add": add}
        return Recommendation(code="reduce_dependence", priority=1, clients=[cid], impact=impact)

    watch = Recommendation(
        code="watch_dependence", priority=3, clients=["B", "D", "C"],
        impact={"count": 3.0, "largest_share": 0.25, "flag": 0.1},
        params={"shares": {"B": 0.25, "D": 0.15, "C": 0.10}},
    )  # fmt: skip
    # A2 and A must bring in 600 and 200 of other sales to be 25 % of the revenue.
    expected = [reduce("A2", 0.40, 600.0), reduce("A", 0.30, 200.0), watch]
    assert _dependence(frame, portfolio, settings) == expected


def test_renegotiate_the_structure_clients_worst_contribution_then_slowest_payer_first() -> None:
    # S2 and S1 lose the same; S2 pays later. S4's payment days are unknown: after them.
    # S3 contributes and comes fourth, past the list's length; R and K are not to renegotiate.
    rows = [
        ("S1", "structure", "renegotiate", -100.0, 90.0),
        ("S2", "structure", "renegotiate", -100.0, 120.0),
        ("S3", "structure", "renegotiate", 50.0, None),
        ("S4", "structure", "renegotiate", -100.0, None),
        ("R", "regular", "renegotiate", -500.0, 150.0),
        ("K", "structure", "keep", -500.0, 150.0),
    ]
    frame = pl.DataFrame(
        [
            {"id": i, "name": f"name {i}", "segment": seg, "action": act, "revenue": 10_000.0,
             "net_contribution": nc, "days_to_pay": days, "financing_cost": 400.0}
            for i, seg, act, nc, days in rows
        ]
    )  # fmt: skip
    settings = Settings(targets=Targets(max_listed_clients=3, target_terms_days=60))
    by_id = {r["id"]: r for r in frame.to_dicts()}
    expected = []
    for cid in ("S2", "S1", "S4"):
        alt = renegotiation(by_id[cid], 60)
        impact = {
            "contribution": alt.contribution, "revenue": alt.revenue,
            "price_rise": alt.price_rise,
            "terms_days": None if alt.terms_days is None else float(alt.terms_days),
            "current_days": alt.current_days, "gain": alt.gain,
        }  # fmt: skip
        expected.append(
            Recommendation(code="renegotiate", priority=2, clients=[cid], impact=impact)
        )
    assert expected[0].impact["terms_days"] is not None  # shorter terms pay S2's loss
    assert _renegotiate(frame, settings) == expected


@pytest.mark.parametrize(
    ("fixed", "given", "target", "margins", "coverage"),
    [
        (2.0, None, 0.5, [0.25, None], 0.125),  # coverage from the structure margin: 0.25 / 2
        (1.0, 0.1, 0.5, [0.25, None], 0.1),  # the portfolio's coverage when it has one
        (1.0, 0.3, 0.3, [0.25, None], None),  # exactly at the target
        (2.0, None, 0.0, [-5.0], None),  # no target
        (0.0, None, 0.5, [0.25], None),  # no fixed costs
    ],
)
def test_cover_fixed_costs_below_the_structure_coverage_target(
    enriched: PortfolioAnalysis,
    fixed: float,
    given: float | None,
    target: float,
    margins: list[float | None],
    coverage: float | None,
) -> None:
    portfolio = enriched.portfolio.model_copy(update={"fixed_cost_coverage": given})
    structure = [("structure", "keep", 1_000.0, gm) for gm in margins]
    others = [
        ("regular", "keep", 100.0, 1.0), ("regular", "grow", 300.0, 1.0),
        ("regular", "renegotiate", 500.0, 1.0), ("new", "keep", 1_000.0, 1.0),
    ]  # fmt: skip
    frame = pl.DataFrame(
        [
            {"id": f"C{i}", "segment": seg, "action": act, "revenue": rev, "gross_margin": gm}
            for i, (seg, act, rev, gm) in enumerate(structure + others)
        ]
    )
    settings = Settings(fixed_costs=fixed, targets=Targets(structure_coverage=target))
    recs = _structure(frame, portfolio, settings)
    if coverage is None:
        assert recs == []
        return
    listed = [f"C{len(structure) + 1}", f"C{len(structure)}"]  # the regular grow, then keep
    gap = target * fixed - 0.25
    impact = {"coverage": coverage, "target": target, "gap": gap}
    assert recs == [
        Recommendation(code="cover_fixed_costs", priority=1, clients=listed, impact=impact)
    ]
    assert _structure(frame, portfolio.model_copy(update={"gross_margin": None}), settings) == []


def test_a_let_go_recommendation_carries_the_portfolio_after_and_no_saving_without_gains() -> None:
    a = analysis(TINY, TINY_SETTINGS)
    plan = let_go_plan(a.clients_frame, a.portfolio, TINY_SETTINGS, only="losing")
    assert plan.after is not None and plan.after.pareto.share_of_clients_for_80pct is not None
    no_gain = dataclasses.replace(
        plan,
        table=plan.table.with_columns(pl.lit(None, dtype=plan.table["gain"].dtype).alias("gain")),
    )
    (rec,) = _let_go(no_gain, "let_go", 1, 60)
    assert rec.impact["n80_share_after"] == plan.after.pareto.share_of_clients_for_80pct
    assert rec.impact["financing_saving"] is None


def test_keep_image_lists_image_clients_below_the_average_contribution_only(
    enriched: PortfolioAnalysis,
) -> None:
    # Average contribution 300 / 3 = 100: I1 at it is not listed, I2 just below is.
    portfolio = enriched.portfolio.model_copy(update={"net_contribution": 300.0, "clients": 3})
    frame = pl.DataFrame({
        "id": ["I1", "I2", "R"], "segment": ["image", "image", "regular"],
        "action": ["keep", "keep", "keep"], "net_contribution": [100.0, 99.5, 0.0],
        "revenue": [1_000.0, 900.0, 10.0],
    })  # fmt: skip
    (rec,) = _keep_image(frame, portfolio, Settings())
    assert (rec.clients, rec.impact["average_contribution"]) == (["I2"], 100.0)


def test_a_recommendation_outside_the_plans_names_its_clients_from_the_frame() -> None:
    # A (Alfa) is named by no let-go plan: its name comes from the frame; C (Gamma) is
    # named by the let-go plan.
    recs = _tiny_recommendations("A", -160.0, "EUR")
    names = {r.code: r.params["names"] for r in recs}
    assert names["single_loss_risk"] == {"A": "Alfa"}
    assert names["let_go"] == {"C": "Gamma"}
