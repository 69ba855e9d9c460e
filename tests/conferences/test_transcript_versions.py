"""The transcript's draft and final states, its versions and what changed between them, the
recording whose time codes the published transcript links to, and the speakers the editor
offers."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlmodel import Session

from pressroom.accounts.enums import Role
from pressroom.conferences import service as conferences
from pressroom.conferences.enums import ConferenceStatus
from pressroom.conferences.models import PressConference
from pressroom.conferences.schemas import TranscriptIn, TurnIn
from pressroom.core.clock import now
from pressroom.core.errors import InvalidTransition
from pressroom.core.i18n import gettext as _
from pressroom.core.text import time_link
from pressroom.organizations import service as organizations
from pressroom.publishing.service import render_pending
from tests import factories
from tests.reading import field_value, hidden, page_text, pdf_text

OPENING = TurnIn(speaker_name="Nguyễn Thanh Lâm", speaker_role="Thứ trưởng",
                 text="Xin chào các nhà báo. Họp báo hôm nay thông tin về Nghị định 42.",
                 offset_seconds=0)
QUESTION = TurnIn(speaker_name="Đặng Thu Hà", text="Xin hỏi về tiến độ cấp thẻ nhà báo?",
                  offset_seconds=754)


def _held(session: Session, case: factories.Case) -> PressConference:
    conference = factories.conference(session, case.spokesperson, case.ministry,
                                      title="Họp báo chuyên đề Nghị định 42",
                                      starts_at=now() - timedelta(hours=3))
    conferences.mark_conference_held(session, actor=case.spokesperson, conference=conference)
    return conference


def _save(session: Session, case: factories.Case, conference: PressConference,
          *turns: TurnIn, recording: str = "") -> None:
    conferences.replace_transcript(session, actor=case.spokesperson, conference=conference,
                                   data=TranscriptIn(turns=list(turns), recording_url=recording))


def test_the_first_save_makes_a_draft_and_publishing_makes_it_final(session: Session) -> None:
    case = factories.Case(session)
    conference = _held(session, case)
    with pytest.raises(InvalidTransition, match=_("Enter the transcript before publishing it.")):
        conferences.publish_transcript(session, actor=case.spokesperson, conference=conference)

    _save(session, case, conference, OPENING)
    assert conference.status == ConferenceStatus.TRANSCRIPT_DRAFT
    _save(session, case, conference, OPENING, QUESTION)  # a draft is corrected as often as needed
    assert conference.status == ConferenceStatus.TRANSCRIPT_DRAFT
    conferences.publish_transcript(session, actor=case.spokesperson, conference=conference)

    assert conference.status == ConferenceStatus.TRANSCRIPT_PUBLISHED
    with pytest.raises(InvalidTransition):  # final: locked
        _save(session, case, conference, OPENING)


def test_a_draft_transcript_is_not_public_yet(session: Session, client) -> None:  # type: ignore[no-untyped-def]
    case = factories.Case(session)
    conference = _held(session, case)
    _save(session, case, conference, OPENING)
    session.commit()

    page = page_text(client.get(f"/conferences/{conference.id}").text)

    assert _("The transcript of this press conference has not been published yet.") in page
    assert OPENING.text not in page


def _versions(client, conference: PressConference) -> str:  # type: ignore[no-untyped-def]
    return client.get(f"/staff/conferences/{conference.id}/transcript/versions").text


def test_each_save_that_changes_it_is_a_version_with_what_changed(session: Session,
                                                                   login_as) -> None:  # type: ignore[no-untyped-def]
    case = factories.Case(session)
    conference = _held(session, case)
    _save(session, case, conference, OPENING)
    _save(session, case, conference, OPENING)  # no change: no version
    corrected = OPENING.model_copy(update={
        "text": "Xin chào các nhà báo. Họp báo hôm nay thông tin về Nghị định 42/2022/NĐ-CP."})
    _save(session, case, conference, corrected, QUESTION,
          recording="https://www.youtube.com/watch?v=hopbao42")
    session.commit()
    client, _user = login_as(user=case.spokesperson)

    listing = page_text(_versions(client, conference))
    second = client.get(f"/staff/conferences/{conference.id}/transcript/versions/2").text
    first = client.get(f"/staff/conferences/{conference.id}/transcript/versions/1")

    assert "Phiên bản 2" in listing and "Phiên bản 3" not in listing
    assert "thêm 1 lượt phát biểu; sửa 1 lượt phát biểu; đổi địa chỉ bản ghi hình" in listing
    assert "thêm 1 lượt phát biểu" in listing.split("Phiên bản 1")[1]  # the first: all added
    # The corrected turn, word by word: what went struck through, what came underlined.
    assert "<del>42.</del><ins>42/2022/NĐ-CP.</ins>" in second
    assert "Thay đổi so với phiên bản 1" in page_text(second)
    assert "https://www.youtube.com/watch?v=hopbao42" in page_text(second)
    assert first.status_code == 200
    assert OPENING.text in page_text(first.text)


def test_a_version_that_does_not_exist_is_not_found(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = factories.Case(session)
    conference = _held(session, case)
    _save(session, case, conference, OPENING)
    session.commit()
    client, _user = login_as(user=case.spokesperson)

    missing = client.get(f"/staff/conferences/{conference.id}/transcript/versions/2")

    assert missing.status_code == 404
    assert "Không có phiên bản này của nội dung họp báo." in page_text(missing.text)


@pytest.mark.parametrize("role", [Role.JOURNALIST, Role.UNIT_OFFICER, Role.SPOKESPERSON])
def test_only_the_host_press_office_reads_the_versions(session: Session, login_as,
                                                       role: Role) -> None:  # type: ignore[no-untyped-def]
    case = factories.Case(session)
    conference = _held(session, case)
    _save(session, case, conference, OPENING)
    session.commit()
    other = factories.ministry(session, name="Bộ Tài chính")
    client, _user = login_as(role, org_id=other.id)  # the spokesperson of another ministry

    for path in ("", "/1"):
        response = client.get(f"/staff/conferences/{conference.id}/transcript/versions{path}")
        assert response.status_code in (403, 404)
        assert OPENING.speaker_name not in response.text


def test_the_versions_page_marks_the_published_one_final(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = factories.Case(session)
    conference = _held(session, case)
    _save(session, case, conference, OPENING)
    conferences.publish_transcript(session, actor=case.spokesperson, conference=conference)
    session.commit()
    client, _user = login_as(user=case.spokesperson)

    listing = page_text(_versions(client, conference))
    version = page_text(client.get(
        f"/staff/conferences/{conference.id}/transcript/versions/1").text)

    assert "Phiên bản mới nhất đã được công bố là bản chính thức: đã khóa." in listing
    assert "Bản chính thức, đã khóa" in version


def test_the_editor_saves_the_recording_and_refuses_an_address_that_is_not_web(
        session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = factories.Case(session)
    conference = _held(session, case)
    session.commit()
    client, _user = login_as(user=case.spokesperson)
    url = f"/staff/conferences/{conference.id}"
    page = client.get(url).text
    form = {name: hidden(page, name) for name in ("csrf_token", "version", "seen")} | {
        "turns-0-speaker_name": "Nguyễn Thanh Lâm", "turns-0-text": "Xin chào."}

    refused = client.post(url + "/transcript", data={**form, "recording_url": "javascript:x()"})
    saved = client.post(url + "/transcript", follow_redirects=False,
                        data={**form, "recording_url": "https://mic.example/hop-bao.mp4"})

    assert refused.status_code == 400
    assert "Địa chỉ bản ghi hình: không hợp lệ." in page_text(refused.text)
    assert field_value(refused.text, "turns-0-text") == "Xin chào."  # nothing typed is lost
    assert (saved.status_code, saved.headers["location"]) == (303, url)
    session.refresh(conference)
    assert conference.recording_url == "https://mic.example/hop-bao.mp4"
    assert conference.status == ConferenceStatus.TRANSCRIPT_DRAFT
    editor = client.get(url).text
    assert field_value(editor, "recording_url") == "https://mic.example/hop-bao.mp4"
    assert "1 phiên bản đã lưu: xem những gì đã thay đổi" in page_text(editor)


@pytest.mark.parametrize(("url", "seconds", "expected"), [
    ("https://www.youtube.com/watch?v=abc", 754, "https://www.youtube.com/watch?v=abc&t=754"),
    ("https://www.youtube.com/watch?v=abc&t=5", 60, "https://www.youtube.com/watch?v=abc&t=60"),
    ("https://youtu.be/abc", 0, "https://youtu.be/abc?t=0"),
    ("https://m.youtube.com/watch?v=abc#x", 9, "https://m.youtube.com/watch?v=abc&t=9"),
    ("https://mic.example/video/hop-bao.mp4", 754, "https://mic.example/video/hop-bao.mp4#t=754"),
    ("https://mic.example/v.mp4#t=3", 90, "https://mic.example/v.mp4#t=90"),
    ("https://notyoutube.com/v?t=1", 9, "https://notyoutube.com/v?t=1#t=9"),
], ids=["youtube", "youtube-with-t", "short", "mobile", "other", "other-with-t", "lookalike"])
def test_a_time_code_links_into_the_recording(url: str, seconds: int, expected: str) -> None:
    assert time_link(url, seconds) == expected


def test_published_time_codes_link_into_the_recording_on_the_page_and_in_the_pdf(
        session: Session, client) -> None:  # type: ignore[no-untyped-def]
    case = factories.Case(session)
    conference = _held(session, case)
    untimed = TurnIn(speaker_name="Nguyễn Thanh Lâm", text="Xin cảm ơn các nhà báo.")
    _save(session, case, conference, OPENING, QUESTION, untimed,
          recording="https://www.youtube.com/watch?v=hopbao42")
    conferences.publish_transcript(session, actor=case.spokesperson, conference=conference)
    session.commit()
    render_pending(session)

    page = client.get(f"/conferences/{conference.id}").text
    pdf = client.get(f"/conferences/{conference.id}/transcript/pdf").content

    assert 'href="https://www.youtube.com/watch?v=hopbao42&amp;t=754"' in page
    assert 'href="https://www.youtube.com/watch?v=hopbao42&amp;t=0"' in page
    assert len(re.findall(r"watch\?v=hopbao42&amp;t=", page)) == 2  # the untimed turn: no link
    assert "Xem bản ghi hình" in page_text(page)
    assert "Bản ghi hình https://www.youtube.com/watch?v=hopbao42" in pdf_text(pdf)
    links = [annotation.get_object()["/A"]["/URI"]
             for pdf_page in PdfReader(io.BytesIO(pdf)).pages
             for annotation in pdf_page.get("/Annots", [])]
    assert "https://www.youtube.com/watch?v=hopbao42&t=754" in links
    assert "https://www.youtube.com/watch?v=hopbao42&t=0" in links


def test_the_editor_offers_the_spokespersons_of_host_and_participants(session: Session,
                                                                       login_as) -> None:  # type: ignore[no-untyped-def]
    case = factories.Case(session)  # its spokesperson is the host's listed spokesperson
    guest = factories.ministry(session, name="Bộ Tài chính")
    elsewhere = factories.ministry(session, name="Bộ Y tế")
    organizations.add_spokesperson(session, organization_id=guest.id or 0,
                                   full_name="Nguyễn Đức Chi", title="Thứ trưởng Bộ Tài chính")
    # A deputy comes after the spokesperson, though her name sorts first.
    organizations.add_spokesperson(session, organization_id=guest.id or 0, is_deputy=True,
                                   full_name="Bùi Thị An", title="Vụ trưởng Vụ Pháp chế")
    organizations.add_spokesperson(session, organization_id=elsewhere.id or 0,
                                   full_name="Đỗ Xuân Tuyên", title="Thứ trưởng Bộ Y tế")
    conference = factories.conference(session, case.spokesperson, case.ministry,
                                      starts_at=now() - timedelta(hours=3), participants=(guest,))
    conferences.mark_conference_held(session, actor=case.spokesperson, conference=conference)
    session.commit()
    client, _user = login_as(user=case.spokesperson)

    page = client.get(f"/staff/conferences/{conference.id}").text

    datalist = re.search(r'<datalist id="speakers">(.*?)</datalist>', page, re.S).group(1)
    assert re.findall(r'<option value="([^"]*)" data-role="([^"]*)"', datalist) == [
        (case.spokesperson.full_name, "Người phát ngôn, Chánh Văn phòng Bộ"),
        ("Nguyễn Đức Chi", "Thứ trưởng Bộ Tài chính"),
        ("Bùi Thị An", "Vụ trưởng Vụ Pháp chế")]
    assert 'name="turns-0-speaker_name" type="text" value="" list="speakers"' in page
