"""Guards on questions, stated the way a user notices them: a stale write loses cleanly, due
dates skip weekends and Vietnamese public holidays, a unit loses a question it no longer
holds, a double submit never crosses journalists, and a question only goes to an open
conference and to a ministry that takes part in it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import event, text
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from pressroom.accounts.enums import Role
from pressroom.accounts.models import User
from pressroom.accounts.service import start_login_session
from pressroom.answers import service as answers
from pressroom.answers.models import Answer
from pressroom.answers.schemas import AnswerDraft
from pressroom.core.clock import now
from pressroom.core.errors import PermissionDenied
from pressroom.core.workdays import add_working_days
from pressroom.questions import service
from pressroom.questions.enums import DeclineGround
from pressroom.questions.models import Question
from pressroom.questions.schemas import QuestionAssign, QuestionCreate, QuestionReject
from tests import factories
from tests.conftest import csrf_token, post_form

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")

# What the interface says (default locale: Vietnamese).
STALE_MESSAGE = ("Người khác đã thay đổi nội dung này cùng lúc. Vui lòng tải lại trang để "
                 "xem trạng thái hiện tại rồi thử lại.")
QUESTION_NOT_FOUND = "Không tìm thấy câu hỏi."
CONFERENCE_ENDED = "Vui lòng chọn một họp báo sắp diễn ra."
NOT_A_PARTICIPANT = "Vui lòng chọn cơ quan chủ trì hoặc một cơ quan tham dự."

COLLEAGUE_REASON = "Câu hỏi đã được trả lời tại họp báo ngày 15/4."


def _rows(session: Session, title: str) -> list[Question]:
    session.expire_all()
    return list(session.exec(select(Question).where(Question.title == title)
                             .order_by(col(Question.id))))


def _field_error(html: str, field: str) -> str:
    """The message shown under a form field (without the visually hidden "Error:")."""
    match = re.search(rf'<p id="{field}-error" class="govuk-error-message">\s*'
                      r'<span class="govuk-visually-hidden">[^<]*</span>\s*([^<]*?)\s*</p>', html)
    assert match, f"no error message under {field}"
    return match.group(1)


def _due_date_values(html: str) -> list[str]:
    return re.findall(r'<input [^>]*id="due_date" name="due_date" type="date" value="([^"]*)"',
                      html)


# --- 1. the version check on questions ------------------------------------------------------

@pytest.mark.parametrize("action", ["accept", "decline"])
def test_screening_from_a_stale_read_loses_to_the_colleague_who_wrote_first(
    session, connection, action
):
    case = factories.Case(session)
    colleague = factories.user(session, Role.SPOKESPERSON, org_id=case.ministry.id,
                               full_name="Trần Văn Bình")
    question = case.question()
    session.commit()
    assert (question.state, question.row_version) == ("submitted", 1)  # what this request read
    # Meanwhile another request (the colleague's) declines it and commits.
    connection.execute(text(
        "UPDATE question SET state = 'rejected', decline_ground = 'other', rejection_reason = :reason, "
        "screened_by_id = :by, row_version = row_version + 1 WHERE id = :id"),
        {"reason": COLLEAGUE_REASON, "by": colleague.id, "id": question.id})

    with pytest.raises(StaleDataError):
        if action == "accept":
            service.accept_question(session, actor=case.spokesperson, question=question)
        else:
            service.reject_question(session, actor=case.spokesperson, question=question,
                                    data=QuestionReject(ground=DeclineGround.OTHER,
                                                        message="Ngoài thẩm quyền của Bộ."))
    session.rollback()

    stored = connection.execute(text(
        "SELECT state, rejection_reason, screened_by_id, row_version FROM question "
        "WHERE id = :id"), {"id": question.id}).one()
    assert tuple(stored) == ("rejected", COLLEAGUE_REASON, colleague.id, 2)


@contextmanager
def _colleague_accepts_before_the_write(question: Question, colleague: User) -> Iterator[list[int]]:
    """While active, the request that is about to write ``question`` (it has read version 1)
    is overtaken by a colleague's accept, as a concurrent request's would be: the colleague's
    UPDATE runs just before the request's flush."""
    raced: list[int] = []

    def overtake(db: Session, _context: object, _instances: object) -> None:
        if raced or not any(isinstance(o, Question) and o.id == question.id for o in db.dirty):
            return
        raced.append(question.id or 0)
        db.connection().execute(text(
            "UPDATE question SET state = 'accepted', screened_by_id = :by, "
            "row_version = row_version + 1 WHERE id = :id"), {"by": colleague.id, "id": question.id})

    event.listen(Session, "before_flush", overtake)
    try:
        yield raced
    finally:
        event.remove(Session, "before_flush", overtake)


