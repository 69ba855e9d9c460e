from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from pressroom.core.clock import now
from pressroom.core.schemas import LongText, OptionalText, RefId, RowVersion, Text300
from pressroom.organizations.models import Organization
from pressroom.questions.enums import DeclineGround, QuestionState
from pressroom.questions.models import Assignment, Question


class QuestionCreate(BaseModel):
    title: Text300
    body: LongText
    conference_id: RefId | None = None
    addressed_to_id: RefId | None = None


class QuestionEdit(BaseModel):
    title: Text300
    body: LongText


class QuestionReject(BaseModel):
    ground: DeclineGround = Field(description="Press Law 2016 Art. 38 grounds, or `other`; "
                                              "`outside_remit` and `duplicate` are refused: "
                                              "transfer or merge the question instead.")
    message: LongText = Field(description="What the journalist reads: the ground explained.")


class CalendarDayIn(BaseModel):
    day: date
    working: bool = Field(description="true: a make-up working day (a Saturday worked); "
                                      "false: an extra day off.")
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                           max_length=200)]


class AnswerDueDays(BaseModel):
    days: int | None = Field(default=None, ge=1, le=60,
                             description="Working days a unit of this ministry has to answer; "
                                         "none: the setting's default.")


class QuestionMerge(BaseModel):
    into_id: RefId = Field(description="The question (same ministry) answered for both.")


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
    state: QuestionState | Literal["scheduled"] = Field(
        description="`scheduled`: the answer is approved and set to be published at "
                    "`scheduled_for`; it reads `published` from then on.")
    scheduled_for: datetime | None = None
    conference_id: int | None
    addressed_to_id: int
    decline_ground: DeclineGround | None = Field(
        default=None, description="Declined: the ground (Press Law 2016 Art. 38, or `other`).")
    rejection_reason: str = Field(description="Declined: the message to the journalist.")
    merged_into_id: int | None = Field(
        default=None, description="Merged: the question answered for both (its answer is this "
                                  "question's answer).")
    created_at: datetime
    moved_to_writing_at: datetime | None = Field(
        default=None, description="Asked for a conference that was cancelled: since then a "
                                  "written question.")
    row_version: RowVersion
    assignment: AssignmentPublic | None = None

    @classmethod
    def from_model(cls, question: Question, assignment: Assignment | None,
                   orgs: dict[int, Organization]) -> QuestionPublic:
        """``orgs`` holds at least the assignment's unit (for its name)."""
        result = cls.model_validate(question, from_attributes=True)
        if question.state == QuestionState.PUBLISHED and not question.is_public(now()):
            result.state, result.scheduled_for = "scheduled", question.published_at
        if assignment is not None:
            unit = orgs.get(assignment.unit_id)
            result.assignment = AssignmentPublic(
                unit_id=assignment.unit_id, unit_name=unit.name if unit else "",
                due_date=assignment.due_date, assigned_at=assignment.assigned_at)
        return result
