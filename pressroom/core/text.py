"""Vietnamese-aware text helpers."""

from __future__ import annotations

import unicodedata


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def clean(value: str | None) -> str:
    """NFC, trimmed, with Windows line endings and stray control characters removed."""
    if value is None:
        return ""
    value = nfc(value).replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return value.strip()


def fold(value: str) -> str:
    """Lower case without diacritics (đ → d), for search and sorting keys."""
    value = unicodedata.normalize("NFD", nfc(value).casefold().replace("đ", "d"))
    return "".join(ch for ch in value if unicodedata.category(ch) != "Mn")
