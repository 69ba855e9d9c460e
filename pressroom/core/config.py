"""Settings read from the environment (prefix ``PRESSROOM_``) and an optional ``.env``."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PRESSROOM_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./pressroom.db",
        description="SQLAlchemy URL: sqlite:///./pressroom.db or postgresql+psycopg://...",
    )
    secret_key: str = Field(
        default="",
        description="Secret for signing; required unless demo mode is on.",
    )
    demo_mode: bool = Field(
        default=False, description="Local demo: allows a generated secret and non-Secure cookies."
    )
    timezone: str = Field(default="Asia/Ho_Chi_Minh", description="Time zone shown to users.")
    default_locale: str = Field(default="vi", description="Interface language: vi or en.")
    storage_dir: Path = Field(
        default=Path("./var"), description="Where rendered PDFs and uploads are stored."
    )
    session_hours: int = Field(default=12, description="Hours a login session stays valid.")
    cookie_secure: bool | None = Field(
        default=None, description="Send cookies only over HTTPS (default: on unless demo mode)."
    )
    pdf_worker: bool = Field(
        default=True, description="Render published PDFs in a background thread of the server."
    )
    answer_due_working_days: int = Field(
        default=5, description="Default number of working days a unit has to answer."
    )
    login_max_failures: int = Field(
        default=5, description="Failed logins per account (x4 per client address) before a 15-minute pause."
    )
    max_body_bytes: int = Field(
        default=2 * 1024 * 1024,
        description="Largest request body accepted (bytes); larger ones get 413.",
    )
    argon2_profile: Literal["rfc9106", "fast-for-tests"] = Field(
        default="rfc9106",
        description="argon2 cost: RFC 9106's low-memory profile; 'fast-for-tests' only for test "
        "suites (like Django's test hasher): hashes made with it stay valid but are weak.",
    )

    @model_validator(mode="after")
    def _secret(self) -> Settings:
        if not self.secret_key:
            if not self.demo_mode:
                raise ValueError(
                    "PRESSROOM_SECRET_KEY must be set (or PRESSROOM_DEMO_MODE=1 for a local demo)"
                )
            self.secret_key = secrets.token_urlsafe(32)
        if self.cookie_secure is None:
            self.cookie_secure = not self.demo_mode
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
