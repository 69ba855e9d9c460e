from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from pressroom.answers.enums import AnswerState
from pressroom.core.schemas import AwareDatetime, LongText, RowVersion
from pressroom.questions.schemas import QuestionPublic


class AnswerDraft(BaseModel):
    body: LongText


class AnswerReturn(BaseModel):
    comment: LongText


class AnswerPublish(BaseModel):
    """Publish now (``publish_at`` empty) or at a set time."""

    publish_at: AwareDatetime | None = None


class AnswerCorrection(BaseModel):
    """A corrected text of a published answer, and why (the public reads the reason)."""

    body: LongText = Field(description="The corrected answer: it replaces the published text.")
    reason: LongText = Field(description="Why it was corrected; shown with the answer.")


class AnswerPublic(BaseModel):
    id: int
    question_id: int
    unit_id: int
    body: str
    state: AnswerState
    review_comment: str
    approved_at: datetime | None
    published_at: datetime | None
    version: int
    corrected_at: datetime | None
    correction_reason: str
    row_version: RowVersion


class AnswerCasePublic(BaseModel):
    """A question with its answer (if one was drafted): the officer's and reviewer's lists."""

    question: QuestionPublic
    answer: AnswerPublic | None


class CommentIn(BaseModel):
    text: LongText


class CommentPublic(BaseModel):
    id: int
    author_id: int
    author_name: str
    body: str
    is_return: bool
    created_at: datetime


class AttachmentPublic(BaseModel):
    """A file of a question's case: with a comment of the internal thread, or with the draft
    answer (``comment_id`` null)."""

    id: int
    question_id: int
    comment_id: int | None
    filename: str
    media_type: str
    size: int
    sha256: str
    published: bool = Field(description="Shown with the answer once the answer is public.")
    created_at: datetime
    download_url: str


class AttachmentShown(BaseModel):
    published: bool = Field(description="true: show the file with the published answer; "
                                         "false: take it back.")
