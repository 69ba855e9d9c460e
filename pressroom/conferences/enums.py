from __future__ import annotations

from enum import StrEnum

from pressroom.core.i18n import lazy


class ConferenceStatus(StrEnum):
    DRAFT = "draft"
    ANNOUNCED = "announced"
    HELD = "held"
    TRANSCRIPT_PUBLISHED = "transcript_published"
    CANCELLED = "cancelled"


CONFERENCE_TRANSITIONS: dict[ConferenceStatus, frozenset[ConferenceStatus]] = {
    ConferenceStatus.DRAFT: frozenset({ConferenceStatus.ANNOUNCED, ConferenceStatus.CANCELLED}),
    ConferenceStatus.ANNOUNCED: frozenset({ConferenceStatus.HELD, ConferenceStatus.CANCELLED}),
    ConferenceStatus.HELD: frozenset({ConferenceStatus.TRANSCRIPT_PUBLISHED}),
    ConferenceStatus.TRANSCRIPT_PUBLISHED: frozenset(),
    ConferenceStatus.CANCELLED: frozenset(),
}

PUBLIC_STATUSES = frozenset(
    {ConferenceStatus.ANNOUNCED, ConferenceStatus.HELD, ConferenceStatus.TRANSCRIPT_PUBLISHED}
)

CONFERENCE_STATUS_LABELS = {
    ConferenceStatus.DRAFT: lazy("Draft"),
    ConferenceStatus.ANNOUNCED: lazy("Announced"),
    ConferenceStatus.HELD: lazy("Held"),
    ConferenceStatus.TRANSCRIPT_PUBLISHED: lazy("Transcript published"),
    ConferenceStatus.CANCELLED: lazy("Cancelled"),
}
