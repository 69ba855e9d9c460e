"""The dispatcher against a real SMTP server (aiosmtpd in the test process): what arrives,
byte for byte; retries and backoff; kept mail without a server; leases; the daily digest;
TLS and login."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pydantic import ValidationError
from sqlmodel import Session, col, select

from pressroom.accounts.enums import Role
from pressroom.accounts.models import User
from pressroom.core.config import Settings
from pressroom.notifications import service
from pressroom.notifications.dispatcher import (
    BACKOFF,
    MailWorker,
    claim,
    digest_cut,
    send_batch,
    send_pending_once,
)
from pressroom.notifications.enums import Delivery, MailState, NotificationKind
from pressroom.notifications.models import Mail, Notification
from tests import factories
from tests.notifications.conftest import (
    Certificate,
    Recorder,
    SmtpServer,
    authenticator,
    free_port,
)

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
HOSTILE_TITLE = 'Về <b>lương</b> & "thưởng" Tết'


def _tell(session: Session, user: User, title: str = "Về tiến độ cấp thẻ nhà báo",
          path: str = "/my/questions/7") -> Mail | None:
    service.notify(session, recipients=[user], kind=NotificationKind.ANSWER_PUBLISHED,
                   case_path=path, params={"title": title, "organization": "Bộ Y tế"})
    session.commit()
    return session.exec(select(Mail).where(Mail.user_id == user.id)
                        .order_by(col(Mail.id).desc())).first()


def _reload(sessions: Callable[..., Session], mail: Mail) -> Mail:
    with sessions() as s:
        found = s.get(Mail, mail.id)
        assert found is not None
        return found


def test_mail_arrives_with_exact_vietnamese_text_both_parts_and_headers(
        session: Session, sessions: Callable[..., Session], smtp: SmtpServer) -> None:
    journalist = factories.user(session, Role.JOURNALIST, full_name="Đặng Thu Hà")
    mail = _tell(session, journalist, title=HOSTILE_TITLE)
    assert mail is not None

    result = send_pending_once(sessions=sessions)

    assert (result.claimed, result.sent) == (1, 1)
    [received] = smtp.messages
    assert received.mail_from == "thongbao@pressroom.example.vn"
    assert received.rcpt_tos == [journalist.email]
    received.data.decode("ascii")  # 7-bit clean: diacritics travel encoded
    msg = received.message
    subject = f"Câu trả lời đã được công bố: «{HOSTILE_TITLE}»"
    assert msg["Subject"] == subject
    assert msg["From"] == "Văn phòng Bộ <thongbao@pressroom.example.vn>"
    assert msg["To"] == f"Đặng Thu Hà <{journalist.email}>"
    assert msg["Message-ID"] == mail.message_id
    assert msg["Message-ID"].endswith("@pressroom.example.vn>")
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in msg.iter_parts())
    assert received.part("plain") == (
        "Kính gửi Đặng Thu Hà,\n"
        "\n"
        f"{subject}\n"
        "Câu trả lời chính thức của Bộ Y tế đã được công bố.\n"
        "Xem trên Cổng thông tin: https://pressroom.example.vn/my/questions/7\n"
        "\n"
        "-- \n"
        "Thư này được gửi tự động; xin đừng trả lời thư này.\n"
        "Chọn cách nhận thông báo: https://pressroom.example.vn/notifications\n")
    html = received.part("html")
    assert '<html lang="vi">' in html
    assert ("<h2>Câu trả lời đã được công bố: «Về &lt;b&gt;lương&lt;/b&gt; &amp; "
            "&#34;thưởng&#34; Tết»</h2>") in html
    assert "<b>lương" not in html
    assert '<a href="https://pressroom.example.vn/my/questions/7">Xem trên Cổng thông tin</a>' in html
    stored = _reload(sessions, mail)
    assert (stored.state, stored.attempts, stored.last_error) == (MailState.SENT, 1, "")
    assert stored.sent_at is not None


def test_sent_mail_is_not_sent_again(session: Session, sessions: Callable[..., Session],
                                     smtp: SmtpServer) -> None:
    _tell(session, factories.user(session, Role.JOURNALIST))
    send_pending_once(sessions=sessions)
    result = send_pending_once(sessions=sessions)
    assert result.claimed == 0
    assert len(smtp.messages) == 1


def test_refused_mail_is_retried_with_backoff_then_sent(
        session: Session, sessions: Callable[..., Session], smtp: SmtpServer) -> None:
    smtp.recorder.rcpt_replies = ["451 4.3.0 Mailbox busy, try later"] * 4
    start = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        mail = _tell(session, factories.user(session, Role.JOURNALIST))
        assert mail is not None
        waited = timedelta(0)
        for attempt, delay in enumerate(BACKOFF, start=1):
            result = send_pending_once(sessions=sessions)
            assert result.retrying == 1
            stored = _reload(sessions, mail)
            assert stored.state == MailState.PENDING
            assert stored.attempts == attempt
            assert stored.next_attempt_at == start + waited + delay
            assert stored.last_error == "451 4.3.0 Mailbox busy, try later"
            clock.shift(delay - timedelta(seconds=1))
            assert send_pending_once(sessions=sessions).claimed == 0  # not due yet
            clock.shift(timedelta(seconds=1))
            waited += delay
        assert [d.total_seconds() / 60 for d in BACKOFF] == [1, 5, 30, 120]

        result = send_pending_once(sessions=sessions)

    assert result.sent == 1
    assert len(smtp.messages) == 1
    stored = _reload(sessions, mail)
    assert (stored.state, stored.attempts, stored.last_error) == (MailState.SENT, 5, "")


def test_mail_fails_after_the_fifth_refusal(session: Session, sessions: Callable[..., Session],
                                            smtp: SmtpServer) -> None:
    smtp.recorder.rcpt_replies = ["421 4.7.0 Try again later"] * 5
    with time_machine.travel(datetime(2026, 12, 3, 9, 0, tzinfo=UTC), tick=False) as clock:
        mail = _tell(session, factories.user(session, Role.JOURNALIST))
        assert mail is not None
        for delay in (*BACKOFF, timedelta(0)):
            send_pending_once(sessions=sessions)
            clock.shift(delay)
        clock.shift(timedelta(days=1))
        assert send_pending_once(sessions=sessions).claimed == 0
    stored = _reload(sessions, mail)
    assert (stored.state, stored.attempts) == (MailState.FAILED, 5)
    assert stored.last_error == "421 4.7.0 Try again later"
    assert smtp.messages == []


def test_permanent_refusal_fails_at_once(session: Session, sessions: Callable[..., Session],
                                         smtp: SmtpServer) -> None:
    smtp.recorder.rcpt_replies = ["550 5.1.1 No such user here"]
    mail = _tell(session, factories.user(session, Role.JOURNALIST))
    assert mail is not None

    result = send_pending_once(sessions=sessions)

    assert result.failed == 1
    stored = _reload(sessions, mail)
    assert (stored.state, stored.attempts) == (MailState.FAILED, 1)
    assert stored.last_error == "550 5.1.1 No such user here"


def test_a_refused_sender_is_retried_as_a_setting_to_fix(
        session: Session, sessions: Callable[..., Session], smtp: SmtpServer) -> None:
    smtp.recorder.mail_replies = ["553 5.7.1 Sender address rejected"]
    mail = _tell(session, factories.user(session, Role.JOURNALIST))
    assert mail is not None

    assert send_pending_once(sessions=sessions).retrying == 1
    stored = _reload(sessions, mail)
    assert (stored.state, stored.last_error) == (MailState.PENDING,
                                                 "553 5.7.1 Sender address rejected")


def test_refusal_of_the_whole_message_puts_it_back(
        session: Session, sessions: Callable[..., Session], smtp: SmtpServer) -> None:
    smtp.recorder.data_replies = ["452 4.3.1 Insufficient system storage"]
    with time_machine.travel(datetime(2026, 12, 3, 9, 0, tzinfo=UTC), tick=False) as clock:
        mail = _tell(session, factories.user(session, Role.JOURNALIST))
        assert mail is not None
        assert send_pending_once(sessions=sessions).retrying == 1
        stored = _reload(sessions, mail)
        assert (stored.state, stored.sent_at) == (MailState.PENDING, None)
        assert stored.last_error == "452 4.3.1 Insufficient system storage"
        clock.shift(BACKOFF[0])
        assert send_pending_once(sessions=sessions).sent == 1
    assert len(smtp.messages) == 1


class HangUp(Recorder):
    """Takes the message, then drops the connection instead of replying."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        reply = await super().handle_DATA(server, session, envelope)
        server.transport.close()
        return reply


