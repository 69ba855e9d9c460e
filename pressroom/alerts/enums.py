"""What an alert subscription follows."""

from __future__ import annotations

from enum import StrEnum

from pressroom.core.i18n import lazy


class AlertTarget(StrEnum):
    """A ministry (its answers and press conferences), one press conference (its transcript),
    or a search (whatever new public thing it finds)."""

    MINISTRY = "ministry"
    CONFERENCE = "conference"
    SEARCH = "search"


class PublishedKind(StrEnum):
    """A new public thing that alerts tell of (the search index's kinds)."""

    ANSWER = "answer"
    CONFERENCE = "conference"
    TRANSCRIPT = "transcript"


PUBLISHED_LABELS = {
    PublishedKind.ANSWER: lazy("New official answer"),
    PublishedKind.CONFERENCE: lazy("New press conference"),
    PublishedKind.TRANSCRIPT: lazy("Transcript published"),
}
