"""Told when the time comes: an answer due within two working days (the unit's officers),
an overdue one (the officers and the spokesperson), a scheduled publication at its time (the
journalist); each once, however often the job runs."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import time_machine
from sqlmodel import Session, col, select

from pressroom.accounts.models import User
from pressroom.answers.reminders import Reminded, Reminders, remind
from pressroom.core.clock import now
from pressroom.core.db import open_session
from pressroom.notifications.models import Mail, Notification
from pressroom.questions.models import Question
from pressroom.questions.queries import current_assignment
from tests.factories import Case

# Monday 7 December 2026, 09:00 in Hà Nội: Tuesday and Wednesday are the next working days.
MONDAY = datetime(2026, 12, 7, 2, 0, 0, tzinfo=UTC)


def _told(session: Session, user: User) -> list[tuple[str, str, str]]:
    rows = session.exec(select(Notification).where(Notification.user_id == user.id)
                        .order_by(col(Notification.id)))
    return [(str(n.kind), n.subject, n.text) for n in rows]


def _due(session: Session, question: Question, day: date) -> None:
    assignment = current_assignment(session, question.id or 0)
    assert assignment is not None
    assignment.due_date = day  # as if assigned earlier: the services refuse a past due date
    session.add(assignment)
    session.flush()


def _kinds(session: Session, user: User) -> list[str]:
    return [kind for kind, _subject, _text in _told(session, user)]


def test_due_soon_tells_the_unit_and_overdue_the_spokesperson_too_once(session: Session) -> None:
    with time_machine.travel(MONDAY, tick=False):
        case = Case(session)
        soon, late, later = case.assigned(), case.assigned(), case.assigned()
        _due(session, soon, date(2026, 12, 9))  # Wednesday: 2 working days ahead
        _due(session, late, date(2026, 12, 4))  # last Friday
        _due(session, later, date(2026, 12, 10))  # Thursday: 3 working days ahead
        before = {u.id: _kinds(session, u) for u in (case.officer, case.spokesperson)}

        first = remind(session)
        again = remind(session)

    assert (first, again) == (Reminded(due_soon=1, overdue=2), Reminded())
    unit = case.unit.name
    assert _told(session, case.officer)[len(before[case.officer.id]):] == [
        ("answer_overdue", f"Quá hạn trả lời: «{late.title}»",
         f"{unit} chưa trả lời; hạn trả lời là 04/12/2026."),
        ("answer_due_soon", f"Sắp đến hạn trả lời: «{soon.title}»",
         f"Hạn trả lời của {unit} là 09/12/2026."),
    ]
    assert _told(session, case.spokesperson)[len(before[case.spokesperson.id]):] == [
        ("answer_overdue", f"Quá hạn trả lời: «{late.title}»",
         f"{unit} chưa trả lời; hạn trả lời là 04/12/2026."),
    ]
    overdue_mail = session.exec(select(Mail).where(Mail.user_id == case.spokesperson.id)
                                .order_by(col(Mail.id).desc())).first()
    assert overdue_mail is not None and late.title in overdue_mail.subject
    assert f"/staff/questions/{late.id}" in overdue_mail.body_text


def test_an_answered_question_is_not_reminded(session: Session) -> None:
    with time_machine.travel(MONDAY, tick=False):
        case = Case(session)
        question, _answer = case.published_answer()
        _due(session, question, date(2026, 12, 4))

        assert remind(session) == Reminded()


def test_a_scheduled_publication_is_told_at_its_time_once(session: Session) -> None:
    with time_machine.travel(MONDAY, tick=False) as clock:
        case = Case(session)
        question, answer = case.published_answer(publish_at=now() + timedelta(hours=3))
        told_before = _kinds(session, case.journalist)

        assert remind(session).published == 0
        clock.shift(timedelta(hours=3))
        assert remind(session).published == 1
        assert remind(session).published == 0

    assert "answer_published" not in told_before
    assert _told(session, case.journalist)[-1] == (
        "answer_published", f"Câu trả lời đã được công bố: «{question.title}»",
        f"Câu trả lời chính thức của {case.ministry.name} đã được công bố.")
    assert answer.published_at == MONDAY + timedelta(hours=3)


def test_an_answer_published_at_once_is_not_told_again(session: Session) -> None:
    case = Case(session)
    case.published_answer()

    assert _kinds(session, case.journalist).count("answer_published") == 1
    assert remind(session) == Reminded()
    assert _kinds(session, case.journalist).count("answer_published") == 1


def test_the_command_and_the_workers_job_tell_once(committed_database: str) -> None:
    with open_session(writing=True) as session:
        case = Case(session)
        question = case.assigned()
        _due(session, question, now().date() - timedelta(days=1))
        session.commit()

    job = Reminders(every=60)
    done = job()
    repeated = job()  # within the minute: not run
    result = subprocess.run([sys.executable, "-m", "pressroom.cli", "reminders"],
                            capture_output=True, text=True, check=False)

    assert done == Reminded(overdue=2)
    assert repeated is None
    assert (result.returncode, result.stdout.strip()) == (
        0, "Told: 0 due soon, 0 overdue, 0 of a publication.")
