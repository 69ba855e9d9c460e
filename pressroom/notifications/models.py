"""Notifications (the in-app list), the outgoing mail that carries them (the outbox) and each
user's choice of how to get mail.

A notification is one row per recipient, its subject and text written in the recipient's
language when it is made. Mail is a row of its own because a daily digest carries many
notifications in one mail; a user who takes mail straight away gets one mail per
notification.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import CheckConstraint, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from pressroom.core.clock import now
from pressroom.core.db import UTCDateTime, enum_column
from pressroom.notifications.enums import Delivery, MailState, NotificationKind


class Mail(SQLModel, table=True):
    """One outgoing mail, rendered in full when it is made, so that what is sent (or kept) is
    what the row holds. A dispatcher takes it by writing its lease (``lease_owner`` until
    ``lease_until``) and marks it sent once the server has the whole message (see
    notifications/dispatcher.py for why exactly then)."""

    __tablename__ = "notification_mail"
    public_pages: ClassVar[str] = "never"  # see core/pagecache.py
    __table_args__ = (
        Index("ix_notification_mail_due", "state", "next_attempt_at"),
        CheckConstraint("(state = 'sent') = (sent_at IS NOT NULL)", name="sent_has_time"),
        CheckConstraint("state <> 'sending' OR (lease_owner IS NOT NULL AND lease_until IS NOT NULL)",
                        name="sending_has_lease"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # None for a mail to an address that is no user's (an e-mail alert, alerts/service.py).
    user_id: int | None = Field(default=None, foreign_key="user_account.id", index=True,
                                ondelete="CASCADE")
    to_address: str = Field(max_length=254)
    to_name: str = Field(default="", max_length=200)
    subject: str = Field(max_length=300)
    body_text: str = Field(sa_type=Text)
    body_html: str = Field(sa_type=Text)
    message_id: str = Field(max_length=200, sa_column_kwargs={"unique": True})
    is_digest: bool = Field(default=False)
    # The address that ends the subscription this mail comes from (an e-mail alert): sent as
    # List-Unsubscribe with RFC 8058's one-click List-Unsubscribe-Post; empty for others.
    list_unsubscribe: str = Field(default="", max_length=300)
    state: MailState = Field(default=MailState.PENDING, sa_column=enum_column(MailState, "mail_state"))
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
    lease_owner: str | None = Field(default=None, max_length=100)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False,
                                 index=True)


class Notification(SQLModel, table=True):
    """One event told to one user: shown in their list (unread until ``read_at``) and carried
    by a mail of its own (``mail_id``), or waiting for the user's daily digest
    (``awaiting_digest``), or by no mail (no e-mail address)."""

    __tablename__ = "notification"
    public_pages: ClassVar[str] = "never"
    __table_args__ = (
        Index("ix_notification_user_unread", "user_id", "read_at"),
        Index("ix_notification_awaiting_digest", "awaiting_digest", "created_at"),
        UniqueConstraint("user_id", "once_key"),
        CheckConstraint("NOT (awaiting_digest AND mail_id IS NOT NULL)", name="digest_or_mail"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE")
    kind: NotificationKind = Field(sa_column=enum_column(NotificationKind, "notification_kind"))
    subject: str = Field(max_length=300)
    text: str = Field(sa_type=Text)
    case_path: str = Field(max_length=300)
    locale: str = Field(default="vi", max_length=5)
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    mail_id: int | None = Field(default=None, foreign_key="notification_mail.id", index=True)
    awaiting_digest: bool = Field(default=False)
    once_key: str | None = Field(default=None, max_length=120)


class NotificationPreference(SQLModel, table=True):
    """A user's choice of mail (straight away or a daily digest) and of the language of their
    notifications. Without a row: straight away, in the default language."""

    __tablename__ = "notification_preference"
    public_pages: ClassVar[str] = "never"

    user_id: int = Field(primary_key=True, foreign_key="user_account.id", ondelete="CASCADE")
    delivery: Delivery = Field(default=Delivery.IMMEDIATE,
                               sa_column=enum_column(Delivery, "delivery"))
    locale: str = Field(default="vi", max_length=5)
    updated_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
