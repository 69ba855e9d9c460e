"""The internal thread of a question: the press office and the unit write in it, a returned
answer's comment lands in it, and nobody else reads it (the journalist, another unit, another
ministry), on the pages and in the API."""

from __future__ import annotations

from sqlmodel import Session, col, select

from pressroom.answers import service
from pressroom.answers.models import Comment
from pressroom.answers.schemas import AnswerReturn
from tests.conftest import post_form
from tests.factories import Case, bearer
from tests.reading import page_text

NOTE = "Đề nghị bổ sung số liệu giải ngân quý III <b>trước thứ Sáu</b>."


def test_staff_and_unit_write_in_the_thread_the_journalist_never_sees_it(
        login_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question, answer = case.submitted_answer()
    service.return_answer(session, actor=case.spokesperson, question=question, answer=answer,
                          data=AnswerReturn(comment="Cần dẫn chiếu Nghị định 09/2017/NĐ-CP."))
    session.commit()
    staff, _s = login_as(user=case.spokesperson)
    officer, _o = login_as(user=case.officer)
    journalist, _j = login_as(user=case.journalist)

    first = post_form(staff, f"/staff/questions/{question.id}/comment", {"text": NOTE},
                      page=f"/staff/questions/{question.id}")
    second = post_form(officer, f"/unit/questions/{question.id}/comment",
                       {"text": "Đơn vị sẽ gửi bản sửa trong chiều nay."},
                       page=f"/unit/questions/{question.id}")
    unit_page = officer.get(f"/unit/questions/{question.id}").text
    journalist_page = page_text(journalist.get(f"/my/questions/{question.id}").text)

    assert first.headers["location"] == f"/staff/questions/{question.id}"  # type: ignore[attr-defined]
    assert second.headers["location"] == f"/unit/questions/{question.id}"  # type: ignore[attr-defined]
    rows = session.exec(select(Comment).where(Comment.question_id == question.id)
                        .order_by(col(Comment.id))).all()
    assert [(c.author_id, c.body, c.is_return) for c in rows] == [
        (case.spokesperson.id, "Cần dẫn chiếu Nghị định 09/2017/NĐ-CP.", True),
        (case.spokesperson.id, NOTE, False),
        (case.officer.id, "Đơn vị sẽ gửi bản sửa trong chiều nay.", False)]
    text = page_text(unit_page)
    assert "Trao đổi nội bộ" in text and "Trả lại câu trả lời" in text
    assert NOTE in text  # the markup is shown as typed...
    assert "<b>trước thứ Sáu</b>" not in unit_page  # ...and escaped, not rendered
    assert "Trao đổi nội bộ" not in journalist_page and NOTE not in journalist_page


def test_an_empty_comment_names_the_field_and_keeps_nothing(login_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question = case.assigned()
    session.commit()
    officer, _o = login_as(user=case.officer)

    response = post_form(officer, f"/unit/questions/{question.id}/comment", {"text": "   "},
                         page=f"/unit/questions/{question.id}")

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Ý kiến trao đổi nội bộ: bắt buộc nhập." in page_text(response.text)  # type: ignore[attr-defined]
    assert session.exec(select(Comment).where(Comment.question_id == question.id)).all() == []


def test_api_thread_is_the_cases_staffs_only(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    elsewhere = Case(session)
    question = case.assigned()
    mine = bearer(session, case.officer)

    added = client.post(f"/api/v1/questions/{question.id}/comments", headers=mine,
                        json={"text": NOTE})
    read = client.get(f"/api/v1/questions/{question.id}/comments",
                      headers=bearer(session, case.spokesperson))
    statuses = [client.get(f"/api/v1/questions/{question.id}/comments",
                           headers=bearer(session, who)).status_code
                for who in (case.journalist, elsewhere.officer, elsewhere.spokesperson)]

    assert added.status_code == 201
    assert [(c["author_name"], c["body"], c["is_return"]) for c in read.json()] == [
        (case.officer.full_name, NOTE, False)]
    assert statuses == [403, 404, 404]
