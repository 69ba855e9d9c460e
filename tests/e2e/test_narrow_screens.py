"""Work lists on a 390 px phone: the title, status and due date of each question are on
screen without scrolling sideways; the secondary columns step aside."""

from __future__ import annotations

import pytest

from tests.e2e.test_whole_path import _login

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
KEY_COLUMNS = {
    ("journalist", "/my/questions"): ("Câu hỏi", "Trạng thái", "Hạn trả lời"),
    ("spokesperson", "/staff/questions"): ("Câu hỏi", "Trạng thái", "Hạn trả lời"),
    ("spokesperson", "/staff"): ("Câu hỏi", "Trạng thái"),
    ("unit_officer", "/unit/assignments"): ("Câu hỏi", "Hạn trả lời", "Câu trả lời"),
}


@pytest.mark.parametrize(("role", "path"), list(KEY_COLUMNS))
def test_work_lists_fit_a_phone(browser, live_server, role: str, path: str) -> None:  # type: ignore[no-untyped-def]
    page = _login(browser, live_server, role)
    page.set_viewport_size(PHONE)
    page.goto(path)

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    table = page.locator("table.pr-table").first
    assert table.count() == 1, f"{path} shows no list"
    wrapper_scrolls = page.evaluate(
        "() => { const w = document.querySelector('.pr-table-wrap');"
        " return w.scrollWidth > w.clientWidth; }")
    assert not wrapper_scrolls
    shown = [h.inner_text().strip() for h in table.locator("thead th").all() if h.is_visible()]
    for column in KEY_COLUMNS[(role, path)]:
        assert column in shown, (path, shown)
        header = table.locator("thead th", has_text=column).first
        box = header.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    first_title = table.locator("tbody tr td a").first
    box = first_title.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
