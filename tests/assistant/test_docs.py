"""docs/assistant.md lists every assistant setting and every rule."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from cartera.assistant.cadence import RULES
from cartera.assistant.settings import AssistantSettings

DOC = (Path(__file__).resolve().parents[2] / "docs" / "assistant.md").read_text(encoding="utf-8")


def _names(model: type[BaseModel], prefix: str = "") -> list[str]:
    names: list[str] = []
    for name, info in model.model_fields.items():
        kind = info.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            names.extend(_names(kind, f"{prefix}{name}."))
        else:
            names.append(prefix + name)
    return names


def test_every_setting_is_documented_with_a_reason() -> None:
    missing = [n for n in _names(AssistantSettings) if f"| `{n}` |" not in DOC]
    assert not missing
    for name, info in AssistantSettings.model_fields.items():
        assert info.description, name


def test_every_rule_is_documented() -> None:
    assert [r for r in RULES if r not in DOC and not r.startswith("dunning_")] == []
    assert "dunning_friendly/firm/call/final" in DOC
