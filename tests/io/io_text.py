"""Import a CSV written in a test: its documents and the English summary on one line."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from cartera.i18n import language
from cartera.io import ReadOptions, import_files


def import_text(tmp_path: Path, options: ReadOptions, text: str) -> tuple[pl.DataFrame, str]:
    """``text`` as ``f.csv`` imported into ``tmp_path/ws``: the documents in file order and
    the summary rendered in English, its lines joined (notes wrap)."""
    (tmp_path / "f.csv").write_text(text, encoding="utf-8")
    with language("en"):
        summary = import_files(documents=tmp_path / "f.csv", into=tmp_path / "ws", options=options)
        rendered = " ".join(summary.render().split())
    return summary.workspace.read("documents").sort("source_row"), rendered
