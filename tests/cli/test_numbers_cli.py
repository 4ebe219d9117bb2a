"""Numbers in options and settings read in the user's language; bounds on work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cartera.cli.app import run
from cartera.cli.common import number_parser
from cartera.i18n import language
from cartera.io.load import MAX_CELL_CHARS
from cartera.numbers import NumberError, parse_number
from cartera.settings import Settings
from cartera.settings.scenario import StressSettings

DEMO = Path(__file__).parent.parent / "data" / "demo"

pytestmark = pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("180.000", "es", 180000),
        ("2.500.000", "es", 2500000),
        ("0,05", "es", 0.05),
        ("1.234,56", "es", 1234.56),
        ("0.05", "es", 0.05),
        ("1234,5", "es", 1234.5),
        ("180 000", "es", 180000),
        ("-1.234,5", "es", -1234.5),
        ("180,000", "en", 180000),
        ("0.05", "en", 0.05),
        ("1,234.56", "en", 1234.56),
        ("0,05", "en", 0.05),
        ("2,500,000", "en", 2500000),
        ("1.234,56", "en", 1234.56),
        ("0,500", "en", 0.5),
        ("1234.567", "en", 1234.567),
        ("12", "en", 12),
        ("+7", "es", 7),
    ],
)
def test_parse_number(text: str, lang: str, value: float) -> None:
    assert parse_number(text, option="--x", language=lang) == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "lang", "readings"),
    [("180.000", "en", ("180", "180000")), ("180,000", "es", ("180", "180000")),
     ("1.500", "en", ("1.5", "1500")), ("1,500", "es", ("1,5", "1500"))],
)  # fmt: skip
def test_ambiguous_number_names_both_readings(
    text: str, lang: str, readings: tuple[str, str]
) -> None:
    with pytest.raises(NumberError) as err:
        parse_number(text, option="--fixed-costs", language=lang)
    with language("en"):
        message = err.value.render()
    assert f"--fixed-costs «{text}» can be read as {readings[0]} or as {readings[1]}" in message


@pytest.mark.parametrize("text", ["abc", "1,2,3.4.5", "1..2", "12.", "1.23.456", "1,5,000", ""])
def test_not_a_number(text: str) -> None:
    with pytest.raises(NumberError):
        parse_number(text, option="--x", language="es")


def test_scenarios_bound_at_its_edges() -> None:
    parse = number_parser("--scenarios", StressSettings.model_fields["scenarios"])
    assert parse("1") == 1
    assert parse("10.000.000") == 10_000_000
    with pytest.raises(NumberError) as err:
        parse("10.000.001")
    assert "--scenarios debe ser 10.000.000 o menos, no «10.000.001»." in err.value.render()
    with pytest.raises(NumberError):
        parse("0")
    with pytest.raises(NumberError, match="whole"):
        parse("1,5")


def test_rate_bounds_at_their_edges() -> None:
    parse = number_parser("--annual-rate", Settings.model_fields["annual_rate"])
    assert parse("0") == 0 and parse("1") == 1
    with pytest.raises(NumberError):
        parse("1,0001")
    with pytest.raises(NumberError):
        parse("-0,0001")


def _analyze(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object]]:
    code = run(["analyze", str(DEMO), "--format", "json", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, json.loads(out) if code == 0 else {"error": err}


@pytest.mark.parametrize(
    ("args", "fixed"),
    [
        (["--fixed-costs", "180.000", "--annual-rate", "0,05", "--lang", "es"], 180000),
        (["--fixed-costs", "2.500.000", "--lang", "es"], 2500000),
        (["--fixed-costs", "1.234,56", "--lang", "es"], 1234.56),
        (["--fixed-costs", "180,000", "--annual-rate", "0.05", "--lang", "en"], 180000),
    ],
)
def test_numeric_options_in_the_users_language(
    capsys: pytest.CaptureFixture[str], args: list[str], fixed: float
) -> None:
    code, data = _analyze(capsys, *args)
    assert code == 0
    portfolio = data["portfolio"]
    assert isinstance(portfolio, dict)
    assert portfolio["fixed_costs"] == pytest.approx(fixed)


def test_ambiguous_option_refused_naming_the_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _analyze(capsys, "--fixed-costs", "180.000", "--lang", "en")
    assert code == 2
    assert "--fixed-costs «180.000» can be read as 180 or as 180000" in str(data["error"])
    code, data = _analyze(capsys, "--fixed-costs", "-5", "--lang", "es")
    assert code == 2
    assert "--fixed-costs debe ser 0 o más, no «-5»." in str(data["error"])
    assert "column" not in str(data["error"]) and "columna" not in str(data["error"])
    code, data = _analyze(capsys, "--annual-rate", "5", "--lang", "en")
    assert code == 2
    assert "--annual-rate must be 1 or less, not «5»." in str(data["error"])


def test_settings_file_values_in_the_users_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = tmp_path / "cartera.toml"
    settings.write_text('fixed_costs = "180.000"\nannual_rate = "0,04"\n', encoding="utf-8")
    code, data = _analyze(capsys, "--settings", str(settings), "--lang", "es")
    assert code == 0
    assert data["portfolio"]["fixed_costs"] == 180000  # type: ignore[index]
    code, data = _analyze(capsys, "--settings", str(settings), "--lang", "en")
    assert code == 2
    assert "fixed_costs «180.000» can be read as 180 or as 180000" in str(data["error"])


def test_stress_scenarios_over_the_maximum(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["stress", str(DEMO), "--scenarios", "10000000000", "--lang", "en"]) == 2
    assert "--scenarios must be 10,000,000 or less" in capsys.readouterr().err


@pytest.mark.parametrize("length", [MAX_CELL_CHARS - 1, MAX_CELL_CHARS, MAX_CELL_CHARS + 1])
def test_cell_length_bound_at_its_edge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], length: int
) -> None:
    path = tmp_path / "long.csv"
    name = "Ñ" * length  # two bytes each: bytes are over the bound before characters are
    path.write_text(
        f"Nº factura;Fecha;Cliente;Base imponible\nF1;15/01/2024;{name};100\n", encoding="utf-8"
    )
    code = run(["import", str(path), "--into", str(tmp_path / "ws"), "--lang", "en"])
    err = capsys.readouterr().err
    if length <= MAX_CELL_CHARS:
        assert code == 0
    else:
        assert code == 1
        assert f"long.csv, row 2, column «Cliente», value «{'Ñ' * 40}…»" in err
        assert f"the cell holds {length} characters; a cell may hold at most 1000" in err


def test_a_5_mb_cell_is_refused_fast(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import time

    path = tmp_path / "huge.csv"
    path.write_text(
        "Nº factura;Fecha;Cliente;Base imponible\nF1;15/01/2024;" + "A" * 5_000_000 + ";100\n",
        encoding="utf-8",
    )
    for args in (["inspect", str(path)], ["analyze", str(path)]):
        start = time.perf_counter()
        run([*args, "--lang", "en"])
        assert time.perf_counter() - start < 15
        assert "the cell holds 5000000 characters" in " ".join(capsys.readouterr()[0:2])


def test_demo_sizes_are_bounded_and_read_in_the_users_language(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from cartera.cli.demo_cmd import MAX_CLIENTS

    args = ["demo", str(tmp_path / "d"), "--clients"]
    assert run([*args, f"{MAX_CLIENTS + 1}", "--lang", "en"]) == 2
    assert "--clients must be 1,000,000 or less, not «1000001»." in capsys.readouterr().err
    assert run([*args, "1.000.001", "--lang", "es"]) == 2
    assert "--clients debe ser 1.000.000 o menos, no «1.000.001»." in capsys.readouterr().err
    assert not (tmp_path / "d").exists()
    assert run([*args, "25", "--lines", "2.000", "--lang", "es"]) == 0  # 2,000 lines: enough
    assert "clientes.csv: 25 filas" in capsys.readouterr().out  # 25 clients, not 25.0 or 2
