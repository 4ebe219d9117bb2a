"""The public API is frozen: ``__all__`` equals what docs/api.md lists."""

from __future__ import annotations

import re
from pathlib import Path

import cartera

DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"


def documented_names() -> set[str]:
    text = DOC.read_text(encoding="utf-8")
    return set(re.findall(r"^### `([A-Za-z_][A-Za-z0-9_]*)`", text, flags=re.M))


def test_all_matches_docs() -> None:
    assert set(cartera.__all__) == documented_names()


def test_every_public_name_exists() -> None:
    for name in cartera.__all__:
        assert hasattr(cartera, name), name


def test_unknown_names_are_attribute_errors() -> None:
    assert not hasattr(cartera, "no_such_name")


def test_the_command_line_does_not_load_the_analysis_engine_to_start() -> None:
    # The public names are imported on first use, so `cartera import` and `cartera
    # inspect` start without Ibis (about half a second).
    import subprocess
    import sys

    # Nor the web app's store (SQLAlchemy and Alembic: about 0.4 s), which only the
    # commands working on a firm of the web app need.
    heavy = ("ibis", "sqlalchemy", "alembic", "fastapi", "plotly", "sklearn", "weasyprint")
    code = (
        "import sys; from cartera.cli.app import build_app; build_app(); "
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
