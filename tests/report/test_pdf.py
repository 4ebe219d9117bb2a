"""The PDF brief: 2–4 pages whose text holds the headings and figures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

EXPECTED = {
    "es": ["Informe de la cartera de clientes", "Resumen", "Mezcla de segmentos",
           "Clientes a dejar ir (3)", "Recomendaciones", "Gráficos", "Prueba de estrés",
           "1.267.840 €", "Comercial Sánchez y Cía", "paga a 172 días"],
    "en": ["Client portfolio report", "Summary", "Segment mix", "Clients to let go (3)",
           "Recommendations", "Charts", "Crisis stress test", "€1,267,840",
           "Comercial Sánchez y Cía", "pays in 172 days"],
}  # fmt: skip


def pdf_text(path: Path) -> tuple[int, str]:
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return len(reader.pages), " ".join(text.replace("\xa0", " ").split())


@pytest.mark.parametrize("lang", ["es", "en"])
def test_brief_has_headings_and_figures(
    fixture_report: Callable[[str, str], Path], lang: str
) -> None:
    pages, text = pdf_text(fixture_report("pdf", lang))
    assert 2 <= pages <= 4
    for expected in EXPECTED[lang]:
        assert expected.replace("\xa0", " ") in text, expected
    other = "Informe de la cartera" if lang == "en" else "Client portfolio report"
    assert other not in text
