"""A workbook kept one sheet per month: every sheet with the same columns (decision 0952)."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter

from cartera.errors import InputError
from cartera.io import ReadOptions, import_files

HEADER = ["Fecha", "Factura", "Cliente", "Importe"]


def _book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
    book.close()
    return path


def _month(m: int, amounts: list[object]) -> list[list[object]]:
    return [HEADER] + [
        [f"0{i + 1}/0{m}/2024", f"F{m}-{i}", f"C{i}", a] for i, a in enumerate(amounts)
    ]


def test_sheets_with_the_same_columns_are_read_together(
    tmp_path: Path, options: ReadOptions
) -> None:
    path = _book(
        tmp_path / "libro.xlsx",
        {
            "Enero": _month(1, [100, 200]),
            "Febrero": _month(2, [300]),
            "Notas": [["Apuntes"], ["nada"]],  # other columns: not read
            "Marzo": _month(3, [400, 500]),
        },
    )
    docs = import_files([path], into=tmp_path / "ws", options=options).workspace.read("documents")
    assert docs["amount"].sum() == pytest.approx(1500.0)
    assert docs["doc_number"].n_unique() == 5


def test_a_named_sheet_is_read_alone(tmp_path: Path, options: ReadOptions) -> None:
    path = _book(tmp_path / "libro.xlsx", {"Enero": _month(1, [100]), "Febrero": _month(2, [300])})
    opts = options.model_copy(update={"sheet": "Febrero"})
    docs = import_files([path], into=tmp_path / "ws", options=opts).workspace.read("documents")
    assert docs["amount"].to_list() == [300.0]


def test_a_bad_cell_names_its_sheet(tmp_path: Path, options: ReadOptions) -> None:
    path = _book(
        tmp_path / "libro.xlsx", {"Enero": _month(1, [100]), "Febrero": _month(2, ["mucho"])}
    )
    with pytest.raises(InputError) as err:
        import_files([path], into=tmp_path / "ws", options=options)
    (problem,) = err.value.problems
    assert "«Febrero»" in str(problem.file) and problem.row == 2


def test_a_summary_sheet_first_gives_way_to_the_invoices_sheet(
    tmp_path: Path, options: ReadOptions
) -> None:
    # Decision 0953: no documents among the inputs, a later sheet has them: it is read,
    # and the summary (amounts per client, no dates) is not read as a clients table.
    path = _book(
        tmp_path / "libro.xlsx",
        {
            "Resumen": [["Cliente", "Total"], ["Otro", 100], ["C1", 200]],
            "Ventas": _month(1, [1, 2]),
            "Notas": [["Apuntes"], ["nada"]],
        },
    )
    ws = import_files([path], into=tmp_path / "ws", options=options).workspace
    assert ws.read("documents")["amount"].to_list() == [1.0, 2.0]
    assert sorted(ws.read("clients")["name"].to_list()) == ["C0", "C1"]
    # named, the summary sheet is what is read, and refused
    opts = options.model_copy(update={"sheet": "Resumen"})
    with pytest.raises(InputError):
        import_files([path], into=tmp_path / "ws2", options=opts)


def test_a_clients_sheet_first_is_read_with_the_invoices_sheet(
    tmp_path: Path, options: ReadOptions
) -> None:
    path = _book(
        tmp_path / "libro.xlsx",
        {
            "Clientes": [["Código", "Nombre", "NIF"], ["C0", "Bar Pepe", "B12345678"]],
            "Facturas": [
                ["Fecha", "Factura", "Código cliente", "Importe"],
                ["02/01/2024", "F1", "C0", 10],
                ["03/01/2024", "F2", "C0", 20],
            ],
        },
    )
    ws = import_files([path], into=tmp_path / "ws", options=options).workspace
    assert ws.read("documents")["amount"].to_list() == [10.0, 20.0]
    clients = ws.read("clients")
    assert clients.select("client_id", "name", "tax_id").rows() == [("C0", "Bar Pepe", "B12345678")]


def test_a_summary_sheet_without_an_invoices_sheet_names_the_others(
    tmp_path: Path, options: ReadOptions
) -> None:
    path = _book(
        tmp_path / "libro.xlsx",
        {"Resumen": [["Cliente", "Total"], ["C0", 100]], "Notas": [["Apuntes"], ["nada"]]},
    )
    with pytest.raises(InputError) as err:
        import_files([path], into=tmp_path / "ws", options=options)
    hints = [p for p in err.value.problems if p.params.get("sheets")]
    assert [(h.params["sheet"], h.params["sheets"]) for h in hints] == [("Resumen", "«Notas»")]


def test_a_totals_row_labelled_under_the_date_column_is_left_out(
    tmp_path: Path, options: ReadOptions
) -> None:
    # The label under «Fecha» and the sum a plain number (it could read as an Excel serial).
    rows = [
        *_month(1, [100.25, 21437.92]),
        [None, None, None, None],
        ["TOTAL", None, None, 21538.17],
    ]
    path = _book(tmp_path / "libro.xlsx", {"Ventas": rows})
    docs = import_files([path], into=tmp_path / "ws", options=options).workspace.read("documents")
    assert docs["amount"].sum() == pytest.approx(21538.17)
    assert docs.height == 2
