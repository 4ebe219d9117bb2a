"""A status column read as payment when the file has no paid columns (decision 0949)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from cartera.io import ReadOptions, import_files
from cartera.io.rows import status_says_paid


@pytest.mark.parametrize(
    ("status", "says"),
    [
        ("paid", True),
        ("pagada", True),
        ("cobrado", True),
        ("paid in full", True),
        ("settled", True),
        ("unpaid", False),
        ("not paid", False),  # an owed word (the whole text) wins over «paid»
        ("no pagada", False),
        ("pago pendiente", False),  # an owed word wins over «pago»
        ("awaiting payment", False),
        ("awaiting fulfillment", None),  # a paid order not yet shipped
        ("overdue", False),
        ("pendiente", False),
        ("vencida", False),
        ("sent", False),
        ("emitida", False),
        ("partially paid", None),  # how much is left is unknown
        ("parcialmente pagada", None),
        ("closed", None),
        ("completed", None),
        ("shipped", None),
    ],
)
def test_status_words(status: str, says: bool | None) -> None:
    assert status_says_paid(status) is says


HEAD = "Fecha,Num,Cliente,Base,Total,Vencimiento,Estado\n"
ROWS = (
    "05/01/2026,F1,Acme,1000,1210,04/02/2026,Pagada\n"
    "05/02/2026,F2,Beta,500,605,07/03/2026,Pendiente\n"
    # a two-line invoice with equal lines: paid in full is the document's whole value
    "05/03/2026,F3,Acme,400,484,04/04/2026,Cobrada\n"
    "05/03/2026,F3,Acme,400,484,04/04/2026,Cobrada\n"
    "10/06/2026,F4,Gamma,100,121,10/07/2026,Parcialmente pagada\n"
)


def _documents(tmp_path: Path, options: ReadOptions, text: str) -> pl.DataFrame:
    (tmp_path / "f.csv").write_text(text, encoding="utf-8")
    summary = import_files(documents=tmp_path / "f.csv", into=tmp_path / "ws", options=options)
    return summary.workspace.read("documents")


def test_status_gives_the_paid_amounts(tmp_path: Path, options: ReadOptions) -> None:
    docs = _documents(tmp_path, options, HEAD + ROWS)
    known = pl.col("paid_amount").is_not_null().any()
    paid = (
        docs.group_by("doc_number")
        .agg(pl.when(known).then(pl.col("paid_amount").sum()))
        .sort("doc_number")
    )
    assert paid.rows() == [("F1", 1210.0), ("F2", 0.0), ("F3", 968.0), ("F4", None)]
    assert docs["paid_date"].null_count() == docs.height


def test_a_paid_column_beats_the_status(tmp_path: Path, options: ReadOptions) -> None:
    paid = ["0", "605", "60", "40", "121"]  # what the column says, against every status
    text = (HEAD.rstrip("\n") + ",Importe cobrado\n") + "".join(
        f"{line},{p}\n" for line, p in zip(ROWS.splitlines(), paid, strict=True)
    )
    docs = _documents(tmp_path, options, text)
    by_doc = docs.group_by("doc_number").agg(pl.col("paid_amount").sum()).sort("doc_number")
    assert by_doc.rows() == [("F1", 0.0), ("F2", 605.0), ("F3", 100.0), ("F4", 121.0)]


def test_a_column_that_never_says_paid_is_not_about_payment(
    tmp_path: Path, options: ReadOptions
) -> None:
    # Tax authorities' states (DIAN, NF-e): «Emitida» and «Autorizada» say nothing of payment.
    text = HEAD + "".join(
        f"0{m}/01/2026,F{m},Acme,100,121,0{m}/02/2026,{s}\n"
        for m, s in ((1, "Emitida"), (2, "Autorizada"), (3, "Emitida"))
    )
    assert _documents(tmp_path, options, text)["paid_amount"].null_count() == 3
    # One paid status is the edge: then the column is about payment.
    text = text.replace("Autorizada", "Pagada")
    (tmp_path / "again").mkdir()
    paid = _documents(tmp_path / "again", options, text).sort("doc_number")["paid_amount"]
    assert paid.to_list() == [0.0, 121.0, 0.0]
