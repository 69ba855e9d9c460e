"""Who is told what along the path: the ministry's spokespersons of a new question, the unit's
officers of an assignment or transfer, the officer of a returned answer, the spokesperson of
an answer awaiting approval, and each journalist (also those whose questions were merged) of
a decline, a merge, an approval and a publication. The mail itself reaches the SMTP server."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from email import message_from_bytes, policy

from sqlmodel import Session, col, select

from pressroom.accounts.enums import Role
from pressroom.accounts.models import User
from pressroom.answers import service as answers
from pressroom.answers.schemas import AnswerDraft, AnswerPublish, AnswerReturn
from pressroom.core.clock import now
from pressroom.notifications.dispatcher import send_pending_once
from pressroom.notifications.models import Notification
from pressroom.questions import service as questions
from pressroom.questions.enums import DeclineGround
from pressroom.questions.schemas import QuestionAssign, QuestionMerge, QuestionReject
from tests import factories
from tests.factories import Case
from tests.notifications.conftest import SmtpServer


def _told(session: Session, user: User) -> list[tuple[str, str, str]]:
    """(kind, subject, case path) of everything ``user`` was told, oldest first."""
    rows = session.exec(select(Notification).where(Notification.user_id == user.id)
                        .order_by(col(Notification.id)))
    return [(str(n.kind), n.subject, n.case_path) for n in rows]


def _due(days: int = 5):  # type: ignore[no-untyped-def]
    return now().date() + timedelta(days=days)


def test_new_question_tells_the_ministrys_spokespersons_only(session: Session) -> None:
    case, elsewhere = Case(session), Case(session)

    question = case.question(title="Về tiến độ cấp thẻ nhà báo")

    assert _told(session, case.spokesperson) == [
        ("question_submitted", f"Câu hỏi mới: «{question.title}»",
         f"/staff/questions/{question.id}")]
    assert _told(session, elsewhere.spokesperson) == []
    assert _told(session, case.officer) == []


def test_assignment_and_transfer_tell_the_units_officers_not_a_new_due_date(
        session: Session) -> None:
    case = Case(session)
    other_unit = factories.unit(session, case.ministry)
    other_officer = factories.user(session, Role.UNIT_OFFICER, org_id=other_unit.id)
    question = case.question()
    questions.accept_question(session, actor=case.spokesperson, question=question)

    for unit, due in ((case.unit, _due(5)), (case.unit, _due(7)), (other_unit, _due(7))):
        questions.assign_question(session, actor=case.spokesperson, question=question,
                                  data=QuestionAssign(unit_id=unit.id or 0, due_date=due))

    assert [kind for kind, _s, _p in _told(session, case.officer)] == ["question_assigned"]
    assert _told(session, other_officer) == [
        ("question_transferred_to_unit",
         f"Câu hỏi được chuyển đến đơn vị: «{question.title}»",
         f"/unit/questions/{question.id}")]


def test_decline_and_merge_tell_the_journalist_without_another_journalists_text(
        session: Session) -> None:
    case = Case(session)
    declined = case.question()
    colleague = factories.user(session, Role.JOURNALIST)
    private = factories.question(session, colleague, addressed_to=case.ministry,
                                 title="Câu hỏi riêng của phóng viên khác")
    merged = case.question()

    questions.reject_question(session, actor=case.spokesperson, question=declined,
                              data=QuestionReject(ground=DeclineGround.DRAFT_POLICY,
                                                  message="Dự thảo chưa lấy ý kiến."))
    questions.merge_question(session, actor=case.spokesperson, question=merged,
                             data=QuestionMerge(into_id=private.id or 0))

    told = session.exec(select(Notification).where(Notification.user_id == case.journalist.id)
                        .order_by(col(Notification.id))).all()
    assert [n.kind for n in told] == ["question_declined", "question_merged"]
    assert "Dự thảo chưa lấy ý kiến." in told[0].text
    assert f"#{private.id}" in told[1].text
    assert private.title not in told[1].text + told[1].subject


def test_the_answer_path_tells_each_person_their_part(session: Session) -> None:
    case = Case(session)
    question = case.assigned()
    colleague = factories.user(session, Role.JOURNALIST)
    follower = factories.question(session, colleague, addressed_to=case.ministry)
    questions.merge_question(session, actor=case.spokesperson, question=follower,
                             data=QuestionMerge(into_id=question.id or 0))
    answer = answers.save_draft(session, actor=case.officer, question=question,
                                data=AnswerDraft(body="Bản nháp."))

    answers.submit_answer(session, actor=case.officer, question=question, answer=answer)
    answers.return_answer(session, actor=case.spokesperson, question=question, answer=answer,
                          data=AnswerReturn(comment="Bổ sung số liệu tháng 11."))
    answers.submit_answer(session, actor=case.officer, question=question, answer=answer)
    answers.approve_answer(session, actor=case.spokesperson, question=question, answer=answer)
    answers.publish_answer(session, actor=case.spokesperson, question=question, answer=answer,
                           data=AnswerPublish(publish_at=None))

    spokesperson = [k for k, _s, _p in _told(session, case.spokesperson)]
    assert spokesperson == ["question_submitted", "question_submitted",
                            "answer_awaiting_approval", "answer_awaiting_approval"]
    officer = session.exec(select(Notification).where(
        Notification.user_id == case.officer.id, Notification.kind == "answer_returned")).one()
    assert "Bổ sung số liệu tháng 11." in officer.text
    assert [k for k, _s, _p in _told(session, case.journalist)] == [
        "question_answered", "answer_published"]
    assert _told(session, colleague)[-2:] == [
        ("question_answered", f"Câu hỏi của bạn đã được trả lời: «{follower.title}»",
         f"/my/questions/{follower.id}"),
        ("answer_published", f"Câu trả lời đã được công bố: «{follower.title}»",
         f"/my/questions/{follower.id}")]


def test_a_new_question_reaches_the_spokesperson_by_mail(
        session: Session, smtp: SmtpServer, sessions: Callable[..., Session]) -> None:
    case = Case(session)
    question = case.question(title="Về giá cước viễn thông")
    session.flush()

    send_pending_once(sessions=sessions)

    assert len(smtp.messages) == 1
    mail = message_from_bytes(smtp.messages[0].data, policy=policy.default)
    assert smtp.messages[0].rcpt_tos == [case.spokesperson.email]
    assert mail["Subject"] == f"Câu hỏi mới: «{question.title}»"
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert f"https://pressroom.example.vn/staff/questions/{question.id}" in text
