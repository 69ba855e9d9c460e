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


def changed(session: Session, *topics: str) -> None:
    """Announces a change to each of ``topics`` once the session's transaction commits (never
    if it rolls back). Call it in the service that made the change, naming only the topics
    whose watchers see it: every subscriber of a topic wakes and reads afresh."""
    if not topics:
        return
    if not get_settings().redis_url and session.get_bind().dialect.name == "postgresql":
        # One NOTIFY (one round trip) for all of them: topics contain no spaces.
        session.execute(text("SELECT pg_notify(:channel, :topics)"),
                        {"channel": CHANNEL, "topics": " ".join(topics)})
    else:
        session.info.setdefault(_PENDING, set()).update(topics)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    topics = session.info.pop(_PENDING, None)
    if topics:
        hub.publish(sorted(topics))


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


class Hub:
    """This process's subscribers, by topic, and the listener that wakes them. A server has
    one event loop; tests start an app in several, so each loop has its own listener and
    each subscriber is woken in its own loop."""

    def __init__(self) -> None:
        self._subscribers: dict[str, set[tuple[asyncio.AbstractEventLoop,
                                               asyncio.Queue[None]]]] = {}
        self._generations: dict[str, int] = {}
        self._listeners: dict[asyncio.AbstractEventLoop, asyncio.Task[None] | None] = {}
        self._redis: dict[str, Any] = {}  # a client per address
        self._lock = threading.Lock()

    async def start(self) -> None:
        """Starts listening in the running event loop (once per loop)."""
        loop = asyncio.get_running_loop()
        if loop in self._listeners:
            return
        settings = get_settings()
        task = None
        if settings.redis_url:
            task = asyncio.create_task(self._listen_redis())
        elif not settings.is_sqlite:
            task = asyncio.create_task(self._listen_postgres())
        self._listeners[loop] = task

    async def stop(self) -> None:
        task = self._listeners.pop(asyncio.get_running_loop(), None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def subscribe(self, *topics: str) -> asyncio.Queue[None]:
        """A queue that gets a wake-up after a change to any of ``topics`` (changes that come
        together give one)."""
        queue: asyncio.Queue[None] = asyncio.Queue(maxsize=1)
        entry = (asyncio.get_running_loop(), queue)
        with self._lock:
            for topic in topics:
                self._subscribers.setdefault(topic, set()).add(entry)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[None], *topics: str) -> None:
        with self._lock:
            for topic in topics:
                found = self._subscribers.get(topic, set())
                found.difference_update({entry for entry in found if entry[1] is queue})
                if not found:
                    self._subscribers.pop(topic, None)

    def generation(self, topic: str) -> int:
        """How many wake-ups ``topic`` has had in this process: what was rendered at one
        generation may be served again until the next."""
        return self._generations.get(topic, 0)

    def publish(self, topics: list[str]) -> None:
        """Sends ``topics`` to every process (from any thread). PostgreSQL needs no call:
        the transaction's own NOTIFY reaches the listeners."""
        url = get_settings().redis_url
        if not url:
            self.deliver(topics)
            return
        if url not in self._redis:
            import redis

            self._redis[url] = redis.Redis.from_url(url)
        try:
            self._redis[url].publish(CHANNEL, " ".join(topics))
        except Exception:  # the change is saved; watchers catch up on their next wake
            log.exception("could not publish %s to Redis", topics)

    def deliver(self, topics: list[str]) -> None:
        """Wakes this process's subscribers of ``topics`` (from any thread), each in its own
        event loop."""
        with self._lock:
            for topic in topics:
                self._generations[topic] = self._generations.get(topic, 0) + 1
            # A subscriber of several of the topics is woken once.
            targets = {entry for topic in topics for entry in self._subscribers.get(topic, ())}
        for loop, queue in targets:
            if not loop.is_closed():
                loop.call_soon_threadsafe(_wake, queue)

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
                        self.deliver(note.payload.split())
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
                            self.deliver((data.decode() if isinstance(data, bytes)
                                          else data).split())
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("Redis subscription failed; subscribing again in a second")
                await asyncio.sleep(1)


def _wake(queue: asyncio.Queue[None]) -> None:
    if queue.empty():
        queue.put_nowait(None)


hub = Hub()
