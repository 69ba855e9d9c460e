"""A short-lived in-process cache of public pages as anonymous visitors see them.

Only pages rendered for a visitor who is not logged in and has no pending message are kept,
keyed by locale and URL. The browser's CSRF token is put in at serve time (the cached bytes
hold a placeholder). Entries live a few seconds and the whole cache is dropped when this
process commits a change that a public page could show, so a change shows at once here and
within the TTL in other processes; nothing becomes public early, because pages are only
ever rendered from the public queries.

A model tells which of its changes no public page shows with a class attribute
``public_pages``: "never" (login sessions, the event record, submission keys) or
"once_changed" (a new question is not public; a change to one may be). Without it, every
change counts. A burst of new questions thus leaves the cached pages in place.
"""

from __future__ import annotations

import threading
import time
from itertools import chain

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

CSRF_PLACEHOLDER = "__pressroom_csrf_placeholder__"
TTL_SECONDS = 5.0
MAX_ENTRIES = 2000

_lock = threading.Lock()
_entries: dict[tuple[str, str], tuple[float, bytes]] = {}


def get(key: tuple[str, str]) -> bytes | None:
    entry = _entries.get(key)
    if entry is None or entry[0] < time.monotonic():
        return None
    return entry[1]


def put(key: tuple[str, str], body: bytes) -> None:
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[key] = (time.monotonic() + TTL_SECONDS, body)


def clear() -> None:
    with _lock:
        _entries.clear()


def _shown(cls: type, new: bool) -> bool:
    rule = getattr(cls, "public_pages", "always")
    return rule == "always" or (rule == "once_changed" and not new)


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _flush: UOWTransaction) -> None:
    if any(_shown(type(obj), True) for obj in session.new) or any(
            _shown(type(obj), False) for obj in chain(session.dirty, session.deleted)):
        session.info["public_change"] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and (
            state.bind_mapper is None or _shown(state.bind_mapper.class_, False)):
        state.session.info["public_change"] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop("public_change", False):
        clear()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop("public_change", None)
