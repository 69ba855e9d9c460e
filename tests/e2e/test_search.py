"""Search in a real browser: from the home page, a query typed without diacritics finds the
published answer; its ministry narrows the results; the answer opens."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e


def test_a_query_without_diacritics_finds_the_published_answer(browser, live_server) -> None:
    page = browser.new_context(base_url=live_server.url, locale="vi-VN").new_page()
    page.goto("/")

    page.fill("#home-q", "cong ttdt cac bo nganh")  # "Cổng TTĐT các Bộ, ngành", no diacritics
    page.click("form[action='/search'] button[type=submit]")
    page.wait_for_url(re.compile(r"/search\?q="))

    results = page.locator(".pr-result")
    assert results.count() >= 1
    titles = page.locator(".pr-result__title").all_inner_texts()
    assert any("Cổng TTĐT" in title for title in titles), titles
    assert page.locator(".pr-result mark").count() >= 3  # the words found, marked
    page.locator(".pr-facet a", has_text="Bộ Thông tin và Truyền thông").first.click()
    page.wait_for_url(re.compile(r"organization=\d+"))
    answer = page.locator(".pr-result__title a", has_text="Cổng TTĐT").first
    answer.click()
    page.wait_for_url(re.compile(r"/answers/\d+$"))
    assert "Cổng TTĐT" in page.inner_text("h1")
    page.context.close()
