"""A settings file's faults name the setting and the file, say what was expected (from the
field's own type and bounds) in the user's language, and never show a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from cartera.cli.app import run
from cartera.errors import SettingsError
from cartera.i18n import language
from cartera.settings import load_settings

DEMO = Path(__file__).parent.parent / "data" / "demo"


def _refusal(tmp_path: Path, capsys: pytest.CaptureFixture[str], toml: str, lang: str) -> str:
    path = tmp_path / "settings.toml"
    path.write_text(toml, encoding="utf-8")
    assert run(["--lang", lang, "analyze", str(DEMO), "--settings", str(path)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "Traceback" not in err and "Input should" not in err and "column" not in err
    assert "columna" not in err and "pydantic" not in err
    return err.replace(str(tmp_path) + "/", "")


@pytest.mark.parametrize(
    ("toml", "lang", "expected"),
    [
        ('fixed_costs = "abc"', "es", "fixed_costs = «abc»: se esperaba un número ≥ 0"),
        ('fixed_costs = "abc"', "en", "fixed_costs = «abc»: expected a number ≥ 0"),
        ("fixed_costs = [1]", "en", "fixed_costs = «[1]»: expected a number ≥ 0"),
        ('window_months = "doce"', "es",
         "window_months = «doce»: se esperaba un número entero de 1 a 120"),
        ('as_of = "hello"', "en", "as_of = «hello»: expected a date like 2026-06-30"),
        ('as_of = "hola"', "es", "as_of = «hola»: se esperaba una fecha como 2026-06-30"),
        ('language = "fr"', "en", "language = «fr»: expected one of es, en"),
        ('language = "fr"', "es", "language = «fr»: se esperaba uno de estos: es, en"),
        ('currency = "EU"', "es", "currency = «EU»: se esperaba un texto de 3 caracteres"),
        ("thresholds = 3", "en", "thresholds = «3»: expected a table [thresholds] of settings"),
    ],
)  # fmt: skip
def test_wrong_type(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], toml: str, lang: str, expected: str
) -> None:
    assert "settings.toml: " + expected in _refusal(tmp_path, capsys, toml, lang)


@pytest.mark.parametrize(
    ("toml", "lang", "expected"),
    [
        ("fixed_costs = -5", "es", "fixed_costs = «-5»: se esperaba un número ≥ 0"),
        ("fixed_costs = -0.01", "en", "fixed_costs = «-0.01»: expected a number ≥ 0"),
        ("window_months = 0", "en", "window_months = «0»: expected a whole number from 1 to 120"),
        ("window_months = 121", "es",
         "window_months = «121»: se esperaba un número entero de 1 a 120"),
        ("annual_rate = 1.5", "es", "annual_rate = «1.5»: se esperaba un número de 0 a 1"),
        ("[thresholds]\nstructure_min_active_ratio = 2", "en",
         "thresholds.structure_min_active_ratio = «2»: "
         "expected a number from 0 to 1"),
        ("[targets]\nn80_min_share = 0.9\nn80_max_share = 0.5", "es",
         "targets.n80_min_share no puede superar targets.n80_max_share."),
    ],
)  # fmt: skip
def test_out_of_bounds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], toml: str, lang: str, expected: str
) -> None:
    assert "settings.toml: " + expected in _refusal(tmp_path, capsys, toml, lang)


@pytest.mark.parametrize(
    ("toml", "lang", "expected"),
    [
        ("fixd_costs = 5", "es",
         "fixd_costs: no existe ese ajuste; ¿quería decir «fixed_costs»?"),
        ("fixd_costs = 5", "en", "fixd_costs: unknown setting; did you mean «fixed_costs»?"),
        ("[thresholds]\nstructur_min_active_ratio = 0.5", "en",
         "thresholds.structur_min_active_ratio: unknown setting; "
         "did you mean «structure_min_active_ratio»?"),
        ("zzz = 1", "en", "zzz: unknown setting; the settings are listed in docs/settings.md."),
        ("zzz = 1", "es",
         "zzz: no existe ese ajuste; los ajustes se listan en docs/settings.md."),
    ],
)  # fmt: skip
def test_unknown_key_with_the_closest_setting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], toml: str, lang: str, expected: str
) -> None:
    assert "settings.toml: " + expected in _refusal(tmp_path, capsys, toml, lang)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("es",
         "Fichero de configuración settings.toml, línea 3: no es TOML válido: «order_cost = ,»"),
        ("en", "Settings file settings.toml, line 3: not valid TOML: «order_cost = ,»"),
    ],
)  # fmt: skip
def test_bad_toml_syntax_names_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, expected: str
) -> None:
    toml = "fixed_costs = 5\n# a comment\norder_cost = ,\nreturn_cost = 3\n"
    assert expected in _refusal(tmp_path, capsys, toml, lang)


def test_unterminated_table_at_the_end_names_the_last_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refusal(tmp_path, capsys, "fixed_costs = 5\nx = [\n", "en")
    assert "line 2: not valid TOML: «x = [»" in err


def test_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes(b"fixed_costs = 5\n# \xff\n")
    assert run(["--lang", "es", "analyze", str(DEMO), "--settings", str(path)]) == 2
    assert "no es texto UTF-8" in capsys.readouterr().err


@pytest.mark.parametrize("value", [0, 1, 120, 121])
def test_bounds_at_their_edge(tmp_path: Path, value: int) -> None:
    """window_months is 1 to 120 (just below, at, at, just above); fixed_costs ≥ 0 (-1, 0)."""
    path = tmp_path / "s.toml"
    path.write_text(f"window_months = {value}\nfixed_costs = {value - 1}\n", encoding="utf-8")
    if value in (1, 120):
        assert load_settings(path).window_months == value
        return
    with language("en"):
        with pytest.raises(SettingsError) as info:
            load_settings(path)
        text = info.value.render()
    assert f"window_months = «{value}»: expected a whole number from 1 to 120" in text
    assert ("fixed_costs = «-1»" in text) is (value == 0)


def test_a_value_from_a_flag_or_a_form_names_the_setting(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """No file: the setting and the value (the web form shows the same names)."""
    assert run(["--lang", "en", "analyze", str(DEMO), "--currency", "EU"]) == 2
    err = capsys.readouterr().err
    assert "- currency «EU»: expected a text of 3 characters" in err and "column" not in err


def test_the_assistant_table_is_left_to_the_assistant(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("fixed_costs = 7\n[assistant]\nstructure_call_days = 14\n", encoding="utf-8")
    assert load_settings(path).fixed_costs == 7


@pytest.mark.parametrize(
    ("toml", "lang", "expected"),
    [
        ("[assistant]\nstructure_call_days = 0", "en",
         "assistant.structure_call_days = «0»: expected a whole number ≥ 1"),
        ("[assistant]\nstructure_cal_days = 14", "es",
         "assistant.structure_cal_days: no existe ese ajuste; "
         "¿quería decir «structure_call_days»?"),
        ("[assistant.health]\nsatisfaction = 0.5", "es",
         "assistant.health: los pesos suman 1,25, no 1."),
        ("[[assistant.dunning]]\nname = 'x'\ndays = -1\nchannel = 'email'\n"
         "template = 'dunning_firm'", "en",
         "assistant.dunning.0.days = «-1»: expected a whole number ≥ 1"),
    ],
)  # fmt: skip
def test_the_assistant_table_speaks_alike(
    tmp_path: Path, toml: str, lang: str, expected: str
) -> None:
    from cartera.assistant import load_assistant_settings

    path = tmp_path / "settings.toml"
    path.write_text(toml, encoding="utf-8")
    with language(lang):
        with pytest.raises(SettingsError) as info:
            load_assistant_settings(path)
        text = info.value.render().replace(str(tmp_path) + "/", "")
    assert "settings.toml: " + expected[:40] in text and expected in text, text
    assert "column" not in text and "Input should" not in text
