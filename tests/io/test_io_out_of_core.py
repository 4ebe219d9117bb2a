"""The out-of-core import of large documents files writes the workspace the in-memory one does.

Above ``OUT_OF_CORE_LINES`` document lines the importer sorts and writes the documents table
through DuckDB (decision 0280). ``CARTERA_OUT_OF_CORE_LINES=0`` forces that path on small
files; each case imports the same inputs both ways and compares every table and the manifest.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from io_paths import BAD, DEMO, DIALECTS
from polars.testing import assert_frame_equal

from cartera.io import ReadOptions, import_files
from cartera.io.importer import OUT_OF_CORE_ENV, OUT_OF_CORE_LINES
from cartera.io.workspace import MANIFEST
from cartera.schema import TABLES

demo = pytest.importorskip("cartera.demo")

CASES: dict[str, dict[str, Any]] = {
    "demo folder": {"files": [DEMO]},
    "english with payments, customers, activities": {
        "documents": DIALECTS / "english_invoices.csv",
        "payments": DIALECTS / "payments.csv",
        "clients": DIALECTS / "customers.csv",
        "activities": DIALECTS / "activities.csv",
    },
    "holded": {"documents": DIALECTS / "holded_facturas.csv"},
    "odoo": {"documents": DIALECTS / "odoo_facturas.csv"},
    "sage": {"documents": DIALECTS / "sage_facturas.csv"},
    "a3": {"documents": DIALECTS / "a3_facturas.csv"},
    "us tsv": {"documents": DIALECTS / "us_sales.tsv"},
    "mexican taxes and withholdings": {"documents": DIALECTS / "mx_cfdi_retenciones.csv"},
    "argentina afip monotributo": {"documents": DIALECTS / "ar_afip_monotributo.csv"},
    "xlsx": {"documents": DIALECTS / "ventas_titulo.xlsx"},
    "bad rows skipped": {"documents": BAD / "bad_rows.csv", "skip": True},
    "duplicates skipped": {"documents": BAD / "duplicates.csv", "skip": True},
    "unknown payments skipped": {
        "documents": BAD / "good_documents.csv",
        "payments": BAD / "unknown_payments.csv",
        "skip": True,
    },
}


def _import(
    into: Path,
    case: dict[str, Any],
    options: ReadOptions,
    monkeypatch: pytest.MonkeyPatch,
    bound: str | None,
) -> Path:
    if bound is None:
        monkeypatch.delenv(OUT_OF_CORE_ENV, raising=False)
    else:
        monkeypatch.setenv(OUT_OF_CORE_ENV, bound)
    args = {k: v for k, v in case.items() if k not in ("files", "skip")}
    opts = options.model_copy(update={"skip_bad_rows": case.get("skip", False)})
    import_files(case.get("files", []), into=into, options=opts, force=True, **args)
    return into


def _written_by(folder: Path) -> str:
    import pyarrow.parquet as pq

    return str(pq.read_metadata(folder / "documents.parquet").created_by)


def _manifest(folder: Path) -> dict[str, Any]:
    data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    data.pop("created")
    return data


def _assert_same(a: Path, b: Path) -> None:
    for name in TABLES:
        assert_frame_equal(
            pl.read_parquet(a / f"{name}.parquet"), pl.read_parquet(b / f"{name}.parquet")
        )
    for aggregate in sorted(p.relative_to(a) for p in (a / "aggregates").glob("*.parquet")):
        # DuckDB writes the groups of a pre-aggregate in no set order, either way.
        left, right = pl.read_parquet(a / aggregate), pl.read_parquet(b / aggregate)
        assert_frame_equal(left.sort(pl.all()), right.sort(pl.all()))
    assert _manifest(a) == _manifest(b)
    rejects = sorted(p.name for p in (a / "rejects").glob("*")) if (a / "rejects").is_dir() else []
    assert rejects == (
        sorted(p.name for p in (b / "rejects").glob("*")) if (b / "rejects").is_dir() else []
    )
    for name in rejects:
        assert (a / "rejects" / name).read_bytes() == (b / "rejects" / name).read_bytes()


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_out_of_core_import_equals_in_memory(
    case: str, tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory = _import(tmp_path / "memory", CASES[case], options, monkeypatch, None)
    spilled = _import(tmp_path / "spilled", CASES[case], options, monkeypatch, "0")
    assert _written_by(memory).startswith("Polars")
    assert _written_by(spilled).startswith("DuckDB")
    _assert_same(memory, spilled)


def test_out_of_core_on_a_generated_export_with_files_out_of_order(
    tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A generated export, plus a second documents file whose lines come in reverse order
    (the sort's ties then fall back to file and row)."""
    folder = tmp_path / "demo"
    demo.write_demo(folder, clients=80, lines=4000, seed=5)
    reversed_file = tmp_path / "more" / "facturas_2.csv"
    reversed_file.parent.mkdir()
    text = (folder / "facturas.csv").read_bytes().splitlines(keepends=True)
    # Other document numbers (an X before each), so that no number is used twice.
    reversed_file.write_bytes(text[0] + b"".join(b"X" + line for line in reversed(text[1:])))
    case = {
        "documents": [folder / "facturas.csv", reversed_file],
        "payments": folder / "cobros.csv",
        "clients": folder / "clientes.csv",
        "activities": folder / "actividades.csv",
    }
    memory = _import(tmp_path / "memory", case, options, monkeypatch, None)
    spilled = _import(tmp_path / "spilled", case, options, monkeypatch, "0")
    assert _written_by(spilled).startswith("DuckDB")
    _assert_same(memory, spilled)
    assert pl.read_parquet(spilled / "documents.parquet").height > 4000


def test_the_bound_is_a_large_export(monkeypatch: pytest.MonkeyPatch) -> None:
    from cartera.io.importer import _out_of_core_lines

    monkeypatch.delenv(OUT_OF_CORE_ENV, raising=False)
    assert _out_of_core_lines() == OUT_OF_CORE_LINES >= 1_000_000
    monkeypatch.setenv(OUT_OF_CORE_ENV, "12")
    assert _out_of_core_lines() == 12


def test_a_full_scratch_disk_is_an_error_naming_the_folder(
    tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    import duckdb

    from cartera.errors import OutputError
    from cartera.i18n import language
    from cartera.io import importer

    def full(*args: object) -> None:
        raise duckdb.IOException('Could not write file "x": No space left on device')

    monkeypatch.setattr(importer, "build_in_buckets", full)
    ws = _import(tmp_path / "ws", CASES["demo folder"], options, monkeypatch, None)
    before = (ws / MANIFEST).read_bytes()
    with pytest.raises(OutputError) as caught:
        _import(ws, CASES["holded"], options, monkeypatch, "0")
    with language("en"):
        text = caught.value.render()
    assert "cartera-sort-" in text and "disk is full" in text
    assert (ws / MANIFEST).read_bytes() == before