def test_no_reply_after_the_whole_message_counts_as_sent(
        session: Session, sessions: Callable[..., Session], start_smtp: Callable[..., SmtpServer],
        configure: Callable[..., None]) -> None:
    server = start_smtp(HangUp())
    configure(smtp_host="127.0.0.1", smtp_port=server.port)
    mail = _tell(session, factories.user(session, Role.JOURNALIST))
    assert mail is not None

    assert send_pending_once(sessions=sessions).sent == 1
    assert send_pending_once(sessions=sessions).claimed == 0

    stored = _reload(sessions, mail)
    assert stored.state == MailState.SENT
    assert stored.last_error.startswith("no reply after the whole message was sent (it may have "
                                        "arrived): SMTPServerDisconnected")
    assert len(server.messages) == 1


def test_unreachable_server_retries_every_mail_of_the_batch(
        session: Session, sessions: Callable[..., Session], configure: Callable[..., None]) -> None:
    port = free_port()
    configure(smtp_host="127.0.0.1", smtp_port=port)
    mails = [_tell(session, factories.user(session, Role.JOURNALIST)) for _ in range(2)]

    result = send_pending_once(sessions=sessions)

    assert (result.claimed, result.retrying) == (2, 2)
    for mail in mails:
        assert mail is not None
        stored = _reload(sessions, mail)
        assert (stored.state, stored.attempts) == (MailState.PENDING, 1)
        assert stored.last_error.startswith(f"connecting to 127.0.0.1:{port}: ConnectionRefusedError")


