"""A short-lived in-process cache of public pages as anonymous visitors see them.

Only pages rendered for a visitor who is not logged in and has no pending message are kept,
keyed by locale and URL. The browser's CSRF token is put in at serve time (the cached bytes
hold a placeholder). Entries live a few seconds and the whole cache is dropped after any
write request served by this process, so a change shows at once here and within the TTL in
other processes; nothing becomes public early, because pages are only ever rendered from
the public queries.
"""

from __future__ import annotations

import threading
import time

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