def _assert_decline_not_stored(session: Session, question_id: int) -> None:
    # The simulated colleague wrote inside the failed request's own transaction, so its
    # rollback takes that write away too; what matters is that the decline is not stored.
    session.expire_all()
    stored = session.get(Question, question_id)
    assert (stored.state, stored.rejection_reason, stored.screened_by_id) == ("submitted", "", None)


def test_staff_decline_page_racing_a_colleague_answers_409(login_as, session):
    case = factories.Case(session)
    colleague = factories.user(session, Role.SPOKESPERSON, org_id=case.ministry.id,
                               full_name="Trần Văn Bình")
    question = case.question()
    staff, _ = login_as(user=case.spokesperson)
    token = csrf_token(staff, f"/staff/questions/{question.id}")

    with _colleague_accepts_before_the_write(question, colleague) as raced:
        response = staff.post(f"/staff/questions/{question.id}/reject", follow_redirects=False,
                              data={"csrf_token": token, "ground": "other",
                                    "message": "Ngoài thẩm quyền của Bộ."})

    assert raced == [question.id]
    _assert_decline_not_stored(session, question.id)
    assert response.status_code == 409
    assert STALE_MESSAGE in response.text


def test_staff_decline_api_racing_a_colleague_answers_409(client, session):
    case = factories.Case(session)
    colleague = factories.user(session, Role.SPOKESPERSON, org_id=case.ministry.id,
                               full_name="Trần Văn Bình")
    question = case.question()
    token = start_login_session(session, user=case.spokesperson)
    session.commit()

    with _colleague_accepts_before_the_write(question, colleague) as raced:
        response = client.post(f"/api/v1/questions/{question.id}/reject",
                               headers={"Authorization": f"Bearer {token}"},
                               json={"ground": "other", "message": "Ngoài thẩm quyền của Bộ."})

    assert raced == [question.id]
    assert (response.status_code, response.json()) == (409, {"detail": STALE_MESSAGE})
    _assert_decline_not_stored(session, question.id)


# --- 2. due dates count working days under the Vietnamese holiday calendar ------------------

@pytest.mark.parametrize(("start", "days", "expected"), [
    # Mon 9/3/2026 + 5: Tue, Wed, Thu, Fri, Mon.
    (date(2026, 3, 9), 5, date(2026, 3, 16)),
    # Thu 12/3 + 2: Fri, (Sat, Sun), Mon.
    (date(2026, 3, 12), 2, date(2026, 3, 16)),
    # Fri 13/3 + 1 and Sat 14/3 + 1: Monday.
    (date(2026, 3, 13), 1, date(2026, 3, 16)),
    (date(2026, 3, 14), 1, date(2026, 3, 16)),
    # Wed 29/4/2026 + 1: Thu 30/4 (Reunification), Fri 1/5 (Labour Day), weekend → Mon 4/5.
    (date(2026, 4, 29), 1, date(2026, 5, 4)),
    # Wed 29/4 + 5: Mon 4, Tue 5, Wed 6, Thu 7, Fri 8/5.
    (date(2026, 4, 29), 5, date(2026, 5, 8)),
    # Fri 24/4 + 1: Hùng Kings' day falls on Sun 26/4 and is observed Mon 27/4 → Tue 28/4.
    (date(2026, 4, 24), 1, date(2026, 4, 28)),
    # Fri 13/2/2026 + 5: weekend, Tết Mon 16 – Fri 20/2, weekend → Mon 23 … Fri 27/2.
    (date(2026, 2, 13), 5, date(2026, 2, 27)),
    # Wed 3/2/2027 + 5: Tết Thu 4 – Wed 10/2 → Thu 11, Fri 12, Mon 15, Tue 16, Wed 17/2.
    (date(2027, 2, 3), 5, date(2027, 2, 17)),
    # Zero working days: the start itself, even on a holiday.
    (date(2026, 4, 29), 0, date(2026, 4, 29)),
    (date(2026, 4, 30), 0, date(2026, 4, 30)),
], ids=["plain-week", "across-weekend", "from-friday", "from-saturday", "30-4-and-1-5",
        "five-across-30-4", "observed-hung-kings", "tet-2026", "tet-2027", "zero",
        "zero-on-holiday"])
