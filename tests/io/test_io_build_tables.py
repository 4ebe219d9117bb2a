"""``assemble.build_tables`` called as a library function, with its defaults."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from cartera.io import ReadOptions, assemble, import_files, importer


def test_payments_carry_amounts_unless_told_otherwise(
    tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The import passes whether its payments have amounts; here it is left to the default.
    told: list[bool] = []

    def by_default(*args: Any, **kwargs: Any) -> dict[str, pl.DataFrame]:
        *given, amounts = args
        told.append(amounts)
        return assemble.build_tables(*given, **kwargs)

    monkeypatch.setattr(importer, "build_tables", by_default)
    (tmp_path / "f.csv").write_text(
        "Nº factura;Fecha;Código cliente;Base imponible;Total\nF1;01/01/2024;C1;100;121\n",
        encoding="utf-8",
    )
    (tmp_path / "c.csv").write_text(
        "Nº factura;Fecha cobro;Cantidad cobrada\nF1;10/02/2024;100\n", encoding="utf-8"
    )
    ws = import_files(
        documents=tmp_path / "f.csv", payments=tmp_path / "c.csv", into=tmp_path / "ws",
        options=options,
    ).workspace  # fmt: skip
    docs = ws.read("documents")
    assert told == [True]
    # 100 of 121 paid: a partial payment, the document still open.
    assert (docs["paid_amount"].to_list(), docs["paid_date"].to_list()) == ([100.0], [None])
    assert ws.read("payments")["date"].to_list() == [dt.date(2024, 2, 10)]


def test_clients_seen_only_in_rejected_rows_are_left_out_by_default(
    tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The import says whether every row was accepted; here it is left to the default.
    told: list[bool] = []

    def by_default(*args: Any, complete: bool) -> dict[str, pl.DataFrame]:
        told.append(complete)
        return assemble.build_tables(*args)

    monkeypatch.setattr(importer, "build_tables", by_default)
    (tmp_path / "f.csv").write_text(
        "Nº factura;Fecha;Código cliente;Base imponible\n"
        "F1;01/01/2024;C1;100\nF2;02/01/2024;C2;doce\n",
        encoding="utf-8",
    )
    skip = options.model_copy(update={"skip_bad_rows": True})
    ws = import_files(documents=tmp_path / "f.csv", into=tmp_path / "ws", options=skip).workspace
    assert told == [False]
    assert ws.read("clients")["client_id"].to_list() == ["C1"]


def test_a_clients_file_next_to_rejected_rows_keeps_its_clients(
    tmp_path: Path, options: ReadOptions
) -> None:
    (tmp_path / "f.csv").write_text(
        "Nº factura;Fecha;Código cliente;Base imponible\n"
        "F1;01/01/2024;C1;100\nF2;02/01/2024;C2;doce\n",
        encoding="utf-8",
    )
    (tmp_path / "c.csv").write_text(
        "Código cliente;Nombre\nC1;Acme SL\nC3;Globex SA\n", encoding="utf-8"
    )
    skip = options.model_copy(update={"skip_bad_rows": True})
    ws = import_files(
        documents=tmp_path / "f.csv", clients=tmp_path / "c.csv", into=tmp_path / "ws",
        options=skip,
    ).workspace  # fmt: skip
    clients = ws.read("clients").sort("client_id")
    assert clients.select("client_id", "name").rows() == [("C1", "Acme SL"), ("C3", "Globex SA")]
