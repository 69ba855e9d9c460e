from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from pressroom.core.clock import now
from pressroom.core.db import UTCDateTime, enum_column, version_column
from pressroom.core.i18n import local_zone
from pressroom.questions.enums import DeclineGround, QuestionState, ShownState

_question_version = version_column()


class Question(SQLModel, table=True):
    """A journalist's question, asked at a conference or in writing outside any."""

    __tablename__ = "question"
    # A new question is not public (see core/pagecache.py); a change to one may be.
    public_pages: ClassVar[str] = "once_changed"
    __table_args__ = (
        CheckConstraint(
            "(state = 'rejected') = (rejection_reason <> '')", name="rejected_has_reason"
        ),
        CheckConstraint(
            "(state = 'published') = (published_at IS NOT NULL)", name="published_has_time"
        ),
        CheckConstraint(
            "(state = 'rejected') = (decline_ground IS NOT NULL)", name="rejected_has_ground"
        ),
        CheckConstraint(
            "(state = 'merged') = (merged_into_id IS NOT NULL)", name="merged_has_target"
        ),
        # Asked here by an account, or imported with the asker's name (and no account).
        CheckConstraint(
            "asker_id IS NOT NULL OR (source_id IS NOT NULL AND asker_name <> '')",
            name="asked_by_someone",
        ),
    )

    def is_public(self, at: datetime) -> bool:
        return self.state == QuestionState.PUBLISHED and self.published_at is not None and (
            self.published_at <= at
        )

    def shown_state(self, assignment: Assignment | None, at: datetime) -> ShownState:
        """The state as people read it (pages and API alike): ``scheduled`` (its answer is
        published at a later time), ``overdue`` (its unit's answer is late: ``assignment`` is
        the current one), ``holding`` (a holding reply was sent and its date has not passed),
        else the state itself."""
        today = at.astimezone(local_zone()).date()
        if self.state == QuestionState.PUBLISHED and not self.is_public(at):
            return "scheduled"
        if (self.state == QuestionState.ASSIGNED and assignment is not None
                and assignment.is_overdue(at)):
            return "overdue"
        if (self.state in (QuestionState.ACCEPTED, QuestionState.ASSIGNED)
                and self.holding_until is not None and self.holding_until >= today):
            return "holding"
        return self.state

    id: int | None = Field(default=None, primary_key=True)
    # None: a question imported from an archive (``asker_name`` says who asked; no account).
    asker_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    asker_name: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    outlet_id: int = Field(foreign_key="outlet.id")
    conference_id: int | None = Field(default=None, foreign_key="press_conference.id", index=True)
    addressed_to_id: int = Field(foreign_key="organization.id", index=True)
    title: str = Field(max_length=300)
    body: str = Field(sa_type=Text)
    state: QuestionState = Field(
        default=QuestionState.SUBMITTED,
        sa_column=enum_column(QuestionState, "question_state", index=True),
    )
    # Declined: the ground (Press Law 2016 Art. 38, or other) and the message to the journalist.
    decline_ground: DeclineGround | None = Field(
        default=None, sa_column=enum_column(DeclineGround, "decline_ground", nullable=True))
    rejection_reason: str = Field(default="", sa_type=Text)
    # Merged into another question: that one is answered for both askers.
    merged_into_id: int | None = Field(default=None, foreign_key="question.id", index=True)
    screened_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
    # When the question and its answer become public (may be a scheduled time in the future).
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    # Asked for a conference that was cancelled: since then a written question to its host.
    moved_to_writing_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Transferred from another ministry (not its remit): from where, and why.
    transferred_from_id: int | None = Field(default=None, foreign_key="organization.id")
    transfer_reason: str = Field(default="", sa_type=Text,
                                 sa_column_kwargs={"server_default": ""})
    # The latest holding reply the journalist was sent: "we will answer by <holding_until>".
    holding_until: date | None = Field(default=None)
    holding_message: str = Field(default="", sa_type=Text,
                                 sa_column_kwargs={"server_default": ""})
    # The record's id in the archive it was imported from (``pressroom import``); None for a
    # question asked here.
    source_id: str | None = Field(default=None, max_length=200, unique=True)
    row_version: int = Field(default=1, sa_column=_question_version)

    __mapper_args__ = {"version_id_col": _question_version}  # noqa: RUF012


class QuestionTerm(SQLModel, table=True):
    """One distinctive term of a question's title and text (questions/similarity.terms): the
    inverted index that finds candidate duplicates among many questions in a few lookups."""

    __tablename__ = "question_term"
    public_pages: ClassVar[str] = "never"  # see core/pagecache.py

    term: str = Field(primary_key=True, max_length=100)
    question_id: int = Field(primary_key=True, foreign_key="question.id", ondelete="CASCADE",
                             index=True)


class CalendarDay(SQLModel, table=True):
    """The press office's change to the working-day calendar: an extra day off (``working``
    false) or a Saturday worked in exchange for a bridge day (``working`` true)."""

    __tablename__ = "calendar_day"
    public_pages: ClassVar[str] = "never"  # see core/pagecache.py

    day: date = Field(primary_key=True)
    working: bool
    note: str = Field(max_length=200)


class Assignment(SQLModel, table=True):
    """A question handed to a unit with a due date; the newest row is the current one."""

    __tablename__ = "assignment"

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="question.id", index=True, ondelete="CASCADE")
    unit_id: int = Field(foreign_key="organization.id", index=True)
    due_date: date
    # Urgent: due at this time (hours after the assignment); due_date is then its day.
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    note: str = Field(default="", sa_type=Text)
    # The unit's officer who took it from the unit's queue (None: anyone of the unit).
    claimed_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    # Extended once (per question) by the spokesperson: the due date before, and why.
    extended_from: date | None = Field(default=None)
    extension_reason: str = Field(default="", sa_type=Text,
                                  sa_column_kwargs={"server_default": ""})
    assigned_by_id: int = Field(foreign_key="user_account.id")
    assigned_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)

    @property
    def due(self) -> date | datetime:
        """When the answer is due: a time for an urgent assignment, else a day."""
        return self.due_at or self.due_date

    def is_overdue(self, at: datetime) -> bool:
        """Past its due time (urgent), or past its due day in Hà Nội."""
        if self.due_at is not None:
            return self.due_at < at
        return self.due_date < at.astimezone(local_zone()).date()


class AssignmentHelper(SQLModel, table=True):
    """A unit asked to give input to an assignment: it reads the question and writes in its
    internal thread; the assignment's own (lead) unit drafts the answer."""

    __tablename__ = "assignment_helper"
    __table_args__ = (UniqueConstraint("assignment_id", "unit_id"),)
    public_pages: ClassVar[str] = "never"  # see core/pagecache.py

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True, ondelete="CASCADE")
    unit_id: int = Field(foreign_key="organization.id", index=True)
