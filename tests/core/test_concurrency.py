"""Many submissions at once at one app: none fails, each is stored once, and no thread waits
for a pooled connection held by a request that is itself waiting for a thread.

Before the database slots (core/db.py, database_slot) and the principal's read ending
before the route (core/deps.py), 100 concurrent submissions deadlocked: the 40 worker
threads waited for pooled connections held by requests that waited for a thread, until the
pool's 30 s timeout turned them into 500s (bench/burst.py gives the figures). A write on
PostgreSQL now keeps its connection from the principal to the route: its slot guarantees
that connection, and there are fewer slots than threads.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from pressroom.accounts import service as accounts
from pressroom.accounts.enums import Role
from pressroom.core import audit
from pressroom.core.audit import Event
from pressroom.core.db import get_engine, pool_capacity, slot_sizes
from pressroom.core.security import CSRF_COOKIE, SESSION_COOKIE, csrf_token_for
from pressroom.main import create_app
from pressroom.organizations.enums import OrgKind
from pressroom.questions.models import Question
from tests import factories

SUBMISSIONS = 160
JOURNALISTS = 20


def _journalists(count: int) -> tuple[int, list[str]]:
    """Committed journalists with a login session each; returns (ministry id, tokens)."""
    with Session(get_engine(), expire_on_commit=False) as session:
        ministry = factories.ministry(session)
        outlet = accounts.get_or_create_outlet(session, name="Báo Đồng Thời")
        tokens = []
        for n in range(count):
            user = accounts.create_user(
                session, email=f"dongthoi{n}@example.vn", full_name=f"Phóng Viên {n}",
                password=factories.PASSWORD, role=Role.JOURNALIST, outlet=outlet)
            tokens.append(accounts.start_login_session(session, user=user))
        session.commit()
        assert ministry.id is not None and ministry.kind == OrgKind.MINISTRY
        return ministry.id, tokens


async def _burst(app: Any, ministry_id: int, tokens: list[str], count: int
                 ) -> tuple[list[int], list[float]]:
    """``count`` distinct questions at once, every other one through the HTML form; a reader
    fetches the home page meanwhile. Returns the statuses and the reader's latencies."""
    secret = "concurrency-test-browser-secret"
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver",
                                 timeout=60) as client:
        async def one(i: int) -> int:
            token = tokens[i % len(tokens)]
            title = f"Câu hỏi đồng thời số {i}"
            body = f"Nội dung câu hỏi đồng thời số {i}."
            if i % 2:
                response = await client.post(
                    "/my/questions/new",
                    headers={"Cookie": f"{SESSION_COOKIE}={token}; {CSRF_COOKIE}={secret}"},
                    data={"csrf_token": csrf_token_for(secret), "title": title, "body": body,
                          "conference_id": "", "addressed_to_id": str(ministry_id)})
            else:
                response = await client.post(
                    "/api/v1/questions", headers={"Authorization": f"Bearer {token}"},
                    json={"title": title, "body": body, "addressed_to_id": ministry_id})
            return response.status_code

        done = asyncio.Event()
        latencies: list[float] = []

        async def reader() -> None:
            while not done.is_set():
                started = time.perf_counter()
                assert (await client.get("/")).status_code == 200
                latencies.append(time.perf_counter() - started)
                await asyncio.sleep(0.05)

        reading = asyncio.create_task(reader())
        statuses = await asyncio.gather(*(one(i) for i in range(count)))
        done.set()
        await reading
    return list(statuses), latencies


def test_many_concurrent_submissions_all_succeed_once(committed_database: str) -> None:
    ministry_id, tokens = _journalists(JOURNALISTS)
    app = create_app(pdf_worker=False)

    started = time.perf_counter()
    statuses, latencies = asyncio.run(_burst(app, ministry_id, tokens, SUBMISSIONS))
    elapsed = time.perf_counter() - started

    expected = [303 if i % 2 else 201 for i in range(SUBMISSIONS)]
    assert statuses == expected
    with Session(get_engine()) as session:
        rows = session.exec(
            select(Question.title, func.count())
            .where(col(Question.title).startswith("Câu hỏi đồng thời số "))
            .group_by(Question.title)).all()
    assert len(rows) == SUBMISSIONS
    assert all(count == 1 for _title, count in rows)
    # Well under the pool's 30 s timeout, which the deadlock used to wait out.
    assert elapsed < 25, elapsed
    assert latencies, "the reader got no answer while the submissions ran"
    # Every concurrent writer extended the event record: one link each, the chain intact.
    with Session(get_engine()) as session:
        submitted = session.exec(select(func.count()).select_from(Event)
                                 .where(Event.action == "question.submitted")).one()
        assert submitted == SUBMISSIONS
        assert audit.verify(session) == (session.exec(select(func.count()).select_from(Event)).one(), None)


def test_database_slots_never_exceed_the_pool(committed_database: str) -> None:
    capacity = pool_capacity(get_engine())
    writes, reads = slot_sizes(capacity)
    assert 1 <= writes < capacity
    assert writes + reads == capacity
    assert slot_sizes(1) == (1, 1)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_principal_leaves_no_connection_held(committed_database: str, method: str) -> None:
    """Loading the principal ends its read: the request then waits for the route's thread
    without holding a pooled connection (nor SQLite's write lock). Except for a write on
    PostgreSQL, which goes on in the same transaction (its slot already holds a connection
    for it; see core/deps.py, _continues)."""
    from starlette.requests import Request

    from pressroom.core.deps import optional_principal

    _ministry, tokens = _journalists(1)
    app = create_app(pdf_worker=False)
    scope = {"type": "http", "method": method, "path": "/api/v1/questions", "app": app,
             "headers": [(b"authorization", f"Bearer {tokens[0]}".encode())],
             "query_string": b""}
    engine = get_engine()
    continues = method == "POST" and engine.dialect.name == "postgresql"

    async def load() -> None:
        from pressroom.core.db import open_session

        session = open_session(writing=method == "POST")
        try:
            user = await optional_principal(Request(scope), session)
            assert user is not None and user.email == "dongthoi0@example.vn"
            assert session.in_transaction() is continues
            assert engine.pool.checkedout() == int(continues)  # type: ignore[attr-defined]
        finally:
            session.close()

    asyncio.run(load())
