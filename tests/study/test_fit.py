"""Fit scores: naive Bayes by hand, logistic against scikit-learn, explanations that add up."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from cartera.analysis import analyze
from cartera.demo import DemoData
from cartera.demo.prospects import PROSPECT_FILES, make_prospects
from cartera.errors import SettingsError
from cartera.io import Workspace
from cartera.study.attributes import client_attributes, prospect_attributes
from cartera.study.fit import (
    FIT_ATTRIBUTES,
    TARGET_KINDS,
    choose_model,
    fit_model,
    score,
)
from cartera.study.prospects import read_prospects

HAND = pl.DataFrame(
    {
        "id": [str(i) for i in range(10)],
        "segment": ["structure"] * 4 + ["regular"] * 6,
        "sector": ["A", "A", "A", "B", "A", "B", "B", "B", "C", "C"],
        "region": ["M", "M", None, "M", "M", "S", "S", "S", "S", "S"],
    }
)


def test_naive_bayes_matches_the_hand_computation() -> None:
    model = fit_model(HAND, "structure", "naive_bayes", ("sector", "region"))
    assert model.base == pytest.approx(math.log(5 / 7))  # (4 + 1) / (6 + 1)
    # sector: 3 values + 1 unseen slot; A is 3 of 4 structure, 1 of 6 regular.
    sector = dict(zip([*model.vocab[0], "?"], model.tables[0], strict=True))
    assert sector["A"] == pytest.approx(math.log(((3 + 1) / (4 + 4)) / ((1 + 1) / (6 + 4))))
    assert sector["C"] == pytest.approx(math.log(((0 + 1) / 8) / ((2 + 1) / 10)))
    assert sector["?"] == pytest.approx(math.log((1 / 8) / (1 / 10)))
    # region: the unknown region of one structure client is left out (3 known).
    region = dict(zip([*model.vocab[1], "?"], model.tables[1], strict=True))
    assert region["M"] == pytest.approx(math.log(((3 + 1) / (3 + 3)) / ((1 + 1) / (6 + 3))))


def test_contributions_add_up_to_the_log_odds_unknown_counts_zero() -> None:
    prospects = pl.DataFrame(
        {"sector": ["A", "Z", None], "region": ["M", None, "S"]},
        schema={"sector": pl.String, "region": pl.String},
    )
    for method in ("naive_bayes", "logistic"):
        model = fit_model(HAND, "structure", method, ("sector", "region"))  # type: ignore[arg-type]
        out = score([model], prospects)
        for row in out.iter_rows(named=True):
            total = row["base"] + sum(c["contribution"] for c in row["contributions"])
            assert total == pytest.approx(row["log_odds"], abs=1e-12)
            assert row["probability"] == pytest.approx(1 / (1 + math.exp(-row["log_odds"])))
        nulls = out.filter(pl.col("index") == 1)["contributions"][0]
        assert next(c for c in nulls if c["attribute"] == "region")["contribution"] == 0.0


def test_logistic_is_scikit_learns_decision_function() -> None:
    from sklearn.linear_model import LogisticRegression

    model = fit_model(HAND, "structure", "logistic", ("sector",))
    x = np.zeros((10, 3))
    for i, v in enumerate(HAND["sector"]):
        x[i, "ABC".index(v)] = 1.0
    y = (HAND["segment"] == "structure").to_numpy()
    reference = LogisticRegression(C=1.0, solver="newton-cholesky").fit(x, y)
    assert model.log_odds(HAND) == pytest.approx(reference.decision_function(x), abs=1e-6)


def test_choice_records_both_aucs_and_too_few_clients_fall_back_to_naive_bayes() -> None:
    _model, choice = choose_model(HAND, "structure", ("sector", "region"))
    assert choice.folds == 4 and set(choice.auc) == {"naive_bayes", "logistic"}
    best = max(choice.auc, key=lambda m: (choice.auc[m] or 0.0, m == "naive_bayes"))
    assert choice.method == best
    single = HAND.with_columns(
        segment=pl.when(pl.col("id") == "0").then(pl.lit("image")).otherwise(pl.lit("regular"))
    )
    model, choice = choose_model(single, "image", ("sector",))
    assert (choice.method, choice.folds, choice.auc["naive_bayes"]) == ("naive_bayes", 1, None)
    assert model.method == "naive_bayes"


def test_a_kind_without_clients_is_a_typed_error() -> None:
    with pytest.raises(SettingsError, match="margin"):
        fit_model(HAND, "margin")


def test_demo_planted_look_alikes_rank_first(demo_firm: tuple[Path, Path, DemoData]) -> None:
    from sklearn.metrics import roc_auc_score

    export, ws, data = demo_firm
    frame = analyze(ws).clients_frame
    attrs = client_attributes(frame, Workspace.open(ws).read("clients"), attributes=FIT_ATTRIBUTES)
    models = [choose_model(attrs, k)[0] for k in TARGET_KINDS]
    prospects = read_prospects(export / PROSPECT_FILES["prospects"])
    scores = score(models, prospect_attributes(prospects))
    truth = make_prospects(data.clients, 11).truth["planted"]
    for kind in TARGET_KINDS:
        ranked = scores.filter(pl.col("kind") == kind).sort("index")["log_odds"].to_numpy()
        auc = roc_auc_score((truth == kind).to_numpy(), ranked)
        assert auc > 0.8, (kind, auc)


def test_explanation_names_the_largest_contributions_with_their_sign() -> None:
    from cartera.i18n import language
    from cartera.study.texts import explanation

    items = [
        {"attribute": "size", "value": "micro", "contribution": -1.2},
        {"attribute": "region", "value": "Madrid", "contribution": 0.9},
        {"attribute": "sector", "value": None, "contribution": 0.0},
        {"attribute": "sector", "value": "Logística", "contribution": 0.04},
    ]
    with language("en"):
        assert explanation(items) == "− size micro (1–9 employees), + region Madrid"
    with language("es"):
        assert explanation(items, top=1) == "− tamaño micro (1–9 empleados)"


def test_large_portfolios_cross_validate_on_a_stratified_sample(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import cartera.study.fit as fit

    rng = np.random.default_rng(3)
    n = 400
    attrs = pl.DataFrame(
        {
            "segment": np.where(np.arange(n) < 40, "margin", "regular"),
            "sector": rng.choice(["A", "B", "C"], n),
        }
    )
    monkeypatch.setattr(fit, "CV_MAX_ROWS", 100)
    _model, choice = choose_model(attrs, "margin", ("sector",))
    assert choice.cv_clients == 100  # 10 of the 40 margin clients and 90 of the 360 others
    monkeypatch.setattr(fit, "CV_MAX_ROWS", 400)
    assert choose_model(attrs, "margin", ("sector",))[1].cv_clients == 400


@pytest.mark.parametrize("method", ["naive_bayes", "logistic"])
def test_explanations_add_up_on_random_portfolios(method: str) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    values = st.sampled_from(["A", "B", "C", None])

    @settings(max_examples=25, deadline=None)
    @given(
        st.lists(st.tuples(st.booleans(), values, values), min_size=4, max_size=30).filter(
            lambda rows: 0 < sum(r[0] for r in rows) < len(rows)
        ),
        st.lists(st.tuples(st.sampled_from(["A", "B", "C", "Z", None]), values), max_size=5),
    )
    def check(clients: list[tuple[bool, str | None, str | None]], prospects: list[Any]) -> None:
        attrs = pl.DataFrame(
            {
                "segment": ["image" if c[0] else "regular" for c in clients],
                "sector": [c[1] for c in clients],
                "region": [c[2] for c in clients],
            },
            schema={"segment": pl.String, "sector": pl.String, "region": pl.String},
        )
        model = fit_model(attrs, "image", method, ("sector", "region"))  # type: ignore[arg-type]
        frame = pl.DataFrame(prospects, schema={"sector": pl.String, "region": pl.String},
                             orient="row")  # fmt: skip
        for row in score([model], frame).iter_rows(named=True):
            parts = sum(c["contribution"] for c in row["contributions"])
            assert row["base"] + parts == pytest.approx(row["log_odds"], abs=1e-9)

    check()
