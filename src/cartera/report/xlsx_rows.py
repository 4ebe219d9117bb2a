"""Every client as Excel rows, streamed from the analysis' frame in slices.

The workbook's client sheet lists every client; at 500,000 clients building a
:class:`~cartera.result.ClientResult` (or a formatted view row) per client would
cost more than the rest of the report. These rows come straight from the
polars frame, a slice at a time: numbers stay numbers (Excel formats them),
and only the reasons are written as text, from a cache, since few distinct
numbers recur (days, shares rounded as shown).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import polars as pl

from cartera.report.labels import action_label, reason_text, segment_label
from cartera.result import PortfolioAnalysis, Reason

__all__ = ["CLIENT_KEYS", "client_frames", "client_rows"]

#: The client sheet's columns (keys of :func:`cartera.report.view.client_columns`).
CLIENT_KEYS = (
    "rank",
    "id",
    "name",
    "segment",
    "action",
    "revenue",
    "revenue_share",
    "gross_margin",
    "margin_pct",
    "cost_to_serve",
    "net_contribution",
    "days_to_pay",
    "overdue",
    "return_rate",
    "service_hours",
    "reasons",
)
_NUMBERS = tuple(k for k in CLIENT_KEYS if k not in ("id", "name", "segment", "action", "reasons"))
_SLICE = 50_000


@lru_cache(maxsize=200_000)
def _reason(code: str, value: float, threshold: float, currency: str, lang: str) -> str:
    # ``lang`` is part of the key only: the text follows the current language.
    return reason_text(Reason(code=code, value=value, threshold=threshold), currency)


def _rounded(code: str, value: float) -> float:
    """The value as precise as its text shows (so equal texts share one cache entry).

    Days and money show no decimals, shares one decimal of a percentage, and the
    low-volume share (tiny buyers) two or three (see ``labels._fine_share``).
    """
    if code in ("late_payment", "negative_contribution"):
        return float(round(value))
    if code == "low_volume":  # two or three decimals of a %; nine of the share never round twice
        return round(value, 9)
    return round(value, 3)


def client_rows(
    analysis: PortfolioAnalysis, lang: str, ids: list[str] | None = None
) -> Iterator[tuple[str, list[Any]]]:
    """``(segment code, row values in CLIENT_KEYS order)`` for every client by rank.

    With ``ids``, only those clients, in that order (unknown ids left out). Numbers
    are floats or ints (``None`` when undefined); texts are localised.
    """
    frame = analysis._frame if "clients" not in analysis.__dict__ else None
    if frame is None or analysis._settings is None:
        yield from _rows_from_objects(analysis, lang, ids)
        return
    if ids is not None:
        order = pl.DataFrame(
            {"id": ids, "_pos": range(len(ids))}, schema_overrides={"id": frame["id"].dtype}
        )
        frame = order.join(frame, on="id", how="inner").sort("_pos").drop("_pos")
    from cartera.segment_rules import reason_values

    numbers = reason_values(analysis._settings)
    labels_seg = {code: segment_label(code) for code in frame["segment"].unique().to_list()}
    labels_act = {code: action_label(code) for code in frame["action"].unique().to_list()}
    cur = analysis.currency
    for part in frame.iter_slices(_SLICE):
        values = part.select(
            *(pl.col(k).cast(pl.Float64).fill_nan(None) for k in _NUMBERS),
            *(e.cast(pl.Float64).alias(f"_r_{c}") for c, (e, _t) in numbers.items()),
        )
        cols = {k: values[k].to_list() for k in _NUMBERS}
        reason_cols = {c: values[f"_r_{c}"].to_list() for c in numbers}
        ids, names = part["id"].to_list(), part["name"].to_list()
        segs, acts = part["segment"].to_list(), part["action"].to_list()
        codes = part["reasons"].fill_null("").to_list()
        for i in range(part.height):
            texts = [
                _reason(c, _rounded(c, reason_cols[c][i] or 0.0), numbers[c][1], cur, lang)
                for c in codes[i].split(",")
                if c
            ]
            row = [cols[k][i] for k in _NUMBERS]
            yield (
                segs[i],
                [
                    int(row[0]) if row[0] is not None else None,
                    ids[i],
                    names[i],
                    labels_seg.get(segs[i], segs[i]),
                    labels_act.get(acts[i], acts[i]),
                    *row[1:],
                    "; ".join(texts),
                ],
            )


def _rows_from_objects(
    analysis: PortfolioAnalysis, lang: str, ids: list[str] | None
) -> Iterator[tuple[str, list[Any]]]:
    cur = analysis.currency
    if ids is None:
        chosen = sorted(analysis.clients, key=lambda c: c.metrics.rank)
    else:
        by_id = {c.id: c for c in analysis.clients}
        chosen = [by_id[i] for i in ids if i in by_id]
    for c in chosen:
        m = c.metrics
        yield (
            c.segment,
            [
                m.rank,
                c.id,
                c.name,
                segment_label(c.segment),
                action_label(c.action),
                *(getattr(m, k) for k in _NUMBERS[1:]),
                "; ".join(reason_text(r, cur) for r in c.reasons),
            ],
        )


def client_frames(
    analysis: PortfolioAnalysis, lang: str, ids: list[str] | None = None
) -> Iterator[pl.DataFrame]:
    """:func:`client_rows` as polars slices: ``CLIENT_KEYS`` columns plus ``_segment``.

    Numbers are Float64 (rank Int64, null when undefined), texts String; at most
    ``_SLICE`` rows each. From the analysis' frame the numbers stay columns and only
    the reasons are built per row (from the cache).
    """
    frame = analysis._frame if "clients" not in analysis.__dict__ else None
    if frame is None or analysis._settings is None:
        yield from _batches(client_rows(analysis, lang, ids))
        return
    if ids is not None:
        order = pl.DataFrame(
            {"id": ids, "_pos": range(len(ids))}, schema_overrides={"id": frame["id"].dtype}
        )
        frame = order.join(frame, on="id", how="inner").sort("_pos").drop("_pos")
    from cartera.segment_rules import reason_values

    numbers = reason_values(analysis._settings)
    segments = {c: segment_label(c) for c in frame["segment"].unique().to_list()}
    actions = {c: action_label(c) for c in frame["action"].unique().to_list()}
    cur = analysis.currency
    for part in frame.iter_slices(_SLICE):
        values = part.select(
            *(e.cast(pl.Float64).alias(f"_r_{c}") for c, (e, _t) in numbers.items())
        )
        reason_cols = {c: values[f"_r_{c}"].to_list() for c in numbers}
        reasons = [
            "; ".join(
                _reason(c, _rounded(c, reason_cols[c][i] or 0.0), numbers[c][1], cur, lang)
                for c in codes.split(",")
                if c
            )
            if codes
            else None
            for i, codes in enumerate(part["reasons"].fill_null("").to_list())
        ]
        yield part.select(
            pl.col("rank").cast(pl.Int64),
            pl.col("id").cast(pl.String),
            pl.col("name").cast(pl.String),
            pl.col("segment").cast(pl.String).replace_strict(segments, return_dtype=pl.String),
            pl.col("action").cast(pl.String).replace_strict(actions, return_dtype=pl.String),
            *(pl.col(k).cast(pl.Float64).fill_nan(None) for k in _NUMBERS[1:]),
            pl.Series("reasons", reasons, dtype=pl.String),
            pl.col("segment").cast(pl.String).alias("_segment"),
        )


def _batches(rows: Iterator[tuple[str, list[Any]]]) -> Iterator[pl.DataFrame]:
    batch: list[tuple[str, list[Any]]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == _SLICE:
            yield _frame_of(batch)
            batch = []
    if batch:
        yield _frame_of(batch)


def _frame_of(batch: list[tuple[str, list[Any]]]) -> pl.DataFrame:
    columns = list(zip(*(values for _seg, values in batch), strict=True))
    schema = {
        k: (pl.Int64 if k == "rank" else pl.Float64 if k in _NUMBERS else pl.String)
        for k in CLIENT_KEYS
    }
    data = {k: list(col) for k, col in zip(CLIENT_KEYS, columns, strict=True)}
    frame = pl.DataFrame(data, schema=schema, strict=False)
    return frame.with_columns(_segment=pl.Series([seg for seg, _v in batch], dtype=pl.String))
