"""Following by e-mail from start to end, through the real outbox and a real SMTP server:
follow a ministry → the confirmation mail → confirm → an answer is published → the alert,
with RFC 8058 headers → one-click unsubscribe (no cookie, no CSRF token) → nothing more."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import time_machine
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from pressroom.alerts import service as alerts
from pressroom.alerts.enums import AlertTarget
from pressroom.alerts.models import AlertSubscription
from pressroom.answers.reminders import remind
from pressroom.core.clock import now
from pressroom.core.security import LANG_COOKIE
from pressroom.notifications.dispatcher import send_pending_once
from pressroom.notifications.models import Mail
from tests.conftest import csrf_token
from tests.factories import Case
from tests.notifications.conftest import Received, SmtpServer

ADDRESS = "ban.doc@example.vn"
BASE = "https://pressroom.example.vn"


def _to(smtp: SmtpServer, address: str) -> list[Received]:
    return [m for m in smtp.messages if m.rcpt_tos == [address]]


def _link(message: Received, path: str) -> str:
    found = re.search(rf"{re.escape(BASE)}({path}/[A-Za-z0-9_-]+)", message.part("plain"))
    assert found, message.part("plain")
    return found.group(1)


def _follow(client: TestClient, page: str, action: str, email: str = ADDRESS) -> object:
    return client.post(action, data={"csrf_token": csrf_token(client, page), "email": email},
                       follow_redirects=False)


def test_follow_confirm_alert_and_one_click_unsubscribe(
        client: TestClient, app: object, session: Session, smtp: SmtpServer,
        sessions: Callable[..., Session], configure: Callable[..., None]) -> None:
    configure(agency_name="Bộ Thông tin và Truyền thông", portal_name="Cổng Thông tin điện tử")
    case = Case(session)
    session.commit()
    page = f"/organizations/{case.ministry.id}"

    response = _follow(client, page, page + "/follow")

    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"] == page  # type: ignore[attr-defined]
    shown = client.get(page).text
    assert "Hãy xem hộp thư" in shown
    row = session.exec(select(AlertSubscription)).one()
    assert (row.email, row.target, row.organization_id, row.confirmed_at) == (
        ADDRESS, AlertTarget.MINISTRY, case.ministry.id, None)
    assert row.label == case.ministry.name and row.locale == "vi"

    send_pending_once(sessions=sessions)
    [confirmation] = _to(smtp, ADDRESS)
    assert confirmation.message["Subject"] == (
        f"Xác nhận nhận thông báo qua thư điện tử: {case.ministry.name}")
    assert confirmation.message["List-Unsubscribe"] is None
    text = confirmation.part("plain")
    assert "Bộ Thông tin và Truyền thông" in text and "Pressroom" not in text
    confirm_path = _link(confirmation, "/alerts/confirm")

    # Opening the link (as a mail scanner would) confirms nothing: it shows a button.
    page_html = client.get(confirm_path).text
    assert "Xác nhận nhận thông báo" in page_html and ADDRESS in page_html
    session.refresh(row)
    assert row.confirmed_at is None

    confirmed = client.post(confirm_path, data={"csrf_token": csrf_token(client, confirm_path)},
                            follow_redirects=False)
    assert confirmed.headers["location"] == page
    assert "đã được bật" in client.get(page).text
    session.refresh(row)
    assert row.confirmed_at is not None and row.confirm_digest is None

    question, answer = case.published_answer()
    session.commit()
    send_pending_once(sessions=sessions)
    alert = _to(smtp, ADDRESS)[1]
    assert alert.message["Subject"] == f"Câu trả lời chính thức mới: «{question.title}»"
    unsubscribe_url = f"{BASE}/alerts/unsubscribe/{alerts.unsubscribe_token(row)}"
    assert alert.message["List-Unsubscribe"] == f"<{unsubscribe_url}>"
    assert alert.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = alert.part("plain")
    assert f"{BASE}/answers/{answer.id}" in text
    assert "Trả lời: Bộ đã hoàn thành việc cấp đổi thẻ." in text
    assert unsubscribe_url in text and unsubscribe_url in alert.part("html")
    assert "Cổng Thông tin điện tử\nBộ Thông tin và Truyền thông" in text
    assert "Pressroom" not in text

    # RFC 8058: the mail client POSTs, with no cookie and no CSRF token.
    with TestClient(app, raise_server_exceptions=False) as mail_client:  # type: ignore[arg-type]
        done = mail_client.post(unsubscribe_url.removeprefix(BASE),
                                content=b"List-Unsubscribe=One-Click",
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert done.status_code == 200
    assert "Bạn sẽ không nhận thêm thông báo" in done.text
    assert session.exec(select(AlertSubscription)).all() == []

    case.published_answer()
    session.commit()
    send_pending_once(sessions=sessions)
    assert len(_to(smtp, ADDRESS)) == 2


def test_a_repeated_follow_sends_one_confirmation_and_says_the_same(
        client: TestClient, session: Session, smtp: SmtpServer,
        sessions: Callable[..., Session]) -> None:
    case = Case(session)
    session.commit()
    page = f"/organizations/{case.ministry.id}"

    first = _follow(client, page, page + "/follow")
    first_text = client.get(page).text
    second = _follow(client, page, page + "/follow", email="  Ban.Doc@Example.VN ")
    second_text = client.get(page).text

    send_pending_once(sessions=sessions)
    assert len(_to(smtp, ADDRESS)) == 1
    assert first.headers["location"] == second.headers["location"] == page  # type: ignore[attr-defined]
    message = "Hãy xem hộp thư"
    assert message in first_text and message in second_text

    # Confirmed: a new request sends nothing, and reads the same.
    alerts.confirm_follow(session, token=_token_of(smtp))
    session.commit()
    with time_machine.travel(now() + timedelta(hours=2)):
        third = _follow(client, page, page + "/follow")
        assert message in client.get(page).text
    send_pending_once(sessions=sessions)
    assert third.headers["location"] == page  # type: ignore[attr-defined]
    assert len(_to(smtp, ADDRESS)) == 1


def _token_of(smtp: SmtpServer) -> str:
    return _link(_to(smtp, ADDRESS)[-1], "/alerts/confirm").rsplit("/", 1)[1]


def test_a_request_after_the_quiet_time_sends_a_new_link_and_the_old_one_stops(
        client: TestClient, session: Session, smtp: SmtpServer,
        sessions: Callable[..., Session]) -> None:
    case = Case(session)
    session.commit()
    page = f"/organizations/{case.ministry.id}"
    _follow(client, page, page + "/follow")
    send_pending_once(sessions=sessions)
    old = _token_of(smtp)

    with time_machine.travel(now() + alerts.RESEND_AFTER + timedelta(seconds=5)):
        _follow(client, page, page + "/follow")
        send_pending_once(sessions=sessions)
    new = _token_of(smtp)

    assert len(_to(smtp, ADDRESS)) == 2 and new != old
    assert client.get(f"/alerts/confirm/{old}").status_code == 404
    assert client.get(f"/alerts/confirm/{new}").status_code == 200


def test_one_address_gets_at_most_five_confirmations_an_hour(
        client: TestClient, session: Session, smtp: SmtpServer,
        sessions: Callable[..., Session]) -> None:
    case = Case(session)
    session.commit()
    for number in range(7):
        query = f"thẻ nhà báo {number}"
        client.post("/search/follow", data={"csrf_token": csrf_token(client, "/search?q=x"),
                                            "q": query, "email": ADDRESS})
    send_pending_once(sessions=sessions)
    assert len(_to(smtp, ADDRESS)) == alerts.CONFIRMATIONS_PER_HOUR
    assert case.ministry.id  # the case only gives the portal content


def test_an_english_follower_gets_english_mail(
        client: TestClient, session: Session, smtp: SmtpServer,
        sessions: Callable[..., Session]) -> None:
    case = Case(session)
    session.commit()
    client.cookies.set(LANG_COOKIE, "en")
    page = f"/organizations/{case.ministry.id}"
    _follow(client, page, page + "/follow")
    send_pending_once(sessions=sessions)
    [confirmation] = _to(smtp, ADDRESS)
    assert confirmation.message["Subject"] == (
        f"Confirm your e-mail alerts: {case.ministry.name}")
    alerts.confirm_follow(session, token=_token_of(smtp))
    question, _answer = case.published_answer()
    session.commit()
    send_pending_once(sessions=sessions)
    assert _to(smtp, ADDRESS)[1].message["Subject"] == f"New official answer: «{question.title}»"


def test_a_followed_search_typed_without_diacritics_finds_the_new_answer(
        session: Session, smtp: SmtpServer, sessions: Callable[..., Session]) -> None:
    case = Case(session)
    follow = alerts.search_follow("the nha bao", None, None, None)
    alerts.request_follow(session, email=ADDRESS, follow=follow, locale="vi")
    other = alerts.search_follow("gia cuoc vien thong", "answer", None, None)
    alerts.request_follow(session, email="khac@example.vn", follow=other, locale="vi")
    for row in session.exec(select(AlertSubscription)):
        row.confirmed_at, row.confirm_digest = now(), None
        session.add(row)
    session.flush()

    question, _answer = case.published_answer()  # "Về tiến độ cấp thẻ nhà báo"
    session.commit()
    send_pending_once(sessions=sessions)

    assert [m.message["Subject"] for m in _to(smtp, ADDRESS)][-1] == (
        f"Câu trả lời chính thức mới: «{question.title}»")
    assert "Bạn nhận thư này vì bạn theo dõi «the nha bao»." in _to(smtp, ADDRESS)[-1].part(
        "plain")
    assert len(_to(smtp, "khac@example.vn")) == 1  # its confirmation only


def test_a_scheduled_answer_alerts_when_its_time_comes_and_once(
        session: Session, smtp: SmtpServer, sessions: Callable[..., Session]) -> None:
    case = Case(session)
    follow = alerts.Follow(target=AlertTarget.MINISTRY, label=case.ministry.name,
                           organization_id=case.ministry.id)
    alerts.request_follow(session, email=ADDRESS, follow=follow, locale="vi")
    row = session.exec(select(AlertSubscription)).one()
    row.confirmed_at, row.confirm_digest = now(), None
    session.add(row)
    case.published_answer(publish_at=now() + timedelta(hours=3))
    remind(session)
    session.commit()
    alerts_sent = select(Mail).where(Mail.to_address == ADDRESS,
                                     Mail.list_unsubscribe != "")
    assert session.exec(alerts_sent).all() == []

    with time_machine.travel(now() + timedelta(hours=3, minutes=1)):
        remind(session)
        remind(session)
        session.commit()
    assert len(session.exec(alerts_sent).all()) == 1
