"""Saved analysis settings of a firm (one row per firm).

``values`` holds only the fields the firm changed, as the JSON of
:class:`cartera.settings.Settings`; they are validated by that model when
saved and when read, so a stored value can never bypass its bounds.
``assistant`` holds the follow-up assistant's settings the firm changed (the
``[assistant]`` table of a settings file), validated by
:class:`cartera.assistant.settings.AssistantSettings` in the adapters (the
store does not import the assistant).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, text
from sqlalchemy.orm import Mapped, mapped_column

from cartera.store.base import Base, UTCDateTime, utcnow

__all__ = ["FirmSettings"]


class FirmSettings(Base):
    __tablename__ = "firm_settings"

    firm_id: Mapped[int] = mapped_column(
        ForeignKey("firms.id", ondelete="CASCADE"), primary_key=True
    )
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    assistant: Mapped[dict[str, Any]] = mapped_column(
        JSON, default=dict, server_default=text("'{}'")
    )
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
