"""The web app's settings: typed, from the command line or the environment.

``secret_key`` signs the session cookie. It comes from ``CARTERA_SECRET_KEY``
or, when unset, from ``<data>/secret_key`` (created once with 256 random bits,
readable by the owner only), so one person's ``cartera serve`` needs no setup
while a team deployment can inject its own. Short or well-known keys are
refused, as are plain-HTTP cookies on a non-local host unless explicitly allowed.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cartera.errors import SettingsError
from cartera.i18n import N_
from cartera.store import database_url

__all__ = ["SECRET_ENV", "WebSettings", "load_web_settings"]

SECRET_ENV = "CARTERA_SECRET_KEY"
_WEAK = {"changeme", "secret", "changethis", "password", "development", "dev"}
MIN_SECRET = 32


class WebSettings(BaseModel):
    """What ``create_app`` needs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    data_dir: Path = Field(description="Folder of the store, uploads and imported workspaces.")
    database_url: str = Field(description="SQLAlchemy URL of the store.")
    secret_key: str = Field(repr=False, description="Key signing session cookies (≥ 32 chars).")
    session_hours: float = Field(12.0, gt=0, le=24 * 30, description="Session lifetime.")
    secure_cookies: bool = Field(
        False, description="Send cookies only over HTTPS (set behind a TLS proxy)."
    )
    login_attempts: int = Field(5, ge=1, description="Failed logins allowed per window.")
    login_window_s: float = Field(300.0, gt=0, description="Rate-limit window in seconds.")
    max_upload_mb: int = Field(500, ge=1, description="Largest upload accepted, in MB.")
    analysis_cache: int = Field(8, ge=1, description="Analyses kept in memory.")

    @field_validator("secret_key")
    @classmethod
    def _strong(cls, value: str) -> str:
        if len(value) < MIN_SECRET or value.strip().lower() in _WEAK:
            raise ValueError(f"the secret key needs at least {MIN_SECRET} random characters")
        return value


def _secret(data_dir: Path, env: Mapping[str, str]) -> str:
    key = env.get(SECRET_ENV, "").strip()
    if key:
        return key
    path = data_dir / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return path.read_text(encoding="utf-8").strip()


def load_web_settings(
    data_dir: Path, env: Mapping[str, str] | None = None, **overrides: object
) -> WebSettings:
    """Settings for ``data_dir`` (created if missing) from ``env`` and ``overrides``."""
    env = os.environ if env is None else env
    data_dir = data_dir.expanduser().resolve()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SettingsError(
            N_("Cannot create the data folder {path}: {error}"), path=str(data_dir), error=str(exc)
        ) from exc
    values: dict[str, object] = {
        "data_dir": data_dir,
        "database_url": database_url(data_dir, env),
        "secret_key": _secret(data_dir, env),
        "secure_cookies": env.get("CARTERA_SECURE_COOKIES", "") in {"1", "true", "yes"},
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return WebSettings.model_validate(values)
    except ValueError as exc:
        raise SettingsError(N_("Invalid web settings: {error}"), error=str(exc)) from exc
