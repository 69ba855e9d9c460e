"""The rules of the questions service, each with the exact message the user (or API client)
reads, the state the question is left in and the rows stored: who may send a question, to
which conference and organisation, what counts as a double submit, who screens, and which
unit and due date an assignment may have."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlmodel import Session, col, select

from pressroom.accounts.enums import Role
from pressroom.accounts.models import User
from pressroom.core.clock import now
from pressroom.core.errors import PermissionDenied, ValidationFailed
from pressroom.core.i18n import gettext as _
from pressroom.organizations.enums import OrgKind
from pressroom.organizations.service import create_organization
from pressroom.questions import service
from pressroom.questions.enums import DeclineGround
from pressroom.questions.models import Assignment, Question
from pressroom.questions.schemas import QuestionAssign, QuestionCreate, QuestionReject
from tests import factories
from tests.factories import bearer

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TITLE = "Về tiến độ giải ngân vốn đầu tư công năm 2026"
BODY = "Xin Bộ cho biết tỷ lệ giải ngân vốn đầu tư công đến hết tháng 3 năm 2026?"


def questions_of(session: Session, asker: User) -> list[tuple[int, str, str]]:
    session.expire_all()
    return [(q.id or 0, q.title, q.body) for q in session.exec(
        select(Question).where(Question.asker_id == asker.id).order_by(col(Question.id)))]


def assignments_of(session: Session, question: Question) -> list[tuple[int, date]]:
    session.expire_all()
    return [(a.unit_id, a.due_date) for a in session.exec(
        select(Assignment).where(Assignment.question_id == question.id).order_by(col(Assignment.id)))]


def stored_state(session: Session, question: Question) -> str:
    session.expire_all()
    stored = session.get(Question, question.id)
    assert stored is not None
    return stored.state


# --- who may send a question -----------------------------------------------------------

def test_only_an_active_journalist_may_send_a_question(session):
    case = factories.Case(session)
    data = QuestionCreate(title=TITLE, body=BODY, addressed_to_id=case.ministry.id)
    case.journalist.is_active = False
    session.add(case.journalist)
    session.flush()

    for actor in (case.journalist, case.officer, case.spokesperson):
        with pytest.raises(PermissionDenied) as exc:
            service.submit_question(session, actor=actor, data=data)
        assert exc.value.message == _("Only an accredited journalist can send questions.")

    assert questions_of(session, case.journalist) == []
    assert session.exec(select(Question).where(Question.title == TITLE)).all() == []


# --- which conference and which organisation ---------------------------------------------

def test_api_question_for_a_conference_that_ends_now_is_refused(client, session):
    case = factories.Case(session)
    conf = factories.conference(session, case.spokesperson, case.ministry,
                                starts_at=now() + timedelta(days=1), hours=2)
    body = {"title": TITLE, "body": BODY, "conference_id": conf.id}

    with time_machine.travel(conf.ends_at - timedelta(seconds=1), tick=False):
        before_the_end = client.post("/api/v1/questions", json=body,
                                     headers=bearer(session, case.journalist))
    with time_machine.travel(conf.ends_at, tick=False):
        at_the_end = client.post("/api/v1/questions", json={**body, "title": TITLE + " (2)"},
                                 headers=bearer(session, case.journalist))

    assert before_the_end.status_code == 201
    assert at_the_end.status_code == 422
    assert at_the_end.json() == {
        "detail": _("Questions can only be sent for an announced press conference that has not "
                    "ended."),
        "errors": {"conference_id": _("Choose an upcoming press conference.")},
    }
    session.expire_all()
    assert [(q.title, q.conference_id) for q in session.exec(
        select(Question).where(Question.asker_id == case.journalist.id))] == [(TITLE, conf.id)]


def test_api_question_to_an_organisation_outside_the_conference_is_refused(client, session):
    case = factories.Case(session)
    participant = factories.ministry(session, name="Bộ Công an", short="BCA")
    outsider = factories.ministry(session, name="Bộ Y tế", short="BYT")
    conf = factories.conference(session, case.spokesperson, case.ministry,
                                starts_at=now() + timedelta(days=3), participants=(participant,),
                                title="Họp báo Chính phủ thường kỳ tháng 5")

    response = client.post("/api/v1/questions", headers=bearer(session, case.journalist), json={
        "title": TITLE, "body": BODY, "conference_id": conf.id, "addressed_to_id": outsider.id})

    assert response.status_code == 422
    assert response.json() == {
        "detail": _("Address the question to the host or a participant of the conference."),
        "errors": {"addressed_to_id": _("Choose the host or a participant.")},
    }
    assert questions_of(session, case.journalist) == []


# --- what counts as a double submit -------------------------------------------------------

def test_same_title_with_another_text_is_a_new_question(session):
    case = factories.Case(session)
    first = service.submit_question(session, actor=case.journalist, data=QuestionCreate(
        title=TITLE, body=BODY, addressed_to_id=case.ministry.id))
    second = service.submit_question(session, actor=case.journalist, data=QuestionCreate(
        title=TITLE, body=BODY + " Nguyên nhân chậm giải ngân là gì?",
        addressed_to_id=case.ministry.id))

    assert second.id != first.id
    assert questions_of(session, case.journalist) == [
        (first.id, TITLE, BODY), (second.id, TITLE, BODY + " Nguyên nhân chậm giải ngân là gì?")]


@pytest.mark.parametrize(("later", "same"), [
    (timedelta(minutes=9, seconds=59), True),
    (timedelta(minutes=10), False),
    (timedelta(minutes=10, seconds=30), False),
    (timedelta(hours=2), False),
], ids=["9m59s-same", "10m-new", "10m30s-new", "2h-new"])
def test_double_submit_window_is_ten_minutes(session, later, same):
    case = factories.Case(session)
    data = QuestionCreate(title=TITLE, body=BODY, addressed_to_id=case.ministry.id)
    sent_at = datetime(2026, 3, 10, 9, 0, tzinfo=HANOI)
    with time_machine.travel(sent_at, tick=False):
        first = service.submit_question(session, actor=case.journalist, data=data)
    with time_machine.travel(sent_at + later, tick=False):
        again = service.submit_question(session, actor=case.journalist, data=data)

    rows = questions_of(session, case.journalist)
    if same:
        assert again.id == first.id
        assert rows == [(first.id, TITLE, BODY)]
    else:
        assert again.id != first.id
        assert rows == [(first.id, TITLE, BODY), (again.id, TITLE, BODY)]


# --- who screens -------------------------------------------------------------------------

def test_spokesperson_of_another_ministry_is_told_who_handles_the_question(session):
    case = factories.Case(session)
    other = factories.user(session, Role.SPOKESPERSON)
    question = case.question()
    message = _("Only the spokesperson of the addressed ministry handles this question.")
    actions = [
        lambda: service.accept_question(session, actor=other, question=question),
        lambda: service.reject_question(session, actor=other, question=question,
                                        data=QuestionReject(ground=DeclineGround.OTHER,
                                                            message="Không thuộc thẩm quyền.")),
        lambda: service.assign_question(session, actor=other, question=question,
                                        data=QuestionAssign(unit_id=case.unit.id or 0,
                                                            due_date=now().date() + timedelta(days=5))),
    ]
    for action in actions:
        with pytest.raises(PermissionDenied) as exc:
            action()
        assert exc.value.message == message

    assert stored_state(session, question) == "submitted"
    assert assignments_of(session, question) == []


def test_declining_records_who_declined_and_why(session):
    case = factories.Case(session)
    question = case.question()
    service.reject_question(session, actor=case.spokesperson, question=question,
                            data=QuestionReject(ground=DeclineGround.OTHER,
                                                message="Câu hỏi đã được trả lời tại họp báo."))

    session.expire_all()
    stored = session.get(Question, question.id)
    assert (stored.state, stored.rejection_reason, stored.screened_by_id) == (
        "rejected", "Câu hỏi đã được trả lời tại họp báo.", case.spokesperson.id)


# --- which unit and which due date -------------------------------------------------------

def test_assignment_goes_only_to_a_unit_of_the_addressed_ministry(session):
    case = factories.Case(session)
    foreign_unit = factories.unit(session, factories.ministry(session))
    agency = create_organization(session, name="Cục Báo chí", kind=OrgKind.AGENCY,
                                 parent_id=case.ministry.id)
    question = case.question()
    service.accept_question(session, actor=case.spokesperson, question=question)
    due = now().date() + timedelta(days=5)

    for unit_id in (case.ministry.id, agency.id, foreign_unit.id, 999_999):
        with pytest.raises(ValidationFailed) as exc:
            service.assign_question(session, actor=case.spokesperson, question=question,
                                    data=QuestionAssign(unit_id=unit_id or 0, due_date=due))
        assert exc.value.message == _("Please correct the highlighted fields.")
        assert exc.value.fields == {"unit_id": _("Choose a unit of the addressed ministry.")}

    assert stored_state(session, question) == "accepted"
    assert assignments_of(session, question) == []


def test_due_date_may_be_today_in_hanoi_but_not_before(session):
    # 03:00 on Tue 10/3/2026 in Hanoi is still Mon 9/3 in UTC: "today" is the Hanoi date,
    # whatever the server's time zone (travelling to a UTC time leaves the server's zone as is).
    moment = datetime(2026, 3, 10, 3, 0, tzinfo=HANOI).astimezone(UTC)
    with time_machine.travel(moment, tick=False):
        case = factories.Case(session)
        question = case.question()
        service.accept_question(session, actor=case.spokesperson, question=question)

        with pytest.raises(ValidationFailed) as exc:
            service.assign_question(session, actor=case.spokesperson, question=question,
                                    data=QuestionAssign(unit_id=case.unit.id or 0,
                                                        due_date=date(2026, 3, 9)))
        assert exc.value.message == _("Please correct the highlighted fields.")
        assert exc.value.fields == {
            "due_date": "Hạn trả lời: không được trước hôm nay (10/03/2026)."}
        assert stored_state(session, question) == "accepted"
        assert assignments_of(session, question) == []

        service.assign_question(session, actor=case.spokesperson, question=question,
                                data=QuestionAssign(unit_id=case.unit.id or 0,
                                                    due_date=date(2026, 3, 10)))
    assert stored_state(session, question) == "assigned"
    assert assignments_of(session, question) == [(case.unit.id, date(2026, 3, 10))]
