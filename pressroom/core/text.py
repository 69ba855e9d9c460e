"""Vietnamese-aware text helpers."""

from __future__ import annotations

import unicodedata


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
