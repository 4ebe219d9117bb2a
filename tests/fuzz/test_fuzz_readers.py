"""Fuzzing the readers through the command line: whatever the file, ``cartera import`` and
``cartera inspect`` exit 0 with the right data, or 1/2 with a message naming the file
(and the row and column when a row is at fault); never a traceback, never a partial
workspace."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from csv_strategies import Export, exports
from hypothesis import given

from cartera.cli.app import run

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

#: Outcomes seen in this session (printed by the summary test, recorded in docs/quality.md).
OUTCOMES: Counter[str] = Counter()
_ROW_FAULT = re.compile(r"^  - (?P<file>[^,]+), (?:row|fila) \d+(?:, (?:column|columna) «.*»)?")


def _run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(args)  # an exception escaping run() is a traceback: the test fails
    return code, out.getvalue(), err.getvalue()


def _check_refusal(code: int, err: str, name: str) -> None:
    assert code in (1, 2), err
    assert "Traceback" not in err
    assert name in err, f"the message does not name the file:\n{err}"
    for line in err.splitlines():
        match = _ROW_FAULT.match(line)
        if match:
            assert match.group("file") == name


def _check_workspace(folder: Path, export: Export) -> None:
    docs = pl.read_parquet(folder / "documents.parquet")
    assert sorted(docs["doc_number"].unique().to_list()) == sorted(
        f"F{i + 1:05d}" for i in range(len(export.amounts))
    ), repr(export)
    got = docs.group_by("doc_number").agg(pl.col("amount").sum()).sort("doc_number")
    assert got["amount"].to_list() == pytest.approx(export.amounts, abs=0.005)


@given(export=exports())
def test_import_never_crashes_and_never_writes_half(export: Export) -> None:
    with tempfile.TemporaryDirectory(prefix="cartera-fuzz-") as tmp:
        root = Path(tmp)
        path = root / "export.csv"
        path.write_bytes(export.data)
        ws = root / "out" / "ws"
        code, _out, err = _run(["import", str(path), "--into", str(ws), "--lang", "en"])
        leftovers = [p.name for p in (root / "out").glob(".ws.*")] if ws.parent.exists() else []
        assert not leftovers, leftovers
        if code == 0:
            OUTCOMES["import ok"] += 1
            assert sorted(p.name for p in ws.glob("*.parquet")) == [
                "activities.parquet", "clients.parquet", "documents.parquet", "payments.parquet"
            ]  # fmt: skip
            if export.clean:
                _check_workspace(ws, export)
            return
        OUTCOMES[f"import refused ({code})"] += 1
        _check_refusal(code, err, path.name)
        assert not ws.exists(), "a refused import writes nothing"
        if export.clean:  # a clean file is refused only for an ambiguous convention
            assert code == 2 and ("--date-format" in err or "--decimal" in err), err


@given(export=exports())
def test_inspect_never_crashes(export: Export) -> None:
    with tempfile.TemporaryDirectory(prefix="cartera-fuzz-") as tmp:
        path = Path(tmp) / "export.csv"
        path.write_bytes(export.data)
        code, out, err = _run(["inspect", str(path), "--lang", "en"])
        if code == 0:
            OUTCOMES["inspect ok"] += 1
            assert "export.csv" in out
            return
        OUTCOMES[f"inspect refused ({code})"] += 1
        _check_refusal(code, err, path.name)


def test_zz_outcomes(capsys: pytest.CaptureFixture[str]) -> None:
    """Print how the examples ended (``make fuzz`` output; counts in docs/quality.md)."""
    with capsys.disabled():
        print("\nfuzz outcomes:", dict(sorted(OUTCOMES.items())))
    shutil.rmtree(Path(tempfile.gettempdir()) / "nonexistent", ignore_errors=True)
