"""The public addresses that count, read back from a request path: which thing they show,
and whether they are its page (a view) or its PDF (a download). The patterns are those of
publishing/pages.py's routes (a test holds them together)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from pressroom.core.schemas import MAX_ID
from pressroom.reach.enums import ReachKind

_ID = r"([1-9][0-9]{0,17})"
PATTERNS: tuple[tuple[str, re.Pattern[str], ReachKind, bool], ...] = (
    ("/answers/{answer_id}", re.compile(rf"/answers/{_ID}"), ReachKind.ANSWER, False),
    ("/answers/{answer_id}/pdf", re.compile(rf"/answers/{_ID}/pdf"), ReachKind.ANSWER, True),
    ("/answers/{answer_id}/versions/{version}/pdf",
     re.compile(rf"/answers/{_ID}/versions/[1-9][0-9]{{0,17}}/pdf"), ReachKind.ANSWER, True),
    ("/conferences/{conference_id}", re.compile(rf"/conferences/{_ID}"),
     ReachKind.CONFERENCE, False),
    ("/conferences/{conference_id}/transcript/pdf",
     re.compile(rf"/conferences/{_ID}/transcript/pdf"), ReachKind.TRANSCRIPT, True),
)
"""(route path, pattern, kind, is a download)."""


@dataclass(frozen=True)
class Target:
    kind: ReachKind
    object_id: int
    download: bool


def target_of(target: str) -> Target | None:
    """What a request target (path and query, percent-encoded as sent) shows, if it counts.
    The path is decoded as the server decodes it; the query does not matter."""
    try:
        path = unquote(target.split("?", 1)[0].split("#", 1)[0], errors="strict")
    except UnicodeDecodeError:
        return None
    for _route, pattern, kind, download in PATTERNS:
        found = pattern.fullmatch(path)
        if found and int(found.group(1)) <= MAX_ID:
            return Target(kind, int(found.group(1)), download)
    return None
