"""The answers API: drafting by the unit, review and publication by the spokesperson, and the
whole path from scheduling a conference to the public answer, through the API only."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event
from sqlmodel import Session, select

from pressroom.accounts.enums import Role
from pressroom.answers.models import Answer
from pressroom.core.clock import now
from pressroom.core.db import get_engine
from pressroom.core.i18n import gettext as _
from pressroom.core.i18n import local_zone
from pressroom.questions.models import Question
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


def test_the_whole_path_through_the_api(client, session: Session) -> None:
    case = factories.Case(session)
    spokesperson = bearer(session, case.spokesperson)
    journalist = bearer(session, case.journalist)
    officer = bearer(session, case.officer)
    start = now() + timedelta(hours=1)

    scheduled = client.post("/api/v1/conferences", headers=spokesperson, json={
        "title": "Họp báo thường kỳ tháng 12", "host_organization_id": case.ministry.id,
        "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat(),
        "venue": "18 Nguyễn Du, Hà Nội"})
    assert scheduled.status_code == 201
    conference_id = scheduled.json()["id"]
    assert client.post(f"/api/v1/conferences/{conference_id}/announce", headers=spokesperson,
                       json={"reason": "Họp báo đột xuất về sự cố mạng."}).status_code == 200

    asked = client.post("/api/v1/questions", headers=journalist, json={
        "title": "Về tiến độ cấp thẻ nhà báo", "conference_id": conference_id,
        "body": unicodedata.normalize("NFD", "Nhà báo Đặng Thu Hà hỏi: khi nào cấp thẻ?")})
    assert asked.status_code == 201
    question_id = asked.json()["id"]
    assert client.post(f"/api/v1/questions/{question_id}/accept",
                       headers=spokesperson).json()["state"] == "accepted"
    due = (now().astimezone(local_zone()).date() + timedelta(days=5)).isoformat()
    assigned = client.post(f"/api/v1/questions/{question_id}/assign", headers=spokesperson,
                           json={"unit_id": case.unit.id, "due_date": due})
    assert assigned.json()["state"] == "assigned"
    listed = client.get("/api/v1/unit/assignments", headers=officer).json()
    assert [(c["question"]["id"], c["answer"]) for c in listed] == [(question_id, None)]

    drafted = client.put(f"/api/v1/questions/{question_id}/answer", headers=officer,
                         json={"body": "Bộ sẽ cấp thẻ"})
    redrafted = client.put(f"/api/v1/questions/{question_id}/answer", headers=officer,
                           json={"body": "Bộ sẽ hoàn thành cấp đổi thẻ trong tháng 12."})
    submitted = client.post(f"/api/v1/questions/{question_id}/answer/submit", headers=officer)
    waiting = client.get("/api/v1/staff/answers", headers=spokesperson).json()
    approved = client.post(f"/api/v1/questions/{question_id}/answer/approve",
                           headers=spokesperson)
    assert client.get(f"/api/v1/conferences/{conference_id}").json()["answers"] == []
    published = client.post(f"/api/v1/questions/{question_id}/answer/publish",
                            headers=spokesperson, json={})

    assert (drafted.status_code, drafted.json()["state"]) == (201, "draft")
    assert (redrafted.status_code, redrafted.json()["id"]) == (200, drafted.json()["id"])
    assert submitted.json()["state"] == "submitted"
    assert [c["answer"]["body"] for c in waiting] == ["Bộ sẽ hoàn thành cấp đổi thẻ trong tháng 12."]
    assert approved.json()["state"] == "approved"
    assert aware(published.json()["published_at"]) <= now()
    answer_id = published.json()["id"]
    session.expire_all()
    question = session.get(Question, question_id)
    answer = session.get(Answer, answer_id)
    assert question is not None and answer is not None
    assert (question.state, answer.state, answer.approved_by_id, answer.drafted_by_id) == (
        "published", "approved", case.spokesperson.id, case.officer.id)
    assert question.published_at == answer.published_at

    public = client.get(f"/api/v1/answers/{answer_id}")
    assert public.status_code == 200
    assert public.json()["question_text"] == "Nhà báo Đặng Thu Hà hỏi: khi nào cấp thẻ?"
    assert public.json()["answer_text"] == "Bộ sẽ hoàn thành cấp đổi thẻ trong tháng 12."
    assert public.json()["conference_title"] == "Họp báo thường kỳ tháng 12"
    assert public.json()["pdf_url"] == f"/answers/{answer_id}/pdf"
    assert [a["answer_id"] for a in client.get("/api/v1/answers").json()] == [answer_id]
    shown = client.get(f"/api/v1/conferences/{conference_id}").json()
    assert [a["answer_id"] for a in shown["answers"]] == [answer_id]
    mine = client.get(f"/api/v1/my/questions/{question_id}", headers=journalist).json()
    assert mine["state"] == "published"


def test_unit_assignments_list_only_the_officers_unit(client, session: Session) -> None:
    case = factories.Case(session)
    ours, answer = case.submitted_answer()
    other_unit = factories.unit(session, case.ministry, name="Cục Báo chí")
    stranger = factories.user(session, Role.UNIT_OFFICER, org_id=other_unit.id)

    mine = client.get("/api/v1/unit/assignments", headers=bearer(session, case.officer))
    theirs = client.get("/api/v1/unit/assignments", headers=bearer(session, stranger))

    assert mine.status_code == 200
    [row] = mine.json()
    assert (row["question"]["id"], row["question"]["assignment"]["unit_id"]) == (
        ours.id, case.unit.id)
    assert {k: row["answer"][k] for k in ("id", "state", "body", "unit_id", "version")} == {
        "id": answer.id, "state": "submitted", "unit_id": case.unit.id, "version": 1,
        "body": "Trả lời: Bộ đã hoàn thành việc cấp đổi thẻ."}
    assert theirs.json() == []


def test_another_units_officer_gets_404(client, session: Session) -> None:
    case = factories.Case(session)
    question = case.assigned()
    other_unit = factories.unit(session, case.ministry, name="Cục Báo chí")
    stranger = bearer(session, factories.user(session, Role.UNIT_OFFICER, org_id=other_unit.id))

    response = client.put(f"/api/v1/questions/{question.id}/answer", headers=stranger,
                          json={"body": "Không phải đơn vị được giao."})

    assert response.status_code == 404
    assert response.json() == {"detail": _("Question not found.")}
    assert client.post(f"/api/v1/questions/{question.id}/answer/submit",
                       headers=stranger).status_code == 404
    assert session.exec(select(Answer).where(Answer.question_id == question.id)).all() == []


def test_draft_before_assignment_is_404_and_submit_without_draft_is_404(client, session: Session
                                                                        ) -> None:
    case = factories.Case(session)
    waiting = case.question()
    assigned = case.assigned()
    officer = bearer(session, case.officer)

    early = client.put(f"/api/v1/questions/{waiting.id}/answer", headers=officer,
                       json={"body": "Quá sớm"})
    empty = client.post(f"/api/v1/questions/{assigned.id}/answer/submit", headers=officer)

    assert early.status_code == 404
    assert empty.status_code == 404
    assert empty.json() == {"detail": _("This question has no answer yet.")}


def test_empty_draft_is_422(client, session: Session) -> None:
    case = factories.Case(session)
    question = case.assigned()

    response = client.put(f"/api/v1/questions/{question.id}/answer",
                          headers=bearer(session, case.officer), json={"body": "   "})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "body"]


def test_journalist_and_officer_cannot_approve(client, session: Session) -> None:
    case = factories.Case(session)
    question, answer = case.submitted_answer()

    for user in (case.journalist, case.officer):
        response = client.post(f"/api/v1/questions/{question.id}/answer/approve",
                               headers=bearer(session, user))
        assert response.status_code == 403
        assert response.json() == {"detail": _("Your role does not allow this.")}
    session.refresh(answer)
    assert answer.state == "submitted"


def test_approving_twice_is_409(client, session: Session) -> None:
    case = factories.Case(session)
    question, answer = case.submitted_answer()
    headers = bearer(session, case.spokesperson)

    first = client.post(f"/api/v1/questions/{question.id}/answer/approve", headers=headers)
    second = client.post(f"/api/v1/questions/{question.id}/answer/approve", headers=headers)

    assert first.status_code == 200
    assert (first.json()["state"], first.json()["review_comment"]) == ("approved", "")
    assert aware(first.json()["approved_at"]) <= now()
    assert second.status_code == 409
    assert second.json() == {"detail": _("This is not possible for this answer now.") + " " + _(
        "It is approved: the spokesperson can publish it, now or at a set time, unless that "
        "is already done.")}
    session.refresh(answer)
    session.refresh(question)
    assert (answer.state, answer.approved_by_id, question.state) == (
        "approved", case.spokesperson.id, "answered")


def test_another_ministrys_spokesperson_cannot_review(client, session: Session) -> None:
    case = factories.Case(session)
    question, answer = case.submitted_answer()
    other = bearer(session, factories.user(session, Role.SPOKESPERSON))

    response = client.post(f"/api/v1/questions/{question.id}/answer/approve", headers=other)

    assert response.status_code == 404
    assert client.get("/api/v1/staff/answers", headers=other).json() == []
    session.refresh(answer)
    assert answer.state == "submitted"


def test_returned_answer_goes_back_to_the_unit_with_the_comment(client, session: Session
                                                                ) -> None:
    case = factories.Case(session)
    question, answer = case.submitted_answer()
    officer = bearer(session, case.officer)

    returned = client.post(f"/api/v1/questions/{question.id}/answer/return",
                           headers=bearer(session, case.spokesperson),
                           json={"comment": "Đề nghị bổ sung số liệu cụ thể."})
    seen = client.get("/api/v1/unit/assignments", headers=officer).json()
    revised = client.put(f"/api/v1/questions/{question.id}/answer", headers=officer,
                         json={"body": "Đã cấp 12.345 thẻ nhà báo."})
    resubmitted = client.post(f"/api/v1/questions/{question.id}/answer/submit", headers=officer)

    assert (returned.status_code, returned.json()["state"]) == (200, "returned")
    assert [(c["answer"]["state"], c["answer"]["review_comment"]) for c in seen] == [
        ("returned", "Đề nghị bổ sung số liệu cụ thể.")]
    assert (revised.status_code, revised.json()["state"]) == (200, "returned")
    assert resubmitted.json()["state"] == "submitted"
    session.refresh(answer)
    assert (answer.state, answer.body) == ("submitted", "Đã cấp 12.345 thẻ nhà báo.")


def test_return_without_a_comment_is_422(client, session: Session) -> None:
    case = factories.Case(session)
    question, _answer = case.submitted_answer()

    response = client.post(f"/api/v1/questions/{question.id}/answer/return",
                           headers=bearer(session, case.spokesperson), json={})

    assert response.status_code == 422
    assert [(e["loc"], e["type"]) for e in response.json()["detail"]] == [
        (["body", "comment"], "missing")]


def test_staff_answers_lists_by_state(client, session: Session) -> None:
    case = factories.Case(session)
    waiting, waiting_answer = case.submitted_answer()
    done, done_answer = case.published_answer()
    headers = bearer(session, case.spokesperson)

    submitted = client.get("/api/v1/staff/answers", headers=headers).json()
    approved = client.get("/api/v1/staff/answers?state=approved", headers=headers).json()

    assert [(c["question"]["id"], c["answer"]["id"]) for c in submitted] == [
        (waiting.id, waiting_answer.id)]
    assert [(c["question"]["id"], c["question"]["state"], c["answer"]["id"]) for c in approved] == [
        (done.id, "published", done_answer.id)]
    assert client.get("/api/v1/staff/answers?state=gone", headers=headers).status_code == 422


def _approved(client, session: Session, case: factories.Case) -> tuple[Question, dict[str, str]]:
    question, _answer = case.submitted_answer()
    headers = bearer(session, case.spokesperson)
    assert client.post(f"/api/v1/questions/{question.id}/answer/approve",
                       headers=headers).status_code == 200
    return question, headers


def test_publish_with_a_naive_or_past_time_is_422(client, session: Session) -> None:
    case = factories.Case(session)
    question, headers = _approved(client, session, case)
    url = f"/api/v1/questions/{question.id}/answer/publish"

    naive = client.post(url, headers=headers, json={"publish_at": "2031-01-01T09:00:00"})
    past = client.post(url, headers=headers,
                       json={"publish_at": (now() - timedelta(hours=1)).isoformat()})

    assert naive.status_code == 422
    assert [(e["loc"], e["type"]) for e in naive.json()["detail"]] == [
        (["body", "publish_at"], "value_error")]
    assert past.status_code == 422
    assert past.json() == {"detail": _("Please correct the highlighted fields."),
                           "errors": {"publish_at": _("Publication time: not in the past.")}}
    session.refresh(question)
    assert (question.state, question.published_at) == ("answered", None)


def test_scheduled_answer_stays_hidden_until_its_time(client, session: Session) -> None:
    case = factories.Case(session)
    question, headers = _approved(client, session, case)
    at = (now() + timedelta(days=1)).replace(microsecond=0)

    response = client.post(f"/api/v1/questions/{question.id}/answer/publish", headers=headers,
                           json={"publish_at": at.isoformat()})

    assert response.status_code == 200
    assert aware(response.json()["published_at"]) == at
    answer_id = response.json()["id"]
    hidden = client.get(f"/api/v1/answers/{answer_id}")
    assert hidden.status_code == 404
    assert hidden.json() == {"detail": _("Answer not found.")}
    assert client.get("/api/v1/answers").json() == []
    assert client.post(f"/api/v1/questions/{question.id}/answer/publish", headers=headers,
                       json={}).status_code == 409

    # The publication time comes.
    session.expire_all()
    answer = session.get(Answer, answer_id)
    stored = session.get(Question, question.id)
    assert answer is not None and stored is not None
    answer.published_at = stored.published_at = now() - timedelta(seconds=1)
    session.add_all([answer, stored])
    session.commit()
    assert client.get(f"/api/v1/answers/{answer_id}").status_code == 200


def test_answer_lists_take_the_same_queries_however_long(client, session: Session) -> None:
    case = factories.Case(session)
    case.submitted_answer()
    officer, spokesperson = bearer(session, case.officer), bearer(session, case.spokesperson)
    with statements() as few:
        assert len(client.get("/api/v1/unit/assignments", headers=officer).json()) == 1
        assert len(client.get("/api/v1/staff/answers", headers=spokesperson).json()) == 1
    for _i in range(4):
        case.submitted_answer()
    session.commit()

    with statements() as many:
        assert len(client.get("/api/v1/unit/assignments", headers=officer).json()) == 5
        assert len(client.get("/api/v1/staff/answers", headers=spokesperson).json()) == 5

    assert len(many) == len(few)
