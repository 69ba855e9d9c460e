"""Things told when their time comes, not when someone acts: an answer due within two working
days or overdue (the officer who took it, else the unit's officers; overdue also the
spokespersons), and an answer whose scheduled publication time has come (its journalists).
The mail worker runs ``remind`` about once a minute (``Reminders``); ``pressroom reminders``
runs it once. Each reminder carries a key, so a run that repeats, or two workers running at
once, never tell anyone twice."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from pressroom.accounts.enums import Role
from pressroom.accounts.models import User
from pressroom.alerts import queries as alert_queries
from pressroom.alerts import service as alerts
from pressroom.alerts.enums import PublishedKind
from pressroom.answers.models import Answer
from pressroom.core.clock import now
from pressroom.core.db import open_session
from pressroom.notifications.enums import NotificationKind
from pressroom.notifications.service import notify
from pressroom.organizations.models import Organization
from pressroom.organizations.queries import members
from pressroom.questions import service as questions
from pressroom.questions.enums import QuestionState
from pressroom.questions.models import Assignment, Question
from pressroom.questions.queries import due_window

# A scheduled publication is told if its time came within this window (a worker stopped for
# longer tells nobody late news; each publication is told once in any case).
PUBLICATION_WINDOW = timedelta(days=2)


@dataclass
class Reminded:
    """How many people were told, by reason."""

    due_soon: int = 0
    overdue: int = 0
    published: int = 0


def published_key(question: Question) -> str:
    """The key that tells a question's journalists of its publication once (now or later)."""
    return f"question:{question.id}:published"


def excerpt(text: str, limit: int = 400) -> str:
    """The start of ``text`` on one line, cut at a word (for the mail of an alert)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rsplit(" ", 1)[0] + " …"


def alert_published(session: Session, question: Question, answer: Answer) -> int:
    """Tells the followers of the answer's ministry, conference and matching searches by
    e-mail that it is public (once; see alerts.service.alert_followers)."""
    return alerts.alert_followers(session, item=alerts.Published(
        kind=PublishedKind.ANSWER, ref_id=answer.id or 0, title=question.title,
        path=f"/answers/{answer.id}", organization_id=question.addressed_to_id,
        conference_id=question.conference_id, summary=excerpt(answer.body),
        index_ids=(answer.id or 0,)))


def remind(session: Session, moment: datetime | None = None) -> Reminded:
    """Writes the reminders that are due at ``moment`` (default now) and have not been written
    yet. Side effects: notification and mail rows; the caller commits."""
    moment = moment or now()
    window = due_window(session, moment)
    done = Reminded()
    latest = select(func.max(Assignment.id)).group_by(col(Assignment.question_id))
    rows = session.exec(
        select(Question, Assignment, Organization)
        .join(Assignment, col(Assignment.question_id) == Question.id)
        .join(Organization, col(Organization.id) == Assignment.unit_id)
        .where(col(Assignment.id).in_(latest), Question.state == QuestionState.ASSIGNED,
               col(Assignment.due_date) <= window.soon_until)
        .order_by(col(Assignment.due_date), col(Question.id))).all()
    for question, assignment, unit in rows:
        overdue = window.matches(question, assignment, "overdue")
        kind = NotificationKind.ANSWER_OVERDUE if overdue else NotificationKind.ANSWER_DUE_SOON
        key = f"assignment:{assignment.id}:{'overdue' if overdue else 'due_soon'}"
        params = {"title": question.title, "unit": unit.name, "due_date": assignment.due}
        # The officer who took it from the queue and the unit's backup officer, else every
        # officer of the unit.
        holder = session.get(User, assignment.claimed_by_id) if assignment.claimed_by_id else None
        backup = session.get(User, unit.backup_officer_id) if unit.backup_officer_id else None
        officers = [u for u in (holder, backup) if u is not None] if holder else members(
            session, unit.id or 0, Role.UNIT_OFFICER)
        told = notify(session, recipients=officers, kind=kind,
                      case_path=f"/unit/questions/{question.id}", params=params, once_key=key)
        if overdue:
            told += notify(session, recipients=members(session, question.addressed_to_id,
                                                       Role.SPOKESPERSON),
                           kind=kind, case_path=f"/staff/questions/{question.id}",
                           params=params, once_key=key)
            done.overdue += told
        else:
            done.due_soon += told
    published = session.exec(
        select(Question, Organization)
        .join(Answer, col(Answer.question_id) == Question.id)
        .join(Organization, col(Organization.id) == Question.addressed_to_id)
        .where(Question.state == QuestionState.PUBLISHED,
               col(Answer.published_at) <= moment,
               col(Answer.published_at) > moment - PUBLICATION_WINDOW)
        .order_by(col(Question.id))).all()
    for question, ministry in published:
        done.published += questions.tell_askers(
            session, question, NotificationKind.ANSWER_PUBLISHED,
            once_key=published_key(question), organization=ministry.name)
    _alert_scheduled(session, moment)
    return done


def _alert_scheduled(session: Session, moment: datetime) -> None:
    """E-mail alerts of the answers whose scheduled publication time has come (those published
    at once were told of by publish_answer)."""
    rows = session.exec(
        select(Question, Answer).join(Answer, col(Answer.question_id) == Question.id)
        .where(Question.state == QuestionState.PUBLISHED, col(Answer.published_at) <= moment,
               col(Answer.published_at) > moment - PUBLICATION_WINDOW)
        .order_by(col(Answer.id))).all()
    told = alert_queries.alerted(session, PublishedKind.ANSWER.value,
                                 [answer.id or 0 for _question, answer in rows])
    for question, answer in rows:
        if (answer.id or 0) not in told:
            alert_published(session, question, answer)


class Reminders:
    """The mail worker's job: ``remind`` in a transaction of its own, at most once every
    ``every`` seconds (the worker's passes come every few seconds)."""

    def __init__(self, every: float = 60.0) -> None:
        self.every = every
        self._last = float("-inf")
        self._lock = threading.Lock()

    def __call__(self) -> Reminded | None:
        with self._lock:
            if time.monotonic() - self._last < self.every:
                return None
            self._last = time.monotonic()
        with open_session(writing=True) as session:
            try:
                done = remind(session)
                session.commit()
            except IntegrityError:  # another worker told the same people at the same moment
                session.rollback()
                return None
        return done
