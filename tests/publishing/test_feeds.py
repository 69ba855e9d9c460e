"""Atom feeds (/feed.atom, a ministry's, a conference's), read back with an XML parser: entries
with stable ids (the canonical page address), updated times that follow corrections and
cancellations, the ministry as author and Vietnamese text intact; nothing that is not public;
advertised on their pages; fresh after a change, and answered with 304 when unchanged."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import lxml.html
import time_machine
from lxml import etree
from sqlmodel import Session

from pressroom.answers import service as answers
from pressroom.answers.schemas import AnswerCorrection
from pressroom.conferences import service as conferences
from pressroom.conferences.schemas import ConferenceCancel, TranscriptIn, TurnIn
from pressroom.core.clock import now
from pressroom.core.i18n import gettext as _
from tests import factories

BASE = "http://127.0.0.1:8000"  # PRESSROOM_BASE_URL's default: the tests do not set it
ATOM = {"a": "http://www.w3.org/2005/Atom"}


def _feed(client: Any, path: str) -> etree._Element:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    return etree.fromstring(response.content)


def _entries(feed: etree._Element) -> dict[str, etree._Element]:
    return {entry.findtext("a:id", namespaces=ATOM): entry
            for entry in feed.findall("a:entry", ATOM)}


def _text(entry: etree._Element, name: str) -> str:
    return entry.findtext(f"a:{name}", namespaces=ATOM) or ""


def _author(entry: etree._Element) -> str:
    return entry.findtext("a:author/a:name", namespaces=ATOM) or ""


def _stamp(value: Any) -> str:
    return value.isoformat()


def test_site_feed_has_published_answers_and_public_conferences_only(client: Any,
                                                                    session: Session) -> None:
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry,
                                      title="Họp báo về chuyển đổi số quốc gia")
    draft = factories.conference(session, case.spokesperson, case.ministry, announce=False,
                                 title="Họp báo chưa công bố")
    item, answer = case.published_answer()
    _pending, unpublished = case.submitted_answer()
    _scheduled, later = case.published_answer(publish_at=now() + timedelta(days=1))
    session.commit()

    feed = _feed(client, "/feed.atom")

    entries = _entries(feed)
    assert set(entries) == {f"{BASE}/answers/{answer.id}", f"{BASE}/conferences/{conference.id}"}
    assert f"{BASE}/conferences/{draft.id}" not in entries
    assert f"{BASE}/answers/{unpublished.id}" not in entries
    assert f"{BASE}/answers/{later.id}" not in entries
    assert feed.findtext("a:id", namespaces=ATOM) == f"{BASE}/feed.atom"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "vi"
    assert feed.find("a:link[@rel='self']", ATOM).get("href") == f"{BASE}/feed.atom"
    entry = entries[f"{BASE}/answers/{answer.id}"]
    assert _text(entry, "title") == item.title
    assert _author(entry) == case.ministry.name
    assert _text(entry, "updated") == _stamp(item.published_at)
    assert entry.find("a:link", ATOM).get("href") == f"{BASE}/answers/{answer.id}"
    content = _text(entry, "content")
    assert item.body in content and answer.body in content
    assert f"{_('Official answer')} ({case.unit.name}):" in content
    assert _author(entries[f"{BASE}/conferences/{conference.id}"]) == case.ministry.name
    assert _text(entries[f"{BASE}/conferences/{conference.id}"], "title") == \
        "Họp báo về chuyển đổi số quốc gia"


def test_entries_are_newest_first_and_the_feed_is_as_new_as_its_newest(
        client: Any, session: Session) -> None:
    case = factories.Case(session)
    first_item, first = case.published_answer()
    session.commit()
    with time_machine.travel(now() + timedelta(hours=1), tick=False):
        second_item, second = case.published_answer()
        session.commit()
        feed = _feed(client, "/feed.atom")

    assert list(_entries(feed)) == [f"{BASE}/answers/{second.id}", f"{BASE}/answers/{first.id}"]
    assert feed.findtext("a:updated", namespaces=ATOM) == _stamp(second_item.published_at)


def test_a_correction_moves_the_answer_entry_and_says_why(client: Any, session: Session) -> None:
    case = factories.Case(session)
    item, answer = case.published_answer()
    session.commit()
    entry_id = f"{BASE}/answers/{answer.id}"
    before = _entries(_feed(client, "/feed.atom"))[entry_id]
    with time_machine.travel(now() + timedelta(hours=2), tick=False):
        answers.correct_answer(session, actor=case.spokesperson, question=item, answer=answer,
                               data=AnswerCorrection(body="Trả lời đã đính chính: số liệu mới.",
                                                     reason="Sửa số liệu quý III."))
        session.commit()
        after = _entries(_feed(client, "/feed.atom"))[entry_id]

    assert _text(after, "updated") == _stamp(answer.corrected_at)
    assert _text(after, "updated") > _text(before, "updated")
    assert _text(after, "published") == _text(before, "published")
    assert "Trả lời đã đính chính: số liệu mới." in _text(after, "content")
    assert f"{_('Reason:')} Sửa số liệu quý III." in _text(after, "content")


def test_a_cancellation_moves_the_conference_entry(client: Any, session: Session) -> None:
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    session.commit()
    entry_id = f"{BASE}/conferences/{conference.id}"
    before = _entries(_feed(client, f"/organizations/{case.ministry.id}/feed.atom"))[entry_id]
    later = now() + timedelta(hours=3)
    with time_machine.travel(later, tick=False):
        conferences.cancel_conference(session, actor=case.spokesperson, conference=conference,
                                      data=ConferenceCancel(reason="Lãnh đạo Bộ bận đột xuất."))
        session.commit()
        after = _entries(_feed(client, f"/organizations/{case.ministry.id}/feed.atom"))[entry_id]

    assert _text(after, "updated") == _stamp(later)
    assert _text(after, "updated") > _text(before, "updated")
    assert _text(after, "content").startswith(f"{_('Cancelled')}: {conference.title}\n")
    assert f"{_('Reason:')} Lãnh đạo Bộ bận đột xuất." in _text(after, "content")


def test_ministry_feed_has_its_own_answers_and_conferences_only(client: Any,
                                                               session: Session) -> None:
    case = factories.Case(session)
    other = factories.Case(session)
    own_conference = factories.conference(session, case.spokesperson, case.ministry)
    other_conference = factories.conference(session, other.spokesperson, other.ministry)
    _item, own = case.published_answer()
    _other_item, foreign = other.published_answer()
    session.commit()

    feed = _feed(client, f"/organizations/{case.ministry.id}/feed.atom")

    assert set(_entries(feed)) == {f"{BASE}/answers/{own.id}",
                                   f"{BASE}/conferences/{own_conference.id}"}
    assert feed.findtext("a:title", namespaces=ATOM) == case.ministry.name
    assert feed.xpath("a:link[@rel='alternate']/@href", namespaces=ATOM) == [
        f"{BASE}/organizations/{case.ministry.id}"]  # the ministry's page
    assert f"{BASE}/answers/{foreign.id}" not in _entries(feed)
    assert f"{BASE}/conferences/{other_conference.id}" not in _entries(feed)


def test_feed_of_a_unit_or_unknown_organisation_is_not_found(client: Any,
                                                            session: Session) -> None:
    case = factories.Case(session)
    session.commit()

    assert client.get(f"/organizations/{case.unit.id}/feed.atom").status_code == 404
    assert client.get("/organizations/999999/feed.atom").status_code == 404


def test_conference_feed_adds_the_transcript_once_published(client: Any,
                                                           session: Session) -> None:
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry,
                                      starts_at=now() - timedelta(hours=3))
    item, answer = case.published_answer()
    # Asked at the conference (the services take questions only before it starts; this one
    # is already over, as the factory's conference is moved into the past directly too).
    item.conference_id = conference.id
    session.add(item)
    conferences.mark_conference_held(session, actor=case.spokesperson, conference=conference)
    conferences.replace_transcript(session, actor=case.spokesperson, conference=conference,
                                   data=TranscriptIn(turns=[TurnIn(
                                       speaker_name="Nguyễn Hồng Sâm", speaker_role="Người phát ngôn",
                                       text="Bộ đã hoàn thành việc cấp đổi thẻ nhà báo.")]))
    session.commit()
    transcript_id = f"{BASE}/conferences/{conference.id}#transcript-heading"
    draft = _entries(_feed(client, f"/conferences/{conference.id}/feed.atom"))

    conferences.publish_transcript(session, actor=case.spokesperson, conference=conference)
    session.commit()
    published = _entries(_feed(client, f"/conferences/{conference.id}/feed.atom"))

    assert set(draft) == {f"{BASE}/conferences/{conference.id}", f"{BASE}/answers/{answer.id}"}
    assert set(published) == set(draft) | {transcript_id}
    transcript = published[transcript_id]
    assert _text(transcript, "title") == f"{_('Transcript')}: {conference.title}"
    assert _text(transcript, "content") == ("Nguyễn Hồng Sâm (Người phát ngôn): "
                                            "Bộ đã hoàn thành việc cấp đổi thẻ nhà báo.")
    assert _text(transcript, "updated") == _stamp(conference.transcript_published_at)
    assert _author(transcript) == case.ministry.name


def test_feed_of_a_conference_that_is_not_public_is_not_found(client: Any,
                                                             session: Session) -> None:
    case = factories.Case(session)
    draft = factories.conference(session, case.spokesperson, case.ministry, announce=False)
    session.commit()

    assert client.get(f"/conferences/{draft.id}/feed.atom").status_code == 404


def test_hostile_text_comes_back_exactly(client: Any, session: Session) -> None:
    case = factories.Case(session)
    hostile = 'Bộ <script>alert("x")</script> & ]]> "Họp báo" ệ ẫ ở ặ'
    conference = factories.conference(session, case.spokesperson, case.ministry, title=hostile)
    session.commit()

    response = client.get(f"/conferences/{conference.id}/feed.atom")

    assert b"<script>" not in response.content
    feed = etree.fromstring(response.content)
    assert feed.findtext("a:title", namespaces=ATOM) == hostile
    assert _text(_entries(feed)[f"{BASE}/conferences/{conference.id}"], "title") == hostile


def test_a_new_answer_shows_at_once_and_an_unchanged_feed_answers_304(
        client: Any, session: Session) -> None:
    case = factories.Case(session)
    _first_item, first = case.published_answer()
    session.commit()
    response = client.get("/feed.atom")
    etag = response.headers["etag"]

    unchanged = client.get("/feed.atom", headers={"If-None-Match": etag})
    _second_item, second = case.published_answer()
    session.commit()
    fresh = client.get("/feed.atom", headers={"If-None-Match": etag})

    assert response.headers["cache-control"] == "public, max-age=300"
    assert "set-cookie" not in response.headers
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert fresh.status_code == 200
    assert set(_entries(etree.fromstring(fresh.content))) == {
        f"{BASE}/answers/{first.id}", f"{BASE}/answers/{second.id}"}


def _alternates(page_html: str) -> list[str]:
    return lxml.html.fromstring(page_html).xpath(
        "//head/link[@rel='alternate'][@type='application/atom+xml']/@href")


def test_pages_advertise_their_feeds(client: Any, session: Session) -> None:
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    item, answer = case.published_answer()
    session.commit()

    assert _alternates(client.get("/").text) == ["/feed.atom"]
    assert _alternates(client.get("/conferences").text) == ["/feed.atom"]
    assert _alternates(client.get("/answers").text) == ["/feed.atom"]
    assert _alternates(client.get(f"/conferences/{conference.id}").text) == [
        f"/conferences/{conference.id}/feed.atom", f"/organizations/{case.ministry.id}/feed.atom"]
    assert _alternates(client.get(f"/answers/{answer.id}").text) == [
        f"/organizations/{case.ministry.id}/feed.atom"]
    for _name, path in (("home", "/"), ("conference", f"/conferences/{conference.id}")):
        for href in _alternates(client.get(path).text):
            assert client.get(href).status_code == 200, href
