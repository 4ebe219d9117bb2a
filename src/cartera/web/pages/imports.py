"""Imports: stage uploaded files, preview how they read, correct a role, import, compare.

An upload lands in a staging folder of the firm (``firms/<id>/staging/<token>``)
with a ``mapping.toml`` that role corrections write; importing runs
:func:`cartera.import_files` into ``firms/<id>/runs/<token>/workspace`` and
records the run (files with their SHA-256, manifest, mapping, who, when).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
import tomllib
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from cartera.errors import CarteraError, InputError, SettingsError
from cartera.i18n import N_, _, fmt_money, fmt_number
from cartera.io import ReadOptions, import_files, inspect_file
from cartera.io.aliases import ALIASES
from cartera.report.labels import field_label
from cartera.result import Portfolio
from cartera.store import runs
from cartera.store.models import ImportRun
from cartera.web.followup import import_activities

__all__ = [
    "compare_runs",
    "file_records",
    "firm_folder",
    "import_staged",
    "preview",
    "read_mapping",
    "run_import",
    "set_role",
    "stage_dir",
    "stage_paths",
    "staging_token",
]

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


def staging_token() -> str:
    return secrets.token_urlsafe(18)


def firm_folder(data_dir: Path, firm_id: int) -> Path:
    """Folder of one firm's uploads and imported workspaces inside the data folder."""
    return data_dir / "firms" / str(firm_id)


def stage_paths(firm_dir: Path, paths: Sequence[Path]) -> Path:
    """Copy files on disk into a new staging folder of the firm; return that folder.

    The same layout an upload gets, so :func:`import_staged` treats both alike.
    A missing file raises :class:`InputError` before anything is copied.
    """
    for path in paths:
        if not path.is_file():
            raise InputError(N_("File not found: {path}"), path=str(path))
    stage = firm_dir / "staging" / staging_token()
    (stage / "files").mkdir(parents=True)
    for path in paths:
        shutil.copyfile(path, stage / "files" / safe_name(path.name))
    return stage


def stage_dir(firm_dir: Path, token: str) -> Path | None:
    """The staging folder of ``token`` (None when the token is malformed or unknown)."""
    if not _TOKEN.match(token):
        return None
    path = firm_dir / "staging" / token
    return path if path.is_dir() else None


def safe_name(name: str) -> str:
    """A file name without folders or odd characters (``../x.csv`` → ``x.csv``)."""
    base = Path(name.replace("\\", "/")).name
    return _SAFE_NAME.sub("_", base).strip(" .") or "file"


def staged_files(stage: Path) -> list[Path]:
    return sorted(p for p in (stage / "files").iterdir() if p.is_file())


