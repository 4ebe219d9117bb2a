"""The page texts are one dictionary built from two: a key in both would hide one text."""

from __future__ import annotations

from cartera.i18n import language
from cartera.web.study_texts import study_texts
from cartera.web.texts import base_texts, texts


def test_study_texts_do_not_reuse_a_page_text_key() -> None:
    assert set(base_texts()).isdisjoint(study_texts())
    assert len(texts()) == len(base_texts()) + len(study_texts())


def test_client_page_keeps_its_history_heading() -> None:
    with language("en"):
        t = texts()
    assert t["history"] == "Sales and margin, last 24 months"
    assert t["outcome"] == "Outcome"
    assert t["call_outcome"] == "Outcome (when reached)"
