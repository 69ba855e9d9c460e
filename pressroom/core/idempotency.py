"""Each create happens once: a one-time submission key (a hidden field of a create form, the
``Idempotency-Key`` header of an API create) is reserved in the same transaction as the work.
A repeat of the key returns the first result (same id and status) instead of making a second
row; the same key with a different request is refused; keys expire after 24 hours.

Concurrent repeats are safe: the key is unique per user, so the second transaction waits on
the first's reservation and then reads its result.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any, ClassVar

from sqlalchemy import Text, UniqueConstraint, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select

from pressroom.core.clock import now
from pressroom.core.db import UTCDateTime
from pressroom.core.errors import ValidationFailed
from pressroom.core.i18n import gettext as _

LIFETIME = timedelta(hours=24)
KEY_PATTERN = r"^[A-Za-z0-9_\-.:]{8,100}$"


class SubmissionKey(SQLModel, table=True):
    """A used submission key and the result the first request got."""

    __tablename__ = "submission_key"
    public_pages: ClassVar[str] = "never"  # see core/pagecache.py
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE")
    key: str = Field(max_length=100)
    fingerprint: str = Field(max_length=64)
    status: int = Field(default=0)
    location: str = Field(default="", max_length=500)
    body: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False,
                                 index=True)


def fingerprint(method: str, path: str, content: Any) -> str:
    """What makes two requests "the same": method, path and the (JSON-able) content."""
    canonical = json.dumps([method.upper(), path, content], ensure_ascii=False, sort_keys=True,
                           separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _stored(session: Session, user_id: int, key: str, print_: str) -> SubmissionKey | None:
    row = session.exec(select(SubmissionKey).where(
        SubmissionKey.user_id == user_id, SubmissionKey.key == key,
        col(SubmissionKey.created_at) > now() - LIFETIME)).first()
    if row is not None and row.fingerprint != print_:
        raise ValidationFailed(
            _("This submission key was already used for a different request. Send a new "
              "key (or reload the form) to make a new one."))
    return row


def claim(session: Session, *, user_id: int, key: str, print_: str) -> SubmissionKey:
    """The key's row: either the earlier request's (its ``status`` is set: replay it) or a new
    reservation in this transaction (``status`` 0: do the work, then ``settle`` it).
    Errors: ValidationFailed when the key was used for a different request."""
    earlier = _stored(session, user_id, key, print_)
    if earlier is not None:
        return earlier
    for attempt in (1, 2):
        slot = SubmissionKey(user_id=user_id, key=key, fingerprint=print_)
        try:
            with session.begin_nested():
                session.add(slot)
                session.flush()
            return slot
        except IntegrityError:
            # The same key committed by a concurrent request while this one waited on it...
            earlier = _stored(session, user_id, key, print_)
            if earlier is not None:
                return earlier
            if attempt == 2:
                raise
            # ...or an expired use of it (rare, so not looked for before the insert).
            session.execute(delete(SubmissionKey).where(
                col(SubmissionKey.user_id) == user_id, col(SubmissionKey.key) == key,
                col(SubmissionKey.created_at) <= now() - LIFETIME))
    raise AssertionError("unreachable")


def settle(session: Session, slot: SubmissionKey | None, *, status: int, location: str = "",
           body: Any = None) -> None:
    """Stores the result the first request got, for its repeats (nothing without a key)."""
    if slot is None:
        return
    slot.status = status
    slot.location = location
    slot.body = "" if body is None else json.dumps(body, ensure_ascii=False, default=str)
    session.add(slot)
    session.flush()
