"""A bare ``$`` is the peso of the country the file names (decision 0955): by the shape of
its clients' tax ids, else by its headers' tax words; else the US dollar."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from realfiles import notes, run, write_csv

from cartera.analysis import analyze
from cartera.errors import InputError
from cartera.i18n import language
from cartera.io.country import (
    ID_SHARE,
    _one_id,
    country_currency,
    dollar_currency,
    header_country,
    id_country,
)


@pytest.mark.parametrize(
    ("tax_id", "country"),
    [
        ("30712345671", "AR"),  # a company's CUIT
        ("30712345678", None),  # its check digit wrong: 11 digits of any kind
        ("10234560967", None),  # an Italian VAT number: no RUC
        ("27-28765432-1", "AR"),
        ("20-23456789-3", "AR"),  # 20 with dashes: CUIT
        ("20234567893", None),  # 20 and 11 digits: CUIT or Peru's RUC
        ("10456789019", "PE"),
        ("10456789060", "PE"),  # the RUC's rule: a check of 10 is written 0 (the CUIT's: 9)
        ("20100070970", None),  # a right check digit, 20 first: AR or PE
        ("GODE561231GR8", "MX"),  # a person's RFC
        ("ABC010203XY1", "MX"),  # a company's RFC
        ("ABC011303XY1", None),  # month 13: no RFC
        ("ABC010232XY1", None),  # day 32
        ("ABC010200XY1", None),  # day 0
        ("76.086.428-5", "CL"),  # check digit right
        ("76086428-5", "CL"),
        ("76.086.428-4", None),  # check digit wrong
        ("12.345.678-5", "CL"),
        ("5.126.663-3", "CL"),
        ("10.000.013-K", "CL"),  # K for 10
        ("900123451-7", "CO"),  # 9 digits: a NIT, though its RUT check digit is right
        ("ABC011231XY1", "MX"),  # 31 December
        ("ABC010001XY1", None),  # month 0
        ("900.123.456-7", "CO"),
        ("900123456-7", "CO"),
        ("B68887538", None),  # Spain's NIF
        ("12-3456789", None),  # a US EIN
        ("28765432", None),  # an Argentine DNI alone
    ],
)
def test_each_tax_id_shape(tax_id: str, country: str | None) -> None:
    assert _one_id(tax_id) == country


def test_id_share_edge() -> None:
    assert ID_SHARE == 0.5
    # 1 of 2 is half: enough; 1 of 3 is not. Zeros and empty ids are not counted.
    assert id_country(["30712345671", "28765432", "0", "", "00-00000000-0"]) == "AR"
    assert id_country(["30712345671", "28765432", "12345"]) is None
    assert id_country(["0", ""]) is None
    assert id_country([]) is None
    # The most common country must have the share itself.
    assert id_country(["30712345671", "30698765433", "GODE561231GR8"]) == "AR"
    assert id_country(["30712345671", "GODE561231GR8", "B68887538", "X"]) is None


def test_header_words_name_one_country_or_none() -> None:
    assert header_country(["Fecha", "CUIT Cliente", "Total"]) == "AR"
    assert header_country(["Percepción Ingresos Brutos"]) == "AR"
    assert header_country(["Imp. Neto Gravado Total", "Total"]) == "AR"  # AFIP's
    assert header_country(["Número Desde", "Número Hasta"]) == "AR"
    assert header_country(["Número de factura", "Neto"]) is None
    assert header_country(["RFC Receptor", "Folio Fiscal"]) == "MX"
    assert header_country(["ReteFuente", "Total"]) == "CO"
    assert header_country(["Retefuente"]) == "CO"
    assert header_country(["Monto CFE"]) == "UY"
    assert header_country(["RUT", "Folio"]) == "CL"
    # «SII» is Chile's tax office and Spain's immediate VAT reporting: no country.
    assert header_country(["Factura", "Base imponible", "Estado SII"]) is None
    assert header_country(["Arca", "Importe"]) is None  # AFIP's new name, and a word
    # RUT is Chile's and Uruguay's: Chile's only when no other word names a country.
    assert header_country(["Rut cliente", "Monto Neto"]) == "CL"
    assert header_country(["RUT Receptor", "Tipo CFE"]) == "UY"
    assert header_country(["RUT", "CUIT"]) == "AR"
    assert header_country(["Rutina", "Importe"]) is None  # a word, not a part of one
    assert header_country(["CUIT", "RFC"]) is None  # two countries: neither
    assert header_country(["Invoice", "Customer", "Amount", "Surfcity"]) is None


def test_ids_before_headers_and_dollar_otherwise() -> None:
    assert dollar_currency(["CUIT"], ["GODE561231GR8"]) == "MXN"
    assert dollar_currency(["CUIT"], []) == "ARS"
    assert dollar_currency(["RFC"], ["B68887538"]) == "MXN"
    assert dollar_currency(["Invoice"], ["10456789019"]) == "USD"  # Peru: $ is the dollar
    assert dollar_currency(["Invoice", "Amount"]) == "USD"
    assert dollar_currency(["Fecha", "NIT"], ["900123456-7"]) == "COP"
    assert dollar_currency([], ["76.086.428-5"]) == "CLP"
    assert dollar_currency(["CFE"]) == "UYU"


def _afip(tmp_path: Path, currencies: list[str]) -> Path:
    rows = [
        ["2026-10-02", "11", "2", str(100 + i), "30712345671", "ESTUDIO PAZ S.R.L.", c,
         "1000,00", "1210,00"]
        for i, c in enumerate(currencies)
    ]  # fmt: skip
    return write_csv(
        tmp_path / "comprobantes.csv",
        ["Fecha de Emisión", "Tipo de Comprobante", "Punto de Venta", "Número Desde",
         "Nro. Doc. Receptor", "Denominación Receptor", "Moneda", "Imp. Neto Gravado Total",
         "Imp. Total"],
        rows,
        delimiter=";",
    )  # fmt: skip


def test_afip_moneda_dollar_sign_is_pesos(tmp_path: Path) -> None:
    assert run(_afip(tmp_path, ["$", "$", "$"])).currency == "ARS"


def test_afip_dol_beside_pesos_is_refused_by_code_and_kept_by_option(tmp_path: Path) -> None:
    path = _afip(tmp_path, ["$", "DOL", "$"])
    with pytest.raises(InputError) as err:
        run(path)
    with language("en"):
        text = err.value.render()
    assert "ARS: 2 lines, total 2000.0" in text and "USD: 1 lines, total 1000.0" in text
    kept = run(path, currency="ARS")
    assert kept.currency == "ARS"
    assert kept.portfolio.revenue == pytest.approx(2000.0)


def test_amount_signs_with_rfc_are_mexican_pesos(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "ventas.csv",
        ["Folio", "Fecha", "Cliente", "RFC", "Subtotal"],
        [["A1", "2026-10-02", "Abarrotes Díaz", "DIAA800101AB1", "$1,200.00"],
         ["A2", "2026-10-03", "Ferretería Luna", "FLU050607XY2", "$300.50"]],
    )  # fmt: skip
    assert run(path).currency == "MXN"


def test_dollar_header_with_colombian_withholdings_is_pesos(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "facturas.csv",
        ["Factura", "Fecha", "Cliente", "Subtotal ($)", "Retefuente"],
        [["FV1", "02/10/2026", "Andes SAS", "1.000.000", "25.000"],
         ["FV2", "03/10/2026", "Caribe SAS", "500.000", "12.500"]],
        delimiter=";",
    )  # fmt: skip
    assert run(path).currency == "COP"


def test_a_us_file_keeps_the_dollar(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "invoices.csv",
        ["Invoice", "Date", "Customer", "EIN", "Amount"],
        [["1", "2026-10-02", "Acme", "12-3456789", "$1,200.00"],
         ["2", "2026-10-03", "Beta", "98-7654321", "$300.50"]],
    )  # fmt: skip
    assert run(path).currency == "USD"


def test_signs_of_their_own_are_not_the_bare_dollar() -> None:
    from cartera.io.currency import code_of, symbol_in

    assert symbol_in(["$U 1.000", "$U 20"], "ARS") == "UYU"
    assert symbol_in(["U$S 10", "U$S 5"], "ARS") == "USD"
    assert symbol_in(["US$ 10", "US$ 5"], "MXN") == "USD"
    assert symbol_in(["$10", "$5"], "ARS") == "ARS"
    assert symbol_in(["$10", "$5"]) == "USD"
    assert code_of("$", "CLP") == "CLP" and code_of(" $ ", "CLP") == "CLP"
    assert code_of("DOL") == "USD" and code_of("usd", "ARS") == "USD"


def test_australian_and_canadian_tax_words() -> None:
    # MYOB's sales export: «Non-GST Amount», «LCT Amount», «BSB» are Australia's alone.
    assert dollar_currency(["Invoice #", "Amount", "Non-GST Amount", "LCT Amount", "BSB"]) == "AUD"
    assert dollar_currency(["Invoice", "Subtotal", "HST"]) == "CAD"
    assert dollar_currency(["Invoice", "Subtotal", "GST"]) == "USD"  # GST: many countries
    assert dollar_currency(["ABN", "HST"]) == "USD"  # two countries


def test_a_currency_column_is_read_as_codes_before_it_is_split(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "sales.csv",
        ["Invoice", "Date", "Customer", "Subtotal", "Currency"],
        [["1", "2026-10-02", "Acme", "100.00", "EUR"],
         ["2", "2026-10-03", "Beta", "50.00", "€"],
         ["3", "2026-10-04", "Acme", "20.00", "USD"]],
    )  # fmt: skip
    with pytest.raises(InputError) as err:
        run(path)
    with language("en"):
        text = err.value.render()
    assert "EUR: 2 lines, total 150.0" in text and "USD: 1 lines, total 20.0" in text
    kept = run(path, currency="eur")
    assert kept.currency == "EUR"
    assert kept.portfolio.revenue == pytest.approx(150.0)


def _tango(tmp_path: Path, ids: list[str]) -> Path:
    return write_csv(
        tmp_path / "ventas.csv",
        ["Comprobante", "Fecha", "Cliente", "CUIT", "Neto", "Total"],
        [[f"A-0001-{i:08d}", "02/10/2026", f"Cliente {i}", tax_id, "1000,00", "1210,00"]
         for i, tax_id in enumerate(ids)],
        delimiter=";",
    )  # fmt: skip


def test_a_file_with_no_currency_is_in_its_countrys(tmp_path: Path) -> None:
    analysis = run(_tango(tmp_path, ["30-71234567-8", "27-28765432-1"]))
    assert analysis.currency == "ARS"
    assert (
        "no currency is written in the file; its tax ids or tax headers say which country it "
        "is from: the amounts are read as ARS (--currency says otherwise)"
    ) in notes(analysis)


def test_a_file_with_no_currency_and_no_country_keeps_the_settings(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "sales.csv",
        ["Invoice", "Date", "Customer", "Amount"],
        [["1", "2026-10-02", "Acme", "100.00"], ["2", "2026-10-03", "Beta", "50.00"]],
    )
    analysis = run(path)
    assert analysis.currency == "EUR"  # the settings' default
    assert "no currency is written" not in notes(analysis)


def test_peru_is_in_soles_but_its_dollar_sign_is_the_dollar(tmp_path: Path) -> None:
    assert country_currency([], ["20100070970", "20123456789"]) is None  # 20: AR or PE
    assert country_currency([], ["10456789019", "15456789010"]) == "PEN"
    assert dollar_currency([], ["10456789019", "15456789010"]) == "USD"
    assert country_currency(["CUIT"]) == "ARS" and country_currency(["Total"]) is None


def test_a_written_currency_wins_over_the_country(tmp_path: Path) -> None:
    # An Argentine firm's export invoices in dollars: AFIP writes «DOL», and that is the
    # currency, whatever the clients' CUITs say.
    analysis = run(_afip(tmp_path, ["DOL", "DOL"]))
    assert analysis.currency == "USD"
    assert "no currency is written" not in notes(analysis)


def test_euro_cost_defaults_are_flagged_in_another_currency(tmp_path: Path) -> None:
    from cartera.analysis import NOTE_EURO_COSTS
    from cartera.settings import Settings

    path = _tango(tmp_path, ["30-71234567-8", "27-28765432-1"])
    assert NOTE_EURO_COSTS in run(path).notes  # ARS with the euro defaults
    own = Settings(hourly_cost=9000, order_cost=3000, return_cost=5000)
    assert NOTE_EURO_COSTS not in analyze(path, settings=own).notes
    # One default left is enough to say so.
    some = Settings(hourly_cost=9000, order_cost=3000)
    assert NOTE_EURO_COSTS in analyze(path, settings=some).notes
    euros = write_csv(
        tmp_path / "e.csv", ["Factura", "Fecha", "Cliente", "Base Imponible (€)"],
        [["1", "02/05/2024", "Acme", "1.000,50"]], delimiter=";",
    )  # fmt: skip
    assert NOTE_EURO_COSTS not in run(euros).notes
