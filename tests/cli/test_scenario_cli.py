"""``cartera whatif`` and ``cartera stress`` on an imported demo workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cartera.cli.app import run
from cartera.demo import write_demo
from cartera.io import import_files

# ibis 12 on duckdb 1.4 calls a deprecated duckdb method when it reads Parquet.
pytestmark = pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scenario_cli")
    write_demo(root / "data", clients=120, lines=5000, seed=3)
    import_files([root / "data"], into=root / "ws")
    return root / "ws"


def test_whatif_json(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["whatif", str(workspace), "--lose", "C00001,C00002", "--format", "json",
                "--fixed-costs", "100000"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    data = json.loads(out)
    assert data["lost"] == ["C00001", "C00002"]
    assert {"before", "after", "delta"} <= set(data)
    assert data["before"]["clients"] - data["after"]["clients"] == 2
    assert data["delta"]["profit"] == pytest.approx(
        data["after"]["profit"] - data["before"]["profit"]
    )
    assert data["after"]["fixed_costs"] == 100000


@pytest.mark.parametrize(("lang", "words"), [("es", "Antes"), ("en", "Before")])
def test_whatif_table_in_both_languages(
    workspace: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    code = run(["whatif", str(workspace), "--let-go", "--lang", lang])
    out = capsys.readouterr().out
    assert code == 0
    assert words in out and "HHI" in out


def test_unknown_client_is_an_error_with_suggestions(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["whatif", str(workspace), "--lose", "c00001", "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 1
    assert "c00001" in err and "C00001" in err


def test_stress_json_is_seeded(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["stress", str(workspace), "--scenarios", "3000", "--seed", "5", "--format", "json",
            "--fixed-costs", "100000"]  # fmt: skip
    assert run(args) == 0
    first = capsys.readouterr().out
    assert run(args) == 0
    assert capsys.readouterr().out == first
    data = json.loads(first)
    for key in ("expected_profit", "profit_p5", "p_loss", "p_fixed_costs_uncovered",
                "scenarios", "seed", "tail_clients"):  # fmt: skip
        assert key in data
    assert data["scenarios"] == 3000 and data["seed"] == 5


def test_stress_table_in_spanish(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["stress", str(workspace), "--scenarios", "500", "--lang", "es"]) == 0
    out = capsys.readouterr().out
    assert "Escenario" in out and "Crisis" in out


def test_bad_format(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["stress", str(workspace), "--format", "xml"]) == 2
    assert "xml" in capsys.readouterr().err
