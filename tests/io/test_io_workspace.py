"""Workspace layout, manifest, atomic writes, re-imports, prepare_workspace."""

from __future__ import annotations

import json
import os
from pathlib import Path

import polars as pl
import pytest
from io_paths import BAD, DEMO

from cartera.errors import InputError
from cartera.io import ReadOptions, Workspace, import_files, prepare_workspace
from cartera.schema import TABLES


def test_layout_schema_and_order(tmp_path: Path, options: ReadOptions) -> None:
    ws = import_files([DEMO], into=tmp_path / "ws", options=options).workspace
    assert sorted(p.name for p in ws.path.iterdir()) == [
        "activities.parquet",
        "aggregates",
        "clients.parquet",
        "documents.parquet",
        "manifest.json",
        "payments.parquet",
    ]
    for name, schema in TABLES.items():
        assert ws.read(name).schema == pl.Schema(schema)
    docs = ws.read("documents")
    assert docs.equals(docs.sort("client_key", "date", maintain_order=True))
    clients = ws.read("clients")
    assert clients["client_key"].to_list() == list(range(clients.height))
    assert set(docs["client_key"]) <= set(clients["client_key"])
    assert set(ws.read("activities")["client_key"]) <= set(clients["client_key"])


def test_manifest_records_what_was_read(tmp_path: Path, options: ReadOptions) -> None:
    ws = import_files([DEMO], into=tmp_path / "ws", options=options).workspace
    manifest = json.loads((ws.path / "manifest.json").read_text(encoding="utf-8"))
    doc = manifest["tables"]["documents"]
    source = doc["files"][0]
    assert source["file"] == "facturas.csv" and len(source["sha256"]) == 64
    assert (source["encoding"], source["delimiter"]) == ("cp1252", ";")
    assert source["columns"]["net"] == "Base imponible"
    assert source["conventions"]["Fecha"] == "dd/mm/yyyy"
    assert (doc["rows_read"], doc["rows_accepted"], doc["rows_rejected"]) == (10, 10, 0)
    summary = ws.input_summary()
    assert summary["documents"]["source"] == "facturas.csv"
    assert any("Base imponible" in n for n in summary["documents"]["notes"])


def test_reimport_changes_nothing(tmp_path: Path, options: ReadOptions) -> None:
    first = import_files([DEMO], into=tmp_path / "ws", options=options)
    stamps = {p.name: p.stat().st_mtime_ns for p in first.workspace.path.iterdir()}
    again = import_files([DEMO], into=tmp_path / "ws", options=options)
    assert again.unchanged and not first.unchanged
    assert {p.name: p.stat().st_mtime_ns for p in again.workspace.path.iterdir()} == stamps


def test_failed_import_leaves_the_workspace_as_it_was(tmp_path: Path, options: ReadOptions) -> None:
    ws = import_files([DEMO], into=tmp_path / "ws", options=options).workspace

    def files() -> dict[Path, bytes]:
        return {p.relative_to(ws.path): p.read_bytes() for p in ws.path.rglob("*") if p.is_file()}

    before = files()
    with pytest.raises(InputError):
        import_files([BAD / "bad_rows.csv"], into=tmp_path / "ws", options=options)
    assert files() == before
    assert sorted(os.listdir(tmp_path)) == ["ws"]


def test_new_import_replaces_the_previous_one(tmp_path: Path, options: ReadOptions) -> None:
    import_files([DEMO], into=tmp_path / "ws", options=options)
    ws = import_files([BAD / "good_documents.csv"], into=tmp_path / "ws", options=options).workspace
    assert ws.read("documents").height == 2
    assert sorted(os.listdir(tmp_path)) == ["ws"]


def test_refuses_to_write_into_a_folder_with_other_files(
    tmp_path: Path, options: ReadOptions
) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(InputError):
        import_files([DEMO], into=tmp_path / "mine", options=options)
    assert os.listdir(tmp_path / "mine") == ["notes.txt"]


def test_open_refuses_what_is_not_a_workspace(tmp_path: Path) -> None:
    assert not Workspace.is_workspace(tmp_path)
    with pytest.raises(InputError):
        Workspace.open(tmp_path)


def test_prepare_workspace_from_files_or_a_workspace(tmp_path: Path, options: ReadOptions) -> None:
    temp = prepare_workspace(DEMO, options=options)
    assert temp.read("documents").height == 10
    made = import_files([DEMO], into=tmp_path / "ws", options=options).workspace
    assert prepare_workspace(made.path).path == made.path
    listed = prepare_workspace([DEMO / "facturas.csv", DEMO / "clientes.csv"], options=options)
    assert listed.read("clients").height == 6 and listed.read("payments").height == 0
