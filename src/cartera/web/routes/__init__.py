"""The page routes, one module per page family; :func:`register` adds them all."""

from __future__ import annotations

from fastapi import FastAPI

from cartera.web.routes import (
    account,
    auth,
    client_pages,
    dashboard,
    followup,
    imports,
    members,
    settings_page,
    study_pages,
)

__all__ = ["register"]


def register(app: FastAPI) -> None:
    for module in (
        auth,
        account,
        dashboard,
        client_pages,
        followup,
        imports,
        settings_page,
        members,
        study_pages,
    ):
        app.include_router(module.router)
