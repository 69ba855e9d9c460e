"""The public API: conferences and published answers, and nothing that is not public."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from pressroom.accounts.queries import outlet_of
from pressroom.answers import service as answers
from pressroom.answers.schemas import AnswerDraft, AnswerPublish
from pressroom.conferences import service as conferences
from pressroom.conferences.models import PressConference
from pressroom.conferences.schemas import ConferenceCancel, ConferenceCreate, TranscriptIn, TurnIn
from pressroom.core.clock import now
from pressroom.core.i18n import gettext as _
from pressroom.questions import service as questions
from pressroom.questions.models import Question
from pressroom.questions.schemas import QuestionAssign
from tests import factories
from tests.factories import bearer


def aware(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, value
    return parsed


def _published(case: factories.Case, question: Question) -> Question:
    """Takes a submitted question through screening, drafting and review to publication."""
    session = case.session
    questions.accept_question(session, actor=case.spokesperson, question=question)
    questions.assign_question(session, actor=case.spokesperson, question=question,
                              data=QuestionAssign(unit_id=case.unit.id or 0,
                                                  due_date=now().date() + timedelta(days=7)))
    answer = answers.save_draft(session, actor=case.officer, question=question,
                                data=AnswerDraft(body="Đã trả lời tại họp báo."))
    answers.submit_answer(session, actor=case.officer, question=question, answer=answer)
    answers.approve_answer(session, actor=case.spokesperson, question=question, answer=answer)
    answers.publish_answer(session, actor=case.spokesperson, question=question, answer=answer,
                           data=AnswerPublish())
    return question


def test_answer_document_has_every_field(client, session: Session) -> None:
    case = factories.Case(session)
    question, answer = case.published_answer()
    session.commit()

    response = client.get(f"/api/v1/answers/{answer.id}")

    assert response.status_code == 200
    body = response.json()
    outlet = outlet_of(session, case.journalist)
    assert outlet is not None
    assert {k: v for k, v in body.items() if k not in ("asked_at", "approved_at",
                                                       "published_at")} == {
        "answer_id": answer.id,
        "question_id": question.id,
        "question_title": question.title,
        "question_text": "Xin Bộ cho biết tiến độ cấp đổi thẻ nhà báo nhiệm kỳ mới?",
        "asker_name": "Đặng Thu Hà",
        "outlet_id": outlet.id,
        "outlet_name": outlet.name,
        "conference_id": None,
        "conference_title": None,
        "unit_name": case.unit.name,
        "ministry_id": case.ministry.id,
        "ministry_name": case.ministry.name,
        "answer_text": "Trả lời: Bộ đã hoàn thành việc cấp đổi thẻ.",
        "approver_name": "Nguyễn Hồng Sâm",
        "approver_title": "Người phát ngôn, Chánh Văn phòng Bộ",
        "version": 1,
        "corrected_at": None,
        "correction_reason": "",
        "pdf_url": f"/answers/{answer.id}/pdf",
        "versions_url": f"/api/v1/answers/{answer.id}/versions",
        "source_id": "",
    }
    assert aware(body["asked_at"]) == question.created_at
    assert aware(body["approved_at"]) == answer.approved_at
    assert aware(body["published_at"]) == question.published_at


def test_unknown_or_unpublished_answers_are_404(client, session: Session) -> None:
    case = factories.Case(session)
    _question, submitted = case.submitted_answer()
    approved_question, approved = case.submitted_answer()
    answers.approve_answer(session, actor=case.spokesperson, question=approved_question,
                           answer=approved)
    session.commit()

    for answer_id in (submitted.id, approved.id, 999999):
        response = client.get(f"/api/v1/answers/{answer_id}")
        assert response.status_code == 404
        assert response.json() == {"detail": _("Answer not found.")}
    assert client.get("/api/v1/answers").json() == []


def test_answers_list_shows_published_latest_first_without_scheduled(client, session: Session
                                                                     ) -> None:
    case = factories.Case(session)
    _q1, older = case.published_answer()
    _q2, newer = case.published_answer()
    _q3, scheduled = case.published_answer(publish_at=now() + timedelta(minutes=5))
    session.commit()

    response = client.get("/api/v1/answers")

    assert response.status_code == 200
    assert [a["answer_id"] for a in response.json()] == [newer.id, older.id]
    assert client.get(f"/api/v1/answers/{scheduled.id}").status_code == 404


def test_answers_are_paginated(client, session: Session) -> None:
    case = factories.Case(session)
    ids = [case.published_answer()[1].id or 0 for _i in range(21)]
    session.commit()

    first = client.get("/api/v1/answers").json()
    second = client.get("/api/v1/answers?page=2").json()

    assert len(first) == 20
    assert sorted(a["answer_id"] for a in first + second) == sorted(ids)
    assert client.get("/api/v1/answers?page=0").status_code == 422


def test_conference_list_shows_only_public_conferences(client, session: Session) -> None:
    case = factories.Case(session)
    announced = factories.conference(session, case.spokesperson, case.ministry,
                                     title="Họp báo đã công bố")
    factories.conference(session, case.spokesperson, case.ministry, announce=False,
                         title="Họp báo nháp")
    cancelled = factories.conference(session, case.spokesperson, case.ministry, title="Đã hủy",
                                     starts_at=now() + timedelta(days=9))
    conferences.cancel_conference(session, actor=case.spokesperson, conference=cancelled,
                                  data=ConferenceCancel(reason="Thay đổi lịch công tác."))
    never_public = factories.conference(session, case.spokesperson, case.ministry,
                                        announce=False, title="Nháp đã hủy")
    conferences.cancel_conference(session, actor=case.spokesperson, conference=never_public,
                                  data=ConferenceCancel(reason="Không tổ chức."))
    session.commit()

    response = client.get("/api/v1/conferences")

    assert response.status_code == 200
    assert [(c["id"], c["title"], c["status"], c["status_reason"]) for c in response.json()] == [
        (cancelled.id, "Đã hủy", "cancelled", "Thay đổi lịch công tác."),
        (announced.id, "Họp báo đã công bố", "announced", "")]
    assert client.get("/api/v1/conferences?page=2").json() == []


def test_draft_and_cancelled_drafts_are_404(client, session: Session) -> None:
    case = factories.Case(session)
    draft = factories.conference(session, case.spokesperson, case.ministry, announce=False)
    cancelled = factories.conference(session, case.spokesperson, case.ministry, announce=False)
    conferences.cancel_conference(session, actor=case.spokesperson, conference=cancelled,
                                  data=ConferenceCancel(reason="Không tổ chức."))
    session.commit()

    for conference_id in (draft.id, cancelled.id, 999999):
        response = client.get(f"/api/v1/conferences/{conference_id}")
        assert response.status_code == 404
        assert response.json() == {"detail": _("Press conference not found.")}


def test_conference_shows_participants_transcript_and_published_answers_only(
    client, session: Session
) -> None:
    case = factories.Case(session)
    guest = factories.ministry(session, name="Bộ Tài chính")
    conference = factories.conference(session, case.spokesperson, case.ministry,
                                      starts_at=now() - timedelta(minutes=30))
    conferences.update_conference(session, actor=case.spokesperson, conference=conference,
                                  data=_same(conference, participant_ids=[guest.id or 0]))
    public_q = _published(case, case.question(conference_id=conference.id))
    hidden_q = case.question(conference_id=conference.id)
    conferences.mark_conference_held(session, actor=case.spokesperson, conference=conference)
    conferences.replace_transcript(session, actor=case.spokesperson, conference=conference,
                                   data=TranscriptIn(turns=[
        TurnIn(speaker_name="Đặng Thu Hà", text="Câu hỏi đã trả lời.",
               question_id=public_q.id),
        TurnIn(speaker_name="Phóng viên", text="Câu hỏi chưa trả lời.",
               question_id=hidden_q.id, offset_seconds=61),
    ]))
    session.commit()
    before = client.get(f"/api/v1/conferences/{conference.id}").json()
    conferences.publish_transcript(session, actor=case.spokesperson, conference=conference)
    session.commit()

    response = client.get(f"/api/v1/conferences/{conference.id}")

    assert (before["transcript_turns"], before["transcript_pdf_url"]) == ([], None)
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["host_name"], body["participant_names"]) == (
        "transcript_published", case.ministry.name, [guest.name])
    assert body["transcript_turns"] == [
        {"position": 1, "speaker_name": "Đặng Thu Hà", "speaker_role": "",
         "text": "Câu hỏi đã trả lời.", "offset_seconds": None, "question_id": public_q.id,
         "question_title": public_q.title},
        {"position": 2, "speaker_name": "Phóng viên", "speaker_role": "",
         "text": "Câu hỏi chưa trả lời.", "offset_seconds": 61, "question_id": None,
         "question_title": None},
    ]
    assert body["transcript_pdf_url"] == f"/conferences/{conference.id}/transcript/pdf"
    assert [a["question_id"] for a in body["answers"]] == [public_q.id]
    assert body["answers"][0]["conference_title"] == conference.title


def _same(conference: PressConference, **changes: Any) -> ConferenceCreate:
    return ConferenceCreate(
        title=conference.title, host_organization_id=conference.host_organization_id,
        starts_at=conference.starts_at, ends_at=conference.ends_at, venue=conference.venue,
        description=conference.description, **changes)


def test_public_routes_ignore_who_is_asking(client, session: Session) -> None:
    case = factories.Case(session)
    _question, answer = case.published_answer()
    draft = factories.conference(session, case.spokesperson, case.ministry, announce=False)
    headers = bearer(session, case.spokesperson)

    assert client.get(f"/api/v1/answers/{answer.id}", headers=headers).status_code == 200
    # Even its own spokesperson does not see a draft through the public API.
    assert client.get(f"/api/v1/conferences/{draft.id}", headers=headers).status_code == 404
    assert client.get("/api/v1/answers",
                      headers={"Authorization": "Bearer expired"}).status_code == 200