def test_add_working_days_is_exact(start, days, expected):
    assert add_working_days(start, days) == expected


@pytest.mark.parametrize(("moment", "expected"), [
    # Wed 29/4/2026 10:00 in Hanoi: 30/4, 1/5 and the weekend are off → Fri 8/5.
    (datetime(2026, 4, 29, 10, 0, tzinfo=HANOI), "2026-05-08"),
    # Wed 29/4 03:00 in Hanoi is still Tue 28/4 in UTC: "today" is the Hanoi date.
    (datetime(2026, 4, 29, 3, 0, tzinfo=HANOI), "2026-05-08"),
    # Wed 3/2/2027: Tết 4–10/2/2027 → Wed 17/2.
    (datetime(2027, 2, 3, 9, 0, tzinfo=HANOI), "2027-02-17"),
], ids=["holiday-week", "hanoi-date-not-utc-date", "tet-2027"])
def test_staff_case_page_suggests_due_date_skipping_holidays(login_as, session, moment, expected):
    with time_machine.travel(moment, tick=False):
        case = factories.Case(session)
        question = case.question()
        service.accept_question(session, actor=case.spokesperson, question=question)
        staff, _ = login_as(user=case.spokesperson)
        page = staff.get(f"/staff/questions/{question.id}")
    assert page.status_code == 200
    assert _due_date_values(page.text) == [expected]


# --- 3. after a reassignment the first unit can no longer draft -----------------------------

class _Reassigned:
    """A question assigned to unit A (the Case's unit), then transferred to unit B."""

    def __init__(self, session: Session) -> None:
        self.case = factories.Case(session)
        self.unit_b = factories.unit(session, self.case.ministry, name="Cục Báo chí")
        self.officer_b = factories.user(session, Role.UNIT_OFFICER, org_id=self.unit_b.id,
                                        full_name="Phạm Minh Tuấn")
        self.question = self.case.assigned()
        service.assign_question(session, actor=self.case.spokesperson, question=self.question,
                                data=QuestionAssign(unit_id=self.unit_b.id or 0,
                                                    due_date=now().date() + timedelta(days=10),
                                                    note="Chuyển Cục Báo chí xử lý."))


def _answers_to(session: Session, question_id: int) -> list[tuple[int, str]]:
    session.expire_all()
    return [(a.unit_id, a.body) for a in session.exec(
        select(Answer).where(Answer.question_id == question_id))]


def test_save_draft_by_the_previous_unit_is_refused(session):
    r = _Reassigned(session)
    with pytest.raises(PermissionDenied):
        answers.save_draft(session, actor=r.case.officer, question=r.question,
                           data=AnswerDraft(body="Dự thảo của đơn vị cũ."))
    assert _answers_to(session, r.question.id) == []
    answer = answers.save_draft(session, actor=r.officer_b, question=r.question,
                                data=AnswerDraft(body="Dự thảo của Cục Báo chí."))
    assert (answer.unit_id, answer.drafted_by_id) == (r.unit_b.id, r.officer_b.id)
    assert _answers_to(session, r.question.id) == [(r.unit_b.id, "Dự thảo của Cục Báo chí.")]


