"""``cartera analyze`` end to end on demo export files and on a workspace."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from cartera.cli.app import run
from cartera.demo import write_demo
from cartera.io import import_files

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "schema" / "analysis.schema.json"


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    write_demo(folder, clients=60, lines=3_000, seed=3)
    return folder


def test_json_is_the_contract_and_nothing_else(
    demo_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["analyze", str(demo_folder), "--format", "json", "--fixed-costs", "50000"])
    out = capsys.readouterr().out
    assert code == 0
    data = json.loads(out)  # stdout holds the JSON alone
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert data["portfolio"]["fixed_costs"] == 50000
    assert len(data["clients"]) == data["portfolio"]["clients"]


def test_table_and_workspace(
    demo_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = import_files([demo_folder], into=tmp_path / "ws").workspace
    capsys.readouterr()
    assert run(["analyze", str(workspace.path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Pareto" in out


def test_settings_file_and_flags(
    demo_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = tmp_path / "s.toml"
    settings.write_text("window_months = 6\n[thresholds]\nlate_payment_days = 90\n", "utf-8")
    args = ["analyze", str(demo_folder), "--settings", str(settings), "--as-of", "30/06/2026"]
    assert run([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["as_of"] == "2026-06-30"
    assert data["window"]["start"] == "2026-01-01"
    late = [r for c in data["clients"] for r in c["reasons"] if r["code"] == "late_payment"]
    assert late and all(r["threshold"] == 90 for r in late)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "--format"),
        (["--engine", "oracle"], "oracle"),
        (["--window-months", "0"], "--window-months must be 1 or more, not «0»."),
    ],
)
def test_bad_flags_are_clear_errors(
    demo_folder: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["analyze", str(demo_folder), *args, "--lang", "en"])
    err = capsys.readouterr().err
    assert code != 0
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize("lang", ["es", "en"])
def test_json_parses_to_the_contract(
    demo_folder: Path, tmp_path: Path, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The streamed CLI output parses to ``to_contract()``, one client per line (issue 16)."""
    from cartera.analysis import analyze
    from cartera.settings import Settings

    workspace = import_files([demo_folder], into=tmp_path / "ws").workspace
    capsys.readouterr()
    assert run(["analyze", str(workspace.path), "--format", "json", "--lang", lang,
                "--fixed-costs", "50000"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    contract = analyze(workspace.path, settings=Settings(fixed_costs=50000)).to_contract()
    expected = json.dumps(contract, ensure_ascii=False, indent=2, allow_nan=False)
    parsed = json.loads(out)
    assert parsed == json.loads(expected)
    jsonschema.validate(parsed, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert len(contract["clients"]) > 50
    head = expected[: expected.index('\n  "clients": [')]
    assert out.startswith(head + '\n  "clients": [\n    {"id":')  # the head: indent=2
    assert out.endswith("}\n  ]\n}\n")
    assert out.count('\n    {"id":') == len(contract["clients"])
