from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from pressroom.conferences.enums import ConferenceStatus
from pressroom.core.clock import now
from pressroom.core.db import UTCDateTime, enum_column, version_column

_conference_version = version_column()


class PressConference(SQLModel, table=True):
    __tablename__ = "press_conference"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=300)
    host_organization_id: int = Field(foreign_key="organization.id", index=True)
    starts_at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)
    ends_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    venue: str = Field(max_length=300)
    livestream_url: str = Field(default="", max_length=500)
    description: str = Field(default="", sa_type=Text)
    status: ConferenceStatus = Field(
        default=ConferenceStatus.DRAFT, sa_column=enum_column(ConferenceStatus, "conference_status")
    )
    created_by_id: int = Field(foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
    transcript_published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Set when first announced: a cancelled conference that was public stays public.
    announced_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Why it was cancelled or postponed (shown on its public page), and its first start time.
    status_reason: str = Field(default="", sa_type=Text)
    postponed_from: datetime | None = Field(default=None, sa_type=UTCDateTime)
    transcript_version: int = Field(default=0)
    row_version: int = Field(default=1, sa_column=_conference_version)

    __mapper_args__ = {"version_id_col": _conference_version}  # noqa: RUF012


class ConferenceParticipant(SQLModel, table=True):
    """A ministry or agency taking part in a conference (thành phần tham dự)."""

    __tablename__ = "conference_participant"

    conference_id: int = Field(
        foreign_key="press_conference.id", primary_key=True, ondelete="CASCADE"
    )
    organization_id: int = Field(foreign_key="organization.id", primary_key=True)


class TranscriptTurn(SQLModel, table=True):
    """One speaker's turn in a conference transcript, in order."""

    __tablename__ = "transcript_turn"
    __table_args__ = (UniqueConstraint("conference_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="press_conference.id", ondelete="CASCADE")
    position: int
    speaker_name: str = Field(max_length=200)
    speaker_role: str = Field(default="", max_length=300)
    text: str = Field(sa_type=Text)
    offset_seconds: int | None = Field(default=None)
    question_id: int | None = Field(
        default=None, foreign_key="question.id", index=True, ondelete="SET NULL"
    )
