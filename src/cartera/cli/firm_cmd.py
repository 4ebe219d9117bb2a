"""``cartera firm import``: files into a firm of the web app, as its Imports page does.

A thin adapter over :func:`cartera.web.pages.imports.import_staged` (the function
the page's Import button runs): the files are staged like an upload, imported
into the firm's workspace and recorded as an import run; ``--settings`` saves a
settings file as the firm's settings (what its Settings page edits).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from cartera.cli.serve_cmd import data_dir, data_option, existing_firm, lang_option
from cartera.errors import CarteraError
from cartera.i18n import _

__all__ = ["firm_prospects", "import_into_firm", "register"]


def import_into_firm(
    data: Path,
    firm: str,
    files: Sequence[Path],
    settings_file: Path | None,
    prospects: Sequence[Path] = (),
    do_not_call: Sequence[Path] = (),
) -> tuple[str, int, int, dict[str, int]]:
    """Import ``files`` into ``firm`` of the web app's data folder ``data``.

    Then the do-not-call lists and the prospect lists, as the Prospects page
    does (deduplicated against the clients just imported and earlier prospects);
    they are read before anything is imported, so a bad list changes nothing.
    Returns (the firm's name, the import run's id, the rows written over all
    tables, prospect counts: ``added``, ``read``, ``do_not_call`` keys added).
    Raises :class:`SettingsError` for an unknown firm or a bad settings file, and the
    import's own :class:`CarteraError` (the failed run recorded, nothing left staged).
    """
    from cartera.settings import load_settings
    from cartera.store import open_store, runs
    from cartera.study.prospects import read_do_not_call, read_prospects
    from cartera.web.config import load_web_settings
    from cartera.web.followup import save_assistant_file
    from cartera.web.pages import imports as imp

    web = load_web_settings(data)
    settings = load_settings(settings_file) if settings_file is not None else None
    lists = [(p.name, read_prospects(p)) for p in prospects]
    keys = [(p.name, read_do_not_call(p)) for p in do_not_call]
    store = open_store(web.database_url)
    try:
        with store.session() as session:
            target = existing_firm(session, firm)
            if settings is not None:
                runs.save_firm_settings(session, target.id, settings, None)
                assert settings_file is not None
                save_assistant_file(session, target.id, settings_file, None)
                session.commit()
            folder = imp.firm_folder(web.data_dir, target.id)
            stage = imp.stage_paths(folder, files)
            try:
                record = imp.import_staged(
                    session, stage, folder / "runs" / stage.name, web.data_dir,
                    firm_id=target.id, user_id=None,
                )  # fmt: skip
            except CarteraError:
                imp.discard(stage)  # the page keeps it for another try; a command does not
                raise
            counts = _prospects(session, web.data_dir / record.workspace, target.id, lists, keys)
            session.commit()
            tables = record.manifest.get("tables", {}).values()
            rows = sum(int(t.get("rows_written") or 0) for t in tables)
            return target.name, record.id, rows, counts
    finally:
        store.dispose()


def firm_prospects(data: Path, firm: str) -> Any:
    """The prospects of ``firm`` in the web app's data folder ``data``, as a prospect book."""
    from cartera.store import open_store
    from cartera.web import campaigns
    from cartera.web.config import load_web_settings

    store = open_store(load_web_settings(data).database_url)
    try:
        with store.session() as session:
            target = existing_firm(session, firm)
            return campaigns.prospect_book(session, target.id)
    finally:
        store.dispose()


def _prospects(
    session: Any,
    workspace: Path,
    firm_id: int,
    lists: Sequence[tuple[str, Any]],
    dnc: Sequence[tuple[str, Any]],
) -> dict[str, int]:
    from cartera.io import Workspace
    from cartera.web import campaigns

    counts = {"read": 0, "added": 0, "do_not_call": 0}
    for name, keys in dnc:
        counts["do_not_call"] += campaigns.import_do_not_call(session, firm_id, keys, name)
    if lists:
        clients = Workspace.open(workspace).read("clients")
        for _name, frame in lists:
            added = campaigns.add_prospects(session, firm_id, frame, clients, user_id=None)
            counts["read"] += added["read"]
            counts["added"] += added["added"]
    return counts


def register(app: typer.Typer) -> None:
    firms = typer.Typer(help=_("A firm's data in the web app."), no_args_is_help=True)
    app.add_typer(firms, name="firm")

    @firms.command(
        "import",
        help=_("Import files into a firm of the web app, as its Imports page does (recorded "
               "in the firm's import history)."),
    )  # fmt: skip
    def import_(
        firm: str = typer.Argument(..., help=_("Firm name or its URL name.")),
        files: list[Path] = typer.Argument(..., help=_("Export files to import.")),
        settings_file: Path | None = typer.Option(
            None,
            "--settings",
            help=_("Settings file (TOML) to save as the firm's settings ([assistant] included)."),
        ),
        prospects: list[Path] = typer.Option(
            [],
            "--prospects",
            help=_("Prospect list (CSV or Excel) to add to the firm's prospects."),
        ),
        do_not_call: list[Path] = typer.Option(
            [], "--do-not-call", help=_("Do-not-call list (e.g. a Robinson-list export).")
        ),
        data: Path | None = data_option(),
        lang: str | None = lang_option(),
    ) -> None:
        name, run_id, rows, counts = import_into_firm(
            data_dir(data), firm, files, settings_file, prospects, do_not_call
        )
        console = Console(highlight=False, soft_wrap=True)
        console.print(_("Import {n} of {firm}: {files} files, {rows} rows.").format(
            n=run_id, firm=name, files=len(files), rows=rows))  # fmt: skip
        if prospects or do_not_call:
            console.print(_("Prospects: {added} added of {read} rows; {dnc} phones or e-mails "
                            "added to the do-not-call list.").format(
                added=counts["added"], read=counts["read"], dnc=counts["do_not_call"]))  # fmt: skip
