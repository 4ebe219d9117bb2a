"""Hypothesis: a table written in any supported dialect reads back identical."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from io_paths import TODAY

from cartera.io import ReadOptions, read_table

HEADERS = {
    "es": [
        "Nº factura",
        "Fecha",
        "Código cliente",
        "Cliente",
        "Base imponible",
        "Coste",
        "Unidades",
    ],
    "en": ["Invoice number", "Date", "Customer ID", "Customer", "Amount", "Cost", "Units"],
}
DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%Y%m%d", "%m/%d/%Y", "%d-%m-%Y"]
NAME = (
    st.text(alphabet="abcdefghijklmnñopqrstuvwxyzáéíóúüÁÉÑ ,.&-'\"", min_size=1, max_size=20)
    .map(str.strip)
    .filter(lambda s: any(c.isalpha() for c in s))
)
MONEY = st.decimals(min_value=-1_000_000, max_value=1_000_000, places=2).map(float)

row = st.fixed_dictionaries(
    {
        "client": st.sampled_from(["C1", "C2", "C3", "C4"]),
        "name": NAME,
        "date": st.dates(dt.date(2000, 1, 1), TODAY),
        "amount": MONEY,
        "cost": MONEY,
        "units": st.integers(-50, 5000),
    }
)


def _money(value: float, decimal: str, thousands: bool, negative: str, currency: bool) -> str:
    text = f"{abs(value):,.2f}" if thousands else f"{abs(value):.2f}"
    if decimal == "comma":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    if currency:
        text += " €"
    if value < 0:
        text = f"({text})" if negative == "parens" else f"-{text}"
    return text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(row, min_size=1, max_size=12),
    lang=st.sampled_from(["es", "en"]),
    delimiter=st.sampled_from([";", ",", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    decimal=st.sampled_from(["comma", "dot"]),
    thousands=st.booleans(),
    negative=st.sampled_from(["minus", "parens"]),
    currency=st.booleans(),
    date_format=st.sampled_from(DATE_FORMATS),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_csv_dialect_round_trip(
    rows: list[dict[str, object]],
    lang: str,
    delimiter: str,
    encoding: str,
    decimal: str,
    thousands: bool,
    negative: str,
    currency: bool,
    date_format: str,
    newline: str,
) -> None:
    # One unambiguous row (day 25, cents) as real exports have; the rest are random.
    rows = [
        {
            "client": "C1",
            "name": "Ancla",
            "date": dt.date(2024, 1, 25),
            "amount": 1234.56,
            "cost": 0.5,
            "units": 1,
        },
        *rows,
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(HEADERS[lang])
    for i, r in enumerate(rows):
        writer.writerow(
            [
                f"F{i:05d}",
                r["date"].strftime(date_format),  # type: ignore[attr-defined]
                r["client"],
                r["name"],
                _money(r["amount"], decimal, thousands, negative, currency),  # type: ignore[arg-type]
                _money(r["cost"], decimal, thousands, negative, currency),  # type: ignore[arg-type]
                str(r["units"]),
            ]
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        path.write_bytes(buffer.getvalue().encode(encoding))
        docs = read_table(path, options=ReadOptions(today=TODAY)).sort("source_row")
    assert docs["doc_number"].to_list() == [f"F{i:05d}" for i in range(len(rows))]
    assert docs["client_id"].to_list() == [r["client"] for r in rows]
    assert docs["date"].to_list() == [r["date"] for r in rows]
    assert docs["amount"].to_list() == pytest.approx([r["amount"] for r in rows])
    assert docs["units"].to_list() == [float(r["units"]) for r in rows]  # type: ignore[arg-type]
    assert docs["source_row"].to_list() == list(range(2, len(rows) + 2))


@settings(max_examples=15, deadline=None)
@given(rows=st.lists(row, min_size=1, max_size=8))
def test_parquet_and_xlsx_round_trip(rows: list[dict[str, object]]) -> None:
    frame = pl.DataFrame(
        {
            "Nº factura": [f"F{i}" for i in range(len(rows))],
            "Fecha": [r["date"] for r in rows],
            "Código cliente": [r["client"] for r in rows],
            "Base imponible": [r["amount"] for r in rows],
        }
    )
    with tempfile.TemporaryDirectory() as folder:
        for name in ("x.parquet", "x.xlsx"):
            path = Path(folder) / name
            if name.endswith("parquet"):
                frame.write_parquet(path)
            else:
                frame.write_excel(path)
            docs = read_table(path, options=ReadOptions(today=TODAY)).sort("source_row")
            assert docs["date"].to_list() == [r["date"] for r in rows]
            assert docs["amount"].to_list() == pytest.approx([r["amount"] for r in rows])
