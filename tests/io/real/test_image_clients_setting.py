"""Image clients named by a list of ids in the settings (``image_clients``) when the clients
file has no image-flag column; ids are matched as the import matches client ids."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from realfiles import TODAY, write_csv

from cartera.analysis import analyze
from cartera.errors import SettingsError
from cartera.i18n import language
from cartera.io import ReadOptions
from cartera.result import PortfolioAnalysis
from cartera.settings import Settings


def _files(tmp_path: Path) -> list[Path]:
    docs = write_csv(
        tmp_path / "facturas.csv", ["Factura", "Fecha", "Código cliente", "Importe"],
        [["F1", "02/05/2024", "C0001", "100"], ["F2", "03/05/2024", "002", "50"],
         ["F3", "04/05/2024", "C3", "70"]],
        delimiter=";",
    )  # fmt: skip
    clients = write_csv(
        tmp_path / "clientes.csv", ["Código cliente", "Nombre", "Sector"],
        [["C0001", "Acme", "Retail"], ["002", "Beta", "Retail"], ["C3", "Gamma", "Retail"]],
        delimiter=";",
    )  # fmt: skip
    return [docs, clients]


def _run(tmp_path: Path, listed: list[str]) -> PortfolioAnalysis:
    with language("en"):
        return analyze(
            _files(tmp_path),  # type: ignore[arg-type]
            options=ReadOptions(today=TODAY),
            settings=Settings(image_clients=listed),
        )


def test_listed_ids_are_image_clients_without_a_flag_column(tmp_path: Path) -> None:
    # " c0001 " is trimmed like a code; "0002" loses its leading zeros like 002 did.
    analysis = _run(tmp_path, [" C0001 ", "0002"])
    segments = {c.name: c.segment for c in analysis.clients}
    assert segments["Acme"] == "image" and segments["Beta"] == "image"
    assert segments["Gamma"] != "image"
    assert not any("Image clients cannot be recognised" in n for n in analysis.notes)


def test_without_the_setting_the_note_names_both_ways(tmp_path: Path) -> None:
    analysis = _run(tmp_path, [])
    assert all(c.segment != "image" for c in analysis.clients)
    note = next(n for n in analysis.notes if "Image clients cannot be recognised" in n)
    assert "«Cliente imagen»" in note and "image_clients" in note
    from cartera.i18n import _

    with language("es"):
        spanish = _(note)
    assert "image_clients" in spanish and "columna" in spanish


def test_an_unknown_id_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as err:
        _run(tmp_path, ["C0001", "C9999"])
    with language("en"):
        text = err.value.render()
    assert "«C9999»" in text and "«C0001»" not in text
    with language("es"):
        assert "«C9999»" in err.value.render() and "ningún cliente" in err.value.render()


def test_tax_ids_and_names_are_matched_as_the_import_does(tmp_path: Path) -> None:
    docs = write_csv(
        tmp_path / "ventas.csv", ["Factura", "Fecha", "Cliente", "NIF", "Importe"],
        [["F1", "02/05/2024", "Construcciones Pérez, S.L.", "", "100"],
         ["F2", "03/05/2024", "Beta", "ES-B12.345.678", "50"],
         ["F3", "04/05/2024", "Gamma", "", "70"]],
        delimiter=";",
    )  # fmt: skip
    with language("en"):
        analysis = analyze(
            docs,
            options=ReadOptions(today=TODAY),
            settings=Settings(image_clients=["CONSTRUCCIONES PEREZ SL", "b12345678"]),
        )
    image = {c.name for c in analysis.clients if c.segment == "image"}
    assert image == {"Construcciones Pérez, S.L.", "Beta"}
