from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from pressroom.conferences.enums import AccreditationStatus, ConferenceStatus, LiveQuestionStatus
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
    # The recording, saved with the transcript: its time codes link into it.
    recording_url: str = Field(default="", max_length=500)
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
    # Journalists accredited at most (None: no limit).
    capacity: int | None = Field(default=None)
    # iCalendar SEQUENCE: raised whenever its time changes or it is cancelled, so that
    # calendars that imported it take the change.
    schedule_sequence: int = Field(default=0)
    # When the press office went live and ended it (a conference recorded as held after the
    # fact has neither).
    live_started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    live_ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
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


_accreditation_version = version_column()


class Accreditation(SQLModel, table=True):
    """A journalist's registration to attend a conference, and the press office's decision."""

    __tablename__ = "accreditation"
    __table_args__ = (UniqueConstraint("conference_id", "journalist_id"),)

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="press_conference.id", index=True, ondelete="CASCADE")
    journalist_id: int = Field(foreign_key="user_account.id", index=True)
    status: AccreditationStatus = Field(
        default=AccreditationStatus.PENDING,
        sa_column=enum_column(AccreditationStatus, "accreditation_status"),
    )
    requested_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # None with a decision: approved automatically (the outlet is on the host's list).
    decided_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    reason: str = Field(default="", sa_type=Text)
    row_version: int = Field(default=1, sa_column=_accreditation_version)

    __mapper_args__ = {"version_id_col": _accreditation_version}  # noqa: RUF012


class TrustedOutlet(SQLModel, table=True):
    """An outlet whose journalists a ministry's press office accredits automatically."""

    __tablename__ = "trusted_outlet"

    organization_id: int = Field(foreign_key="organization.id", primary_key=True)
    outlet_id: int = Field(foreign_key="outlet.id", primary_key=True)
    added_by_id: int = Field(foreign_key="user_account.id")
    added_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)


_live_version = version_column()


class LiveQuestion(SQLModel, table=True):
    """A question an accredited journalist sends while the conference is live; the moderator
    approves, orders, puts it on screen, marks it answered, defers it to writing or declines
    it."""

    __tablename__ = "live_question"
    __table_args__ = (Index("ix_live_question_conference_id_status", "conference_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="press_conference.id", ondelete="CASCADE")
    journalist_id: int = Field(foreign_key="user_account.id", index=True)
    body: str = Field(sa_type=Text)
    status: LiveQuestionStatus = Field(
        default=LiveQuestionStatus.PENDING,
        sa_column=enum_column(LiveQuestionStatus, "live_question_status"),
    )
    # The moderator's order of the queue (smaller first); new questions go last.
    position: int = Field(default=0)
    highlighted: bool = Field(default=False)
    votes: int = Field(default=0)
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
    moderated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The written question it became when deferred (the questions domain sits above).
    question_id: int | None = Field(default=None, foreign_key="question.id", ondelete="SET NULL")
    row_version: int = Field(default=1, sa_column=_live_version)

    __mapper_args__ = {"version_id_col": _live_version}  # noqa: RUF012


class LiveVote(SQLModel, table=True):
    """One journalist's vote for a live question (one each)."""

    __tablename__ = "live_vote"

    live_question_id: int = Field(foreign_key="live_question.id", primary_key=True,
                                  ondelete="CASCADE")
    journalist_id: int = Field(foreign_key="user_account.id", primary_key=True)
