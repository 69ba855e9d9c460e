"""Reads of notifications, always scoped: a user reads only their own; the outbox is for the
administrators' page (the route's rule decides who sees it)."""

from __future__ import annotations

from functools import cache

from sqlalchemy import bindparam, func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from pressroom.notifications.enums import MailState
from pressroom.notifications.models import Mail, Notification, NotificationPreference

UNSENT = (MailState.PENDING, MailState.SENDING, MailState.FAILED, MailState.KEPT)


def notifications_of(session: Session, user_id: int, limit: int, offset: int) -> list[Notification]:
    """``user_id``'s notifications, newest first."""
    return list(session.exec(
        select(Notification).where(Notification.user_id == user_id)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .offset(offset).limit(limit)))


def unread_count(session: Session, user_id: int) -> int:
    """How many of ``user_id``'s notifications are unread (one COUNT on an index)."""
    return int(session.exec(
        select(func.count()).select_from(Notification)
        .where(Notification.user_id == user_id, col(Notification.read_at).is_(None))).one())


def preference_of(session: Session, user_id: int) -> NotificationPreference | None:
    return session.get(NotificationPreference, user_id)


def preferences_of(session: Session, user_ids: set[int]) -> dict[int, NotificationPreference]:
    """The stored choices of many users in one query (users without one are left out)."""
    if not user_ids:
        return {}
    rows = session.exec(_preferences_query(), params={"user_ids": list(user_ids)})
    return {row.user_id: row for row in rows}


@cache
def _preferences_query() -> SelectOfScalar[NotificationPreference]:
    # Built once, the ids bound at execution (every notify runs it; see notify).
    return select(NotificationPreference).where(
        col(NotificationPreference.user_id).in_(bindparam("user_ids", expanding=True)))


def outbox(session: Session, states: tuple[MailState, ...], limit: int, offset: int) -> list[Mail]:
    """Mail in ``states``, newest first (the administrators' outbox page)."""
    return list(session.exec(
        select(Mail).where(col(Mail.state).in_(states))
        .order_by(col(Mail.created_at).desc(), col(Mail.id).desc())
        .offset(offset).limit(limit)))


def outbox_counts(session: Session) -> dict[MailState, int]:
    """How many mails are in each state."""
    rows = session.exec(select(Mail.state, func.count()).group_by(Mail.state))
    return {MailState(state): int(count) for state, count in rows}


def mail_by_id(session: Session, mail_id: int) -> Mail | None:
    return session.get(Mail, mail_id)


def notifications_of_mail(session: Session, mail_id: int) -> list[Notification]:
    return list(session.exec(select(Notification).where(Notification.mail_id == mail_id)
                             .order_by(col(Notification.id))))
