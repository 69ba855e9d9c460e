"""Typed FastAPI dependencies: the DB session, the principal, access rules, CSRF, pagination.

Every route declares exactly one access rule, ``require("<permission>")`` or ``public``;
``tests/test_access_rules.py`` fails for a route without one. The principal is loaded by the
function that ``main.create_app`` registers as ``app.state.load_principal`` (core imports no
domain, so the accounts domain supplies it).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Iterator, Sequence
from functools import lru_cache
from typing import Annotated, Any, Protocol
from urllib.parse import quote

from fastapi import Depends, Form, Header, Path, Query, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from pressroom.core import idempotency, storage
from pressroom.core.broadcast import hub
from pressroom.core.config import get_settings
from pressroom.core.db import begin_reading, database_slot, open_session
from pressroom.core.errors import NotAuthenticated, PermissionDenied
from pressroom.core.i18n import gettext as _
from pressroom.core.schemas import MAX_ID
from pressroom.core.security import CSRF_COOKIE, FLASH_COOKIE, SESSION_COOKIE, csrf_valid

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DbId = Annotated[int, Path(ge=1, le=MAX_ID)]
"""A row id in a URL: anything beyond the column's range is refused before the database sees
it (a 404 page, a 422 in the API) instead of overflowing inside the driver."""


class Principal(Protocol):
    id: int | None
    full_name: str

    def allows(self, permission: str) -> bool: ...


async def get_db(request: Request) -> AsyncIterator[Session]:
    # Creating a session does no I/O, so this runs on the event loop (no thread hop). The
    # request first waits here, on the event loop, for a database slot: never more requests
    # with a session than the pool has connections (why: core/db.py, database_slot).
    writing = request.method not in SAFE_METHODS
    async with database_slot(writing=writing):
        session = open_session(writing=writing)
        try:
            yield session
        finally:
            if session.in_transaction():
                await run_in_threadpool(session.close)
            else:  # committed or never used: holds no connection, closing does no I/O
                session.close()


SessionDep = Annotated[Session, Depends(get_db)]


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def session_token(request: Request) -> str | None:
    """The API takes a bearer token only (no cookies, so no CSRF); pages take the cookie."""
    if is_api(request):
        scheme, _sep, token = request.headers.get("authorization", "").partition(" ")
        return token.strip() if scheme.lower() == "bearer" and token.strip() else None
    return request.cookies.get(SESSION_COOKIE)


def _principal(load: Callable[[Session, str], Any], session: Session, token: str,
               continues: bool) -> Any:
    begin_reading(session)
    user = load(session, token)
    if user is not None:
        # The principal is a snapshot of the request's start: a rollback (a stale write)
        # must not expire it, or the error page could not even name who is logged in.
        session.expunge(user)
    if continues:
        return user
    # End this read now: the route runs on another worker thread, and a request waiting for
    # that thread must not hold a pooled connection (nor SQLite's lock) meanwhile. A commit,
    # not a rollback: it ends a read the same way, and psycopg forgets its prepared
    # statements on every rollback (one more round trip, and nothing stays prepared).
    session.commit()
    return user


def _continues(request: Request, session: Session) -> bool:
    """Whether the route's writes go on in the principal's transaction: on PostgreSQL, for a
    writing request. Its database slot already guarantees it a connection (core/db.py,
    database_slot: no more slots than connections, and fewer than worker threads), so
    keeping it across the hop to the route's thread makes no one wait; what it saves is a
    second checkout of the pool (with its ping), a BEGIN and a COMMIT per write. Not on
    SQLite, whose writes must begin with the write lock (BEGIN IMMEDIATE), nor for reads,
    whose unread-count badge ends its own read first (notifications/pages.py)."""
    return (request.method not in SAFE_METHODS
            and session.get_bind().dialect.name == "postgresql")


async def optional_principal(request: Request, session: SessionDep) -> Any:
    # FastAPI calls this once per request (its dependency cache), however many rules use it.
    token = session_token(request)
    user = None
    if token:
        user = await run_in_threadpool(_principal, request.app.state.load_principal, session,
                                       token, _continues(request, session))
    request.state.user = user
    return user


def _mark(func: Callable[..., Any], rule: str) -> Callable[..., Any]:
    func.access_rule = rule  # type: ignore[attr-defined]
    return func


def require(permission: str) -> Any:
    """Dependency: the logged-in principal, who must hold ``permission`` (else 401/403)."""

    async def dependency(user: Annotated[Any, Depends(optional_principal)]) -> Any:
        if user is None:
            raise NotAuthenticated(_("Please log in to continue."))
        if not user.allows(permission):
            raise PermissionDenied(_("Your role does not allow this."))
        return user

    return Depends(_mark(dependency, permission))


def get_stream_db() -> Iterator[Session]:
    """The session of a long-lived stream (Server-Sent Events), for its first reads only: it
    takes no database slot, and each read ends at once (commit) so that it holds no pooled
    connection while the stream lasts."""
    with open_session() as session:
        yield session


StreamSessionDep = Annotated[Session, Depends(get_stream_db)]


async def _stream_principal(request: Request, session: StreamSessionDep) -> Any:
    token = session_token(request)
    if not token:
        return None
    return await run_in_threadpool(_principal, request.app.state.load_principal, session, token,
                                   False)


def stream_access(permission: str | None = None) -> Any:
    """Dependency of a Server-Sent Events route: like ``public`` (``permission`` None) or
    ``require(permission)``, without holding a database slot for the stream's life."""

    async def dependency(user: Annotated[Any, Depends(_stream_principal)]) -> Any:
        if permission is not None:
            if user is None:
                raise NotAuthenticated(_("Please log in to continue."))
            if not user.allows(permission):
                raise PermissionDenied(_("Your role does not allow this."))
        return user

    return Depends(_mark(dependency, permission or "public"))


