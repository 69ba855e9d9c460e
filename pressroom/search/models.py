from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from pressroom.core.db import UTCDateTime


class SearchEntry(SQLModel, table=True):
    """One searchable public thing: a published answer (with its question), a conference, a
    turn of a published transcript. What is shown (title, text, address) and what is matched
    (the token streams of search.analysis) side by side; the full-text index over the
    streams is SQLite's FTS5 table ``search_fts`` or PostgreSQL's GIN indexes (see
    search.index), kept in step by the database itself."""

    __tablename__ = "search_entry"
    __table_args__ = (UniqueConstraint("kind", "ref_id"),
                      Index("ix_search_entry_visible", "published_at"))

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # answer, conference, transcript
    ref_id: int
    url: str = Field(max_length=300)
    title: str = Field(sa_type=Text)
    body: str = Field(sa_type=Text)
    # Shown with the result: the speaker of a turn, the asker of a question.
    context: str = Field(default="", sa_type=Text)
    organization_id: int | None = Field(default=None, index=True)
    year: int
    # Found from this time on (an answer scheduled for later is not found before).
    published_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    # The record's id in the archive it was imported from, if any.
    source_id: str = Field(default="", max_length=200)
    title_exact: str = Field(default="", sa_type=Text)
    title_folded: str = Field(default="", sa_type=Text)
    body_exact: str = Field(default="", sa_type=Text)
    body_folded: str = Field(default="", sa_type=Text)
