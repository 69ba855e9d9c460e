from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from pressroom.core.schemas import LongText, OptionalText, RefId, Text300
from pressroom.questions.enums import QuestionState


class QuestionCreate(BaseModel):
    title: Text300
    body: LongText
    conference_id: RefId | None = None
    addressed_to_id: RefId | None = None


class QuestionReject(BaseModel):
    reason: LongText


class QuestionAssign(BaseModel):
    unit_id: RefId
    due_date: date
    note: OptionalText = ""


class AssignmentPublic(BaseModel):
    unit_id: int
    unit_name: str
    due_date: date
    assigned_at: datetime


class QuestionPublic(BaseModel):
    id: int
    title: str
    body: str
    state: QuestionState
    conference_id: int | None
    addressed_to_id: int
    rejection_reason: str
    created_at: datetime
    assignment: AssignmentPublic | None = None
