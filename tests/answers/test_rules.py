"""The rules of the answer services as their users meet them: the exact refusal messages on the
pages and in the API (with nothing stored), the tolerance of one minute for a publication time
just past, who is recorded as the drafter, and the order of the spokesperson's review list."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlmodel import Session

from pressroom.accounts.enums import Role
from pressroom.answers import service
from pressroom.answers.models import Answer
from pressroom.answers.schemas import AnswerDraft, AnswerPublish, AnswerReturn
from pressroom.core.errors import PermissionDenied
from pressroom.core.i18n import gettext as _
from pressroom.questions.models import Question
from tests import factories
from tests.conftest import post_form
from tests.factories import bearer

NOT_YOUR_UNIT = "This question is not assigned to your unit."
NO_MORE_DRAFTS = "This question no longer takes a draft answer."
ONLY_THE_SPOKESPERSON = "Only the spokesperson of the addressed ministry approves answers."
IN_THE_PAST = "Publication time: not in the past."
CORRECT = "Please correct the highlighted fields."
FROZEN = datetime(2026, 12, 2, 3, 0, 0, tzinfo=UTC)


def shown(text: str) -> str:
    """``text`` as the HTML pages render it."""
    return html.escape(text, quote=False)


def stored_answer(session: Session, answer_id: int | None) -> Answer:
    session.expire_all()
    answer = session.get(Answer, answer_id)
    assert answer is not None
    return answer


# --- drafting --------------------------------------------------------------------------------


def test_officer_of_another_unit_is_told_the_published_question_is_not_theirs(
        client, login_as, session):
    case = factories.Case(session)
    question, answer = case.published_answer()  # public now: any officer may open it
    sibling = factories.unit(session, case.ministry, name="Cục Báo chí")
    stranger = factories.user(session, Role.UNIT_OFFICER, org_id=sibling.id)
    body_before = answer.body

    api = client.put(f"/api/v1/questions/{question.id}/answer", headers=bearer(session, stranger),
                     json={"body": "Đơn vị khác sửa câu trả lời."})
    browser, _user = login_as(user=stranger)
    page = post_form(browser, f"/unit/questions/{question.id}/answer",
                     {"body": "Đơn vị khác sửa câu trả lời.", "action": "save"})

    assert api.status_code == 403
    assert api.json() == {"detail": _(NOT_YOUR_UNIT)}
    assert page.status_code == 403
    assert shown(_(NOT_YOUR_UNIT)) in page.text
    stored = stored_answer(session, answer.id)
    assert (stored.body, stored.unit_id, stored.drafted_by_id) == (
        body_before, case.unit.id, case.officer.id)


def test_officer_is_told_an_answered_question_takes_no_more_drafts(client, login_as, session):
    case = factories.Case(session)
    question, answer = case.submitted_answer(body="Câu trả lời đã được duyệt.")
    service.approve_answer(session, actor=case.spokesperson, question=question, answer=answer)
    session.commit()

    api = client.put(f"/api/v1/questions/{question.id}/answer",
                     headers=bearer(session, case.officer), json={"body": "Sửa sau khi duyệt."})
    submit = client.post(f"/api/v1/questions/{question.id}/answer/submit",
                         headers=bearer(session, case.officer))
    browser, _user = login_as(user=case.officer)
    page = post_form(browser, f"/unit/questions/{question.id}/answer",
                     {"body": "Sửa sau khi duyệt.", "action": "submit"})

    assert api.status_code == 409
    assert api.json() == {"detail": _(NO_MORE_DRAFTS)}
    assert submit.status_code == 409
    assert submit.json() == {"detail": _(NO_MORE_DRAFTS)}
    assert page.status_code == 409
    assert shown(_(NO_MORE_DRAFTS)) in page.text
    stored = stored_answer(session, answer.id)
    assert (stored.body, stored.state) == ("Câu trả lời đã được duyệt.", "approved")


def test_the_officer_who_saved_the_draft_last_is_recorded_as_its_drafter(client, session):
    case = factories.Case(session)
    question = case.assigned()
    colleague = factories.user(session, Role.UNIT_OFFICER, org_id=case.unit.id,
                               full_name="Trần Minh Khoa")

    first = client.put(f"/api/v1/questions/{question.id}/answer",
                       headers=bearer(session, case.officer), json={"body": "Bản nháp đầu."})
    drafted_by_first = stored_answer(session, first.json()["id"]).drafted_by_id
    second = client.put(f"/api/v1/questions/{question.id}/answer",
                        headers=bearer(session, colleague), json={"body": "Bản nháp đã sửa."})

    assert (first.status_code, second.status_code) == (201, 200)
    assert drafted_by_first == case.officer.id
    stored = stored_answer(session, first.json()["id"])
    assert (stored.body, stored.drafted_by_id) == ("Bản nháp đã sửa.", colleague.id)


# --- review --------------------------------------------------------------------------------


def test_another_ministrys_spokesperson_is_refused_every_review_step_by_name(session):
    # The pages and the API hide the question from them (404) before the service is reached;
    # the service still says why, for any other caller.
    case = factories.Case(session)
    question, answer = case.submitted_answer()
    other = factories.user(session, Role.SPOKESPERSON)
    steps = [
        lambda: service.approve_answer(session, actor=other, question=question, answer=answer),
        lambda: service.return_answer(session, actor=other, question=question, answer=answer,
                                      data=AnswerReturn(comment="Không đúng thẩm quyền.")),
        lambda: service.publish_answer(session, actor=other, question=question, answer=answer,
                                       data=AnswerPublish()),
    ]

    for step in steps:
        with pytest.raises(PermissionDenied) as refused:
            step()
        assert refused.value.message == _(ONLY_THE_SPOKESPERSON)

    stored = stored_answer(session, answer.id)
    assert (stored.state, stored.approved_by_id, stored.review_comment, stored.published_at) == (
        "submitted", None, "", None)


def test_review_list_shows_the_longest_waiting_answer_first(client, session):
    with time_machine.travel(FROZEN, tick=False) as clock:
        case = factories.Case(session)
        early_question = case.assigned()
        early = service.save_draft(session, actor=case.officer, question=early_question,
                                   data=AnswerDraft(body="Soạn trước, gửi sau."))
        late_question, late = case.submitted_answer(body="Soạn sau, gửi trước.")
        clock.shift(timedelta(minutes=5))
        service.submit_answer(session, actor=case.officer, question=early_question, answer=early)
        clock.shift(timedelta(minutes=5))
        newest_question, newest = case.submitted_answer(body="Gửi sau cùng.")
        headers = bearer(session, case.spokesperson)

        listed = client.get("/api/v1/staff/answers", headers=headers).json()

    assert [(c["question"]["id"], c["answer"]["id"]) for c in listed] == [
        (late_question.id, late.id), (early_question.id, early.id),
        (newest_question.id, newest.id)]


# --- publication time ------------------------------------------------------------------------


def test_publication_time_up_to_one_minute_past_is_taken_as_now(client, session):
    with time_machine.travel(FROZEN, tick=False):
        case = factories.Case(session)
        question, answer = case.submitted_answer()
        service.approve_answer(session, actor=case.spokesperson, question=question, answer=answer)
        headers = bearer(session, case.spokesperson)
        url = f"/api/v1/questions/{question.id}/answer/publish"

        too_early = client.post(url, headers=headers, json={
            "publish_at": (FROZEN - timedelta(seconds=61)).isoformat()})
        unpublished = stored_answer(session, answer.id).published_at
        just_in_time = client.post(url, headers=headers, json={
            "publish_at": (FROZEN - timedelta(minutes=1)).isoformat()})

    assert too_early.status_code == 422
    assert too_early.json() == {"detail": _(CORRECT), "errors": {"publish_at": _(IN_THE_PAST)}}
    assert unpublished is None
    assert just_in_time.status_code == 200
    assert datetime.fromisoformat(just_in_time.json()["published_at"]) == FROZEN
    session.expire_all()
    stored_question = session.get(Question, question.id)
    assert stored_question is not None
    assert (stored_question.state, stored_question.published_at) == ("published", FROZEN)


def test_publication_time_two_minutes_past_is_refused_by_the_page(login_as, session):
    with time_machine.travel(FROZEN, tick=False):
        case = factories.Case(session)
        question, answer = case.submitted_answer()
        service.approve_answer(session, actor=case.spokesperson, question=question, answer=answer)
        staff, _user = login_as(user=case.spokesperson)

        # 09:58 in Hà Nội is 02:58 UTC: two minutes before the frozen 03:00 UTC.
        page = post_form(staff, f"/staff/questions/{question.id}/publish",
                         {"when": "later", "publish_at": "2026-12-02T09:58"})

    assert page.status_code == 400
    assert shown(_(IN_THE_PAST)) in page.text
    stored = stored_answer(session, answer.id)
    assert (stored.state, stored.published_at) == ("approved", None)
