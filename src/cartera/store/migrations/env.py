"""Alembic environment: runs against the connection the store hands over.

The store calls :func:`cartera.store.engine.upgrade`, which puts its open
connection in ``config.attributes["connection"]``; nothing here reads a URL
from a file or the environment.
"""

from __future__ import annotations

from alembic import context

import cartera.store.models  # noqa: F401  (registers every table on the metadata)
from cartera.store.base import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
