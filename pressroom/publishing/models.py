from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from pressroom.core.clock import now
from pressroom.core.db import UTCDateTime, enum_column
from pressroom.publishing.enums import PdfKind


class StoredPdf(SQLModel, table=True):
    """A PDF rendered once at publication: what it renders, which version, its bytes' hash."""

    __tablename__ = "stored_pdf"
    __table_args__ = (UniqueConstraint("kind", "object_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: PdfKind = Field(sa_column=enum_column(PdfKind, "pdf_kind"))
    object_id: int
    version: int
    sha256: str = Field(max_length=64)
    path: str = Field(max_length=300)
    size: int
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
