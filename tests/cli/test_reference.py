"""docs/cli.md is generated from the commands and must not drift."""

from __future__ import annotations

from pathlib import Path

from cartera.cli.reference import cli_reference

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_cli_reference_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == cli_reference(), (
        "docs/cli.md is stale: run `python -m cartera.cli.reference > docs/cli.md`"
    )


def test_every_command_has_help_and_every_option_is_described() -> None:
    text = cli_reference()
    for block in text.split("## ")[1:]:
        header, _, body = block.partition("\n")
        assert body.strip(), f"{header} has no help"
        for line in body.splitlines():
            if line.startswith("- "):
                assert ": " in line, f"{header}: undocumented option {line}"
