"""Routing to a lead unit plus helper units: helpers are told, read the question and give
their input in its internal comments; only the lead unit drafts; a new assignment asks anew."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from pressroom.accounts.enums import Role
from pressroom.answers.models import Comment
from pressroom.core.clock import now
from pressroom.core.errors import ValidationFailed
from pressroom.notifications.enums import NotificationKind
from pressroom.notifications.models import Notification
from pressroom.questions import service as questions
from pressroom.questions.models import AssignmentHelper, Question
from pressroom.questions.schemas import QuestionAssign
from tests import factories
from tests.conftest import csrf_token, post_form
from tests.reading import page_text


class HelpedCase(factories.Case):
    """A Case whose ministry has a second unit, with its own officer."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.helper = factories.unit(session, self.ministry, name="Cục Báo chí")
        self.helper_officer = factories.user(session, Role.UNIT_OFFICER, org_id=self.helper.id)

    def assign(self, question: Question, helpers: list[int]) -> None:
        questions.assign_question(self.session, actor=self.spokesperson, question=question,
                                  data=QuestionAssign(unit_id=self.unit.id or 0,
                                                      due_date=now().date() + timedelta(days=7),
                                                      helper_unit_ids=helpers))


def _accepted(case: HelpedCase) -> Question:
    question = case.question()
    questions.accept_question(case.session, actor=case.spokesperson, question=question)
    return question


def test_helper_units_are_recorded_and_their_officers_told(session: Session) -> None:
    case = HelpedCase(session)
    question = _accepted(case)

    case.assign(question, [case.helper.id or 0])

    rows = session.exec(select(AssignmentHelper)).all()
    assert [r.unit_id for r in rows] == [case.helper.id]
    told = session.exec(select(Notification).where(
        Notification.user_id == case.helper_officer.id)).all()
    assert [n.kind for n in told] == [NotificationKind.INPUT_REQUESTED]
    assert case.unit.name in told[0].text
    assert told[0].case_path == f"/unit/questions/{question.id}"
    lead_told = session.exec(select(Notification).where(
        Notification.user_id == case.officer.id)).all()
    assert [n.kind for n in lead_told] == [NotificationKind.QUESTION_ASSIGNED]


@pytest.mark.parametrize("which", ["lead", "other_ministry"])
def test_a_helper_must_be_another_unit_of_the_ministry(session: Session, which: str) -> None:
    case = HelpedCase(session)
    other = factories.Case(session)
    question = _accepted(case)
    unit_id = case.unit.id if which == "lead" else other.unit.id
    with pytest.raises(ValidationFailed) as refused:
        case.assign(question, [unit_id or 0])
    assert set(refused.value.fields) == {"helper_unit_ids"}
    assert session.exec(select(AssignmentHelper)).all() == []


def test_a_helper_reads_and_comments_but_only_the_lead_drafts(login_as, session: Session) -> None:
    case = HelpedCase(session)
    question = _accepted(case)
    case.assign(question, [case.helper.id or 0])
    stranger_unit = factories.unit(session, case.ministry, name="Vụ Pháp chế")
    stranger = factories.user(session, Role.UNIT_OFFICER, org_id=stranger_unit.id)
    session.commit()
    helper, _h = login_as(user=case.helper_officer)
    lead, _l = login_as(user=case.officer)
    outsider, _o = login_as(user=stranger)
    path = f"/unit/questions/{question.id}"

    helper_page = helper.get(path)
    lead_page = lead.get(path)
    commented = post_form(helper, f"{path}/comment", {"text": "Cục Báo chí gửi số liệu: 812 thẻ."},
                          page=path)
    drafted = helper.post(f"{path}/answer", data={"csrf_token": csrf_token(helper, path),
                                                  "body": "Bản nháp của đơn vị phối hợp.",
                                                  "action": "save"}, follow_redirects=False)

    assert helper_page.status_code == 200
    assert "Cục Báo chí" in page_text(helper_page.text)
    assert f'action="{path}/answer"' not in helper_page.text
    assert f'action="{path}/claim"' not in helper_page.text
    assert f'action="{path}/answer"' in lead_page.text
    assert "Cục Báo chí" in page_text(lead_page.text)  # the lead sees who helps
    assert commented.status_code == 303  # type: ignore[attr-defined]
    assert [c.body for c in session.exec(select(Comment)).all()] == [
        "Cục Báo chí gửi số liệu: 812 thẻ."]
    assert drafted.status_code == 403
    assert outsider.get(path).status_code == 404


def test_the_helper_units_queue_lists_the_question_apart(login_as, session: Session) -> None:
    case = HelpedCase(session)
    question = _accepted(case)
    case.assign(question, [case.helper.id or 0])
    session.commit()
    helper, _h = login_as(user=case.helper_officer)

    page = helper.get("/unit/assignments").text

    assert 'id="input"' in page
    assert f'href="/unit/questions/{question.id}#comments"' in page
    assert case.unit.name in page_text(page)


def test_the_spokesperson_asks_helpers_in_the_form_and_a_new_assignment_asks_anew(
        login_as, session: Session) -> None:
    case = HelpedCase(session)
    question = _accepted(case)
    session.commit()
    staff, _s = login_as(user=case.spokesperson)
    page = f"/staff/questions/{question.id}"
    due = (now().date() + timedelta(days=7)).isoformat()

    first = staff.post(f"{page}/assign", data={
        "csrf_token": csrf_token(staff, page), "unit_id": str(case.unit.id), "due_date": due,
        "helper_unit_ids": [str(case.helper.id)]}, follow_redirects=False)
    form = staff.get(page).text
    again = staff.post(f"{page}/assign", data={
        "csrf_token": csrf_token(staff, page), "unit_id": str(case.unit.id), "due_date": due},
        follow_redirects=False)
    helper, _h = login_as(user=case.helper_officer)

    assert first.status_code == 303
    assert f'name="helper_unit_ids" type="checkbox" value="{case.helper.id}" checked' in form
    assert again.status_code == 303
    assert helper.get(f"/unit/questions/{question.id}").status_code == 404


def test_the_api_assigns_helpers_and_lists_the_helpers_requests(client, session: Session) -> None:
    case = HelpedCase(session)
    question = _accepted(case)
    due = (now().date() + timedelta(days=7)).isoformat()

    assigned = client.post(f"/api/v1/questions/{question.id}/assign",
                           headers=factories.bearer(session, case.spokesperson),
                           json={"unit_id": case.unit.id, "due_date": due,
                                 "helper_unit_ids": [case.helper.id]})
    helper = factories.bearer(session, case.helper_officer)
    asked = client.get("/api/v1/unit/input-requests", headers=helper).json()
    lead_list = client.get("/api/v1/unit/assignments", headers=helper).json()
    commented = client.post(f"/api/v1/questions/{question.id}/comments", headers=helper,
                            json={"text": "Ý kiến của Cục Báo chí."})

    assert assigned.status_code == 200, assigned.text
    assert [c["question"]["id"] for c in asked] == [question.id]
    assert lead_list == []
    assert commented.status_code == 201
