"""Screening as the press office and the journalist live it: a decline names its ground (Press
Law 2016 Art. 38) and carries a message; a duplicate is merged and its asker receives the
group's answer; the journalist edits a question until it is screened and withdraws it until
it is answered."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from pressroom.accounts.enums import Role
from pressroom.answers import service as answers
from pressroom.answers.models import Answer
from pressroom.answers.schemas import AnswerDraft, AnswerPublish
from pressroom.core.audit import Event
from pressroom.core.clock import now
from pressroom.questions import service as questions
from pressroom.questions.models import Assignment, Question
from pressroom.questions.schemas import QuestionAssign, QuestionMerge
from tests import factories
from tests.conftest import post_form
from tests.factories import Case, bearer
from tests.reading import hidden, page_text

STATE_SECRET_LABEL = "Có nội dung thuộc bí mật nhà nước"


def _other_journalist_question(session: Session, case: Case, title: str) -> Question:
    other = factories.user(session, Role.JOURNALIST, full_name="Trần Minh Khoa")
    return factories.question(session, other, addressed_to=case.ministry, title=title)


# --- decline on a ground ---------------------------------------------------------------------

def test_decline_names_its_ground_and_the_journalist_reads_it(login_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question = case.question(title="Danh sách cán bộ bị điều tra")
    session.commit()
    staff, _user = login_as(user=case.spokesperson)
    journalist, _j = login_as(user=case.journalist)

    page = staff.get(f"/staff/questions/{question.id}").text
    response = post_form(staff, f"/staff/questions/{question.id}/reject", {
        "ground": "state_secret", "message": "Thông tin thuộc danh mục bí mật nhà nước.",
        "version": hidden(page, "version")}, page=f"/staff/questions/{question.id}")
    seen = page_text(journalist.get(f"/my/questions/{question.id}").text)

    assert STATE_SECRET_LABEL in page_text(page)
    assert response.headers["location"] == f"/staff/questions/{question.id}"
    session.expire_all()
    stored = session.get(Question, question.id)
    assert (stored.state, stored.decline_ground, stored.rejection_reason) == (  # type: ignore[union-attr]
        "rejected", "state_secret", "Thông tin thuộc danh mục bí mật nhà nước.")
    assert f"Lý do: {STATE_SECRET_LABEL}" in seen
    assert "Thông tin thuộc danh mục bí mật nhà nước." in seen


def test_decline_without_a_ground_or_message_names_both_fields(login_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question = case.question()
    session.commit()
    staff, _user = login_as(user=case.spokesperson)

    response = post_form(staff, f"/staff/questions/{question.id}/reject", {"message": " "},
                         page=f"/staff/questions/{question.id}")

    text = page_text(response.text)  # type: ignore[attr-defined]
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Lý do từ chối: hãy chọn một trong các lựa chọn." in text
    assert "Lời nhắn tới phóng viên: bắt buộc nhập." in text
    session.expire_all()
    assert session.get(Question, question.id).state == "submitted"  # type: ignore[union-attr]


def test_outside_the_remit_or_a_duplicate_is_not_declined_but_sent_elsewhere(
        client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question = case.question()
    headers = {**bearer(session, case.spokesperson), "Accept-Language": "en"}

    remit = client.post(f"/api/v1/questions/{question.id}/reject", headers=headers,
                        json={"ground": "outside_remit", "message": "Không thuộc thẩm quyền."})
    duplicate = client.post(f"/api/v1/questions/{question.id}/reject", headers=headers,
                            json={"ground": "duplicate", "message": "Đã hỏi."})
    secret = client.post(f"/api/v1/questions/{question.id}/reject", headers=headers,
                         json={"ground": "under_investigation", "message": "Vụ án đang điều tra."})

    assert remit.status_code == 422
    assert remit.json()["errors"]["ground"].startswith("Not within this ministry's remit: "
                                                       "transfer the question")
    assert duplicate.status_code == 422
    assert duplicate.json()["errors"]["ground"].startswith("A duplicate: merge it")
    assert secret.status_code == 200
    assert (secret.json()["state"], secret.json()["decline_ground"]) == (
        "rejected", "under_investigation")


# --- merge -----------------------------------------------------------------------------------

def test_merged_question_is_answered_with_its_group(login_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    first = _other_journalist_question(session, case, "Tiến độ giải ngân vốn đầu tư công")
    later = case.question(title="Giải ngân đầu tư công chậm")
    session.commit()
    staff, _user = login_as(user=case.spokesperson)
    journalist, _j = login_as(user=case.journalist)

    page = staff.get(f"/staff/questions/{later.id}").text
    response = post_form(staff, f"/staff/questions/{later.id}/merge", {
        "into_id": str(first.id), "version": hidden(page, "version")},
        page=f"/staff/questions/{later.id}")
    before = page_text(journalist.get(f"/my/questions/{later.id}").text)
    first_page = page_text(staff.get(f"/staff/questions/{first.id}").text)

    assert f"#{first.id} {first.title}" in page_text(page)
    assert response.headers["location"] == f"/staff/questions/{later.id}"
    session.expire_all()
    stored = session.get(Question, later.id)
    assert (stored.state, stored.merged_into_id) == ("merged", first.id)  # type: ignore[union-attr]
    assert f"Được trả lời cùng #{later.id} {later.title}" in first_page
    assert "gộp câu hỏi của bạn với một câu hỏi khác cùng nội dung" in before
    assert first.title not in before  # another journalist's question stays private

    # The group's answer is published: the merged question's asker receives it.
    lead = session.get(Question, first.id)
    assert lead is not None
    questions.accept_question(session, actor=case.spokesperson, question=lead)
    questions.assign_question(session, actor=case.spokesperson, question=lead, data=QuestionAssign(
        unit_id=case.unit.id or 0, due_date=now().date() + timedelta(days=3)))
    answer = answers.save_draft(session, actor=case.officer, question=lead,
                                data=AnswerDraft(body="Bộ đã giải ngân 62% kế hoạch."))
    answers.submit_answer(session, actor=case.officer, question=lead, answer=answer)
    answers.approve_answer(session, actor=case.spokesperson, question=lead, answer=answer)
    answers.publish_answer(session, actor=case.spokesperson, question=lead, answer=answer,
                           data=AnswerPublish(publish_at=None))
    session.commit()
    after = journalist.get(f"/my/questions/{later.id}").text

    assert f"Được trả lời cùng «{first.title}»" in page_text(after)
    assert f'href="/answers/{answer.id}"' in after


def test_merge_into_another_ministrys_question_is_refused(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    elsewhere = Case(session).question()
    question = case.question()
    headers = {**bearer(session, case.spokesperson), "Accept-Language": "en"}

    response = client.post(f"/api/v1/questions/{question.id}/merge", headers=headers,
                           json={"into_id": elsewhere.id})
    itself = client.post(f"/api/v1/questions/{question.id}/merge", headers=headers,
                         json={"into_id": question.id})

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "into_id": "Choose a question of the same ministry that is still open or answered."}
    assert itself.status_code == 422
    session.expire_all()
    assert session.get(Question, question.id).state == "submitted"  # type: ignore[union-attr]


def test_merging_a_group_moves_the_whole_group(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    target, middle, follower = (case.question(title=t) for t in ("Một", "Hai", "Ba"))
    headers = bearer(session, case.spokesperson)

    first = client.post(f"/api/v1/questions/{follower.id}/merge", headers=headers,
                        json={"into_id": middle.id})
    second = client.post(f"/api/v1/questions/{middle.id}/merge", headers=headers,
                         json={"into_id": target.id})

    assert (first.status_code, second.status_code) == (200, 200)
    session.expire_all()
    assert session.get(Question, middle.id).merged_into_id == target.id  # type: ignore[union-attr]
    assert session.get(Question, follower.id).merged_into_id == target.id  # type: ignore[union-attr]


# --- the journalist edits and withdraws ---------------------------------------------------------

def test_journalist_edits_until_screened_and_the_record_keeps_the_first_text(
        login_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question = case.question(title="Về học phí năm 2025")
    session.commit()
    journalist, _user = login_as(user=case.journalist)
    page = journalist.get(f"/my/questions/{question.id}").text

    edited = post_form(journalist, f"/my/questions/{question.id}/edit", {
        "title": "Về học phí năm học 2026-2027", "body": "Xin Bộ cho biết mức trần học phí?",
        "version": hidden(page, "version")}, page=f"/my/questions/{question.id}")
    session.expire_all()
    stored = session.get(Question, question.id)
    assert stored is not None
    event = session.exec(select(Event).where(Event.action == "question.edited",
                                             Event.subject_id == question.id)).one()

    questions.accept_question(session, actor=case.spokesperson, question=stored)
    session.commit()
    page = journalist.get(f"/my/questions/{question.id}").text
    late = post_form(journalist, f"/my/questions/{question.id}/edit", {
        "title": "Sửa sau khi đã tiếp nhận", "body": "Nội dung khác.",
        "version": hidden(page, "version")}, page=f"/my/questions/{question.id}")

    assert edited.headers["location"] == f"/my/questions/{question.id}"
    assert (stored.title, stored.body) == ("Về học phí năm học 2026-2027",
                                           "Xin Bộ cho biết mức trần học phí?")
    assert "Về học phí năm 2025" in event.changes and "2026-2027" in event.changes
    assert "Sửa câu hỏi" not in page_text(page)
    assert late.status_code == 409
    assert "chỉ sửa được câu hỏi khi bộ phận báo chí chưa xem xét" in page_text(late.text).lower()
    session.expire_all()
    assert session.get(Question, question.id).title == "Về học phí năm học 2026-2027"  # type: ignore[union-attr]


def test_edit_from_an_old_page_keeps_the_typed_text(login_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question = case.question()
    session.commit()
    journalist, _user = login_as(user=case.journalist)
    page = journalist.get(f"/my/questions/{question.id}").text
    questions.accept_question(session, actor=case.spokesperson, question=question)
    session.commit()

    response = post_form(journalist, f"/my/questions/{question.id}/edit", {
        "title": "Tiêu đề mới", "body": "Nội dung mới đã gõ.",
        "version": hidden(page, "version")}, page=f"/my/questions/{question.id}")

    assert response.status_code == 409
    assert "Chưa lưu: câu hỏi đã thay đổi" in page_text(response.text)
    assert "Nội dung mới đã gõ." in response.text


def test_withdraw_until_answered(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    open_question = case.assigned()
    answered, _answer = case.submitted_answer()
    answers.approve_answer(session, actor=case.spokesperson, question=answered, answer=_answer)
    headers = {**bearer(session, case.journalist), "Accept-Language": "en"}
    stranger = bearer(session, factories.user(session, Role.JOURNALIST))

    foreign = client.post(f"/api/v1/my/questions/{open_question.id}/withdraw", headers=stranger)
    withdrawn = client.post(f"/api/v1/my/questions/{open_question.id}/withdraw", headers=headers)
    refused = client.post(f"/api/v1/my/questions/{answered.id}/withdraw", headers=headers)

    assert foreign.status_code == 404
    assert withdrawn.status_code == 200
    assert withdrawn.json()["state"] == "withdrawn"
    assert refused.status_code == 409
    assert "Its answer is approved" in refused.json()["detail"]


def test_withdrawing_a_merged_groups_lead_hands_the_work_to_the_next(
        client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    lead = case.question(title="Câu hỏi đầu tiên")
    follower = _other_journalist_question(session, case, "Câu hỏi trùng thứ hai")
    last = _other_journalist_question(session, case, "Câu hỏi trùng thứ ba")
    for item in (follower, last):
        questions.merge_question(session, actor=case.spokesperson, question=item,
                                 data=QuestionMerge(into_id=lead.id or 0))
    questions.accept_question(session, actor=case.spokesperson, question=lead)
    questions.assign_question(session, actor=case.spokesperson, question=lead, data=QuestionAssign(
        unit_id=case.unit.id or 0, due_date=now().date() + timedelta(days=3)))
    draft = answers.save_draft(session, actor=case.officer, question=lead,
                               data=AnswerDraft(body="Bản nháp của đơn vị."))

    response = client.post(f"/api/v1/my/questions/{lead.id}/withdraw",
                           headers=bearer(session, case.journalist))

    assert response.status_code == 200
    session.expire_all()
    new_lead = session.get(Question, follower.id)
    assert new_lead is not None
    assert (new_lead.state, new_lead.merged_into_id) == ("assigned", None)
    assert session.get(Question, last.id).merged_into_id == follower.id  # type: ignore[union-attr]
    assert session.get(Answer, draft.id).question_id == follower.id  # type: ignore[union-attr]
    assert [a.question_id for a in session.exec(select(Assignment).where(
        col(Assignment.question_id).in_([lead.id, follower.id])))] == [follower.id]
    assert session.get(Question, lead.id).state == "withdrawn"  # type: ignore[union-attr]
