"""``cartera.assistant`` is a rule layer: it never imports the store, the web app, the CLI or
the renderers (docs: STYLE "Layers")."""

from __future__ import annotations

import ast
from pathlib import Path

import cartera.assistant

FORBIDDEN = ("cartera.store", "cartera.web", "cartera.cli", "cartera.report", "cartera.io")


def test_assistant_imports_point_down_only() -> None:
    folder = Path(cartera.assistant.__file__).parent
    found: list[str] = []
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found.extend(f"{path.name}: {n}" for n in names if n.startswith(FORBIDDEN))
    assert found == []
