"""Recommendations on the tiny portfolio, and their sentences in both languages."""

from __future__ import annotations

import json
import re

import pytest

from cartera.i18n import language
from cartera.result import Recommendation
from cartera.scenarios import CODES, describe, enrich, title
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