def read_mapping(stage: Path) -> dict[str, dict[str, Any]]:
    path = stage / "mapping.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _toml(mapping: dict[str, dict[str, Any]]) -> str:
    """The mapping as TOML (tables of string lists and string tables; JSON strings are TOML)."""
    lines: list[str] = []
    for table, spec in mapping.items():
        lines.append(f"[{table}]")
        lines.append(f"files = {json.dumps(spec.get('files', []), ensure_ascii=False)}")
        lines.append(f"[{table}.columns]")
        for role, header in spec.get("columns", {}).items():
            lines.append(f"{role} = {json.dumps(header, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def options(stage: Path) -> ReadOptions:
    path = stage / "mapping.toml"
    return ReadOptions(mapping=path if path.exists() else None)


def set_role(stage: Path, file_name: str, table: str, header: str, role: str) -> None:
    """Make ``header`` of ``file_name`` play ``role`` in ``table`` (written to the mapping).

    Every staged file is also listed under the table it reads as, so that a
    column named for one table is never looked for in another table's file.
    """
    if table not in ALIASES or (role and role not in ALIASES[table]):
        raise SettingsError(N_("Unknown role «{role}» for table {table}."), role=role, table=table)
    tables = {f["file"]: f["table"] for f in preview(stage) if not f["error"]}
    tables[file_name] = table
    mapping = read_mapping(stage)
    for name, its_table in tables.items():
        for spec in mapping.values():
            if name in spec.get("files", []) and spec is not mapping.get(its_table):
                spec["files"].remove(name)
        listed = mapping.setdefault(its_table, {"files": [], "columns": {}})
        if name not in listed["files"]:
            listed["files"].append(name)
    spec = mapping[table]
    columns = {r: h for r, h in spec.get("columns", {}).items() if h != header and r != role}
    if role:
        columns[role] = header
    spec["columns"] = columns
    (stage / "mapping.toml").write_text(_toml(mapping), encoding="utf-8")


def _sort_key(pair: tuple[str, str]) -> str:
    """Alphabetical without accents, so «código» sorts with the c's."""
    return "".join(c for c in unicodedata.normalize("NFD", pair[0].lower())
                   if not unicodedata.combining(c))  # fmt: skip


def preview(stage: Path) -> list[dict[str, Any]]:
    """How each staged file reads: table, conventions, columns with roles and samples, problems.

    ``roles`` lists (code, label in the user's language) pairs, sorted by label.
    """
    out = []
    listed = {name: table for table, spec in read_mapping(stage).items()
              for name in spec.get("files", [])}  # fmt: skip
    for path in staged_files(stage):
        try:
            result = inspect_file(path, table=listed.get(path.name), options=options(stage))
        except CarteraError as exc:
            out.append({"file": path.name, "error": exc.render()})
            continue
        info = result.as_dict()
        info["file"] = path.name
        info["error"] = ""
        labels = [(field_label(code), code) for code in ALIASES.get(result.table, {})]
        info["roles"] = [(code, label) for label, code in sorted(labels, key=_sort_key)]
        out.append(info)
    return out


def file_records(stage: Path) -> list[dict[str, Any]]:
    """Name, size and SHA-256 of each staged file (what the run records)."""
    records = []
    for path in staged_files(stage):
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        records.append({"name": path.name, "bytes": path.stat().st_size,
                        "sha256": digest.hexdigest()})  # fmt: skip
    return records


def run_import(stage: Path, target: Path) -> dict[str, Any]:
    """Import the staged files into ``target``; return the workspace manifest."""
    import_files(staged_files(stage), into=target, options=options(stage))
    return dict(json.loads((target / "manifest.json").read_text(encoding="utf-8")))


def import_staged(
    session: Session,
    stage: Path,
    run_dir: Path,
    data_dir: Path,
    *,
    firm_id: int,
    user_id: int | None,
) -> ImportRun:
    """Import ``stage`` into ``run_dir/workspace`` and record the run in the store.

    The workspace's activities are added to the firm's interaction log (once each).

    A failure is recorded too (with its localised reason), the half-made run
    folder removed, and the :class:`CarteraError` raised again; the staged files
    stay for another try. On success the staging folder is removed.
    """
    files = file_records(stage)
    digest = hashlib.sha256("".join(f["sha256"] for f in files).encode()).hexdigest()
    common: dict[str, Any] = {"firm_id": firm_id, "user_id": user_id, "files": files,
                              "content_hash": digest, "mapping": read_mapping(stage)}  # fmt: skip
    try:
        manifest = run_import(stage, run_dir / "workspace")
    except CarteraError as exc:
        runs.record_run(session, status="failed", error=exc.render(), **common)
        session.commit()
        shutil.rmtree(run_dir, ignore_errors=True)
        raise
    relative = str((run_dir / "workspace").relative_to(data_dir))
    record = runs.record_run(session, status="ok", manifest=manifest, workspace=relative, **common)
    # The activities become interactions in the same transaction (each once: re-importing the
    # same export, or a later one repeating old activities, adds nothing; decision 0810).
    import_activities(session, firm_id, run_dir / "workspace")
    session.commit()
    discard(stage)
    return record


def discard(stage: Path) -> None:
    shutil.rmtree(stage, ignore_errors=True)


def compare_runs(
    now: Portfolio, before: Portfolio | None, currency: str
) -> list[tuple[str, str, str]]:
    """(label, previous, this import) for the headline figures."""

    def m(p: Portfolio | None, key: str) -> str:
        if p is None:
            return "–"
        value = getattr(p, key)
        return "–" if value is None else fmt_money(value, currency, digits=0)

    def n(p: Portfolio | None) -> str:
        return "–" if p is None else fmt_number(p.clients)

    rows = [(_("Clients"), n(before), n(now))]
    for key, label in (
        ("revenue", _("Revenue")),
        ("gross_margin", _("Gross margin")),
        ("net_contribution", _("Net contribution")),
        ("profit", _("Profit")),
    ):
        rows.append((label, m(before, key), m(now, key)))  # fmt: skip
    return rows
