"""Grouped reports: a client's name on a row of its own above its lines (decision 0943)."""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import pytest

from cartera.io.groups import fill_group_labels, label_column
from cartera.io.source import RawTable

sys.path.insert(0, str(Path(__file__).parent / "real"))

from realfiles import notes, run, write_csv, write_xlsx

HEADER = ["", "Date", "Transaction Type", "Num", "Product/Service", "Memo/Description", "Qty",
          "Sales Price", "Amount", "Balance"]  # fmt: skip
ABOVE = ["Craig's Design and Landscaping Services", "Sales by Customer Detail",
         "January 1 - December 31, 2024", ""]  # fmt: skip
ROWS = [
    ["Amy's Bird Sanctuary"],
    ["", "01/15/2024", "Invoice", "1001", "Design", "Custom Design", "4.00", "75.00", "300.00",
     "300.00"],
    ["", "02/03/2024", "Invoice", "1007", "Gardening", "Weekly", "2.00", "25.00", "50.00",
     "350.00"],
    ["Total for Amy's Bird Sanctuary", "", "", "", "", "", "", "", "$350.00", ""],
    ["Bill's Windsurf Shop"],
    ["", "01/20/2024", "Invoice", "1002", "Installation", "Landscape", "10.00", "50.00",
     "500.00", "500.00"],
    ["", "03/11/2024", "Sales Receipt", "1010", "Pest Control", "Pest control", "1.00", "35.00",
     "35.00", "535.00"],
    ["", "04/02/2024", "Credit Memo", "1015", "Design", "Refund", "-1.00", "75.00", "-75.00",
     "460.00"],
    ["Total for Bill's Windsurf Shop", "", "", "", "", "", "", "", "$460.00", ""],
    ["Cool Cars"],
    ["", "05/05/2024", "Invoice", "1020", "Rocks", "Garden Rocks", "25.00", "22.50", "562.50",
     "562.50"],
    ["", "05/05/2024", "Invoice", "1020", "Maintenance & Repair", "Maintenance", "3.00", "60.00",
     "180.00", "742.50"],
    ["Total for Cool Cars", "", "", "", "", "", "", "", "$742.50", ""],
    ["TOTAL", "", "", "", "", "", "", "", "$1,552.50", ""],
]  # fmt: skip


def _padded(rows: list[list[str]]) -> list[list[str]]:
    return [r + [""] * (len(HEADER) - len(r)) for r in rows]


def _by_client(analysis: object) -> dict[str, float]:
    return {c.name: round(c.metrics.revenue, 2) for c in analysis.clients}  # type: ignore[attr-defined]


def test_quickbooks_sales_by_customer_detail_csv(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "Sales by Customer Detail.csv", HEADER, ROWS, above=ABOVE)
    analysis = run(path)
    assert analysis.portfolio.revenue == pytest.approx(1552.50, abs=0.005)
    assert _by_client(analysis) == {
        "Cool Cars": 742.5,
        "Bill's Windsurf Shop": 460.0,
        "Amy's Bird Sanctuary": 350.0,
    }
    assert "grouped by client" in notes(analysis)


def test_quickbooks_sales_by_customer_detail_xlsx(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "Sales by Customer Detail.xlsx",
        [[a] for a in ABOVE[:3]] + [HEADER],
        _padded(ROWS),
    )
    analysis = run(path)
    assert analysis.portfolio.revenue == pytest.approx(1552.50, abs=0.005)
    assert len(analysis.clients) == 3


def test_a_report_grouped_by_product_keeps_its_customer_column(tmp_path: Path) -> None:
    header = ["", "Date", "Num", "Customer", "Qty", "Amount"]
    rows = [
        ["Design"],
        ["", "2024-01-15", "1001", "Amy", "4", "300.00"],
        ["", "2024-04-02", "1015", "Bill", "1", "75.00"],
        ["Total for Design", "", "", "", "", "375.00"],
        ["Rocks"],
        ["", "2024-05-05", "1020", "Amy", "25", "562.50"],
        ["Total for Rocks", "", "", "", "", "562.50"],
    ]
    analysis = run(write_csv(tmp_path / "Sales by Product.csv", header, rows))
    assert _by_client(analysis) == {"Amy": 862.5, "Bill": 75.0}


def test_label_prefix_cliente_is_dropped(tmp_path: Path) -> None:
    header = ["", "Fecha", "Factura", "Importe"]
    rows = [
        ["Cliente: ACME SL"],
        ["", "15/01/2024", "F-1", "100,00"],
        ["", "16/01/2024", "F-2", "50,00"],
        ["Cliente: Beta SA"],
        ["", "17/01/2024", "F-3", "70,00"],
    ]
    analysis = run(write_csv(tmp_path / "listado.csv", header, rows, delimiter=";"))
    assert _by_client(analysis) == {"ACME SL": 150.0, "Beta SA": 70.0}


