"""Corrections after publication: the spokesperson publishes a corrected text with a reason;
the public reads the current text with a dated notice, and every earlier text with what
changed, each version keeping its own PDF; the journalist is told; the API lists versions."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

import pytest
from sqlmodel import select

from pressroom.answers import service as answers
from pressroom.answers.models import AnswerVersion
from pressroom.answers.schemas import AnswerCorrection
from pressroom.core.audit import history
from pressroom.core.clock import now
from pressroom.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pressroom.core.i18n import gettext as _
from pressroom.core.wordiff import word_diff
from pressroom.notifications.enums import NotificationKind
from pressroom.notifications.models import Notification
from pressroom.publishing.service import render_pending
from tests import factories
from tests.conftest import post_form
from tests.reading import page_text, pdf_text, shown

ORIGINAL = "Trả lời: Bộ đã hoàn thành việc cấp đổi thẻ."
CORRECTED = "Trả lời: Bộ đã hoàn thành 95% việc cấp đổi thẻ nhà báo."
REASON = "Số liệu ban đầu chưa đầy đủ; Cục Báo chí đã cập nhật."


def _correct(case: factories.Case, question, answer, body=CORRECTED, reason=REASON):  # type: ignore[no-untyped-def]
    return answers.correct_answer(case.session, actor=case.spokesperson, question=question,
                                  answer=answer, data=AnswerCorrection(body=body, reason=reason))


# --- the word diff -----------------------------------------------------------------------------

def test_word_diff_marks_whole_words_removed_and_added():
    runs = word_diff(ORIGINAL, CORRECTED)
    assert runs == [
        ("equal", "Trả lời: Bộ đã hoàn thành "),
        ("insert", "95% "),
        ("equal", "việc cấp đổi "),
        ("delete", "thẻ."),
        ("insert", "thẻ nhà báo."),
    ]
    assert "".join(t for op, t in runs if op != "insert") == ORIGINAL
    assert "".join(t for op, t in runs if op != "delete") == CORRECTED


def test_word_diff_reads_decomposed_vietnamese_as_the_same_words():
    decomposed = unicodedata.normalize("NFD", ORIGINAL)
    assert word_diff(decomposed, ORIGINAL) == [("equal", ORIGINAL)]


def test_word_diff_keeps_line_breaks():
    runs = word_diff("Đoạn một.\n\nĐoạn hai cũ.", "Đoạn một.\n\nĐoạn hai mới.")
    assert runs == [("equal", "Đoạn một.\n\nĐoạn hai "), ("delete", "cũ."), ("insert", "mới.")]


# --- the service -------------------------------------------------------------------------------

def test_a_correction_keeps_the_original_and_tells_the_journalist(session):
    case = factories.Case(session)
    question, answer = case.published_answer()
    first_published = answer.published_at

    kept = _correct(case, question, answer)

    assert (answer.body, answer.version, answer.correction_reason) == (CORRECTED, 2, REASON)
    assert answer.corrected_at is not None and answer.corrected_at >= first_published
    rows = session.exec(select(AnswerVersion).where(AnswerVersion.answer_id == answer.id)).all()
    assert [(r.version, r.body, r.correction_reason, r.published_at) for r in rows] == [
        (1, ORIGINAL, "", first_published)]
    assert kept.superseded_at == answer.corrected_at
    told = session.exec(select(Notification).where(
        Notification.user_id == case.journalist.id,
        Notification.kind == NotificationKind.ANSWER_CORRECTED)).all()
    assert len(told) == 1 and REASON in told[0].text
    assert told[0].case_path == f"/my/questions/{question.id}"
    assert "answer.corrected" in [e.action for e in history(session, question)]


def test_a_second_correction_keeps_both_earlier_texts_with_their_reasons(session):
    case = factories.Case(session)
    question, answer = case.published_answer()
    _correct(case, question, answer)
    _correct(case, question, answer, body="Trả lời: Bộ đã hoàn thành 97% việc cấp đổi thẻ.",
             reason="Cập nhật số liệu cuối tuần.")

    rows = session.exec(select(AnswerVersion).where(AnswerVersion.answer_id == answer.id)
                        .order_by(AnswerVersion.version)).all()
    assert [(r.version, r.body, r.correction_reason) for r in rows] == [
        (1, ORIGINAL, ""), (2, CORRECTED, REASON)]
    assert rows[1].published_at == rows[0].superseded_at
    assert (answer.version, answer.correction_reason) == (3, "Cập nhật số liệu cuối tuần.")


def test_the_same_text_is_not_a_correction(session):
    case = factories.Case(session)
    question, answer = case.published_answer()
    with pytest.raises(ValidationFailed) as refused:
        _correct(case, question, answer, body=ORIGINAL)
    assert set(refused.value.fields) == {"body"}
    assert answer.version == 1


def test_only_a_public_answer_can_be_corrected(session):
    case = factories.Case(session)
    question, answer = case.submitted_answer()
    with pytest.raises(InvalidTransition):
        _correct(case, question, answer)
    scheduled_question, scheduled = case.published_answer(publish_at=now() + timedelta(days=1))
    with pytest.raises(InvalidTransition):
        _correct(case, scheduled_question, scheduled)
    assert scheduled.body == ORIGINAL


def test_another_ministrys_spokesperson_cannot_correct(session):
    case, other = factories.Case(session), factories.Case(session)
    question, answer = case.published_answer()
    with pytest.raises(PermissionDenied):
        answers.correct_answer(session, actor=other.spokesperson, question=question,
                               answer=answer, data=AnswerCorrection(body=CORRECTED, reason=REASON))
    assert answer.body == ORIGINAL


# --- pages -------------------------------------------------------------------------------------

def test_spokesperson_corrects_and_the_public_page_shows_notice_and_what_changed(
        login_as, client, session):
    case = factories.Case(session)
    question, answer = case.published_answer()
    session.commit()
    staff, _user = login_as(user=case.spokesperson)
    form = staff.get(f"/staff/questions/{question.id}").text
    assert f'action="/staff/questions/{question.id}/correct"' in form
    assert shown(ORIGINAL) in form  # the text to correct starts as the published one

    response = post_form(staff, f"/staff/questions/{question.id}/correct",
                         {"body": CORRECTED, "reason": REASON},
                         page=f"/staff/questions/{question.id}")

    assert response.status_code == 303
    assert response.headers["location"] == f"/staff/questions/{question.id}"
    page = client.get(f"/answers/{answer.id}").text
    words = page_text(page)
    assert shown(CORRECTED) in page
    assert REASON in words
    assert _("Earlier versions") in words
    assert "<ins>95% </ins>" in page
    assert "<del>thẻ.</del><ins>thẻ nhà báo.</ins>" in page
    assert f'href="/answers/{answer.id}/versions/1/pdf"' not in page  # not rendered yet
    mine, _j = login_as(user=case.journalist)
    assert REASON in page_text(mine.get(f"/my/questions/{question.id}").text)


def test_a_correction_without_reason_keeps_the_typed_text(login_as, session):
    case = factories.Case(session)
    question, answer = case.published_answer()
    session.commit()
    staff, _user = login_as(user=case.spokesperson)
    response = post_form(staff, f"/staff/questions/{question.id}/correct",
                         {"body": CORRECTED, "reason": "  "},
                         page=f"/staff/questions/{question.id}")
    assert response.status_code == 400
    assert shown(CORRECTED) in response.text
    assert _("Reason") in page_text(response.text)
    session.refresh(answer)
    assert (answer.body, answer.version) == (ORIGINAL, 1)


def test_hostile_text_in_a_correction_is_shown_as_text(login_as, client, session):
    case = factories.Case(session)
    question, answer = case.published_answer()
    session.commit()
    staff, _user = login_as(user=case.spokesperson)
    hostile = '<script>alert(1)</script> <b>đậm</b>'
    post_form(staff, f"/staff/questions/{question.id}/correct",
              {"body": CORRECTED + " " + hostile, "reason": hostile},
              page=f"/staff/questions/{question.id}")
    page = client.get(f"/answers/{answer.id}").text
    assert "<script>alert" not in page and "<b>đậm</b>" not in page
    assert shown('<script>alert(1)</script>') in page


def test_journalist_cannot_post_a_correction(login_as, session):
    case = factories.Case(session)
    question, answer = case.published_answer()
    session.commit()
    journalist, _user = login_as(user=case.journalist)
    response = post_form(journalist, f"/staff/questions/{question.id}/correct",
                         {"body": CORRECTED, "reason": REASON})
    assert response.status_code == 403
    session.refresh(answer)
    assert answer.body == ORIGINAL


# --- PDFs --------------------------------------------------------------------------------------

def test_each_version_keeps_its_own_pdf(client, session):
    case = factories.Case(session)
    question, answer = case.published_answer()
    assert render_pending(session) == 1
    _correct(case, question, answer)
    assert render_pending(session) == 1  # the corrected version; the original has its PDF
    session.commit()

    original = client.get(f"/answers/{answer.id}/versions/1/pdf")
    current = client.get(f"/answers/{answer.id}/pdf")
    same_current = client.get(f"/answers/{answer.id}/versions/2/pdf")

    assert original.headers["content-type"] == "application/pdf"
    assert ORIGINAL in pdf_text(original.content)
    assert CORRECTED not in pdf_text(original.content)
    text = pdf_text(current.content)
    assert CORRECTED in text and REASON in text
    assert same_current.content == current.content
    assert client.get(f"/answers/{answer.id}/versions/3/pdf").status_code == 404
    page = client.get(f"/answers/{answer.id}").text
    assert f'href="/answers/{answer.id}/versions/1/pdf"' in page


def test_a_version_replaced_before_its_pdf_was_made_still_gets_one(client, session):
    case = factories.Case(session)
    question, answer = case.published_answer()
    _correct(case, question, answer)
    assert render_pending(session) == 2
    session.commit()
    assert ORIGINAL in pdf_text(client.get(f"/answers/{answer.id}/versions/1/pdf").content)


# --- API ---------------------------------------------------------------------------------------

def test_api_corrects_and_lists_every_version(client, session):
    case = factories.Case(session)
    question, answer = case.published_answer()
    headers = factories.bearer(session, case.spokesperson)

    response = client.post(f"/api/v1/questions/{question.id}/answer/correct", headers=headers,
                           json={"body": CORRECTED, "reason": REASON})

    assert response.status_code == 200
    assert (response.json()["version"], response.json()["correction_reason"]) == (2, REASON)
    listed = client.get(f"/api/v1/answers/{answer.id}/versions").json()
    assert [(v["version"], v["answer_text"], v["correction_reason"], v["is_current"])
            for v in listed] == [(1, ORIGINAL, "", False), (2, CORRECTED, REASON, True)]
    assert listed[0]["superseded_at"] is not None and listed[1]["superseded_at"] is None
    assert listed[0]["pdf_url"] == f"/answers/{answer.id}/versions/1/pdf"
    doc = client.get(f"/api/v1/answers/{answer.id}").json()
    assert (doc["answer_text"], doc["version"], doc["correction_reason"]) == (CORRECTED, 2, REASON)
    assert doc["versions_url"] == f"/api/v1/answers/{answer.id}/versions"


def test_api_refuses_a_correction_from_a_journalist_and_the_same_text(client, session):
    case = factories.Case(session)
    question, answer = case.published_answer()
    journalist = factories.bearer(session, case.journalist)
    refused = client.post(f"/api/v1/questions/{question.id}/answer/correct", headers=journalist,
                          json={"body": CORRECTED, "reason": REASON})
    assert refused.status_code == 403
    spokesperson = factories.bearer(session, case.spokesperson)
    same = client.post(f"/api/v1/questions/{question.id}/answer/correct", headers=spokesperson,
                       json={"body": ORIGINAL, "reason": REASON})
    assert same.status_code == 422
    assert [v["version"] for v in client.get(f"/api/v1/answers/{answer.id}/versions").json()] \
        == [1]
