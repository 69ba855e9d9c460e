"""The pages of alerts: invalid and expired links get a clear page (never a 500), a GET never
confirms nor unsubscribes, hostile addresses are refused, and the follow forms of the search
and conference pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from pressroom.alerts import service as alerts
from pressroom.alerts.enums import AlertTarget
from pressroom.alerts.models import AlertSubscription
from pressroom.core.clock import now
from pressroom.notifications.models import Mail
from tests import factories
from tests.conftest import csrf_token
from tests.factories import Case

ADDRESS = "ban.doc@example.vn"
NOT_VALID = "Đường dẫn xác nhận này không hợp lệ"


def _pending(session: Session, case: Case) -> str:
    """Follows the case's ministry; returns the confirmation link's token."""
    alerts.request_follow(session, email=ADDRESS, locale="vi", follow=alerts.Follow(
        target=AlertTarget.MINISTRY, label=case.ministry.name, organization_id=case.ministry.id))
    mail = session.exec(select(Mail).where(Mail.to_address == ADDRESS)).one()
    token = mail.body_text.split("/alerts/confirm/", 1)[1].split()[0]
    session.commit()
    return token


@pytest.mark.parametrize("token", ["x", "a" * 43, "x" * 200, "é" * 30, "x" * 300])
def test_an_unknown_confirmation_link_gets_a_clear_page(client: TestClient, token: str) -> None:
    response = client.get(f"/alerts/confirm/{token}")
    assert response.status_code == 404
    assert NOT_VALID in response.text


def test_an_expired_confirmation_link_gets_a_clear_page_and_confirms_nothing(
        client: TestClient, session: Session) -> None:
    token = _pending(session, Case(session))
    with time_machine.travel(now() + timedelta(days=alerts.CONFIRM_DAYS, minutes=1)):
        shown = client.get(f"/alerts/confirm/{token}")
        posted = client.post(f"/alerts/confirm/{token}",
                             data={"csrf_token": csrf_token(client, "/")})
    assert shown.status_code == posted.status_code == 404
    assert NOT_VALID in shown.text and NOT_VALID in posted.text
    assert session.exec(select(AlertSubscription.confirmed_at)).one() is None


def test_a_confirmation_link_works_once(client: TestClient, session: Session) -> None:
    token = _pending(session, Case(session))
    path = f"/alerts/confirm/{token}"
    first = client.post(path, data={"csrf_token": csrf_token(client, path)},
                        follow_redirects=False)
    again = client.post(path, data={"csrf_token": csrf_token(client, "/")})
    assert first.status_code == 303
    assert again.status_code == 404 and NOT_VALID in again.text


def test_confirming_needs_the_forms_csrf_token(client: TestClient, session: Session) -> None:
    token = _pending(session, Case(session))
    response = client.post(f"/alerts/confirm/{token}", data={})
    assert response.status_code == 403
    assert session.exec(select(AlertSubscription.confirmed_at)).one() is None


def test_opening_the_unsubscribe_link_only_asks(client: TestClient, session: Session) -> None:
    case = Case(session)
    token = _pending(session, case)
    row = alerts.confirm_follow(session, token=token)
    session.commit()
    link = f"/alerts/unsubscribe/{alerts.unsubscribe_token(row)}"

    shown = client.get(link)

    assert shown.status_code == 200
    assert f"Dừng nhận thông báo qua thư điện tử về {case.ministry.name}?" in shown.text
    assert session.exec(select(AlertSubscription)).one().confirmed_at is not None
    # The page's own button, as a browser sends it.
    done = client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert "Bạn sẽ không nhận thêm thông báo" in done.text
    assert session.exec(select(AlertSubscription)).all() == []
    # Again (a second click, a client that retries): still a calm page.
    again = client.post(link)
    assert again.status_code == 404
    assert "Các thông báo này đã được dừng trước đó" in again.text


@pytest.mark.parametrize("token", ["1-abc", "abc", "99999999999-x", "-", "1-" + "0" * 40, "é"])
def test_a_forged_unsubscribe_link_stops_nothing(client: TestClient, session: Session,
                                                 token: str) -> None:
    case = Case(session)
    row = alerts.confirm_follow(session, token=_pending(session, case))
    session.commit()
    forged = token.replace("1-", f"{row.id}-", 1)
    response = client.post(f"/alerts/unsubscribe/{forged}")
    shown = client.get(f"/alerts/unsubscribe/{forged}")
    assert response.status_code == shown.status_code == 404
    assert "Các thông báo này đã được dừng trước đó" in response.text
    assert "đường dẫn được sao chép không đầy đủ" in shown.text
    assert session.exec(select(AlertSubscription)).one().id == row.id


@pytest.mark.parametrize("email", [
    "", "   ", "ban.doc", "ban.doc@", "@example.vn", "ban doc@example.vn", "ban.doc@example",
    "ban.doc@example.vn\r\nBcc: ke.xau@example.vn", "ban.doc@example.vn,ke.xau@example.vn",
    "Bạn Đọc <ban.doc@example.vn>", "<script>alert(1)</script>@example.vn",
    "x" * 65 + "@example.vn", "a@" + "b" * 250 + ".vn", "bạn.đọc@example.vn",
    "ban..doc@example.vn", "ban.doc@-example.vn", "ban.doc@[127.0.0.1]",
])
def test_a_hostile_address_is_refused_with_the_form_again(client: TestClient, session: Session,
                                                          email: str) -> None:
    case = Case(session)
    session.commit()
    page = f"/organizations/{case.ministry.id}"
    response = client.post(page + "/follow", data={"csrf_token": csrf_token(client, page),
                                                   "email": email})
    assert response.status_code == 400
    assert "Địa chỉ thư điện tử: nhập một địa chỉ như ten@example.vn." in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert session.exec(select(AlertSubscription)).all() == []
    assert session.exec(select(Mail).where(Mail.user_id == None)).all() == []  # noqa: E711


def test_following_a_unit_or_an_unknown_ministry_is_not_found(
        client: TestClient, session: Session) -> None:
    case = Case(session)
    session.commit()
    for path in (f"/organizations/{case.unit.id}/follow", "/organizations/999999/follow"):
        response = client.post(path, data={"csrf_token": csrf_token(client, "/"),
                                           "email": ADDRESS})
        assert response.status_code == 404
    assert session.exec(select(AlertSubscription)).all() == []


def test_the_search_page_follows_its_query_and_filters(client: TestClient,
                                                       session: Session) -> None:
    case = Case(session)
    case.published_answer()
    session.commit()
    page = f"/search?q=the+nha+bao&kind=answer&organization={case.ministry.id}"
    html = client.get(page).text
    assert "Theo dõi kết quả tìm kiếm này qua thư điện tử" in html

    response = client.post("/search/follow", data={
        "csrf_token": csrf_token(client, page), "email": ADDRESS, "q": "the nha bao",
        "kind": "answer", "organization": str(case.ministry.id)}, follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == page
    row = session.exec(select(AlertSubscription)).one()
    assert (row.target, row.query, row.search_kind, row.search_organization_id, row.label) == (
        AlertTarget.SEARCH, "the nha bao", "answer", case.ministry.id, "«the nha bao»")


def test_following_an_empty_search_is_refused(client: TestClient, session: Session) -> None:
    response = client.post("/search/follow", data={
        "csrf_token": csrf_token(client, "/search"), "email": ADDRESS, "q": "  "},
        follow_redirects=False)
    assert response.status_code == 303
    assert "Hãy tìm kiếm một nội dung" in client.get(response.headers["location"]).text
    assert session.exec(select(AlertSubscription)).all() == []


def test_a_conference_follower_is_told_of_its_transcript(client: TestClient,
                                                         session: Session) -> None:
    from pressroom.conferences import service as conferences
    from pressroom.conferences.schemas import TranscriptIn, TurnIn

    case = Case(session)
    item = factories.conference(session, case.spokesperson, case.ministry,
                                starts_at=now() - timedelta(hours=3))
    session.commit()
    page = f"/conferences/{item.id}"
    assert "Một thư điện tử khi biên bản họp báo được công bố." in client.get(page).text
    client.post(page + "/follow", data={"csrf_token": csrf_token(client, page),
                                        "email": ADDRESS})
    row = session.exec(select(AlertSubscription)).one()
    assert (row.target, row.conference_id, row.label) == (
        AlertTarget.CONFERENCE, item.id, f"«{item.title}»")
    mail = session.exec(select(Mail).where(Mail.to_address == ADDRESS)).one()
    alerts.confirm_follow(session, token=mail.body_text.split("/alerts/confirm/")[1].split()[0])

    conferences.mark_conference_held(session, actor=case.spokesperson, conference=item)
    conferences.replace_transcript(session, actor=case.spokesperson, conference=item,
                                   data=TranscriptIn(turns=[TurnIn(
                                       speaker_name="Nguyễn Hồng Sâm", speaker_role="Người phát ngôn",
                                       text="Bộ đã hoàn thành chuyển đổi số.")]))
    conferences.publish_transcript(session, actor=case.spokesperson, conference=item)
    session.flush()

    alert = session.exec(select(Mail).where(Mail.to_address == ADDRESS,
                                            Mail.list_unsubscribe != "")).one()
    assert alert.subject == f"Đã công bố nội dung họp báo: «{item.title}»"
    assert f"/conferences/{item.id}" in alert.body_text


def test_the_administrators_outbox_shows_an_alert_mail(login_as: object,
                                                        session: Session) -> None:
    case = Case(session)
    _pending(session, case)
    mail = session.exec(select(Mail).where(Mail.to_address == ADDRESS)).one()
    admin, _user = login_as("admin")  # type: ignore[operator]
    listed = admin.get("/admin/outbox")
    shown = admin.get(f"/admin/outbox/{mail.id}")
    assert listed.status_code == shown.status_code == 200
    assert ADDRESS in listed.text and ADDRESS in shown.text
    assert f"Xác nhận nhận thông báo qua thư điện tử: {case.ministry.name}" in shown.text
