"""The only source of "now" in Pressroom: always UTC and timezone-aware."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes for values we stored as UTC; make them aware again."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
