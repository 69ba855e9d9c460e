"""Output models of the public API: published answers and public conferences."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from pressroom.conferences.schemas import ConferencePublic, TurnPublic


class AnswerDocumentPublic(BaseModel):
    """A published official answer with the question it answers (``documents.AnswerDocument``)
    and where its PDF is served."""

    answer_id: int
    question_id: int
    question_title: str
    question_text: str
    asker_name: str
    outlet_name: str
    conference_id: int | None
    conference_title: str | None
    asked_at: datetime
    unit_name: str
    ministry_name: str
    answer_text: str
    approver_name: str
    approver_title: str
    approved_at: datetime
    published_at: datetime
    version: int
    pdf_url: str


class PublicTurn(TurnPublic):
    """A transcript turn; ``question_id`` and ``question_title`` only name a published question."""

    question_title: str | None


class ConferenceDetailPublic(ConferencePublic):
    """A public conference with its published transcript (if any) and published answers."""

    transcript_turns: list[PublicTurn]
    transcript_pdf_url: str | None
    answers: list[AnswerDocumentPublic]
