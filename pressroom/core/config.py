"""Settings read from the environment (prefix ``PRESSROOM_``) and an optional ``.env``."""

from __future__ import annotations

import secrets
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

IDENTITY_FIELDS = ("portal_name", "agency_name", "agency_address", "agency_phone", "agency_email",
                   "responsible_person")
"""The settings that name the portal and the agency behind it (see ``Settings``)."""


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
    smtp_host: str = Field(
        default="", description="Mail server that sends notifications; empty: mail is not sent but "
        "kept, and shown to administrators at /admin/outbox."
    )
    smtp_port: int = Field(default=25, ge=1, le=65535, description="Port of the mail server.")
    smtp_user: str = Field(default="", description="Login at the mail server (empty: no login).")
    smtp_password: str = Field(default="", description="Password of the mail server login.")
    smtp_tls: Literal["none", "starttls", "tls"] = Field(
        default="none", description="Encryption to the mail server: none, starttls (upgrade a plain "
        "connection, usually port 587) or tls (encrypted from the start, usually port 465)."
    )
    mail_from: str = Field(
        default="Pressroom <pressroom@localhost>", description="Sender (From) of notification mail."
    )
    base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Address of the site as users reach it; links in mail start with it.",
    )
    # The e-portal's identity (Decree 42/2022/ND-CP: an e-portal names the agency that runs
    # it, its address and contacts, and the person responsible), shown in the header, the
    # footer, page titles, feeds and link previews. Empty fields are left out.
    portal_name: str = Field(
        default="", max_length=200,
        description="Name of the portal, shown in the header and page titles (e.g. \"Cổng "
        "Thông tin điện tử Bộ Y tế\"); empty: \"Press conferences and official answers\" in "
        "the reader's language.")
    agency_name: str = Field(
        default="", max_length=200,
        description="The agency that runs the portal (cơ quan chủ quản), shown under the "
        "portal's name and in the footer.")
    agency_address: str = Field(default="", max_length=300,
                                description="The agency's postal address, shown in the footer.")
    agency_phone: str = Field(default="", max_length=50,
                              description="The agency's telephone number, shown in the footer.")
    agency_email: str = Field(default="", max_length=200,
                              description="The agency's contact e-mail, shown in the footer.")
    responsible_person: str = Field(
        default="", max_length=200,
        description="The person responsible for the portal's content, with their title (e.g. "
        "\"Nguyễn Văn A, Trưởng Ban Biên tập\"), shown in the footer.")
    digest_hour: int = Field(
        default=7, ge=0, le=23,
        description="Hour (local time, PRESSROOM_TIMEZONE) at which the daily digest mail is sent.",
    )
    mail_worker: bool = Field(
        default=True, description="Send notification mail from a background thread of the server."
    )
    mail_lease_seconds: int = Field(
        default=120, ge=1, le=3600,
        description="How long a dispatcher holds the mail it took before another may take it over "
        "(when the first stopped while sending).",
    )
    redis_url: str = Field(
        default="",
        description="Redis (redis://host:6379/0) that tells every server process of a change in a "
        "live conference; empty: PostgreSQL's LISTEN/NOTIFY, or within the one process on SQLite.",
    )
    live_stream_seconds: float = Field(
        default=300, gt=0, le=3600,
        description="How long one live page's event stream lasts; the browser then opens a new "
        "one (proxies and load balancers drop streams that never end).")
    live_questions_per_minute: int = Field(
        default=3, ge=1, le=60, description="Live questions one journalist may send in a minute.")
    reach_views: Literal["request", "log"] = Field(
        default="request",
        description="Where page views of answers and conferences are counted: 'request' (the "
        "page's cookie-less counting request to /reach/hit, which works behind shared caches) "
        "or 'log' (only from proxy access logs, `pressroom reach import-log`). One source, so "
        "nothing is counted twice.")
    reach_downloads: Literal["app", "log"] = Field(
        default="app",
        description="Where PDF downloads are counted: 'app' (when this app serves the PDF) or "
        "'log' (only from proxy access logs: use it when a shared cache or mirror serves PDFs).")
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
        if (self.smtp_user and self.smtp_tls == "none"
                and self.smtp_host not in ("localhost", "127.0.0.1", "::1")):
            raise ValueError("PRESSROOM_SMTP_USER needs PRESSROOM_SMTP_TLS=starttls or tls: the "
                             "password would cross the network unencrypted")
        self.base_url = self.base_url.rstrip("/")
        for name in IDENTITY_FIELDS:  # one line each, composed as Vietnamese text is stored
            setattr(self, name, unicodedata.normalize("NFC", " ".join(getattr(self, name).split())))
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