def test_without_a_mail_server_mail_is_kept(session: Session, sessions: Callable[..., Session],
                                            configure: Callable[..., None]) -> None:
    configure(smtp_host="")
    mail = _tell(session, factories.user(session, Role.JOURNALIST))
    assert mail is not None

    result = send_pending_once(sessions=sessions)

    assert (result.kept, result.claimed) == (1, 0)
    assert _reload(sessions, mail).state == MailState.KEPT
    assert send_pending_once(sessions=sessions).kept == 0


def test_two_claims_never_share_a_mail(session: Session, sessions: Callable[..., Session],
                                       smtp: SmtpServer) -> None:
    for _ in range(5):
        _tell(session, factories.user(session, Role.JOURNALIST))

    first_token, first = claim(sessions=sessions, batch=3)
    second_token, second = claim(sessions=sessions, batch=3)
    third_token, third = claim(sessions=sessions, batch=3)

    assert (len(first), len(second), third) == (3, 2, [])
    assert not {m.id for m in first} & {m.id for m in second}
    assert first_token != second_token
    assert {m.lease_owner for m in first} == {first_token}


def test_mail_of_a_dispatcher_that_stopped_before_handing_over_is_sent_once_by_another(
        session: Session, sessions: Callable[..., Session], smtp: SmtpServer) -> None:
    start = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        mail = _tell(session, factories.user(session, Role.JOURNALIST))
        assert mail is not None
        _token, taken = claim(sessions=sessions)  # ... and the dispatcher dies
        assert len(taken) == 1
        assert send_pending_once(sessions=sessions).claimed == 0  # its lease holds
        clock.shift(timedelta(seconds=120))
        assert send_pending_once(sessions=sessions).claimed == 0
        clock.shift(timedelta(seconds=1))
        assert send_pending_once(sessions=sessions).sent == 1
    assert len(smtp.messages) == 1
    assert _reload(sessions, mail).attempts == 2


def test_a_dispatcher_whose_lease_was_taken_over_sends_nothing(
        session: Session, sessions: Callable[..., Session], smtp: SmtpServer) -> None:
    with time_machine.travel(datetime(2026, 12, 3, 9, 0, tzinfo=UTC), tick=False) as clock:
        _tell(session, factories.user(session, Role.JOURNALIST))
        slow_token, slow_mail = claim(sessions=sessions)
        clock.shift(timedelta(minutes=3))
        assert send_pending_once(sessions=sessions).sent == 1  # another took it over

        late = send_batch(sessions=sessions, token=slow_token, mails=slow_mail)

    assert (late.sent, late.lost) == (0, 1)
    assert len(smtp.messages) == 1  # the late copy was dropped before its end


