"""Answers: drafting by a unit, review (approve or return) and publication by a spokesperson.
Functions flush and never commit; they move the question along through questions.service."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from pressroom.accounts.enums import Role
from pressroom.accounts.models import Outlet, User
from pressroom.answers import files
from pressroom.answers.archive import Record
from pressroom.answers.enums import ANSWER_NEXT_STEPS, ANSWER_TRANSITIONS, AnswerState
from pressroom.answers.models import Answer, AnswerVersion, Attachment, Comment
from pressroom.answers.permissions import can_draft, can_review
from pressroom.answers.queries import answer_for_question, may_comment, search_entry
from pressroom.answers.reminders import alert_published, published_key
from pressroom.answers.schemas import (
    AnswerCorrection,
    AnswerDraft,
    AnswerPublish,
    AnswerReturn,
    CommentIn,
)
from pressroom.core import audit, storage
from pressroom.core.clock import now
from pressroom.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from pressroom.core.i18n import fmt_datetime
from pressroom.core.i18n import gettext as _
from pressroom.core.text import clean, normalise
from pressroom.notifications.enums import NotificationKind
from pressroom.notifications.service import notify
from pressroom.organizations.models import Organization
from pressroom.organizations.queries import members, scope_of
from pressroom.questions import service as questions
from pressroom.questions.enums import QuestionState
from pressroom.questions.models import Assignment, Question
from pressroom.questions.queries import current_assignment
from pressroom.search import index


def _move(session: Session, answer: Answer, target: AnswerState) -> None:
    if target not in ANSWER_TRANSITIONS[answer.state]:
        raise InvalidTransition(_("This is not possible for this answer now.") + " "
                                + _(ANSWER_NEXT_STEPS[answer.state]))
    answer.state = target
    answer.updated_at = now()
    session.add(answer)


def _drafting(session: Session, actor: User, question: Question) -> int:
    assignment = current_assignment(session, question.id or 0)
    if not can_draft(actor, assignment, scope_of(session, actor.id or 0)) or assignment is None:
        raise PermissionDenied(_("This question is not assigned to your unit."))
    if question.state != QuestionState.ASSIGNED:
        raise InvalidTransition(_("This question no longer takes a draft answer."))
    return assignment.unit_id


Upload = tuple[str, bytes]  # a posted file: its name as sent, and its bytes


def _checked_file(upload: Upload, field: str = "file") -> files.Kind:
    name, data = upload
    if len(data) > files.MAX_BYTES:
        problem = _("The file is larger than %(size)s MB.", size=files.MAX_BYTES // (1024 * 1024))
    elif (kind := files.sniff(data)) is None:
        problem = _("«%(name)s» is not a PDF, DOCX, XLSX, PNG or JPEG file (its content was "
                    "read, not its name).", name=name[:120])
    else:
        return kind
    raise ValidationFailed(problem, fields={field: problem})


def add_comment(session: Session, *, actor: User, question: Question, data: CommentIn,
                upload: Upload | None = None, is_return: bool = False) -> Comment:
    """Writes in the question's internal thread (staff of the case only), with a file when
    ``upload`` (name, bytes) is given. Side effects: a comment row (and an attachment row, the
    file kept in storage under its SHA-256), one event each. Errors: PermissionDenied,
    ValidationFailed (a file too large, or not a PDF, DOCX, XLSX, PNG or JPEG)."""
    if not may_comment(session, actor, question):
        raise PermissionDenied(_("Only the press office and the unit working on this question "
                                 "write in its internal thread."))
    kind = _checked_file(upload) if upload is not None else None
    comment = Comment(question_id=question.id or 0, author_id=actor.id or 0, body=data.text,
                      is_return=is_return)
    audit.record(session, actor=actor, action="comment.added", subject=comment, case=question)
    session.flush()
    if upload is not None and kind is not None:
        _attach(session, actor, question, upload, kind, comment_id=comment.id)
    return comment


def _attach(session: Session, actor: User, question: Question, upload: Upload, kind: files.Kind,
            *, comment_id: int | None) -> Attachment:
    """Keeps a checked file in storage (under its SHA-256) and records it for the question:
    with a comment, or with the draft answer (``comment_id`` None)."""
    path, digest = storage.save(upload[1], folder="attachments", suffix=kind.suffix)
    attachment = Attachment(
        question_id=question.id or 0, comment_id=comment_id,
        filename=files.safe_name(upload[0], kind), media_type=kind.media_type,
        size=len(upload[1]), sha256=digest, path=path, uploaded_by_id=actor.id or 0)
    audit.record(session, actor=actor, action="attachment.added", subject=attachment,
                 case=question)
    session.flush()
    return attachment


def attach_to_answer(session: Session, *, actor: User, question: Question,
                     upload: Upload) -> Attachment:
    """Attaches a file to the draft answer on its own (the page sends it with the draft).
    Side effects: an attachment row, the file kept in storage, one event. Errors:
    PermissionDenied, InvalidTransition (no draft being written), ValidationFailed (the
    file)."""
    _drafting(session, actor, question)
    answer = answer_for_question(session, question.id or 0)
    if answer is None or answer.state not in (AnswerState.DRAFT, AnswerState.RETURNED):
        raise InvalidTransition(_("A file goes with an answer being drafted: save the draft "
                                  "first."))
    return _attach(session, actor, question, upload, _checked_file(upload), comment_id=None)


def publish_attachment(session: Session, *, actor: User, question: Question,
                       attachment: Attachment, published: bool) -> None:
    """The spokesperson shows a file with the answer once it is public (or takes it back).
    Side effects: the attachment's flag, one event. Errors: PermissionDenied, NotFound."""
    _reviewing(session, actor, question)
    if attachment.question_id != question.id:
        raise NotFound(_("This file does not exist."))
    attachment.published = published
    session.add(attachment)
    audit.record(session, actor=actor, action="attachment.published" if published
                 else "attachment.withdrawn", subject=attachment, case=question)
    session.flush()


