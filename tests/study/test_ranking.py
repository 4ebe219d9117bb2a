"""``rank_prospects``: the call list in one call, on a hand-built firm."""

from __future__ import annotations

from typing import Any

import polars as pl

from cartera.settings import Settings
from cartera.study.prospects import read_do_not_call
from cartera.study.ranking import RANKING_COLUMNS, rank_prospects
from scenarios.portfolios import analysis


def firm(margin_clients: bool) -> tuple[Any, pl.DataFrame]:
    rows: list[dict[str, Any]] = [
        {"id": f"R{i}", "revenue": 1_000.0, "gross_margin": 300.0} for i in range(12)
    ]
    if margin_clients:
        rows += [{"id": f"M{i}", "segment": "margin", "revenue": 800.0, "gross_margin": 400.0}
                 for i in range(2)]  # fmt: skip
    result = analysis(rows, Settings())
    clients = pl.DataFrame(
        {
            "client_id": [r["id"] for r in rows],
            "name": [f"Cliente {r['id']}" for r in rows],
            "tax_id": [f"B{i:08d}" for i in range(len(rows))],
            "sector": ["Tecnología" if r["id"].startswith("M") else "Hostelería" for r in rows],
            "region": ["Valencia"] * len(rows),
            "size": ["20"] * len(rows),
        }
    )
    return result, clients


PROSPECTS = pl.DataFrame(
    {
        "file": ["l.csv"] * 4,
        "row": [2, 3, 4, 5],
        "name": ["Hostal Sol", "Tecno Uno", "Tecno Dos", "Cliente R0, S.L."],
        "tax_id": [None, None, None, None],
        "sector": ["Hostelería", "Tecnología", "Tecnología", "Hostelería"],
        "region": ["Valencia"] * 4,
        "size": ["20"] * 4,
        "contact": [None] * 4,
        "phone": ["600000001", "600000002", "600000003", "600000004"],
        "email": [None] * 4,
        "source": ["Web"] * 4,
        "consent": [True] * 4,
    },
    schema_overrides={"tax_id": pl.String, "contact": pl.String, "email": pl.String},
)


def test_margin_look_alikes_first_duplicates_out_do_not_call_last(tmp_path: Any) -> None:
    result, clients = firm(margin_clients=True)
    dnc_file = tmp_path / "r.csv"
    dnc_file.write_text("Teléfono\n600000002\n", encoding="utf-8")
    ranking = rank_prospects(result.clients_frame, result.portfolio, clients, PROSPECTS,
                             Settings(), read_do_not_call(dnc_file))  # fmt: skip
    out = ranking.prospects
    assert list(out.columns) == list(RANKING_COLUMNS)
    # No structure or image client, 2 margin clients of the 3 wanted: only margin has a model.
    assert [(g.kind, round(g.severity, 3)) for g in ranking.gaps] == [
        ("structure", 1.0), ("image", 1.0), ("margin", 0.333),
    ]  # fmt: skip
    assert [m.kind for m in ranking.models] == ["margin"]
    assert out["gap"].to_list() == ["seek_margin_clients"] * 3
    assert out["name"].to_list() == ["Tecno Dos", "Hostal Sol", "Tecno Uno"]
    assert out["refused"].to_list() == [None, None, "do_not_call"]
    assert ranking.duplicates["match"].to_list() == ["R0"]


def test_a_firm_without_any_client_of_a_kind_ranks_nobody() -> None:
    result, clients = firm(margin_clients=False)
    ranking = rank_prospects(result.clients_frame, result.portfolio, clients, PROSPECTS, Settings())
    assert ranking.models == [] and ranking.prospects.height == 0
    assert {g.kind for g in ranking.gaps} >= {"margin", "image"}