async def _public(user: Annotated[Any, Depends(optional_principal)]) -> Any:
    return user


public: Any = Depends(_mark(_public, "public"))
"""Dependency for routes anyone may use, logged in or not; gives the principal or None."""


async def _anyone() -> None:
    return None


anyone: Any = Depends(_mark(_anyone, "public"))
"""Dependency for public routes that need not know who calls (the counting request): unlike
``public`` it reads no session cookie and loads no principal, so it costs no query."""


async def _check_csrf(request: Request, csrf_token: Annotated[str, Form()] = "") -> None:
    if not csrf_valid(request.cookies.get(CSRF_COOKIE), csrf_token):
        raise PermissionDenied(
            _("The form had expired or was sent from elsewhere. Please try again.")
        )


CsrfDep = Depends(_check_csrf)
"""Add to every HTML form POST route: checks the form's token against the browser's cookie."""


_OUR_TAG = re.compile(r'(?:W/)?"(0|[1-9][0-9]{0,8})"')


def _if_match(request: Request) -> int | None:
    """The row version named by ``If-Match``: None for none or ``*``; the first listed tag
    counts. A weak tag is read as its strong one (a proxy that compresses a response turns
    our ETag weak). A tag we never issued (not a quoted version as ``etag`` writes it, say
    ``"01"``) is -1, which no row has."""
    header = request.headers.get("if-match")
    if header is None or header.strip() == "*":
        return None
    found = _OUR_TAG.fullmatch(header.split(",")[0].strip())
    return int(found.group(1)) if found else -1


IfMatch = Annotated[int | None, Depends(_if_match)]
"""The row version an API client read (``If-Match`` with the ``ETag`` its GET returned);
None when it sent none. A tag that is not ours never matches."""


def etag(response: Response, version: int) -> None:
    """Sets the ``ETag`` of a single object's representation: its row version."""
    response.headers["ETag"] = f'"{version}"'


async def _form(request: Request) -> FormData:
    return await request.form()


FormDep = Annotated[FormData, Depends(_form)]
"""The posted form, read on the event loop so that the route itself can be a plain ``def``:
its database work then runs on a worker thread and never blocks the loop."""


def form_int(form: FormData, name: str) -> int | None:
    """A whole number from a form field (a hidden version, say), or None."""
    value = form.get(name)
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() and (
        len(value) < 10) else None


IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", pattern=idempotency.KEY_PATTERN,
    description="A key of your choosing (8-100 letters, digits, -_.:) that makes this create "
                "happen once: repeating the request with it returns the first result (same id "
                "and status) for 24 hours; the same key with a different body gets 422.")]

_NOT_CONTENT = frozenset({"csrf_token", "submission_key", "version", "seen"})


def claim_once(request: Request, session: Session, user: Principal, key: str | None,
               content: Any) -> tuple[Response | None, idempotency.SubmissionKey | None]:
    """For a create that must happen once: (the first request's response to replay, None) for
    a repeat of ``key``, else (None, the reservation to settle once the work is done, or None
    without a key). A page form sends its key as the field ``submission_key``: its repeat is
    sent to the page the first one led to. Errors: ValidationFailed (key reused for another
    request)."""
    if not key:
        return None, None
    print_ = idempotency.fingerprint(request.method, request.url.path, content)
    slot = idempotency.claim(session, user_id=user.id or 0, key=key, print_=print_)
    if not slot.status:
        return None, slot
    if is_api(request):
        return JSONResponse(json.loads(slot.body) if slot.body else None, status_code=slot.status,
                            headers={"Idempotent-Replayed": "true"}), None
    return flash_redirect(slot.location, _("This was already sent; here is what it made."),
                          "info"), None


def form_once(request: Request, session: Session, user: Principal, form: FormData
              ) -> tuple[Response | None, idempotency.SubmissionKey | None]:
    """``claim_once`` for a page form: its key and content come from the form itself."""
    key = form.get("submission_key")
    valid = isinstance(key, str) and re.fullmatch(idempotency.KEY_PATTERN, key)
    content = sorted((k, str(v)) for k, v in form.multi_items() if k not in _NOT_CONTENT)
    return claim_once(request, session, user, key if valid else None, content)  # type: ignore[arg-type]


def download(relative: str, *, media_type: str, filename: str, public: bool) -> FileResponse:
    """A stored file as a download (never shown inline; every response also carries
    ``nosniff``, main.WebMiddleware); only a public one may be kept by shared caches."""
    return FileResponse(storage.path_of(relative), media_type=media_type, filename=filename,
                        content_disposition_type="attachment",
                        headers={"Cache-Control": "public, max-age=300" if public
                                 else "private, no-store"})


def login_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/login?next=" + quote(target, safe="")


class Pagination:
    def __init__(self, page: Annotated[int, Query(ge=1, le=100000)] = 1) -> None:
        self.page = page
        self.size = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


PaginationDep = Annotated[Pagination, Depends()]


def flash_redirect(url: str, message: str, kind: str = "success") -> RedirectResponse:
    """POST-redirect-GET (303) with a one-shot message shown on the next page."""
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(FLASH_COOKIE, quote(f"{kind}:{message}", safe=""), httponly=True,
                        samesite="lax", secure=bool(get_settings().cookie_secure), max_age=120)
    return response


