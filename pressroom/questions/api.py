"""JSON API of questions under /api/v1: a journalist's questions, and the spokesperson's
screening (accept, decline, assign to a unit). Same services and scoping as the pages."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request, Response, Security
from fastapi.security import HTTPBearer
from sqlmodel import Session

from pressroom.accounts.models import User
from pressroom.accounts.schemas import ErrorPublic
from pressroom.conferences.queries import managed_live_question
from pressroom.core import idempotency
from pressroom.core.db import check_version
from pressroom.core.deps import DbId, IdempotencyKey, IfMatch, SessionDep, claim_once, etag, require
from pressroom.core.errors import NotFound
from pressroom.core.i18n import gettext as _
from pressroom.organizations.models import Organization
from pressroom.organizations.queries import all_organizations, scope_of
from pressroom.questions import service
from pressroom.questions.enums import QuestionState
from pressroom.questions.models import Question
from pressroom.questions.permissions import can_screen
from pressroom.questions.queries import (
    by_urgency,
    current_assignment,
    current_assignments,
    due_window,
    question_visible_to,
    questions_of_journalist,
    screening_queue,
)
from pressroom.questions.schemas import (
    DueExtension,
    HoldingReply,
    LiveDeferral,
    QuestionAssign,
    QuestionCreate,
    QuestionEdit,
    QuestionMerge,
    QuestionPublic,
    QuestionReject,
    QuestionTransfer,
)

router = APIRouter(tags=["questions"], dependencies=[Security(HTTPBearer(auto_error=False))])
Journalist = Annotated[User, require("questions.own")]
Asker = Annotated[User, require("questions.submit")]
Screener = Annotated[User, require("questions.screen")]

Responses = dict[int | str, dict[str, Any]]
AUTH: Responses = {
    401: {"model": ErrorPublic, "description": "No valid bearer token"},
    403: {"model": ErrorPublic, "description": "Your role does not allow this"},
}
FOUND: Responses = {**AUTH, 404: {"model": ErrorPublic, "description": "Unknown question, "
                                                                    "or not yours to see"}}
CHANGE: Responses = {
    **FOUND,
    409: {"model": ErrorPublic,
          "description": "Not possible in the question's current state, or changed by someone "
                         "else at the same time"},
    412: {"description": "If-Match names an older version: someone changed it since you read "
                         "it (`current_version` and the ETag give the new one)"},
}
INPUT: Responses = {
    422: {"description": "Invalid body (`detail` lists the errors) or rejected values "
                         "(`detail` is a message and `errors` has one message per field)"},
}


def _many(session: Session, questions: list[Question]) -> list[QuestionPublic]:
    """In a constant number of queries, however long the list."""
    assignments = current_assignments(session, [q.id or 0 for q in questions])
    orgs = {org.id or 0: org for org in all_organizations(session)}
    return [QuestionPublic.from_model(q, assignments.get(q.id or 0), orgs) for q in questions]


def _one(session: Session, question: Question) -> QuestionPublic:
    # Before assignment (a question just sent or screened) there is none to look up.
    unassigned = question.state in (QuestionState.SUBMITTED, QuestionState.ACCEPTED,
                                    QuestionState.REJECTED, QuestionState.MERGED)
    assignment = None if unassigned else current_assignment(session, question.id or 0)
    unit = session.get(Organization, assignment.unit_id) if assignment else None
    return QuestionPublic.from_model(question, assignment, {unit.id or 0: unit} if unit else {})


# --- journalist -------------------------------------------------------------------------

@router.post("/questions", status_code=201, response_model=QuestionPublic,
             responses={**AUTH, **INPUT}, summary="Send a question")
def submit(request: Request, session: SessionDep, user: Asker, body: QuestionCreate,
           key: IdempotencyKey = None) -> Any:
    """A question for an announced conference that has not ended (addressed to its host
    unless `addressed_to_id` names a participant), or a written question to a ministry or
    agency (`addressed_to_id` required). Sending the same question again within ten minutes
    returns the first one instead of a copy; with an `Idempotency-Key`, a repeat returns the
    first response whenever it comes (within 24 hours)."""
    replay, slot = claim_once(request, session, user, key, body.model_dump(mode="json"))
    if replay is not None:
        return replay
    question = service.submit_question(session, actor=user, data=body)
    result = _one(session, question)
    idempotency.settle(session, slot, status=201, body=result.model_dump(mode="json"))
    session.commit()
    return result


@router.get("/my/questions", response_model=list[QuestionPublic], responses=AUTH,
            summary="Your questions")
def mine(session: SessionDep, user: Journalist) -> list[QuestionPublic]:
    """Every question you sent, latest first, with its state and current assignment."""
    return _many(session, questions_of_journalist(session, user))


def _mine(session: Session, user: User, question_id: int) -> Question:
    question = question_visible_to(session, user, question_id)
    if question.asker_id != user.id:
        raise NotFound(_("Question not found."))
    return question


@router.get("/my/questions/{question_id}", response_model=QuestionPublic, responses=FOUND,
            summary="One of your questions (with its ETag)")
def my_question(response: Response, session: SessionDep, user: Journalist,
                question_id: DbId) -> QuestionPublic:
    """One question you sent; another journalist's question is not found. Its `ETag` goes
    back as `If-Match` when you edit or withdraw it."""
    question = _mine(session, user, question_id)
    etag(response, question.row_version)
    return _one(session, question)


@router.put("/my/questions/{question_id}", response_model=QuestionPublic,
            responses={**CHANGE, **INPUT}, summary="Edit your question before it is screened")
def edit(response: Response, session: SessionDep, user: Journalist, question_id: DbId,
         body: QuestionEdit, if_match: IfMatch) -> QuestionPublic:
    """Replaces the title and text while the question is `submitted` (not yet screened)."""
    question = _mine(session, user, question_id)
    check_version(question, if_match)
    service.edit_question(session, actor=user, question=question, data=body)
    return _changed(response, session, question)


@router.post("/my/questions/{question_id}/withdraw", response_model=QuestionPublic,
             responses=CHANGE, summary="Withdraw your question")
def withdraw(response: Response, session: SessionDep, user: Journalist, question_id: DbId,
             if_match: IfMatch) -> QuestionPublic:
    """→ withdrawn, until the question is answered (approved); after that it cannot be."""
    question = _mine(session, user, question_id)
    check_version(question, if_match)
    service.withdraw_question(session, actor=user, question=question)
    return _changed(response, session, question)


# --- spokesperson -----------------------------------------------------------------------

def screened(session: Session, user: User, question_id: DbId) -> Question:
    """A question the spokesperson screens (addressed to their organisation or below);
    NotFound otherwise, so that its existence is not revealed."""
    question = session.get(Question, question_id)
    if question is None or not can_screen(user, question, scope_of(session, user.id or 0)):
        raise NotFound(_("Question not found."))
    return question


@router.get("/staff/questions", response_model=list[QuestionPublic], responses=AUTH,
            summary="Questions addressed to your organisation")
def screening(session: SessionDep, user: Screener, state: QuestionState | None = None,
              due: Literal["overdue", "soon"] | None = None) -> list[QuestionPublic]:
    """Questions addressed to your organisation or below, in the order they need doing:
    overdue first, then due soonest, then the rest newest first; `?state=submitted` gives
    those waiting to be screened, `?due=overdue` those past their unit's due date and
    `?due=soon` those due within 2 working days (both: still being answered)."""
    found = screening_queue(session, user, [state] if state else None)
    assignments = current_assignments(session, [q.id or 0 for q in found])
    return _many(session, by_urgency(found, assignments, due_window(session), due or ""))


@router.get("/staff/questions/{question_id}", response_model=QuestionPublic, responses=FOUND,
            summary="One question addressed to your organisation (with its ETag)")
def staff_question(response: Response, session: SessionDep, user: Screener,
                   question_id: DbId) -> QuestionPublic:
    """The question as you may screen or assign it; its `ETag` (the row version) goes back
    as `If-Match` on a change so that a change made meanwhile is never overwritten."""
    question = screened(session, user, question_id)
    etag(response, question.row_version)
    return _one(session, question)


def _changed(response: Response, session: Session, question: Question) -> QuestionPublic:
    result = _one(session, question)
    session.commit()
    etag(response, question.row_version)
    return result


@router.post("/questions/{question_id}/accept", response_model=QuestionPublic,
             responses=CHANGE, summary="Accept a submitted question")
def accept(response: Response, session: SessionDep, user: Screener, question_id: DbId,
           if_match: IfMatch) -> QuestionPublic:
    """submitted → accepted; assign it to a unit next."""
    question = screened(session, user, question_id)
    check_version(question, if_match)
    service.accept_question(session, actor=user, question=question)
    return _changed(response, session, question)


@router.post("/questions/{question_id}/reject", response_model=QuestionPublic,
             responses={**CHANGE, **INPUT}, summary="Decline a submitted question")
def reject(response: Response, session: SessionDep, user: Screener, question_id: DbId,
           body: QuestionReject, if_match: IfMatch) -> QuestionPublic:
    """submitted → rejected, on a ground (Press Law 2016 Art. 38, or `other`) with a message
    the journalist reads. `outside_remit` and `duplicate` are refused (422): transfer or
    merge such a question instead."""
    question = screened(session, user, question_id)
    check_version(question, if_match)
    service.reject_question(session, actor=user, question=question, data=body)
    return _changed(response, session, question)


@router.post("/questions/{question_id}/merge", response_model=QuestionPublic,
             responses={**CHANGE, **INPUT}, summary="Merge a question into another")
def merge(response: Response, session: SessionDep, user: Screener, question_id: DbId,
          body: QuestionMerge, if_match: IfMatch) -> QuestionPublic:
    """submitted or accepted → merged into `into_id` (a question of the same ministry, open
    or answered), which is answered for both: each asker receives that answer."""
    question = screened(session, user, question_id)
    check_version(question, if_match)
    service.merge_question(session, actor=user, question=question, data=body)
    return _changed(response, session, question)


@router.post("/questions/{question_id}/assign", response_model=QuestionPublic,
             responses={**CHANGE, **INPUT}, summary="Assign a question to a unit")
def assign(request: Request, response: Response, session: SessionDep, user: Screener,
           question_id: DbId, body: QuestionAssign, if_match: IfMatch,
           key: IdempotencyKey = None) -> Any:
    """accepted → assigned (or re-assigns an assigned question) to a unit of the addressed
    ministry, with a due date not before today."""
    question = screened(session, user, question_id)
    replay, slot = claim_once(request, session, user, key, body.model_dump(mode="json"))
    if replay is not None:
        return replay
    check_version(question, if_match)
    service.assign_question(session, actor=user, question=question, data=body)
    idempotency.settle(session, slot, status=200,
                       body=_one(session, question).model_dump(mode="json"))
    return _changed(response, session, question)


@router.post("/live-questions/{question_id}/defer", status_code=201,
             response_model=QuestionPublic, responses={**CHANGE, **INPUT},
             summary="Answer a live question in writing")
def defer_live(response: Response, session: SessionDep, user: Screener, question_id: DbId,
               body: LiveDeferral, if_match: IfMatch) -> QuestionPublic:
    """A live question of a conference you manage (waiting, in the queue or on screen)
    becomes a written question of the host ministry, asked by the same journalist, accepted
    and assigned to `unit_id`; the live question reads "to be answered in writing" and links
    to it (`question_id`). `If-Match` is the live question's `row_version`."""
    live = managed_live_question(session, user, question_id)
    check_version(live, if_match)
    question = service.defer_live_question(session, actor=user, live=live, unit_id=body.unit_id,
                                           due_date=body.due_date)
    return _changed(response, session, question)


