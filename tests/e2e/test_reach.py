"""Reach in a real browser: opening a published answer (again from the page cache) sends the
cookie-less counting request, and the day's counter holds exactly the two views."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import Session

from pressroom.core.db import make_engine
from pressroom.publishing.queries import latest_answers

pytestmark = pytest.mark.e2e

CHROME = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/131.0.0.0 Safari/537.36")  # headless Chromium names itself, as bots do


def _views(database_url: str, answer_id: int) -> int:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT COALESCE(SUM(views), 0) FROM reach_day "
                                  "WHERE kind = 'answer' AND object_id = :id"),
                             {"id": answer_id}).scalar_one()
    engine.dispose()
    return int(found)


def test_opening_an_answer_counts_one_view_each_time_without_cookies(browser,
                                                                     live_server) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine) as session:
        answer_id = latest_answers(session, 1)[0].answer_id
    engine.dispose()
    before = _views(live_server.database_url, answer_id)
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", user_agent=CHROME)
    page = context.new_page()

    hits = []
    for _ in range(2):
        with page.expect_response(lambda r: r.url.endswith("/reach/hit")) as hit:
            page.goto(f"/answers/{answer_id}")
        hits.append(hit.value)

    assert [h.status for h in hits] == [204, 204]
    assert all("cookie" not in h.request.all_headers() for h in hits)
    assert all("set-cookie" not in h.all_headers() for h in hits)
    assert [h.request.post_data for h in hits] == [f"kind=answer&id={answer_id}"] * 2
    assert _views(live_server.database_url, answer_id) == before + 2
    context.close()
