from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import CheckConstraint, String
from sqlmodel import Field, SQLModel

from pressroom.accounts.enums import Role
from pressroom.core.clock import now
from pressroom.core.db import UTCDateTime, enum_column


class Outlet(SQLModel, table=True):
    """A press agency / media organisation (cơ quan báo chí)."""

    __tablename__ = "outlet"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, sa_column_kwargs={"unique": True})
    website: str = Field(default="", max_length=300)


class User(SQLModel, table=True):
    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(
            "(role = 'journalist') = (outlet_id IS NOT NULL)", name="journalist_has_outlet"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, sa_column_kwargs={"unique": True})
    full_name: str = Field(max_length=200)
    password_hash: str = Field(max_length=200)
    role: Role = Field(
        sa_column=enum_column(Role, "role")
    )
    outlet_id: int | None = Field(default=None, foreign_key="outlet.id", index=True)
    press_card_number: str = Field(default="", max_length=40)
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)

    def allows(self, permission: str) -> bool:
        from pressroom.accounts.permissions import role_allows

        return self.is_active and role_allows(self.role, permission)


class LoginSession(SQLModel, table=True):
    """A server-side login session; the browser only holds the random token."""

    __tablename__ = "login_session"
    public_pages: ClassVar[str] = "never"  # see core/pagecache.py

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class LoginAttempt(SQLModel, table=True):
    """Failed logins, for throttling per account and per client address."""

    __tablename__ = "login_attempt"
    public_pages: ClassVar[str] = "never"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    client: str = Field(max_length=64, index=True, sa_type=String(64))
    at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
