"""Client attributes as the study reads them: categories, numbers put in bins.

The profile and the fit scores compare clients by the values of a few
attributes: ``sector``, ``region`` and ``size`` from the clients file,
``terms`` (payment terms, days) from the clients file and ``tenure`` (days
since the first invoice) from the analysis. Numbers are put in fixed bins that
mean something to a manager (the EU's micro/small/medium/large company sizes,
the usual 30/60/90-day terms, years of tenure) rather than quantiles, so that
the same value reads the same in every firm. A size written as text
(``Pequeña``) is kept as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import polars as pl

from cartera.i18n import N_, _

__all__ = [
    "ATTRIBUTES",
    "BINS",
    "CATEGORICAL",
    "Bin",
    "attribute_name",
    "bin_expr",
    "client_attributes",
    "prospect_attributes",
    "value_label",
]

#: Attributes written as text (compared as written, trimmed).
CATEGORICAL: Final = ("sector", "region", "size")
#: Every attribute the study uses, in the order it reports them.
ATTRIBUTES: Final = ("sector", "region", "size", "terms", "tenure")

_NAMES: Final = {
    "sector": N_("sector"),
    "region": N_("region"),
    "size": N_("size"),
    "terms": N_("payment terms"),
    "tenure": N_("tenure"),
}


@dataclass(frozen=True)
class Bin:
    """One bin of a numeric attribute: values ``<= upper`` (``None``: no upper bound)."""

    code: str
    upper: float | None
    label: str  #: message id


#: Bins of the numeric attributes (lower bound = the previous bin's upper bound).
BINS: Final[dict[str, tuple[Bin, ...]]] = {
    # Employees; the EU recommendation 2003/361/EC bands.
    "size": (
        Bin("micro", 9, N_("micro (1–9 employees)")),
        Bin("small", 49, N_("small (10–49 employees)")),
        Bin("medium", 249, N_("medium (50–249 employees)")),
        Bin("large", None, N_("large (250+ employees)")),
    ),
    # Days; 60 is the B2B ceiling of Spain's Ley 3/2004.
    "terms": (
        Bin("t30", 30, N_("up to 30 days")),
        Bin("t60", 60, N_("31–60 days")),
        Bin("t90", 90, N_("61–90 days")),
        Bin("t90plus", None, N_("over 90 days")),
    ),
    "tenure": (
        Bin("y1", 365, N_("under a year")),
        Bin("y2", 730, N_("one to two years")),
        Bin("y5", 1826, N_("two to five years")),
        Bin("y5plus", None, N_("over five years")),
    ),
}


def attribute_name(attribute: str) -> str:
    """The attribute's name in the current language (``region`` → ``región``)."""
    return _(_NAMES.get(attribute, attribute))


def value_label(attribute: str, value: str) -> str:
    """A value as shown: a bin's label, else the value as written."""
    for b in BINS.get(attribute, ()):
        if b.code == value:
            return _(b.label)
    return value


def bin_expr(attribute: str, numbers: pl.Expr) -> pl.Expr:
    """The bin code of each number (null stays null)."""
    bins = BINS[attribute]
    expr: Any = pl.when(numbers.is_null()).then(pl.lit(None, pl.String))
    for b in bins:
        if b.upper is None:
            result: pl.Expr = expr.otherwise(pl.lit(b.code))
            return result
        expr = expr.when(numbers <= b.upper).then(pl.lit(b.code))
    result = expr.otherwise(pl.lit(None, pl.String))
    return result


def _text(expr: pl.Expr) -> pl.Expr:
    s = expr.cast(pl.String).str.strip_chars()
    return pl.when(s == "").then(None).otherwise(s)


def size_expr(expr: pl.Expr) -> pl.Expr:
    """A size column: employee numbers in their EU band, any other text as written."""
    text = _text(expr)
    number = text.str.replace(",", ".").cast(pl.Float64, strict=False)
    return pl.when(number.is_not_null()).then(bin_expr("size", number)).otherwise(text)


def client_attributes(
    frame: pl.DataFrame, clients: pl.DataFrame, *, attributes: Sequence[str] = ATTRIBUTES
) -> pl.DataFrame:
    """One row per analysed client with its segment and attribute values.

    Parameters
    ----------
    frame
        The analysis' per-client frame (``PortfolioAnalysis.clients_frame``):
        ``id, segment`` and, for ``tenure``, ``tenure_days``.
    clients
        The canonical clients table: ``client_id`` and any of ``sector,
        region, size, terms_days``.
    attributes
        Which attributes to return.

    Returns
    -------
    pl.DataFrame
        ``id, segment`` then one String column per attribute (null when
        unknown): categories as written, numbers as bin codes (:data:`BINS`).
    """
    wanted = [a for a in attributes if a in ATTRIBUTES]
    info = clients.select(
        pl.col("client_id").cast(pl.String).alias("id"),
        *(
            _text(pl.col(c)).alias(c) if c in clients.columns else pl.lit(None, pl.String).alias(c)
            for c in ("sector", "region")
        ),
        (size_expr(pl.col("size")) if "size" in clients.columns else pl.lit(None, pl.String)).alias(
            "size"
        ),
        (
            pl.col("terms_days").cast(pl.Float64)
            if "terms_days" in clients.columns
            else pl.lit(None, pl.Float64)
        ).alias("terms_days"),
    ).unique("id", keep="first")
    tenure = (
        pl.col("tenure_days").cast(pl.Float64)
        if "tenure_days" in frame.columns
        else pl.lit(None, pl.Float64)
    )
    out = frame.select(
        pl.col("id").cast(pl.String), pl.col("segment").cast(pl.String), tenure.alias("_tenure")
    ).join(info, on="id", how="left")
    return out.select(
        "id",
        "segment",
        *(
            (
                bin_expr("terms", pl.col("terms_days"))
                if a == "terms"
                else bin_expr("tenure", pl.col("_tenure"))
                if a == "tenure"
                else pl.col(a)
            ).alias(a)
            for a in wanted
        ),
    )


def prospect_attributes(prospects: pl.DataFrame) -> pl.DataFrame:
    """Prospects' ``sector, region, size`` binned as the clients' (absent columns are null).

    ``prospects`` has any of ``sector, region, size`` (text, as read); the
    result has the same rows and exactly those three String columns.
    """

    def text(name: str) -> pl.Expr:
        return _text(pl.col(name)) if name in prospects.columns else pl.lit(None, pl.String)

    size = size_expr(pl.col("size")) if "size" in prospects.columns else pl.lit(None, pl.String)
    return prospects.select(text("sector").alias("sector"), text("region").alias("region"),
                            size.alias("size"))  # fmt: skip
