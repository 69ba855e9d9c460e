"""The whole path in a real browser: a journalist asks, the spokesperson screens and assigns,
the focal officer answers, the spokesperson approves and publishes, the public reads the
answer and its PDF."""

from __future__ import annotations

import io
import re
import time
import unicodedata

import pytest
from pypdf import PdfReader
from sqlmodel import Session, select

from pressroom.accounts.models import User
from pressroom.core import audit
from pressroom.core.db import make_engine
from pressroom.organizations.models import Membership, Organization

pytestmark = pytest.mark.e2e

TITLE = "Về việc xử lý tin giả trên mạng xã hội dịp cuối năm"
BODY = "Đề nghị Bộ cho biết kết quả xử lý tin giả, tin sai sự thật trên mạng xã hội năm 2026?"
ANSWER = ("Trong năm 2026, Bộ đã phối hợp với các nền tảng xử lý 4.512 tin giả; "
          "Cục Phát thanh, truyền hình và thông tin điện tử tiếp tục rà soát hằng tuần.")


def _officer_unit(database_url: str, email: str) -> str:
    engine = make_engine(database_url)
    with Session(engine) as session:
        name = session.exec(
            select(Organization.name)
            .join(Membership, Membership.organization_id == Organization.id)
            .join(User, User.id == Membership.user_id)
            .where(User.email == email)
        ).one()
    engine.dispose()
    return name


def _login(browser, server, role):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server.url, locale="vi-VN")
    page = context.new_page()
    login = server.logins[role]
    page.goto("/login")
    page.fill("input[name=email]", login.email)
    page.fill("input[name=password]", login.password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()
    assert login.full_name in page.content()
    return page


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def test_question_travels_to_a_published_answer_and_pdf(browser, live_server) -> None:
    # 1. A journalist sends a written question to the ministry.
    journalist = _login(browser, live_server, "journalist")
    journalist.goto("/my/questions/new")
    journalist.select_option("select[name=addressed_to_id]",
                             label="Bộ Thông tin và Truyền thông")
    journalist.fill("input[name=title]", TITLE)
    journalist.fill("textarea[name=body]", BODY)
    journalist.click("form[action='/my/questions/new'] button[type=submit]")
    journalist.wait_for_url(re.compile(r"/my/questions/\d+$"))
    question_id = int(journalist.url.rsplit("/", 1)[1])
    assert TITLE in journalist.content()

    # 2. The spokesperson accepts it and assigns it to the officer's unit.
    spokesperson = _login(browser, live_server, "spokesperson")
    spokesperson.goto(f"/staff/questions/{question_id}")
    assert BODY in spokesperson.content()
    spokesperson.click(f"form[action='/staff/questions/{question_id}/accept'] button")
    spokesperson.wait_for_load_state()
    unit = _officer_unit(live_server.database_url, live_server.logins["unit_officer"].email)
    spokesperson.select_option("select[name=unit_id]", label=unit)
    spokesperson.click(f"form[action='/staff/questions/{question_id}/assign'] button")
    spokesperson.wait_for_load_state()
    assert unit in spokesperson.content()

    # 3. The focal officer finds it among the unit's questions, drafts and submits an answer.
    officer = _login(browser, live_server, "unit_officer")
    officer.goto("/unit/assignments")
    officer.click(f"a[href='/unit/questions/{question_id}']")
    officer.fill("textarea[name=body]", ANSWER)
    officer.click("button[name=action][value=submit]")
    officer.wait_for_load_state()
    assert ANSWER in officer.content()

    # 4. The spokesperson approves and publishes it now.
    spokesperson.goto(f"/staff/questions/{question_id}")
    spokesperson.click(f"form[action='/staff/questions/{question_id}/approve'] button")
    spokesperson.wait_for_load_state()
    spokesperson.check("input[name=when][value=now]")
    spokesperson.click(f"form[action='/staff/questions/{question_id}/publish'] button")
    spokesperson.wait_for_load_state()

    # 5. The public sees it on the home page, opens the answer and downloads its PDF.
    public = browser.new_context(base_url=live_server.url).new_page()
    public.goto("/")
    public.click(f"text={TITLE}")
    public.wait_for_url(re.compile(r"/answers/\d+$"))
    page_text = public.inner_text("main")
    for expected in (TITLE, BODY, ANSWER, live_server.logins["journalist"].full_name, unit,
                     live_server.logins["spokesperson"].full_name):
        assert expected in page_text
    pdf_url = public.url + "/pdf"
    response = public.request.get(pdf_url)
    for _ in range(60):  # the worker renders it off the request path
        if response.status == 200:
            break
        time.sleep(0.5)
        response = public.request.get(pdf_url)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = _nfc(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages))
    squashed = re.sub(r"\s+", " ", text)
    assert TITLE in squashed
    assert ANSWER in squashed
    assert live_server.logins["spokesperson"].full_name in squashed
    # 6. The record of the whole walk: every step by its person, the chain intact.
    engine = make_engine(live_server.database_url)
    with Session(engine) as session:
        count, broken = audit.verify(session)
        actions = [(e.action, e.actor_role)
                   for e in audit.history(session, audit.Ref("question", question_id))]
    engine.dispose()
    assert broken is None
    assert count > 100  # the demo's events and this walk's
    assert actions == [
        ("question.submitted", "journalist"), ("question.accepted", "spokesperson"),
        ("question.assigned", "spokesperson"), ("answer.drafted", "unit_officer"),
        ("answer.submitted", "unit_officer"), ("answer.approved", "spokesperson"),
        ("question.answered", "spokesperson"), ("answer.published", "spokesperson"),
        ("question.published", "spokesperson")]
