"""The per-request database session: reads run side by side, writes queue for SQLite's lock."""

from __future__ import annotations

import anyio
import pytest
from starlette.requests import Request

from pressroom.core.db import get_engine
from pressroom.core.deps import get_db


async def _bind_of(method: str) -> tuple[object, bool]:
    request = Request({"type": "http", "method": method, "path": "/", "headers": []})
    sessions = get_db(request)
    session = await sessions.__anext__()
    bind = session.get_bind()
    await sessions.aclose()
    return bind, bool(bind.get_execution_options().get("sqlite_immediate"))


@pytest.mark.parametrize(("method", "writing"), [
    ("GET", False), ("HEAD", False), ("OPTIONS", False),
    ("POST", True), ("PUT", True), ("PATCH", True), ("DELETE", True),
])
def test_only_a_writing_request_begins_with_the_write_lock(migrated: str, method: str,
                                                           writing: bool) -> None:
    bind, immediate = anyio.run(_bind_of, method)
    assert immediate is writing
    assert (bind is get_engine()) is not writing
