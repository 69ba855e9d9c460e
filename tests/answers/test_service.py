from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from pressroom.accounts.enums import Role
from pressroom.answers import service
from pressroom.answers.models import Answer
from pressroom.answers.schemas import AnswerDraft, AnswerPublish, AnswerReturn
from pressroom.core.clock import now
from pressroom.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from pressroom.publishing.queries import latest_answers, public_answer
from tests import factories


def test_draft_submit_approve_publish(session):
    case = factories.Case(session)
    question, answer = case.submitted_answer(body="Bộ TTTT đã ban hành Thông tư số 12/2026.")
    service.approve_answer(session, actor=case.spokesperson, question=question, answer=answer)
    assert (answer.state, answer.approved_by_id, question.state) == (
        "approved", case.spokesperson.id, "answered")
    service.publish_answer(session, actor=case.spokesperson, question=question, answer=answer,
                           data=AnswerPublish())
    assert question.state == "published"
    doc = public_answer(session, answer.id)
    assert doc.answer_text == "Bộ TTTT đã ban hành Thông tư số 12/2026."
    assert doc.approver_name == case.spokesperson.full_name
    assert doc.approver_title == "Người phát ngôn, Chánh Văn phòng Bộ"
    assert doc.unit_name == case.unit.name
    assert doc.ministry_name == case.ministry.name


def test_returned_answer_keeps_comment_and_can_be_resubmitted(session):
    case = factories.Case(session)
    question, answer = case.submitted_answer()
    service.return_answer(session, actor=case.spokesperson, question=question, answer=answer,
                          data=AnswerReturn(comment="Bổ sung số liệu quý III."))
    assert (answer.state, answer.review_comment) == ("returned", "Bổ sung số liệu quý III.")
    service.save_draft(session, actor=case.officer, question=question,
                       data=AnswerDraft(body="Đã bổ sung số liệu."))
    assert answer.state == "returned"
    service.submit_answer(session, actor=case.officer, question=question, answer=answer)
    assert (answer.state, answer.body) == ("submitted", "Đã bổ sung số liệu.")


def test_nobody_but_the_spokesperson_approves(session):
    case = factories.Case(session)
    question, answer = case.submitted_answer()
    admin = factories.user(session, Role.ADMIN)
    other_spokesperson = factories.user(session, Role.SPOKESPERSON)
    for actor in (case.officer, case.journalist, admin, other_spokesperson):
        with pytest.raises(PermissionDenied):
            service.approve_answer(session, actor=actor, question=question, answer=answer)
    assert answer.state == "submitted"


def test_officer_of_another_unit_cannot_draft(session):
    case = factories.Case(session)
    question = case.assigned()
    sibling = factories.unit(session, case.ministry, name="Cục Báo chí")
    stranger = factories.user(session, Role.UNIT_OFFICER, org_id=sibling.id)
    with pytest.raises(PermissionDenied):
        service.save_draft(session, actor=stranger, question=question,
                           data=AnswerDraft(body="Không được phép"))


def test_approving_twice_is_an_invalid_transition(session):
    case = factories.Case(session)
    question, answer = case.submitted_answer()
    service.approve_answer(session, actor=case.spokesperson, question=question, answer=answer)
    with pytest.raises(InvalidTransition):
        service.approve_answer(session, actor=case.spokesperson, question=question, answer=answer)


def test_scheduled_publication_is_not_public_before_its_time(session):
    case = factories.Case(session)
    at = now() + timedelta(days=2)
    question, answer = case.published_answer(publish_at=at)
    assert question.published_at == at
    with pytest.raises(NotFound):
        public_answer(session, answer.id)
    assert answer.id not in [d.answer_id for d in latest_answers(session, limit=20)]


def test_publication_time_in_the_past_is_refused(session):
    case = factories.Case(session)
    question, answer = case.submitted_answer()
    service.approve_answer(session, actor=case.spokesperson, question=question, answer=answer)
    with pytest.raises(ValidationFailed):
        service.publish_answer(session, actor=case.spokesperson, question=question, answer=answer,
                               data=AnswerPublish(publish_at=now() - timedelta(hours=3)))


def test_concurrent_approval_loses_cleanly(session, connection):
    case = factories.Case(session)
    question, answer = case.submitted_answer()
    session.commit()
    with Session(bind=connection, join_transaction_mode="create_savepoint") as other:
        stale = other.get(Answer, answer.id)
        other_question = other.get(type(question), question.id)
        service.approve_answer(session, actor=case.spokesperson, question=question, answer=answer)
        session.commit()
        with pytest.raises((StaleDataError, InvalidTransition)):
            service.return_answer(other, actor=case.spokesperson, question=other_question,
                                  answer=stale, data=AnswerReturn(comment="Trả lại"))
            other.flush()
