"""What each scoped list of questions shows, and in which order: the spokesperson's screening
queue (oldest first), a journalist's questions (latest first, each with its own current
assignment), an officer's assignments (earliest due date first, then by question), which
assignment is the current one after several, and who may see a question."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlmodel import Session

from pressroom.accounts.enums import Role
from pressroom.core.errors import NotFound
from pressroom.core.i18n import gettext as _
from pressroom.organizations.enums import OrgKind
from pressroom.organizations.models import Organization
from pressroom.organizations.service import create_organization
from pressroom.questions import service
from pressroom.questions.models import Question
from pressroom.questions.queries import (
    assigned_to_officer,
    current_assignment,
    question_visible_to,
    screening_queue,
)
from pressroom.questions.schemas import QuestionAssign
from tests import factories
from tests.factories import bearer

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# Every test runs on a fixed day so that due dates and creation times are known.
MONDAY = datetime(2026, 3, 9, 9, 0, tzinfo=HANOI)


def assign(session: Session, case: factories.Case, question: Question, unit: Organization,
           due: date) -> None:
    if question.state == "submitted":
        service.accept_question(session, actor=case.spokesperson, question=question)
    service.assign_question(session, actor=case.spokesperson, question=question,
                            data=QuestionAssign(unit_id=unit.id or 0, due_date=due))


# --- the spokesperson's screening queue ----------------------------------------------------

def test_screening_list_covers_the_ministry_and_its_agency_newest_first(client, session):
    with time_machine.travel(MONDAY, tick=False) as clock:
        case = factories.Case(session)
        agency = create_organization(session, name="Cục Báo chí", kind=OrgKind.AGENCY,
                                     parent_id=case.ministry.id)
        to_agency = factories.question(session, case.journalist, addressed_to=agency)
        clock.shift(timedelta(minutes=1))
        to_ministry = case.question()
        clock.shift(timedelta(minutes=1))
        to_agency_later = factories.question(session, case.journalist, addressed_to=agency)
        clock.shift(timedelta(minutes=1))
        factories.question(session, case.journalist, addressed_to=factories.ministry(session))
        service.accept_question(session, actor=case.spokesperson, question=to_ministry)
        headers = bearer(session, case.spokesperson)

        everything = client.get("/api/v1/staff/questions", headers=headers)
        waiting = client.get("/api/v1/staff/questions?state=submitted", headers=headers)

    # Nothing assigned yet, so nothing overdue or due: newest first.
    assert [q["id"] for q in everything.json()] == [to_agency_later.id, to_ministry.id, to_agency.id]
    assert [q["id"] for q in waiting.json()] == [to_agency_later.id, to_agency.id]
    assert [q.id for q in screening_queue(session, case.spokesperson)] == [
        to_agency.id, to_ministry.id, to_agency_later.id]


# --- a journalist's questions -------------------------------------------------------------

def test_journalists_questions_are_latest_first_each_with_its_own_assignment(client, session):
    with time_machine.travel(MONDAY, tick=False) as clock:
        case = factories.Case(session)
        second_unit = factories.unit(session, case.ministry, name="Cục Tin học hóa")
        first = case.question()
        clock.shift(timedelta(minutes=1))
        second = case.question()
        clock.shift(timedelta(minutes=1))
        third = case.question()
        clock.shift(timedelta(minutes=1))
        factories.question(session, factories.user(session, Role.JOURNALIST),
                           addressed_to=case.ministry)
        assign(session, case, first, case.unit, date(2026, 3, 20))
        assign(session, case, third, second_unit, date(2026, 3, 16))
        response = client.get("/api/v1/my/questions", headers=bearer(session, case.journalist))

    assert response.status_code == 200
    assert [(q["id"], q["state"], q["assignment"] and (
        q["assignment"]["unit_id"], q["assignment"]["due_date"])) for q in response.json()] == [
        (third.id, "assigned", (second_unit.id, "2026-03-16")),
        (second.id, "submitted", None),
        (first.id, "assigned", (case.unit.id, "2026-03-20")),
    ]


# --- an officer's assignments ---------------------------------------------------------------

def test_officer_assignments_are_earliest_due_first_then_newest(session):
    with time_machine.travel(MONDAY, tick=False):
        case = factories.Case(session)
        other_unit = factories.unit(session, case.ministry, name="Vụ Pháp chế")
        due_late, due_soon, due_soon_too, moved_here, moved_away = (
            case.question() for _i in range(5))
        assign(session, case, due_late, case.unit, date(2026, 3, 27))
        assign(session, case, due_soon_too, case.unit, date(2026, 3, 13))
        assign(session, case, moved_here, other_unit, date(2026, 3, 10))
        assign(session, case, moved_away, case.unit, date(2026, 3, 11))
        assign(session, case, due_soon, case.unit, date(2026, 3, 18))
        # Re-assignments: a new due date in the same unit, a transfer in and one away.
        assign(session, case, due_soon, case.unit, date(2026, 3, 13))
        assign(session, case, moved_here, case.unit, date(2026, 3, 16))
        assign(session, case, moved_away, other_unit, date(2026, 3, 12))
        factories.Case(session).assigned()  # another ministry's question

    rows = assigned_to_officer(session, case.officer)

    assert [(q.id, a.unit_id, a.due_date) for q, a in rows] == [
        (due_soon_too.id, case.unit.id, date(2026, 3, 13)),
        (due_soon.id, case.unit.id, date(2026, 3, 13)),
        (moved_here.id, case.unit.id, date(2026, 3, 16)),
        (due_late.id, case.unit.id, date(2026, 3, 27)),
    ]


# --- the current assignment ---------------------------------------------------------------

def test_current_assignment_is_the_latest_even_within_the_same_instant(session):
    with time_machine.travel(MONDAY, tick=False):
        case = factories.Case(session)
        unit_b = factories.unit(session, case.ministry, name="Cục Báo chí")
        unit_c = factories.unit(session, case.ministry, name="Vụ Pháp chế")
        officer_c = factories.user(session, Role.UNIT_OFFICER, org_id=unit_c.id)
        question = case.question()
        assign(session, case, question, case.unit, date(2026, 3, 20))
        assign(session, case, question, unit_b, date(2026, 3, 19))
        assign(session, case, question, unit_c, date(2026, 3, 18))

        current = current_assignment(session, question.id or 0)
        assert current is not None
        assert (current.unit_id, current.due_date) == (unit_c.id, date(2026, 3, 18))
        assert question_visible_to(session, officer_c, question.id or 0).id == question.id
        with pytest.raises(NotFound):
            question_visible_to(session, case.officer, question.id or 0)


def test_unit_that_lists_a_question_can_open_it_even_if_the_clock_stepped_back(session):
    case = factories.Case(session)
    unit_b = factories.unit(session, case.ministry, name="Cục Báo chí")
    officer_b = factories.user(session, Role.UNIT_OFFICER, org_id=unit_b.id)
    question = case.question()
    with time_machine.travel(MONDAY + timedelta(minutes=5), tick=False):
        assign(session, case, question, case.unit, date(2026, 3, 20))
    with time_machine.travel(MONDAY, tick=False):  # e.g. another server's clock, 5 minutes behind
        assign(session, case, question, unit_b, date(2026, 3, 19))

        assert [q.id for q, _a in assigned_to_officer(session, officer_b)] == [question.id]
        assert assigned_to_officer(session, case.officer) == []
        assert question_visible_to(session, officer_b, question.id or 0).id == question.id
        with pytest.raises(NotFound):
            question_visible_to(session, case.officer, question.id or 0)


# --- who may see a question ---------------------------------------------------------------

def test_administrator_sees_a_question_only_once_it_is_published(session):
    case = factories.Case(session)
    admin = factories.user(session, Role.ADMIN)
    unpublished = case.assigned()
    published, _answer = case.published_answer()

    with pytest.raises(NotFound) as exc:
        question_visible_to(session, admin, unpublished.id or 0)
    assert exc.value.message == _("Question not found.")
    assert question_visible_to(session, admin, published.id or 0).id == published.id
    assert question_visible_to(session, None, published.id or 0).id == published.id


def test_unknown_question_is_not_found_with_its_message(client, session):
    case = factories.Case(session)
    question = case.question()
    headers = bearer(session, case.journalist)

    unknown = client.get(f"/api/v1/my/questions/{(question.id or 0) + 1000}", headers=headers)

    assert (unknown.status_code, unknown.json()) == (404, {"detail": _("Question not found.")})
    assert client.get(f"/api/v1/my/questions/{question.id}", headers=headers).status_code == 200
