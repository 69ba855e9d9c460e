"""While a journalist types a question, the form shows similar questions already sent to the
ministry (htmx, debounced), in a real browser."""

from __future__ import annotations

import pytest

from tests.e2e.test_whole_path import _login

pytestmark = pytest.mark.e2e


def test_similar_questions_appear_while_typing_without_diacritics(browser, live_server) -> None:
    journalist = _login(browser, live_server, "journalist")
    journalist.goto("/my/questions/new")
    journalist.select_option("select[name=addressed_to_id]", label="Bộ Thông tin và Truyền thông")

    # The demo holds "Quản lý quảng cáo vi phạm trên các nền tảng xuyên biên giới"; typed here
    # without diacritics and with the ministry's abbreviation, as on a phone in a hurry.
    journalist.type("input[name=title]", "Quan ly quang cao vi pham xuyen bien gioi", delay=5)
    journalist.type("textarea[name=body]", "Quang cao sai su that ve thuc pham chuc nang tren "
                    "cac nen tang xuyen bien gioi. Bo TT&TT xu ly the nao?", delay=5)
    journalist.wait_for_selector("#similar h2", timeout=15000)

    shown = journalist.inner_text("#similar")
    assert "Các câu hỏi tương tự đã gửi tới Bộ" in shown
    # The form itself is untouched and still sends the question.
    assert journalist.input_value("input[name=title]") == "Quan ly quang cao vi pham xuyen bien gioi"
