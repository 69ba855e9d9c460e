"""Reads of questions, always scoped by the principal."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from pressroom.accounts.models import User
from pressroom.core.clock import now
from pressroom.core.errors import NotFound
from pressroom.core.i18n import gettext as _
from pressroom.organizations.queries import scope_of
from pressroom.questions.enums import MERGE_TARGET_STATES, QuestionState
from pressroom.questions.models import Assignment, Question
from pressroom.questions.permissions import can_see_question


def current_assignment(session: Session, question_id: int) -> Assignment | None:
    """The newest assignment (highest id, as the lists take it: a clock that steps back
    between two assignments must not make the older one current)."""
    return session.exec(
        select(Assignment)
        .where(Assignment.question_id == question_id)
        .order_by(col(Assignment.id).desc())
    ).first()


def current_assignments(session: Session, question_ids: list[int]) -> dict[int, Assignment]:
    """The current assignment of many questions in one query (list pages)."""
    latest = (
        select(func.max(Assignment.id))
        .where(col(Assignment.question_id).in_(question_ids))
        .group_by(col(Assignment.question_id))
    )
    rows = session.exec(select(Assignment).where(col(Assignment.id).in_(latest)))
    return {row.question_id: row for row in rows}


def question_visible_to(session: Session, user: User | None, question_id: int) -> Question:
    """The question if ``user`` (None: the public) may see it; NotFound otherwise, so that
    its existence is not revealed."""
    question = session.get(Question, question_id)
    if question is None:
        raise NotFound(_("Question not found."))
    scope = scope_of(session, user.id) if user is not None and user.id is not None else set()
    if not can_see_question(user, question, current_assignment(session, question_id), scope):
        raise NotFound(_("Question not found."))
    return question


def questions_of_journalist(session: Session, user: User) -> list[Question]:
    return list(
        session.exec(
            select(Question)
            .where(Question.asker_id == user.id)
            .order_by(col(Question.created_at).desc())
        )
    )


def screening_queue(
    session: Session, user: User, states: list[QuestionState] | None = None
) -> list[Question]:
    """Questions addressed to the spokesperson's organisations, oldest first."""
    query = select(Question).where(col(Question.addressed_to_id).in_(scope_of(session, user.id or 0)))
    if states:
        query = query.where(col(Question.state).in_(states))
    return list(session.exec(query.order_by(col(Question.created_at))))


def assigned_to_officer(session: Session, user: User) -> list[tuple[Question, Assignment]]:
    """Questions whose current assignment is to the officer's unit (or below it)."""
    latest = select(func.max(Assignment.id)).group_by(col(Assignment.question_id))
    rows = session.exec(
        select(Question, Assignment)
        .join(Assignment, Assignment.question_id == Question.id)  # type: ignore[arg-type]
        .where(
            col(Assignment.id).in_(latest),
            col(Assignment.unit_id).in_(scope_of(session, user.id or 0)),
            col(Question.state).in_(
                [QuestionState.ASSIGNED, QuestionState.ANSWERED, QuestionState.PUBLISHED]
            ),
        )
        .order_by(col(Assignment.due_date), col(Question.id))
    )
    return list(rows.all())


def followers(session: Session, question_id: int) -> list[Question]:
    """The questions merged into this one, oldest first."""
    return list(session.exec(select(Question).where(Question.merged_into_id == question_id)
                             .order_by(col(Question.id))))


def merge_candidates(session: Session, question: Question, limit: int = 100) -> list[Question]:
    """Questions the given one could be merged into: the same ministry's, open or answered,
    newest first."""
    return list(session.exec(
        select(Question).where(Question.addressed_to_id == question.addressed_to_id,
                               Question.id != question.id,
                               col(Question.state).in_(MERGE_TARGET_STATES))
        .order_by(col(Question.id).desc()).limit(limit)))


def recent_duplicate(session: Session, *, asker_id: int, title: str, body: str,
                     addressed_to_id: int, conference_id: int | None) -> Question | None:
    """The same question from the same journalist to the same addressee and conference in the
    last ten minutes (a double submit); the same text to another ministry is a new question."""
    return session.exec(
        select(Question).where(
            Question.asker_id == asker_id,
            Question.title == title,
            Question.body == body,
            Question.addressed_to_id == addressed_to_id,
            col(Question.conference_id).is_(None) if conference_id is None
            else Question.conference_id == conference_id,
            Question.created_at > now() - timedelta(minutes=10),
        )
    ).first()
