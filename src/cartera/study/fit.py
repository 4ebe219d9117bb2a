"""Fit scores: how much a prospect resembles the firm's clients of each kind.

For each target kind (structure, margin, image) two models learn, from the
firm's own clients, the odds that a client with given attribute values is of
that kind:

* **naive Bayes** over attribute values with Laplace smoothing (as Odoo's
  predictive lead scoring): log-odds = log prior odds + Σ per attribute
  log(P(value | kind) ÷ P(value | other)), each P smoothed
  (count + α) ÷ (total + α·V), V counting one slot for values never seen;
* an L2-regularised **logistic regression** (scikit-learn) on the one-hot
  values: log-odds = intercept + Σ the coefficient of each value.

Both are "a base plus one number per attribute value", so a score is
explained exactly: the per-attribute contributions and the base add up to
the score's log-odds (an unknown attribute contributes 0). The model of each
kind is chosen by the area under the ROC curve of out-of-fold scores on the
firm's clients (stratified k-fold: every client is scored with its own
segment hidden), naive Bayes on a tie or when a kind has too few clients to
cross-validate; the choice and both AUCs are kept with the model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import numpy as np
import polars as pl

from cartera.errors import SettingsError
from cartera.i18n import N_

__all__ = [
    "FIT_ATTRIBUTES",
    "TARGET_KINDS",
    "FitChoice",
    "FitModel",
    "choose_model",
    "cross_validated_scores",
    "fit_model",
    "score",
]

#: The kinds a prospect is scored for.
TARGET_KINDS: Final = ("structure", "margin", "image")
#: Attributes a prospect list has as well as the clients file.
FIT_ATTRIBUTES: Final = ("sector", "region", "size")
Method = Literal["naive_bayes", "logistic"]
#: Laplace smoothing of naive Bayes (add one).
ALPHA: Final = 1.0
#: Inverse L2 strength of the logistic regression (scikit-learn's default).
C: Final = 1.0
#: Folds of the cross-validation (fewer when a kind has fewer clients).
FOLDS: Final = 5
#: The choice between the models is cross-validated on at most this many clients (a
#: stratified sample above it): 50,000 rows measure an AUC to about ±0.01, and the
#: final model is still fitted on every client.
CV_MAX_ROWS: Final = 50_000


@dataclass(frozen=True)
class FitModel:
    """A fitted model: ``base`` plus one contribution per attribute value.

    ``tables[a]`` holds the contribution of each value of ``vocab[a]`` then,
    last, of a value never seen in training.
    """

    kind: str
    method: Method
    attributes: tuple[str, ...]
    vocab: tuple[tuple[str, ...], ...]
    base: float
    tables: tuple[tuple[float, ...], ...]

    def contributions(self, frame: pl.DataFrame) -> np.ndarray:
        """(rows × attributes) contributions to the log-odds; 0 where the value is unknown."""
        out = np.zeros((frame.height, len(self.attributes)))
        for j, (attr, vocab, table) in enumerate(
            zip(self.attributes, self.vocab, self.tables, strict=True)
        ):
            codes = _codes(frame, attr, vocab)
            values = np.asarray(table)[np.where(codes < 0, len(vocab), codes)]
            out[:, j] = np.where(codes == -2, 0.0, values)
        return out

    def log_odds(self, frame: pl.DataFrame) -> np.ndarray:
        return self.base + self.contributions(frame).sum(axis=1)


@dataclass(frozen=True)
class FitChoice:
    """Which model a kind uses and why (cross-validated AUC of each)."""

    kind: str
    method: Method
    positives: int
    negatives: int
    folds: int
    auc: dict[str, float | None] = field(default_factory=dict)
    cv_clients: int = 0  #: clients the cross-validation used

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "method": self.method,
            "positives": self.positives,
            "negatives": self.negatives,
            "folds": self.folds,
            "auc": dict(self.auc),
            "cv_clients": self.cv_clients,
        }


def _codes(frame: pl.DataFrame, attr: str, vocab: Sequence[str]) -> np.ndarray:
    """Index of each value in ``vocab``; −1 a value not in it, −2 unknown (null)."""
    if attr not in frame.columns:
        return np.full(frame.height, -2, dtype=np.int64)
    mapping = pl.DataFrame({attr: list(vocab), "_code": np.arange(len(vocab))},
                           schema={attr: pl.String, "_code": pl.Int64})  # fmt: skip
    col = frame.select(pl.col(attr).cast(pl.String))
    coded = col.join(mapping, on=attr, how="left", maintain_order="left", nulls_equal=False)
    codes = coded["_code"].fill_null(-1).to_numpy().copy()
    codes[col[attr].is_null().to_numpy()] = -2
    return codes


def _vocab(frame: pl.DataFrame, attributes: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(
        tuple(sorted(frame[a].drop_nulls().cast(pl.String).unique().to_list()))
        if a in frame.columns
        else ()
        for a in attributes
    )


def _fit_naive_bayes(
    frame: pl.DataFrame, y: np.ndarray, kind: str, attributes: tuple[str, ...]
) -> FitModel:
    vocab = _vocab(frame, attributes)
    tables = []
    for attr, values in zip(attributes, vocab, strict=True):
        codes = _codes(frame, attr, values)
        known = codes >= 0
        slots = len(values) + 1  # one more for a value never seen
        pos = np.bincount(codes[known & y], minlength=slots).astype(float)
        neg = np.bincount(codes[known & ~y], minlength=slots).astype(float)
        p = (pos + ALPHA) / (pos.sum() + ALPHA * slots)
        q = (neg + ALPHA) / (neg.sum() + ALPHA * slots)
        tables.append(tuple(np.log(p / q).tolist()))
    base = math.log((y.sum() + ALPHA) / ((~y).sum() + ALPHA))
    return FitModel(kind, "naive_bayes", attributes, vocab, base, tuple(tables))


def _one_hot(frame: pl.DataFrame, attributes: Sequence[str], vocab: Sequence[Sequence[str]]) -> Any:
    from scipy import sparse

    blocks = []
    for attr, values in zip(attributes, vocab, strict=True):
        codes = _codes(frame, attr, values)
        rows = np.flatnonzero(codes >= 0)
        blocks.append(
            sparse.csr_matrix(
                (np.ones(rows.size), (rows, codes[rows])), shape=(frame.height, max(len(values), 1))
            )
        )
    return sparse.hstack(blocks, format="csr")


def _fit_logistic(
    frame: pl.DataFrame, y: np.ndarray, kind: str, attributes: tuple[str, ...]
) -> FitModel:
    from sklearn.linear_model import LogisticRegression

    vocab = _vocab(frame, attributes)
    model = LogisticRegression(C=C, solver="newton-cholesky", max_iter=200)
    model.fit(_one_hot(frame, attributes, vocab), y)
    coef = model.coef_[0]
    tables, start = [], 0
    for values in vocab:
        width = max(len(values), 1)
        tables.append(tuple([*coef[start : start + len(values)].tolist(), 0.0]))
        start += width
    return FitModel(kind, "logistic", attributes, vocab, float(model.intercept_[0]), tuple(tables))


def fit_model(
    attrs: pl.DataFrame,
    kind: str,
    method: Method = "naive_bayes",
    attributes: Sequence[str] = FIT_ATTRIBUTES,
) -> FitModel:
    """Fit one kind's model on the clients ``attrs`` (``segment`` + attribute columns).

    Raises
    ------
    SettingsError
        When no client, or every client, is of ``kind`` (nothing to learn from).
    """
    y = (attrs["segment"] == kind).to_numpy()
    if y.all() or not y.any():
        raise SettingsError(
            N_("No fit score for {kind} clients: the portfolio has {count} of {clients} clients of "
               "that kind, and a model needs some of each."),
            kind=kind, count=int(y.sum()), clients=attrs.height,
        )  # fmt: skip
    attrs_t = tuple(a for a in attributes if a in attrs.columns)
    fit = _fit_naive_bayes if method == "naive_bayes" else _fit_logistic
    return fit(attrs, y, kind, attrs_t)


def cross_validated_scores(
    attrs: pl.DataFrame,
    kind: str,
    method: Method,
    folds: int,
    attributes: Sequence[str] = FIT_ATTRIBUTES,
    seed: int = 0,
) -> np.ndarray:
    """Out-of-fold log-odds of every client: each scored by a model that never saw it."""
    from sklearn.model_selection import StratifiedKFold

    y = (attrs["segment"] == kind).to_numpy()
    out = np.zeros(attrs.height)
    split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in split.split(np.zeros(y.size), y):
        model = fit_model(attrs[train.tolist()], kind, method, attributes)
        out[test] = model.log_odds(attrs[test.tolist()])
    return out


def choose_model(
    attrs: pl.DataFrame, kind: str, attributes: Sequence[str] = FIT_ATTRIBUTES
) -> tuple[FitModel, FitChoice]:
    """The kind's model, fitted on every client, and the cross-validated choice behind it."""
    from sklearn.metrics import roc_auc_score

    y = (attrs["segment"] == kind).to_numpy()
    positives, negatives = int(y.sum()), int((~y).sum())
    folds = min(FOLDS, positives, negatives)
    auc: dict[str, float | None] = {"naive_bayes": None, "logistic": None}
    method: Method = "naive_bayes"
    sample = _cv_sample(attrs, y)
    if folds >= 2:
        y_cv = (sample["segment"] == kind).to_numpy()
        for m in ("naive_bayes", "logistic"):
            scores = cross_validated_scores(sample, kind, m, folds, attributes)
            auc[m] = float(roc_auc_score(y_cv, scores))
        if (auc["logistic"] or 0.0) > (auc["naive_bayes"] or 0.0):
            method = "logistic"
    model = fit_model(attrs, kind, method, attributes)
    cv = sample.height if folds >= 2 else 0
    return model, FitChoice(kind, method, positives, negatives, folds, auc, cv)


