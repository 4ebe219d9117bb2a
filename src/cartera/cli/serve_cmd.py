"""``cartera serve``: run the web app (uvicorn) on a data folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from cartera.i18n import N_, _

__all__ = ["DEFAULT_DATA", "data_option", "existing_firm", "lang_option", "register"]

#: Where the web app keeps its store, uploads and workspaces unless --data or CARTERA_DATA says.
DEFAULT_DATA = Path("~/.cartera")


def data_option() -> Any:
    return typer.Option(
        None,
        "--data",
        help=_("Folder of the web app's data (store, uploads, imports). Default: $CARTERA_DATA "
        "or ~/.cartera."),
    )  # fmt: skip


def existing_firm(session: Any, firm: str) -> Any:
    """The firm named ``firm`` (its name or URL name) in the store, or a clear error."""
    from cartera.errors import SettingsError
    from cartera.store import people

    found = people.firm_by_slug(session, people.slugify(firm))
    if found is None:
        raise SettingsError(N_("Unknown firm «{firm}»; add it with `cartera user add`."), firm=firm)
    return found


def lang_option() -> Any:
    """``--lang``: read from the command line before parsing (``cli.app.run``); declared so
    that every command accepts it."""
    return typer.Option(None, "--lang", help=_("Language: es or en."))


def data_dir(value: Path | None) -> Path:
    return value or Path(os.environ.get("CARTERA_DATA", "") or DEFAULT_DATA).expanduser()


def register(app: typer.Typer) -> None:
    @app.command("serve", help=_("Run the web app: the firm's portfolio shared by its team."))
    def serve(
        data: Path | None = data_option(),
        lang: str | None = lang_option(),
        host: str = typer.Option("127.0.0.1", "--host", help=_("Address to listen on.")),
        port: int = typer.Option(8000, "--port", min=1, max=65535, help=_("Port to listen on.")),
    ) -> None:
        import uvicorn

        from cartera.web.app import create_app
        from cartera.web.config import load_web_settings

        settings = load_web_settings(data_dir(data))
        web_app = create_app(settings)
        console = Console(highlight=False, soft_wrap=True)
        console.print(_("Cartera is running at http://{host}:{port}/ (data: {data}).").format(
            host=host, port=port, data=settings.data_dir))  # fmt: skip
        uvicorn.run(web_app, host=host, port=port, log_level="warning", proxy_headers=False)