def test_a_stopping_dispatcher_gives_back_what_it_has_not_tried(
        session: Session, sessions: Callable[..., Session], smtp: SmtpServer) -> None:
    mails = [_tell(session, factories.user(session, Role.JOURNALIST)) for _ in range(2)]
    token, taken = claim(sessions=sessions)
    stop = threading.Event()
    stop.set()

    result = send_batch(sessions=sessions, token=token, mails=taken, stop=stop)

    assert result.sent == 0
    for mail in mails:
        assert mail is not None
        stored = _reload(sessions, mail)
        assert (stored.state, stored.attempts, stored.lease_owner) == (MailState.PENDING, 0, None)
    assert send_pending_once(sessions=sessions).sent == 2


def test_digest_gathers_the_days_notifications_into_one_mail_at_the_digest_hour(
        session: Session, sessions: Callable[..., Session], smtp: SmtpServer) -> None:
    journalist = factories.user(session, Role.JOURNALIST, full_name="Đặng Thu Hà")
    service.set_preference(session, user=journalist, delivery=Delivery.DIGEST, locale="vi")
    session.commit()
    with time_machine.travel(datetime(2026, 12, 3, 10, 15, tzinfo=HANOI), tick=False) as clock:
        assert _tell(session, journalist, title="Câu hỏi thứ nhất", path="/my/questions/1") is None
        clock.move_to(datetime(2026, 12, 3, 16, 40, tzinfo=HANOI))
        _tell(session, journalist, title="Câu hỏi thứ hai", path="/my/questions/2")
        clock.move_to(datetime(2026, 12, 4, 6, 59, tzinfo=HANOI))
        assert send_pending_once(sessions=sessions).digests == 0
        assert smtp.messages == []

        clock.move_to(datetime(2026, 12, 4, 7, 0, tzinfo=HANOI))
        result = send_pending_once(sessions=sessions)
        clock.move_to(datetime(2026, 12, 4, 7, 30, tzinfo=HANOI))
        _tell(session, journalist, title="Câu hỏi thứ ba", path="/my/questions/3")
        later = send_pending_once(sessions=sessions)

    assert (result.digests, result.sent, later.digests) == (1, 1, 0)
    [received] = smtp.messages
    assert received.message["Subject"] == "Họp báo và câu trả lời chính thức – Bản tin hằng ngày: 2 thông báo"
    assert received.part("plain") == (
        "Kính gửi Đặng Thu Hà,\n"
        "\n"
        "Có 2 thông báo kể từ bản tin trước.\n"
        "\n"
        "1. Câu trả lời đã được công bố: «Câu hỏi thứ nhất» (10:15 03/12/2026)\n"
        "Câu trả lời chính thức của Bộ Y tế đã được công bố.\n"
        "Xem trên Cổng thông tin: https://pressroom.example.vn/my/questions/1\n"
        "\n"
        "2. Câu trả lời đã được công bố: «Câu hỏi thứ hai» (16:40 03/12/2026)\n"
        "Câu trả lời chính thức của Bộ Y tế đã được công bố.\n"
        "Xem trên Cổng thông tin: https://pressroom.example.vn/my/questions/2\n"
        "\n"
        "-- \n"
        "Thư này được gửi tự động; xin đừng trả lời thư này.\n"
        "Chọn cách nhận thông báo: https://pressroom.example.vn/notifications\n")
    notes = list(session.exec(select(Notification).where(Notification.user_id == journalist.id)
                              .order_by(col(Notification.id))))
    mail_ids = {n.mail_id for n in notes[:2]}
    assert len(mail_ids) == 1 and None not in mail_ids
    assert [n.awaiting_digest for n in notes] == [False, False, True]


def test_digest_of_a_deactivated_user_is_not_sent(
        session: Session, sessions: Callable[..., Session], smtp: SmtpServer) -> None:
    journalist = factories.user(session, Role.JOURNALIST)
    service.set_preference(session, user=journalist, delivery=Delivery.DIGEST, locale="vi")
    with time_machine.travel(datetime(2026, 12, 3, 10, 0, tzinfo=HANOI), tick=False) as clock:
        _tell(session, journalist)
        journalist.is_active = False
        session.add(journalist)
        session.commit()
        clock.move_to(datetime(2026, 12, 4, 8, 0, tzinfo=HANOI))
        assert send_pending_once(sessions=sessions).digests == 0
    [note] = session.exec(select(Notification).where(Notification.user_id == journalist.id))
    session.refresh(note)
    assert (note.awaiting_digest, note.mail_id) == (False, None)
    assert smtp.messages == []


