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

from sqlalchemy import Text, UniqueConstraint, bindparam, delete, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Field, Session, SQLModel, col, select

from pressroom.core.clock import now
from pressroom.core.db import UTCDateTime, table_of
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


def _stored(session: Session, user_id: int, key: str) -> SubmissionKey | None:
    return session.exec(select(SubmissionKey).where(
        SubmissionKey.user_id == user_id, SubmissionKey.key == key)).first()


# Built once on the table: constructing a statement cost about as much as running it
# (measured on PostgreSQL: the reservation 400 µs as built per call through the ORM, 175 µs
# prebuilt on the table; the settling update 410 µs, 220 µs prebuilt on the entity, 120 µs on
# the table), and these never change (values are bound at execution).
_TABLE = table_of(SubmissionKey)
_RESERVE = {
    dialect: insert(_TABLE).on_conflict_do_nothing(index_elements=["user_id", "key"])
    .returning(_TABLE.c.id)
    for dialect, insert in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))
}
_SETTLE = (
    update(_TABLE).where(_TABLE.c.id == bindparam("slot_id"))
    .values(status=bindparam("new_status"), location=bindparam("new_location"),
            body=bindparam("new_body"))
)


def claim(session: Session, *, user_id: int, key: str, print_: str) -> SubmissionKey:
    """The key's row: either the earlier request's (its ``status`` is set: replay it) or a new
    reservation in this transaction (``status`` 0: do the work, then ``settle`` it).
    Errors: ValidationFailed when the key was used for a different request."""
    reserve = _RESERVE["postgresql" if session.get_bind().dialect.name == "postgresql"
                       else "sqlite"]
    for _attempt in range(3):
        # One statement in the usual case (a new key). A concurrent request with the same key
        # makes this one wait until it commits (then: a conflict, and its result is read).
        moment = now()
        new_id = session.execute(reserve, {
            "user_id": user_id, "key": key, "fingerprint": print_, "status": 0, "location": "",
            "body": "", "created_at": moment}).scalar()
        if new_id is not None:
            return SubmissionKey(id=new_id, user_id=user_id, key=key, fingerprint=print_,
                                 created_at=moment)
        earlier = _stored(session, user_id, key)
        if earlier is None:  # removed since (housekeeping): try again
            continue
        if earlier.created_at <= moment - LIFETIME:  # an expired use of the key
            session.execute(delete(SubmissionKey).where(col(SubmissionKey.id) == earlier.id))
            continue
        if earlier.fingerprint != print_:
            raise ValidationFailed(
                _("This submission key was already used for a different request. Send a new "
                  "key (or reload the form) to make a new one."))
        return earlier
    raise RuntimeError("the submission key could not be reserved")


def settle(session: Session, slot: SubmissionKey | None, *, status: int, location: str = "",
           body: Any = None) -> None:
    """Stores the result the first request got, for its repeats (nothing without a key)."""
    if slot is None:
        return
    # On the session's connection (its transaction): the reservation is never loaded into
    # the session, so there is nothing to synchronise, and no public page shows submission
    # keys (core/pagecache.py would count an UPDATE of a table it cannot name as a change).
    session.connection().execute(_SETTLE, {
        "slot_id": slot.id, "new_status": status, "new_location": location,
        "new_body": "" if body is None else json.dumps(body, ensure_ascii=False, default=str)})
