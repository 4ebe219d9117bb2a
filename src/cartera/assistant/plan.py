"""From the analysis, the documents and the interaction log to the due contacts."""

from __future__ import annotations

import datetime as dt

import polars as pl

from cartera.assistant.cadence import due_contacts
from cartera.assistant.history import open_items, order_rhythm
from cartera.assistant.settings import AssistantSettings

__all__ = ["plan"]


def plan(
    clients: pl.DataFrame,
    documents: pl.DataFrame,
    interactions: pl.DataFrame,
    settings: AssistantSettings,
    as_of: dt.date,
) -> pl.DataFrame:
    """:func:`due_contacts` with the rhythm and open items computed from ``documents``.

    ``clients`` is the analysis' ``clients_frame``; ``documents`` the canonical
    documents table (``client_id, doc_type, date, due_date, paid_date,
    amount, total, paid_amount``).
    """
    rhythm = order_rhythm(documents, as_of, settings.churn.at_risk_quantile)
    return due_contacts(
        clients, rhythm, open_items(documents, as_of), interactions, settings, as_of
    )
