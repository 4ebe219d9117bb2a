"""A withheld amount (Spain's IRPF, Mexico's ISR Retenido, Colombia's Retefuente) is no
revenue, but part of the total: total = net − discount + tax − withholding, so a
discount in money is still recognised on invoices with a withholding (decision 0953)."""

from __future__ import annotations

from pathlib import Path

import pytest
from io_text import import_text

from cartera.io import ReadOptions
from cartera.io.role_rules import RULES
from cartera.io.words import concepts, header_words


@pytest.mark.parametrize(
    ("header", "score"),
    [
        ("Retefuente", 75),
        ("ReteICA", 75),
        ("ISR Retenido", 75),
        ("IVA Retenido", 75),
        ("Retención IRPF", 75),
        ("Importe Retenido", 75),
        ("Withholding tax", 75),
        ("Tipo Retención", 0),  # a rate
        ("% Retención", 0),
        ("Fecha retención", 0),
        ("Base imponible", 0),
    ],
)
def test_withholding_headers(header: str, score: float) -> None:
    assert RULES["documents"]["withholding"](concepts(header), header_words(header)) == score


@pytest.mark.parametrize(
    ("withheld", "shown", "expected"),
    [
        ("IRPF", True, [1000.0, 450.0]),  # totals agree after the discount: taken off
        ("ISR Retenido", True, [1000.0, 450.0]),
        ("IRPF", False, [1000.0, 500.0]),  # the withholding not in the file: nothing tells
    ],
)
def test_a_discount_beside_a_withholding(
    tmp_path: Path, options: ReadOptions, withheld: str, shown: bool, expected: list[float]
) -> None:
    # F2: 500 − 50 discount + 21 % VAT (94.50) − 15 % withheld (67.50) = 477.00
    rows = [
        ["F1", "1000,00", "0,00", "210,00", "150,00", "1060,00"],
        ["F2", "500,00", "50,00", "94,50", "67,50", "477,00"],
    ]
    head = ["Factura", "Base imponible", "Importe descuento", "IVA", withheld, "Total"]
    if not shown:
        head.pop(4)
        rows = [r[:4] + r[5:] for r in rows]
    text = ";".join(["Fecha", "Cliente", *head]) + "\n"
    text += "".join(";".join(["15/03/2024", "Acme", *r]) + "\n" for r in rows)
    docs, _rendered = import_text(tmp_path, options, text)
    assert docs["amount"].to_list() == pytest.approx(expected)
