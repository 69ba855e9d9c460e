"""The English interface marks what users wrote (Vietnamese) with lang="vi": titles, names of
ministries and people, questions, answers and transcript text, so that screen readers speak
it as Vietnamese; the interface's own words stay English. The Vietnamese interface marks
nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import lxml.html
from sqlmodel import Session

from pressroom.conferences import service as conferences
from pressroom.conferences.schemas import TranscriptIn, TurnIn
from pressroom.core.clock import now
from pressroom.core.security import LANG_COOKIE
from pressroom.core.templating import environment
from tests import factories


def _language_of(page_html: str, text: str) -> list[str]:
    """The language each element of the body whose own text holds ``text`` is in (its
    nearest lang)."""
    tree = lxml.html.fromstring(page_html)
    found = [element for element in tree.body.iter()
             if isinstance(element.tag, str) and text in (element.text or "")]
    assert found, f"{text!r} is not on the page"
    return [element.xpath("ancestor-or-self::*[@lang][1]/@lang")[0] for element in found]


def _held_with_transcript(session: Session) -> tuple[factories.Case, Any, Any]:
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry,
                                      starts_at=now() - timedelta(hours=3))
    item, answer = case.published_answer()
    conferences.mark_conference_held(session, actor=case.spokesperson, conference=conference)
    conferences.replace_transcript(session, actor=case.spokesperson, conference=conference,
                                   data=TranscriptIn(turns=[TurnIn(
                                       speaker_name="Nguyễn Hồng Sâm", speaker_role="Người phát ngôn",
                                       text="Bộ đã hoàn thành việc cấp đổi thẻ nhà báo.")]))
    conferences.publish_transcript(session, actor=case.spokesperson, conference=conference)
    session.commit()
    return case, conference, item


def test_english_conference_page_marks_its_content_vietnamese(client: Any,
                                                             session: Session) -> None:
    case, conference, _item = _held_with_transcript(session)
    client.cookies.set(LANG_COOKIE, "en")

    page = client.get(f"/conferences/{conference.id}").text

    for content in (conference.title, case.ministry.name, "18 Nguyễn Du, Hà Nội",
                    "Thông tin về công tác chuyển đổi số", "Nguyễn Hồng Sâm",
                    "Người phát ngôn", "Bộ đã hoàn thành việc cấp đổi thẻ nhà báo."):
        assert set(_language_of(page, content)) == {"vi"}, content
    assert set(_language_of(page, "Chaired by")) == {"en"}
    assert set(_language_of(page, "Transcript")) == {"en"}


def test_english_answer_page_marks_question_answer_and_names_vietnamese(
        client: Any, session: Session) -> None:
    case = factories.Case(session)
    item, answer = case.published_answer()
    session.commit()
    client.cookies.set(LANG_COOKIE, "en")

    page = client.get(f"/answers/{answer.id}").text

    for content in (item.title, item.body, answer.body, case.ministry.name, case.unit.name,
                    "Đặng Thu Hà", "Nguyễn Hồng Sâm"):
        assert set(_language_of(page, content)) == {"vi"}, content
    assert set(_language_of(page, "Official answer of")) == {"en"}


def test_english_lists_mark_titles_and_ministries_vietnamese(client: Any,
                                                            session: Session) -> None:
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    item, _answer = case.published_answer()
    session.commit()
    client.cookies.set(LANG_COOKIE, "en")

    home = client.get("/").text
    listed = client.get("/conferences").text

    for page in (home, listed):
        assert set(_language_of(page, conference.title)) == {"vi"}
        assert set(_language_of(page, case.ministry.name)) == {"vi"}
    assert set(_language_of(home, item.title)) == {"vi"}


def test_vietnamese_interface_marks_no_content(client: Any, session: Session) -> None:
    _case, conference, _item = _held_with_transcript(session)

    page = client.get(f"/conferences/{conference.id}").text

    assert lxml.html.fromstring(page).xpath("//body//*[@lang='vi']/@class") == [
        "pr-lang__button"]


def test_paragraphs_and_lines_are_marked_only_in_another_interface_language() -> None:
    from pressroom.core import i18n

    template = environment().from_string("{{ title | vi }}|{{ body | paragraphs }}")
    i18n.set_locale("en")
    try:
        english = template.render(title="Bộ <Y tế>", body="Dòng một\n\nDòng hai")
    finally:
        i18n.set_locale("vi")
    vietnamese = template.render(title="Bộ <Y tế>", body="Dòng một")

    assert english == ('<span lang="vi">Bộ &lt;Y tế&gt;</span>|'
                       '<p lang="vi">Dòng một</p><p lang="vi">Dòng hai</p>')
    assert vietnamese == "Bộ &lt;Y tế&gt;|<p>Dòng một</p>"
