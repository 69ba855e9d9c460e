"""The pages' counting request (POST /reach/hit) and the PDF routes count reads per day:
exact numbers, no cookie, nothing about the visitor, bots and unknown things left out."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient
from sqlalchemy import inspect, select, text
from sqlmodel import Session, SQLModel

from pressroom.core.db import open_session
from pressroom.main import create_app
from pressroom.publishing.service import render_pending
from pressroom.reach.models import ReachDay
from pressroom.reach.service import today
from tests import factories
from tests.reach.helpers import BROWSER, GOOGLEBOT, counters, held_with_transcript


def _hit(client: TestClient, kind: str, object_id: object, agent: str | None = BROWSER,
         **headers: str):  # type: ignore[no-untyped-def]
    sent = {"User-Agent": agent} if agent is not None else {}
    return client.post("/reach/hit", data={"kind": kind, "id": str(object_id)},
                       headers={**sent, **headers})


def test_counting_request_adds_views_to_todays_row(client, session: Session) -> None:
    case = factories.Case(session)
    _question, answer = case.published_answer()
    session.commit()

    responses = [_hit(client, "answer", answer.id) for _ in range(3)]

    assert [(r.status_code, r.content) for r in responses] == [(204, b"")] * 3
    assert counters(session) == [("answer", answer.id, today(), 3, 0)]


def test_counting_request_sets_no_cookie_and_stores_no_address(client, session: Session) -> None:
    case = factories.Case(session)
    _question, answer = case.published_answer()
    session.commit()
    client.cookies.clear()

    response = _hit(client, "answer", answer.id, **{"X-Forwarded-For": "198.51.100.23",
                                                   "X-Real-IP": "198.51.100.23"})

    assert response.status_code == 204
    assert "set-cookie" not in response.headers
    assert response.headers["cache-control"] == "no-store"
    assert [c.name for c in inspect(ReachDay).columns] == [
        "id", "kind", "object_id", "day", "views", "downloads"]
    assert counters(session) == [("answer", answer.id, today(), 1, 0)]
    # Nothing anywhere holds the visitor's address (the test client's host is "testclient").
    for table in SQLModel.metadata.sorted_tables:
        for row in session.execute(select(table)).all():
            values = " ".join(str(value) for value in row)
            assert "198.51.100.23" not in values and "testclient" not in values, table.name


def test_bots_and_requests_without_agent_are_not_counted(client, session: Session) -> None:
    case = factories.Case(session)
    _question, answer = case.published_answer()
    session.commit()

    statuses = [_hit(client, "answer", answer.id, agent).status_code
                for agent in (GOOGLEBOT, "curl/8.5.0", "python-requests/2.32.3", "", "   ")]

    assert statuses == [204] * 5
    assert counters(session) == []


def test_unknown_and_unpublished_things_are_refused_without_a_write(client,
                                                                   session: Session) -> None:
    case = factories.Case(session)
    _question, draft_answer = case.submitted_answer()
    draft = factories.conference(session, case.spokesperson, case.ministry, announce=False)
    session.commit()

    refused = [
        _hit(client, "answer", draft_answer.id).status_code,
        _hit(client, "answer", 2_000_000_000).status_code,
        _hit(client, "conference", draft.id).status_code,
        _hit(client, "transcript", draft.id).status_code,
    ]
    malformed = [
        _hit(client, "question", 1).status_code,
        _hit(client, "answer", "abc").status_code,
        _hit(client, "answer", 0).status_code,
        _hit(client, "answer", "99999999999999999999").status_code,
        _hit(client, "answer", "١٢").status_code,
        client.post("/reach/hit", content=b"\x00\xff", headers={"User-Agent": BROWSER,
                    "Content-Type": "text/plain"}).status_code,
    ]

    assert refused == [404] * 4
    assert malformed == [400] * 6
    assert counters(session) == []


def test_conference_page_view_counts_its_published_transcript_too(client,
                                                                  session: Session) -> None:
    case = factories.Case(session)
    held = held_with_transcript(session, case)
    plain = factories.conference(session, case.spokesperson, case.ministry)
    session.commit()

    _hit(client, "conference", held.id)
    _hit(client, "conference", plain.id)
    transcript_alone = _hit(client, "transcript", held.id)

    assert transcript_alone.status_code == 404  # read on its conference's page, counted there
    assert sorted(counters(session)) == sorted([
        ("conference", held.id, today(), 1, 0), ("transcript", held.id, today(), 1, 0),
        ("conference", plain.id, today(), 1, 0)])


def test_public_pages_name_what_they_show_for_the_counting_script(client,
                                                                  session: Session) -> None:
    case = factories.Case(session)
    _question, answer = case.published_answer()
    conference = factories.conference(session, case.spokesperson, case.ministry)
    session.commit()

    first, cached = client.get(f"/answers/{answer.id}"), client.get(f"/answers/{answer.id}")
    page = client.get(f"/conferences/{conference.id}")
    home = client.get("/")

    for html in (first.text, cached.text):
        assert f'<meta name="pressroom-reach" content="answer:{answer.id}">' in html
        assert '<script src="/static/js/reach.js" defer></script>' in html
    assert f'<meta name="pressroom-reach" content="conference:{conference.id}">' in page.text
    assert "pressroom-reach" not in home.text
    script = client.get("/static/js/reach.js").text
    assert 'credentials: "omit"' in script and '"/reach/hit"' in script


def test_views_from_the_log_leave_the_counting_request_out(client, session: Session,
                                                           configure) -> None:  # type: ignore[no-untyped-def]
    configure(reach_views="log")
    case = factories.Case(session)
    _question, answer = case.published_answer()
    session.commit()

    response = _hit(client, "answer", answer.id)
    page = client.get(f"/answers/{answer.id}")

    assert response.status_code == 204
    assert "pressroom-reach" not in page.text
    assert counters(session) == []


def test_pdf_downloads_are_counted_when_served(client, session: Session) -> None:
    case = factories.Case(session)
    _question, answer = case.published_answer()
    held = held_with_transcript(session, case)
    assert render_pending(session) == 2
    session.commit()
    browser = {"User-Agent": BROWSER}

    served = client.get(f"/answers/{answer.id}/pdf", headers=browser)
    again = client.get(f"/answers/{answer.id}/pdf",
                       headers={**browser, "If-None-Match": served.headers["etag"]})
    version = client.get(f"/answers/{answer.id}/versions/1/pdf", headers=browser)
    transcript = client.get(f"/conferences/{held.id}/transcript/pdf", headers=browser)
    crawled = client.get(f"/answers/{answer.id}/pdf", headers={"User-Agent": GOOGLEBOT})

    assert [r.status_code for r in (served, again, version, transcript, crawled)] == [
        200, 304, 200, 200, 200]
    assert sorted(counters(session)) == sorted([
        ("answer", answer.id, today(), 0, 3), ("transcript", held.id, today(), 0, 1)])


def test_pdf_downloads_from_the_log_are_not_counted_by_the_app(client, session: Session,
                                                               configure) -> None:  # type: ignore[no-untyped-def]
    configure(reach_downloads="log")
    case = factories.Case(session)
    _question, answer = case.published_answer()
    render_pending(session)
    session.commit()

    served = client.get(f"/answers/{answer.id}/pdf", headers={"User-Agent": BROWSER})

    assert served.status_code == 200
    assert counters(session) == []


def test_parallel_hits_are_all_counted(committed_database: str) -> None:
    """Twenty counting requests at the same moment, each on its own connection, on the
    database of the run (SQLite or PostgreSQL): exactly twenty views."""
    with open_session(writing=True) as session:
        case = factories.Case(session)
        _question, answer = case.published_answer()
        session.commit()
        answer_id = answer.id
    app = create_app(pdf_worker=False)
    statuses: list[int] = []
    barrier = threading.Barrier(20)

    def send() -> None:
        with TestClient(app) as client:
            barrier.wait()
            statuses.append(_hit(client, "answer", answer_id).status_code)

    threads = [threading.Thread(target=send) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [204] * 20
    with open_session() as session:
        assert session.execute(text(
            "SELECT kind, object_id, views, downloads FROM reach_day")).all() == [
            ("answer", answer_id, 20, 0)]


def test_counting_leaves_the_cached_pages_in_place(client, session: Session) -> None:
    """A count is no change any public page shows: the page cache is not emptied by it."""
    from pressroom.core import pagecache

    case = factories.Case(session)
    _question, answer = case.published_answer()
    session.commit()
    client.get(f"/answers/{answer.id}")
    cached = pagecache.get(("vi", f"/answers/{answer.id}?"))

    _hit(client, "answer", answer.id)

    assert cached is not None
    assert pagecache.get(("vi", f"/answers/{answer.id}?")) == cached
