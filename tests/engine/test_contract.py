"""The JSON contract: validated by the committed JSON Schema, never NaN, stable keys."""

from __future__ import annotations

import json
import os

import jsonschema
import pytest
from builders import D, line, tables
from contract_schema import SCHEMA_PATH, contract_schema

from cartera.analysis import analyze_tables
from cartera.settings import Settings


def _schema() -> dict[str, object]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def test_committed_schema_matches_the_models() -> None:
    generated = contract_schema()
    if os.environ.get("CARTERA_WRITE_SCHEMA"):
        SCHEMA_PATH.write_text(json.dumps(generated, indent=2) + "\n", encoding="utf-8")
    assert _schema() == generated, "docs/schema/analysis.schema.json is stale; see its generator"


@pytest.mark.parametrize(
    "docs",
    [
        [
            line("A", "F1", D(2025, 1, 2), 100.0, cost=60.0, due=D(2025, 2, 1), paid=D(2025, 2, 5)),
            line("B", "R1", D(2025, 1, 3), -20.0, cost=-10.0),
        ],
        [line("A", "F1", D(2025, 1, 2), 100.0)],  # no cost column
        [],  # nothing at all
    ],
    ids=["normal", "no-cost", "empty"],
)
def test_contract_validates(docs: list[dict[str, object]]) -> None:
    analysis = analyze_tables(tables(docs), Settings(as_of=D(2025, 6, 30)))
    data = json.loads(json.dumps(analysis.to_contract(), allow_nan=False))
    jsonschema.validate(data, _schema())
    assert data["schema"] == 2
    assert list(data["portfolio"]["segments"]) == [
        "structure",
        "margin",
        "image",
        "regular",
        "new",
        "dormant",
    ]


def test_schema_rejects_unknown_segment() -> None:
    analysis = analyze_tables(tables([line("A", "F1", D(2025, 1, 2), 100.0, cost=1.0)]), Settings())
    data = analysis.to_contract()
    data["clients"][0]["segment"] = "vip"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, _schema())
