"""Client identity: code, else tax id, else normalised name; linked across tables."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from cartera.io import ReadOptions, import_files
from cartera.io.identity import norm_code, norm_name, norm_tax


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("es-b12.345.678", "B12345678"),
        ("ESB11111111", "B11111111"),
        (" 12345678-Z ", "12345678Z"),
        ("GB123456789", "GB123456789"),
    ],
)
def test_tax_ids(raw: str, expected: str) -> None:
    assert pl.select(norm_tax(pl.lit(raw))).item() == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Construcciones Pérez, S.L.", "construcciones perez"),
        ("CONSTRUCCIONES PEREZ SL", "construcciones perez"),
        ("Muñoz y Asociados S.A.U.", "munoz y asociados"),
        ("Acme Ltd", "acme"),
        ("  Óptica   Íñiguez ", "optica iniguez"),
    ],
)
def test_names(raw: str, expected: str) -> None:
    assert pl.select(norm_name(pl.lit(raw))).item() == expected


def test_numeric_codes_lose_leading_zeros() -> None:
    assert pl.select(norm_code(pl.lit("000123"))).item() == "123"
    assert pl.select(norm_code(pl.lit("C0012"))).item() == "C0012"


def test_linking_tax_id_and_name_to_the_clients_code(tmp_path: Path, options: ReadOptions) -> None:
    (tmp_path / "facturas.csv").write_text(
        "Nº factura;Fecha;NIF;Cliente;Importe\n"
        "F1;01/02/2024;ES-B12345678;Pérez Construcciones S.L.;100\n"
        "F2;02/02/2024;;Bodegas Ñandú;50\n"
        "F3;03/02/2024;;Nuevo Cliente;10\n",
        encoding="utf-8",
    )
    (tmp_path / "clientes.csv").write_text(
        "Código cliente;Razón social;NIF\nC1;Pérez Construcciones, SL;B12345678\nC2;BODEGAS ÑANDÚ "
        "S.A.;\nC3;Sin ventas;\n",
        encoding="utf-8",
    )
    ws = import_files(
        [tmp_path / "facturas.csv", tmp_path / "clientes.csv"],
        into=tmp_path / "ws",
        options=options,
    ).workspace
    docs = ws.read("documents").sort("source_row")
    assert docs["client_id"].to_list() == ["C1", "C2", "nuevo cliente"]
    clients = ws.read("clients").sort("client_id")
    assert clients["client_id"].to_list() == ["C1", "C2", "C3", "nuevo cliente"]
    assert clients["name"].to_list() == [
        "Pérez Construcciones, SL",
        "BODEGAS ÑANDÚ S.A.",
        "Sin ventas",
        "Nuevo Cliente",
    ]
    assert clients["client_key"].to_list() == [0, 1, 2, 3]
