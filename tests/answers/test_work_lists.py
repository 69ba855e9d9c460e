"""Work lists: after login each role lands on its work; the spokesperson's "needs action" page
counts and lists overdue, due-soon, new and awaiting-approval questions; lists put what needs
doing first (overdue, due soonest, then newest)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlmodel import Session

from pressroom.accounts.enums import Role
from pressroom.answers import service as answers
from pressroom.answers.schemas import AnswerDraft, AnswerPublish
from pressroom.core.clock import now
from pressroom.core.i18n import local_zone
from pressroom.core.workdays import add_working_days
from pressroom.questions.models import Assignment
from pressroom.questions.queries import current_assignment
from tests import factories
from tests.conftest import csrf_token
from tests.factories import Case, bearer
from tests.reading import page_text


def _today() -> date:
    return now().astimezone(local_zone()).date()


def _due(session: Session, question, due: date) -> None:  # type: ignore[no-untyped-def]
    """Moves the current assignment's due date (to the past, too: what time does)."""
    assignment = current_assignment(session, question.id)
    assert isinstance(assignment, Assignment)
    assignment.due_date = due
    session.add(assignment)
    session.flush()


@pytest.mark.parametrize(("role", "home"), [
    (Role.SPOKESPERSON, "/staff"), (Role.UNIT_OFFICER, "/unit/assignments"),
    (Role.JOURNALIST, "/my/questions"), (Role.ADMIN, "/admin/users")])
def test_each_role_lands_on_its_work_after_login(client, session: Session, role: Role,
                                                 home: str) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(session, role)
    session.commit()

    response = client.post("/login", data={"csrf_token": csrf_token(client), "email": user.email,
                                           "password": factories.PASSWORD},
                           follow_redirects=False)

    assert response.headers["location"] == home


def test_needs_action_counts_and_lists_what_to_do(login_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    overdue = case.assigned(title="Câu hỏi quá hạn")
    _due(session, overdue, _today() - timedelta(days=3))
    soon = case.assigned(title="Câu hỏi sắp đến hạn")
    _due(session, soon, add_working_days(_today(), 1))
    later = case.assigned(title="Câu hỏi còn nhiều thời gian")
    _due(session, later, _today() + timedelta(days=30))
    new = case.question(title="Câu hỏi mới gửi")
    waiting = case.assigned(title="Câu hỏi chờ duyệt")
    draft = answers.save_draft(session, actor=case.officer, question=waiting,
                               data=AnswerDraft(body="Trả lời."))
    answers.submit_answer(session, actor=case.officer, question=waiting, answer=draft)
    session.commit()
    staff, _user = login_as(user=case.spokesperson)

    page = staff.get("/staff").text
    sections = {m.group(1): m.group(2) for m in re.finditer(
        r'<h2 class="govuk-heading-m" id="([a-z-]+)">(.*?)(?=<h2 class="govuk-heading-m"|</main>)',
        page, re.S)}

    assert "1 Quá hạn 1 Đến hạn trong 2 ngày làm việc 1 Câu hỏi mới cần xem xét" in page_text(page)
    assert page_text(sections["overdue"]).startswith("Quá hạn (1)")
    assert overdue.title in sections["overdue"]
    assert page_text(sections["due-soon"]).startswith("Đến hạn trong 2 ngày làm việc (1)")
    assert soon.title in sections["due-soon"] and later.title not in page
    assert page_text(sections["new"]).startswith("Câu hỏi mới cần xem xét (1)")
    assert new.title in sections["new"]
    assert page_text(sections["approval"]).startswith("Câu trả lời chờ phê duyệt (1)")
    assert waiting.title in sections["approval"]


def test_needs_action_is_the_spokespersons_page(client, login_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    anonymous = client.get("/staff", follow_redirects=False)
    officer, _o = login_as("unit_officer")
    journalist, _j = login_as("journalist")

    assert anonymous.headers["location"] == "/login?next=%2Fstaff"
    assert officer.get("/staff").status_code == 403
    assert journalist.get("/staff").status_code == 403


def test_lists_put_overdue_first_then_due_soonest_then_newest(
        client, login_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    older_new = case.question(title="Mới cũ hơn")
    far = case.assigned(title="Hạn xa")
    _due(session, far, _today() + timedelta(days=20))
    overdue = case.assigned(title="Quá hạn")
    _due(session, overdue, _today() - timedelta(days=1))
    near = case.assigned(title="Hạn gần")
    _due(session, near, _today() + timedelta(days=2))
    newest = case.question(title="Mới nhất")
    session.commit()
    staff, _user = login_as(user=case.spokesperson)
    officer, _o = login_as(user=case.officer)

    page = staff.get("/staff/questions").text
    api = client.get("/api/v1/staff/questions", headers=bearer(session, case.spokesperson)).json()
    queue = officer.get("/unit/assignments").text

    expected = [overdue.id, near.id, far.id, newest.id, older_new.id]
    shown = [int(i) for i in re.findall(r'href="/staff/questions/(\d+)"', page)]
    assert shown == expected
    assert [q["id"] for q in api] == expected
    listed = [int(i) for i in re.findall(r'href="/unit/questions/(\d+)"', queue)]
    assert listed == [overdue.id, near.id, far.id]


def test_journalist_follows_each_question_on_a_timeline(login_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question, _answer = case.published_answer()
    scheduled, scheduled_answer = case.submitted_answer()
    answers.approve_answer(session, actor=case.spokesperson, question=scheduled,
                           answer=scheduled_answer)
    answers.publish_answer(session, actor=case.spokesperson, question=scheduled,
                           answer=scheduled_answer,
                           data=AnswerPublish(publish_at=now() + timedelta(days=1)))
    session.commit()
    journalist, _user = login_as(user=case.journalist)
    due = current_assignment(session, question.id)

    page = page_text(journalist.get(f"/my/questions/{question.id}").text)
    later = page_text(journalist.get(f"/my/questions/{scheduled.id}").text)

    timeline = page[page.index("Diễn biến xử lý"):]
    steps = ["Bạn đã gửi câu hỏi", "Bộ phận báo chí đã tiếp nhận",
             f"Đã giao {case.unit.name} trả lời, hạn {due.due_date:%d/%m/%Y}",  # type: ignore[union-attr]
             "Câu trả lời đã được phê duyệt", "Câu trả lời đã được công bố"]
    positions = [timeline.index(step) for step in steps]
    assert positions == sorted(positions)
    assert case.spokesperson.full_name not in timeline
    assert "Câu trả lời đã được phê duyệt" in later
    assert "Câu trả lời đã được công bố" not in later
