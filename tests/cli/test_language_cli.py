"""With --lang es (or a Spanish locale), the command-line layer speaks Spanish too:
Typer's and Click's help labels and usage errors, not only cartera's own messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from cartera.cli.app import run
from cartera.cli.typer_i18n import translate_message
from cartera.i18n import language

DEMO = Path(__file__).parent.parent / "data" / "demo"
ENGLISH = (
    "Usage", "Missing", "Try ", "No such", "Invalid value", "Options", "Arguments",
    "Commands", "default:", "required]", "Show this message", "requires an argument",
    "Did you mean", "Got unexpected", "<int>", "<str>", "<path>", "[OPTIONS]",
)  # fmt: skip


def _spanish_only(text: str) -> None:
    for word in ENGLISH:
        assert word not in text, f"English «{word}» in:\n{text}"


@pytest.mark.parametrize(
    ("args", "spanish"),
    [
        (["import"], "Falta la opción '--into'."),
        (["inspect"], "Falta el argumento"),
        (["analyze", "--bogus"], "No existe la opción --bogus"),
        (["analise"], "No existe la orden 'analise'. ¿Quería decir 'analyze'?"),
        (["analyze", str(DEMO), "--format"], "La opción '--format' necesita un valor."),
        (
            ["demo", "x", "--clients", "abc"],
            "--clients debe ser un número como 1.234,56, no «abc».",
        ),
        (["demo", "a", "b"], "Sobran argumentos: b"),
    ],
)
def test_usage_errors_in_spanish(
    args: list[str], spanish: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run([args[0], "--lang", "es", *args[1:]]) == 2
    err = capsys.readouterr().err
    assert spanish in " ".join(err.replace("│", " ").split())
    if args[0] != "analyze" and "--clients" not in args:  # no usage line for these two
        assert "Uso: cartera" in err and "para ver la ayuda" in err
    _spanish_only(err)


@pytest.mark.parametrize("command", ["demo", "import", "analyze", "stress", "report"])
def test_help_in_spanish(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run([command, "--help", "--lang", "es"]) == 0
    out = capsys.readouterr().out
    assert "Uso: cartera" in out and "Opciones" in out and "Muestra este mensaje" in out
    _spanish_only(out)


def test_help_in_spanish_from_the_locale(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    assert run(["demo", "--help"]) == 0
    out = capsys.readouterr().out
    assert "[por defecto: 400]" in out and "[obligatorio]" in out and "Argumentos" in out
    _spanish_only(out)
    assert run(["import"]) == 2
    _spanish_only(capsys.readouterr().err)


def test_english_stays_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["demo", "--help", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Usage: cartera demo [OPTIONS]" in out and "[default: 400]" in out
    assert "Show this message and exit." in out
    assert run(["import", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "Missing option '--into'." in err and "Try 'cartera import --help' for help." in err


@pytest.mark.parametrize(
    ("english", "spanish"),
    [
        ("Missing option '--into'.", "Falta la opción '--into'."),
        ("Missing argument 'FILE'.", "Falta el argumento 'FILE'."),
        ("Missing parameter: x", "Falta el parámetro: x"),
        ("No such option: --x (Possible options: --xa, --xb)",
         "No existe la opción --x (¿quería decir --xa, --xb?)"),
        ("No such option: --x", "No existe la opción --x"),
        ("No such command 'x'.", "No existe la orden 'x'."),
        ("Missing command.", "Falta la orden."),
        ("Option '--x' requires an argument.", "La opción '--x' necesita un valor."),
        ("Option '--x' requires 2 arguments.", "La opción '--x' necesita 2 valores."),
        ("Option '--x' does not take a value.", "La opción '--x' no lleva valor."),
        ("Got unexpected extra arguments (a b)", "Sobran argumentos: a b"),
        ("Got unexpected extra argument(s) (a)", "Sobran argumentos: a"),
        ("Invalid value for '--n': Input should be a valid number, unable to parse",
         "Valor no válido para '--n': se esperaba un número"),
        ("Invalid value: 'x' is not one of 'a', 'b'.",
         "Valor no válido: 'x' no es uno de 'a', 'b'."),
        ("Something Click never said", "Something Click never said"),
    ],
)  # fmt: skip
def test_every_click_message(english: str, spanish: str) -> None:
    with language("es"):
        assert translate_message(english) == spanish
    with language("en"):
        assert translate_message(english) != "" and "{" not in translate_message(english)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--lang", "es"], "el fichero no existe"),
        (["--lang=es"], "el fichero no existe"),
        (["--lang", "en"], "does not exist"),
        (["--lang=en"], "does not exist"),
    ],
)
def test_lang_before_the_command(
    args: list[str], expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run([*args, "analyze", str(tmp_path / "missing.csv")]) == 1
    err = capsys.readouterr().err
    assert expected in err and "--lang" not in err  # the option is accepted, not refused


def test_lang_before_a_command_that_has_no_lang_of_its_own(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["--lang", "es", "user", "add", "--help"]) == 0
    out = capsys.readouterr().out
    assert "Uso: cartera user add" in out and "Argumentos" in out
    _spanish_only(out)


def test_spanish_locale_without_a_flag_runs_in_spanish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    assert run(["analyze", str(tmp_path / "missing.csv")]) == 1
    assert "el fichero no existe" in capsys.readouterr().err
    assert run(["--help"]) == 0
    out = capsys.readouterr().out
    assert "Uso: cartera [OPCIONES] ORDEN" in out and "Órdenes" in out
    _spanish_only(out)


#: Click's and Typer's own English words, none of which a Spanish help screen may show.
CLICK_WORDS = (
    *ENGLISH, "Show this message", "default", "required", "env var", "deprecated",
    "Aborted", "COMMAND", "TEXT", "INTEGER", "FLOAT", "BOOLEAN", "<bool>", "<float>",
)  # fmt: skip


def _every_command() -> list[list[str]]:
    import typer.main

    from cartera.cli.app import build_app

    def walk(command: object, path: list[str]) -> list[list[str]]:
        subs = getattr(command, "commands", {})
        return [path] + [p for name, sub in subs.items() for p in walk(sub, [*path, name])]

    with language("es"):
        return walk(typer.main.get_command(build_app()), [])


def test_every_help_screen_in_spanish(capsys: pytest.CaptureFixture[str]) -> None:
    commands = _every_command()
    assert ["analyze"] in commands and ["user", "add"] in commands and len(commands) > 15
    for path in commands:
        assert run(["--lang", "es", *path, "--help"]) == 0, path
        out = capsys.readouterr().out
        assert "Uso: cartera" in out and "Opciones" in out, path
        for word in CLICK_WORDS:
            assert word not in out, f"English «{word}» in `cartera {' '.join(path)} --help`"


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "TOML settings file whose [assistant] table to use."),
     ("es", "Archivo de ajustes TOML cuya tabla [assistant] se usa.")],
)  # fmt: skip
def test_help_keeps_square_brackets(
    lang: str, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A help text is plain text: a TOML table name in brackets is not a Rich style tag."""
    assert run(["remind", "--help", "--lang", lang]) == 0
    out = " ".join(capsys.readouterr().out.replace("│", " ").split())
    assert text in out


