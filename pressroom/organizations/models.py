from __future__ import annotations

from sqlmodel import Field, SQLModel

from pressroom.core.db import enum_column
from pressroom.organizations.enums import OrgKind


class Organization(SQLModel, table=True):
    """The Government Office, a ministry or agency, or a unit inside one (a tree)."""

    __tablename__ = "organization"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    short_name: str = Field(default="", max_length=60)
    kind: OrgKind = Field(
        sa_column=enum_column(OrgKind, "org_kind")
    )
    parent_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    # A ministry's own default time to answer, in working days (None: the setting's).
    answer_due_working_days: int | None = Field(default=None)
    # A unit's backup officer: reminders of a question another officer holds reach them too,
    # and they may take such a question over (None: nobody).
    backup_officer_id: int | None = Field(default=None, foreign_key="user_account.id")


class Membership(SQLModel, table=True):
    """Which organisation a staff account (officer, spokesperson) works for."""

    __tablename__ = "membership"

    user_id: int = Field(foreign_key="user_account.id", primary_key=True, ondelete="CASCADE")
    organization_id: int = Field(foreign_key="organization.id", index=True)


class Spokesperson(SQLModel, table=True):
    """A ministry's spokesperson; name, title, phone and e-mail are public (Decree 09/2017 Art. 3)."""

    __tablename__ = "spokesperson"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="user_account.id", unique=True)
    full_name: str = Field(max_length=200)
    title: str = Field(max_length=300)
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=254)
    is_deputy: bool = Field(default=False)
