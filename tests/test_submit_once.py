"""Each create happens once: a form's submission key or the API's Idempotency-Key makes a
repeat return the first result; a reused key with other content is refused; keys expire."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, select

from pressroom.accounts.models import User
from pressroom.conferences.models import PressConference
from pressroom.core.clock import now
from pressroom.core.db import open_session
from pressroom.core.i18n import local_zone
from pressroom.main import create_app
from pressroom.questions.models import Assignment, Question
from tests import factories
from tests.factories import Case, bearer
from tests.reading import hidden, page_text


def _count(session: Session, model: type, **where: object) -> int:
    statement = select(func.count()).select_from(model)
    for name, value in where.items():
        statement = statement.where(getattr(model, name) == value)
    session.expire_all()
    return session.exec(statement).one()  # type: ignore[call-overload, no-any-return]


def _question_form(page: str, ministry_id: int, title: str) -> dict[str, str]:
    return {"csrf_token": hidden(page, "csrf_token"),
            "submission_key": hidden(page, "submission_key"),
            "addressed_to_id": str(ministry_id), "title": title,
            "body": "Xin Bộ cho biết lộ trình và kinh phí thực hiện?"}


def test_question_form_sent_twice_makes_one_question(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    session.commit()
    client, _user = login_as(user=case.journalist)
    page = client.get("/my/questions/new").text
    form = _question_form(page, case.ministry.id or 0, "Về chuyển đổi số báo chí")

    first = client.post("/my/questions/new", data=form, follow_redirects=False)
    second = client.post("/my/questions/new", data=form, follow_redirects=False)

    assert first.status_code == second.status_code == 303
    assert second.headers["location"] == first.headers["location"]
    assert _count(session, Question, asker_id=case.journalist.id) == 1
    followed = client.get(second.headers["location"])
    assert "Nội dung này đã được gửi; đây là kết quả của lần gửi đầu." in page_text(followed.text)


def test_each_rendering_of_a_form_has_its_own_key(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    client, _user = login_as("journalist")

    keys = {hidden(client.get("/my/questions/new").text, "submission_key") for _ in range(3)}

    assert len(keys) == 3


def test_same_key_with_other_content_is_refused_and_the_text_kept(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    session.commit()
    client, _user = login_as(user=case.journalist)
    page = client.get("/my/questions/new").text
    client.post("/my/questions/new", data=_question_form(page, case.ministry.id or 0,
                                                         "Câu hỏi thứ nhất"))

    # Back, change the title, send the same rendered form again.
    refused = client.post("/my/questions/new", data=_question_form(
        page, case.ministry.id or 0, "Câu hỏi đã sửa sau khi quay lại"), follow_redirects=False)

    assert refused.status_code == 400
    assert "Mã gửi này đã được dùng cho một yêu cầu khác" in page_text(refused.text)
    assert 'value="Câu hỏi đã sửa sau khi quay lại"' in refused.text
    assert hidden(refused.text, "submission_key") != hidden(page, "submission_key")
    assert _count(session, Question, asker_id=case.journalist.id) == 1
    # The re-rendered form has a fresh key: sending it makes the new question.
    again = client.post("/my/questions/new", data=_question_form(
        refused.text, case.ministry.id or 0, "Câu hỏi đã sửa sau khi quay lại"),
        follow_redirects=False)
    assert again.status_code == 303
    assert _count(session, Question, asker_id=case.journalist.id) == 2


def test_conference_form_sent_twice_makes_one_conference(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    session.commit()
    client, _user = login_as(user=case.spokesperson)
    page = client.get("/staff/conferences/new").text
    start = (now() + timedelta(days=5)).astimezone(local_zone())
    form = {"csrf_token": hidden(page, "csrf_token"),
            "submission_key": hidden(page, "submission_key"),
            "title": "Họp báo Chính phủ thường kỳ tháng 12", "host_organization_id": str(case.ministry.id),
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "venue": "Trụ sở Chính phủ"}

    responses = [client.post("/staff/conferences/new", data=form, follow_redirects=False)
                 for _ in range(2)]

    assert [r.status_code for r in responses] == [303, 303]
    assert responses[0].headers["location"] == responses[1].headers["location"]
    assert _count(session, PressConference, host_organization_id=case.ministry.id) == 1


def test_assignment_form_sent_twice_makes_one_assignment(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question = case.question()
    from pressroom.questions.service import accept_question

    accept_question(session, actor=case.spokesperson, question=question)
    session.commit()
    client, _user = login_as(user=case.spokesperson)
    page = client.get(f"/staff/questions/{question.id}").text
    due = (now().astimezone(local_zone()).date() + timedelta(days=7)).isoformat()
    form = {name: hidden(page, name) for name in ("csrf_token", "version", "seen", "submission_key")}
    form.update(unit_id=str(case.unit.id), due_date=due)

    first = client.post(f"/staff/questions/{question.id}/assign", data=form, follow_redirects=False)
    second = client.post(f"/staff/questions/{question.id}/assign", data=form, follow_redirects=False)

    assert (first.status_code, second.status_code) == (303, 303)
    assert _count(session, Assignment, question_id=question.id) == 1


def test_admin_user_form_sent_twice_makes_one_account(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    client, _admin = login_as("admin")
    page = client.get("/admin/users").text
    form = {"csrf_token": hidden(page, "csrf_token"), "submission_key": hidden(page, "submission_key"),
            "email": "tuan.nv@vtv.example", "full_name": "Nguyễn Văn Tuấn",
            "password": "mat-khau-that-dai", "role": "journalist",
            "outlet_name": "Đài Truyền hình Việt Nam"}

    first = client.post("/admin/users", data=form, follow_redirects=False)
    second = client.post("/admin/users", data=form, follow_redirects=False)

    assert (first.status_code, second.status_code) == (303, 303)
    assert _count(session, User, email="tuan.nv@vtv.example") == 1


# --- API -------------------------------------------------------------------------------------

def test_api_question_with_the_same_key_returns_the_first(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    headers = {**bearer(session, case.journalist), "Idempotency-Key": "q-2026-12-02-0001"}
    body = {"title": "Về giá điện", "body": "Lộ trình điều chỉnh giá điện năm 2027?",
            "addressed_to_id": case.ministry.id}

    first = client.post("/api/v1/questions", headers=headers, json=body)
    second = client.post("/api/v1/questions", headers=headers, json=body)

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert _count(session, Question, asker_id=case.journalist.id) == 1


def test_api_key_reused_with_another_body_is_422(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    headers = {**bearer(session, case.journalist), "Idempotency-Key": "q-2026-12-02-0002",
               "Accept-Language": "en"}
    body = {"title": "Về giá điện", "body": "Lộ trình?", "addressed_to_id": case.ministry.id}
    client.post("/api/v1/questions", headers=headers, json=body)

    refused = client.post("/api/v1/questions", headers=headers, json={**body, "title": "Khác"})

    assert refused.status_code == 422
    assert refused.json()["detail"].startswith(
        "This submission key was already used for a different request.")
    assert _count(session, Question, asker_id=case.journalist.id) == 1


def test_api_key_expires_after_24_hours(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    headers = {**bearer(session, case.spokesperson), "Idempotency-Key": "conf-key-0001"}
    start = now() + timedelta(days=30)
    body = {"title": "Họp báo quý", "host_organization_id": case.ministry.id,
            "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat(),
            "venue": "Hà Nội"}
    first = client.post("/api/v1/conferences", headers=headers, json=body)
    with time_machine.travel(now() + timedelta(hours=23, minutes=59), tick=False):
        headers.update(bearer(session, case.spokesperson))  # a login lasts 12 hours
        within = client.post("/api/v1/conferences", headers=headers, json=body)
    with time_machine.travel(now() + timedelta(hours=24, minutes=1), tick=False):
        headers.update(bearer(session, case.spokesperson))
        after = client.post("/api/v1/conferences", headers=headers, json=body)

    assert within.json()["id"] == first.json()["id"]
    assert after.status_code == 201
    assert after.json()["id"] != first.json()["id"]


@pytest.mark.parametrize("key", ["short", "has space in it", "x" * 101])
def test_api_malformed_key_is_422(client, session: Session, key: str) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    response = client.post("/api/v1/questions", headers={
        **bearer(session, case.journalist), "Idempotency-Key": key},
        json={"title": "T", "body": "B", "addressed_to_id": case.ministry.id})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]


def test_api_assign_with_the_same_key_assigns_once(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question = case.question()
    from pressroom.questions.service import accept_question

    accept_question(session, actor=case.spokesperson, question=question)
    headers = {**bearer(session, case.spokesperson), "Idempotency-Key": "assign-0001"}
    body = {"unit_id": case.unit.id,
            "due_date": (now().astimezone(local_zone()).date() + timedelta(days=5)).isoformat()}

    first = client.post(f"/api/v1/questions/{question.id}/assign", headers=headers, json=body)
    second = client.post(f"/api/v1/questions/{question.id}/assign", headers=headers, json=body)

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json() == first.json()
    assert _count(session, Assignment, question_id=question.id) == 1


def test_api_key_reused_for_another_question_is_refused(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    """The same key and the same body sent to another question's address is another request:
    refused, and the other question is not left unassigned by a replay of the first."""
    case = Case(session)
    from pressroom.questions.service import accept_question

    first_question, other_question = case.question(), case.question()
    for item in (first_question, other_question):
        accept_question(session, actor=case.spokesperson, question=item)
    headers = {**bearer(session, case.spokesperson), "Idempotency-Key": "assign-0002",
               "Accept-Language": "en"}
    body = {"unit_id": case.unit.id,
            "due_date": (now().astimezone(local_zone()).date() + timedelta(days=5)).isoformat()}

    first = client.post(f"/api/v1/questions/{first_question.id}/assign", headers=headers, json=body)
    other = client.post(f"/api/v1/questions/{other_question.id}/assign", headers=headers, json=body)

    assert first.status_code == 200
    assert other.status_code == 422
    assert other.json()["detail"].startswith("This submission key was already used for a "
                                             "different request.")
    assert _count(session, Assignment, question_id=other_question.id) == 0


def test_concurrent_repeats_of_one_key_make_one_question(committed_database: str) -> None:
    """Eight requests with the same key at the same moment, each on its own connection."""
    with open_session(writing=True) as session:
        case = Case(session)
        headers = {**bearer(session, case.journalist), "Idempotency-Key": "burst-key-0001"}
        ministry_id, journalist_id = case.ministry.id, case.journalist.id
    body = {"title": "Cùng lúc", "body": "Tám lần gửi cùng lúc.", "addressed_to_id": ministry_id}
    app = create_app(pdf_worker=False)
    results: list[tuple[int, int]] = []
    barrier = threading.Barrier(8)

    def send() -> None:
        with TestClient(app) as client:
            barrier.wait()
            response = client.post("/api/v1/questions", headers=headers, json=body)
            results.append((response.status_code, response.json()["id"]))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 8
    assert {status for status, _id in results} == {201}
    assert len({question_id for _status, question_id in results}) == 1
    with open_session() as session:
        assert _count(session, Question, asker_id=journalist_id) == 1


def test_same_text_to_another_ministry_is_a_new_question(session: Session) -> None:
    case = Case(session)
    other = factories.ministry(session, name="Bộ Y tế")
    first = factories.question(session, case.journalist, addressed_to=case.ministry,
                               title="Về bảo hiểm y tế")
    from pressroom.questions.schemas import QuestionCreate
    from pressroom.questions.service import submit_question

    again = submit_question(session, actor=case.journalist, data=QuestionCreate(
        title=first.title, body=first.body, addressed_to_id=other.id))
    same = submit_question(session, actor=case.journalist, data=QuestionCreate(
        title=first.title, body=first.body, addressed_to_id=case.ministry.id))

    assert again.id != first.id
    assert again.addressed_to_id == other.id
    assert same.id == first.id


def test_a_malformed_submission_key_is_ignored_not_stored(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    session.commit()
    client, _user = login_as(user=case.journalist)
    page = client.get("/my/questions/new").text

    sent = [client.post("/my/questions/new", data={
        **_question_form(page, case.ministry.id or 0, f"Câu hỏi số {i}"),
        "submission_key": "x" * 300}, follow_redirects=False) for i in range(2)]

    assert [r.status_code for r in sent] == [303, 303]
    assert _count(session, Question, asker_id=case.journalist.id) == 2
