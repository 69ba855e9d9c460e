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

ANSWER_STATE_LABELS = {
    AnswerState.DRAFT: lazy("Draft"),
    AnswerState.SUBMITTED: lazy("Awaiting approval"),
    AnswerState.RETURNED: lazy("Returned"),
    AnswerState.APPROVED: lazy("Approved"),
}
