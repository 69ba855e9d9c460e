from __future__ import annotations

from enum import StrEnum

from pressroom.core.i18n import lazy


class ReachKind(StrEnum):
    """What a visitor reads: an official answer, a press conference's page, or the transcript
    of a conference (shown on the conference's page and as a PDF)."""

    ANSWER = "answer"
    CONFERENCE = "conference"
    TRANSCRIPT = "transcript"


REACH_KIND_LABELS = {
    ReachKind.ANSWER: lazy("Answer"),
    ReachKind.CONFERENCE: lazy("Press conference"),
    ReachKind.TRANSCRIPT: lazy("Transcript"),
}
