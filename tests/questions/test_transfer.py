"""A question outside the ministry's remit goes to the body whose remit it is: that one
screens it afresh, and the journalist sees where it went and why."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from pressroom.accounts.enums import Role
from pressroom.core.errors import InvalidTransition, ValidationFailed
from pressroom.notifications.models import Notification
from pressroom.questions import service as questions
from pressroom.questions.models import Question
from pressroom.questions.schemas import QuestionTransfer
from tests import factories
from tests.conftest import post_form
from tests.factories import Case, bearer
from tests.reading import hidden, page_text

REASON = "Nội dung về học phí thuộc thẩm quyền của Bộ Giáo dục và Đào tạo."


def _last_told(session: Session, user_id: int | None) -> tuple[str, str] | None:
    row = session.exec(select(Notification).where(Notification.user_id == user_id)
                       .order_by(col(Notification.id).desc())).first()
    return (str(row.kind), row.text) if row else None


def test_transfer_hands_the_question_over_and_tells_everyone(login_as,
                                                             session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    education = factories.ministry(session, name="Bộ Giáo dục và Đào tạo")
    their_spokesperson = factories.user(session, Role.SPOKESPERSON, org_id=education.id)
    question = case.question(title="Học phí đại học năm học mới")
    questions.accept_question(session, actor=case.spokesperson, question=question)
    session.commit()
    staff, _s = login_as(user=case.spokesperson)
    other, _o = login_as(user=their_spokesperson)
    journalist, _j = login_as(user=case.journalist)
    page = staff.get(f"/staff/questions/{question.id}").text

    response = post_form(staff, f"/staff/questions/{question.id}/transfer", {
        "to_id": str(education.id), "reason": REASON, "version": hidden(page, "version")},
        page=f"/staff/questions/{question.id}")

    assert response.headers["location"] == "/staff/questions"  # type: ignore[attr-defined]
    session.expire_all()
    stored = session.get(Question, question.id)
    assert stored is not None
    assert (stored.addressed_to_id, stored.state, stored.transferred_from_id,
            stored.transfer_reason) == (education.id, "submitted", case.ministry.id, REASON)
    assert staff.get(f"/staff/questions/{question.id}").status_code == 404
    theirs = page_text(other.get(f"/staff/questions/{question.id}").text)
    assert f"Chuyển từ {case.ministry.name}. Lý do: {REASON}" in theirs
    assert "Xem xét câu hỏi" in theirs  # theirs to screen afresh
    seen = page_text(journalist.get(f"/my/questions/{question.id}").text)
    assert f"Chuyển từ {case.ministry.name}. Lý do: {REASON}" in seen
    assert f"Đã chuyển đến {education.name}, cơ quan có thẩm quyền" in seen
    assert _last_told(session, case.journalist.id) == (
        "question_transferred",
        f"Câu hỏi đã được chuyển đến {education.name} để trả lời. Lý do: {REASON}")
    told = _last_told(session, their_spokesperson.id)
    assert told is not None and told[0] == "question_submitted"


def test_transfer_is_refused_once_assigned_or_to_the_same_ministry(session: Session) -> None:
    case = Case(session)
    assigned = case.assigned()
    submitted = case.question()
    data = QuestionTransfer(to_id=case.ministry.id or 0, reason=REASON)

    with pytest.raises(InvalidTransition):
        questions.transfer_question(session, actor=case.spokesperson, question=assigned,
                                    data=QuestionTransfer(
                                        to_id=factories.ministry(session).id or 0,
                                        reason=REASON))
    with pytest.raises(ValidationFailed) as same:
        questions.transfer_question(session, actor=case.spokesperson, question=submitted,
                                    data=data)
    with pytest.raises(ValidationFailed):
        questions.transfer_question(session, actor=case.spokesperson, question=submitted,
                                    data=QuestionTransfer(to_id=case.unit.id or 0,
                                                          reason=REASON))

    assert same.value.fields == {"to_id": "Hãy chọn một bộ, ngành khác."}
    assert (assigned.addressed_to_id, submitted.addressed_to_id) == (case.ministry.id,) * 2


def test_api_transfer_and_what_the_journalist_reads(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    education = factories.ministry(session, name="Bộ Giáo dục và Đào tạo")
    question = case.question()
    headers = bearer(session, case.spokesperson)
    tag = client.get(f"/api/v1/staff/questions/{question.id}", headers=headers).headers["etag"]

    moved = client.post(f"/api/v1/questions/{question.id}/transfer",
                        headers={**headers, "If-Match": tag},
                        json={"to_id": education.id, "reason": REASON})
    mine = client.get(f"/api/v1/my/questions/{question.id}",
                      headers=bearer(session, case.journalist)).json()

    assert moved.status_code == 200
    assert {k: mine[k] for k in ("state", "addressed_to_id", "transferred_from_id",
                                 "transfer_reason")} == {
        "state": "submitted", "addressed_to_id": education.id,
        "transferred_from_id": case.ministry.id, "transfer_reason": REASON}
    again = client.get(f"/api/v1/staff/questions/{question.id}", headers=headers)
    assert again.status_code == 404
