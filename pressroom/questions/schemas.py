from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from pressroom.core.clock import now
from pressroom.core.schemas import LongText, OptionalText, RefId, RowVersion, Text300
from pressroom.organizations.models import Organization
from pressroom.questions.enums import DeclineGround, QuestionState, ShownState
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


URGENT_HOURS_MAX = 72


HELPERS_MAX = 5


class LiveDeferral(BaseModel):
    unit_id: RefId = Field(description="The unit of the host ministry that answers in writing.")
    due_date: date | None = Field(
        default=None, description="The day the answer is due (default: the ministry's usual "
                                  "number of working days).")


class QuestionAssign(BaseModel):
    unit_id: RefId
    due_date: date | None = Field(
        default=None, description="The day the answer is due (required unless urgent).")
    urgent_hours: int | None = Field(
        default=None, ge=1, le=URGENT_HOURS_MAX,
        description="Urgent: the answer is due this many hours from now (its day is then the "
                    "due date; `due_date` is not needed and is ignored).")
    note: OptionalText = ""
    helper_unit_ids: list[RefId] = Field(
        default_factory=list, max_length=HELPERS_MAX,
        description="Units of the ministry asked for input (at most 5): they read the question "
                    "and write in its internal comments; the assigned (lead) unit drafts.")


class QuestionTransfer(BaseModel):
    to_id: RefId = Field(description="The ministry or agency whose remit it is.")
    reason: LongText = Field(description="Why; the journalist reads it.")


class HoldingReply(BaseModel):
    answer_by: date = Field(description="The day by which the answer will come (today or "
                                        "later, at most a year ahead).")
    message: LongText = Field(description="What the journalist reads: why the answer takes "
                                          "time.")


class DueExtension(BaseModel):
    extended_to: date = Field(description="The new due date: later than the current one.")
    reason: LongText = Field(description="Why the unit gets more time; the journalist reads "
                                         "it.")


class AssignmentPublic(BaseModel):
    unit_id: int
    unit_name: str
    due_date: date
    due_at: datetime | None = Field(default=None, description="Urgent: the time it is due.")
    claimed_by_id: int | None = Field(
        default=None, description="The unit's officer who took it from the unit's queue.")
    assigned_at: datetime
    extended_from: date | None = Field(
        default=None, description="Extended (once): the due date before the extension.")
    extension_reason: str = Field(default="", description="Extended: why.")


class HoldingPublic(BaseModel):
    answer_by: date
    message: str


class QuestionPublic(BaseModel):
    id: int
    title: str
    body: str
    state: ShownState = Field(
        description="`scheduled`: the answer is approved and set to be published at "
                    "`scheduled_for`; it reads `published` from then on. `overdue`: assigned, "
                    "and the unit's due date has passed. `holding`: a holding reply says "
                    "when the answer will come (`holding`), and that day has not passed. "
                    "Otherwise the question's state.")
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
    transferred_from_id: int | None = Field(
        default=None, description="Transferred: the ministry it was first addressed to.")
    transfer_reason: str = Field(default="", description="Transferred: why.")
    holding: HoldingPublic | None = Field(
        default=None, description="The latest holding reply, while the answer is prepared.")

    @classmethod
    def from_model(cls, question: Question, assignment: Assignment | None,
                   orgs: dict[int, Organization]) -> QuestionPublic:
        """``orgs`` holds at least the assignment's unit (for its name)."""
        result = cls.model_validate(question, from_attributes=True)
        result.state = question.shown_state(assignment, now())
        if result.state == "scheduled":
            result.scheduled_for = question.published_at
        if assignment is not None:
            unit = orgs.get(assignment.unit_id)
            result.assignment = AssignmentPublic(
                unit_id=assignment.unit_id, unit_name=unit.name if unit else "",
                due_date=assignment.due_date, due_at=assignment.due_at,
                claimed_by_id=assignment.claimed_by_id,
                assigned_at=assignment.assigned_at,
                extended_from=assignment.extended_from,
                extension_reason=assignment.extension_reason)
        if question.holding_until is not None and question.state in (
                QuestionState.ACCEPTED, QuestionState.ASSIGNED):
            result.holding = HoldingPublic(answer_by=question.holding_until,
                                           message=question.holding_message)
        return result
