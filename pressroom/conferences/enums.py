from __future__ import annotations

from enum import StrEnum

from pressroom.core.i18n import lazy


class ConferenceStatus(StrEnum):
    DRAFT = "draft"
    ANNOUNCED = "announced"
    POSTPONED = "postponed"
    HELD = "held"
    TRANSCRIPT_PUBLISHED = "transcript_published"
    CANCELLED = "cancelled"


CONFERENCE_TRANSITIONS: dict[ConferenceStatus, frozenset[ConferenceStatus]] = {
    ConferenceStatus.DRAFT: frozenset({ConferenceStatus.ANNOUNCED, ConferenceStatus.CANCELLED}),
    ConferenceStatus.ANNOUNCED: frozenset(
        {ConferenceStatus.POSTPONED, ConferenceStatus.HELD, ConferenceStatus.CANCELLED}),
    # Postponed to a new time: still upcoming (questions welcome), may be postponed again.
    ConferenceStatus.POSTPONED: frozenset(
        {ConferenceStatus.POSTPONED, ConferenceStatus.HELD, ConferenceStatus.CANCELLED}),
    ConferenceStatus.HELD: frozenset({ConferenceStatus.TRANSCRIPT_PUBLISHED}),
    ConferenceStatus.TRANSCRIPT_PUBLISHED: frozenset(),
    ConferenceStatus.CANCELLED: frozenset(),
}

UPCOMING_STATUSES = frozenset({ConferenceStatus.ANNOUNCED, ConferenceStatus.POSTPONED})
"""Public and still to come: journalists may send questions until it ends."""

PUBLIC_STATUSES = frozenset(
    {*UPCOMING_STATUSES, ConferenceStatus.HELD, ConferenceStatus.TRANSCRIPT_PUBLISHED}
)
"""Public pages show these; a conference cancelled after it was announced stays public too
(its page says it was cancelled and why)."""

CONFERENCE_STATUS_LABELS = {
    ConferenceStatus.DRAFT: lazy("Draft"),
    ConferenceStatus.ANNOUNCED: lazy("Announced"),
    ConferenceStatus.POSTPONED: lazy("Postponed"),
    ConferenceStatus.HELD: lazy("Held"),
    ConferenceStatus.TRANSCRIPT_PUBLISHED: lazy("Transcript published"),
    ConferenceStatus.CANCELLED: lazy("Cancelled"),
}
