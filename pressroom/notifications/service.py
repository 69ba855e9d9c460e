"""Every write of notifications: telling users of an event (in the caller's transaction),
reading them, and each user's choice of mail.

``notify`` is called by the services of other domains inside the transaction of the change
that causes the notification, and never commits: when that transaction rolls back, nobody is
told of a change that did not happen (a transactional outbox). The dispatcher sends the mail
after the commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from pressroom.accounts.models import User
from pressroom.core.clock import now
from pressroom.core.config import get_settings
from pressroom.core.db import table_of
from pressroom.core.errors import NotFound, ValidationFailed
from pressroom.core.i18n import LOCALES, fmt_date, fmt_datetime, gettext
from pressroom.core.i18n import gettext as _
from pressroom.notifications.enums import KIND_TEXTS, Delivery, MailState, NotificationKind
from pressroom.notifications.mail import MailItem, absolute, compose, new_message_id, one_line, speaking
from pressroom.notifications.models import Mail, Notification, NotificationPreference
from pressroom.notifications.permissions import can_read
from pressroom.notifications.queries import preferences_of


def default_locale() -> str:
    return get_settings().default_locale


def _shown(value: Any) -> str:
    """A parameter as the recipient reads it (call within ``speaking``)."""
    if isinstance(value, datetime):
        return fmt_datetime(value)
    if isinstance(value, date):
        return fmt_date(value)
    return str(value)


def render_kind(kind: NotificationKind, params: Mapping[str, Any], locale: str) -> tuple[str, str]:
    """(subject, text) of ``kind`` in ``locale``. Errors: ValueError for a missing parameter."""
    texts = KIND_TEXTS[kind]
    missing = texts.params - params.keys()
    if missing:
        raise ValueError(f"notification {kind.value} needs the parameters {sorted(missing)}")
    with speaking(locale):
        values = {name: _shown(value) for name, value in params.items()}
        return one_line(gettext(texts.subject) % values), gettext(texts.text) % values


def _check_path(case_path: str) -> None:
    if not case_path.startswith("/") or case_path.startswith(("//", "/\\")) or len(case_path) > 300:
        raise ValueError(f"case_path must be a local path, not {case_path!r}")


def mail_values(user: User, *, locale: str, items: list[MailItem], digest: bool
                ) -> dict[str, Any]:
    """The column values of the mail that tells ``user`` of ``items``, rendered now."""
    body = compose(name=user.full_name, locale=locale, items=items, digest=digest)
    return {"user_id": user.id or 0, "to_address": user.email, "to_name": user.full_name,
            "subject": body.subject, "body_text": body.text, "body_html": body.html,
            "message_id": new_message_id(), "is_digest": digest}


def new_mail(user: User, *, locale: str, notes: list[Notification], digest: bool) -> Mail:
    """The mail that tells ``user`` of ``notes`` (one, or a digest), rendered now."""
    items = [MailItem(subject=n.subject, text=n.text, url=absolute(n.case_path), at=n.created_at)
             for n in notes]
    return Mail(**mail_values(user, locale=locale, items=items, digest=digest))


# Built once: the columns are fixed, so SQLAlchemy compiles and caches them once.
_INSERT_MAILS = insert(table_of(Mail)).returning(table_of(Mail).c.id,
                                                  sort_by_parameter_order=True)
_INSERT_NOTIFICATIONS = insert(table_of(Notification))


def notify(
    session: Session,
    *,
    recipients: list[User],
    kind: NotificationKind,
    case_path: str,
    params: dict[str, Any],
    once_key: str | None = None,
) -> int:
    """Tells each of ``recipients`` of an event about the case at ``case_path`` (a local path
    such as ``/staff/questions/12``), in the caller's transaction; never commits. The subject
    and text are written now, in each recipient's language (their choice on the notifications
    page, else the default), from ``params`` (``KIND_TEXTS[kind].params``: always ``title``).

    Inactive users are skipped, and a user named twice is told once. ``once_key`` (say
    ``"assignment:12:due_soon"``) tells each user at most once for that key, for reminders
    that a periodic job may try again.

    Side effects: inserts a Notification per recipient and, for those who take mail straight
    away and have an e-mail address, a pending Mail; those who take the daily digest get it
    there; a user without an e-mail address gets no mail. Returns how many were told.
    Errors: ValueError (a programming error: a parameter missing, a case_path that is not a
    local path, a once_key longer than 120 characters).
    """
    _check_path(case_path)
    if once_key is not None and not 0 < len(once_key) <= 120:
        raise ValueError("once_key must have 1 to 120 characters")
    missing = KIND_TEXTS[kind].params - params.keys()
    if missing:
        raise ValueError(f"notification {kind.value} needs the parameters {sorted(missing)}")
    targets: dict[int, User] = {}
    for user in recipients:
        if user.is_active and user.id is not None:
            targets.setdefault(user.id, user)
    if once_key is not None and targets:
        told = set(session.exec(select(Notification.user_id).where(
            Notification.once_key == once_key, col(Notification.user_id).in_(targets))))
        targets = {uid: user for uid, user in targets.items() if uid not in told}
    if not targets:
        return 0
    prefs = preferences_of(session, set(targets))
    moment = now()
    # Plain rows in two bulk INSERTs (mail first: a notification names its mail), not ORM
    # objects and two flushes: nothing here reads them back, and on a burst of submissions
    # the unit of work cost more than the statements themselves.
    notes: list[dict[str, Any]] = []
    mails: list[dict[str, Any]] = []
    mailed: list[dict[str, Any]] = []  # the notes that get a mail, in the order of ``mails``
    for uid, user in targets.items():
        pref = prefs.get(uid)
        locale = pref.locale if pref is not None else default_locale()
        digest = pref is not None and pref.delivery == Delivery.DIGEST
        subject, text = render_kind(kind, params, locale)
        note = {"user_id": uid, "kind": kind, "subject": subject, "text": text,
                "case_path": case_path, "locale": locale, "created_at": moment,
                "read_at": None, "mail_id": None,
                "awaiting_digest": digest and bool(user.email), "once_key": once_key}
        if user.email and not digest:
            item = MailItem(subject=subject, text=text, url=absolute(case_path), at=moment)
            mails.append({**mail_values(user, locale=locale, items=[item], digest=False),
                          "state": MailState.PENDING, "created_at": moment,
                          "next_attempt_at": moment})
            mailed.append(note)
        notes.append(note)
    if mails:
        ids = session.execute(_INSERT_MAILS, mails).scalars().all()
        for note, mail_id in zip(mailed, ids, strict=True):
            note["mail_id"] = mail_id
    session.execute(_INSERT_NOTIFICATIONS, notes)
    return len(notes)


def mark_read(session: Session, *, user: User, notification_id: int) -> None:
    """Marks one of ``user``'s notifications read (again: no change).
    Side effects: sets read_at. Errors: NotFound (no such notification of this user)."""
    found = session.get(Notification, notification_id)
    if found is None or not can_read(user, found):
        raise NotFound(_("This notification does not exist or is not yours."))
    session.execute(
        update(Notification)
        .where(col(Notification.id) == notification_id, col(Notification.read_at).is_(None))
        .values(read_at=now())
        .execution_options(synchronize_session=False))


def mark_all_read(session: Session, *, user: User) -> int:
    """Marks every unread notification of ``user`` read. Side effects: sets read_at. Returns
    how many were unread."""
    result = session.execute(
        update(Notification)
        .where(col(Notification.user_id) == user.id, col(Notification.read_at).is_(None))
        .values(read_at=now())
        .execution_options(synchronize_session=False))
    return int(result.rowcount)  # type: ignore[attr-defined]


def set_preference(session: Session, *, user: User, delivery: Delivery, locale: str) -> None:
    """Sets how ``user`` gets mail and in which language notifications are written from now
    on (what was already written stays). Side effects: inserts or updates the user's
    NotificationPreference (one statement, so two at once do not collide).
    Errors: ValidationFailed (a language Pressroom does not speak)."""
    if locale not in LOCALES:
        raise ValidationFailed(_("Choose a language."), fields={"locale": _("Choose a language.")})
    values = {"user_id": user.id, "delivery": Delivery(delivery), "locale": locale,
              "updated_at": now()}
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(NotificationPreference).values(**values)
    session.execute(statement.on_conflict_do_update(
        index_elements=["user_id"],
        set_={"delivery": statement.excluded.delivery, "locale": statement.excluded.locale,
              "updated_at": statement.excluded.updated_at}))