def _raw(headers: list[str], rows: list[list[str | None]]) -> RawTable:
    columns = {f"c{i}": [r[i] if i < len(r) else None for r in rows] for i in range(len(headers))}
    frame = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String)).with_row_index(
        "__row", offset=2
    )
    return RawTable(Path("x.csv"), "csv", headers, frame.lazy())


LINE = [None, "2024-01-01", "1", "10"]
HEAD = ["(A)", "Date", "Num", "Amount"]


@pytest.mark.parametrize(
    ("rows", "found"),
    [
        ([["A"], LINE], True),  # one label, one line
        ([["A"], ["B"], LINE], False),  # fewer lines than labels
        ([["A"], LINE, ["B"], LINE], True),
        # one total per label and a grand total: at the limit
        ([["A"], LINE, ["Total A", None, None, "10"], ["TOTAL", None, None, "10"]], True),
        # one more row holding the first column beside other cells: an ordinary column
        (
            [["A"], LINE] + [[x, "2024-01-01", "2", "5"] for x in ("x", "y", "z")],
            False,
        ),
        ([LINE, ["A"], LINE], False),  # the first row is a line, not a label
        ([[None, None, None, None], ["A"], LINE], True),  # blank rows before do not count
        ([LINE, LINE], False),  # no label at all
    ],
)
def test_label_column_edges(rows: list[list[str | None]], found: bool) -> None:
    raw = _raw(HEAD, rows)
    assert (label_column(raw, raw.frame.collect()) == 0) is found


def test_a_named_first_column_is_not_a_label_column() -> None:
    raw = _raw(["Client", "Date", "Num", "Amount"], [["A"], LINE])
    assert label_column(raw, raw.frame.collect()) is None
    fill_group_labels(raw)
    assert raw.group_column is None


def test_a_single_column_is_not_a_label_column() -> None:
    raw = _raw(["(A)"], [["A"], ["B"]])
    assert label_column(raw, raw.frame.collect()) is None


def test_fill_gives_each_line_its_label_and_drops_label_rows() -> None:
    raw = _raw(HEAD, [["A"], LINE, LINE, ["Total A", None, None, "20"], ["B"], LINE])
    fill_group_labels(raw)
    assert raw.group_column == 0
    out = raw.frame.collect()
    assert out["c0"].to_list() == ["A", "A", "Total A", "B"]
    assert out["__row"].to_list() == [3, 4, 5, 7]
    assert raw.notes[-1][1] == {"column": "(A)", "labels": 2}


def test_inspect_reads_a_grouped_report_as_the_import_does(tmp_path: Path) -> None:
    from cartera.io import ReadOptions
    from cartera.io.inspect import inspect_file

    path = write_csv(tmp_path / "Sales by Customer Detail.csv", HEADER, ROWS, above=ABOVE)
    info = inspect_file(path, options=ReadOptions())
    assert info.table == "documents"
    assert {c.header: c.role for c in info.columns}["(A)"] == "client_name"


@pytest.mark.parametrize(
    ("row", "dropped"),
    [
        (["TOTAL", None, None, "$20.00"], True),
        (["Total for Amy", None, None, "20"], True),
        (["Totales", None, None, "20"], True),
        (["Grand Total", None, None, "20"], True),
        (["Suma", None, None, "20"], True),
        (["Total S.A.", "2024-01-01", "7", "20"], False),  # a client named Total, with a date
        (["Totalmente", None, None, "20"], False),  # not the word total
        (["Monday, April 07, 2025 03:14 PM"], True),  # one cell in a file of four columns
        ([None, None, None, "20"], False),  # one cell elsewhere: a continuation line
        ([None, "2024-01-01", None, "20"], False),  # two cells: a (bad) line, not furniture
    ],
)
def test_report_rows_left_out(row: list[str | None], dropped: bool) -> None:
    from cartera.io.groups import drop_report_rows

    raw = _raw(["Client", "Date", "Num", "Amount"], [["Acme", "2024-01-01", "1", "10"], row])
    drop_report_rows(raw)
    assert raw.frame.collect().height == (1 if dropped else 2)
    assert bool(raw.notes) is dropped


def test_one_cell_rows_count_as_furniture_only_from_four_columns() -> None:
    from cartera.io.groups import drop_report_rows

    raw = _raw(["Client", "Date", "Amount"], [["Acme", "2024-01-01", "10"], ["Printed today"]])
    drop_report_rows(raw)
    assert raw.frame.collect().height == 2
