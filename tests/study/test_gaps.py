"""Gaps follow the analysis; the call list ranks prospects by the gap they close."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from cartera.settings import Settings
from cartera.study.gaps import call_list, find_gaps
from scenarios.portfolios import analysis


def rows(margin: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """One structure client (margin 2,000), six regulars, two image clients."""
    out: list[dict[str, Any]] = [
        {"id": "S1", "segment": "structure", "revenue": 10_000.0, "gross_margin": 2_000.0},
        *({"id": f"R{i}", "revenue": 1_000.0, "gross_margin": 300.0} for i in range(6)),
        *({"id": f"I{i}", "segment": "image", "image": True, "revenue": 200.0,
           "gross_margin": 50.0} for i in range(2)),
    ]  # fmt: skip
    return out + (margin or [])


def gaps_of(data: list[dict[str, Any]], fixed: float) -> list[Any]:
    settings = Settings(fixed_costs=fixed)
    result = analysis(data, settings)
    return find_gaps(result.clients_frame, result.portfolio, settings)


def scores(table: dict[int, dict[str, float]]) -> pl.DataFrame:
    return pl.DataFrame(
        [{"index": i, "kind": k, "probability": p} for i, kinds in table.items()
         for k, p in kinds.items()],
        schema={"index": pl.Int64, "kind": pl.String, "probability": pl.Float64},
    )  # fmt: skip


def test_without_margin_clients_margin_like_prospects_come_first() -> None:
    gaps = gaps_of(rows(), fixed=2_500.0)  # structure covers exactly 80 %
    assert [g.kind for g in gaps] == ["margin"]
    margin = gaps[0]
    # No margin client: the typical one is the 80th percentile of gross margins (nearest):
    # [50, 50, 300 × 6, 2000] → 300; three are missing.
    assert (margin.severity, margin.typical_margin, margin.missing) == (1.0, 300.0, 900.0)
    table = {
        0: {"structure": 0.9, "margin": 0.1, "image": 0.05},
        1: {"structure": 0.2, "margin": 0.6, "image": 0.1},
        2: {"structure": 0.1, "margin": 0.3, "image": 0.1},
    }
    ranked = call_list(scores(table), pl.Series([None, None, None], dtype=pl.String), gaps)
    assert ranked["index"].to_list() == [1, 2, 0]
    first = ranked.row(0, named=True)
    assert (first["kind"], first["gap"]) == ("margin", "seek_margin_clients")
    assert first["expected_margin"] == pytest.approx(0.6 * 300)
    assert first["closes"] == pytest.approx(0.6 * 300 / 900)


@pytest.mark.parametrize(("fixed", "gap"), [(2_499.0, False), (2_500.0, False), (2_501.0, True)])
def test_structure_coverage_edge(fixed: float, gap: bool) -> None:
    margin = [{"id": f"M{i}", "segment": "margin", "revenue": 500.0, "gross_margin": 250.0}
              for i in range(3)]  # fmt: skip
    gaps = gaps_of(rows(margin), fixed)
    assert [g.kind for g in gaps] == (["structure"] if gap else [])
    if gap:
        assert gaps[0].severity == pytest.approx((0.8 - 2_000 / fixed) / 0.8)
        assert gaps[0].missing == pytest.approx(0.8 * fixed - 2_000)


def test_lapsing_margin_clients_do_not_count() -> None:
    margin = [
        {"id": "M0", "segment": "margin", "revenue": 500.0, "gross_margin": 250.0},
        {"id": "M1", "segment": "margin", "revenue": 500.0, "gross_margin": 250.0},
        # Last order 200 days ago, usually every 60: more than twice the interval.
        {"id": "M2", "segment": "margin", "revenue": 500.0, "gross_margin": 260.0,
         "recency_days": 200, "order_interval_days": 60.0},
    ]  # fmt: skip
    gaps = gaps_of(rows(margin), fixed=2_500.0)
    assert [g.kind for g in gaps] == ["margin"]
    assert (gaps[0].current, gaps[0].severity) == (2.0, pytest.approx(1 / 3))
    assert gaps[0].typical_margin == 250.0  # median of the three margin clients


def test_no_image_client_and_concentration() -> None:
    data = [r for r in rows() if r.get("segment") != "image"]
    data[0]["revenue"] = 200_000.0  # one giant: 80 % of sales from 1 of 7 clients (14 %)
    gaps = {g.kind: g for g in gaps_of(data, fixed=0.0)}
    assert set(gaps) == {"margin", "image", "spread"}
    assert gaps["image"].severity == 1.0 and gaps["image"].missing == 2.0
    spread = gaps["spread"]
    assert spread.severity == pytest.approx((0.2 - 1 / 7) / 0.2)
    # Same image fit, different sizes: the mid-size prospect first, the large one last.
    table = {i: {"structure": 0.0, "margin": 0.0, "image": 0.5} for i in range(3)}
    sizes = pl.Series(["large", "micro", "medium"])
    assert call_list(scores(table), sizes, list(gaps.values()))["index"].to_list() == [2, 1, 0]


def test_margin_clients_with_a_small_share_of_gross_margin_are_a_gap() -> None:
    """Three active margin clients, but 150 of 4,050 gross margin (3.7 % < 10 %)."""
    margin = [{"id": f"M{i}", "segment": "margin", "revenue": 100.0, "gross_margin": 50.0}
              for i in range(3)]  # fmt: skip
    gaps = gaps_of(rows(margin), fixed=2_500.0)
    assert [g.kind for g in gaps] == ["margin"]
    gap = gaps[0]
    total = 2_000 + 6 * 300 + 2 * 50 + 150
    assert gap.share == pytest.approx(150 / total)
    assert gap.severity == pytest.approx((0.1 - 150 / total) / 0.1)
    assert gap.missing == pytest.approx(0.1 * total - 150)
    table = {
        0: {"structure": 0.9, "margin": 0.2, "image": 0.1},
        1: {"structure": 0.1, "margin": 0.7, "image": 0.1},
    }
    ranked = call_list(scores(table), pl.Series([None, None], dtype=pl.String), gaps)
    assert ranked["index"].to_list() == [1, 0]
    assert ranked.row(0, named=True)["gap"] == "seek_margin_clients"


def test_margin_share_target_reached_is_no_gap() -> None:
    margin = [{"id": f"M{i}", "segment": "margin", "revenue": 100.0, "gross_margin": 50.0}
              for i in range(3)]  # fmt: skip
    settings = Settings(fixed_costs=2_500.0, targets={"min_margin_share": 0.03})
    result = analysis(rows(margin), settings)
    assert find_gaps(result.clients_frame, result.portfolio, settings) == []


def test_gap_sentences_name_the_numbers() -> None:
    from cartera.i18n import language
    from cartera.study.texts import gap_sentence

    margin = [{"id": f"M{i}", "segment": "margin", "revenue": 100.0, "gross_margin": 50.0}
              for i in range(3)]  # fmt: skip
    (gap,) = gaps_of(rows(margin), fixed=2_500.0)
    with language("en"):
        text = gap_sentence(gap)
    assert text.startswith("3 active margin clients (target 3) bring 3.7% of the gross margin")
    (structure,) = gaps_of(rows([{**m, "gross_margin": 250.0} for m in margin]), fixed=2_600.0)
    with language("es"):
        assert "cubre el 76,9\u00a0% de los costes fijos (objetivo 80\u00a0%)" in gap_sentence(
            structure
        )