def claim_question(session: Session, *, actor: User, question: Question,
                   release: bool = False) -> Assignment:
    """An officer of the unit takes an assigned question from the unit's queue (``release``:
    gives it back); the unit's backup officer may take over one that a colleague holds.
    Colleagues see who handles it; its reminders go to that officer (and the backup).
    Side effects: the assignment's officer, one event. Errors: PermissionDenied,
    InvalidTransition (not being answered, or another officer has it, or not yours to give
    back)."""
    _drafting(session, actor, question)
    assignment = current_assignment(session, question.id or 0)
    assert assignment is not None  # _drafting checked it
    holder = session.get(User, assignment.claimed_by_id) if assignment.claimed_by_id else None
    if release:
        if assignment.claimed_by_id != actor.id:
            raise InvalidTransition(_("Only the officer who handles this question can give it "
                                      "back to the unit's queue."))
        assignment.claimed_by_id = None
    else:
        unit = session.get(Organization, assignment.unit_id)
        backup = unit is not None and unit.backup_officer_id == actor.id
        if holder is not None and holder.id != actor.id and not backup:
            raise InvalidTransition(_("%(name)s already handles this question.",
                                      name=holder.full_name))
        assignment.claimed_by_id = actor.id
    question.updated_at = now()  # a new version: a page read before shows who had it
    session.add(question)
    session.add(assignment)
    audit.record(session, actor=actor,
                 action="question.released" if release else "question.claimed",
                 subject=assignment, case=question)
    session.flush()
    return assignment


def save_draft(session: Session, *, actor: User, question: Question, data: AnswerDraft,
               upload: Upload | None = None) -> Answer:
    """Saves the unit's draft answer (creating it the first time), with a file attached to it
    when ``upload`` (name, bytes) is given; a returned answer stays returned until it is
    submitted again. Side effects: inserts or updates the answer (and an attachment row).
    Errors: PermissionDenied, InvalidTransition, ValidationFailed (the file)."""
    unit_id = _drafting(session, actor, question)
    kind = _checked_file(upload, "answer_file") if upload is not None else None
    answer = answer_for_question(session, question.id or 0)
    if answer is None:
        answer = Answer(question_id=question.id or 0, unit_id=unit_id, body=data.body,
                        drafted_by_id=actor.id or 0)
    else:
        _move(session, answer, answer.state)
        answer.body = data.body
        answer.unit_id = unit_id
        answer.drafted_by_id = actor.id or answer.drafted_by_id
    session.add(answer)
    audit.record(session, actor=actor, action="answer.drafted", subject=answer, case=question)
    session.flush()
    if upload is not None and kind is not None:
        _attach(session, actor, question, upload, kind, comment_id=None)
    return answer


def submit_answer(session: Session, *, actor: User, question: Question, answer: Answer) -> None:
    """Sends the draft to the spokesperson for approval. Side effects: state → submitted."""
    _drafting(session, actor, question)
    _move(session, answer, AnswerState.SUBMITTED)
    audit.record(session, actor=actor, action="answer.submitted", subject=answer, case=question)
    unit = session.get(Organization, answer.unit_id)
    notify(session, recipients=members(session, question.addressed_to_id, Role.SPOKESPERSON),
           kind=NotificationKind.ANSWER_AWAITING_APPROVAL,
           case_path=f"/staff/questions/{question.id}",
           params={"title": question.title, "unit": unit.name if unit else ""})


def _reviewing(session: Session, actor: User, question: Question) -> None:
    if not can_review(actor, question, scope_of(session, actor.id or 0)):
        raise PermissionDenied(_("Only the spokesperson of the addressed ministry approves answers."))


