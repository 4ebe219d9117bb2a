"""Attribute values read as words after their attribute's name, in both languages."""

from __future__ import annotations

import pytest

from cartera.i18n import language
from cartera.study.attributes import attribute_name, value_label


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("es", ["tamaño micro (1–9 empleados)", "tamaño pequeño (10–49 empleados)",
                "tamaño mediano (50–249 empleados)", "tamaño grande (250 o más empleados)"]),
        ("en", ["size micro (1–9 employees)", "size small (10–49 employees)",
                "size medium (50–249 employees)", "size large (250+ employees)"]),
    ],
)  # fmt: skip
def test_size_bands_agree_with_the_word_size(lang: str, expected: list[str]) -> None:
    with language(lang):
        got = [f"{attribute_name('size')} {value_label('size', v)}"
               for v in ("micro", "small", "medium", "large")]  # fmt: skip
    assert got == expected
