"""Dates that make sense, and cancel and postpone as deliberate acts: a reason, a
confirmation page saying what will happen, a public page that stays, and pending questions
that become written ones."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from pressroom.answers import service as answers
from pressroom.conferences.models import PressConference
from pressroom.core.audit import Event
from pressroom.core.clock import now
from pressroom.core.i18n import fmt_datetime, local_zone
from pressroom.questions.models import Question
from tests import factories
from tests.factories import Case, bearer
from tests.reading import hidden, page_text


def _local(value: object) -> str:
    return value.astimezone(local_zone()).strftime("%Y-%m-%dT%H:%M")  # type: ignore[attr-defined]


def _new_form(page: str, case: Case, starts: str, ends: str) -> dict[str, str]:
    return {"csrf_token": hidden(page, "csrf_token"),
            "submission_key": hidden(page, "submission_key"),
            "title": "Họp báo thường kỳ", "host_organization_id": str(case.ministry.id),
            "starts_at": starts, "ends_at": ends, "venue": "Hà Nội"}


@pytest.mark.parametrize(("starts", "ends", "field", "message"), [
    ("2020-05-04T09:00", "2020-05-04T11:00", "starts_at",
     "Thời gian bắt đầu: hãy chọn một thời điểm trong tương lai."),
    ("2999-12-31T09:00", "2999-12-31T11:00", "starts_at",
     "Thời gian bắt đầu: tối đa hai năm kể từ nay."),
    (None, "2020-01-01T00:00", "ends_at", "Thời gian kết thúc phải sau thời gian bắt đầu."),
    (None, "+13h", "ends_at", "Thời gian kết thúc: một cuộc họp báo kéo dài tối đa 12 giờ."),
])
def test_new_conference_must_start_ahead_and_end_after(session: Session, login_as, starts: str | None,
                                                       ends: str, field: str, message: str) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    session.commit()
    client, _user = login_as(user=case.spokesperson)
    page = client.get("/staff/conferences/new").text
    start = now() + timedelta(days=3)
    starts = starts or _local(start)
    ends = _local(start + timedelta(hours=13)) if ends == "+13h" else ends

    response = client.post("/staff/conferences/new", data=_new_form(page, case, starts, ends))

    assert response.status_code == 400
    assert message in page_text(response.text)
    assert f'href="#{field}"' in response.text
    assert session.exec(select(PressConference)).all() == []


def test_api_conference_far_ahead_is_422_naming_the_field(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    headers = {**bearer(session, case.spokesperson), "Accept-Language": "en"}
    body = {"title": "Họp báo", "host_organization_id": case.ministry.id, "venue": "Hà Nội"}

    far = client.post("/api/v1/conferences", headers=headers, json={
        **body, "starts_at": "2999-12-31T09:00:00+07:00", "ends_at": "2999-12-31T11:00:00+07:00"})
    beyond = client.post("/api/v1/conferences", headers=headers, json={
        **body, "starts_at": "9999-12-31T09:00:00+07:00", "ends_at": "9999-12-31T11:00:00+07:00"})

    assert far.status_code == 422
    assert far.json()["errors"] == {"starts_at": "Start: at most two years ahead."}
    assert beyond.status_code == 422
    assert [(e["loc"], e["msg"]) for e in beyond.json()["detail"]] == [
        (["body", "starts_at"], "Enter a valid date and time."),
        (["body", "ends_at"], "Enter a valid date and time.")]


def _draft(session: Session, case: Case, hours_ahead: float) -> PressConference:
    conference = factories.conference(session, case.spokesperson, case.ministry, announce=False)
    conference.starts_at = now() + timedelta(hours=hours_ahead)
    conference.ends_at = conference.starts_at + timedelta(hours=2)
    session.add(conference)
    session.commit()
    return conference


def test_announcing_at_short_notice_needs_a_reason(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    conference = _draft(session, case, hours_ahead=5)
    client, _user = login_as(user=case.spokesperson)
    url = f"/staff/conferences/{conference.id}"
    page = client.get(url).text
    form = {name: hidden(page, name) for name in ("csrf_token", "version", "seen")}

    refused = client.post(url + "/announce", data=form)
    announced = client.post(url + "/announce", data={
        **form, "reason": "Sự cố cần thông tin ngay tới báo chí."}, follow_redirects=False)

    assert "Vì sao thông báo trước chưa đủ 24 giờ?" in page_text(page)
    assert refused.status_code == 400
    assert "Lý do: báo chí cần được thông báo trước ít nhất 24 giờ" in page_text(refused.text)
    assert announced.status_code == 303
    session.expire_all()
    assert session.get(PressConference, conference.id).status == "announced"  # type: ignore[union-attr]
    event = session.exec(select(Event).where(Event.action == "conference.announced")
                         .order_by(col(Event.id).desc())).first()
    assert event is not None
    assert json.loads(event.changes)["reason"] == [None, "Sự cố cần thông tin ngay tới báo chí."]


def test_announcing_a_day_ahead_needs_no_reason(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    conference = _draft(session, case, hours_ahead=30)
    client, _user = login_as(user=case.spokesperson)
    page = client.get(f"/staff/conferences/{conference.id}").text

    response = client.post(f"/staff/conferences/{conference.id}/announce", data={
        name: hidden(page, name) for name in ("csrf_token", "version", "seen")},
        follow_redirects=False)

    assert "Vì sao thông báo trước" not in page_text(page)
    assert response.status_code == 303


def test_announced_conference_moves_only_to_another_future_time(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    headers = bearer(session, case.spokesperson)
    body = client.get(f"/api/v1/staff/conferences/{conference.id}", headers=headers).json()
    fields = {key: body[key] for key in ("title", "host_organization_id", "venue",
                                         "livestream_url", "description")}
    past = now() - timedelta(days=1)
    later = conference.starts_at + timedelta(days=2)

    into_past = client.put(f"/api/v1/conferences/{conference.id}", headers=headers, json={
        **fields, "starts_at": past.isoformat(), "ends_at": (past + timedelta(hours=1)).isoformat()})
    moved = client.put(f"/api/v1/conferences/{conference.id}", headers=headers, json={
        **fields, "starts_at": later.isoformat(), "ends_at": (later + timedelta(hours=2)).isoformat()})

    assert into_past.status_code == 422
    assert "starts_at" in into_past.json()["errors"]
    assert moved.status_code == 200
    event = session.exec(select(Event).where(Event.action == "conference.updated")
                         .order_by(col(Event.id).desc())).first()
    assert event is not None
    before, after = json.loads(event.changes)["starts_at"]
    assert (before, after) == (conference.starts_at.isoformat(), later.isoformat())


def _with_questions(session: Session) -> tuple[Case, PressConference, list[Question], Question]:
    case = Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    pending = [case.question(conference_id=conference.id, title=f"Câu hỏi chờ {i}")
               for i in range(2)]
    answered, answer = case.submitted_answer()
    answered.conference_id = conference.id
    session.add(answered)
    answers.approve_answer(session, actor=case.spokesperson, question=answered, answer=answer)
    session.commit()
    return case, conference, pending, answered


def test_cancel_confirmation_says_what_will_happen(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case, conference, _pending, _answered = _with_questions(session)
    client, _user = login_as(user=case.spokesperson)

    page = page_text(client.get(f"/staff/conferences/{conference.id}/cancel").text)

    assert "Trang công khai vẫn giữ nguyên địa chỉ và hiển thị “Đã huỷ” kèm lý do của bạn." in page
    assert ("2 câu hỏi gửi cho họp báo này chưa được trả lời sẽ chuyển thành câu hỏi trả lời "
            "bằng văn bản") in page
    session.expire_all()
    assert session.get(PressConference, conference.id).status == "announced"  # type: ignore[union-attr]


def test_cancel_needs_a_reason(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case, conference, _pending, _answered = _with_questions(session)
    client, _user = login_as(user=case.spokesperson)
    url = f"/staff/conferences/{conference.id}/cancel"
    page = client.get(url).text

    response = client.post(url, data={name: hidden(page, name)
                                      for name in ("csrf_token", "version", "seen")})

    assert response.status_code == 400
    assert 'href="#reason"' in response.text
    session.expire_all()
    assert session.get(PressConference, conference.id).status == "announced"  # type: ignore[union-attr]


def test_cancelled_conference_stays_public_and_its_questions_become_written(
        session: Session, login_as, client) -> None:  # type: ignore[no-untyped-def]
    case, conference, pending, answered = _with_questions(session)
    staff, _user = login_as(user=case.spokesperson)
    url = f"/staff/conferences/{conference.id}/cancel"
    page = staff.get(url).text
    reason = "Lãnh đạo Bộ có lịch công tác đột xuất; nội dung sẽ thông tin bằng văn bản."

    done = staff.post(url, data={**{name: hidden(page, name) for name in
                                    ("csrf_token", "version", "seen")}, "reason": reason},
                      follow_redirects=False)

    assert done.status_code == 303
    public = client.get(f"/conferences/{conference.id}")
    assert public.status_code == 200
    text = page_text(public.text)
    assert "Cuộc họp báo này đã bị huỷ." in text and reason in text
    assert "Đặt câu hỏi cho họp báo này" not in text
    session.expire_all()
    moved = [session.get(Question, q.id) for q in pending]
    assert all(q is not None and q.moved_to_writing_at is not None for q in moved)
    assert all(q.addressed_to_id == case.ministry.id for q in moved)  # type: ignore[union-attr]
    assert session.get(Question, answered.id).moved_to_writing_at is None  # type: ignore[union-attr]
    journalist, _user = login_as(user=case.journalist)
    mine = page_text(journalist.get("/my/questions").text)
    assert mine.count("Họp báo đã huỷ: chuyển thành câu hỏi trả lời bằng văn bản") == 2
    actions = session.exec(select(Event.action).where(Event.case_id == pending[0].id,
                                                      Event.case_type == "question")).all()
    assert actions[-1] == "question.moved_to_writing"


def test_postpone_to_a_later_time_shows_on_the_public_page(session: Session, login_as, client) -> None:  # type: ignore[no-untyped-def]
    case, conference, _pending, _answered = _with_questions(session)
    staff, _user = login_as(user=case.spokesperson)
    url = f"/staff/conferences/{conference.id}/postpone"
    page = staff.get(url).text
    form = {name: hidden(page, name) for name in ("csrf_token", "version", "seen")}
    first = conference.starts_at
    earlier, later = first - timedelta(hours=2), first + timedelta(days=3)

    refused = staff.post(url, data={**form, "reason": "Lùi lịch.",
                                    "starts_at": _local(earlier),
                                    "ends_at": _local(earlier + timedelta(hours=1))})
    done = staff.post(url, data={**form, "reason": "Chờ số liệu chính thức.",
                                 "starts_at": _local(later),
                                 "ends_at": _local(later + timedelta(hours=2))},
                      follow_redirects=False)

    assert refused.status_code == 400
    assert "họp báo hoãn phải bắt đầu muộn hơn dự kiến" in page_text(refused.text)
    assert done.status_code == 303
    text = page_text(client.get(f"/conferences/{conference.id}").text)
    assert f"Hoãn đến {fmt_datetime(later.replace(second=0, microsecond=0))}" in text
    assert f"(dự kiến ban đầu: {fmt_datetime(first)})" in text
    assert "Chờ số liệu chính thức." in text
    journalist, _user = login_as(user=case.journalist)
    form_page = journalist.get(f"/my/questions/new?conference_id={conference.id}").text
    assert f'value="{conference.id}" selected' in form_page


def test_api_cancel_and_postpone_take_a_reason(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    headers = {**bearer(session, case.spokesperson), "Accept-Language": "en"}
    later = conference.starts_at + timedelta(days=1)

    no_reason = client.post(f"/api/v1/conferences/{conference.id}/cancel", headers=headers,
                            json={})
    postponed = client.post(f"/api/v1/conferences/{conference.id}/postpone", headers=headers,
                            json={"starts_at": later.isoformat(),
                                  "ends_at": (later + timedelta(hours=2)).isoformat(),
                                  "reason": "Chờ số liệu."})
    cancelled = client.post(f"/api/v1/conferences/{conference.id}/cancel", headers=headers,
                            json={"reason": "Không tổ chức nữa."})
    again = client.post(f"/api/v1/conferences/{conference.id}/cancel", headers=headers,
                        json={"reason": "Lần nữa."})

    assert no_reason.status_code == 422
    assert postponed.json()["status"] == "postponed"
    assert postponed.json()["postponed_from"] is not None
    assert (cancelled.json()["status"], cancelled.json()["status_reason"]) == (
        "cancelled", "Không tổ chức nữa.")
    assert again.status_code == 409
    assert again.json()["detail"] == ("This action is not possible for this press conference "
                                      "now. It was cancelled: nothing more can be changed.")


def test_due_date_and_publication_time_at_most_a_year_ahead(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question = case.question()
    from pressroom.questions.service import accept_question

    accept_question(session, actor=case.spokesperson, question=question)
    headers = {**bearer(session, case.spokesperson), "Accept-Language": "en"}

    far = client.post(f"/api/v1/questions/{question.id}/assign", headers=headers,
                      json={"unit_id": case.unit.id, "due_date": "9999-12-31"})

    assert far.status_code == 422
    assert far.json()["errors"]["due_date"].startswith("Due date: at most one year ahead (")
    approved, answer = case.submitted_answer()
    answers.approve_answer(session, actor=case.spokesperson, question=approved, answer=answer)
    late = client.post(f"/api/v1/questions/{approved.id}/answer/publish", headers=headers,
                       json={"publish_at": (now() + timedelta(days=400)).isoformat()})
    assert late.status_code == 422
    assert late.json()["errors"] == {"publish_at": "Publication time: at most one year ahead."}


def test_draft_reads_draft_in_both_languages(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry, announce=False)
    session.commit()
    client, _user = login_as(user=case.spokesperson)

    vietnamese = page_text(client.get("/staff/conferences").text)
    client.cookies.set("pressroom_lang", "en")
    english = page_text(client.get("/staff/conferences").text)

    assert conference.title in vietnamese
    assert "Bản nháp" in vietnamese
    assert "Draft" in english


def test_cancel_confirmation_counts_only_this_conferences_questions(
        session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case, conference, _pending, _answered = _with_questions(session)
    other = factories.conference(session, case.spokesperson, case.ministry,
                                 title="Họp báo khác")
    for i in range(3):
        case.question(conference_id=other.id, title=f"Câu hỏi cho họp báo khác {i}")
    session.commit()
    client, _user = login_as(user=case.spokesperson)

    page = page_text(client.get(f"/staff/conferences/{conference.id}/cancel").text)

    assert "2 câu hỏi gửi cho họp báo này" in page
    assert "5 câu hỏi" not in page
