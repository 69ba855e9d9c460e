"""Request bodies checked before any route reads them: a size limit, and text that is valid
UTF-8 with no NUL character and no lone surrogate (none of which a database column can hold).

Pure ASGI and free of the web framework: ``main.py`` wraps the app in ``BodyGuard`` and gives
it the function that answers a refused request (a page or JSON in the user's language).
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import unquote_to_bytes

import anyio
from anyio.lowlevel import RunVar

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Refusal = Callable[[Scope, int, str], ASGIApp]

TOO_LARGE = "too_large"
BAD_TEXT = "bad_text"
BAD_JSON = "bad_json"


_larger: list[tuple[re.Pattern[str], int]] = []


def allow_larger(path: str, max_bytes: int) -> str:
    """Declares, where a route is defined, that posts to ``path`` (a route template such as
    ``/unit/questions/{question_id}/answer``) may send up to ``max_bytes`` (a file upload);
    returns ``path``."""
    template = re.sub(r"\\\{[^/]*?\\\}", "[^/]+", re.escape(path))
    _larger.append((re.compile(f"^{template}$"), max_bytes))
    return path


def declared_limit(path: str) -> int | None:
    """The larger body limit declared for ``path``, or None."""
    return max((limit for pattern, limit in _larger if pattern.match(path)), default=None)


class Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_BAD_CHAR = re.compile("[\x00\ud800-\udfff]")


def _has_bad_char(text: str) -> bool:
    # One scan in C, not a Python generator over every character of every posted field.
    return _BAD_CHAR.search(text) is not None


def _check_text(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(BAD_TEXT) from None
    if _has_bad_char(text):
        raise Refused(BAD_TEXT)
    return text


def _check_json_value(value: Any) -> None:
    if isinstance(value, str):
        if _has_bad_char(value):
            raise Refused(BAD_TEXT)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_json_value(key)
            _check_json_value(item)
    elif isinstance(value, list):
        for item in value:
            _check_json_value(item)


def _boundary(content_type: str) -> bytes:
    for param in content_type.split(";")[1:]:
        key, _sep, value = param.strip().partition("=")
        if key.strip().lower() == "boundary":
            return value.strip().strip('"').encode("latin-1", "replace")
    return b""


def _check_multipart(content_type: str, body: bytes) -> None:
    """Each text field of a multipart form (files are bytes and left alone). The form parser
    would read a field that is not UTF-8 as Latin-1 and keep a NUL: checked here like the
    other forms instead."""
    boundary = _boundary(content_type)
    if not boundary:
        return  # the form parser refuses it (400)
    for part in body.split(b"--" + boundary)[1:]:
        if part.startswith(b"--"):
            break  # the closing delimiter
        head, sep, value = part.partition(b"\r\n\r\n")
        if sep and b"filename" not in head.lower():
            _check_text(value.removesuffix(b"\r\n"))


def check_body(content_type: str, body: bytes) -> None:
    """Raises Refused when a form or JSON body holds text no column can store."""
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        for pair in body.split(b"&"):
            for part in pair.split(b"=", 1):
                _check_text(unquote_to_bytes(part.replace(b"+", b" ")))
    elif kind == "multipart/form-data":
        _check_multipart(content_type, body)
    elif kind == "application/json" or kind.endswith("+json"):
        text = _check_text(body)
        if not text.strip():
            return  # an empty body is the route's to refuse (a missing field)
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            raise Refused(BAD_JSON) from None
        _check_json_value(value)


class BodyGuard:
    """Buffers each request body (up to ``max_bytes(scope)``), checks it and replays it to the
    app.

    It is also the door for writes: at most ``admit()`` of them are read, parsed and routed at
    once; the others wait here, before any work, on the event loop. A burst of 500 posts then
    costs the event loop no more than a few at a time, and page reads (which pass straight
    through) keep their pace (bench/burst.py)."""

    def __init__(self, app: ASGIApp, *, max_bytes: Callable[[Scope], int], refuse: Refusal,
                 admit: Callable[[], int]) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.refuse = refuse
        self.admit = admit
        self._door: RunVar[anyio.Semaphore] = RunVar("pressroom_write_door")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        door = self._door.get(None)
        if door is None:
            door = anyio.Semaphore(max(1, self.admit()))
            self._door.set(door)
        async with door:
            await self._checked(scope, receive, send)

    async def _checked(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        limit = self.max_bytes(scope)
        try:
            declared = headers.get(b"content-length")
            if declared is not None and (not declared.isdigit() or int(declared) > limit):
                raise Refused(TOO_LARGE)
            chunks: list[bytes] = []
            size = 0
            more = True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    raise Refused(TOO_LARGE)
                chunks.append(chunk)
                more = message.get("more_body", False)
            body = b"".join(chunks)
            check_body(headers.get(b"content-type", b"").decode("latin-1"), body)
        except Refused as refused:
            status = 413 if refused.reason == TOO_LARGE else 400
            await self.refuse(scope, status, refused.reason)(scope, receive, send)
            return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
