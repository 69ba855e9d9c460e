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

# What can be done with a question in each state: said when an action does not fit it.
QUESTION_NEXT_STEPS = {
    QuestionState.SUBMITTED: lazy("It is waiting to be screened: the spokesperson can accept or "
                                  "decline it."),
    QuestionState.ACCEPTED: lazy("It is accepted: the spokesperson can assign it to a unit."),
    QuestionState.REJECTED: lazy("It was declined: nothing more can be done with it."),
    QuestionState.ASSIGNED: lazy("A unit is preparing the answer: the spokesperson can assign "
                                 "it to another unit."),
    QuestionState.ANSWERED: lazy("Its answer is approved: the spokesperson can publish it."),
    QuestionState.PUBLISHED: lazy("Its answer is published (or set to be): nothing more can be "
                                  "done with it."),
}

QUESTION_STATE_LABELS = {
    QuestionState.SUBMITTED: lazy("Submitted"),
    QuestionState.ACCEPTED: lazy("Accepted"),
    QuestionState.REJECTED: lazy("Declined"),
    QuestionState.ASSIGNED: lazy("Assigned"),
    QuestionState.ANSWERED: lazy("Answered"),
    QuestionState.PUBLISHED: lazy("Published"),
}
