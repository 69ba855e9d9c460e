"""Database engine, connection pragmas, naming convention and the per-request session."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import Column, DateTime, Enum, Integer, event
from sqlalchemy.engine import Engine
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
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
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


def enum_column(enum: type[StrEnum], name: str, *, index: bool = False) -> Column[Any]:
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
        nullable=False,
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