def _cv_sample(attrs: pl.DataFrame, y: np.ndarray) -> pl.DataFrame:
    """Every client up to :data:`CV_MAX_ROWS`, else a sample with the same share of the kind."""
    if attrs.height <= CV_MAX_ROWS:
        return attrs
    rng = np.random.default_rng(0)
    keep = np.zeros(y.size, dtype=bool)
    for part in (np.flatnonzero(y), np.flatnonzero(~y)):
        take = max(FOLDS, round(part.size * CV_MAX_ROWS / y.size))
        keep[rng.choice(part, size=min(take, part.size), replace=False)] = True
    return attrs.filter(pl.Series(keep))


def score(models: Sequence[FitModel], prospects: pl.DataFrame) -> pl.DataFrame:
    """Every prospect's fit to every kind, with the contributions behind it.

    Parameters
    ----------
    models
        One fitted model per kind (:func:`choose_model`).
    prospects
        One row per prospect with the attribute columns, binned as the clients'
        (:func:`cartera.study.attributes.prospect_attributes`).

    Returns
    -------
    pl.DataFrame
        One row per prospect and kind: ``index`` (the prospect's row in
        ``prospects``), ``kind``, ``probability``, ``log_odds``, ``base`` and
        ``contributions`` (list of ``{attribute, value, contribution}``, one per
        attribute, largest absolute first); ``base`` + Σ contributions = ``log_odds``.
    """
    parts = []
    for model in models:
        contrib = model.contributions(prospects)
        log_odds = model.base + contrib.sum(axis=1)
        values = [
            prospects[a].cast(pl.String).to_list()
            if a in prospects.columns
            else [None] * prospects.height
            for a in model.attributes
        ]
        lists = []
        for i in range(prospects.height):
            items = [
                {"attribute": a, "value": values[j][i], "contribution": float(contrib[i, j])}
                for j, a in enumerate(model.attributes)
            ]
            lists.append(sorted(items, key=lambda d: -abs(float(d["contribution"] or 0.0))))
        parts.append(
            pl.DataFrame(
                {
                    "index": np.arange(prospects.height),
                    "kind": [model.kind] * prospects.height,
                    "probability": 1.0 / (1.0 + np.exp(-log_odds)),
                    "log_odds": log_odds,
                    "base": [model.base] * prospects.height,
                    "contributions": lists,
                },
                schema_overrides={"index": pl.Int64},
            )
        )
    return pl.concat(parts) if parts else pl.DataFrame()
