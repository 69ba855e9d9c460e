"""Telling every server process that something changed, for pages that update by themselves
(a live conference): a topic name such as ``conference:12``, sent when the transaction that
made the change commits, delivered within a moment to the subscribers of every process.

Backends, chosen by the settings:
- Redis pub/sub when ``PRESSROOM_REDIS_URL`` is set (published right after the commit);
- else PostgreSQL LISTEN/NOTIFY (``pg_notify`` inside the transaction: PostgreSQL delivers it
  at commit and drops it on rollback, to every process listening);
- else, on SQLite, within the process (there is one).

Subscribers get a wake-up, not the data: each reads the current state afresh, so a lost or
merged wake-up costs nothing but a moment.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from typing import Any

from sqlalchemy import event, make_url, text
from sqlalchemy.orm import Session

from pressroom.core.config import get_settings

CHANNEL = "pressroom_live"
_PENDING = "broadcast_topics"
log = logging.getLogger(__name__)


def changed(session: Session, topic: str) -> None:
    """Announces a change to ``topic`` once the session's transaction commits (never if it
    rolls back). Call it in the service that made the change."""
    if _backend() == "postgres":
        session.execute(text("SELECT pg_notify(:channel, :topic)"),
                        {"channel": CHANNEL, "topic": topic})
    else:
        session.info.setdefault(_PENDING, set()).add(topic)


def _backend() -> str:
    settings = get_settings()
    if settings.redis_url:
        return "redis"
    return "sqlite" if settings.is_sqlite else "postgres"


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    topics = session.info.pop(_PENDING, None)
    if topics:
        hub.publish(sorted(topics))


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


class Hub:
    """This process's subscribers, by topic, and the listener that wakes them."""

    def __init__(self) -> None:
        self._subscribers: dict[str, set[asyncio.Queue[None]]] = {}
        self._generations: dict[str, int] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._redis: Any = None
        self._lock = threading.Lock()

    async def start(self) -> None:
        """Starts listening (in the server's event loop)."""
        self._loop = asyncio.get_running_loop()
        backend = _backend()
        if backend == "redis":
            import redis

            self._redis = redis.Redis.from_url(get_settings().redis_url)
            self._task = asyncio.create_task(self._listen_redis())
        elif backend == "postgres":
            self._task = asyncio.create_task(self._listen_postgres())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task, self._loop = None, None

    def subscribe(self, topic: str) -> asyncio.Queue[None]:
        queue: asyncio.Queue[None] = asyncio.Queue(maxsize=1)
        with self._lock:
            self._subscribers.setdefault(topic, set()).add(queue)
        return queue

    def unsubscribe(self, topic: str, queue: asyncio.Queue[None]) -> None:
        with self._lock:
            found = self._subscribers.get(topic)
            if found is not None:
                found.discard(queue)
                if not found:
                    del self._subscribers[topic]

    def publish(self, topics: list[str]) -> None:
        """Sends ``topics`` to every process (from any thread). PostgreSQL needs no call:
        the transaction's own NOTIFY reaches the listeners."""
        if self._redis is not None:
            for topic in topics:
                try:
                    self._redis.publish(CHANNEL, topic)
                except Exception:  # the change is saved; watchers catch up on their next wake
                    log.exception("could not publish %s to Redis", topic)
        else:
            self.deliver(topics)

    def deliver(self, topics: list[str]) -> None:
        """Wakes this process's subscribers of ``topics`` (from any thread)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        loop.call_soon_threadsafe(self._wake, topics)

    def generation(self, topic: str) -> int:
        """How many wake-ups ``topic`` has had in this process: what was rendered at one
        generation may be served again until the next."""
        return self._generations.get(topic, 0)

    def _wake(self, topics: list[str]) -> None:
        with self._lock:
            for topic in topics:
                self._generations[topic] = self._generations.get(topic, 0) + 1
            queues = [q for t in topics for q in self._subscribers.get(t, ())]
        for queue in queues:
            if queue.empty():
                queue.put_nowait(None)

    async def _listen_postgres(self) -> None:
        import psycopg

        url = make_url(get_settings().database_url).set(drivername="postgresql")
        conninfo = url.render_as_string(hide_password=False)
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(conninfo,
                                                                 autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    async for note in conn.notifies():
                        self._wake([note.payload])
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("PostgreSQL LISTEN failed; listening again in a second")
                await asyncio.sleep(1)

    async def _listen_redis(self) -> None:
        import redis.asyncio

        while True:
            try:
                client = redis.asyncio.Redis.from_url(get_settings().redis_url)
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            data = message["data"]
                            self._wake([data.decode() if isinstance(data, bytes) else data])
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("Redis subscription failed; subscribing again in a second")
                await asyncio.sleep(1)


hub = Hub()
