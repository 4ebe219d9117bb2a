"""Every command that prints tables reads well at 80 and 120 columns, in both languages.

Output piped (as here) is 80 columns wide unless COLUMNS says otherwise. The
properties: no line is wider than the console; no number is split from its unit
(Spanish puts a space before "%" and "€": a cell's line never starts with either);
and every word of the dashboard's texts is whole on one line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cartera.analysis import analyze
from cartera.cli.app import run
from cartera.demo import write_demo
from cartera.i18n import language
from cartera.io import import_files
from cartera.report.view import build_view

pytestmark = pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")

_CELL_EDGES = re.compile(r"[│┃|]")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("width_cli")
    write_demo(root / "data", clients=150, lines=6000, seed=5)
    import_files([root / "data"], into=root / "ws")
    return root / "ws"


def _run(
    args: list[str], width: int, capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch
) -> str:
    mp.setenv("COLUMNS", str(width))
    capsys.readouterr()
    assert run(args) == 0
    return capsys.readouterr().out


def assert_fits(out: str, width: int, lang: str) -> None:
    lines = out.splitlines()
    assert lines and max(len(line) for line in lines) <= width
    for line in lines if lang == "es" else []:
        for cell in (c.strip() for c in _CELL_EDGES.split(line)):
            assert not cell.startswith(("%", "€")), line


COMMANDS = [
    ["analyze", "{ws}"],
    ["whatif", "{ws}", "--let-go"],
    ["whatif", "{ws}", "--let-go", "--fixed-costs", "500000"],
    ["stress", "{ws}", "--scenarios", "300"],
    ["inspect", "{data}/facturas.csv"],
    ["agenda", "{ws}"],
]


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c[::2]))
def test_output_fits_and_keeps_numbers_whole(
    workspace: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    width: int,
    lang: str,
) -> None:
    places = {"ws": str(workspace), "data": str(workspace.parent / "data")}
    args = [a.format(**places) for a in command]
    assert_fits(_run([*args, "--lang", lang], width, capsys, monkeypatch), width, lang)


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("width", [80, 120])
def test_dashboard_words_are_whole(
    workspace: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    width: int,
    lang: str,
) -> None:
    out = _run(["analyze", str(workspace), "--lang", lang], width, capsys, monkeypatch)
    lines = out.splitlines()
    with language(lang):
        view = build_view(analyze(workspace), terminal=True)
    texts = [f.note for f in view.headline] + [f.label for f in view.headline]
    texts += [row[-1].text for row in (*view.let_go.rows[:15], *view.renegotiate.rows[:15])]
    texts += [rec.text for rec in view.recommendations]
    for text in texts:
        for word in text.split(" "):
            assert not word or any(word in line for line in lines), (word, text)
