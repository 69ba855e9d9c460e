"""JSON API of answers under /api/v1: the focal officer drafts and submits, the spokesperson
approves, returns or publishes. Same services and scoping as the case pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Request, Response, Security, UploadFile
from fastapi.responses import FileResponse
from fastapi.security import HTTPBearer
from sqlmodel import Session

from pressroom.accounts.models import User
from pressroom.accounts.queries import users_by_id
from pressroom.accounts.schemas import ErrorPublic
from pressroom.answers import files, service
from pressroom.answers.enums import AnswerState
from pressroom.answers.models import Answer, Attachment
from pressroom.answers.permissions import can_review
from pressroom.answers.queries import (
    answer_for_question,
    answers_for_questions,
    attachments_of,
    comments_of,
    downloadable,
    for_review,
    may_comment,
)
from pressroom.answers.schemas import (
    AnswerCasePublic,
    AnswerCorrection,
    AnswerDraft,
    AnswerPublic,
    AnswerPublish,
    AnswerReturn,
    AttachmentPublic,
    AttachmentShown,
    CommentIn,
    CommentPublic,
)
from pressroom.core.bodyguard import allow_larger
from pressroom.core.db import check_version
from pressroom.core.deps import DbId, IfMatch, SessionDep, download, etag, public, require
from pressroom.core.errors import NotFound, ValidationFailed
from pressroom.core.formtools import validate
from pressroom.core.i18n import gettext as _
from pressroom.organizations.queries import all_organizations, scope_of
from pressroom.questions.models import Assignment, Question
from pressroom.questions.queries import (
    assigned_to_officer,
    current_assignments,
    helped_by_officer,
    question_visible_to,
)
from pressroom.questions.schemas import QuestionPublic

router = APIRouter(tags=["answers"], dependencies=[Security(HTTPBearer(auto_error=False))])
Viewer = Annotated[User, require("assignments.view")]
Officer = Annotated[User, require("answers.draft")]
Reviewer = Annotated[User, require("answers.review")]

Responses = dict[int | str, dict[str, Any]]
AUTH: Responses = {
    401: {"model": ErrorPublic, "description": "No valid bearer token"},
    403: {"model": ErrorPublic, "description": "Your role does not allow this, or the "
                                               "question is not assigned to your unit"},
}
CHANGE: Responses = {
    **AUTH,
    404: {"model": ErrorPublic, "description": "Unknown question, not yours to handle, or "
                                               "without an answer yet"},
    409: {"model": ErrorPublic,
          "description": "Not possible in the answer's current state, or changed by someone "
                         "else at the same time"},
    412: {"description": "If-Match names an older version: someone changed it since you read "
                         "it (`current_version` and the ETag give the new one)"},
}
FOUND: Responses = {**AUTH, 404: {"model": ErrorPublic,
                                   "description": "Unknown question, or not your case"}}
INPUT: Responses = {
    422: {"description": "Invalid body (`detail` lists the errors) or rejected values "
                         "(`detail` is a message and `errors` has one message per field)"},
}


def _answer_public(answer: Answer) -> AnswerPublic:
    return AnswerPublic.model_validate(answer, from_attributes=True)


def _cases(session: Session, rows: Sequence[tuple[Question, Assignment | None]],
           answers: dict[int, Answer]) -> list[AnswerCasePublic]:
    orgs = {org.id or 0: org for org in all_organizations(session)}
    return [
        AnswerCasePublic(
            question=QuestionPublic.from_model(question, assignment, orgs),
            answer=_answer_public(answers[question.id or 0])
            if question.id in answers else None,
        )
        for question, assignment in rows
    ]


def _answer_of(session: Session, question: Question) -> Answer:
    answer = answer_for_question(session, question.id or 0)
    if answer is None:
        raise NotFound(_("This question has no answer yet."))
    return answer


# --- focal officer ----------------------------------------------------------------------

@router.get("/unit/assignments", response_model=list[AnswerCasePublic], responses=AUTH,
            summary="Questions assigned to your unit")
def assignments(session: SessionDep, user: Viewer) -> list[AnswerCasePublic]:
    """Questions currently assigned to your unit (or below it), earliest due date first, with
    the answer drafted so far."""
    rows = assigned_to_officer(session, user)
    answers = answers_for_questions(session, [q.id or 0 for q, _a in rows])
    return _cases(session, rows, answers)


@router.get("/unit/input-requests", response_model=list[AnswerCasePublic], responses=AUTH,
            summary="Questions another unit answers with your unit's input")
def input_requests(session: SessionDep, user: Viewer) -> list[AnswerCasePublic]:
    """Open questions whose lead unit asked your unit (or one below it) for input, earliest due
    date first: give it in the question's internal comments (`/questions/{id}/comments`)."""
    rows = helped_by_officer(session, user)
    return _cases(session, rows, answers_for_questions(session, [q.id or 0 for q, _a in rows]))