def approve_answer(session: Session, *, actor: User, question: Question, answer: Answer) -> None:
    """Approves a submitted answer. Side effects: state → approved (approver and time kept),
    question → answered. Errors: PermissionDenied, InvalidTransition."""
    _reviewing(session, actor, question)
    _move(session, answer, AnswerState.APPROVED)
    answer.approved_by_id = actor.id
    answer.approved_at = now()
    answer.review_comment = ""
    audit.record(session, actor=actor, action="answer.approved", subject=answer, case=question)
    session.flush()
    questions.mark_answered(session, actor=actor, question=question)
    ministry = session.get(Organization, question.addressed_to_id)
    questions.tell_askers(session, question, NotificationKind.QUESTION_ANSWERED,
                          organization=ministry.name if ministry else "")


def return_answer(
    session: Session, *, actor: User, question: Question, answer: Answer, data: AnswerReturn
) -> None:
    """Sends a submitted answer back to the unit with a comment the officer sees.
    Side effects: state → returned, comment stored."""
    _reviewing(session, actor, question)
    _move(session, answer, AnswerState.RETURNED)
    answer.review_comment = data.comment
    audit.record(session, actor=actor, action="answer.returned", subject=answer, case=question)
    add_comment(session, actor=actor, question=question, data=CommentIn(text=data.comment),
                is_return=True)
    drafter = session.get(User, answer.drafted_by_id)
    notify(session, recipients=[drafter] if drafter else [],
           kind=NotificationKind.ANSWER_RETURNED, case_path=f"/unit/questions/{question.id}",
           params={"title": question.title, "reviewer": actor.full_name,
                   "comment": data.comment})


def publish_answer(
    session: Session, *, actor: User, question: Question, answer: Answer, data: AnswerPublish
) -> None:
    """Publishes an approved answer now or at a set time; nothing is public before it.
    The PDF is rendered off the request path by the publishing worker.
    Side effects: answer and question get their publication time, question → published;
    published now: its journalists are told, and its followers by e-mail (alerts; a scheduled
    one's at its time, reminders.remind).
    Errors: PermissionDenied, InvalidTransition, ValidationFailed (time in the past)."""
    _reviewing(session, actor, question)
    if answer.state != AnswerState.APPROVED:
        raise InvalidTransition(_("Only an approved, unpublished answer can be published.") + " "
                                + _(ANSWER_NEXT_STEPS[answer.state]))
    if answer.published_at is not None:
        raise InvalidTransition(_("This answer is already published or set to be, at %(time)s.",
                                  time=fmt_datetime(answer.published_at)))
    moment = now()
    at = data.publish_at or moment
    if at < moment - timedelta(minutes=1):
        raise ValidationFailed(
            _("Please correct the highlighted fields."),
            fields={"publish_at": _("Publication time: not in the past.")},
        )
    if at > moment + timedelta(days=365):
        raise ValidationFailed(
            _("Please correct the highlighted fields."),
            fields={"publish_at": _("Publication time: at most one year ahead.")},
        )
    answer.published_at = max(at, moment)
    answer.updated_at = moment
    session.add(answer)
    audit.record(session, actor=actor, action="answer.published", subject=answer, case=question)
    session.flush()
    questions.mark_published(session, actor=actor, question=question, at=answer.published_at)
    _index(session, answer)
    if answer.published_at <= moment:  # published now (a scheduled one: reminders.remind)
        ministry = session.get(Organization, question.addressed_to_id)
        questions.tell_askers(session, question, NotificationKind.ANSWER_PUBLISHED,
                              once_key=published_key(question),
                              organization=ministry.name if ministry else "")
        alert_published(session, question, answer)


def correct_answer(session: Session, *, actor: User, question: Question, answer: Answer,
                   data: AnswerCorrection) -> AnswerVersion:
    """Publishes a corrected text of a public answer with the reason for it. The text it
    replaces is kept as an earlier version (with its own PDF); the public page shows the
    correction notice and what changed. Side effects: the answer's text, version (+1),
    correction time and reason; an AnswerVersion row; the journalists are told.
    Errors: PermissionDenied, InvalidTransition (not public yet), ValidationFailed (the same
    text). Returns the earlier version kept."""
    _reviewing(session, actor, question)
    moment = now()
    if answer.published_at is None or answer.published_at > moment:
        raise InvalidTransition(_("Only a published answer can be corrected.") + " " + (
            _("It is scheduled for %(time)s: it can be corrected once it is public.",
              time=fmt_datetime(answer.published_at)) if answer.published_at is not None
            else _(ANSWER_NEXT_STEPS[answer.state])))
    if data.body == answer.body:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields={
            "body": _("Corrected answer: it is the same as the published text.")})
    earlier = AnswerVersion(answer_id=answer.id or 0, version=answer.version, body=answer.body,
                            published_at=answer.corrected_at or answer.published_at,
                            correction_reason=answer.correction_reason, superseded_at=moment)
    session.add(earlier)
    answer.body = data.body
    answer.version += 1
    answer.corrected_at = moment
    answer.correction_reason = data.reason
    answer.updated_at = moment
    session.add(answer)
    audit.record(session, actor=actor, action="answer.corrected", subject=answer, case=question)
    session.flush()
    _index(session, answer)
    ministry = session.get(Organization, question.addressed_to_id)
    questions.tell_askers(session, question, NotificationKind.ANSWER_CORRECTED,
                          once_key=f"answer:{answer.id}:v{answer.version}",
                          organization=ministry.name if ministry else "", reason=data.reason)
    return earlier


