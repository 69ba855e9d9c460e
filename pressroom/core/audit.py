"""The record of who did what (audit trail): an append-only, hash-chained table of events.

Services call ``record(...)`` for every state change and edit, in the same transaction and
*before* they flush, so that the changed fields are read from the object's pending attribute
history. Each event holds the SHA-256 of the previous event and of its own canonical JSON;
``verify`` recomputes the chain.

Events are linked into the chain and inserted when the transaction commits (or earlier, when
the transaction itself reads events), not when they are recorded: extending the chain takes
a lock that is held until the commit, so concurrent writers queue only for the last moment
of their transactions instead of for everything they do after their first change. Nothing
updates or deletes an event (a test checks the code, and database triggers refuse it).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, ClassVar, Protocol

from sqlalchemy import Index, Text, insert, inspect, select, text
from sqlalchemy import event as sa_event
from sqlalchemy.orm import ORMExecuteState, SessionTransaction
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Field, Session, SQLModel, col

from pressroom.core.clock import now
from pressroom.core.db import UTCDateTime, table_of
from pressroom.core.formtools import FIELD_LABELS
from pressroom.core.i18n import fmt_date, fmt_datetime, gettext, lazy, ngettext

GENESIS = "0" * 64
# Fields whose change is noise in the record (bookkeeping that every write touches).
IGNORED_FIELDS = frozenset({"row_version", "updated_at", "created_at", "password_hash"})
CHAIN_LOCK = 7_346_201  # pg_advisory_xact_lock key: one writer extends the chain at a time
PENDING = "audit_pending"  # session.info key: this transaction's events, not yet chained


class Actor(Protocol):
    id: int | None
    full_name: str

    @property
    def role(self) -> Any: ...


class Ref:
    """Names a row without loading it (a subject or case given by table name and id)."""

    def __init__(self, table: str, row_id: int) -> None:
        self.__tablename__ = table
        self.id = row_id


class Event(SQLModel, table=True):
    """One change: who (and in which role), when, what action, on what, and the fields before
    and after. Rows are only ever inserted."""

    __tablename__ = "event"
    public_pages: ClassVar[str] = "never"  # see core/pagecache.py
    __table_args__ = (Index("ix_event_case", "case_type", "case_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    actor_id: int | None = Field(default=None)
    actor_name: str = Field(default="", max_length=200)
    actor_role: str = Field(max_length=30)
    action: str = Field(max_length=60)
    subject_type: str = Field(max_length=30)
    subject_id: int
    case_type: str = Field(max_length=30)
    case_id: int
    changes: str = Field(default="{}", sa_type=Text)
    prev_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def pending_changes(obj: Any) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the fields changed on ``obj`` since it was loaded
    (for a new object: every field that has a value)."""
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in IGNORED_FIELDS or key == "id":
            continue
        if state.transient or state.pending:
            value = getattr(obj, key)
            if value not in (None, ""):
                changes[key] = [None, _plain(value)]
            continue
        history = state.attrs[key].history
        if history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before != after:
                changes[key] = [_plain(before), _plain(after)]
    return changes


def canonical(content: dict[str, Any]) -> bytes:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _content(event: Event | _Recorded) -> dict[str, Any]:
    return {
        "at": _plain(event.at),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "actor_role": event.actor_role,
        "action": event.action,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "case_type": event.case_type,
        "case_id": event.case_id,
        "changes": json.loads(event.changes),
        "prev_hash": event.prev_hash,
    }


def event_hash(event: Event | _Recorded) -> str:
    return hashlib.sha256(canonical(_content(event))).hexdigest()


# Built once (statements are compiled and cached by their construction; these never change).
_CHAIN_LOCK = text("SELECT pg_advisory_xact_lock(:key)")
_HEAD = select(col(Event.hash)).order_by(col(Event.id).desc()).limit(1)
_INSERT_EVENTS = insert(table_of(Event))
_EVENT_COLUMNS = tuple(c.name for c in table_of(Event).c if c.name != "id")


def _last_hash(session: OrmSession) -> str:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_CHAIN_LOCK, {"key": CHAIN_LOCK})
    # On SQLite every writing transaction already holds the database's write lock.
    last = session.execute(_HEAD).scalar()
    return last or GENESIS


@dataclass
class _Recorded:
    """An event recorded but not yet chained: the columns of an Event row, without the cost of
    a model object (nothing reads it back)."""

    at: datetime
    actor_id: int | None
    actor_name: str
    actor_role: str
    action: str
    subject_type: str
    subject_id: int
    case_type: str
    case_id: int
    changes: str
    prev_hash: str = ""
    hash: str = ""


