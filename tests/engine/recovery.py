"""Recovery of the demo generator's planted kinds by the analysis (tests and benchmark).

Kinds scored: ``structure``, ``margin`` and ``image`` by segment; ``let_go``
(the planted slow payers, returners, tiny and draining clients) by action: a
client with a let-go reason is ``let_go`` when it loses money, else
``renegotiate``, so both count as found, outside the structure and image
segments (which are always renegotiated).
"""

from __future__ import annotations

import ibis
import polars as pl
from demo_canonical import canonical

from cartera.analysis import analyze_tables
from cartera.demo import DemoData
from cartera.engine.connect import Tables, connect
from cartera.result import PortfolioAnalysis
from cartera.settings import Settings

LET_GO_KINDS = ("slow_payer", "returner", "tiny", "draining")
SCORED = ("structure", "margin", "image", "let_go")


def analyse_demo(demo: DemoData, settings: Settings) -> PortfolioAnalysis:
    """The analysis of a demo portfolio, read independently of cartera.io."""
    fs = canonical(demo)
    t = Tables(con=connect(), **{k: ibis.memtable(v.to_arrow()) for k, v in fs.items()})
    return analyze_tables(t, settings)


def found_and_planted(frame: pl.DataFrame, truth: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Per scored kind, a frame of two Boolean columns: ``found`` and ``planted``."""
    f = frame.join(truth.rename({"client_id": "id"}), on="id")
    assert f.height == truth.height
    acted = pl.col("action").is_in(["let_go", "renegotiate"]) & ~pl.col("segment").is_in(
        ["structure", "image"]
    )
    out = {
        kind: f.select(found=pl.col("segment") == kind, planted=pl.col("kind") == kind)
        for kind in ("structure", "margin", "image")
    }
    out["let_go"] = f.select(found=acted, planted=pl.col("kind").is_in(LET_GO_KINDS))
    return out


def scores(frame: pl.DataFrame, truth: pl.DataFrame) -> dict[str, tuple[float, float]]:
    """Precision and recall per scored kind, and ``overall`` (pooled over the kinds)."""
    parts = found_and_planted(frame, truth)
    result: dict[str, tuple[float, float]] = {}
    totals = [0, 0, 0]
    for kind, p in parts.items():
        hits = int((p["found"] & p["planted"]).sum())
        found, planted = int(p["found"].sum()), int(p["planted"].sum())
        result[kind] = (hits / max(found, 1), hits / max(planted, 1))
        totals = [totals[0] + hits, totals[1] + found, totals[2] + planted]
    result["overall"] = (totals[0] / max(totals[1], 1), totals[0] / max(totals[2], 1))
    return result
