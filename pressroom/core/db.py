"""Database engine, connection pragmas, naming convention and the per-request session."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

import anyio
from anyio.lowlevel import RunVar
from sqlalchemy import Column, DateTime, Enum, Insert, Integer, Table, event, insert
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.pool import QueuePool
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel, create_engine

from pressroom.core.config import get_settings
from pressroom.core.errors import StaleVersion
from pressroom.core.i18n import gettext as _

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use core.clock")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10},
                               pool_size=5, max_overflow=10)
        event.listen(engine, "connect", _sqlite_pragmas)
        # Take BEGIN over from pysqlite so that writing requests start with BEGIN IMMEDIATE:
        # concurrent writers then queue on busy_timeout instead of failing on lock upgrade,
        # while reads keep running side by side under WAL.
        event.listen(engine, "connect", _no_pysqlite_begin)
        event.listen(engine, "begin", _begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _no_pysqlite_begin(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None


def _begin(connection: Any) -> None:
    immediate = connection.get_execution_options().get("sqlite_immediate")
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


@lru_cache
def _writing_engine() -> Engine:
    return get_engine().execution_options(sqlite_immediate=True)


def open_session(*, writing: bool = False) -> Session:
    """A session (no connection is taken until it is used); with ``writing=True`` its
    transactions begin with SQLite's write lock (BEGIN IMMEDIATE)."""
    return Session(_writing_engine() if writing else get_engine(), expire_on_commit=False)


def session_scope(*, writing: bool = False) -> Iterator[Session]:
    with open_session(writing=writing) as session:
        yield session


def begin_reading(session: Session) -> None:
    """Starts ``session``'s transaction as a read, even in a writing session: on SQLite a
    plain BEGIN, so that a read ahead of the writes (the principal) holds no write lock."""
    if not session.in_transaction():
        session.connection(execution_options={"sqlite_immediate": False})


def begin_writing(session: Session) -> None:
    """Ends ``session``'s read, if any, and starts a write: on SQLite with the write lock
    (BEGIN IMMEDIATE), so that a GET that records something (a PDF download counted) waits
    its turn instead of failing to upgrade a read snapshot that a writer has moved past."""
    if session.in_transaction():
        session.commit()
    session.connection(execution_options={"sqlite_immediate": True})


# Requests that use the database get a slot first, waiting for it on the event loop.
#
# Why: a request's session keeps its pooled connection from its first query to its commit or
# close, and every piece of its database work runs on a worker thread (40 per process). With
# more requests than connections at once, the requests holding connections queued for a
# thread while all 40 threads waited in the pool for a connection (or, on SQLite, for the
# write lock held by such a queued request): nothing moved until the 30 s pool timeout or the
# 10 s busy timeout turned the burst into 500s (bench/burst.py measured 100 submissions at
# once: 40/40 threads waiting for the pool, 30/30 connections held by requests waiting for a
# thread). With no more slots than connections, no thread ever waits for a connection;
# whoever holds a connection waits only for threads that are doing work.
#
# Writes get a third of the slots and reads the rest: the database runs writes one at a time
# anyway (SQLite's single writer, the audit chain's lock), so more concurrent writers would
# only wait on each other, and a burst of writes never makes a page read queue behind it.
_slots: RunVar[tuple[Engine, anyio.Semaphore, anyio.Semaphore]] = RunVar("pressroom_db_slots")


def pool_capacity(engine: Engine) -> int:
    """How many connections the engine's pool hands out at once (its size plus overflow)."""
    pool = engine.pool
    if isinstance(pool, QueuePool):
        return pool.size() + max(int(getattr(pool, "_max_overflow", 0)), 0)
    return 1


def slot_sizes(capacity: int) -> tuple[int, int]:
    """(write slots, read slots) for a pool of ``capacity`` connections."""
    writes = max(1, capacity // 3)
    return writes, max(1, capacity - writes)


@asynccontextmanager
async def database_slot(*, writing: bool) -> AsyncIterator[None]:
    """Waits on the event loop (holding no thread and no connection) for one of this
    process's database slots; see the comment above for why."""
    engine = get_engine()
    slots = _slots.get(None)
    if slots is None or slots[0] is not engine:  # first use, or the settings changed (tests)
        writes, reads = slot_sizes(pool_capacity(engine))
        slots = (engine, anyio.Semaphore(writes), anyio.Semaphore(reads))
        _slots.set(slots)
    async with slots[1] if writing else slots[2]:
        yield


def table_of(model: type[SQLModel]) -> Table:
    """A model's Core table, for prebuilt bulk statements that need none of the ORM's
    per-object bookkeeping (plain rows, no identity map, no unit of work)."""
    return model.__table__  # type: ignore[attr-defined, no-any-return]


@lru_cache
def _insert_returning_id(model: type[SQLModel]) -> tuple[Insert, tuple[tuple[str, str], ...]]:
    mapper = sa_inspect(model)
    table = table_of(model)
    fields = tuple((attr.key, attr.columns[0].key) for attr in mapper.column_attrs
                   if attr.columns[0] is not table.c.id)
    return insert(table).returning(table.c.id), fields


def insert_now(session: Session, obj: SQLModel) -> None:
    """Inserts the new ``obj`` at once by one prebuilt INSERT ... RETURNING id and keeps it in
    ``session`` as if it had been loaded (persistent, nothing pending). For a hot path's
    single row: the unit of work's flush of one new question cost twice the statement
    (PostgreSQL: about 1.0 ms against 0.5 ms). Only for a model whose integer ``id`` the
    database makes, with every other column set on the object (its defaults are, from the
    model) and no relationship to cascade; other pending objects are not flushed."""
    statement, fields = _insert_returning_id(type(obj))
    values = {column: getattr(obj, key) for key, column in fields}
    obj.id = session.execute(statement, values).scalar_one()  # type: ignore[attr-defined]
    make_transient_to_detached(obj)
    session.add(obj)


def enum_column(enum: type[StrEnum], name: str, *, index: bool = False,
                nullable: bool = False) -> Column[Any]:
    """A portable enum column storing the values as strings (with a CHECK constraint)."""
    return Column(
        Enum(
            enum,
            name=name,
            native_enum=False,
            create_constraint=True,
            length=max(len(m.value) for m in enum) + 4,
            values_callable=lambda e: [m.value for m in e],
        ),
        nullable=nullable,
        index=index,
    )


def version_column() -> Column[Any]:
    """An optimistic-locking counter: an UPDATE from a stale read fails with StaleDataError.

    Use one per model: ``_v = version_column()``, then ``row_version: int = Field(default=1,
    sa_column=_v)`` and ``__mapper_args__ = {"version_id_col": _v}``.
    """
    return Column("row_version", Integer, nullable=False, default=1)


def check_version(row: Any, expected: int | None) -> None:
    """Refuses a write based on an older read: ``expected`` is the row version the form or the
    API client (If-Match) read; None when the client sent none. A row that does not exist yet
    has version 0. Errors: StaleVersion."""
    current = 0 if row is None else row.row_version
    if expected is not None and expected != current:
        raise StaleVersion(
            _("This was changed by someone else after you opened it."), current=current
        )
