"""Prospect lists: recognition, consent, dedupe by tax id and by normalised name, do-not-call."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from cartera.demo import DemoData
from cartera.demo.prospects import PROSPECT_FILES
from cartera.errors import InputError
from cartera.io import Workspace
from cartera.study.prospects import (
    dedupe,
    name_key,
    on_do_not_call,
    read_do_not_call,
    read_prospects,
    tax_key,
)

CLIENTS = pl.DataFrame(
    {
        "client_id": ["C1", "C2", "C3"],
        "name": ["Construcciones Pérez, S.L.", "Bodegas Ibáñez S.A.", "Acme Ltd"],
        "tax_id": ["B12345678", None, "GB123"],
    }
)


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_keys_normalise_tax_ids_and_names() -> None:
    frame = pl.DataFrame(
        {"t": ["es-b12.345.678", " B 12345678 ", "12.345.678-5", ""],
         "n": ["CONSTRUCCIONES PEREZ SL", "Construcciones Pérez, S.L.", "ＡＣＭＥ Ltd.", " , "]}
    )  # fmt: skip
    keys = frame.select(tax_key(pl.col("t")).alias("t"), name_key(pl.col("n")).alias("n"))
    assert keys["t"].to_list() == ["B12345678", "B12345678", "123456785", None]
    # NFKC turns the full-width letters into ASCII before the accents and suffixes go.
    assert keys["n"].to_list() == ["construcciones perez", "construcciones perez", "acme", None]


def test_dedupe_by_tax_id_by_name_earlier_and_repeats() -> None:
    prospects = pl.DataFrame(
        {
            "row": [2, 3, 4, 5, 6, 7],
            "name": ["PEREZ OBRAS", "BODEGAS IBAÑEZ, SA", "Nueva Óptica SL", "Nueva Optica S.L.",
                     "Otra Empresa", "Vieja SL"],
            "tax_id": ["ES-B12.345.678", None, "B99999999", None, "B88888888", None],
        }
    )  # fmt: skip
    earlier = pl.DataFrame(
        {"name": ["Vieja, S.L."], "tax_id": [None]}, schema_overrides={"tax_id": pl.String}
    )
    out = dedupe(prospects, CLIENTS, earlier)
    assert out["status"].to_list() == ["client", "client", "new", "repeat", "new", "earlier"]
    assert out["match"].to_list() == ["C1", "C2", None, "4", None, "Vieja, S.L."]
    assert out["match_by"].to_list() == ["tax_id", "name", None, "name", None, "name"]


def test_read_a_cp1252_semicolon_list_with_consent(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "leads.csv",
        "Empresa;CIF;Actividad;Provincia;Nº empleados;Móvil;Correo;Fuente;RGPD\r\n"
        "Óptica Núñez, S.L.;B11111111;Sanidad;Málaga;12;600 111 222;a@b.es;Feria;Sí\r\n"
        "Taller Gil;;;;;;;;no\r\n"
        ";;;;;;;;\r\n",
        "cp1252",
    )
    out = read_prospects(path)
    assert out.height == 2  # the empty row is dropped
    first = out.row(0, named=True)
    assert first["name"] == "Óptica Núñez, S.L." and first["region"] == "Málaga"
    assert (first["size"], first["phone"], first["source"], first["row"]) == (
        "12",
        "600 111 222",
        "Feria",
        2,
    )
    assert out["consent"].to_list() == [True, False]


def test_a_bad_consent_value_names_row_column_and_value(tmp_path: Path) -> None:
    path = _write(tmp_path / "l.csv", "Nombre;Consentimiento\nA;Sí\nB;quizá\n")
    with pytest.raises(InputError) as err:
        read_prospects(path)
    problem = err.value.problems[0]
    assert (problem.row, problem.column, problem.value) == (3, "Consentimiento", "quizá")


def test_a_list_without_name_or_tax_id_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "l.csv", "Provincia;Teléfono\nMadrid;600\n")
    with pytest.raises(InputError, match="no column names the prospect"):
        read_prospects(path)


def test_do_not_call_matches_phone_in_any_format_and_email(tmp_path: Path) -> None:
    dnc = read_do_not_call(
        _write(tmp_path / "r.csv", "Teléfono;Email\n+34 600 111 222;\n;X@Y.ES\n")
    )
    prospects = pl.DataFrame(
        {
            "phone": ["600111222", "0034600111222", "611", None],
            "email": [None, None, None, "x@y.es"],
        }
    )
    assert on_do_not_call(prospects, dnc).to_list() == [True, True, False, True]


def test_demo_prospects_dedupe_finds_every_planted_duplicate(
    demo_firm: tuple[Path, Path, DemoData],
) -> None:
    export, ws, _data = demo_firm
    from cartera.demo.prospects import make_prospects

    planted = make_prospects(_data.clients, 11).truth
    prospects = read_prospects(export / PROSPECT_FILES["prospects"])
    out = dedupe(prospects, Workspace.open(ws).read("clients"))
    assert out.height == planted.height
    truth = planted["planted"]
    assert (out["status"] == "client").to_list() == (truth == "client_duplicate").to_list()
    assert (out["status"] == "repeat").to_list() == (truth == "prospect_duplicate").to_list()
    clients = out.filter(pl.col("status") == "client")["match"].to_list()
    assert clients == planted.filter(pl.col("planted") == "client_duplicate")["client_id"].to_list()
    dnc = read_do_not_call(export / PROSPECT_FILES["do_not_call"])
    assert on_do_not_call(prospects, dnc).to_list() == planted["do_not_call"].to_list()
