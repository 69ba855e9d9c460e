"""While the answer is prepared: a holding reply tells the journalist by when it will come; the
spokesperson extends a unit's due date once, with a reason the journalist reads; "holding",
"overdue" and "answered" read as distinct states on the pages and in the API."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlmodel import Session, col, select

from pressroom.answers import service as answers
from pressroom.core.clock import now
from pressroom.core.errors import InvalidTransition, ValidationFailed
from pressroom.core.i18n import local_zone
from pressroom.notifications.models import Notification
from pressroom.questions import service as questions
from pressroom.questions.models import Assignment, Question
from pressroom.questions.queries import current_assignment
from pressroom.questions.schemas import DueExtension, HoldingReply, QuestionAssign
from tests.conftest import post_form
from tests.factories import Case, bearer
from tests.reading import hidden, page_text

REASON = "Cần lấy ý kiến Bộ Tài chính về số liệu giải ngân."
WAIT = "Bộ đang tổng hợp số liệu từ 63 tỉnh, thành phố."


def _today() -> date:
    return now().astimezone(local_zone()).date()


def _vn(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _stored(session: Session, question: Question) -> Question:
    session.expire_all()
    stored = session.get(Question, question.id)
    assert stored is not None
    return stored


# --- holding reply ---------------------------------------------------------------------------

def test_holding_reply_reaches_the_journalist_page_timeline_api_and_notification(
        login_as, session: Session, client) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question = case.assigned()
    by = _today() + timedelta(days=10)
    session.commit()
    staff, _s = login_as(user=case.spokesperson)
    journalist, _j = login_as(user=case.journalist)
    page = staff.get(f"/staff/questions/{question.id}").text

    response = post_form(staff, f"/staff/questions/{question.id}/hold", {
        "answer_by": by.isoformat(), "message": WAIT, "version": hidden(page, "version")},
        page=f"/staff/questions/{question.id}")

    assert response.headers["location"] == f"/staff/questions/{question.id}"  # type: ignore[attr-defined]
    stored = _stored(session, question)
    assert (stored.holding_until, stored.holding_message) == (by, WAIT)
    seen = page_text(journalist.get(f"/my/questions/{question.id}").text)
    assert "Đã phản hồi tạm" in seen  # the state
    assert re.search(rf"Phản hồi tạm Sẽ trả lời trước ngày [^,]+, {_vn(by)}\. {WAIT}", seen)
    assert WAIT in seen
    assert f"Cơ quan báo chí đã phản hồi tạm: sẽ trả lời trước ngày {_vn(by)}" in seen
    told = session.exec(select(Notification).where(Notification.user_id == case.journalist.id)
                        .order_by(col(Notification.id).desc())).first()
    assert told is not None and (told.kind, told.text) == (
        "holding_answer", f"{case.ministry.name} sẽ trả lời trước ngày {_vn(by)}: {WAIT}")
    api = client.get(f"/api/v1/my/questions/{question.id}",
                     headers=bearer(session, case.journalist)).json()
    assert (api["state"], api["holding"]) == (
        "holding", {"answer_by": by.isoformat(), "message": WAIT})


def test_holding_reply_needs_an_accepted_or_assigned_question_and_a_date_ahead(
        session: Session) -> None:
    case = Case(session)
    submitted = case.question()
    accepted = case.question()
    questions.accept_question(session, actor=case.spokesperson, question=accepted)

    with pytest.raises(InvalidTransition):
        questions.send_holding_reply(session, actor=case.spokesperson, question=submitted,
                                     data=HoldingReply(answer_by=_today(), message=WAIT))
    with pytest.raises(ValidationFailed) as late:
        questions.send_holding_reply(
            session, actor=case.spokesperson, question=accepted,
            data=HoldingReply(answer_by=_today() - timedelta(days=1), message=WAIT))
    assert late.value.fields == {
        "answer_by": f"Trả lời trước ngày: không được trước hôm nay ({_vn(_today())})."}
    questions.send_holding_reply(session, actor=case.spokesperson, question=accepted,
                                 data=HoldingReply(answer_by=_today(), message=WAIT))
    assert accepted.shown_state(None, now()) == "holding"
    assert submitted.holding_until is None


def test_holding_form_without_text_names_the_fields(login_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question = case.assigned()
    session.commit()
    staff, _s = login_as(user=case.spokesperson)

    response = post_form(staff, f"/staff/questions/{question.id}/hold",
                         {"answer_by": "", "message": "  "}, page=f"/staff/questions/{question.id}")

    text = page_text(response.text)  # type: ignore[attr-defined]
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Trả lời trước ngày: bắt buộc nhập." in text
    assert "Lời nhắn tới phóng viên: bắt buộc nhập." in text
    assert _stored(session, question).holding_until is None


# --- extension -------------------------------------------------------------------------------

def test_one_extension_with_a_reason_the_journalist_reads(login_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question = case.assigned()
    first_due = current_assignment(session, question.id or 0).due_date  # type: ignore[union-attr]
    later = first_due + timedelta(days=7)
    session.commit()
    staff, _s = login_as(user=case.spokesperson)
    journalist, _j = login_as(user=case.journalist)
    page = staff.get(f"/staff/questions/{question.id}").text

    response = post_form(staff, f"/staff/questions/{question.id}/extend", {
        "extended_to": later.isoformat(), "reason": REASON, "version": hidden(page, "version")},
        page=f"/staff/questions/{question.id}")

    assert response.headers["location"] == f"/staff/questions/{question.id}"  # type: ignore[attr-defined]
    session.expire_all()
    rows = session.exec(select(Assignment).where(Assignment.question_id == question.id)).all()
    assert [(a.due_date, a.extended_from, a.extension_reason) for a in rows] == [
        (later, first_due, REASON)]
    seen = page_text(journalist.get(f"/my/questions/{question.id}").text)
    assert f"Gia hạn từ {_vn(first_due)}. Lý do: {REASON}" in seen
    assert f"Hạn trả lời được gia hạn đến {_vn(later)}" in seen
    staff_page = page_text(staff.get(f"/staff/questions/{question.id}").text)
    assert (f"Câu hỏi đã được gia hạn một lần (từ {_vn(first_due)}); không thể gia hạn thêm."
            in staff_page)

    again = post_form(staff, f"/staff/questions/{question.id}/extend", {
        "extended_to": (later + timedelta(days=3)).isoformat(), "reason": "Lần nữa."},
        page=f"/staff/questions/{question.id}")
    assert again.status_code == 409  # type: ignore[attr-defined]
    assert (f"Câu hỏi này đã được gia hạn một lần (từ {_vn(first_due)} đến {_vn(later)}); "
            "chỉ được gia hạn một lần.") in page_text(again.text)  # type: ignore[attr-defined]
    assert current_assignment(session, question.id or 0).due_date == later  # type: ignore[union-attr]


def test_extension_must_move_the_due_date_later(session: Session) -> None:
    case = Case(session)
    question = case.assigned()
    due = current_assignment(session, question.id or 0).due_date  # type: ignore[union-attr]

    with pytest.raises(ValidationFailed) as same:
        questions.extend_due_date(session, actor=case.spokesperson, question=question,
                                  data=DueExtension(extended_to=due, reason=REASON))

    assert same.value.fields == {
        "extended_to": f"Hạn trả lời mới: phải sau hạn hiện tại ({_vn(due)})."}
    assert current_assignment(session, question.id or 0).extended_from is None  # type: ignore[union-attr]


def test_api_extension_is_listed_with_the_assignment_and_refused_twice(
        client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question = case.assigned()
    due = current_assignment(session, question.id or 0).due_date  # type: ignore[union-attr]
    headers = bearer(session, case.spokesperson)
    tag = client.get(f"/api/v1/staff/questions/{question.id}", headers=headers).headers["etag"]

    first = client.post(f"/api/v1/questions/{question.id}/extension",
                        headers={**headers, "If-Match": tag},
                        json={"extended_to": (due + timedelta(days=5)).isoformat(),
                              "reason": REASON})
    second = client.post(f"/api/v1/questions/{question.id}/extension",
                         headers={**headers, "If-Match": first.headers["etag"]},
                         json={"extended_to": (due + timedelta(days=9)).isoformat(),
                               "reason": REASON})

    assert first.status_code == 200
    assert {k: first.json()["assignment"][k] for k in
            ("due_date", "extended_from", "extension_reason")} == {
        "due_date": (due + timedelta(days=5)).isoformat(), "extended_from": due.isoformat(),
        "extension_reason": REASON}
    assert second.status_code == 409
    assert "chỉ được gia hạn một lần" in second.json()["detail"]


# --- shown states ----------------------------------------------------------------------------

def test_overdue_holding_and_answered_read_apart_on_pages_and_in_the_api(
        login_as, client, session: Session) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(now(), tick=False) as clock:
        case = Case(session)
        late, held, answered = case.assigned(), case.assigned(), case.assigned()
        questions.send_holding_reply(
            session, actor=case.spokesperson, question=held,
            data=HoldingReply(answer_by=_today() + timedelta(days=20), message=WAIT))
        answered, _answer = case.submitted_answer()
        answers.approve_answer(session, actor=case.spokesperson, question=answered,
                               answer=_answer)
        session.commit()
        clock.shift(timedelta(days=8))  # past the 7-day due dates of the factory
        staff, _s = login_as(user=case.spokesperson)
        headers = bearer(session, case.spokesperson)

        listed = {q["id"]: q["state"] for q in
                  client.get("/api/v1/staff/questions", headers=headers).json()}
        page = page_text(staff.get("/staff/questions").text)

    assert (listed[late.id], listed[held.id], listed[answered.id]) == (
        "overdue", "overdue", "answered")
    assert "Quá hạn" in page and "Đã trả lời" in page
    tomorrow = Assignment(question_id=0, unit_id=0, assigned_by_id=0,
                          due_date=_today() + timedelta(days=1))
    assert held.shown_state(tomorrow, now()) == "holding"
    assert late.shown_state(current_assignment(session, late.id or 0), now()) == "assigned"


def test_due_filters_keep_overdue_or_due_soon_questions_on_every_work_list(
        login_as, client, session: Session) -> None:  # type: ignore[no-untyped-def]
    # Monday 7 December 2026, Hà Nội: due soon means by Wednesday the 9th.
    with time_machine.travel(datetime(2026, 12, 7, 2, 0, tzinfo=UTC), tick=False):
        case = Case(session)
        late, soon, later = case.assigned(), case.assigned(), case.assigned()
        for question, day in ((late, date(2026, 12, 4)), (soon, date(2026, 12, 9)),
                              (later, date(2026, 12, 10))):
            assignment = current_assignment(session, question.id or 0)
            assert assignment is not None
            assignment.due_date = day  # as if assigned earlier (the services refuse the past)
            session.add(assignment)
        session.commit()
        staff, _s = login_as(user=case.spokesperson)
        officer, _o = login_as(user=case.officer)
        headers = bearer(session, case.spokesperson)

        def titles(html: str) -> set[str]:
            text = page_text(html)
            return {q.title for q in (late, soon, later) if q.title in text}

        staff_overdue = titles(staff.get("/staff/questions?due=overdue").text)
        staff_soon = titles(staff.get("/staff/questions?due=soon").text)
        unit_overdue = titles(officer.get("/unit/assignments?due=overdue").text)
        unit_all = titles(officer.get("/unit/assignments").text)
        api_soon = [q["id"] for q in client.get("/api/v1/staff/questions?due=soon",
                                                headers=headers).json()]
        api_bad = client.get("/api/v1/staff/questions?due=tomorrow", headers=headers)

    assert staff_overdue == {late.title} == unit_overdue
    assert staff_soon == {soon.title}
    assert unit_all == {late.title, soon.title, later.title}
    assert api_soon == [soon.id]
    assert api_bad.status_code == 422


# --- urgent questions ------------------------------------------------------------------------

def test_an_urgent_question_is_due_in_hours_and_overdue_after_them(
        login_as, client, session: Session) -> None:  # type: ignore[no-untyped-def]
    # Monday 7 December 2026, 09:00 in Hà Nội.
    with time_machine.travel(datetime(2026, 12, 7, 2, 0, tzinfo=UTC), tick=False) as clock:
        case = Case(session)
        question = case.question()
        questions.accept_question(session, actor=case.spokesperson, question=question)
        session.commit()
        staff, _s = login_as(user=case.spokesperson)
        page = staff.get(f"/staff/questions/{question.id}").text

        response = post_form(staff, f"/staff/questions/{question.id}/assign", {
            "unit_id": str(case.unit.id), "due_date": "", "urgent_hours": "4",
            "version": hidden(page, "version")}, page=f"/staff/questions/{question.id}")
        shown = page_text(staff.get(f"/staff/questions/{question.id}").text)
        headers = bearer(session, case.spokesperson)
        before = client.get(f"/api/v1/staff/questions/{question.id}", headers=headers).json()
        clock.shift(timedelta(hours=4, minutes=1))
        after = client.get(f"/api/v1/staff/questions/{question.id}", headers=headers).json()
        overdue = [q["id"] for q in client.get("/api/v1/staff/questions?due=overdue",
                                               headers=headers).json()]

    assert response.headers["location"] == f"/staff/questions/{question.id}"  # type: ignore[attr-defined]
    stored = current_assignment(session, question.id or 0)
    assert stored is not None
    assert (stored.due_date, stored.due_at) == (
        date(2026, 12, 7), datetime(2026, 12, 7, 6, 0, tzinfo=UTC))
    assert "Hạn trả lời 13:00 07/12/2026 Khẩn" in shown
    assert (before["state"], before["assignment"]["due_at"]) == (
        "assigned", "2026-12-07T06:00:00Z")
    assert after["state"] == "overdue"
    assert overdue == [question.id]


def test_an_assignment_needs_a_day_or_hours(session: Session) -> None:
    case = Case(session)
    question = case.question()
    questions.accept_question(session, actor=case.spokesperson, question=question)

    with pytest.raises(ValidationFailed) as missing:
        questions.assign_question(session, actor=case.spokesperson, question=question,
                                  data=QuestionAssign(unit_id=case.unit.id or 0))

    assert missing.value.fields == {
        "due_date": "Hạn trả lời: hãy nhập ngày, hoặc số giờ với câu hỏi khẩn."}
    assert current_assignment(session, question.id or 0) is None
