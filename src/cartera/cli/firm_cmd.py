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
from cartera.i18n import N_, _

__all__ = [
    "firm_campaigns",
    "firm_prospects",
    "firm_ranking",
    "import_into_firm",
    "import_prospect_lists",
    "register",
]


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


_NO_IMPORT = N_("The firm «{firm}» has no import yet; import its files with `cartera firm import`.")


def import_prospect_lists(
    data: Path, firm: str, prospects: Sequence[Path], do_not_call: Sequence[Path] = ()
) -> tuple[Any, dict[str, int]]:
    """Add prospect lists to ``firm``'s prospects, as its Prospects page's import does.

    The do-not-call lists first (so the new prospects get their flag), then each
    list deduplicated against the clients of the firm's latest import (none
    without an import) and the firm's earlier prospects. Everything is read
    before the store is written, so a bad list changes nothing. Returns (the
    firm, the summed counts of :func:`cartera.study.book.add_to_book` plus
    ``do_not_call_keys``: phones or e-mails added to the do-not-call list).
    """
    from cartera.io import Workspace
    from cartera.store import open_store, runs
    from cartera.study.prospects import read_do_not_call, read_prospects
    from cartera.web import campaigns
    from cartera.web.config import load_web_settings
    from cartera.web.pages.study import firm_clients

    web = load_web_settings(data)
    lists = [read_prospects(p) for p in prospects]
    keys = [(p.name, read_do_not_call(p)) for p in do_not_call]
    store = open_store(web.database_url)
    try:
        with store.session() as session:
            target = existing_firm(session, firm)
            run = runs.latest_run(session, target.id)
            clients = (
                firm_clients(None)
                if run is None
                else Workspace.open(web.data_dir / run.workspace).read("clients")
            )
            dnc = sum(campaigns.import_do_not_call(session, target.id, k, n) for n, k in keys)
            counts: dict[str, int] = {"do_not_call_keys": dnc}
            for frame in lists:
                added = campaigns.add_prospects(session, target.id, frame, clients, user_id=None)
                for key, value in added.items():
                    counts[key] = counts.get(key, 0) + value
            session.commit()
            return target, counts
    finally:
        store.dispose()


def firm_ranking(data: Path, firm: str) -> Any:
    """The call list of ``firm``'s open prospects, as its Call list page ranks them.

    Scored against the analysis of the firm's latest import under its saved
    settings; a clear error when the firm has no import yet.
    """
    from cartera.analysis import analyze
    from cartera.errors import SettingsError
    from cartera.io import Workspace
    from cartera.store import open_store, runs
    from cartera.study.ranking import rank_prospects
    from cartera.web import campaigns
    from cartera.web.config import load_web_settings
    from cartera.web.pages.study import open_prospects

    web = load_web_settings(data)
    store = open_store(web.database_url)
    try:
        with store.session() as session:
            target = existing_firm(session, firm)
            run = runs.latest_run(session, target.id)
            if run is None:
                raise SettingsError(_NO_IMPORT, firm=target.name)
            settings = runs.firm_settings(session, target.id)
            book = open_prospects(session, target.id)
            dnc = campaigns.do_not_call_frame(session, target.id)
            workspace = web.data_dir / run.workspace
    finally:
        store.dispose()
    analysis = analyze(workspace, settings=settings)
    clients = Workspace.open(workspace).read("clients")
    return rank_prospects(analysis.clients_frame, analysis.portfolio, clients, book, settings, dnc)


def firm_campaigns(data: Path, firm: str, kind: str | None = None) -> list[dict[str, Any]]:
    """``firm``'s campaigns (of one ``kind``, or all) with their funnel, as its Funnel page counts.

    One dict per campaign: ``id, name, kind, status`` and the funnel's steps and rates.
    """
    from cartera.store import open_store
    from cartera.store import study as db
    from cartera.web import campaigns
    from cartera.web.config import load_web_settings

    store = open_store(load_web_settings(data).database_url)
    try:
        with store.session() as session:
            target = existing_firm(session, firm)
            funnel = {
                row["campaign"]: row
                for row in campaigns.campaign_funnel(session, target.id).iter_rows(named=True)
            }
            out = []
            for c in db.firm_campaigns(session, target.id):
                if kind is not None and c.kind != kind:
                    continue
                row = funnel.get(str(c.id), {})
                steps = {k: v for k, v in row.items() if k not in ("campaign", "kind")}
                out.append({"id": c.id, "name": c.name, "kind": c.kind, "status": c.status,
                            **steps})  # fmt: skip
            return out
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
