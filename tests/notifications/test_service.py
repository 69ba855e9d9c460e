"""notify() and the read marks and preferences: rows written in the caller's transaction, in
each recipient's language."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from sqlmodel import Session, col, select

from pressroom.accounts.enums import Role
from pressroom.accounts.models import Outlet, User
from pressroom.core.errors import NotFound
from pressroom.notifications import queries, service
from pressroom.notifications.enums import KIND_TEXTS, Delivery, MailState, NotificationKind
from pressroom.notifications.models import Mail, Notification, NotificationPreference
from tests import factories

_outlets = itertools.count(1)
TITLE = "Về tiến độ cấp đổi thẻ nhà báo nhiệm kỳ 2026–2031"


def decline_question(session: Session, *, journalist: User, title: str, reason: str) -> Outlet:
    """A service-like change as questions.service will make it: the change and the
    notification in one transaction, flushed, never committed (an outlet stands in for the
    question)."""
    changed = Outlet(name=f"Báo thử nghiệm {next(_outlets)}")
    session.add(changed)
    service.notify(session, recipients=[journalist], kind=NotificationKind.QUESTION_DECLINED,
                   case_path="/my/questions/7",
                   params={"title": title, "organization": "Bộ Thông tin và Truyền thông",
                           "reason": reason})
    session.flush()
    return changed


def _notes(session: Session, user: User) -> list[Notification]:
    return list(session.exec(select(Notification).where(Notification.user_id == user.id)
                             .order_by(col(Notification.id))))


def _mails(session: Session, user: User) -> list[Mail]:
    return list(session.exec(select(Mail).where(Mail.user_id == user.id).order_by(col(Mail.id))))


def test_notify_rows_commit_and_roll_back_with_the_change(session: Session) -> None:
    journalist = factories.user(session, Role.JOURNALIST)
    session.commit()

    decline_question(session, journalist=journalist, title=TITLE, reason="Ngoài phạm vi.")
    session.rollback()
    assert _notes(session, journalist) == []
    assert _mails(session, journalist) == []

    outlet = decline_question(session, journalist=journalist, title=TITLE, reason="Ngoài phạm vi.")
    session.commit()
    assert session.get(Outlet, outlet.id) is not None
    [note] = _notes(session, journalist)
    [mail] = _mails(session, journalist)
    assert note.mail_id == mail.id
    assert mail.state == MailState.PENDING
    assert mail.to_address == journalist.email


def test_notify_writes_vietnamese_subject_and_text_by_default(session: Session) -> None:
    journalist = factories.user(session, Role.JOURNALIST, full_name="Đặng Thu Hà")
    decline_question(session, journalist=journalist, title=TITLE, reason="Thông tin thuộc bí mật nhà nước.")

    [note] = _notes(session, journalist)
    assert note.subject == f"Câu hỏi của bạn bị từ chối: «{TITLE}»"
    assert note.text == ("Bộ Thông tin và Truyền thông đã từ chối câu hỏi. "
                         "Lý do: Thông tin thuộc bí mật nhà nước.")
    assert note.case_path == "/my/questions/7"
    assert note.locale == "vi"
    assert note.kind == NotificationKind.QUESTION_DECLINED
    assert note.read_at is None
    [mail] = _mails(session, journalist)
    assert mail.subject == note.subject
    assert mail.body_text.startswith("Kính gửi Đặng Thu Hà,\n\n" + note.subject + "\n" + note.text)
    assert "https://pressroom.example.vn/my/questions/7" not in mail.body_text  # default base URL
    assert "http://127.0.0.1:8000/my/questions/7" in mail.body_text


def test_notify_writes_in_the_language_the_user_chose(session: Session) -> None:
    officer = factories.user(session, Role.UNIT_OFFICER)
    service.set_preference(session, user=officer, delivery=Delivery.IMMEDIATE, locale="en")

    service.notify(session, recipients=[officer], kind=NotificationKind.QUESTION_ASSIGNED,
                   case_path="/unit/questions/3",
                   params={"title": TITLE, "unit": "Cục Báo chí", "due_date": date(2026, 12, 9)})

    [note] = _notes(session, officer)
    assert note.subject == f"Question assigned to your unit: «{TITLE}»"
    assert note.text == "Cục Báo chí is to answer this question by 09/12/2026."
    assert note.locale == "en"
    [mail] = _mails(session, officer)
    assert mail.body_text.startswith(f"Dear {officer.full_name},\n")


def test_notify_shows_dates_as_vietnamese_read_them(session: Session) -> None:
    officer = factories.user(session, Role.UNIT_OFFICER)
    service.notify(session, recipients=[officer], kind=NotificationKind.ANSWER_DUE_SOON,
                   case_path="/unit/questions/3",
                   params={"title": TITLE, "unit": "Cục Báo chí", "due_date": date(2026, 12, 9)})
    [note] = _notes(session, officer)
    assert note.subject == f"Sắp đến hạn trả lời: «{TITLE}»"
    assert note.text == "Hạn trả lời của Cục Báo chí là 09/12/2026."


def test_notify_skips_inactive_users_and_tells_a_user_named_twice_once(session: Session) -> None:
    case = factories.Case(session)
    deputy = factories.user(session, Role.SPOKESPERSON, org_id=case.ministry.id)
    deputy.is_active = False
    session.add(deputy)
    session.flush()

    service.notify(session, recipients=[case.spokesperson, deputy, case.spokesperson],
                   kind=NotificationKind.QUESTION_SUBMITTED, case_path="/staff/questions/1",
                   params={"title": TITLE, "asker": "Đặng Thu Hà (Báo Nhân Dân)",
                           "organization": case.ministry.name})

    assert len(_notes(session, case.spokesperson)) == 1
    assert len(_mails(session, case.spokesperson)) == 1
    assert _notes(session, deputy) == []
    assert _mails(session, deputy) == []


def test_notify_for_a_digest_user_waits_for_the_digest(session: Session) -> None:
    journalist = factories.user(session, Role.JOURNALIST)
    service.set_preference(session, user=journalist, delivery=Delivery.DIGEST, locale="vi")

    decline_question(session, journalist=journalist, title=TITLE, reason="Trùng lặp.")

    [note] = _notes(session, journalist)
    assert note.awaiting_digest is True
    assert note.mail_id is None
    assert _mails(session, journalist) == []


def test_notify_a_user_without_e_mail_only_in_the_app(session: Session) -> None:
    journalist = factories.user(session, Role.JOURNALIST)
    journalist.email = ""
    session.add(journalist)
    session.flush()

    decline_question(session, journalist=journalist, title=TITLE, reason="Trùng lặp.")

    [note] = _notes(session, journalist)
    assert (note.mail_id, note.awaiting_digest) == (None, False)
    assert _mails(session, journalist) == []


def test_notify_with_a_once_key_tells_each_user_once(session: Session) -> None:
    first, second = (factories.user(session, Role.UNIT_OFFICER) for _ in range(2))
    params = {"title": TITLE, "unit": "Cục Báo chí", "due_date": date(2026, 12, 9)}

    for recipients in ([first], [first, second]):
        service.notify(session, recipients=recipients, kind=NotificationKind.ANSWER_OVERDUE,
                       case_path="/unit/questions/3", params=params,
                       once_key="assignment:3:overdue")

    assert len(_notes(session, first)) == 1
    assert len(_notes(session, second)) == 1
    assert _notes(session, first)[0].subject == f"Quá hạn trả lời: «{TITLE}»"


def test_notify_refuses_missing_parameters_and_paths_off_the_site(session: Session) -> None:
    journalist = factories.user(session, Role.JOURNALIST)
    with pytest.raises(ValueError, match="organization"):
        service.notify(session, recipients=[journalist], kind=NotificationKind.ANSWER_PUBLISHED,
                       case_path="/answers/1", params={"title": TITLE})
    for path in ("https://evil.example/x", "//evil.example/x", "answers/1"):
        with pytest.raises(ValueError, match="local path"):
            service.notify(session, recipients=[journalist],
                           kind=NotificationKind.ANSWER_PUBLISHED, case_path=path,
                           params={"title": TITLE, "organization": "Bộ Y tế"})
    assert _notes(session, journalist) == []


@pytest.mark.parametrize("kind", list(NotificationKind))
def test_every_kind_has_both_languages(kind: NotificationKind) -> None:
    params = {name: "X" for name in KIND_TEXTS[kind].params}
    vi = service.render_kind(kind, params, "vi")
    en = service.render_kind(kind, params, "en")
    assert vi != en
    assert "«X»" in vi[0] and "«X»" in en[0]


def test_mark_read_marks_only_the_users_own(session: Session) -> None:
    journalist, other = (factories.user(session, Role.JOURNALIST) for _ in range(2))
    decline_question(session, journalist=journalist, title=TITLE, reason="Trùng lặp.")
    [note] = _notes(session, journalist)

    with pytest.raises(NotFound):
        service.mark_read(session, user=other, notification_id=note.id or 0)
    assert queries.unread_count(session, journalist.id or 0) == 1

    service.mark_read(session, user=journalist, notification_id=note.id or 0)
    session.refresh(note)
    assert note.read_at is not None
    assert queries.unread_count(session, journalist.id or 0) == 0


def test_mark_all_read_marks_every_unread_one_of_the_user(session: Session) -> None:
    journalist, other = (factories.user(session, Role.JOURNALIST) for _ in range(2))
    for user in (journalist, journalist, other):
        decline_question(session, journalist=user, title=f"{TITLE} {user.id}", reason="Trùng lặp.")

    assert service.mark_all_read(session, user=journalist) == 2
    assert service.mark_all_read(session, user=journalist) == 0
    assert queries.unread_count(session, journalist.id or 0) == 0
    assert queries.unread_count(session, other.id or 0) == 1


def test_set_preference_stores_one_row_per_user(session: Session) -> None:
    journalist = factories.user(session, Role.JOURNALIST)
    service.set_preference(session, user=journalist, delivery=Delivery.DIGEST, locale="en")
    service.set_preference(session, user=journalist, delivery=Delivery.IMMEDIATE, locale="vi")

    rows = list(session.exec(select(NotificationPreference)
                             .where(NotificationPreference.user_id == journalist.id)))
    assert [(r.delivery, r.locale) for r in rows] == [(Delivery.IMMEDIATE, "vi")]