def _officer_question(session: Session, user: User, question_id: DbId) -> Question:
    # As on the officer's page: a question assigned to another unit is not found.
    return question_visible_to(session, user, question_id)


@router.post("/unit/questions/{question_id}/claim", status_code=204,
             responses={**CHANGE, 204: {"description": "You handle the question now"}},
             summary="Take an assigned question from your unit's queue")
def claim(session: SessionDep, user: Officer, question_id: DbId) -> Response:
    """You handle the question: your colleagues see it, and its reminders come to you. 409
    when another officer of the unit handles it already."""
    service.claim_question(session, actor=user, question=_officer_question(session, user,
                                                                            question_id))
    session.commit()
    return Response(status_code=204)


@router.post("/unit/questions/{question_id}/release", status_code=204,
             responses={**CHANGE, 204: {"description": "Back in the unit's queue"}},
             summary="Give a question you handle back to your unit's queue")
def release(session: SessionDep, user: Officer, question_id: DbId) -> Response:
    """Only the officer who handles it gives it back (409 otherwise)."""
    service.claim_question(session, actor=user, question=_officer_question(session, user,
                                                                            question_id),
                           release=True)
    session.commit()
    return Response(status_code=204)


@router.put("/questions/{question_id}/answer", response_model=AnswerPublic,
            responses={**CHANGE, **INPUT, 201: {"model": AnswerPublic,
                                                "description": "The draft was created"}},
            summary="Save the draft answer")
def save_draft(response: Response, session: SessionDep, user: Officer, question_id: DbId,
               body: AnswerDraft, if_match: IfMatch) -> AnswerPublic:
    """Creates the draft answer (201) or replaces its text (200) while the question is
    assigned to your unit and the answer is a draft or was returned. `If-Match: "0"` means
    "only if no draft exists yet"."""
    question = _officer_question(session, user, question_id)
    existing = answer_for_question(session, question_id)
    check_version(existing, if_match)
    answer = service.save_draft(session, actor=user, question=question, data=body)
    result = _changed(response, session, answer)
    if existing is None:
        response.status_code = 201
    return result


def _changed(response: Response, session: Session, answer: Answer) -> AnswerPublic:
    result = _answer_public(answer)
    session.commit()
    etag(response, answer.row_version)
    return result


@router.post("/questions/{question_id}/answer/submit", response_model=AnswerPublic,
             responses=CHANGE, summary="Send the answer for approval")
def submit(response: Response, session: SessionDep, user: Officer, question_id: DbId,
           if_match: IfMatch) -> AnswerPublic:
    """draft or returned → submitted: the spokesperson reviews it next."""
    question = _officer_question(session, user, question_id)
    answer = _answer_of(session, question)
    check_version(answer, if_match)
    service.submit_answer(session, actor=user, question=question, answer=answer)
    return _changed(response, session, answer)


# --- spokesperson -----------------------------------------------------------------------

def _reviewed(session: Session, user: User, question_id: DbId) -> Question:
    question = session.get(Question, question_id)
    if question is None or not can_review(user, question, scope_of(session, user.id or 0)):
        raise NotFound(_("Question not found."))
    return question


@router.get("/staff/answers", response_model=list[AnswerCasePublic], responses=AUTH,
            summary="Answers to review")
def to_review(session: SessionDep, user: Reviewer,
              state: AnswerState = AnswerState.SUBMITTED) -> list[AnswerCasePublic]:
    """Answers in `state` (default: submitted, i.e. waiting for your approval) to questions
    addressed to your organisation or below, longest waiting first."""
    rows = for_review(session, user, [state])
    assignments = current_assignments(session, [q.id or 0 for _a, q in rows])
    return _cases(session, [(q, assignments.get(q.id or 0)) for _a, q in rows],
                  {a.question_id: a for a, _q in rows})


