"""An officer takes an assigned question from the unit's queue: colleagues see who handles
it, nobody else can take it meanwhile, only that officer gives it back, and its reminders go
to that officer alone."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, col, select

from pressroom.accounts.enums import Role
from pressroom.answers import service
from pressroom.answers.reminders import remind
from pressroom.core.errors import InvalidTransition
from pressroom.notifications.models import Notification
from pressroom.questions.queries import current_assignment
from tests import factories
from tests.conftest import post_form
from tests.factories import Case, bearer
from tests.reading import hidden, page_text


def test_an_officer_takes_a_question_and_colleagues_see_it(login_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    colleague = factories.user(session, Role.UNIT_OFFICER, org_id=case.unit.id,
                               full_name="Lê Thu Hà")
    question = case.assigned()
    session.commit()
    mine, _m = login_as(user=case.officer)
    theirs, _t = login_as(user=colleague)
    page = mine.get(f"/unit/questions/{question.id}").text

    response = post_form(mine, f"/unit/questions/{question.id}/claim",
                         {"version": hidden(page, "version")},
                         page=f"/unit/questions/{question.id}")
    seen = page_text(theirs.get(f"/unit/questions/{question.id}").text)
    queue = page_text(theirs.get("/unit/assignments").text)
    refused = post_form(theirs, f"/unit/questions/{question.id}/claim", {},
                        page=f"/unit/questions/{question.id}")

    assert response.headers["location"] == f"/unit/questions/{question.id}"  # type: ignore[attr-defined]
    assert current_assignment(session, question.id or 0).claimed_by_id == case.officer.id  # type: ignore[union-attr]
    assert f"Cán bộ xử lý: {case.officer.full_name}." in seen
    assert "Tôi nhận xử lý câu hỏi này" not in seen  # nothing to take
    assert f"{question.title}" in queue and case.officer.full_name in queue
    assert refused.status_code == 409  # type: ignore[attr-defined]
    assert f"{case.officer.full_name} đang xử lý câu hỏi này." in page_text(refused.text)  # type: ignore[attr-defined]
    session.expire_all()
    assert current_assignment(session, question.id or 0).claimed_by_id == case.officer.id  # type: ignore[union-attr]


def test_only_the_holder_gives_it_back(session: Session) -> None:
    case = Case(session)
    colleague = factories.user(session, Role.UNIT_OFFICER, org_id=case.unit.id)
    question = case.assigned()
    service.claim_question(session, actor=case.officer, question=question)

    with pytest.raises(InvalidTransition):
        service.claim_question(session, actor=colleague, question=question, release=True)
    service.claim_question(session, actor=case.officer, question=question, release=True)
    service.claim_question(session, actor=colleague, question=question)

    assert current_assignment(session, question.id or 0).claimed_by_id == colleague.id  # type: ignore[union-attr]


def test_api_claim_and_release(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    other_unit_officer = Case(session).officer
    question = case.assigned()
    headers = bearer(session, case.officer)

    taken = client.post(f"/api/v1/unit/questions/{question.id}/claim", headers=headers)
    listed = client.get(f"/api/v1/staff/questions/{question.id}",
                        headers=bearer(session, case.spokesperson)).json()
    foreign = client.post(f"/api/v1/unit/questions/{question.id}/claim",
                          headers=bearer(session, other_unit_officer))
    given_back = client.post(f"/api/v1/unit/questions/{question.id}/release", headers=headers)

    assert (taken.status_code, given_back.status_code, foreign.status_code) == (204, 204, 404)
    assert listed["assignment"]["claimed_by_id"] == case.officer.id
    session.expire_all()
    assert current_assignment(session, question.id or 0).claimed_by_id is None  # type: ignore[union-attr]


def test_reminders_of_a_taken_question_go_to_its_officer_only(session: Session) -> None:
    case = Case(session)
    colleague = factories.user(session, Role.UNIT_OFFICER, org_id=case.unit.id)
    question = case.assigned()
    service.claim_question(session, actor=case.officer, question=question)
    assignment = current_assignment(session, question.id or 0)
    assert assignment is not None
    assignment.due_date = date(2020, 1, 6)  # long overdue (as if assigned then)
    session.add(assignment)
    session.flush()

    remind(session)

    def told(user_id: int | None) -> list[str]:
        return [str(n.kind) for n in session.exec(
            select(Notification).where(Notification.user_id == user_id,
                                       Notification.kind == "answer_overdue")
            .order_by(col(Notification.id)))]

    assert told(case.officer.id) == ["answer_overdue"]
    assert told(colleague.id) == []
    assert told(case.spokesperson.id) == ["answer_overdue"]