def import_archive(session: Session, *, actor: User, records: list[Record]) -> list[Answer]:
    """Publishes past questions and their answers from an archive (``archive.Checker`` checked
    them and left out the source ids already imported), as the product would have: each
    question published with its answer, asked by the journalist named (no account is made),
    at the times of the archive; ``actor`` (an administrator, or a spokesperson of the
    ministries concerned) is recorded as drafter and approver. Side effects: outlets not yet
    known are added; question and answer rows; their duplicate-index terms and search
    entries; two events a record. Nobody is notified. Errors: PermissionDenied."""
    if not actor.is_active or actor.role not in (Role.ADMIN, Role.SPOKESPERSON):
        raise PermissionDenied(_("Only an administrator or a spokesperson imports an archive."))
    if not records:
        return []
    outlets = _outlets(session, {clean(record.outlet) for record in records})
    asked: list[tuple[Question, dict[str, list[object]]]] = []
    for record in records:
        question = Question(
            asker_id=None, asker_name=record.asker, outlet_id=outlets[clean(record.outlet)],
            conference_id=record.conference_id, addressed_to_id=record.ministry_id,
            title=record.title, body=record.question, state=QuestionState.PUBLISHED,
            created_at=record.asked_at, updated_at=record.answered_at,
            published_at=record.answered_at, source_id=record.source_id)
        asked.append((question, audit.pending_changes(question)))
    session.add_all([question for question, _changes in asked])
    session.flush()  # one multi-row INSERT, not one a record
    published: list[tuple[Answer, dict[str, list[object]]]] = []
    for (question, _changes), record in zip(asked, records, strict=True):
        answer = Answer(question_id=question.id or 0, unit_id=record.unit_id, body=record.answer,
                        state=AnswerState.APPROVED, drafted_by_id=actor.id or 0,
                        approved_by_id=actor.id, approved_at=record.answered_at,
                        published_at=record.answered_at, created_at=record.answered_at,
                        updated_at=record.answered_at)
        published.append((answer, audit.pending_changes(answer)))
    session.add_all([answer for answer, _changes in published])
    session.flush()
    for (question, asked_changes), (answer, answer_changes) in zip(asked, published, strict=True):
        audit.record(session, actor=actor, action="question.imported", subject=question,
                     changes=asked_changes)
        audit.record(session, actor=actor, action="answer.imported", subject=answer,
                     case=question, changes=answer_changes)
    questions.index_new_terms(session, [question for question, _changes in asked])
    # What search_entry reads, in one query a table: held here, search_entry finds them in the
    # session (which keeps only objects someone refers to).
    held = [*session.exec(select(Outlet).where(col(Outlet.id).in_(set(outlets.values())))),
            *session.exec(select(Organization).where(
                col(Organization.id).in_({r.ministry_id for r in records})))]
    answers = [answer for answer, _changes in published]
    index.put(session, [entry for answer in answers
                        if (entry := search_entry(session, answer)) is not None])
    del held
    return answers


def _outlets(session: Session, names: set[str]) -> dict[str, int]:
    """The ids of the outlets with these names (by ``normalise``: case, spacing and the
    placement of tone marks aside), adding those not known yet as they are written."""
    found = {normalise(o.name): o.id or 0 for o in session.exec(select(Outlet))}
    added = {normalise(name): Outlet(name=name) for name in sorted(names)
             if normalise(name) not in found}
    if added:
        session.add_all(added.values())
        session.flush()
        found.update((key, outlet.id or 0) for key, outlet in added.items())
    return {name: found[normalise(name)] for name in names}


def _index(session: Session, answer: Answer) -> None:
    """Search finds the published answer as it now reads (from its publication time)."""
    entry = search_entry(session, answer)
    if entry is not None:
        index.put(session, [entry])


def _follow_new_lead(session: Session, withdrawn: Question, lead: Question) -> None:
    """A withdrawn question's answer goes with its group to the question that took its place."""
    answer = answer_for_question(session, withdrawn.id or 0)
    if answer is not None:
        answer.question_id = lead.id or 0
        session.add(answer)


questions.WHEN_LEAD_CHANGES.append(_follow_new_lead)