def record(
    session: Session,
    *,
    actor: Actor | None,
    action: str,
    subject: Any,
    case: Any | None = None,
    changes: dict[str, list[Any]] | None = None,
) -> None:
    """Records an event for ``subject`` (shown in the history of ``case``, default the
    subject). Call it after changing the subject and before flushing. ``subject`` needs an
    id: a new row is flushed first. Side effects: the event is chained and inserted when the
    transaction commits or first reads events; a rollback drops it."""
    found = pending_changes(subject) if changes is None else changes
    if subject.id is None:
        session.add(subject)
        session.flush()
    case = subject if case is None else case
    role = getattr(actor, "role", None) if actor is not None else None
    session.info.setdefault(PENDING, []).append(_Recorded(
        at=now(),
        actor_id=actor.id if actor is not None else None,
        actor_name=actor.full_name if actor is not None else "",
        actor_role=_plain(role) if role is not None else "system",
        action=action,
        subject_type=subject.__tablename__,
        subject_id=subject.id,
        case_type=case.__tablename__,
        case_id=case.id,
        changes=json.dumps(_plain(found), ensure_ascii=False, sort_keys=True),
    ))


def _chain_pending(session: OrmSession) -> None:
    """Links this transaction's recorded events to the head of the chain and inserts them."""
    pending: list[_Recorded] = session.info.pop(PENDING, [])
    if not pending:
        return
    previous = _last_hash(session)
    moment = now()  # under the chain's lock, so that the record's times follow its order
    for item in pending:
        item.at = moment
        item.prev_hash = previous
        item.hash = event_hash(item)
        previous = item.hash
    # One INSERT of plain rows, not the unit of work: it runs at commit, when nothing else is
    # left to flush, and nothing reads them back.
    session.execute(_INSERT_EVENTS, [{name: getattr(item, name) for name in _EVENT_COLUMNS}
                                     for item in pending])


@sa_event.listens_for(OrmSession, "before_commit")
def _chain_before_commit(session: OrmSession) -> None:
    _chain_pending(session)


@sa_event.listens_for(OrmSession, "do_orm_execute")
def _chain_before_reading(state: ORMExecuteState) -> None:
    # A transaction reads its own events (a page showing the history it has just added).
    if PENDING in state.session.info and state.is_select and any(
            mapper.class_ is Event for mapper in state.all_mappers):
        _chain_pending(state.session)


@sa_event.listens_for(OrmSession, "after_transaction_end")
def _drop_unchained(session: OrmSession, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # rolled back or closed without a commit
        session.info.pop(PENDING, None)


@dataclass(frozen=True)
class Break:
    event_id: int
    reason: str


def verify(session: Session, *, batch: int = 1000) -> tuple[int, Break | None]:
    """Walks the chain in order: (events checked, the first broken link or None)."""
    previous = GENESIS
    count = 0
    for event in _all_events(session, batch):
        count += 1
        if event.prev_hash != previous:
            return count, Break(event.id or 0, "prev_hash does not match the previous event")
        if event_hash(event) != event.hash:
            return count, Break(event.id or 0, "content does not match its hash")
        previous = event.hash
    return count, None


def _all_events(session: Session, batch: int) -> Iterator[Event]:
    last_id = 0
    while True:
        rows = list(session.execute(
            select(Event).where(Event.id > last_id).order_by(Event.id).limit(batch)  # type: ignore[arg-type, operator]
        ).scalars())
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id or 0
        session.expunge_all()


def history(session: Session, case: Any, *, after: int = 0) -> list[Event]:
    """Every event shown on ``case``'s page (after event ``after``), oldest first."""
    return list(session.execute(
        select(Event)
        .where(col(Event.case_type) == case.__tablename__, col(Event.case_id) == case.id,
               col(Event.id) > after)
        .order_by(col(Event.id))
    ).scalars())


LONG_FIELDS = frozenset({"body", "review_comment", "rejection_reason", "note", "description",
                         "reason", "correction_reason"})


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str
    long: bool


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    at: datetime
    actor_name: str
    actor_role: str
    action: str
    label: str
    changes: list[Change]


def values_before(session: Session, case: Any, *, after: int) -> dict[str, Any]:
    """For each field changed on ``case`` since event ``after``: its value before the first of
    those changes (what a form read at that point showed)."""
    before: dict[str, Any] = {}
    for event in history(session, case, after=after):
        for field, (old, _new) in json.loads(event.changes).items():
            before.setdefault(field, old)
    return before


def _shown(value: Any, names: dict[str, str]) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list):
        if value and isinstance(value[0], dict):  # transcript turns
            return ngettext("%(num)s turn", "%(num)s turns", len(value))
        return ", ".join(_shown(v, names) for v in value)
    text_value = str(value)
    if text_value in names:
        return names[text_value]
    if isinstance(value, str) and len(value) >= 16 and value[4:5] == "-" and value[10:11] == "T":
        try:
            return fmt_datetime(datetime.fromisoformat(value))
        except ValueError:
            return text_value
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return fmt_date(date.fromisoformat(value))
        except ValueError:
            return text_value
    return text_value


