from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import BigInteger, CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from pressroom.core.clock import now
from pressroom.core.db import UTCDateTime, enum_column
from pressroom.reach.enums import ReachKind


class ReachDay(SQLModel, table=True):
    """How often one public thing was read on one day (the local date): page views and PDF
    downloads. Counters only: nothing about the visitor (no address, no cookie, no agent)."""

    __tablename__ = "reach_day"
    __table_args__ = (
        UniqueConstraint("kind", "object_id", "day"),
        CheckConstraint("views >= 0 AND downloads >= 0", name="counts_not_negative"),
    )
    public_pages: ClassVar[str] = "never"  # see core/pagecache.py: no public page shows it

    id: int | None = Field(default=None, primary_key=True)
    kind: ReachKind = Field(sa_column=enum_column(ReachKind, "reach_kind"))
    object_id: int
    day: date = Field(index=True)
    views: int = Field(default=0)
    downloads: int = Field(default=0)


class ReachLogImport(SQLModel, table=True):
    """A proxy access log read by ``pressroom reach import-log``: what it added, and enough to
    know the same file (or the part of a growing file already read) when it comes again."""

    __tablename__ = "reach_log_import"
    public_pages: ClassVar[str] = "never"

    id: int | None = Field(default=None, primary_key=True)
    first_line_sha256: str = Field(max_length=64, index=True)
    # The bytes read (whole lines only): the file's first ``size`` bytes hash to ``sha256``.
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    sha256: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    lines: int
    views: int
    downloads: int
    imported_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
