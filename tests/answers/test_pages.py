"""The case pages and actions, as each role uses them."""

from __future__ import annotations

from datetime import timedelta

from pressroom.accounts.enums import Role
from pressroom.core.clock import now
from pressroom.questions.models import Assignment, Question
from tests import factories
from tests.conftest import post_form


def test_journalist_submits_a_written_question(login_as, session):
    case = factories.Case(session)
    client, _ = login_as(user=case.journalist)
    response = post_form(client, "/my/questions/new", {
        "title": "Về cấp thẻ nhà báo", "body": "Xin Bộ cho biết thời hạn cấp thẻ?",
        "conference_id": "", "addressed_to_id": str(case.ministry.id)})
    assert response.status_code == 303
    question_id = int(response.headers["location"].rsplit("/", 1)[1])
    stored = session.get(Question, question_id)
    assert (stored.title, stored.asker_id, stored.addressed_to_id) == (
        "Về cấp thẻ nhà báo", case.journalist.id, case.ministry.id)
    page = client.get(response.headers["location"])
    assert "Về cấp thẻ nhà báo" in page.text


def test_bad_question_form_keeps_what_was_typed(login_as, session):
    case = factories.Case(session)
    client, _ = login_as(user=case.journalist)
    response = post_form(client, "/my/questions/new", {
        "title": "", "body": "Nội dung <b>đậm</b> vẫn được giữ", "conference_id": "",
        "addressed_to_id": str(case.ministry.id)})
    assert response.status_code == 400
    assert "Nội dung &lt;b&gt;đậm&lt;/b&gt; vẫn được giữ" in response.text
    assert 'href="#title"' in response.text


def test_spokesperson_rejects_with_reason_the_journalist_sees(login_as, session):
    case = factories.Case(session)
    question = case.question()
    staff, _ = login_as(user=case.spokesperson)
    response = post_form(staff, f"/staff/questions/{question.id}/reject",
                         {"ground": "other", "message": "Câu hỏi trùng với câu hỏi số 12."})
    assert response.headers["location"] == f"/staff/questions/{question.id}"
    journalist, _ = login_as(user=case.journalist)
    assert "Câu hỏi trùng với câu hỏi số 12." in journalist.get(f"/my/questions/{question.id}").text


def test_reject_without_reason_shows_field_error(login_as, session):
    case = factories.Case(session)
    question = case.question()
    staff, _ = login_as(user=case.spokesperson)
    response = post_form(staff, f"/staff/questions/{question.id}/reject",
                         {"ground": "other", "message": "  "})
    assert response.status_code == 400
    session.expire_all()
    assert session.get(Question, question.id).state == "submitted"


def test_accept_and_assign_through_the_pages(login_as, session):
    case = factories.Case(session)
    question = case.question()
    staff, _ = login_as(user=case.spokesperson)
    post_form(staff, f"/staff/questions/{question.id}/accept", {})
    due = (now() + timedelta(days=6)).date()
    response = post_form(staff, f"/staff/questions/{question.id}/assign",
                         {"unit_id": str(case.unit.id), "due_date": due.isoformat(), "note": ""})
    assert response.status_code == 303
    session.expire_all()
    assignment = session.exec(
        Assignment.__table__.select().where(Assignment.question_id == question.id)).one()
    assert (assignment.unit_id, assignment.due_date) == (case.unit.id, due)


def test_officer_drafts_and_submits(login_as, session):
    case = factories.Case(session)
    question = case.assigned()
    officer, _ = login_as(user=case.officer)
    assert question.title in officer.get("/unit/assignments").text
    response = post_form(officer, f"/unit/questions/{question.id}/answer",
                         {"body": "Bộ đã tiếp nhận và xử lý.", "action": "submit"})
    assert response.headers["location"] == f"/unit/questions/{question.id}"
    page = officer.get(f"/unit/questions/{question.id}")
    assert "Bộ đã tiếp nhận và xử lý." in page.text


def test_unit_officer_cannot_see_another_units_question(login_as, session):
    case = factories.Case(session)
    question = case.assigned()
    other_unit = factories.unit(session, case.ministry, name="Cục Báo chí")
    stranger, _ = login_as(Role.UNIT_OFFICER, org_id=other_unit.id)
    assert stranger.get(f"/unit/questions/{question.id}").status_code == 404
    assert question.title not in stranger.get("/unit/assignments").text


def test_journalist_cannot_see_another_journalists_question(login_as, session):
    case = factories.Case(session)
    question = case.question()
    other, _ = login_as(Role.JOURNALIST)
    assert other.get(f"/my/questions/{question.id}").status_code == 404


def test_officer_cannot_approve(login_as, session):
    case = factories.Case(session)
    question, _answer = case.submitted_answer()
    officer, _ = login_as(user=case.officer)
    response = post_form(officer, f"/staff/questions/{question.id}/approve", {})
    assert response.status_code == 403


def test_approve_then_publish_makes_the_answer_public(login_as, client, session):
    case = factories.Case(session)
    question, answer = case.submitted_answer(body="Câu trả lời chính thức của Bộ.")
    staff, _ = login_as(user=case.spokesperson)
    post_form(staff, f"/staff/questions/{question.id}/approve", {})
    assert client.get(f"/answers/{answer.id}").status_code == 404
    response = post_form(staff, f"/staff/questions/{question.id}/publish", {"when": "now"})
    assert response.status_code == 303
    page = client.get(f"/answers/{answer.id}")
    assert page.status_code == 200
    assert "Câu trả lời chính thức của Bộ." in page.text
    assert case.journalist.full_name in page.text


def test_double_approve_says_it_changed(login_as, session):
    case = factories.Case(session)
    question, _answer = case.submitted_answer()
    staff, _ = login_as(user=case.spokesperson)
    post_form(staff, f"/staff/questions/{question.id}/approve", {})
    again = post_form(staff, f"/staff/questions/{question.id}/approve", {})
    assert again.status_code == 409
