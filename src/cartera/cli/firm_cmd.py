"""``cartera firm import``: files into a firm of the web app, as its Imports page does.

A thin adapter over :func:`cartera.web.pages.imports.import_staged` (the function
the page's Import button runs): the files are staged like an upload, imported
into the firm's workspace and recorded as an import run; ``--settings`` saves a
settings file as the firm's settings (what its Settings page edits).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import typer
from rich.console import Console

from cartera.cli.serve_cmd import data_dir, data_option
from cartera.errors import CarteraError, SettingsError
from cartera.i18n import N_, _

__all__ = ["import_into_firm", "register"]


def import_into_firm(
    data: Path, firm: str, files: Sequence[Path], settings_file: Path | None
) -> tuple[str, int, int]:
    """Import ``files`` into ``firm`` of the web app's data folder ``data``.

    Returns (the firm's name, the import run's id, the rows written over all tables).
    Raises :class:`SettingsError` for an unknown firm or a bad settings file, and the
    import's own :class:`CarteraError` (the failed run recorded, nothing left staged).
    """
    from cartera.settings import load_settings
    from cartera.store import open_store, people, runs
    from cartera.web.config import load_web_settings
    from cartera.web.followup import save_assistant_file
    from cartera.web.pages import imports as imp

    web = load_web_settings(data)
    settings = load_settings(settings_file) if settings_file is not None else None
    store = open_store(web.database_url)
    try:
        with store.session() as session:
            target = people.firm_by_slug(session, people.slugify(firm))
            if target is None:
                raise SettingsError(
                    N_("Unknown firm «{firm}»; add it with `cartera user add`."), firm=firm
                )
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
            tables = record.manifest.get("tables", {}).values()
            return target.name, record.id, sum(int(t.get("rows_written") or 0) for t in tables)
    finally:
        store.dispose()


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
        data: Path | None = data_option(),
    ) -> None:
        name, run_id, rows = import_into_firm(data_dir(data), firm, files, settings_file)
        console = Console(highlight=False, soft_wrap=True)
        console.print(_("Import {n} of {firm}: {files} files, {rows} rows.").format(
            n=run_id, firm=name, files=len(files), rows=rows))  # fmt: skip
