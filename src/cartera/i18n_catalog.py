"""Find every translatable message in the source (used by scripts and tests).

Message ids are what ``_()`` and ``N_()`` are called with, plus the help texts
of the settings fields (shown by the CLI and the docs).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from babel.messages.extract import extract_from_file
from pydantic import BaseModel

__all__ = ["catalog_ids", "settings_descriptions", "source_messages"]

PACKAGE_DIR = Path(__file__).parent
KEYWORDS = {"_": None, "N_": None}


def source_messages(paths: Iterable[Path] | None = None) -> Iterator[tuple[str, Path, int]]:
    """(message id, file, line) for every marked string under ``paths``."""
    files = sorted(PACKAGE_DIR.rglob("*.py")) if paths is None else list(paths)
    for path in files:
        for lineno, message, _comments, _context in extract_from_file(
            "python", str(path), keywords=KEYWORDS
        ):
            if isinstance(message, str) and message:
                yield message, path, lineno


def settings_descriptions() -> Iterator[str]:
    from cartera.assistant.settings import AssistantSettings, DunningLevel
    from cartera.settings import Settings

    def walk(model: type[BaseModel]) -> Iterator[str]:
        for field in model.model_fields.values():
            if field.description:
                yield field.description
            ann = field.annotation
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                yield from walk(ann)

    yield from walk(Settings)
    yield from walk(AssistantSettings)
    yield from walk(DunningLevel)  # a tuple of levels: not reached by the walk


def catalog_ids(lang: str) -> dict[str, str]:
    """Every translated id of ``lang`` (all areas merged), id → translation."""
    from babel.messages.pofile import read_po

    merged: dict[str, str] = {}
    for po in sorted((PACKAGE_DIR / "locale" / lang).glob("*.po")):
        with po.open("rb") as fh:
            for msg in read_po(fh, locale=lang):
                if msg.id and isinstance(msg.id, str):
                    merged[msg.id] = str(msg.string or "")
    return merged
