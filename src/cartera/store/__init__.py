"""The store: what people write and decide (firms, users, roles, imports, settings).

SQLAlchemy 2 models (:mod:`cartera.store.models`, one module per concept) with
Alembic migrations shipped in the package and run when the store opens.
Analysis tables stay in Parquet/DuckDB; nothing here copies invoice lines.
The store never imports the web app; only the adapters (``web/``, ``cli/``)
import the store.
"""

from __future__ import annotations

from cartera.store.engine import DATABASE_ENV, Store, database_url, open_store, upgrade
from cartera.store.models.accounts import ROLES

__all__ = ["DATABASE_ENV", "ROLES", "Store", "database_url", "open_store", "upgrade"]
