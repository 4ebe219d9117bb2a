"""Profile lifts on a hand-built portfolio; the minimum support and lift at their edges."""

from __future__ import annotations

import polars as pl
import pytest

from cartera.errors import SettingsError
from cartera.i18n import language
from cartera.study.attributes import client_attributes
from cartera.study.profile import ProfileSettings, profile
from cartera.study.texts import rule_sentence


def portfolio() -> pl.DataFrame:
    """8 structure clients (4 Madrid, 2 Barcelona, 2 Sevilla) and 12 regular ones."""
    regions = (
        ["Madrid"] * 4 + ["Barcelona"] * 2 + ["Sevilla"] * 2
        + ["Madrid", "Barcelona"] + ["Sevilla"] * 5 + ["Valencia"] * 5
    )  # fmt: skip
    segments = ["structure"] * 8 + ["regular"] * 12
    return pl.DataFrame(
        {
            "id": [f"C{i:02d}" for i in range(20)],
            "segment": segments,
            "region": regions,
            "sector": ["Logística"] * 3 + [None] * 5 + ["Logística"] + ["Hostelería"] * 11,
        }
    )


def test_lift_share_and_counts_are_the_hand_computed_ones() -> None:
    result = profile(portfolio())
    structure = result.segment("structure")
    region = next(r for r in structure.rules if r.attribute == "region")
    # Madrid: 4 of 8 structure clients, 5 of 20 clients. Barcelona has 2 (< 3): no rule.
    assert region.values == ("Madrid",)
    assert (region.count, region.segment_clients, region.base_count, region.base_clients) == (
        4, 8, 5, 20,
    )  # fmt: skip
    assert region.lift == pytest.approx((4 / 8) / (5 / 20))
    # Sector is unknown for 5 structure clients: counted over the 3 known + 12 regular.
    sector = next(r for r in structure.rules if r.attribute == "sector")
    assert sector.values == ("Logística",)
    assert sector.lift == pytest.approx((3 / 3) / (4 / 15))
    assert [r.attribute for r in structure.rules] == ["sector", "region"]  # highest lift first
    regular = result.segment("regular")
    valencia = next(r for r in regular.rules if r.attribute == "region")
    # Valencia 5/12 vs 5/20 and Sevilla 5/12 vs 7/20: only Valencia reaches 1.5.
    assert valencia.values == ("Valencia",)
    assert valencia.lift == pytest.approx((5 / 12) / (5 / 20))


def test_values_of_one_attribute_are_reported_as_their_union() -> None:
    result = profile(portfolio(), ProfileSettings(min_support=2))
    region = next(r for r in result.segment("structure").rules if r.attribute == "region")
    assert region.values == ("Madrid", "Barcelona")  # lift 2.0, then 1.67
    assert (region.count, region.base_count) == (6, 8)
    assert region.lift == pytest.approx((6 / 8) / (8 / 20))


@pytest.mark.parametrize(("support", "kept"), [(3, True), (4, True), (5, False)])
def test_minimum_support_edge(support: int, kept: bool) -> None:
    # Madrid has exactly 4 structure clients.
    rules = profile(portfolio(), ProfileSettings(min_support=support)).segment("structure").rules
    assert any("Madrid" in r.values for r in rules) is kept


@pytest.mark.parametrize(("lift", "kept"), [(1.99, True), (2.0, True), (2.01, False)])
def test_minimum_lift_edge(lift: float, kept: bool) -> None:
    rules = profile(portfolio(), ProfileSettings(min_lift=lift)).segment("structure").rules
    assert any("Madrid" in r.values for r in rules) is kept


def test_two_clients_make_no_rule() -> None:
    frame = pl.DataFrame(
        {"id": ["a", "b", "c", "d"], "segment": ["image", "image", "regular", "regular"],
         "region": ["Soria", "Soria", "Lugo", "Lugo"]}
    )  # fmt: skip
    assert profile(frame).segment("image").rules == ()


@pytest.mark.parametrize("kwargs", [{"min_support": 0}, {"min_lift": 1.0}, {"max_values": 0}])
def test_bad_settings_are_typed_errors(kwargs: dict[str, float]) -> None:
    with pytest.raises(SettingsError):
        ProfileSettings(**kwargs)  # type: ignore[arg-type]


def test_sentence_in_both_languages() -> None:
    rule = next(
        r
        for r in profile(portfolio(), ProfileSettings(min_support=2)).segment("structure").rules
        if r.attribute == "region"
    )
    with language("en"):
        assert rule_sentence(rule) == (
            "Structure clients are 1.9× more often in Madrid or Barcelona: 6 of 8 (75%), "
            "against 40% of all clients."
        )
    with language("es"):
        assert rule_sentence(rule) == (
            "Los clientes de estructura son 1,9 veces más a menudo de Madrid o Barcelona: "
            "6 de 8 (75\xa0%), frente al 40\xa0% de todos los clientes."
        )


def test_numbers_are_binned_and_text_sizes_kept() -> None:
    frame = pl.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "segment": ["structure"] * 4,
            "tenure_days": [10, 400, 800, None],
        }
    )
    clients = pl.DataFrame(
        {
            "client_id": ["a", "b", "c", "d"],
            "sector": [" Logística ", "", None, "Energía"],
            "region": ["Madrid"] * 4,
            "size": ["9", "10", "250", "Pequeña"],
            "terms_days": [30.0, 31.0, 90.0, 160.0],
        }
    )
    out = client_attributes(frame, clients)
    assert out["sector"].to_list() == ["Logística", None, None, "Energía"]
    assert out["size"].to_list() == ["micro", "small", "large", "Pequeña"]
    assert out["terms"].to_list() == ["t30", "t60", "t90", "t90plus"]
    assert out["tenure"].to_list() == ["y1", "y2", "y5", None]