def test_digest_cut_is_the_last_digest_hour_in_local_time(configure: Callable[..., None]) -> None:
    configure(digest_hour=7)
    assert digest_cut(datetime(2026, 12, 4, 7, 0, tzinfo=HANOI)) == datetime(2026, 12, 4, 0, 0, tzinfo=UTC)
    assert digest_cut(datetime(2026, 12, 4, 6, 59, tzinfo=HANOI)) == datetime(2026, 12, 3, 0, 0, tzinfo=UTC)
    assert digest_cut(datetime(2026, 12, 4, 23, 0, tzinfo=HANOI)) == datetime(2026, 12, 4, 0, 0, tzinfo=UTC)


def test_starttls_with_login(session: Session, sessions: Callable[..., Session],
                             start_smtp: Callable[..., SmtpServer], configure: Callable[..., None],
                             certificate: Certificate, monkeypatch: pytest.MonkeyPatch) -> None:
    server = start_smtp(tls_context=certificate.server_context(), require_starttls=True,
                        auth_required=True, authenticator=authenticator("pressroom", "s3cret-pass"))
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate.cert))
    configure(smtp_host="127.0.0.1", smtp_port=server.port, smtp_tls="starttls",
              smtp_user="pressroom", smtp_password="s3cret-pass")
    _tell(session, factories.user(session, Role.JOURNALIST))

    assert send_pending_once(sessions=sessions).sent == 1
    assert len(server.messages) == 1


def test_a_wrong_password_is_retried_and_recorded(
        session: Session, sessions: Callable[..., Session], start_smtp: Callable[..., SmtpServer],
        configure: Callable[..., None], certificate: Certificate,
        monkeypatch: pytest.MonkeyPatch) -> None:
    server = start_smtp(tls_context=certificate.server_context(), require_starttls=True,
                        auth_required=True, authenticator=authenticator("pressroom", "s3cret-pass"))
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate.cert))
    configure(smtp_host="127.0.0.1", smtp_port=server.port, smtp_tls="starttls",
              smtp_user="pressroom", smtp_password="wrong")
    mail = _tell(session, factories.user(session, Role.JOURNALIST))
    assert mail is not None

    assert send_pending_once(sessions=sessions).retrying == 1
    assert _reload(sessions, mail).last_error.startswith(
        f"connecting to 127.0.0.1:{server.port}: 535")
    assert server.messages == []


def test_tls_from_the_start(session: Session, sessions: Callable[..., Session],
                            start_smtp: Callable[..., SmtpServer], configure: Callable[..., None],
                            certificate: Certificate, monkeypatch: pytest.MonkeyPatch) -> None:
    server = start_smtp(ssl_context=certificate.server_context())
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate.cert))
    configure(smtp_host="127.0.0.1", smtp_port=server.port, smtp_tls="tls")
    _tell(session, factories.user(session, Role.JOURNALIST))

    assert send_pending_once(sessions=sessions).sent == 1
    assert len(server.messages) == 1


def test_a_login_without_encryption_to_another_host_is_refused() -> None:
    with pytest.raises(ValidationError, match="PRESSROOM_SMTP_TLS"):
        Settings(secret_key="x", smtp_host="mail.example.vn", smtp_user="pressroom",
                 smtp_tls="none")
    assert Settings(secret_key="x", smtp_host="mail.example.vn", smtp_user="pressroom",
                    smtp_tls="starttls").smtp_user == "pressroom"


def test_the_worker_thread_starts_and_stops(migrated: str) -> None:
    worker = MailWorker(interval=0.05)
    worker.start()
    worker.stop()
    assert not worker._thread.is_alive()


def test_the_server_sends_mail_from_a_background_thread(migrated: str) -> None:
    from fastapi.testclient import TestClient

    from pressroom.main import create_app

    app = create_app(pdf_worker=False, mail_worker=True)
    with TestClient(app):
        worker = app.state.wake_mail_worker.__self__
        assert isinstance(worker, MailWorker)
        assert worker._thread.is_alive()
    assert not worker._thread.is_alive()
    assert create_app(pdf_worker=False).state.mail_worker is False  # PRESSROOM_MAIL_WORKER=0


def test_demo_mode_sends_mail_when_a_server_is_set(
        session: Session, sessions: Callable[..., Session], smtp: SmtpServer,
        configure: Callable[..., None]) -> None:
    configure(demo_mode=True)
    _tell(session, factories.user(session, Role.JOURNALIST))
    assert send_pending_once(sessions=sessions).sent == 1
    assert len(smtp.messages) == 1
