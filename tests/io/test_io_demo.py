"""The demo generator's export files import with no mapping, values intact."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from cartera.io import ReadOptions, import_files, inspect_file

demo = pytest.importorskip("cartera.demo")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    folder = tmp_path_factory.mktemp("demo")
    data = demo.write_demo(folder, clients=60, lines=3000, seed=3)
    return folder, data


def test_demo_imports_with_no_mapping(written: tuple[Path, object], tmp_path: Path) -> None:
    folder, data = written
    options = ReadOptions(today=dt.date(2030, 1, 1))
    summary = import_files([folder], into=tmp_path / "ws", options=options)
    ws = summary.workspace
    docs = ws.read("documents")
    assert docs.height == data.documents.height  # type: ignore[attr-defined]
    assert all(t.rows_rejected == 0 for t in summary.tables.values())
    assert docs["amount"].sum() == pytest.approx(data.documents["Base imponible"].sum())  # type: ignore[attr-defined]
    assert docs["cost"].sum() == pytest.approx(data.documents["Coste"].sum())  # type: ignore[attr-defined]
    credit = docs.filter(pl.col("doc_type") == "credit_note")
    assert credit.height == data.documents.filter(pl.col("Tipo") == "Rectificativa").height  # type: ignore[attr-defined]
    assert (credit["amount"] <= 0).all()
    # Every payment (amounts with VAT) lands on its document.
    assert docs["paid_amount"].sum() == pytest.approx(data.payments["Cantidad cobrada"].sum())  # type: ignore[attr-defined]
    clients = ws.read("clients")
    assert clients.height >= data.clients.height  # type: ignore[attr-defined]
    assert clients["image"].sum() == data.clients["Cliente imagen"].sum()  # type: ignore[attr-defined]
    assert ws.read("activities")["hours"].sum() == pytest.approx(data.activities["Horas"].sum())  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("facturas.csv", "documents"),
        ("cobros.csv", "payments"),
        ("clientes.csv", "clients"),
        ("actividades.csv", "activities"),
    ],
)
def test_demo_files_are_recognised(written: tuple[Path, object], name: str, table: str) -> None:
    folder, _data = written
    info = inspect_file(folder / name, options=ReadOptions(today=dt.date(2030, 1, 1)))
    assert (info.table, info.encoding, info.delimiter) == (table, "cp1252", ";")
