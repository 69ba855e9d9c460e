"""Reads of answers, scoped by the principal."""

from __future__ import annotations

from sqlmodel import Session, col, select

from pressroom.accounts.models import Outlet, User
from pressroom.answers.enums import AnswerState
from pressroom.answers.models import Answer, Attachment, Comment
from pressroom.answers.permissions import can_comment
from pressroom.core.clock import now
from pressroom.core.errors import NotFound
from pressroom.core.i18n import gettext as _
from pressroom.core.i18n import local_zone
from pressroom.organizations.models import Organization
from pressroom.organizations.queries import scope_of
from pressroom.questions.models import Question
from pressroom.questions.queries import current_assignment, helper_units
from pressroom.search import index


def answer_for_question(session: Session, question_id: int) -> Answer | None:
    return session.exec(select(Answer).where(Answer.question_id == question_id)).first()


def answers_for_questions(session: Session, question_ids: list[int]) -> dict[int, Answer]:
    rows = session.exec(select(Answer).where(col(Answer.question_id).in_(question_ids)))
    return {row.question_id: row for row in rows}


def for_review(
    session: Session, user: User, states: list[AnswerState]
) -> list[tuple[Answer, Question]]:
    """Answers in ``states`` to questions addressed to the spokesperson's organisations."""
    rows = session.exec(
        select(Answer, Question)
        .join(Question, Question.id == Answer.question_id)  # type: ignore[arg-type]
        .where(
            col(Answer.state).in_(states),
            col(Question.addressed_to_id).in_(scope_of(session, user.id or 0)),
        )
        .order_by(col(Answer.updated_at))
    )
    return list(rows.all())


def comments_of(session: Session, question_id: int) -> list[Comment]:
    """The question's internal thread, oldest first."""
    return list(session.exec(select(Comment).where(Comment.question_id == question_id)
                             .order_by(col(Comment.created_at), col(Comment.id))))


def attachments_of(session: Session, question_id: int) -> dict[int | None, list[Attachment]]:
    """The question's files, by the comment they came with (None: the draft answer's)."""
    found: dict[int | None, list[Attachment]] = {}
    for row in session.exec(select(Attachment).where(Attachment.question_id == question_id)
                            .order_by(col(Attachment.id))):
        found.setdefault(row.comment_id, []).append(row)
    return found


def published_attachments(session: Session, question_id: int) -> list[Attachment]:
    """The files the spokesperson shows with the question's answer (once it is public)."""
    return list(session.exec(select(Attachment).where(
        Attachment.question_id == question_id, col(Attachment.published).is_(True))
        .order_by(col(Attachment.id))))


def may_comment(session: Session, user: User, question: Question) -> bool:
    """``permissions.can_comment`` for ``user`` on ``question`` as it stands: its current
    assignment and helper units, and the user's scope."""
    assignment = current_assignment(session, question.id or 0)
    helpers = set(helper_units(session, assignment.id or 0)) if assignment else set()
    return can_comment(user, question, assignment, scope_of(session, user.id or 0), helpers)


def downloadable(session: Session, user: User | None, attachment_id: int) -> tuple[Attachment, bool]:
    """The file and whether it is public (shown with an answer that is public), if ``user``
    (None: anyone) may download it: the staff of the case always, anyone once it is public.
    Errors: NotFound (also when not allowed, so that its existence is not revealed)."""
    row = session.get(Attachment, attachment_id)
    question = session.get(Question, row.question_id) if row else None
    if row is None or question is None:
        raise NotFound(_("This file does not exist."))
    public = row.published and question.is_public(now())
    if not public and (user is None or not may_comment(session, user, question)):
        raise NotFound(_("This file does not exist."))
    return row, public


def search_entry(session: Session, answer: Answer) -> index.Entry | None:
    """What search finds of a published answer (found from its publication time): its
    question's title, its question and answer texts, who asked, found by the name of the
    ministry it was addressed to, with the archive's id of an imported one; None before it is
    published."""
    question = session.get(Question, answer.question_id)
    if answer.published_at is None or question is None:
        return None
    asker = session.get(User, question.asker_id) if question.asker_id else None
    outlet = session.get(Outlet, question.outlet_id) if question.outlet_id else None
    who = ", ".join(part for part in (question.asker_name or (asker.full_name if asker else ""),
                                      outlet.name if outlet else "") if part)
    ministry = session.get(Organization, question.addressed_to_id)
    return index.Entry(kind="answer", ref_id=answer.id or 0, url=f"/answers/{answer.id}",
                       title=question.title, body=f"{question.body}\n\n{answer.body}",
                       context=who, organization_id=question.addressed_to_id,
                       year=answer.published_at.astimezone(local_zone()).year,
                       published_at=answer.published_at, source_id=question.source_id or "",
                       about=ministry.name if ministry else "")
