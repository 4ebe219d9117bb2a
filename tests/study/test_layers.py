"""``cartera.study`` is a rule layer: it never imports storage, web, CLI or report code."""

from __future__ import annotations

import ast
from pathlib import Path

import cartera.study

FORBIDDEN = ("cartera.store", "cartera.web", "cartera.cli", "cartera.report")


def test_study_imports_point_down_only() -> None:
    folder = Path(cartera.study.__file__).parent
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"


def test_public_names_exist() -> None:
    for name in cartera.study.__all__:
        assert hasattr(cartera.study, name), name
