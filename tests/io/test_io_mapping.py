"""A mapping file overrides recognition: roles, table, conventions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cartera.errors import SettingsError
from cartera.io import ReadOptions, import_files, inspect_file, load_mapping


def _odd_file(tmp_path: Path) -> Path:
    path = tmp_path / "export.csv"
    path.write_text(
        "Ref;Cuándo;Quién;Neto "
        "€;Observaciones\nA1;01/02/2024;Acme;1.500\nA2;03/04/2024;Globex;2.250\n",
        encoding="utf-8",
    )
    return path


def test_mapping_gives_roles_table_and_conventions(tmp_path: Path, options: ReadOptions) -> None:
    source = _odd_file(tmp_path)
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        """
[documents]
files = ["export.csv"]
decimal = "comma"
date_format = "%m/%d/%Y"
ignore = ["Observaciones"]

[documents.columns]
doc_number = "Ref"
date = "Cuándo"
client_name = "Quién"
net = "Neto €"
""",
        encoding="utf-8",
    )
    with_mapping = options.model_copy(update={"mapping": mapping})
    info = inspect_file(source, options=with_mapping)
    assert info.table == "documents"
    assert {c.header: c.role for c in info.columns}["Neto €"] == "net"
    docs = import_files([source], into=tmp_path / "ws", options=with_mapping).workspace.read(
        "documents"
    )
    assert sorted(docs["amount"].to_list()) == [1500.0, 2250.0]
    assert sorted(docs["date"].to_list()) == [dt.date(2024, 1, 2), dt.date(2024, 3, 4)]


def test_bad_mapping_files(tmp_path: Path) -> None:
    bad_role = tmp_path / "a.toml"
    bad_role.write_text('[documents.columns]\nprice = "Precio"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="mapping"):
        load_mapping(bad_role)
    broken = tmp_path / "b.toml"
    broken.write_text("[documents\n", encoding="utf-8")
    with pytest.raises(SettingsError):
        load_mapping(broken)
    with pytest.raises(SettingsError):
        load_mapping(tmp_path / "missing.toml")


def test_mapping_naming_a_missing_column(tmp_path: Path, options: ReadOptions) -> None:
    source = _odd_file(tmp_path)
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        '[documents]\nfiles = ["export.csv"]\n[documents.columns]\ndate = "Fecha"\n',
        encoding="utf-8",
    )
    from cartera.errors import InputError

    with pytest.raises(InputError, match="Fecha"):
        inspect_file(source, options=options.model_copy(update={"mapping": mapping}))