def _reviewer_step(request: Request, response: Response, session: Session, user: User,
                   question_id: int, if_match: int | None,
                   act: Callable[[Question, Answer], object]) -> AnswerPublic:
    """A spokesperson's step on the answer (at the version the client read): the answer as it
    then is; the PDF worker is woken for what it may now render."""
    question = _reviewed(session, user, question_id)
    answer = _answer_of(session, question)
    check_version(answer, if_match)
    act(question, answer)
    result = _changed(response, session, answer)
    request.app.state.wake_pdf_worker()
    return result


@router.post("/questions/{question_id}/answer/approve", response_model=AnswerPublic,
             responses=CHANGE, summary="Approve the submitted answer")
def approve(request: Request, response: Response, session: SessionDep, user: Reviewer,
            question_id: DbId, if_match: IfMatch) -> AnswerPublic:
    """submitted → approved (you are recorded as approver); the question becomes answered.
    Publish it next."""
    return _reviewer_step(request, response, session, user, question_id, if_match,
                          lambda q, a: service.approve_answer(session, actor=user, question=q,
                                                              answer=a))


@router.post("/questions/{question_id}/answer/return", response_model=AnswerPublic,
             responses={**CHANGE, **INPUT}, summary="Return the answer to the unit")
def return_to_unit(request: Request, response: Response, session: SessionDep, user: Reviewer,
                   question_id: DbId, body: AnswerReturn, if_match: IfMatch) -> AnswerPublic:
    """submitted → returned, with a comment the officer sees; they revise and submit again."""
    return _reviewer_step(request, response, session, user, question_id, if_match,
                          lambda q, a: service.return_answer(session, actor=user, question=q,
                                                             answer=a, data=body))


@router.post("/questions/{question_id}/answer/publish", response_model=AnswerPublic,
             responses={**CHANGE, **INPUT}, summary="Publish the approved answer")
def publish(request: Request, response: Response, session: SessionDep, user: Reviewer,
            question_id: DbId, body: AnswerPublish, if_match: IfMatch) -> AnswerPublic:
    """Publishes an approved answer now (`publish_at` null or absent) or at `publish_at`
    (with a time zone, not in the past). Nothing is public before that time; the PDF is
    rendered off the request path."""
    return _reviewer_step(request, response, session, user, question_id, if_match,
                          lambda q, a: service.publish_answer(session, actor=user, question=q,
                                                              answer=a, data=body))


@router.post("/questions/{question_id}/answer/correct", response_model=AnswerPublic,
             responses={**CHANGE, **INPUT}, summary="Publish a corrected answer")
def correct(request: Request, response: Response, session: SessionDep, user: Reviewer,
            question_id: DbId, body: AnswerCorrection, if_match: IfMatch) -> AnswerPublic:
    """Replaces the text of a public answer with a corrected one, with the reason (both
    public at once). The text it replaces stays readable as an earlier version, with its own
    PDF: `GET /api/v1/answers/{answer_id}/versions`. The corrected text must differ."""
    return _reviewer_step(request, response, session, user, question_id, if_match,
                          lambda q, a: service.correct_answer(session, actor=user, question=q,
                                                              answer=a, data=body))


# --- the internal thread --------------------------------------------------------------------

Commenter = Annotated[User, require("cases.comment")]


def _thread_of(session: Session, user: User, question_id: int) -> Question:
    question = question_visible_to(session, user, question_id)
    if not may_comment(session, user, question):
        raise NotFound(_("Question not found."))
    return question


def _comments(session: Session, question_id: int) -> list[CommentPublic]:
    comments = comments_of(session, question_id)
    authors = users_by_id(session, {c.author_id for c in comments})
    return [CommentPublic(id=c.id or 0, author_id=c.author_id,
                          author_name=authors[c.author_id].full_name if c.author_id in authors
                          else "", body=c.body, is_return=c.is_return, created_at=c.created_at)
            for c in comments]


@router.get("/questions/{question_id}/comments", response_model=list[CommentPublic],
            responses=FOUND, summary="The question's internal comment thread")
def comments(session: SessionDep, user: Commenter, question_id: DbId) -> list[CommentPublic]:
    """Between the press office and the unit the question is assigned to, oldest first (a
    returned answer's comment is one, `is_return`); never shown to the journalist."""
    _thread_of(session, user, question_id)
    return _comments(session, question_id)


@router.post("/questions/{question_id}/comments", response_model=list[CommentPublic],
             status_code=201, responses={**FOUND, **INPUT},
             summary="Write in the question's internal comment thread")
