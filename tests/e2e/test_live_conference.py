"""A live press conference in a real browser: three journalists register and are accredited,
ask from their own sessions; the moderator's queue, the presenter screen and a journalist's
page update without reload as the moderator approves, puts a question on screen and defers
one to writing. The conference ends, its transcript is entered and published; the deferred
question's written answer is drafted, approved and published, and the transcript shows it
at its point, on the page and in the PDF."""

from __future__ import annotations

import io
import re
import time
import unicodedata

import pytest
from pypdf import PdfReader
from sqlmodel import Session, col, select

from pressroom.conferences.models import PressConference
from pressroom.core.db import make_engine
from pressroom.demo import DEMO_PASSWORD, JOURNALISTS, STAFF

pytestmark = pytest.mark.e2e

QUESTIONS = {
    "ha": "Xin Văn phòng Chính phủ cho biết tỷ lệ giải ngân vốn đầu tư công đến hết tháng 11?",
    "minh": "Những dự án giao thông trọng điểm nào đang chậm giải phóng mặt bằng?",
    "anh": "Bộ Giao thông vận tải có kiến nghị gì về cơ chế đặc thù cho cao tốc Bắc – Nam?",
}
WAIT = 5_000  # ms: "every view updates by itself within 2 seconds", with room for a slow CI
RECORDING = "https://www.youtube.com/watch?v=hop-bao-dau-tu-cong"
ANSWER = ("Đến hết tháng 11, Bộ Giao thông vận tải kiến nghị áp dụng cơ chế chỉ định thầu và "
          "giao địa phương chủ trì giải phóng mặt bằng cho các dự án cao tốc Bắc – Nam.")


def _live_conference(database_url: str) -> int:
    engine = make_engine(database_url)
    with Session(engine) as session:
        found = session.exec(select(PressConference.id).where(
            col(PressConference.title).contains("giải ngân vốn đầu tư công"))).one()
    engine.dispose()
    return found


def _page(browser, server, email):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server.url, locale="vi-VN")
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()
    return page


