"""Honest states and messages: a scheduled answer reads "scheduled for", a wrong-state action
says the state and what can be done, form errors name their field, transcript times read
h:mm:ss, the transcript editor grows on demand and offers only questions it may link."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from sqlmodel import Session

from pressroom.conferences import service as conferences
from pressroom.conferences.schemas import TranscriptIn, TurnIn
from pressroom.core.clock import now
from pressroom.core.i18n import fmt_datetime
from pressroom.questions.enums import DeclineGround
from pressroom.questions.schemas import QuestionReject
from pressroom.questions.service import reject_question
from tests import factories
from tests.conftest import post_form
from tests.factories import Case, bearer
from tests.reading import field_value, hidden, page_text, select_options


def test_scheduled_answer_reads_scheduled_to_journalist_and_staff(
        session: Session, login_as, client) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    at = (now() + timedelta(days=2)).replace(second=0, microsecond=0)
    question, _answer = case.published_answer(publish_at=at)
    session.commit()
    journalist, _user = login_as(user=case.journalist)
    staff, _user = login_as(user=case.spokesperson)
    expected = f"Hẹn công bố lúc {fmt_datetime(at)}"

    mine = page_text(journalist.get("/my/questions").text)
    case_page = page_text(journalist.get(f"/my/questions/{question.id}").text)
    queue = page_text(staff.get("/staff/questions").text)
    api = client.get(f"/api/v1/my/questions/{question.id}", headers=bearer(session, case.journalist))

    for text in (mine, case_page, queue):
        assert expected in text
    assert "Đã công bố" not in mine
    assert (api.json()["state"], api.json()["scheduled_for"][:16]) == (
        "scheduled", at.isoformat()[:16])
    with time_machine.travel(at + timedelta(minutes=1), tick=False):
        journalist, _user = login_as(user=case.journalist)  # a login lasts 12 hours
        after = page_text(journalist.get("/my/questions").text)
        api_after = client.get(f"/api/v1/my/questions/{question.id}",
                               headers=bearer(session, case.journalist))
    assert "Đã công bố" in after and expected not in after
    assert (api_after.json()["state"], api_after.json()["scheduled_for"]) == ("published", None)


def test_wrong_state_page_says_the_state_and_what_to_do(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question, _answer = case.published_answer()
    session.commit()
    staff, _user = login_as(user=case.spokesperson)

    # A form without a version (an old bookmark, a script): no stale check, the state decides.
    response = post_form(staff, f"/staff/questions/{question.id}/approve", {},
                         page=f"/staff/questions/{question.id}")

    assert response.status_code == 409  # type: ignore[attr-defined]
    text = page_text(response.text)  # type: ignore[attr-defined]
    assert "Hiện chưa thể thực hiện" in text
    assert ("Hiện không thể thực hiện thao tác này với câu trả lời. Câu trả lời đã được duyệt: "
            "người phát ngôn có thể công bố ngay hoặc hẹn giờ, nếu chưa làm.") in text
    assert "Có người khác đã thay đổi" not in text


def test_form_errors_name_their_field_in_both_languages(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    session.commit()
    client, _user = login_as(user=case.journalist)
    page = client.get("/my/questions/new").text
    form = {"csrf_token": hidden(page, "csrf_token"), "title": "", "body": "",
            "addressed_to_id": str(case.ministry.id)}

    vietnamese = page_text(client.post("/my/questions/new", data=form).text)
    client.cookies.set("pressroom_lang", "en")
    english = page_text(client.post("/my/questions/new", data=form).text)

    assert "Tiêu đề: bắt buộc nhập." in vietnamese
    assert "Title: required." in english
    assert "Text: required." in english
    assert "This field is required." not in english


def _held(session: Session, case: Case):  # type: ignore[no-untyped-def]
    conference = factories.conference(session, case.spokesperson, case.ministry,
                                       starts_at=now() - timedelta(hours=3))
    conferences.mark_conference_held(session, actor=case.spokesperson, conference=conference)
    return conference


def test_bad_transcript_time_says_how_to_write_it(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    conference = _held(session, case)
    session.commit()
    client, _user = login_as(user=case.spokesperson)
    url = f"/staff/conferences/{conference.id}"
    page = client.get(url).text

    response = client.post(url + "/transcript", data={
        name: hidden(page, name) for name in ("csrf_token", "version", "seen")} | {
        "turns-0-speaker_name": "Nguyễn Thanh Lâm", "turns-0-text": "Xin chào.",
        "turns-0-offset": "mười phút"})

    assert response.status_code == 400
    assert "Thời điểm: ghi theo dạng h:mm:ss, ví dụ 0:05:30 hoặc 1:12:40." in page_text(
        response.text)
    assert "Chọn một giá trị" not in page_text(response.text)


def test_transcript_times_read_h_mm_ss_in_the_editor_and_the_public_page(
        session: Session, login_as, client) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    conference = _held(session, case)
    conferences.replace_transcript(session, actor=case.spokesperson, conference=conference,
                                   data=TranscriptIn(turns=[
                                       TurnIn(speaker_name="Lâm", text="Mở đầu.", offset_seconds=330),
                                       TurnIn(speaker_name="Hà", text="Hỏi.", offset_seconds=4360)]))
    session.commit()
    staff, _user = login_as(user=case.spokesperson)

    editor = staff.get(f"/staff/conferences/{conference.id}").text
    conferences.publish_transcript(session, actor=case.spokesperson, conference=conference)
    session.commit()
    public = page_text(client.get(f"/conferences/{conference.id}").text)

    assert field_value(editor, "turns-0-offset") == "0:05:30"
    assert field_value(editor, "turns-1-offset") == "1:12:40"
    assert "0:05:30" in public and "1:12:40" in public


def test_transcript_editor_adds_rows_and_keeps_the_text(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    conference = _held(session, case)
    session.commit()
    client, _user = login_as(user=case.spokesperson)
    url = f"/staff/conferences/{conference.id}"
    page = client.get(url).text
    rows_before = len(re.findall(r'name="turns-\d+-text"', page))
    form = {name: hidden(page, name) for name in ("csrf_token", "version", "seen")}
    form.update({f"turns-{i}-speaker_name": f"Người nói {i}" for i in range(rows_before)})
    form.update({f"turns-{i}-text": f"Lượt {i}" for i in range(rows_before)})

    more = client.post(url + "/transcript", data={**form, "add_rows": "1"})

    assert more.status_code == 200
    rows_after = len(re.findall(r'name="turns-\d+-text"', more.text))
    assert rows_after >= rows_before + 5
    assert field_value(more.text, f"turns-{rows_before - 1}-text") == f"Lượt {rows_before - 1}"
    assert "Đã lưu biên bản" not in page_text(more.text)


def test_transcript_editor_does_not_offer_declined_questions(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry,
                                      starts_at=now() + timedelta(days=2))
    kept = case.question(conference_id=conference.id, title="Câu hỏi được tiếp nhận")
    declined = case.question(conference_id=conference.id, title="Câu hỏi bị từ chối")
    reject_question(session, actor=case.spokesperson, question=declined,
                    data=QuestionReject(ground=DeclineGround.OTHER, message="Ngoài phạm vi."))
    conference.starts_at = now() - timedelta(hours=3)
    conference.ends_at = now() - timedelta(hours=1)
    session.add(conference)
    conferences.mark_conference_held(session, actor=case.spokesperson, conference=conference)
    session.commit()
    client, _user = login_as(user=case.spokesperson)

    page = client.get(f"/staff/conferences/{conference.id}").text

    offered = [label for _value, label in select_options(page, "turns-0-question_id")]
    assert any("Câu hỏi được tiếp nhận" in label for label in offered)
    assert not any("Câu hỏi bị từ chối" in label for label in offered)
    assert kept.id and declined.id


def test_every_page_names_the_time_zone_once(session: Session, login_as, client) -> None:  # type: ignore[no-untyped-def]
    staff, _user = login_as("spokesperson")

    for page in (client.get("/").text, client.get("/conferences").text,
                 staff.get("/staff/questions").text):
        assert page_text(page).count("giờ Hà Nội (UTC+07:00)") == 1
    client.cookies.set("pressroom_lang", "en")
    assert "Times are Hanoi time (UTC+07:00), written dd/mm/yyyy hh:mm (24-hour)." in page_text(
        client.get("/").text)