def test_every_command_takes_lang() -> None:
    """The README promises ``--lang es|en`` on every command, including the web app's."""
    import typer

    from cartera.cli.app import build_app

    def leaves(command: object, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], object]]:
        subs = getattr(command, "commands", None)
        if not subs:
            return [(path, command)]
        return [leaf for name, sub in subs.items() for leaf in leaves(sub, (*path, name))]

    found = leaves(typer.main.get_command(build_app()), ())
    assert len(found) > 15
    lacking = [" ".join(path) for path, command in found
               if not any("--lang" in (p.opts or []) for p in command.params)]  # type: ignore[attr-defined]  # fmt: skip
    assert lacking == []


_FRESH = """
import contextlib, io, sys
from cartera.cli.app import run
err = io.StringIO()
with contextlib.redirect_stdout(io.StringIO()):
    run(["--lang", "es", "demo", sys.argv[1], "--clients", "5", "--lines", "40"])
loaded = "typer.rich_utils" in sys.modules
with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
    code = run(["--lang", "es", "analyze", "--bogus"])
print(loaded, code, "Uso: cartera analyze [OPCIONES]" in err.getvalue(),
      "No existe la opción --bogus" in err.getvalue())
"""


def test_typers_printer_loads_when_needed_and_speaks_spanish(tmp_path: Path) -> None:
    """A command that just runs does not load Typer's Rich printer (~35 ms of imports);
    loaded later for a usage error, it is localised as it loads."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    argv = [sys.executable, "-c", _FRESH, str(tmp_path / "demo")]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=True)
    assert done.stdout.split() == ["False", "2", "True", "True"], done.stdout + done.stderr
