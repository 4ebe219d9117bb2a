"""Build the JSON Schema of the analysis contract from the result models.

``docs/schema/analysis.schema.json`` is this function's output, committed;
tests/engine/test_contract.py fails when the two differ (regenerate with
``CARTERA_WRITE_SCHEMA=1 .venv/bin/pytest tests/engine/test_contract.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cartera.result import SCHEMA_VERSION, PortfolioAnalysis

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "schema" / "analysis.schema.json"
#: Fields of the result object that the contract leaves out (see PortfolioAnalysis.to_contract).
NOT_IN_CONTRACT = ("pareto_curve", "whale_curve", "input_summary", "has_cost")


def _require_all(node: Any) -> None:
    """The contract prints every key (null when undefined), so every key is required."""
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            node["required"] = list(props)
            node["additionalProperties"] = False
        for value in node.values():
            _require_all(value)
    elif isinstance(node, list):
        for value in node:
            _require_all(value)


def contract_schema() -> dict[str, Any]:
    schema = PortfolioAnalysis.model_json_schema(by_alias=True, mode="serialization")
    for name in NOT_IN_CONTRACT:
        schema["properties"].pop(name, None)
    schema["$defs"].pop("CurvePoint", None)
    schema["$defs"].pop("InputSummary", None)
    schema["properties"]["schema"] = {"const": SCHEMA_VERSION, "type": "integer"}
    _require_all(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://cartera.invalid/schema/analysis.schema.json",
        "title": "Cartera analysis",
        "description": "Output of `cartera analyze --format json` (docs/json-contract.md).",
        **schema,
    }
