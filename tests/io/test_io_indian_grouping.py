"""Indian digit grouping (lakhs and crores, TallyPrime's and Zoho India's exports) and
Tally's «Particulars» as the party (decision 0953)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from cartera.io import ReadOptions, import_files
from cartera.io.conventions import number_flags, parse_number
from cartera.io.role_rules import RULES
from cartera.io.words import concepts, header_words


@pytest.mark.parametrize(
    ("text", "dot", "comma", "dot_vote"),
    [
        ("1,48,500.00", 148500.0, None, True),
        ("12,65,000", 1265000.0, None, True),
        ("1,00,00,000.50", 10000000.5, None, True),
        ("99,999", 99999.0, 99.999, False),  # thousands or decimals: no vote
        ("1,4,500.00", None, None, False),  # a one-digit group is no grouping
        ("123,45,678.00", None, None, False),  # the first group has at most two digits
        ("1,48,50.00", None, None, False),  # the last group has three
    ],
)
def test_indian_grouping(text: str, dot: float | None, comma: float | None, dot_vote: bool) -> None:
    frame = pl.DataFrame({"t": [text]}).select(
        parse_number(pl.col("t"), "dot").alias("dot"),
        parse_number(pl.col("t"), "comma").alias("comma"),
        *number_flags(pl.col("t")),
    )
    row = frame.row(0, named=True)
    assert (row["dot"], row["comma"], row["dot_vote"]) == (dot, comma, dot_vote)
    assert row["comma_vote"] is False


@pytest.mark.parametrize(
    ("header", "score"), [("Particulars", 75), ("Party Name", 85), ("Party", 75)]
)
def test_party_headers(header: str, score: float) -> None:
    assert RULES["documents"]["client_name"](concepts(header), header_words(header)) == score


def test_a_tally_sales_register(tmp_path: Path, options: ReadOptions) -> None:
    text = (
        "Nandini Electricals Pvt. Ltd.\n"
        "Sales Register\n"
        "1-Apr-24 to 30-Jun-24\n"
        "\n"
        "Date,Particulars,Voucher Type,Voucher No.,Value,Gross Total\n"
        '3-Apr-24,Sharma Electricals,Sales,NEPL/24-25/001,"1,48,500.00","1,75,230.00"\n'
        '9-Apr-24,Kumar Industrial,Sales,NEPL/24-25/002,"12,65,000.00","14,92,700.00"\n'
        '12-Apr-24,Cash,Sales,NEPL/24-25/003,"8,400.00","9,912.00"\n'
        'Grand Total,,,,"14,21,900.00","16,77,842.00"\n'
    )
    (tmp_path / "tally.csv").write_text(text, encoding="utf-8")
    summary = import_files(documents=tmp_path / "tally.csv", into=tmp_path / "ws", options=options)
    docs = summary.workspace.read("documents").sort("source_row")
    assert docs["amount"].to_list() == [148500.0, 1265000.0, 8400.0]
    assert summary.workspace.read("clients")["name"].sort().to_list() == [
        "Cash",
        "Kumar Industrial",
        "Sharma Electricals",
    ]
