"""The API documentation draws its operations in Chromium with every request kept on the site
and nothing refused by the page's CSP."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.e2e


def test_swagger_ui_shows_the_operations_from_the_site_alone(browser, live_server) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    requested: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" else None)
    page.goto(live_server.url + "/api/docs")

    page.locator(".opblock").first.wait_for(timeout=15_000)

    assert page.locator(".opblock").count() > 10
    assert " API" in page.locator(".info .title").inner_text()
    origin = urlsplit(live_server.url).netloc
    assert {urlsplit(url).netloc for url in requested} == {origin}
    assert problems == []
    page.close()
