"""``cartera agenda`` on the demo firm: the first week lists the planted situations."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from cartera.cli.agenda_cmd import parse_week
from cartera.cli.app import run
from cartera.demo import write_demo
from cartera.errors import SettingsError

LEVELS = ((60, "final"), (30, "call"), (15, "firm"), (1, "friendly"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pl.DataFrame]:
    root = tmp_path_factory.mktemp("agenda")
    data = write_demo(root / "demo", clients=400, lines=30_000, seed=7)
    assert run(["import", str(root / "demo"), "--into", str(root / "ws"), "--lang", "en"]) == 0
    return root / "ws", data.truth


def _agenda(ws: Path, capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    capsys.readouterr()
    assert run(["agenda", str(ws), "--format", "json", "--lang", "en", *args]) == 0
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def _kind(truth: pl.DataFrame, kind: str) -> set[str]:
    return set(truth.filter(pl.col("kind") == kind)["client_id"].to_list())


def test_first_week_lists_the_planted_situations(
    demo: tuple[Path, pl.DataFrame], capsys: pytest.CaptureFixture[str]
) -> None:
    ws, truth = demo
    out = _agenda(ws, capsys)
    as_of = dt.date.fromisoformat(out["as_of"])
    items = out["items"]
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        by_rule.setdefault(item["rule"], []).append(item)
        assert dt.date.fromisoformat(item["due"]) <= as_of + dt.timedelta(days=6)
        assert item["why"] and item["action"]
    stakes = [i["stake"] for i in items]
    assert stakes == sorted(stakes, reverse=True)

    # Slow payers at the right dunning level, computed here from the documents alone.
    docs = pl.read_parquet(ws / "documents.parquet")
    late = docs.filter(
        (pl.col("doc_type") == "invoice") & (pl.col("due_date") < as_of)
        & (pl.col("paid_date").is_null() | (pl.col("paid_date") > as_of))
        & (pl.coalesce("total", "amount") - pl.col("paid_amount").fill_null(0.0) > 0.005)
    ).group_by("client_id").agg(pl.col("due_date").min())  # fmt: skip
    oldest = dict(zip(late["client_id"].to_list(), late["due_date"].to_list(), strict=True))
    dunning = {i["client_id"]: i for i in items if i["rule"].startswith("dunning_")}
    slow = _kind(truth, "slow_payer") & set(oldest)
    assert len(slow) >= 5
    for cid in slow:
        past = (as_of - oldest[cid]).days
        level = next(name for days, name in LEVELS if past >= days)
        assert dunning[cid]["rule"] == f"dunning_{level}", cid
        assert f"{past} days past due" in dunning[cid]["why"]

    margin = {i["client_id"] for i in by_rule["margin_reactivation"]}
    assert margin and margin <= _kind(truth, "margin")
    assert all("without an order" in i["why"] for i in by_rule["margin_reactivation"])
    structure = {i["client_id"] for i in by_rule["structure_call"]}
    assert structure and structure <= _kind(truth, "structure")
    assert {i["client_id"] for i in by_rule["image_reference"]} == _kind(truth, "image")
    assert all("never asked" in i["why"] for i in by_rule["image_reference"])
    assert by_rule["declining_call"]
    assert all(i["why"].startswith("Sales fell from") for i in by_rule["declining_call"])


def test_owner_filter_and_exports(
    demo: tuple[Path, pl.DataFrame],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ws, _truth = demo
    assert _agenda(ws, capsys, "--owner", "nobody")["items"] == []
    week = _agenda(ws, capsys, "--week", "2026-W46")["items"]
    first = _agenda(ws, capsys)["items"]
    assert len(week) > len(first)  # later week: more has come due
    assert _agenda(ws, capsys, "--limit", "5")["items"] == first[:5]
    assert run(["agenda", str(ws), "--format", "csv", "-o", str(tmp_path / "a.csv")]) == 0
    csv = pl.read_csv(tmp_path / "a.csv")
    assert csv.height == len(first) and csv.columns[:3] == ["due", "days_overdue", "client_id"]
    assert run(["agenda", str(ws), "--format", "xlsx", "-o", str(tmp_path / "a.xlsx")]) == 0
    assert pl.read_excel(tmp_path / "a.xlsx").height == len(first)
    capsys.readouterr()
    assert run(["agenda", str(ws), "--lang", "es"]) == 0
    text = capsys.readouterr().out
    # At 80 columns (piped) each reason goes under its row; at 160 in its "Por qué" column.
    assert "Vence" in text and "Por qué" not in text and "tareas." in text
    monkeypatch.setenv("COLUMNS", "160")
    assert run(["agenda", str(ws), "--lang", "es"]) == 0
    assert "Por qué" in capsys.readouterr().out


def test_bad_flags_are_clean_errors(
    demo: tuple[Path, pl.DataFrame], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ws, _truth = demo
    assert run(["agenda", str(ws), "--format", "pdf", "--lang", "en"]) == 2
    assert "--format must be one of table, json, csv, xlsx" in capsys.readouterr().err
    assert run(["agenda", str(ws), "--format", "xlsx", "--lang", "en"]) == 2
    assert run(["agenda", str(tmp_path), "--lang", "en"]) == 1
    assert "is not a cartera workspace" in capsys.readouterr().err
    with pytest.raises(SettingsError):
        parse_week("next week", dt.date(2026, 1, 1))
    assert parse_week("2026-W45", dt.date(2026, 1, 1)) == (
        dt.date(2026, 11, 2),
        dt.date(2026, 11, 8),
    )
