from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from pressroom.answers.enums import AnswerState
from pressroom.core.clock import now
from pressroom.core.db import UTCDateTime, enum_column, version_column

_answer_version = version_column()


class Answer(SQLModel, table=True):
    """The official answer to a question, drafted by a unit and approved by a spokesperson."""

    __tablename__ = "answer"
    __table_args__ = (
        CheckConstraint(
            "(state = 'approved') = (approved_by_id IS NOT NULL AND approved_at IS NOT NULL)",
            name="approved_has_approver",
        ),
        CheckConstraint(
            "published_at IS NULL OR state = 'approved'", name="published_only_when_approved"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="question.id", unique=True, ondelete="CASCADE")
    unit_id: int = Field(foreign_key="organization.id", index=True)
    body: str = Field(sa_type=Text)
    state: AnswerState = Field(
        default=AnswerState.DRAFT, sa_column=enum_column(AnswerState, "answer_state", index=True)
    )
    drafted_by_id: int = Field(foreign_key="user_account.id")
    review_comment: str = Field(default="", sa_type=Text)
    approved_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    version: int = Field(default=1)  # 1 as published; each correction adds one
    corrected_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # this version's
    correction_reason: str = Field(default="", sa_type=Text)  # why this version replaced the last
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
    row_version: int = Field(default=1, sa_column=_answer_version)

    __mapper_args__ = {"version_id_col": _answer_version}  # noqa: RUF012


class AnswerVersion(SQLModel, table=True):
    """An earlier published text of an answer, kept when a correction replaced it: the
    original is never lost. The current text is the answer's own row."""

    __tablename__ = "answer_version"
    __table_args__ = (UniqueConstraint("answer_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    answer_id: int = Field(foreign_key="answer.id", index=True, ondelete="CASCADE")
    version: int
    body: str = Field(sa_type=Text)
    published_at: datetime = Field(sa_type=UTCDateTime)  # when this text became public
    correction_reason: str = Field(default="", sa_type=Text)  # "" for the original
    superseded_at: datetime = Field(sa_type=UTCDateTime)  # when a correction replaced it


class Comment(SQLModel, table=True):
    """A message in a question's internal thread: between the press office and the unit,
    never shown to the journalist or the public. A returned answer's comment is one too."""

    __tablename__ = "question_comment"
    public_pages: ClassVar[str] = "never"  # see core/pagecache.py

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="question.id", index=True, ondelete="CASCADE")
    author_id: int = Field(foreign_key="user_account.id")
    body: str = Field(sa_type=Text)
    is_return: bool = Field(default=False)  # written when returning the answer
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)


class Attachment(SQLModel, table=True):
    """A file posted with an internal comment or the draft answer (staff of the case only),
    which the spokesperson may publish with the answer. The bytes are in storage (outside the web
    root) under their SHA-256."""

    __tablename__ = "attachment"
    # A new one is never public; publishing one with the answer changes a public page.
    public_pages: ClassVar[str] = "once_changed"

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="question.id", index=True, ondelete="CASCADE")
    # The comment it came with; None: attached to the draft answer.
    comment_id: int | None = Field(default=None, foreign_key="question_comment.id", index=True,
                                   ondelete="CASCADE")
    filename: str = Field(max_length=200)
    media_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    path: str = Field(max_length=200)
    uploaded_by_id: int = Field(foreign_key="user_account.id")
    published: bool = Field(default=False)  # shown with the published answer
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
