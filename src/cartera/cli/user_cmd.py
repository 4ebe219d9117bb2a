"""``cartera user add``: a person with a role in a firm of the web app's store."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import typer
from rich.console import Console

from cartera.cli.serve_cmd import data_dir, data_option, lang_option
from cartera.errors import SettingsError
from cartera.i18n import N_, _

__all__ = ["PASSWORD_ENV", "register"]

#: Environment variable read for the new user's password (else a prompt).
PASSWORD_ENV = "CARTERA_PASSWORD"


def _password(generate: bool) -> tuple[str, bool]:
    """(password, whether it was generated)."""
    if generate:
        return secrets.token_urlsafe(12), True
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env, False
    value: str = typer.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    return value, False


def register(app: typer.Typer) -> None:
    users = typer.Typer(help=_("People who use the web app and their roles."), no_args_is_help=True)
    app.add_typer(users, name="user")

    @users.command("add", help=_("Add a user (or give an existing one a role) in a firm; "
                                 "the firm is created when new."))  # fmt: skip
    def add(
        email: str = typer.Argument(..., help=_("The user's email (their login).")),
        firm: str = typer.Option(..., "--firm", help=_("Firm name or its URL name.")),
        role: str = typer.Option("owner", "--role", help=_("owner, analyst, assistant or viewer.")),
        generate: bool = typer.Option(
            False, "--generate-password", help=_("Make up a password and print it.")
        ),
        data: Path | None = data_option(),
        lang: str | None = lang_option(),
    ) -> None:
        from cartera.store import ROLES, open_store, people
        from cartera.store.engine import database_url

        if role not in ROLES:
            raise SettingsError(
                N_("Unknown role «{role}»; roles: {roles}."), role=role, roles=", ".join(ROLES)
            )
        folder = data_dir(data)
        folder.mkdir(parents=True, exist_ok=True)
        store = open_store(database_url(folder))
        console = Console(highlight=False, soft_wrap=True)
        with store.session() as session:
            found = people.firm_by_slug(session, people.slugify(firm))
            target = found or people.create_firm(session, firm)
            user = people.find_user(session, email)
            shown = ""
            if user is None:
                password, made = _password(generate)
                user = people.create_user(session, email, password)
                shown = password if made else ""
            people.add_member(session, user, target, role)
            session.commit()
            console.print(_("{email} is {role} of {firm} ({slug}).").format(
                email=user.email, role=role, firm=target.name, slug=target.slug))  # fmt: skip
            if shown:
                console.print(_("Password: {password}").format(password=shown))
        store.dispose()