def test_a_live_conference_updates_every_view_without_reload(browser, live_server) -> None:
    cid = _live_conference(live_server.database_url)
    emails = {j.key: j.email for j in JOURNALISTS}
    names = {j.key: j.full_name for j in JOURNALISTS}
    son = next(s.email for s in STAFF if s.key == "son")

    # 1. Three journalists register; the Government Office's spokesperson approves them.
    journalists = {key: _page(browser, live_server, emails[key]) for key in QUESTIONS}
    for page in journalists.values():
        page.goto(f"/conferences/{cid}")
        page.click("text=Đăng ký tham dự")
        page.click("form[action$='/accreditation'] button[type=submit]")
        assert "Chờ duyệt" in page.inner_text("main")
    moderator = _page(browser, live_server, son)
    moderator.goto(f"/staff/conferences/{cid}/accreditations")
    for key in QUESTIONS:
        row = moderator.locator("tr", has_text=names[key])
        row.locator("button[value=approve]").click()
        moderator.wait_for_load_state()
    assert moderator.inner_text("main").count("Đã được duyệt tham dự") >= 3

    # 2. The moderator's queue, the presenter screen and a journalist's page stay open.
    moderator.goto(f"/staff/conferences/{cid}/live")
    screen = moderator.context.new_page()
    screen.goto(f"/conferences/{cid}/live/screen")
    watcher = journalists["minh"]
    watcher.goto(f"/conferences/{cid}/live")

    # 3. Each journalist asks from their own session; the queue shows each without reload.
    for key, text in QUESTIONS.items():
        page = journalists[key]
        if key != "minh":
            page.goto(f"/conferences/{cid}/live")
        page.fill("textarea[name=body]", text)
        page.click("form.pr-live-ask button[type=submit]")
        assert "Đã gửi câu hỏi" in page.inner_text("main")
    queue = moderator.locator("[data-live-fragment=queue]")
    for text in QUESTIONS.values():
        queue.get_by_text(text).wait_for(timeout=WAIT)
    assert moderator.evaluate("document.querySelector('[data-live-stream]').dataset.liveUpdated")

    # 4. Approve Hà's question and put it on screen: the presenter screen and Minh's page
    #    show it without reload.
    item = queue.locator("li", has_text=QUESTIONS["ha"])
    item.locator("form[action$='/approve'] button").click()
    moderator.wait_for_load_state()
    queue = moderator.locator("[data-live-fragment=queue]")
    queue.locator("li", has_text=QUESTIONS["ha"]).locator("form[action$='/screen'] button").click()
    moderator.wait_for_load_state()
    screen.locator(".pr-screen__question", has_text=QUESTIONS["ha"]).wait_for(timeout=WAIT)
    assert names["ha"] in screen.inner_text(".pr-screen__asker")
    board = watcher.locator("[data-live-fragment=board]")
    board.locator("li", has_text=QUESTIONS["ha"]).get_by_text("Đang trình chiếu").wait_for(
        timeout=WAIT)
    assert watcher.url.endswith(f"/conferences/{cid}/live")  # no reload, no navigation

    # 5. Ánh's question is deferred to writing: her own page says so without reload.
    asker = journalists["anh"]
    mine = asker.locator("[data-live-fragment=mine]")
    queue = moderator.locator("[data-live-fragment=queue]")
    deferred = queue.locator("li", has_text=QUESTIONS["anh"])
    deferred.locator("summary").click()
    deferred.locator("select").select_option(label="Cổng Thông tin điện tử Chính phủ")
    deferred.locator("form[action$='/defer'] button").click()
    moderator.wait_for_load_state()
    assert "Đã tạo và giao câu hỏi bằng văn bản số" in moderator.inner_text("main")
    mine.get_by_text("Sẽ trả lời bằng văn bản").wait_for(timeout=WAIT)
    written = int(re.search(r"bằng văn bản số (\d+)", moderator.inner_text("main")).group(1))
    asker.goto("/my/questions")
    assert "Bộ Giao thông vận tải có kiến nghị gì" in asker.inner_text("main")

    # 6. The conference ends; the press office enters the transcript, the speakers chosen
    #    from the spokespersons, Ánh's turn linked to her written question, and publishes it.
    moderator.goto(f"/staff/conferences/{cid}")
    moderator.click("form[action$='/end'] button")
    moderator.wait_for_load_state()
    moderator.fill("input[name=recording_url]", RECORDING)
    speakers = moderator.eval_on_selector_all("#speakers option", "o => o.map(x => x.value)")
    assert speakers[0] == "Trần Văn Sơn"
    moderator.fill("input[name='turns-0-speaker_name']", speakers[0])
    moderator.dispatch_event("input[name='turns-0-speaker_name']", "change")
    assert "Người phát ngôn của Chính phủ" in moderator.input_value(
        "input[name='turns-0-speaker_role']")  # the chosen spokesperson's title, filled in
    moderator.fill("textarea[name='turns-0-text']", "Xin mời các nhà báo đặt câu hỏi.")
    moderator.fill("input[name='turns-1-speaker_name']", names["anh"])
    moderator.fill("input[name='turns-1-offset']", "0:12:34")
    moderator.select_option("select[name='turns-1-question_id']", value=str(written))
    moderator.fill("textarea[name='turns-1-text']", QUESTIONS["anh"])
    moderator.click("button[name=publish]")
    moderator.wait_for_load_state()
    assert "Đã công bố nội dung họp báo" in moderator.inner_text("main")

    # 7. The Government Portal's officer answers in writing; the spokesperson approves and
    #    publishes the answer.
    officer = _page(browser, live_server, next(s.email for s in STAFF if s.key == "quang"))
    officer.goto(f"/unit/questions/{written}")
    officer.fill("textarea[name=body]", ANSWER)
    officer.click("button[name=action][value=submit]")
    officer.wait_for_load_state()
    moderator.goto(f"/staff/questions/{written}")
    moderator.click(f"form[action='/staff/questions/{written}/approve'] button")
    moderator.wait_for_load_state()
    moderator.check("input[name=when][value=now]")
    moderator.click(f"form[action='/staff/questions/{written}/publish'] button")
    moderator.wait_for_load_state()

    # 8. The public transcript shows the written answer at Ánh's turn, its time a link into
    #    the recording; the answer links back to that moment; the PDF says the same.
    public = browser.new_context(base_url=live_server.url, locale="vi-VN").new_page()
    public.goto(f"/conferences/{cid}")
    turn = public.locator("#turn-2")
    assert QUESTIONS["anh"] in turn.inner_text()
    assert "Đã trả lời bằng văn bản ngày" in turn.inner_text()
    assert turn.locator("a[href*='&t=754']").count() == 1
    turn.locator("a[href^='/answers/']").click()
    public.wait_for_url(re.compile(r"/answers/\d+$"))
    assert ANSWER in public.inner_text("main")
    assert public.locator(f"a[href='/conferences/{cid}#turn-2']").count() >= 1
    text = ""
    for _ in range(60):  # the worker renders the new edition off the request path
        response = public.request.get(f"/conferences/{cid}/transcript/pdf")
        if response.status == 200:
            text = " ".join(unicodedata.normalize("NFC", " ".join(
                p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)).split())
            if "Đã trả lời bằng văn bản ngày" in text:
                break
        time.sleep(0.5)
    assert re.search(r"Đã trả lời bằng văn bản ngày \d\d/\d\d/\d{4}: câu trả lời chính thức "
                     r"số \d+", text), text[-600:]
    assert QUESTIONS["anh"] in text
    for page in (moderator, officer, public, *journalists.values()):
        page.context.close()