def add_comment(session: SessionDep, user: Commenter, question_id: DbId,
                body: CommentIn) -> list[CommentPublic]:
    """Adds a comment; answers with the whole thread."""
    question = _thread_of(session, user, question_id)
    service.add_comment(session, actor=user, question=question, data=body)
    result = _comments(session, question_id)
    session.commit()
    return result


# --- files ------------------------------------------------------------------------------------

def _attachment_public(row: Attachment) -> AttachmentPublic:
    return AttachmentPublic(**row.model_dump(include=set(AttachmentPublic.model_fields)
                                             - {"download_url"}),
                            download_url=f"/api/v1/attachments/{row.id}")


@router.get("/questions/{question_id}/attachments", response_model=list[AttachmentPublic],
            responses=FOUND, summary="The files of a question's case")
def attachments(session: SessionDep, user: Commenter, question_id: DbId
                ) -> list[AttachmentPublic]:
    """The files of the internal thread and of the draft answer, oldest first (staff of the
    case only)."""
    _thread_of(session, user, question_id)
    rows = attachments_of(session, question_id)
    return [_attachment_public(row) for row in sorted(
        (row for found in rows.values() for row in found), key=lambda row: row.id or 0)]


allow_larger("/api/v1/questions/{question_id}/attachments", files.FORM_BYTES)  # mounted there


@router.post("/questions/{question_id}/attachments", response_model=AttachmentPublic, status_code=201,
             responses={**FOUND, **INPUT, 409: {"model": ErrorPublic, "description":
                                                "`to=answer` with no draft being written"},
                        413: {"description": "Over 20 MB"}},
             summary="Attach a file (multipart)")
def attach(session: SessionDep, user: Commenter, question_id: DbId,
           file: Annotated[UploadFile, File(description="PDF, DOCX, XLSX, PNG or JPEG, at "
                                                        "most 20 MB; its type is read from "
                                                        "its content.")],
           to: Annotated[Literal["thread", "answer"], Form(
               description="`thread`: with a new internal comment (`text`); `answer`: with "
                           "the draft answer (its lead unit's officers).")] = "thread",
           text: Annotated[str, Form(description="The comment the file comes with "
                                                 "(`to=thread`).")] = "") -> AttachmentPublic:
    """Keeps the file outside the web root under its SHA-256; staff of the case download it,
    and the public too once the spokesperson shows it with the published answer."""
    question = _thread_of(session, user, question_id)
    upload = (file.filename or "", file.file.read(files.MAX_BYTES + 1))
    if to == "answer":
        row = service.attach_to_answer(session, actor=user, question=question, upload=upload)
    else:
        comment, errors = validate(CommentIn, {"text": text})
        if comment is None:
            raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
        made = service.add_comment(session, actor=user, question=question, data=comment,
                                   upload=upload)
        row = attachments_of(session, question_id)[made.id][0]
    session.commit()
    return _attachment_public(row)


@router.post("/questions/{question_id}/attachments/{attachment_id}/published",
             response_model=AttachmentPublic, responses={**FOUND, **INPUT},
             summary="Show a file with the published answer, or take it back")
def show_with_answer(session: SessionDep, user: Reviewer, question_id: DbId,
                     attachment_id: DbId, body: AttachmentShown) -> AttachmentPublic:
    """The spokesperson's choice: a shown file is public once the answer is."""
    question = _reviewed(session, user, question_id)
    row = session.get(Attachment, attachment_id)
    if row is None or row.question_id != question.id:
        raise NotFound(_("This file does not exist."))
    service.publish_attachment(session, actor=user, question=question, attachment=row,
                               published=body.published)
    session.commit()
    return _attachment_public(row)


@router.get("/attachments/{attachment_id}", response_class=FileResponse,
            responses={200: {"content": {"application/octet-stream": {}},
                             "description": "The file, as a download"},
                       404: {"model": ErrorPublic, "description": "Unknown, or not yours to "
                                                                  "see"}},
            summary="Download a file")
def download_attachment(session: SessionDep, attachment_id: DbId,
                        user: Annotated[Any, public]) -> Response:
    """To the staff of the case with their token; to anyone once it is shown with a public
    answer."""
    row, shown = downloadable(session, user, attachment_id)
    return download(row.path, media_type=row.media_type, filename=row.filename, public=shown)
