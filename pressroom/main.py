"""create_app(): middleware, static files, routers, error handlers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pressroom.accounts.service import load_principal
from pressroom.core import i18n
from pressroom.core.bodyguard import BAD_JSON, TOO_LARGE, BodyGuard, declared_limit
from pressroom.core.broadcast import hub
from pressroom.core.config import get_settings
from pressroom.core.db import get_engine, pool_capacity, slot_sizes
from pressroom.core.deps import etag, is_api, login_url
from pressroom.core.errors import NotAuthenticated, PressroomError, StaleVersion
from pressroom.core.formtools import rule_message
from pressroom.core.i18n import gettext as _
from pressroom.core.security import (
    CSRF_COOKIE,
    FLASH_COOKIE,
    LANG_COOKIE,
    SESSION_COOKIE,
    csrf_token_for,
    new_token,
)
from pressroom.core.templating import render, render_to_string
from pressroom.routers import (
    COOKIELESS_PATHS,
    api_router,
    beacon_router,
    page_router,
    stream_router,
)

log = logging.getLogger("pressroom")
STATIC_DIR = Path(__file__).resolve().parent / "static"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'; object-src 'none'"
)
# The API documentation (Swagger UI, served from static/swagger-ui) sets style attributes.
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'none'; object-src 'none'"
)
OPENAPI_URL = "/api/v1/openapi.json"


class Flash:
    def __init__(self, kind: str, message: str) -> None:
        self.kind = kind
        self.message = message


class WebMiddleware:
    """Per request: locale, the browser's CSRF secret, the one-shot flash message and the
    security headers. Pure ASGI (no body buffering) to keep public pages fast."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = _cookies(scope)
        path: str = scope["path"]
        state = scope.setdefault("state", {})
        # Pages speak the language chosen with the switch (a cookie); the API, which takes
        # no cookies, follows Accept-Language. Both default to Vietnamese.
        if path.startswith("/api/"):
            i18n.set_locale(i18n.from_accept_language(_header(scope, b"accept-language")))
        else:
            i18n.set_locale(cookies.get(LANG_COOKIE) or "")
        secret = cookies.get(CSRF_COOKIE)
        new_secret = None if secret and len(secret) < 100 else new_token()
        state["csrf_token"] = csrf_token_for(new_secret or secret or "")
        static = path.startswith("/static/")
        # Static files, and the counting request, which must not give the visitor a cookie.
        cookieless = static or path in COOKIELESS_PATHS
        flash_raw = None if cookieless else cookies.get(FLASH_COOKIE)
        if flash_raw:
            kind, _sep, message = unquote(flash_raw).partition(":")
            state["flash"] = Flash(kind if kind in ("success", "error", "info") else "info",
                                   message[:500])
        settings = get_settings()
        secure = "; Secure" if settings.cookie_secure else ""

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                docs = path == "/api/docs"
                headers += [
                    (b"content-security-policy", (DOCS_CSP if docs else CSP).encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                ]
                # Personal answers are never stored, unless the route said how its response
                # may be cached (a public PDF or file): a second header would contradict it.
                if not static and (SESSION_COOKIE in cookies or path.startswith("/api/")) and (
                        not any(name.lower() == b"cache-control" for name, _v in headers)):
                    headers.append((b"cache-control", b"no-store"))
                # A response shared caches may keep (public PDFs, calendars) carries no
                # visitor's secret: a cache would hand it to everyone.
                shared = any(name.lower() == b"cache-control" and b"public" in value.lower()
                             for name, value in headers)
                if new_secret and not cookieless and not shared:
                    headers.append((b"set-cookie", (
                        f"{CSRF_COOKIE}={new_secret}; Path=/; HttpOnly; SameSite=Lax{secure}"
                    ).encode()))
                if flash_raw and not _sets_cookie(headers, FLASH_COOKIE):
                    headers.append((b"set-cookie", (
                        f"{FLASH_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax{secure}"
                    ).encode()))
            await send(message)

        await self.app(scope, receive, send_wrapper)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def _cookies(scope: Scope) -> dict[str, str]:
    header = _header(scope, b"cookie")
    if not header:
        return {}
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except Exception:  # a malformed Cookie header is treated as no cookies
        return {}
    return {key: morsel.value for key, morsel in jar.items()}


def _sets_cookie(headers: list[tuple[bytes, bytes]], name: str) -> bool:
    prefix = f"{name}=".encode()
    return any(k == b"set-cookie" and v.startswith(prefix) for k, v in headers)


def _error_page(request: Request, status: int, message: str, raced: bool = False) -> Response:
    template = {401: "errors/403.html", 403: "errors/403.html", 404: "errors/404.html",
                409: "errors/409.html", 500: "errors/500.html"}.get(status, "errors/400.html")
    return render(request, template, {"message": message, "raced": raced}, status=status)


def _error(request: Request, status: int, message: str, fields: dict[str, str] | None = None
           ) -> Response:
    if is_api(request):
        body: dict[str, Any] = {"detail": message}
        if fields:
            body["errors"] = fields
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(body, status_code=status, headers=headers)
    return _error_page(request, status, message)


def _writes_at_once() -> int:
    """Writes let in at once: twice the database's write slots (one batch works while the next
    is read), so no more are parsed than the database can take (core/db.py, database_slot)."""
    return 2 * slot_sizes(pool_capacity(get_engine()))[0]


def _refused_body(scope: Scope, status: int, reason: str) -> ASGIApp:
    request = Request(scope)
    if reason == TOO_LARGE:
        limit = get_settings().max_body_bytes // 1024
        message = _("What you sent is too large: at most %(size)s KB is accepted.", size=limit)
    elif reason == BAD_JSON:
        message = _("The request body is not valid JSON.")
    else:
        message = _("What you sent holds characters that cannot be stored (a NUL character, "
                    "half of a surrogate pair or bytes that are not UTF-8). Remove them and "
                    "send it again.")
    if is_api(request) and status == 400:
        status = 422
    return _error(request, status, message)


async def _pressroom_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PressroomError)
    if isinstance(exc, NotAuthenticated) and not is_api(request):
        return RedirectResponse(login_url(request), status_code=303)
    if isinstance(exc, StaleVersion) and is_api(request):
        response = JSONResponse(
            {"detail": exc.message + " " + _("Read it again (its ETag) and send your change "
                                             "with If-Match."),
             "current_version": exc.current}, status_code=412)
        etag(response, exc.current)
        return response
    return _error(request, exc.status_code, exc.message, exc.fields)


