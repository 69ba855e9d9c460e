"""The public answer and transcript documents as a reader sees them, on the page and in the API:
every field's value, which answers a listing holds and in which order, and which stored PDF is
served (looked up by kind, object and version)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from sqlmodel import Session, select

from pressroom.accounts import service as accounts
from pressroom.accounts.enums import Role
from pressroom.answers import service as answers
from pressroom.answers.models import Answer
from pressroom.answers.schemas import AnswerDraft, AnswerPublish
from pressroom.conferences import service as conferences
from pressroom.conferences.models import PressConference
from pressroom.conferences.schemas import ConferenceCreate, TranscriptIn, TurnIn
from pressroom.core import pagecache
from pressroom.core.clock import now
from pressroom.core.i18n import gettext as _
from pressroom.organizations import service as organizations
from pressroom.publishing.models import StoredPdf
from pressroom.publishing.service import render_pending
from pressroom.questions.models import Question
from tests import factories
from tests.conftest import IS_POSTGRES
from tests.reading import listed_answer_ids, page_text, pdf_text, shown

TURN_TEXT = "Bộ sẽ công bố kết quả rà soát trong quý I năm 2027."
ROW_ONE = pytest.mark.skipif(IS_POSTGRES, reason="needs a fresh table to number rows from 1 (SQLite)")


def _approved(case: factories.Case, *, conference_id: int | None = None, body: str = "Trả lời.",
              title: str = "Về tiến độ cấp thẻ nhà báo") -> tuple[Question, Answer]:
    question = case.assigned(conference_id=conference_id, title=title)
    answer = answers.save_draft(case.session, actor=case.officer, question=question,
                                data=AnswerDraft(body=body))
    answers.submit_answer(case.session, actor=case.officer, question=question, answer=answer)
    answers.approve_answer(case.session, actor=case.spokesperson, question=question, answer=answer)
    return question, answer


def _publish(case: factories.Case, question: Question, answer: Answer,
             at: datetime | None = None) -> None:
    answers.publish_answer(case.session, actor=case.spokesperson, question=question, answer=answer,
                           data=AnswerPublish(publish_at=at))


def _open_conference(session: Session, case: factories.Case, title: str,
                     participant_ids: list[int] | None = None) -> PressConference:
    """An announced conference that began an hour ago (questions may still be asked)."""
    conference = factories.conference(session, case.spokesperson, case.ministry, title=title,
                                      starts_at=now() - timedelta(hours=1))
    if participant_ids:
        conferences.update_conference(session, actor=case.spokesperson, conference=conference,
                                      data=ConferenceCreate(
            title=conference.title, host_organization_id=conference.host_organization_id,
            starts_at=conference.starts_at, ends_at=conference.ends_at, venue=conference.venue,
            description=conference.description, participant_ids=participant_ids))
    return conference


def _publish_transcript(session: Session, case: factories.Case, conference: PressConference,
                        turns: list[TurnIn]) -> None:
    conferences.mark_conference_held(session, actor=case.spokesperson, conference=conference)
    conferences.replace_transcript(session, actor=case.spokesperson, conference=conference,
                                   data=TranscriptIn(turns=turns))
    conferences.publish_transcript(session, actor=case.spokesperson, conference=conference)


# --- the answer document -----------------------------------------------------------------

def test_conference_answer_shows_its_conference_unit_ministry_and_the_outlet_asked_for(
    client, session
):
    case = factories.Case(session)
    conference = _open_conference(session, case, "Họp báo Chính phủ thường kỳ tháng 11")
    question, answer = _approved(case, conference_id=conference.id,
                                 body="Bộ đã cấp đổi 21.000 thẻ nhà báo.")
    # The journalist moves to another paper after asking: the answer names the paper the
    # question was asked for.
    asked_for = accounts.get_or_create_outlet(session, name="Báo Nhân Dân 1")
    question_outlet = session.get(type(asked_for), question.outlet_id)
    assert question_outlet is not None
    journalist = case.journalist
    journalist.outlet_id = asked_for.id
    session.add(journalist)
    _publish(case, question, answer)
    session.commit()

    api = client.get(f"/api/v1/answers/{answer.id}").json()
    page = client.get(f"/answers/{answer.id}")

    assert {k: api[k] for k in ("answer_id", "question_id", "conference_id", "conference_title",
                                "outlet_name", "unit_name", "ministry_name", "answer_text")} == {
        "answer_id": answer.id, "question_id": question.id, "conference_id": conference.id,
        "conference_title": "Họp báo Chính phủ thường kỳ tháng 11",
        "outlet_name": question_outlet.name, "unit_name": case.unit.name,
        "ministry_name": case.ministry.name, "answer_text": "Bộ đã cấp đổi 21.000 thẻ nhà báo."}
    assert question_outlet.name != "Báo Nhân Dân 1"
    assert page.status_code == 200
    assert (f'<a class="govuk-link" href="/conferences/{conference.id}">'
            "Họp báo Chính phủ thường kỳ tháng 11</a>") in page.text
    assert shown(_("Written question")) not in page.text
    assert shown(question_outlet.name) in page.text
    assert "Báo Nhân Dân 1," not in page.text
    assert _("Official answer of %(ministry)s", ministry=case.ministry.name) in page_text(page.text)
    ministry_link = (f'<a class="govuk-link" href="/organizations/{case.ministry.id}">'
                     f"{shown(case.ministry.name)}</a>")
    assert f"{shown(case.unit.name)}<br>{ministry_link}" in page.text
    assert (f'<a class="govuk-link" href="/outlets/{question_outlet.id}">'
            f"{shown(question_outlet.name)}</a>") in page.text


def test_approver_without_a_spokesperson_listing_is_titled_spokesperson(client, session):
    case = factories.Case(session)
    approver = accounts.create_user(session, email="pho.van.phong@example.vn",
                                    full_name="Trần Quang Vinh", password=factories.PASSWORD,
                                    role=Role.SPOKESPERSON)
    organizations.add_member(session, user_id=approver.id or 0, organization_id=case.ministry.id or 0)
    question, answer = case.submitted_answer()
    answers.approve_answer(session, actor=approver, question=question, answer=answer)
    answers.publish_answer(session, actor=approver, question=question, answer=answer,
                           data=AnswerPublish())
    session.commit()

    api = client.get(f"/api/v1/answers/{answer.id}")
    page = client.get(f"/answers/{answer.id}")

    assert api.status_code == 200
    assert (api.json()["approver_name"], api.json()["approver_title"]) == (
        "Trần Quang Vinh", _("Spokesperson"))
    assert _("Spokesperson") == "Người phát ngôn"
    assert page.status_code == 200
    assert ('Trần Quang Vinh<br><span class="pr-muted">Người phát ngôn</span>') in page.text


@ROW_ONE
def test_written_answer_listed_beside_conference_one_has_no_conference(client, session):
    case = factories.Case(session)
    conference = _open_conference(session, case, "Họp báo thường kỳ quý IV")
    assert conference.id == 1
    at_conference, first = _approved(case, conference_id=conference.id)
    written, second = _approved(case)
    _publish(case, at_conference, first)
    _publish(case, written, second)
    session.commit()

    listed = {a["answer_id"]: (a["conference_id"], a["conference_title"])
              for a in client.get("/api/v1/answers").json()}
    page = client.get(f"/answers/{second.id}").text

    assert listed == {first.id: (1, "Họp báo thường kỳ quý IV"), second.id: (None, None)}
    assert shown(_("Written question")) in page


def test_answer_becomes_public_at_the_exact_publication_instant(client, session):
    case = factories.Case(session)
    question, answer = _approved(case)
    at = (now() + timedelta(hours=3)).replace(microsecond=0)
    _publish(case, question, answer, at)
    session.commit()

    with time_machine.travel(at - timedelta(seconds=1), tick=False):
        before = client.get(f"/api/v1/answers/{answer.id}")
    with time_machine.travel(at, tick=False):
        on_time = client.get(f"/api/v1/answers/{answer.id}")
        listed = client.get("/api/v1/answers").json()

    assert before.status_code == 404
    assert on_time.status_code == 200
    assert on_time.json()["question_title"] == question.title
    assert [a["answer_id"] for a in listed] == [answer.id]


# --- listings and their order ------------------------------------------------------------

def test_latest_answers_newest_publication_first_then_newest_answer(client, session):
    case = factories.Case(session)
    base = (now() + timedelta(hours=1)).replace(microsecond=0)
    drafted = [_approved(case, title=f"Câu hỏi {n}") for n in range(8)]
    # Publication times out of step with the answers' ids; two answers share a moment.
    minutes = [30, 10, 50, 20, 20, 40, 0, 60]
    for (question, answer), minute in zip(drafted, minutes, strict=True):
        _publish(case, question, answer, base + timedelta(minutes=minute))
    session.commit()
    ids = [answer.id for _q, answer in drafted]
    expected = [ids[7], ids[2], ids[5], ids[0], ids[4], ids[3], ids[1], ids[6]]

    with time_machine.travel(base + timedelta(hours=2), tick=False):
        api = [a["answer_id"] for a in client.get("/api/v1/answers").json()]
        listing = listed_answer_ids(client.get("/answers").text)
        home = listed_answer_ids(client.get("/").text)

    assert api == expected
    assert listing == expected
    assert home == expected[:6]


def test_conference_page_lists_its_answers_in_order_of_publication(client, session):
    case = factories.Case(session)
    conference = _open_conference(session, case, "Họp báo về chuyển đổi số")
    other = _open_conference(session, case, "Họp báo về giá điện")
    base = (now() + timedelta(hours=1)).replace(microsecond=0)
    questions = [case.assigned(conference_id=conference.id, title=f"Câu hỏi {n}")
                 for n in range(4)]
    # Answers drafted in another order than the questions were asked.
    drafted: dict[int, Answer] = {}
    for n in (3, 1, 2, 0):
        drafted[n] = answers.save_draft(session, actor=case.officer, question=questions[n],
                                        data=AnswerDraft(body=f"Trả lời {n}."))
        answers.submit_answer(session, actor=case.officer, question=questions[n],
                              answer=drafted[n])
        answers.approve_answer(session, actor=case.spokesperson, question=questions[n],
                               answer=drafted[n])
    elsewhere, elsewhere_answer = _approved(case, conference_id=other.id, title="Giá điện")
    for n, minute in ((0, 30), (1, 10), (2, 20), (3, 20)):
        _publish(case, questions[n], drafted[n], base + timedelta(minutes=minute))
    _publish(case, elsewhere, elsewhere_answer, base)
    session.commit()
    # Oldest publication first; at the same moment, the earlier answer first.
    tie = sorted([drafted[2].id or 0, drafted[3].id or 0])
    expected = [drafted[1].id, *tie, drafted[0].id]

    with time_machine.travel(base + timedelta(hours=2), tick=False):
        page = listed_answer_ids(client.get(f"/conferences/{conference.id}").text)
        api = client.get(f"/api/v1/conferences/{conference.id}").json()

    assert page == expected
    assert [a["answer_id"] for a in api["answers"]] == expected
    assert {a["conference_id"] for a in api["answers"]} == {conference.id}


# --- the transcript document ---------------------------------------------------------------

@ROW_ONE
def test_transcript_document_in_api_page_and_pdf(client, session):
    case = factories.Case(session)
    guests = [factories.ministry(session, name="Bộ Tài chính"),
              factories.ministry(session, name="Bộ Công Thương")]
    conference = _open_conference(session, case, "Họp báo Chính phủ thường kỳ tháng 12",
                                  participant_ids=[g.id or 0 for g in guests])
    linked, answer = _approved(case, conference_id=conference.id, title="Về thẻ nhà báo")
    assert linked.id == 1
    _publish(case, linked, answer)
    _publish_transcript(session, case, conference, [
        TurnIn(speaker_name="Nguyễn Hồng Sâm", speaker_role="Người phát ngôn", text=TURN_TEXT,
               offset_seconds=65),
        TurnIn(speaker_name="Đặng Thu Hà", text="Xin hỏi về thẻ nhà báo.", question_id=linked.id),
    ])
    assert render_pending(session) == 2
    session.commit()

    api = client.get(f"/api/v1/conferences/{conference.id}").json()
    page = client.get(f"/conferences/{conference.id}").text
    pdf = client.get(f"/conferences/{conference.id}/transcript/pdf")
    text = pdf_text(pdf.content)

    assert [(t["position"], t["question_id"], t["question_title"])
            for t in api["transcript_turns"]] == [(1, None, None), (2, 1, linked.title)]
    assert shown(_("Version %(version)s", version=1)) in page
    assert pdf.status_code == 200
    assert pdf.headers["content-disposition"] == (
        f'inline; filename="noi-dung-hop-bao-{conference.id}-v1.pdf"')
    for expected in ("Họp báo Chính phủ thường kỳ tháng 12", case.ministry.name,
                     "18 Nguyễn Du, Hà Nội", guests[0].name, guests[1].name, TURN_TEXT,
                     _("On the question: %(title)s", title=linked.title),
                     _("Version %(version)s", version=1)):
        assert expected in text, expected
    assert text.count(linked.title) == 1
    assert f"{_('Chaired by')} {case.ministry.name}" in text


def test_transcript_question_title_shows_at_the_exact_publication_instant(client, session):
    case = factories.Case(session)
    conference = _open_conference(session, case, "Họp báo thường kỳ")
    linked, answer = _approved(case, conference_id=conference.id, title="Về cấp phép")
    at = (now() + timedelta(hours=3)).replace(microsecond=0)
    _publish(case, linked, answer, at)
    _publish_transcript(session, case, conference, [
        TurnIn(speaker_name="Đặng Thu Hà", text="Xin hỏi.", question_id=linked.id)])
    session.commit()

    with time_machine.travel(at - timedelta(seconds=1), tick=False):
        before = client.get(f"/api/v1/conferences/{conference.id}").json()
    with time_machine.travel(at, tick=False):
        on_time = client.get(f"/api/v1/conferences/{conference.id}").json()

    assert [(t["question_id"], t["question_title"]) for t in before["transcript_turns"]] == [
        (None, None)]
    assert [(t["question_id"], t["question_title"]) for t in on_time["transcript_turns"]] == [
        (linked.id, linked.title)]


# --- which stored PDF is served --------------------------------------------------------------

def _stored(session: Session) -> list[tuple[str, int, int]]:
    rows = session.exec(select(StoredPdf).order_by(StoredPdf.id))  # type: ignore[arg-type]
    return [(row.kind, row.object_id, row.version) for row in rows]


def test_answer_and_transcript_with_the_same_id_each_get_their_own_pdf(client, session):
    case = factories.Case(session)
    conference = _open_conference(session, case, "Họp báo về an toàn thông tin")
    question, answer = _approved(case, body="Câu trả lời chính thức số một.")
    for _attempt in range(5):
        if (answer.id or 0) >= (conference.id or 0):
            break
        question, answer = _approved(case, body="Câu trả lời chính thức số một.")
    if answer.id != conference.id:
        pytest.skip("the answer and the conference did not get the same id")
    _publish_transcript(session, case, conference, [
        TurnIn(speaker_name="Nguyễn Hồng Sâm", text=TURN_TEXT)])
    # An approved answer that is not published yet is not rendered.
    assert render_pending(session) == 1
    assert _stored(session) == [("transcript", conference.id, 1)]
    _publish(case, question, answer)
    session.commit()

    pending_pdf = client.get(f"/answers/{answer.id}/pdf")
    pending_page = client.get(f"/answers/{answer.id}").text
    rendered = render_pending(session)
    session.commit()
    pagecache.clear()
    answer_pdf = client.get(f"/answers/{answer.id}/pdf")
    transcript_pdf = client.get(f"/conferences/{conference.id}/transcript/pdf")

    assert pending_pdf.status_code == 503
    assert shown(_("The PDF is being prepared.")) in pending_page
    assert rendered == 1
    assert _stored(session) == [("transcript", conference.id, 1), ("answer", answer.id, 1)]
    assert answer_pdf.headers["content-disposition"] == (
        f'inline; filename="tra-loi-{answer.id}-v1.pdf"')
    assert "Câu trả lời chính thức số một." in pdf_text(answer_pdf.content)
    assert TURN_TEXT not in pdf_text(answer_pdf.content)
    assert TURN_TEXT in pdf_text(transcript_pdf.content)
    assert "Câu trả lời chính thức số một." not in pdf_text(transcript_pdf.content)
    assert answer_pdf.content != transcript_pdf.content


def test_an_answer_is_not_served_another_answers_pdf(client, session):
    case = factories.Case(session)
    _q, first = case.published_answer()
    assert render_pending(session) == 1
    question, second = _approved(case, body="Câu trả lời thứ hai.")
    _publish(case, question, second)
    session.commit()

    pending_pdf = client.get(f"/answers/{second.id}/pdf")
    pending_page = client.get(f"/answers/{second.id}").text
    assert render_pending(session) == 1
    session.commit()
    served = client.get(f"/answers/{second.id}/pdf")

    assert pending_pdf.status_code == 503
    assert shown(_("The PDF is being prepared.")) in pending_page
    assert f'href="/answers/{second.id}/pdf"' not in pending_page
    assert "Câu trả lời thứ hai." in pdf_text(served.content)
    assert sorted(_stored(session)) == sorted([("answer", first.id, 1), ("answer", second.id, 1)])


def test_a_new_answer_version_is_rendered_again_and_the_old_pdf_not_served(client, session):
    case = factories.Case(session)
    _question, answer = case.published_answer()
    assert render_pending(session) == 1
    session.commit()
    old = client.get(f"/answers/{answer.id}/pdf")
    assert old.status_code == 200
    # A corrected version of the published answer.
    answer.version = 2
    session.add(answer)
    session.commit()
    pagecache.clear()

    pending_pdf = client.get(f"/answers/{answer.id}/pdf")
    pending_page = client.get(f"/answers/{answer.id}").text
    rendered = render_pending(session)
    session.commit()
    served = client.get(f"/answers/{answer.id}/pdf")

    assert pending_pdf.status_code == 503
    assert shown(_("The PDF is being prepared.")) in pending_page
    assert rendered == 1
    assert _stored(session) == [("answer", answer.id, 1), ("answer", answer.id, 2)]
    assert served.headers["content-disposition"] == f'inline; filename="tra-loi-{answer.id}-v2.pdf"'
    assert served.headers["etag"] != old.headers["etag"]
    assert render_pending(session) == 0
