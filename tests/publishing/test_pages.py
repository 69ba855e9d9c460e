"""Public pages as visitors see them: the short-lived page cache (one entry per locale, path
and query; never for a visitor with a pending message; each browser gets its own CSRF token),
and the conference lists naming each conference's host and status."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from pressroom.core import pagecache
from pressroom.core.i18n import gettext as _
from pressroom.core.security import FLASH_COOKIE
from tests import factories
from tests.conftest import post_form
from tests.reading import page_text, shown

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
PREV_LINK = 'rel="prev"'
FLASH_HEADING = '<p class="govuk-notification-banner__heading">{}</p>'


def _csrf(page_html: str) -> str:
    match = CSRF_FIELD.search(page_html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def _event(page_html: str, conference_id: int | None) -> str:
    """The list item of one conference on a public list page."""
    match = re.search(rf'<li class="pr-event">(?:(?!</li>).)*?href="/conferences/{conference_id}"'
                      r'.*?</li>', page_html, re.S)
    assert match, f"conference {conference_id} is not listed"
    return match.group(0)


def _retitle_elsewhere(session, question_id) -> None:  # type: ignore[no-untyped-def]
    """Another process's change: plain SQL on the connection, no commit of an ORM session of
    this process (which would empty this process's page cache)."""
    session.connection().execute(text("UPDATE question SET title = :title WHERE id = :id"),
                                 {"title": "Tiêu đề đã sửa ở tiến trình khác", "id": question_id})


def test_anonymous_page_is_built_once_then_served_from_the_cache(client, session):
    case = factories.Case(session)
    first_question, _answer = case.published_answer()
    session.commit()
    first = client.get("/answers")
    assert shown(first_question.title) in first.text

    # Corrected by another process: the cached page is still served for a few seconds.
    _retitle_elsewhere(session, first_question.id)
    cached = client.get("/answers")

    assert cached.status_code == 200
    assert shown(first_question.title) in cached.text
    assert "Tiêu đề đã sửa ở tiến trình khác" not in cached.text


def test_new_questions_leave_cached_pages_in_place_and_a_publication_clears_them(
        login_as, client, session):  # type: ignore[no-untyped-def]
    """A burst of submissions must not make every visitor's page be built again: a new
    question is not public. A publication in this process is shown at once."""
    case = factories.Case(session)
    first_question, _answer = case.published_answer()
    session.commit()
    before = client.get("/answers")
    _retitle_elsewhere(session, first_question.id)
    journalist, _user = login_as(user=case.journalist)
    sent = post_form(journalist, "/my/questions/new", {
        "title": "Câu hỏi mới chưa công khai", "body": "Đề nghị Bộ cho biết tiến độ.",
        "addressed_to_id": str(case.ministry.id), "conference_id": ""},
        page="/my/questions/new")
    after_submission = client.get("/answers")
    later_question, _later = case.published_answer()
    session.commit()
    after_publication = client.get("/answers")

    assert sent.status_code == 303
    assert shown(first_question.title) in before.text
    assert after_submission.text.count(shown(first_question.title)) == before.text.count(
        shown(first_question.title))
    assert "Tiêu đề đã sửa ở tiến trình khác" not in after_submission.text
    assert "Tiêu đề đã sửa ở tiến trình khác" in after_publication.text
    assert shown(later_question.title) in after_publication.text


def test_cached_pages_are_kept_apart_by_path_and_query(client, session):
    case = factories.Case(session)
    question, _answer = case.published_answer()
    session.commit()

    home = client.get("/")
    answers = client.get("/answers")
    second_page = client.get("/answers?page=2")
    answers_again = client.get("/answers")

    assert f"<title>{_('Official answers')}" not in home.text
    assert f"<title>{_('Official answers')}" in answers.text
    assert shown(question.title) in answers.text
    assert PREV_LINK not in answers.text
    assert PREV_LINK in second_page.text
    assert shown(question.title) not in second_page.text
    assert answers_again.text == answers.text
    assert home.text != answers.text


def test_each_visitor_gets_their_own_csrf_token_in_a_cached_page(app, client):
    first_page = client.get("/")
    with TestClient(app, raise_server_exceptions=False) as other:
        other_page = other.get("/")
        other_token = _csrf(other_page.text)
        switched = other.post("/lang", data={"csrf_token": other_token, "lang": "en", "next": "/"},
                              follow_redirects=False)

    assert pagecache.CSRF_PLACEHOLDER not in first_page.text
    assert pagecache.CSRF_PLACEHOLDER not in other_page.text
    assert other_token != _csrf(first_page.text)
    assert switched.status_code == 303


def _with_flash(app, message: str) -> TestClient:  # type: ignore[no-untyped-def]
    visitor = TestClient(app, raise_server_exceptions=False)
    visitor.cookies.set(FLASH_COOKIE, quote(f"info:{message}", safe=""))
    return visitor


@pytest.mark.parametrize("path", ["/", "/answers"])
def test_a_visitor_with_a_message_sees_their_own_message_and_nobody_else_does(app, client, path):
    first_message = "Đã gửi câu hỏi của bạn."
    second_message = "Đã cập nhật hồ sơ."
    plain_before = client.get(path)
    with _with_flash(app, first_message) as first, _with_flash(app, second_message) as second:
        first_page = first.get(path)
        second_page = second.get(path)
    plain_after = client.get(path)

    assert FLASH_HEADING.format(first_message) in first_page.text
    assert FLASH_HEADING.format(second_message) not in first_page.text
    assert FLASH_HEADING.format(second_message) in second_page.text
    assert FLASH_HEADING.format(first_message) not in second_page.text
    for plain in (plain_before, plain_after):
        assert "govuk-notification-banner__heading" not in plain.text


def test_conference_list_names_each_conference_host_and_status(client, session):
    first = factories.Case(session)
    second = factories.Case(session)
    announced = factories.conference(session, first.spokesperson, first.ministry,
                                     title="Họp báo về chuyển đổi số")
    other = factories.conference(session, second.spokesperson, second.ministry,
                                 title="Họp báo về thẻ nhà báo")
    session.commit()

    page = client.get("/conferences").text
    home = client.get("/").text

    for listing in (page, home):
        own = _event(listing, announced.id)
        assert _("Chaired by %(host)s", host=first.ministry.name) in page_text(own)
        assert f'<a class="govuk-link" href="/organizations/{first.ministry.id}">' in own
        assert shown(second.ministry.name) not in own
        theirs = _event(listing, other.id)
        assert _("Chaired by %(host)s", host=second.ministry.name) in page_text(theirs)
        assert f'<a class="govuk-link" href="/organizations/{second.ministry.id}">' in theirs
        assert shown(first.ministry.name) not in theirs
    assert f">{_('Announced')}<" in _event(page, announced.id)
    assert f">{_('Announced')}<" in _event(page, other.id)


@pytest.mark.parametrize("path", ["/answers/999999", "/conferences/999999"])
def test_not_found_public_page_lets_the_visitor_switch_language(client, path):
    page = client.get(path)
    switched = client.post("/lang", data={"csrf_token": _csrf(page.text), "lang": "en", "next": "/"},
                           follow_redirects=False)

    assert page.status_code == 404
    assert pagecache.CSRF_PLACEHOLDER not in page.text
    assert switched.status_code == 303
