"""A discount amount taken off an amount written before it (decision 0951)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from cartera.io import ReadOptions, import_files
from cartera.io.recognise import recognise
from cartera.io.score import profile_columns

HEAD = "Invoice Number,Invoice Date,Customer,Sub Total,Discount,Tax Total,Total\n"


def _import(tmp_path: Path, options: ReadOptions, text: str) -> pl.DataFrame:
    (tmp_path / "f.csv").write_text(text, encoding="utf-8")
    summary = import_files(documents=tmp_path / "f.csv", into=tmp_path / "ws", options=options)
    return summary.workspace.read("documents")


def _rows(agree: int, disagree: int) -> str:
    """Five discounted invoices: ``agree`` whose total is subtotal − discount + tax, the others
    whose total is off by 7 either way; and one without discount."""
    lines = []
    for i in range(agree + disagree):
        total = 1000 - 150 + 80 + (0 if i < agree else 7)
        lines.append(f"{i + 1},2024-01-0{i + 1},C{i},1000.00,150.00,80.00,{total}.00\n")
    lines.append("9,2024-01-09,C9,500.00,0.00,40.00,540.00\n")
    return "".join(lines)


@pytest.mark.parametrize(("agree", "taken"), [(5, True), (4, True), (3, False), (0, False)])
def test_the_discount_is_taken_off_when_most_totals_agree(
    tmp_path: Path, options: ReadOptions, agree: int, taken: bool
) -> None:
    docs = _import(tmp_path, options, HEAD + _rows(agree, 5 - agree))
    expected = 5 * (850.0 if taken else 1000.0) + 500.0
    assert docs["amount"].sum() == pytest.approx(expected)


def test_an_amount_already_after_its_discount_stays(tmp_path: Path, options: ReadOptions) -> None:
    # total = subtotal + tax: the subtotal is after the discount (the discount shown apart)
    rows = "".join(f"{i},2024-01-0{i},C{i},850.00,150.00,80.00,930.00\n" for i in range(1, 6))
    assert _import(tmp_path, options, HEAD + rows)["amount"].sum() == pytest.approx(4250.0)


def test_without_a_total_nothing_tells(tmp_path: Path, options: ReadOptions) -> None:
    text = "Invoice Number,Invoice Date,Customer,Sub Total,Discount\n" + "".join(
        f"{i},2024-01-0{i},C{i},1000.00,150.00\n" for i in range(1, 4)
    )
    assert _import(tmp_path, options, text)["amount"].sum() == pytest.approx(3000.0)


def test_discount_roles() -> None:
    headers = ["Fecha", "Cliente", "Total Mercadoria", "Total Descontos", "Total IVA",
               "Total Documento", "Discount", "Discount %"]  # fmt: skip
    sample = pl.DataFrame(
        [["01-06-2026", "A", "100", "10", "21", "111", "199.00", "5"]],
        schema=headers,
        orient="row",
    )
    rec = recognise(headers, "documents", profiles=profile_columns(sample, headers))
    roles = {role: headers[i] for role, i in rec.roles.items()}
    assert roles["net"] == "Total Mercadoria"
    assert roles["discount_amount"] == "Total Descontos"
    assert roles["vat_amount"] == "Total IVA"
    assert roles["total"] == "Total Documento"
    assert roles["discount_pct"] == "Discount %"
