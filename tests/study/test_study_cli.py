"""``cartera profile`` on the demo firm: sentences in both languages, JSON, clean errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cartera.cli.app import run
from cartera.demo import DemoData


def test_profile_names_the_planted_traits(
    demo_firm: tuple[Path, Path, DemoData], capsys: pytest.CaptureFixture[str]
) -> None:
    _export, ws, _data = demo_firm
    assert run(["profile", str(ws), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Structure clients (" in out
    assert "Margin clients are" in out and "more often" in out
    assert run(["profile", str(ws), "--lang", "es"]) == 0
    assert "Los clientes de margen son" in capsys.readouterr().out


def test_profile_json_counts_respect_the_minimum_support(
    demo_firm: tuple[Path, Path, DemoData], capsys: pytest.CaptureFixture[str]
) -> None:
    _export, ws, _data = demo_firm
    assert run(["profile", str(ws), "--format", "json", "--min-support", "3", "--lang", "en"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["settings"]["min_support"] == 3
    rules = [r for s in data["segments"] for r in s["rules"]]
    assert rules, "the demo's planted traits make rules"
    margin = next(s for s in data["segments"] if s["segment"] == "margin")
    assert any(r["attribute"] == "region" for r in margin["rules"])
    for r in rules:
        assert r["lift"] >= 1.5 and r["text"]
        assert r["count"] >= 3 * len(r["values"])  # each value has at least 3


def test_profile_of_a_folder_that_is_no_workspace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["profile", str(tmp_path), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "is not a cartera workspace" in err and "Traceback" not in err


def test_bad_format_is_refused(
    demo_firm: tuple[Path, Path, DemoData], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["profile", str(demo_firm[1]), "--format", "xml", "--lang", "en"]) == 2
    assert "--format" in capsys.readouterr().err
