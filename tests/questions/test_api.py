"""The questions API: a journalist's questions and the spokesperson's screening."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from pressroom.accounts.enums import Role
from pressroom.core.clock import now
from pressroom.core.db import get_engine
from pressroom.core.i18n import gettext as _
from pressroom.core.i18n import local_zone
from pressroom.questions.models import Assignment, Question
from tests import factories
from tests.factories import bearer


def aware(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, value
    return parsed


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements run inside the block (to show that lists avoid N+1 queries)."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(get_engine(), "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(get_engine(), "before_cursor_execute", record)


def today() -> date:
    return now().astimezone(local_zone()).date()


def test_journalist_sends_a_written_question(client, session: Session) -> None:
    case = factories.Case(session)

    response = client.post("/api/v1/questions", headers=bearer(session, case.journalist), json={
        "title": "Về tiến độ cấp thẻ nhà báo",
        "body": "Xin Bộ cho biết tiến độ cấp đổi thẻ nhà báo nhiệm kỳ 2026-2030?",
        "addressed_to_id": case.ministry.id,
    })

    assert response.status_code == 201
    body = response.json()
    row = session.get(Question, body["id"])
    assert row is not None
    assert body == {
        "id": row.id,
        "title": "Về tiến độ cấp thẻ nhà báo",
        "body": "Xin Bộ cho biết tiến độ cấp đổi thẻ nhà báo nhiệm kỳ 2026-2030?",
        "state": "submitted",
        "conference_id": None,
        "addressed_to_id": case.ministry.id,
        "decline_ground": None,
        "rejection_reason": "",
        "merged_into_id": None,
        "created_at": body["created_at"],
        "scheduled_for": None,
        "moved_to_writing_at": None,
        "row_version": 1,
        "assignment": None,
        "transferred_from_id": None,
        "transfer_reason": "",
        "holding": None,
    }
    assert aware(body["created_at"]) == row.created_at
    assert (row.asker_id, row.outlet_id, row.state) == (
        case.journalist.id, case.journalist.outlet_id, "submitted")


def test_question_text_comes_back_in_nfc(client, session: Session) -> None:
    case = factories.Case(session)
    decomposed = unicodedata.normalize("NFD", "Câu hỏi của nhà báo Đặng Thu Hà")
    assert decomposed != "Câu hỏi của nhà báo Đặng Thu Hà"

    response = client.post("/api/v1/questions", headers=bearer(session, case.journalist), json={
        "title": decomposed, "body": decomposed + "\r\nXin cảm ơn.",
        "addressed_to_id": case.ministry.id})

    assert response.status_code == 201
    assert response.json()["title"] == "Câu hỏi của nhà báo Đặng Thu Hà"
    assert response.json()["body"] == "Câu hỏi của nhà báo Đặng Thu Hà\nXin cảm ơn."
    row = session.get(Question, response.json()["id"])
    assert row is not None and row.title == "Câu hỏi của nhà báo Đặng Thu Hà"


def test_question_for_a_conference_goes_to_its_host(client, session: Session) -> None:
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)

    response = client.post("/api/v1/questions", headers=bearer(session, case.journalist), json={
        "title": "Về họp báo", "body": "Xin hỏi về nội dung họp báo.",
        "conference_id": conference.id})

    assert response.status_code == 201
    assert (response.json()["conference_id"], response.json()["addressed_to_id"]) == (
        conference.id, case.ministry.id)


def test_sending_the_same_question_twice_gives_the_first(client, session: Session) -> None:
    case = factories.Case(session)
    headers = bearer(session, case.journalist)
    body = {"title": "Gửi hai lần", "body": "Nội dung", "addressed_to_id": case.ministry.id}

    first = client.post("/api/v1/questions", headers=headers, json=body)
    second = client.post("/api/v1/questions", headers=headers, json=body)

    assert first.json()["id"] == second.json()["id"]
    assert len(session.exec(select(Question).where(Question.title == "Gửi hai lần")).all()) == 1


@pytest.mark.parametrize(("changes", "loc"), [
    ({"title": ""}, ["body", "title"]),
    ({"title": "x" * 301}, ["body", "title"]),
    ({"body": " \n "}, ["body", "body"]),
    ({"addressed_to_id": "Bộ Y tế"}, ["body", "addressed_to_id"]),
], ids=["empty-title", "title-over-300", "blank-body", "addressee-not-an-id"])
def test_question_with_a_bad_body_is_422(client, session: Session, changes: dict[str, Any],
                                         loc: list[str]) -> None:
    case = factories.Case(session)
    body = {"title": "Tiêu đề", "body": "Nội dung", "addressed_to_id": case.ministry.id,
            **changes}

    response = client.post("/api/v1/questions", headers=bearer(session, case.journalist),
                           json=body)

    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [loc]
    assert session.exec(select(Question)).all() == []


def test_question_to_a_unit_is_422_naming_the_field(client, session: Session) -> None:
    case = factories.Case(session)

    response = client.post("/api/v1/questions", headers=bearer(session, case.journalist), json={
        "title": "Tiêu đề", "body": "Nội dung", "addressed_to_id": case.unit.id})

    assert response.status_code == 422
    message = _("Choose the ministry or agency that should answer.")
    assert response.json() == {"detail": message, "errors": {"addressed_to_id": message}}


def test_only_journalists_send_questions(client, session: Session) -> None:
    case = factories.Case(session)
    body = {"title": "Tiêu đề", "body": "Nội dung", "addressed_to_id": case.ministry.id}

    assert client.post("/api/v1/questions", json=body).status_code == 401
    assert client.post("/api/v1/questions", headers=bearer(session, case.spokesperson),
                       json=body).status_code == 403


def test_my_questions_lists_only_mine(client, session: Session) -> None:
    case = factories.Case(session)
    first = case.question()
    second = case.assigned()
    factories.question(session, factories.user(session, Role.JOURNALIST),
                       addressed_to=case.ministry)

    response = client.get("/api/v1/my/questions", headers=bearer(session, case.journalist))

    assert response.status_code == 200
    body = response.json()
    assert sorted((q["id"], q["state"]) for q in body) == sorted(
        [(first.id, "submitted"), (second.id, "assigned")])
    assigned = next(q for q in body if q["id"] == second.id)
    assert (assigned["assignment"]["unit_id"], assigned["assignment"]["unit_name"]) == (
        case.unit.id, case.unit.name)


def test_my_question_shows_the_reason_it_was_declined(client, session: Session) -> None:
    case = factories.Case(session)
    question = case.question()
    declined = client.post(f"/api/v1/questions/{question.id}/reject",
                           headers=bearer(session, case.spokesperson),
                           json={"ground": "other", "message": "Câu hỏi không thuộc thẩm quyền của Bộ."})
    assert declined.status_code == 200

    response = client.get(f"/api/v1/my/questions/{question.id}",
                          headers=bearer(session, case.journalist))

    assert response.status_code == 200
    assert (response.json()["state"], response.json()["rejection_reason"]) == (
        "rejected", "Câu hỏi không thuộc thẩm quyền của Bộ.")


def test_another_journalists_question_is_404(client, session: Session) -> None:
    case = factories.Case(session)
    question = case.question()
    other = factories.user(session, Role.JOURNALIST)

    response = client.get(f"/api/v1/my/questions/{question.id}", headers=bearer(session, other))

    assert response.status_code == 404
    assert response.json() == {"detail": _("Question not found.")}
    assert client.get("/api/v1/my/questions/999999",
                      headers=bearer(session, other)).status_code == 404


def test_screening_list_filters_by_state_within_scope(client, session: Session) -> None:
    case = factories.Case(session)
    waiting = case.question()
    assigned = case.assigned()
    factories.question(session, case.journalist, addressed_to=factories.ministry(session))
    headers = bearer(session, case.spokesperson)

    everything = client.get("/api/v1/staff/questions", headers=headers)
    submitted = client.get("/api/v1/staff/questions?state=submitted", headers=headers)

    assert [q["id"] for q in everything.json()] == [assigned.id, waiting.id]  # due first
    assert [q["id"] for q in submitted.json()] == [waiting.id]
    bad = client.get("/api/v1/staff/questions?state=lost", headers=headers)
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["query", "state"]


def test_accept_moves_a_submitted_question_once(client, session: Session) -> None:
    case = factories.Case(session)
    question = case.question()
    headers = bearer(session, case.spokesperson)

    response = client.post(f"/api/v1/questions/{question.id}/accept", headers=headers)

    assert response.status_code == 200
    assert response.json()["state"] == "accepted"
    session.refresh(question)
    assert (question.state, question.screened_by_id) == ("accepted", case.spokesperson.id)
    again = client.post(f"/api/v1/questions/{question.id}/accept", headers=headers)
    assert again.status_code == 409
    assert again.json() == {"detail": _("This is not possible for this question now.") + " " + _(
        "It is accepted: the spokesperson can assign it to a unit.")}


def test_reject_needs_a_reason(client, session: Session) -> None:
    case = factories.Case(session)
    question = case.question()

    response = client.post(f"/api/v1/questions/{question.id}/reject",
                           headers=bearer(session, case.spokesperson),
                           json={"ground": "other", "message": "  "})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "message"]
    session.refresh(question)
    assert question.state == "submitted"


def test_assign_hands_the_question_to_a_unit(client, session: Session) -> None:
    case = factories.Case(session)
    question = case.question()
    headers = bearer(session, case.spokesperson)
    client.post(f"/api/v1/questions/{question.id}/accept", headers=headers)
    due = today() + timedelta(days=5)

    response = client.post(f"/api/v1/questions/{question.id}/assign", headers=headers,
                           json={"unit_id": case.unit.id, "due_date": due.isoformat(),
                                 "note": "Trả lời trước hạn."})

    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "assigned"
    assert {k: v for k, v in body["assignment"].items() if k != "assigned_at"} == {
        "unit_id": case.unit.id, "unit_name": case.unit.name, "due_date": due.isoformat(),
        "due_at": None, "claimed_by_id": None, "extended_from": None, "extension_reason": ""}
    row = session.exec(select(Assignment).where(Assignment.question_id == question.id)).one()
    assert (row.unit_id, row.due_date, row.note, row.assigned_by_id) == (
        case.unit.id, due, "Trả lời trước hạn.", case.spokesperson.id)
    assert aware(body["assignment"]["assigned_at"]) == row.assigned_at


def test_assign_with_a_past_due_date_or_a_foreign_unit_is_422(client, session: Session) -> None:
    case = factories.Case(session)
    question = case.question()
    headers = bearer(session, case.spokesperson)
    client.post(f"/api/v1/questions/{question.id}/accept", headers=headers)
    foreign_unit = factories.unit(session, factories.ministry(session))
    session.commit()

    response = client.post(f"/api/v1/questions/{question.id}/assign", headers=headers, json={
        "unit_id": foreign_unit.id, "due_date": (today() - timedelta(days=1)).isoformat()})

    assert response.status_code == 422
    assert response.json()["detail"] == _("Please correct the highlighted fields.")
    assert sorted(response.json()["errors"]) == ["due_date", "unit_id"]
    session.refresh(question)
    assert question.state == "accepted"


def test_screening_outside_the_scope_is_404(client, session: Session) -> None:
    case = factories.Case(session)
    question = case.question()
    other = bearer(session, factories.user(session, Role.SPOKESPERSON))

    response = client.post(f"/api/v1/questions/{question.id}/accept", headers=other)

    assert response.status_code == 404
    assert response.json() == {"detail": _("Question not found.")}
    assert client.get("/api/v1/staff/questions", headers=other).json() == []
    session.refresh(question)
    assert question.state == "submitted"


def test_journalist_and_officer_cannot_screen(client, session: Session) -> None:
    case = factories.Case(session)
    question = case.question()

    for user in (case.journalist, case.officer):
        response = client.post(f"/api/v1/questions/{question.id}/accept",
                               headers=bearer(session, user))
        assert response.status_code == 403
    session.refresh(question)
    assert question.state == "submitted"


def test_question_lists_take_the_same_queries_however_long(client, session: Session) -> None:
    case = factories.Case(session)
    case.question()
    case.assigned()
    journalist, spokesperson = bearer(session, case.journalist), bearer(session, case.spokesperson)
    with statements() as few:
        assert len(client.get("/api/v1/my/questions", headers=journalist).json()) == 2
        assert len(client.get("/api/v1/staff/questions", headers=spokesperson).json()) == 2
    for _i in range(4):
        case.assigned()
    factories.unit(session, case.ministry)
    session.commit()

    with statements() as many:
        assert len(client.get("/api/v1/my/questions", headers=journalist).json()) == 6
        assert len(client.get("/api/v1/staff/questions", headers=spokesperson).json()) == 6

    assert len(many) == len(few)
