"""Alert subscriptions: an e-mail address following a ministry, a conference or a search.

Nothing personal beyond the address is kept: no name, no IP address, no browser. The
interface language chosen when following is kept to write the mail in it. A subscription
is active once its address confirmed it (double opt-in); an unconfirmed one is deleted once
its confirmation link expired, an unsubscribed one at once.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from pressroom.alerts.enums import AlertTarget
from pressroom.core.clock import now
from pressroom.core.db import UTCDateTime, enum_column


class AlertSubscription(SQLModel, table=True):
    """One address following one thing. ``target_key`` names the thing ("ministry:3",
    "conference:9", "search:<digest of the query and its filters>") so that an address
    follows it once. The confirmation token is stored as its SHA-256 digest only
    (``confirm_digest``, cleared once confirmed); the unsubscribe links are signed with the
    server's secret over the row's id and ``key`` (see alerts/service.py)."""

    __tablename__ = "alert_subscription"
    public_pages: ClassVar[str] = "never"  # see core/pagecache.py
    __table_args__ = (
        UniqueConstraint("email", "target_key"),
        Index("ix_alert_subscription_follows", "target", "organization_id", "conference_id"),
        CheckConstraint("(target <> 'ministry') OR organization_id IS NOT NULL",
                        name="ministry_named"),
        CheckConstraint("(target <> 'conference') OR conference_id IS NOT NULL",
                        name="conference_named"),
        CheckConstraint("(target <> 'search') OR query <> ''", name="search_has_query"),
        CheckConstraint("(confirmed_at IS NULL) <> (confirm_digest IS NULL)",
                        name="confirmed_or_waiting"),
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    target: AlertTarget = Field(sa_column=enum_column(AlertTarget, "alert_target"))
    target_key: str = Field(max_length=100)
    organization_id: int | None = Field(default=None, foreign_key="organization.id",
                                        ondelete="CASCADE")
    conference_id: int | None = Field(default=None, foreign_key="press_conference.id",
                                      ondelete="CASCADE", index=True)
    # A followed search: the query as typed and the search page's filters.
    query: str = Field(default="", max_length=500)
    search_kind: str = Field(default="", max_length=20)
    search_organization_id: int | None = Field(default=None)
    search_year: int | None = Field(default=None)
    # What is followed, as the mails name it (a ministry's name, a conference's title, the
    # query), written when following.
    label: str = Field(max_length=300)
    locale: str = Field(default="vi", max_length=5)
    key: str = Field(max_length=64)
    confirm_digest: str | None = Field(default=None, max_length=64, unique=True)
    confirm_sent_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
    confirm_expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)


class AlertedItem(SQLModel, table=True):
    """A public thing whose followers were told: each is told of once (a scheduled answer is
    told of by the periodic job when its time comes, which may run more than once)."""

    __tablename__ = "alerted_item"
    public_pages: ClassVar[str] = "never"

    kind: str = Field(primary_key=True, max_length=20)
    ref_id: int = Field(primary_key=True)
    mails: int = Field(default=0)
    alerted_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
