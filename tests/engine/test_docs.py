"""Docs that cannot drift: settings, metrics and the contract's names."""

from __future__ import annotations

import re
from pathlib import Path

from settings_doc import DOC, render

from cartera.analysis import FRAME_COLUMNS
from cartera.result import ClientMetrics, Portfolio
from cartera.segments import REASON_CODES

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_settings_doc_is_generated_from_the_fields() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/settings.md is stale: run .venv/bin/python tests/engine/settings_doc.py"
    )


def test_every_metric_is_documented() -> None:
    text = (DOCS / "metrics.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z0-9_]+)", text))
    wanted = set(ClientMetrics.model_fields) | set(FRAME_COLUMNS) | set(Portfolio.model_fields)
    wanted -= {"client_key", "id", "name", "segment", "action", "reasons", "image"}
    wanted -= {"worst_single_loss", "pareto"}  # scenarios' field; pareto documented by parts
    missing = sorted(w for w in wanted if w not in named and not w.startswith("aging_"))
    assert not missing, missing
    assert all(code in named for code in REASON_CODES)


def test_contract_doc_names_every_portfolio_key() -> None:
    text = (DOCS / "json-contract.md").read_text(encoding="utf-8")
    for key in Portfolio.model_fields:
        assert f'"{key}"' in text, key
    for key in ClientMetrics.model_fields:
        assert f'"{key}"' in text, key
