"""Which visits are people's: a user agent that names a bot, crawler or script is not counted.

The patterns are the crawler-user-agents project's list (kept up to date by many hands),
not our own; a request without a User-Agent is a script too (every browser sends one)."""

from __future__ import annotations

from functools import lru_cache

import crawleruseragents

MAX_AGENT = 1000
"""Longer user agents are cut before matching (browsers send about 150 characters)."""


@lru_cache(maxsize=4096)
def _crawler(agent: str) -> bool:
    return bool(crawleruseragents.is_crawler(agent))


def is_bot(agent: str | None) -> bool:
    """Whether a visit with this User-Agent header is a bot's (or a script's) and not counted."""
    agent = (agent or "").strip()[:MAX_AGENT]
    return not agent or _crawler(agent)