def test_answer_page_post_by_the_previous_unit_stores_nothing(login_as, session):
    r = _Reassigned(session)
    officer_a, _ = login_as(user=r.case.officer)
    response = post_form(officer_a, f"/unit/questions/{r.question.id}/answer",
                         {"body": "Dự thảo của đơn vị cũ.", "action": "save"})
    assert response.status_code == 404
    assert QUESTION_NOT_FOUND in response.text
    assert _answers_to(session, r.question.id) == []

    officer_b, _ = login_as(user=r.officer_b)
    response = post_form(officer_b, f"/unit/questions/{r.question.id}/answer",
                         {"body": "Dự thảo của Cục Báo chí.", "action": "save"})
    assert response.headers["location"] == f"/unit/questions/{r.question.id}"
    assert _answers_to(session, r.question.id) == [(r.unit_b.id, "Dự thảo của Cục Báo chí.")]


def test_assignments_list_after_reassignment_shows_only_the_new_unit(login_as, session):
    r = _Reassigned(session)
    officer_a, _ = login_as(user=r.case.officer)
    officer_b, _ = login_as(user=r.officer_b)
    list_a = officer_a.get("/unit/assignments")
    list_b = officer_b.get("/unit/assignments")
    assert list_a.status_code == list_b.status_code == 200
    assert r.question.title not in list_a.text
    assert f'href="/unit/questions/{r.question.id}"' not in list_a.text
    assert r.question.title in list_b.text
    assert f'href="/unit/questions/{r.question.id}"' in list_b.text


# --- 4. the double-submit check stays within one journalist ---------------------------------

TITLE = "Về việc thu hồi giấy phép trang tin điện tử"
BODY = "Xin Bộ cho biết số trang tin bị thu hồi giấy phép trong quý I năm 2026?"


def test_submit_same_text_as_another_journalist_creates_their_own_question(session):
    ministry = factories.ministry(session)
    first_journalist = factories.user(session, Role.JOURNALIST, full_name="Đặng Thu Hà")
    second_journalist = factories.user(session, Role.JOURNALIST, full_name="Võ Minh Khôi")
    data = QuestionCreate(title=TITLE, body=BODY, addressed_to_id=ministry.id)
    first = service.submit_question(session, actor=first_journalist, data=data)
    second = service.submit_question(session, actor=second_journalist, data=data)
    assert second.id != first.id
    assert [(q.id, q.asker_id, q.outlet_id) for q in _rows(session, TITLE)] == [
        (first.id, first_journalist.id, first_journalist.outlet_id),
        (second.id, second_journalist.id, second_journalist.outlet_id),
    ]


def test_question_form_same_text_as_another_journalist_redirects_to_their_own(login_as, session):
    ministry = factories.ministry(session)
    first, first_journalist = login_as(Role.JOURNALIST)
    second, second_journalist = login_as(Role.JOURNALIST)
    form = {"title": TITLE, "body": BODY, "conference_id": "", "addressed_to_id": str(ministry.id)}
    first_response = post_form(first, "/my/questions/new", form)
    second_response = post_form(second, "/my/questions/new", form)

    rows = _rows(session, TITLE)
    assert [(q.asker_id, q.outlet_id) for q in rows] == [
        (first_journalist.id, first_journalist.outlet_id),
        (second_journalist.id, second_journalist.outlet_id),
    ]
    assert first_response.headers["location"] == f"/my/questions/{rows[0].id}"
    assert second_response.headers["location"] == f"/my/questions/{rows[1].id}"
    page = second.get(second_response.headers["location"])
    assert page.status_code == 200
    assert f"<title>{TITLE}" in page.text
    assert BODY in page.text


