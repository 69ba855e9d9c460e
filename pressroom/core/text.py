"""Vietnamese-aware text helpers."""

from __future__ import annotations

import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def clean(value: str | None) -> str:
    """NFC, trimmed, with Windows line endings and stray control characters removed."""
    if value is None:
        return ""
    if not isinstance(value, str):
        # As a pydantic BeforeValidator it is handed any JSON value (a number for a name):
        # left as it is, the field's type refuses it (422) instead of a TypeError (500).
        return value
    value = nfc(value).replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return value.strip()


def fold(value: str) -> str:
    """Lower case without diacritics (đ → d), for search and sorting keys."""
    value = unicodedata.normalize("NFD", nfc(value).casefold().replace("đ", "d"))
    return "".join(ch for ch in value if unicodedata.category(ch) != "Mn")


_YOUTUBE = ("youtube.com", "youtube-nocookie.com", "youtu.be")


def time_link(url: str, seconds: int) -> str:
    """The address that opens a recording ``seconds`` in: YouTube takes ``?t=``, other players
    the media fragment ``#t=`` (W3C Media Fragments)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if any(host == name or host.endswith("." + name) for name in _YOUTUBE):
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "t"]
        return urlunsplit(parts._replace(query=urlencode([*query, ("t", str(seconds))]),
                                         fragment=""))
    return urlunsplit(parts._replace(fragment=f"t={seconds}"))
