"""E-mail alerts in a real browser, with the live server's real mail: a query typed without
diacritics finds the answer; from it, its ministry's page; the visitor follows the ministry
by e-mail, reads the confirmation message the SMTP server received, opens its link,
confirms; a later answer of that ministry then arrives as an alert with its one-click
unsubscribe headers."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlmodel import Session, select

from pressroom.accounts.enums import Role
from pressroom.alerts.models import AlertSubscription
from pressroom.core.db import make_engine
from pressroom.organizations.models import Organization
from tests import factories
from tests.e2e.conftest import LiveServer, wait_for_mail
from tests.factories import Case

pytestmark = pytest.mark.e2e

ADDRESS = "nguoi.theo.doi@example.vn"
MINISTRY = "Bộ Thông tin và Truyền thông"


def _publish_an_answer_of(database_url: str, ministry_name: str) -> str:
    """An answer of the ministry published through the services (as its staff would): its
    question's title."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        case = Case.__new__(Case)
        case.session = session
        case.ministry = session.exec(select(Organization).where(
            Organization.name == ministry_name)).one()
        case.unit = factories.unit(session, case.ministry)
        case.spokesperson = factories.user(session, Role.SPOKESPERSON, org_id=case.ministry.id)
        case.officer = factories.user(session, Role.UNIT_OFFICER, org_id=case.unit.id)
        case.journalist = factories.user(session, Role.JOURNALIST)
        question, _answer = case.published_answer()
        title = question.title
        session.commit()
    engine.dispose()
    return title


def _subscription(database_url: str) -> AlertSubscription | None:
    engine = make_engine(database_url)
    with Session(engine) as session:
        found = session.exec(select(AlertSubscription).where(
            AlertSubscription.email == ADDRESS)).first()
    engine.dispose()
    return found


def test_search_follow_the_ministry_by_mail_and_confirm_from_the_message(
        browser, live_server: LiveServer,  # type: ignore[no-untyped-def]
        configure: Callable[..., None]) -> None:
    page = browser.new_context(base_url=live_server.url, locale="vi-VN").new_page()
    page.goto("/")
    page.fill("#home-q", "cong ttdt cac bo nganh")  # "Cổng TTĐT các Bộ, ngành", no diacritics
    page.click("form[action='/search'] button[type=submit]")
    page.wait_for_url(re.compile(r"/search\?q="))
    page.locator(".pr-result__title a", has_text="Cổng TTĐT").first.click()
    page.wait_for_url(re.compile(r"/answers/\d+$"))
    page.locator("main a[href^='/organizations/']", has_text=MINISTRY).first.click()
    page.wait_for_url(re.compile(r"/organizations/\d+$"))
    assert MINISTRY in page.inner_text("h1")
    ministry_url = page.url

    page.fill("#email", ADDRESS)
    page.click("form[action$='/follow'] button[type=submit]")
    page.wait_for_url(ministry_url)
    assert "Hãy xem hộp thư" in page.inner_text("main")

    confirmation = wait_for_mail(live_server, lambda m: m.rcpt_tos == [ADDRESS])
    assert confirmation.message["Subject"] == (
        f"Xác nhận nhận thông báo qua thư điện tử: {MINISTRY}")
    text = confirmation.part("plain")
    assert "Văn phòng Chính phủ" in text  # the agency signs it
    link = re.search(rf"{re.escape(live_server.url)}/alerts/confirm/\S+", text)
    assert link, text
    found = _subscription(live_server.database_url)
    assert found is not None and found.confirmed_at is None

    page.goto(link.group(0))
    assert ADDRESS in page.inner_text("main")
    page.click("form[action^='/alerts/confirm/'] button[type=submit]")
    page.wait_for_url(ministry_url)
    assert f"Thông báo qua thư điện tử về {MINISTRY} đã được bật." in page.inner_text("main")
    found = _subscription(live_server.database_url)
    assert found is not None and found.confirmed_at is not None

    # Published here as the ministry's staff would on the server: the alert is written in
    # the publication's transaction, so this process speaks with the server's settings.
    configure(base_url=live_server.url, agency_name="Văn phòng Chính phủ")
    title = _publish_an_answer_of(live_server.database_url, MINISTRY)
    alert = wait_for_mail(live_server, lambda m: m.rcpt_tos == [ADDRESS]
                          and title in str(m.message["Subject"]))
    assert alert.message["Subject"] == f"Câu trả lời chính thức mới: «{title}»"
    assert alert.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert str(alert.message["List-Unsubscribe"]).startswith(
        f"<{live_server.url}/alerts/unsubscribe/")
    page.context.close()
