from __future__ import annotations

from enum import StrEnum

from pressroom.core.i18n import lazy


class QuestionState(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    ASSIGNED = "assigned"
    ANSWERED = "answered"
    PUBLISHED = "published"


QUESTION_TRANSITIONS: dict[QuestionState, frozenset[QuestionState]] = {
    QuestionState.SUBMITTED: frozenset({QuestionState.ACCEPTED, QuestionState.REJECTED}),
    QuestionState.ACCEPTED: frozenset({QuestionState.ASSIGNED}),
    QuestionState.REJECTED: frozenset(),
    QuestionState.ASSIGNED: frozenset({QuestionState.ASSIGNED, QuestionState.ANSWERED}),
    QuestionState.ANSWERED: frozenset({QuestionState.PUBLISHED}),
    QuestionState.PUBLISHED: frozenset(),
}

QUESTION_STATE_LABELS = {
    QuestionState.SUBMITTED: lazy("Submitted"),
    QuestionState.ACCEPTED: lazy("Accepted"),
    QuestionState.REJECTED: lazy("Declined"),
    QuestionState.ASSIGNED: lazy("Assigned"),
    QuestionState.ANSWERED: lazy("Answered"),
    QuestionState.PUBLISHED: lazy("Published"),
}
