"""The ranked call list of a prospect list against a firm's analysis, in one call.

Glue over the pure rules: the clients' attributes train one fit model per
kind, the prospects are deduplicated against the clients, checked against the
do-not-call list, consent and source, scored, and ranked by the gap they
would close. Takes frames, returns a :class:`Ranking`; the CLI, the web page
and the API render it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from cartera.result import Portfolio
from cartera.settings import Settings
from cartera.study.attributes import client_attributes, prospect_attributes
from cartera.study.fit import FIT_ATTRIBUTES, TARGET_KINDS, FitChoice, choose_model, score
from cartera.study.gaps import Gap, call_list, find_gaps
from cartera.study.prospects import dedupe, on_do_not_call
from cartera.study.texts import explanation

__all__ = ["RANKING_COLUMNS", "Ranking", "rank_prospects"]

#: Columns of :attr:`Ranking.prospects`, in order.
RANKING_COLUMNS = (
    "rank", "id", "name", "tax_id", "contact", "phone", "email", "sector", "region", "size",
    "kind", "probability", "priority", "gap", "expected_revenue", "expected_margin", "closes",
    "why", "contributions", "callable", "refused", "file", "row",
)  # fmt: skip


@dataclass(frozen=True)
class Ranking:
    """The call list and what it rests on."""

    gaps: list[Gap]
    models: list[FitChoice]
    prospects: pl.DataFrame  #: :data:`RANKING_COLUMNS`, callable prospects first, best first
    duplicates: pl.DataFrame  #: prospects that are clients or repeat a row: ``name, status, match``

    def to_dict(self) -> dict[str, Any]:
        return {
            "gaps": [g.to_dict() for g in self.gaps],
            "models": [m.to_dict() for m in self.models],
            "prospects": self.prospects.to_dicts(),
            "duplicates": self.duplicates.to_dicts(),
        }


def _refused(prospects: pl.DataFrame, dnc: pl.DataFrame | None) -> pl.Expr:
    blocked: pl.Expr | pl.Series = (
        on_do_not_call(prospects, dnc) if dnc is not None else pl.lit(False)
    )
    if "do_not_call" in prospects.columns:  # a book: flagged when it was imported
        blocked = pl.col("do_not_call").fill_null(False) | blocked
    source = pl.col("source").fill_null("").str.strip_chars()
    return (
        pl.when(blocked)
        .then(pl.lit("do_not_call"))
        .when(pl.col("consent").fill_null(False).not_())
        .then(pl.lit("no_consent"))
        .when(source == "")
        .then(pl.lit("no_source"))
        .when(pl.col("phone").is_null())
        .then(pl.lit("no_phone"))
    )


def rank_prospects(
    frame: pl.DataFrame,
    portfolio: Portfolio,
    clients: pl.DataFrame,
    prospects: pl.DataFrame,
    settings: Settings,
    dnc: pl.DataFrame | None = None,
) -> Ranking:
    """Score and rank ``prospects`` for the firm of ``frame`` and ``clients``.

    Parameters
    ----------
    frame, portfolio
        The analysis' per-client frame and portfolio figures.
    clients
        The canonical clients table (attributes, names and tax ids).
    prospects
        :func:`cartera.study.prospects.read_prospects` rows, or a prospect book
        (its ``id`` is kept and its ``do_not_call`` flag honoured).
    dnc
        A do-not-call list (``phone, email`` keys), or None.

    Returns
    -------
    Ranking
        The gaps, the model chosen per kind (kinds without clients are
        skipped), the ranked prospects and the duplicates left out.
    """
    if "id" not in prospects.columns:
        prospects = prospects.with_columns(pl.lit(None, pl.String).alias("id"))
    checked = dedupe(prospects, clients)
    duplicates = checked.filter(pl.col("status") != "new").select(
        "name", "tax_id", "status", "match", "match_by"
    )
    fresh = checked.filter(pl.col("status") == "new")
    fresh = fresh.with_columns(_refused(fresh, dnc).alias("refused"))
    attrs = client_attributes(frame, clients, attributes=FIT_ATTRIBUTES)
    fitted = [
        choose_model(attrs, k)
        for k in TARGET_KINDS
        if 0 < attrs.filter(pl.col("segment") == k).height < attrs.height
    ]
    gaps = find_gaps(frame, portfolio, settings)
    binned = prospect_attributes(fresh)
    scores = score([m for m, _c in fitted], binned)
    if not fitted or not fresh.height:
        ranked = pl.DataFrame(schema={c: pl.String for c in RANKING_COLUMNS})
        return Ranking(gaps, [c for _m, c in fitted], ranked, duplicates)
    listed = call_list(scores, binned["size"], gaps)
    reasons = scores.select("index", "kind", "contributions")
    out = (
        listed.join(reasons, on=["index", "kind"], how="left")
        .join(
            fresh.with_row_index("index")
            .with_columns(pl.col("index").cast(pl.Int64))
            .drop("sector", "region", "size"),
            on="index",
        )
        .join(
            binned.with_row_index("index").with_columns(pl.col("index").cast(pl.Int64)), on="index"
        )
        .with_columns(callable=pl.col("refused").is_null())
        .sort(
            ["callable", "priority", "probability"],
            descending=[True, True, True],
            maintain_order=True,
        )
        .with_columns(rank=pl.int_range(1, pl.len() + 1))
    )
    why = [explanation(items) for items in out["contributions"].to_list()]
    out = out.with_columns(pl.Series("why", why, dtype=pl.String))
    return Ranking(gaps, [c for _m, c in fitted], out.select(RANKING_COLUMNS), duplicates)
