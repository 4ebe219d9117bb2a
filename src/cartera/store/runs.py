"""Import runs and saved firm settings.

Settings are saved as the fields that differ from :class:`cartera.settings.Settings`'
defaults and validated by that model on the way in and out.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cartera.settings import Settings, load_settings
from cartera.store.base import utcnow
from cartera.store.models.firm_settings import FirmSettings
from cartera.store.models.imports import ImportRun

__all__ = [
    "firm_settings",
    "import_runs",
    "latest_run",
    "previous_run",
    "record_run",
    "save_firm_settings",
]


def record_run(session: Session, **fields: Any) -> ImportRun:
    """Add an import run (fields of :class:`ImportRun`)."""
    run = ImportRun(**fields)
    session.add(run)
    session.flush()
    return run


def import_runs(session: Session, firm_id: int, limit: int = 50) -> list[ImportRun]:
    """The firm's runs, newest first."""
    return list(
        session.scalars(
            select(ImportRun)
            .where(ImportRun.firm_id == firm_id)
            .order_by(ImportRun.created_at.desc(), ImportRun.id.desc())
            .limit(limit)
        )
    )


def latest_run(session: Session, firm_id: int) -> ImportRun | None:
    """The firm's newest successful run (the one pages analyse)."""
    return session.scalar(
        select(ImportRun)
        .where(ImportRun.firm_id == firm_id, ImportRun.status == "ok")
        .order_by(ImportRun.id.desc())
        .limit(1)
    )


def previous_run(session: Session, run: ImportRun) -> ImportRun | None:
    """The successful run of the same firm just before ``run``."""
    return session.scalar(
        select(ImportRun)
        .where(ImportRun.firm_id == run.firm_id, ImportRun.status == "ok", ImportRun.id < run.id)
        .order_by(ImportRun.id.desc())
        .limit(1)
    )


def firm_settings(session: Session, firm_id: int) -> Settings:
    """The firm's settings: its saved values over the defaults."""
    row = session.get(FirmSettings, firm_id)
    return load_settings(**(row.values if row else {}))


def save_firm_settings(
    session: Session, firm_id: int, settings: Settings, user_id: int | None
) -> FirmSettings:
    """Save ``settings`` (already validated) as the fields that differ from the defaults."""
    values = settings.model_dump(mode="json", exclude_defaults=True)
    load_settings(**values)  # round-trips: what is stored reads back
    row = session.get(FirmSettings, firm_id)
    if row is None:
        row = FirmSettings(firm_id=firm_id, values=values, updated_by=user_id)
        session.add(row)
    else:
        row.values = values
        row.updated_by = user_id
        row.updated_at = utcnow()
    session.flush()
    return row