@router.post("/questions/{question_id}/holding-reply", response_model=QuestionPublic,
             responses={**CHANGE, **INPUT}, summary="Send the journalist a holding reply")
def holding_reply(response: Response, session: SessionDep, user: Screener, question_id: DbId,
                  body: HoldingReply, if_match: IfMatch) -> QuestionPublic:
    """While an accepted or assigned question is being answered: tells its journalist (and
    those whose questions were merged into it) by when the answer will come and why it takes
    time. The question then reads `holding` until that day (`overdue` wins once the unit's
    due date has passed)."""
    question = screened(session, user, question_id)
    check_version(question, if_match)
    service.send_holding_reply(session, actor=user, question=question, data=body)
    return _changed(response, session, question)


@router.post("/questions/{question_id}/extension", response_model=QuestionPublic,
             responses={**CHANGE, **INPUT}, summary="Extend the unit's due date (once)")
def extension(response: Response, session: SessionDep, user: Screener, question_id: DbId,
              body: DueExtension, if_match: IfMatch) -> QuestionPublic:
    """Moves an assigned question's due date later, once per question, with a reason its
    journalist reads; a second extension is refused (409)."""
    question = screened(session, user, question_id)
    check_version(question, if_match)
    service.extend_due_date(session, actor=user, question=question, data=body)
    return _changed(response, session, question)


@router.post("/questions/{question_id}/transfer", response_model=QuestionPublic,
             responses={**CHANGE, **INPUT},
             summary="Transfer a question to another ministry or agency")
def transfer(response: Response, session: SessionDep, user: Screener, question_id: DbId,
             body: QuestionTransfer, if_match: IfMatch) -> QuestionPublic:
    """submitted or accepted → submitted to `to_id` (another ministry or agency, whose
    remit it is), with a reason its journalist reads; that body screens it afresh. The
    answer shows the question as the other body has it (you may no longer read it after)."""
    question = screened(session, user, question_id)
    check_version(question, if_match)
    service.transfer_question(session, actor=user, question=question, data=body)
    return _changed(response, session, question)
