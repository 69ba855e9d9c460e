"""The notifications page, the unread count in the header and the administrators' outbox, as
each role sees them."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from pressroom.accounts.enums import Role
from pressroom.accounts.models import User
from pressroom.notifications import service
from pressroom.notifications.dispatcher import send_pending_once
from pressroom.notifications.enums import Delivery, MailState, NotificationKind
from pressroom.notifications.models import Mail, Notification, NotificationPreference
from pressroom.notifications.queries import preference_of
from tests import factories
from tests.conftest import count_queries, post_form

ROLES = ("journalist", "unit_officer", "spokesperson", "admin")


def _tell(session: Session, user: User, title: str, path: str = "/my/questions/7") -> Notification:
    service.notify(session, recipients=[user], kind=NotificationKind.ANSWER_PUBLISHED,
                   case_path=path, params={"title": title, "organization": "Bộ Y tế"})
    session.commit()
    found = session.exec(select(Notification).where(Notification.user_id == user.id)
                         .order_by(col(Notification.id).desc())).first()
    assert found is not None
    return found




@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_its_own_notifications(login_as: Any, session: Session, role: str) -> None:
    client, user = login_as(role)
    other, _ = login_as(role)
    _tell(session, user, "Về giá điện tháng 12")

    page = client.get("/notifications")

    assert page.status_code == 200
    assert "Câu trả lời đã được công bố: «Về giá điện tháng 12»" in page.text
    assert "Về giá điện tháng 12" not in other.get("/notifications").text


def test_a_visitor_is_sent_to_log_in(client: TestClient) -> None:
    response = client.get("/notifications", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fnotifications"
    assert client.post("/notifications/read", follow_redirects=False).status_code in (303, 403)


def test_the_list_is_newest_first_with_the_unread_ones_marked(login_as: Any, session: Session) -> None:
    client, user = login_as("journalist")
    older = _tell(session, user, "Câu hỏi cũ", path="/my/questions/1")
    _tell(session, user, 'Câu hỏi <script>alert("x")</script> mới', path="/my/questions/2")
    service.mark_read(session, user=user, notification_id=older.id or 0)
    session.commit()

    page = client.get("/notifications").text

    new_at = page.index("Câu hỏi &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; mới")
    assert new_at < page.index("Câu hỏi cũ")
    assert "<script>alert" not in page
    assert '<a class="govuk-link govuk-!-font-weight-bold" href="/my/questions/2">' in page
    assert '<a class="govuk-link govuk-!-font-weight-bold" href="/my/questions/1">' in page
    assert page.count("pr-notification--unread") == 1
    assert page.count('action="/notifications/') == 3  # one unread item, mark all, settings
    assert "Bạn có 1 thông báo chưa đọc." in page


def test_the_list_is_paged(login_as: Any, session: Session) -> None:
    client, user = login_as("journalist")
    for number in range(21):
        _tell(session, user, f"Câu hỏi số {number}", path=f"/my/questions/{number + 1}")

    first = client.get("/notifications").text
    second = client.get("/notifications?page=2").text

    assert first.count('class="pr-notification ') == 20
    assert 'href="/notifications?page=2"' in first
    assert second.count('class="pr-notification ') == 1
    assert 'href="/my/questions/1"' in second
    assert "Bạn có 21 thông báo chưa đọc." in second


def test_the_header_counts_unread_notifications_on_every_page(login_as: Any, session: Session,
                                                              client: TestClient) -> None:
    journalist, user = login_as("journalist")
    for title in ("Một", "Hai"):
        _tell(session, user, title)

    page = journalist.get("/my/questions").text

    assert re.search(r'href="/notifications">Thông báo <span class="pr-count">2<span '
                     r'class="govuk-visually-hidden"> chưa đọc</span></span>', page)
    assert 'href="/notifications"' not in client.get("/").text
    service.mark_all_read(session, user=user)
    session.commit()
    assert "pr-count" not in journalist.get("/my/questions").text


def test_mark_all_read(login_as: Any, session: Session) -> None:
    client, user = login_as("unit_officer")
    for title in ("Một", "Hai"):
        _tell(session, user, title, path="/unit/questions/3")

    response = post_form(client, "/notifications/read", {}, page="/notifications")

    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"] == "/notifications"  # type: ignore[attr-defined]
    page = client.get("/notifications").text
    assert "Đã đánh dấu tất cả thông báo là đã đọc." in page
    assert "Bạn không có thông báo nào chưa đọc." in page


def test_forms_without_their_csrf_token_are_refused(login_as: Any, session: Session) -> None:
    client, user = login_as("journalist")
    note = _tell(session, user, "Một")
    for path in ("/notifications/read", f"/notifications/{note.id}/read",
                 "/notifications/preferences"):
        assert client.post(path, data={"delivery": "digest", "locale": "en"},
                           follow_redirects=False).status_code == 403
    session.refresh(note)
    assert note.read_at is None
    assert preference_of(session, user.id or 0) is None


def test_mark_one_read_only_ones_own(login_as: Any, session: Session) -> None:
    client, user = login_as("journalist")
    other_client, other = login_as("journalist")
    note = _tell(session, user, "Một")

    assert post_form(other_client, f"/notifications/{note.id}/read", {},
                     page="/notifications").status_code == 404  # type: ignore[attr-defined]
    assert post_form(client, "/notifications/99999999999999/read", {},
                     page="/notifications").status_code == 404  # type: ignore[attr-defined]
    response = post_form(client, f"/notifications/{note.id}/read", {}, page="/notifications")

    assert response.status_code == 303  # type: ignore[attr-defined]
    session.refresh(note)
    assert note.read_at is not None


def test_choosing_the_daily_digest_in_english(login_as: Any, session: Session) -> None:
    client, user = login_as("spokesperson")

    response = post_form(client, "/notifications/preferences",
                         {"delivery": "digest", "locale": "en"}, page="/notifications")

    assert response.status_code == 303  # type: ignore[attr-defined]
    stored = session.get(NotificationPreference, user.id)
    assert stored is not None
    session.refresh(stored)
    assert (stored.delivery, stored.locale) == (Delivery.DIGEST, "en")
    page = client.get("/notifications").text
    assert 'name="delivery" type="radio" value="digest" checked' in page
    assert 'name="locale" type="radio" value="en" checked' in page
    assert "Bản tin hằng ngày được gửi lúc 07:00, giờ Hà Nội (UTC+07:00), gồm" in page


def test_a_bad_choice_shows_the_form_again(login_as: Any, session: Session) -> None:
    client, user = login_as("journalist")

    response = post_form(client, "/notifications/preferences",
                         {"delivery": "weekly", "locale": "fr"}, page="/notifications")

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "govuk-error-summary" in response.text  # type: ignore[attr-defined]
    assert preference_of(session, user.id or 0) is None


@pytest.mark.parametrize("role", ("journalist", "unit_officer", "spokesperson"))
def test_only_administrators_open_the_outbox(login_as: Any, role: str) -> None:
    client, _ = login_as(role)
    assert client.get("/admin/outbox").status_code == 403
    assert client.get("/admin/outbox/1").status_code == 403


def test_a_visitor_cannot_open_the_outbox(client: TestClient) -> None:
    response = client.get("/admin/outbox", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (
        303, "/login?next=%2Fadmin%2Foutbox")


def test_kept_mail_is_shown_to_administrators(login_as: Any, session: Session,
                                              sessions: Callable[..., Session],
                                              configure: Callable[..., None]) -> None:
    configure(smtp_host="")
    admin, _ = login_as("admin")
    journalist = factories.user(session, Role.JOURNALIST, full_name="Đặng Thu Hà")
    _tell(session, journalist, "Về <b>lương</b> Tết")
    assert send_pending_once(sessions=sessions).kept == 1
    mail = session.exec(select(Mail).where(Mail.user_id == journalist.id)).one()

    page = admin.get("/admin/outbox").text

    assert "Chưa cấu hình máy chủ thư (PRESSROOM_SMTP_HOST)" in page
    assert "Đặng Thu Hà" in page and journalist.email in page
    assert (f'<a class="govuk-link" href="/admin/outbox/{mail.id}">Câu trả lời đã được công bố: '
            "«Về &lt;b&gt;lương&lt;/b&gt; Tết»</a>") in page
    assert "Lưu lại (chưa cấu hình máy chủ thư)" in page
    detail = admin.get(f"/admin/outbox/{mail.id}")
    assert detail.status_code == 200
    assert "Kính gửi Đặng Thu Hà," in detail.text
    assert mail.message_id.replace("<", "&lt;").replace(">", "&gt;") in detail.text
    carried = detail.text[detail.text.index("Các thông báo trong thư"):]
    assert carried.count("<li>Câu trả lời đã được công bố: «Về &lt;b&gt;lương&lt;/b&gt; Tết»") == 1
    assert admin.get("/admin/outbox/99999999").status_code == 404


def test_the_outbox_is_paged_and_filtered(login_as: Any, session: Session,
                                          sessions: Callable[..., Session],
                                          configure: Callable[..., None]) -> None:
    configure(smtp_host="")
    admin, _ = login_as("admin")
    journalist = factories.user(session, Role.JOURNALIST)
    for number in range(21):
        _tell(session, journalist, f"Câu hỏi số {number}")
    send_pending_once(sessions=sessions)

    first = admin.get("/admin/outbox").text
    second = admin.get("/admin/outbox?page=2").text
    failed = admin.get("/admin/outbox?state=failed").text

    assert first.count('href="/admin/outbox/') == 20
    assert 'href="/admin/outbox?page=2"' in first
    assert second.count('href="/admin/outbox/') == 1
    assert "«Câu hỏi số 0»" in second
    assert "Không có thư nào trên trang này." in failed
    assert "Lưu lại (chưa cấu hình máy chủ thư) (21)" in first
    assert admin.get("/admin/outbox?state=lost").status_code == 400


def test_lists_read_no_more_rows_for_more_notifications(
        login_as: Any, session: Session, connection: Connection, sessions: Callable[..., Session],
        configure: Callable[..., None]) -> None:
    configure(smtp_host="")
    client, user = login_as("journalist")
    admin, _ = login_as("admin")
    _tell(session, user, "Một")
    send_pending_once(sessions=sessions)
    few = [count_queries(connection, lambda: client.get("/notifications")),
           count_queries(connection, lambda: admin.get("/admin/outbox"))]
    for number in range(8):
        _tell(session, user, f"Thêm {number}")
    send_pending_once(sessions=sessions)

    many = [count_queries(connection, lambda: client.get("/notifications")),
            count_queries(connection, lambda: admin.get("/admin/outbox"))]

    assert many == few
    kept = session.exec(select(Mail).where(Mail.user_id == user.id)).all()
    assert {m.state for m in kept} == {MailState.KEPT}
