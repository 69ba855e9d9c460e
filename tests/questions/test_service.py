from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from pressroom.accounts.enums import Role
from pressroom.conferences import service as conferences
from pressroom.core.clock import now
from pressroom.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from pressroom.questions import service
from pressroom.questions.enums import DeclineGround
from pressroom.questions.models import Assignment, Question
from pressroom.questions.queries import assigned_to_officer, question_visible_to, screening_queue
from pressroom.questions.schemas import QuestionAssign, QuestionCreate, QuestionReject
from tests import factories


def test_submit_question_for_conference_defaults_to_host(session):
    case = factories.Case(session)
    conf = factories.conference(session, case.spokesperson, case.ministry)
    question = factories.question(session, case.journalist, conference_id=conf.id)
    assert question.addressed_to_id == case.ministry.id
    assert question.conference_id == conf.id
    assert question.state == "submitted"
    assert question.outlet_id == case.journalist.outlet_id


def test_submit_question_normalises_to_nfc(session):
    case = factories.Case(session)
    decomposed = "Đặng".replace("ặ", "a\u0323\u0306")  # a + dot below + breve
    question = service.submit_question(session, actor=case.journalist, data=QuestionCreate(
        title=f"  Câu hỏi của {decomposed}  ", body="Nội dung", addressed_to_id=case.ministry.id))
    assert question.title == "Câu hỏi của Đặng"


def test_submit_question_for_draft_conference_is_refused(session):
    case = factories.Case(session)
    conf = factories.conference(session, case.spokesperson, case.ministry, announce=False)
    with pytest.raises(ValidationFailed) as exc:
        factories.question(session, case.journalist, conference_id=conf.id)
    assert "conference_id" in exc.value.fields


def test_written_question_needs_a_ministry(session):
    case = factories.Case(session)
    with pytest.raises(ValidationFailed) as exc:
        service.submit_question(session, actor=case.journalist, data=QuestionCreate(
            title="Tiêu đề", body="Nội dung", addressed_to_id=case.unit.id))
    assert set(exc.value.fields) == {"addressed_to_id"}


def test_double_submit_returns_the_first_question(session):
    case = factories.Case(session)
    data = QuestionCreate(title="Về tin giả", body="Nội dung", addressed_to_id=case.ministry.id)
    first = service.submit_question(session, actor=case.journalist, data=data)
    second = service.submit_question(session, actor=case.journalist, data=data)
    assert first.id == second.id
    assert len(session.exec(select(Question).where(Question.asker_id == case.journalist.id)).all()) == 1


def test_only_journalists_submit(session):
    case = factories.Case(session)
    with pytest.raises(PermissionDenied):
        service.submit_question(session, actor=case.officer, data=QuestionCreate(
            title="T", body="B", addressed_to_id=case.ministry.id))


def test_reject_keeps_reason_and_blocks_assignment(session):
    case = factories.Case(session)
    question = case.question()
    service.reject_question(session, actor=case.spokesperson, question=question,
                            data=QuestionReject(ground=DeclineGround.OTHER,
                                                message="Nội dung không thuộc thẩm quyền của Bộ."))
    assert question.state == "rejected"
    assert question.rejection_reason == "Nội dung không thuộc thẩm quyền của Bộ."
    with pytest.raises(InvalidTransition):
        service.accept_question(session, actor=case.spokesperson, question=question)


def test_spokesperson_of_another_ministry_cannot_screen(session):
    case = factories.Case(session)
    other = factories.user(session, Role.SPOKESPERSON)
    with pytest.raises(PermissionDenied):
        service.accept_question(session, actor=other, question=case.question())


def test_assign_records_unit_due_date_and_assigner(session):
    case = factories.Case(session)
    question = case.question()
    service.accept_question(session, actor=case.spokesperson, question=question)
    due = now().date() + timedelta(days=5)
    assignment = service.assign_question(session, actor=case.spokesperson, question=question,
                                         data=QuestionAssign(unit_id=case.unit.id, due_date=due))
    stored = session.get(Assignment, assignment.id)
    assert (stored.unit_id, stored.due_date, stored.assigned_by_id) == (
        case.unit.id, due, case.spokesperson.id)
    assert question.state == "assigned"


def test_assign_to_unit_of_another_ministry_is_refused(session):
    case = factories.Case(session)
    foreign_unit = factories.unit(session, factories.ministry(session))
    question = case.question()
    service.accept_question(session, actor=case.spokesperson, question=question)
    with pytest.raises(ValidationFailed) as exc:
        service.assign_question(session, actor=case.spokesperson, question=question,
                                data=QuestionAssign(unit_id=foreign_unit.id,
                                                    due_date=now().date() + timedelta(days=3)))
    assert set(exc.value.fields) == {"unit_id"}


def test_assign_with_past_due_date_is_refused(session):
    case = factories.Case(session)
    question = case.question()
    service.accept_question(session, actor=case.spokesperson, question=question)
    with pytest.raises(ValidationFailed) as exc:
        service.assign_question(session, actor=case.spokesperson, question=question,
                                data=QuestionAssign(unit_id=case.unit.id,
                                                    due_date=now().date() - timedelta(days=2)))
    assert set(exc.value.fields) == {"due_date"}


def test_visibility_of_an_unpublished_question(session):
    case = factories.Case(session)
    question = case.assigned()
    other_journalist = factories.user(session, Role.JOURNALIST)
    other_officer = factories.user(session, Role.UNIT_OFFICER)
    assert question_visible_to(session, case.journalist, question.id).id == question.id
    assert question_visible_to(session, case.officer, question.id).id == question.id
    assert question_visible_to(session, case.spokesperson, question.id).id == question.id
    for outsider in (None, other_journalist, other_officer):
        with pytest.raises(NotFound):
            question_visible_to(session, outsider, question.id)


def test_lists_are_scoped(session):
    case = factories.Case(session)
    mine = case.assigned()
    other = factories.Case(session)
    theirs = other.assigned()
    assert [q.id for q in screening_queue(session, case.spokesperson)] == [mine.id]
    assert [q.id for q, _a in assigned_to_officer(session, case.officer)] == [mine.id]
    assert theirs.id not in [q.id for q in screening_queue(session, case.spokesperson)]


def test_held_conference_accepts_no_new_questions(session):
    case = factories.Case(session)
    conf = factories.conference(session, case.spokesperson, case.ministry,
                                starts_at=now() - timedelta(minutes=30))
    conferences.mark_conference_held(session, actor=case.spokesperson, conference=conf)
    with pytest.raises(ValidationFailed):
        factories.question(session, case.journalist, conference_id=conf.id)