async def _stale(request: Request, exc: Exception) -> Response:
    message = _("Someone else changed this at the same time. Reload the page to see the "
                "current state and try again.")
    if is_api(request):
        return _error(request, 409, message)
    return _error_page(request, 409, message, raced=True)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    messages = {404: _("Page not found."), 405: _("This address does not accept this action.")}
    return _error(request, exc.status_code, messages.get(exc.status_code, str(exc.detail)))


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if is_api(request):
        errors = [
            {"loc": list(e.get("loc", ())), "msg": rule_message(dict(e)), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        return JSONResponse({"detail": errors}, status_code=422)
    if any(e.get("loc", ("",))[0] == "path" for e in exc.errors()):
        return _error_page(request, 404, _("Page not found."))
    return _error_page(request, 400, _("The request was not understood. Check the address "
                                       "or go back and try again."))


async def _server_error(request: Request, exc: Exception) -> Response:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _error(request, 500, _("Something went wrong on our side. Nothing you sent "
                                  "was lost without telling you; please try again."))


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    worker = mailer = None
    await hub.start()  # live pages hear of changes made by every server process
    if app.state.pdf_worker:
        from pressroom.publishing.service import PdfWorker

        worker = PdfWorker()
        worker.start()
        app.state.wake_pdf_worker = worker.wake
    if app.state.mail_worker:
        from pressroom.answers.reminders import Reminders
        from pressroom.notifications.dispatcher import MailWorker

        mailer = MailWorker(jobs=[Reminders()])
        mailer.start()
        app.state.wake_mail_worker = mailer.wake
    yield
    await hub.stop()
    if worker is not None:
        worker.stop()
    if mailer is not None:
        mailer.stop()


def _api_docs() -> HTMLResponse:
    """The API's documentation page (public, like the schema it shows)."""
    return HTMLResponse(render_to_string("api_docs.html", {"openapi_url": OPENAPI_URL}))


def _body_limit(scope: Scope) -> int:
    """The largest body a request may send: what its route declared (a form with a file,
    ``bodyguard.allow_larger``), else the configured limit."""
    declared = declared_limit(scope["path"]) if scope["method"] == "POST" else None
    return declared or get_settings().max_body_bytes


def create_app(*, pdf_worker: bool | None = None, mail_worker: bool | None = None) -> FastAPI:
    settings = get_settings()
    app = FastAPI(
        # The agency's portal, not the software, is what the API documentation names.
        title=f"{settings.portal_name or settings.agency_name or 'Press office'} API",
        version="1",
        description="Press conferences, journalists' questions and official answers"
                    + (f" of {settings.agency_name}." if settings.agency_name else "."),
        docs_url=None,  # served below, from our own static files
        redoc_url=None,
        openapi_url=OPENAPI_URL,
        lifespan=_lifespan,
    )
    app.state.load_principal = load_principal
    app.state.pdf_worker = settings.pdf_worker if pdf_worker is None else pdf_worker
    app.state.wake_pdf_worker = lambda: None
    app.state.mail_worker = settings.mail_worker if mail_worker is None else mail_worker
    app.state.wake_mail_worker = lambda: None
    app.add_middleware(BodyGuard, max_bytes=_body_limit,
                       refuse=_refused_body, admit=_writes_at_once)
    app.add_middleware(WebMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(page_router)
    app.include_router(stream_router)
    app.include_router(beacon_router)
    app.include_router(api_router)
    app.add_api_route("/api/docs", _api_docs, include_in_schema=False)
    app.add_exception_handler(PressroomError, _pressroom_error)
    app.add_exception_handler(StaleDataError, _stale)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _server_error)
    return app