def safe_next(target: str | None, default: str = "/") -> str:
    """Only local paths are followed after login or a language switch (no open redirect)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return default


# Changes within this time go out together: a busy conference (dozens of questions a second)
# sends each watcher a few updates a second, not one per question, and well within the 2 s
# in which a watcher sees each change.
LIVE_COALESCE_SECONDS = 0.6
LIVE_KEEPALIVE_SECONDS = 15.0


@lru_cache(maxsize=64)
def _event(name: str, data: str) -> bytes:
    # Cached: the same shared fragment goes to every watcher (a string's hash is kept on it,
    # so a hit costs no pass over the text).
    lines = "".join(f"data: {line}\n" for line in data.splitlines() or [""])
    return f"event: {name}\n{lines}\n".encode()


def _generations(topics: Sequence[str]) -> tuple[int, ...]:
    return tuple(hub.generation(topic) for topic in topics)


class _Abandoned(Exception):
    """The stream rendering a shared piece ended before it was done."""


class SharedFragment:
    """Pieces of HTML that are the same for everyone watching (a live board), by key: each
    rendered once per change of its topics in this process, by the first stream that wants
    it (in a worker thread, with that stream's session), while every other stream woken by
    the same change waits for that render on the event loop. Between changes a stream gets
    the piece with no thread hop and no lock."""

    def __init__(self) -> None:
        self._done: dict[Hashable, tuple[tuple[int, ...], str]] = {}
        self._running: dict[tuple[Hashable, asyncio.AbstractEventLoop],
                            tuple[tuple[int, ...], asyncio.Future[str]]] = {}

    async def get(self, key: Hashable, topics: Sequence[str], render: Callable[[], str]) -> str:
        """The piece for ``key`` as of the latest change to ``topics``; ``render()`` runs in a
        worker thread when no stream of this event loop is rendering it already."""
        loop = asyncio.get_running_loop()
        while True:
            generation = _generations(topics)
            found = self._done.get(key)
            if found is not None and found[0] == generation:
                return found[1]
            running = self._running.get((key, loop))
            if running is None or running[0] != generation:
                return await self._render(key, loop, generation, render)
            try:
                # Shielded: a stream that leaves does not cancel what the others wait for.
                return await asyncio.shield(running[1])
            except _Abandoned:
                continue  # render it here

    async def _render(self, key: Hashable, loop: asyncio.AbstractEventLoop,
                      generation: tuple[int, ...], render: Callable[[], str]) -> str:
        future: asyncio.Future[str] = loop.create_future()
        self._running[(key, loop)] = (generation, future)
        try:
            # The render uses this stream's session: its cancellation waits for the thread
            # (anyio), so the session is not closed under it.
            html = await run_in_threadpool(render)
        except BaseException as exc:
            future.set_exception(_Abandoned() if isinstance(exc, asyncio.CancelledError)
                                 else exc)
            future.exception()  # retrieved: it is the waiting streams' error, if any wait
            raise
        finally:
            if self._running.get((key, loop), (None, None))[1] is future:
                del self._running[(key, loop)]
        found = self._done.get(key)
        if found is None or found[0] <= generation:  # an older render never replaces a newer
            self._done[key] = (generation, html)
        future.set_result(html)
        return html


def per_change(topics: Sequence[str], render: Callable[[], str]) -> Callable[[], Awaitable[str]]:
    """A stream's own piece (a journalist's own questions): rendered in a worker thread at
    first and again only after a change to one of ``topics``, not on every wake-up."""
    last: tuple[tuple[int, ...], str] | None = None

    async def piece() -> str:
        nonlocal last
        generation = _generations(topics)
        if last is None or last[0] != generation:
            last = (generation, await run_in_threadpool(render))
        return last[1]

    return piece


def live_stream(request: Request, topics: Sequence[str],
                fragments: Callable[[], Awaitable[dict[str, str]]]) -> StreamingResponse:
    """Server-Sent Events for a page that updates by itself: each named piece of HTML that
    ``fragments()`` returns, at once and again after every change to one of ``topics``
    (core.broadcast), changes of the same moment sent together; only the pieces that changed
    are sent again. ``fragments`` runs on the event loop: it renders in worker threads only
    what changed (``SharedFragment``, ``per_change``). A comment every 15 s keeps proxies from
    closing the stream; after ``live_stream_seconds`` it ends and the browser opens a new
    one."""
    ends = time.monotonic() + get_settings().live_stream_seconds

    async def events() -> AsyncIterator[bytes]:
        queue = hub.subscribe(*topics)
        sent: dict[str, str] = {}
        try:
            yield b"retry: 1000\n\n"
            while True:
                pieces = await fragments()
                for name, html in pieces.items():
                    if sent.get(name) != html:
                        yield _event(name, html)
                sent = pieces
                left = ends - time.monotonic()
                if left <= 0:
                    return
                try:
                    await asyncio.wait_for(queue.get(), min(LIVE_KEEPALIVE_SECONDS, left))
                    await asyncio.sleep(LIVE_COALESCE_SECONDS)
                    while not queue.empty():
                        queue.get_nowait()
                except TimeoutError:
                    yield b": keep-alive\n\n"
                if await request.is_disconnected():
                    return
        finally:
            hub.unsubscribe(queue, *topics)

    return StreamingResponse(events(), media_type="text/event-stream", headers={
        "Cache-Control": "no-store", "X-Accel-Buffering": "no"})