def test_question_form_sent_twice_by_one_journalist_gives_back_the_first(login_as, session):
    ministry = factories.ministry(session)
    client, journalist = login_as(Role.JOURNALIST)
    form = {"title": TITLE, "body": BODY, "conference_id": "", "addressed_to_id": str(ministry.id)}
    first_response = post_form(client, "/my/questions/new", form)
    second_response = post_form(client, "/my/questions/new", form)

    rows = _rows(session, TITLE)
    assert [(q.asker_id, q.addressed_to_id) for q in rows] == [(journalist.id, ministry.id)]
    assert first_response.headers["location"] == f"/my/questions/{rows[0].id}"
    assert second_response.headers["location"] == f"/my/questions/{rows[0].id}"


# --- 5. only open conferences, only the host or a participant -------------------------------

def _conference_with_participant(session: Session, case: factories.Case):  # type: ignore[no-untyped-def]
    participant = factories.ministry(session, name="Bộ Công an", short="BCA")
    conf = factories.conference(session, case.spokesperson, case.ministry,
                                starts_at=now() + timedelta(days=3), participants=(participant,),
                                title="Họp báo Chính phủ thường kỳ tháng 5")
    return conf, participant


def _assert_form_kept(html: str) -> None:
    assert f'id="title" name="title" type="text" value="{TITLE}"' in html
    assert re.search(rf'<textarea [^>]*id="body" name="body"[^>]*>{re.escape(BODY)}</textarea>',
                     html)


def test_question_form_for_a_conference_that_ended_is_refused(login_as, session):
    case = factories.Case(session)
    start = now() + timedelta(hours=1)
    conf = factories.conference(session, case.spokesperson, case.ministry, starts_at=start,
                                hours=2, title="Họp báo về chuyển đổi số quốc gia")
    client, _ = login_as(user=case.journalist)
    form_page = client.get(f"/my/questions/new?conference_id={conf.id}").text
    assert f'<option value="{conf.id}" selected>Họp báo về chuyển đổi số quốc gia</option>' in form_page
    token = re.search(r'name="csrf_token" value="([^"]+)"', form_page).group(1)

    # The journalist sends the form an hour after the conference ended.
    with time_machine.travel(start + timedelta(hours=3), tick=False):
        response = client.post("/my/questions/new", follow_redirects=False, data={
            "csrf_token": token, "conference_id": str(conf.id), "addressed_to_id": "",
            "title": TITLE, "body": BODY})

    assert response.status_code == 400
    assert _field_error(response.text, "conference_id") == CONFERENCE_ENDED
    assert f'<a href="#conference_id">{CONFERENCE_ENDED}</a>' in response.text
    _assert_form_kept(response.text)
    assert _rows(session, TITLE) == []


def test_question_form_to_a_ministry_outside_the_conference_is_refused(login_as, session):
    case = factories.Case(session)
    conf, _participant = _conference_with_participant(session, case)
    outsider = factories.ministry(session, name="Bộ Y tế", short="BYT")
    client, _ = login_as(user=case.journalist)
    response = post_form(client, "/my/questions/new", {
        "conference_id": str(conf.id), "addressed_to_id": str(outsider.id),
        "title": TITLE, "body": BODY})

    assert response.status_code == 400
    assert _field_error(response.text, "addressed_to_id") == NOT_A_PARTICIPANT
    assert f'<a href="#addressed_to_id">{NOT_A_PARTICIPANT}</a>' in response.text
    _assert_form_kept(response.text)
    assert _rows(session, TITLE) == []


def test_question_form_to_a_participating_ministry_is_accepted(login_as, session):
    case = factories.Case(session)
    conf, participant = _conference_with_participant(session, case)
    client, journalist = login_as(user=case.journalist)
    response = post_form(client, "/my/questions/new", {
        "conference_id": str(conf.id), "addressed_to_id": str(participant.id),
        "title": TITLE, "body": BODY})

    rows = _rows(session, TITLE)
    assert [(q.asker_id, q.conference_id, q.addressed_to_id) for q in rows] == [
        (journalist.id, conf.id, participant.id)]
    assert response.headers["location"] == f"/my/questions/{rows[0].id}"
