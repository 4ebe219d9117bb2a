"""What-if loss on a portfolio small enough to check by hand."""

from __future__ import annotations

import json

import pytest

from cartera.errors import UnknownClientError
from cartera.i18n import language
from cartera.scenarios.whatif import DELTA_KEYS, what_if

from .portfolios import TINY, TINY_SETTINGS, analysis


@pytest.fixture
def tiny():
    return analysis(TINY, TINY_SETTINGS)


def test_losing_the_margin_client(tiny) -> None:
    # Before: revenue 1550, net contribution 250+180−30−10 = 390, profit 390−300 = 90.
    result = tiny.without(["B"])
    assert result.lost == ["B"]
    assert result.before.profit == pytest.approx(90.0)
    assert result.after.profit == pytest.approx(-90.0)
    assert result.delta["profit"] == pytest.approx(-180.0)
    assert result.delta["revenue"] == pytest.approx(-400.0)
    assert result.delta["gross_margin"] == pytest.approx(-200.0)
    assert result.delta["net_contribution"] == pytest.approx(-180.0)
    assert result.delta["clients"] == -1
    assert result.hours_freed == pytest.approx(2.0)
    # HHI = 10,000·Σs²: (1000²+400²+100²+50²)/1550² → (1000²+100²+50²)/1150².
    assert result.before.hhi == pytest.approx(10_000 * 1_172_500 / 1550**2)
    assert result.after.hhi == pytest.approx(10_000 * 1_012_500 / 1150**2)
    # N80: A and B make 80% of 1550; A alone makes 87% of 1150.
    assert result.before.pareto.clients_for_80pct == 2
    assert result.after.pareto.clients_for_80pct == 1
    assert result.delta["share_of_clients_for_80pct"] == pytest.approx(1 / 3 - 1 / 2)
    # Coverage = structure gross margin / fixed costs: A (300) stays.
    assert result.after.fixed_cost_coverage == pytest.approx(1.0)
    assert result.delta["fixed_cost_coverage"] == pytest.approx(0.0)


def test_losing_several_clients_and_the_structure_client(tiny) -> None:
    result = what_if(tiny, ["A", "C", "A"], TINY_SETTINGS)
    assert result.lost == ["A", "C"]  # de-duplicated, order kept
    assert result.after.profit == pytest.approx(180 - 10 - 300)
    assert result.after.fixed_cost_coverage == pytest.approx(0.0)
    assert result.hours_freed == pytest.approx(15.0)
    assert result.after.pareto.band in {"high_risk", "typical", "low_risk_high_cost"}


def test_a_single_id_string_is_one_client(tiny) -> None:
    assert tiny.without("D").lost == ["D"]


def test_losing_every_client(tiny) -> None:
    result = tiny.without(["A", "B", "C", "D"])
    assert result.after.clients == 0
    assert result.after.revenue == 0
    assert result.delta["revenue"] == pytest.approx(-1550.0)


def test_json_has_the_contract_keys(tiny) -> None:
    data = json.loads(json.dumps(tiny.without(["B"]).to_contract(), allow_nan=False))
    assert {"before", "after", "delta", "lost"} <= set(data)
    for key in ("revenue", "gross_margin", "net_contribution", "profit", "hhi", "pareto"):
        assert key in data["before"] and key in data["after"]
    assert set(data["delta"]) == set(DELTA_KEYS)


def test_unknown_ids_list_close_matches(tiny) -> None:
    with pytest.raises(UnknownClientError) as info:
        tiny.without(["B", "a", "Gam", "ZZZ"])
    err = info.value
    assert err.unknown == ["a", "Gam", "ZZZ"]
    assert err.suggestions["a"] == ["A"]
    assert err.suggestions["Gam"] == ["C"]  # by name
    assert err.suggestions["ZZZ"] == []
    with language("en"):
        text = err.render()
    assert "a, Gam, ZZZ" in text
    assert "«a»" in text and "A" in text