def history_entries(
    session: Session, case: Any, *, roles: dict[str, str],
    values: dict[tuple[str, str], dict[str, str]] | None = None, after: int = 0,
) -> list[HistoryEntry]:
    """``case``'s history for its page (the events after event ``after``): labels translated,
    values shown as people read them (``values[(subject_type, field)]`` maps stored values
    such as states or ids to names)."""
    values = values or {}
    entries = []
    for event in history(session, case, after=after):
        changes = []
        for field, (before, after) in sorted(json.loads(event.changes).items()):
            if field.endswith("_by_id") or field in ("question_id", "conference_id"):
                continue
            names = values.get((event.subject_type, field), {})
            changes.append(Change(
                field=field, label=gettext(FIELD_LABELS.get(field, field)),
                before=_shown(before, names), after=_shown(after, names),
                long=field in LONG_FIELDS,
            ))
        entries.append(HistoryEntry(
            id=event.id or 0, at=event.at, actor_name=event.actor_name or gettext("System"),
            actor_role=roles.get(event.actor_role, ""), action=event.action,
            label=gettext(ACTION_LABELS.get(event.action, event.action)), changes=changes,
        ))
    return entries


CSV_COLUMNS = ("id", "at", "actor_id", "actor_name", "actor_role", "action", "subject_type",
               "subject_id", "case_type", "case_id", "changes", "prev_hash", "hash")


def _cell(value: Any) -> str:
    text_value = "" if value is None else str(value)
    # A spreadsheet would run a cell starting with these as a formula (CSV injection).
    return "'" + text_value if text_value[:1] in ("=", "+", "-", "@", "\t", "\r") else text_value


def csv_lines(session: Session, batch: int = 1000) -> Iterator[str]:
    """The whole record as CSV (UTF-8 with a byte-order mark so spreadsheets keep the
    diacritics), oldest first, read in batches."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + out.getvalue()
    for event in _all_events(session, batch):
        out.seek(0)
        out.truncate()
        row = event.model_dump()
        row["at"] = event.at.isoformat()
        writer.writerow([_cell(row[column]) for column in CSV_COLUMNS])
        yield out.getvalue()


ACTION_LABELS = {
    "conference.created": lazy("Press conference scheduled"),
    "conference.updated": lazy("Details changed"),
    "conference.announced": lazy("Announced"),
    "conference.held": lazy("Recorded as held"),
    "conference.live": lazy("Went live"),
    "conference.ended": lazy("Ended"),
    "accreditation.requested": lazy("Journalist registered"),
    "live_question.asked": lazy("Live question sent"),
    "live_question.approve": lazy("Live question approved"),
    "live_question.decline": lazy("Live question declined"),
    "live_question.screen": lazy("Live question put on screen"),
    "live_question.unscreen": lazy("Live question taken off the screen"),
    "live_question.answered": lazy("Live question answered"),
    "live_question.highlight": lazy("Live question highlighted"),
    "live_question.unhighlight": lazy("Live question no longer highlighted"),
    "live_question.up": lazy("Live question moved up"),
    "live_question.down": lazy("Live question moved down"),
    "live_question.deferred": lazy("Live question to be answered in writing"),
    "accreditation.approved": lazy("Accreditation approved"),
    "accreditation.declined": lazy("Accreditation declined"),
    "conference.cancelled": lazy("Cancelled"),
    "conference.postponed": lazy("Postponed"),
    "conference.transcript_saved": lazy("Transcript saved"),
    "conference.transcript_published": lazy("Transcript published"),
    "question.submitted": lazy("Question sent"),
    "question.accepted": lazy("Accepted"),
    "question.rejected": lazy("Declined"),
    "question.assigned": lazy("Assigned to a unit"),
    "question.answered": lazy("Answer approved"),
    "question.published": lazy("Published"),
    "question.moved_to_writing": lazy("Became a written question"),
    "question.deferred_from_live": lazy("Asked live, to be answered in writing"),
    "question.edited": lazy("Edited by the journalist"),
    "question.withdrawn": lazy("Withdrawn by the journalist"),
    "question.merged": lazy("Merged into another question"),
    "question.transferred": lazy("Transferred to another ministry"),
    "question.holding_reply": lazy("Holding reply sent"),
    "question.extended": lazy("Due date extended"),
    "question.claimed": lazy("Taken by an officer"),
    "question.released": lazy("Given back to the unit's queue"),
    "comment.added": lazy("Internal comment"),
    "attachment.added": lazy("File attached"),
    "attachment.published": lazy("File shown with the answer"),
    "attachment.withdrawn": lazy("File no longer shown with the answer"),
    "answer.drafted": lazy("Draft saved"),
    "answer.submitted": lazy("Submitted for approval"),
    "answer.approved": lazy("Approved"),
    "answer.returned": lazy("Returned to the unit"),
    "answer.published": lazy("Publication set"),
    "answer.corrected": lazy("Correction published"),
    "unit.backup_set": lazy("Backup officer named"),
    "user.created": lazy("Account created"),
    "user.updated": lazy("Account changed"),
}

