from __future__ import annotations

from enum import StrEnum

from pressroom.core.i18n import lazy


class AnswerState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


ANSWER_TRANSITIONS: dict[AnswerState, frozenset[AnswerState]] = {
    AnswerState.DRAFT: frozenset({AnswerState.DRAFT, AnswerState.SUBMITTED}),
    AnswerState.RETURNED: frozenset({AnswerState.RETURNED, AnswerState.SUBMITTED}),
    AnswerState.SUBMITTED: frozenset({AnswerState.APPROVED, AnswerState.RETURNED}),
    AnswerState.APPROVED: frozenset(),
}

# What can be done with an answer in each state: said when an action does not fit it.
ANSWER_NEXT_STEPS = {
    AnswerState.DRAFT: lazy("It is a draft of the unit: the unit can change it and send it for "
                            "approval."),
    AnswerState.SUBMITTED: lazy("It awaits approval: the spokesperson can approve it or return "
                                "it to the unit."),
    AnswerState.RETURNED: lazy("It was returned to the unit: the unit can revise it and send it "
                               "again."),
    AnswerState.APPROVED: lazy("It is approved: the spokesperson can publish it, now or at a "
                               "set time, unless that is already done."),
}

ANSWER_STATE_LABELS = {
    AnswerState.DRAFT: lazy("Draft"),
    AnswerState.SUBMITTED: lazy("Awaiting approval"),
    AnswerState.RETURNED: lazy("Returned"),
    AnswerState.APPROVED: lazy("Approved"),
}
