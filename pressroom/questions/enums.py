from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pressroom.core.i18n import gettext, lazy


class QuestionState(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    ASSIGNED = "assigned"
    ANSWERED = "answered"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"


# A question's state as people read it (Question.shown_state): the state, or one of these.
ShownState = QuestionState | Literal["scheduled", "overdue", "holding"]

QUESTION_TRANSITIONS: dict[QuestionState, frozenset[QuestionState]] = {
    QuestionState.SUBMITTED: frozenset({QuestionState.ACCEPTED, QuestionState.REJECTED,
                                        QuestionState.MERGED, QuestionState.WITHDRAWN}),
    # → submitted: transferred to another ministry, which screens it afresh.
    QuestionState.ACCEPTED: frozenset({QuestionState.ASSIGNED, QuestionState.MERGED,
                                       QuestionState.WITHDRAWN, QuestionState.SUBMITTED}),
    QuestionState.REJECTED: frozenset(),
    QuestionState.ASSIGNED: frozenset({QuestionState.ASSIGNED, QuestionState.ANSWERED,
                                       QuestionState.WITHDRAWN}),
    QuestionState.ANSWERED: frozenset({QuestionState.PUBLISHED}),
    QuestionState.PUBLISHED: frozenset(),
    QuestionState.WITHDRAWN: frozenset(),
    QuestionState.MERGED: frozenset(),
}

# Questions that can still take another one in (the group then gets this one's answer).
MERGE_TARGET_STATES = frozenset({QuestionState.SUBMITTED, QuestionState.ACCEPTED,
                                 QuestionState.ASSIGNED, QuestionState.ANSWERED,
                                 QuestionState.PUBLISHED})


class DeclineGround(StrEnum):
    """Why a question is declined: the grounds of Press Law 2016 Art. 38 on which a body may
    refuse to give information, and "other" (with the reason written out). Two more are on
    the list because press officers look for them there, but lead elsewhere: a question
    outside the ministry's remit is transferred, a duplicate merged (REDIRECTED_GROUNDS)."""

    STATE_SECRET = "state_secret"  # noqa: S105 (a ground, not a password)
    PRIVATE_LIFE = "private_life"
    UNDER_INVESTIGATION = "under_investigation"
    UNDER_INSPECTION = "under_inspection"
    DRAFT_POLICY = "draft_policy"
    OUTSIDE_REMIT = "outside_remit"
    DUPLICATE = "duplicate"
    OTHER = "other"


REDIRECTED_GROUNDS = {
    DeclineGround.OUTSIDE_REMIT: lazy("Not within this ministry's remit: transfer the question "
                                      "to the body that is competent instead of declining it."),
    DeclineGround.DUPLICATE: lazy("A duplicate: merge it into the earlier question instead of "
                                  "declining it; its asker then receives that answer."),
}


DECLINE_GROUND_LABELS = {
    DeclineGround.STATE_SECRET: lazy("It contains a state secret"),
    DeclineGround.PRIVATE_LIFE: lazy("It concerns private life or another secret protected by "
                                     "law"),
    DeclineGround.UNDER_INVESTIGATION: lazy("It concerns a case under investigation or not yet "
                                            "tried"),
    DeclineGround.UNDER_INSPECTION: lazy("It concerns a matter under inspection or complaint "
                                         "resolution without a conclusion yet"),
    DeclineGround.DRAFT_POLICY: lazy("It concerns a policy or draft not yet open for "
                                     "consultation"),
    DeclineGround.OUTSIDE_REMIT: lazy("Not within this ministry's remit (transfer instead)"),
    DeclineGround.DUPLICATE: lazy("A duplicate of another question (merge instead)"),
    DeclineGround.OTHER: lazy("Another ground (written out in the message)"),
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
    QuestionState.WITHDRAWN: lazy("The journalist withdrew it: nothing more can be done with "
                                  "it."),
    QuestionState.MERGED: lazy("It was merged into another question, which is answered for "
                               "both: work on that one."),
}

QUESTION_STATE_LABELS = {
    QuestionState.SUBMITTED: lazy("Submitted"),
    QuestionState.ACCEPTED: lazy("Accepted"),
    QuestionState.REJECTED: lazy("Declined"),
    QuestionState.ASSIGNED: lazy("Assigned"),
    QuestionState.ANSWERED: lazy("Answered"),
    QuestionState.PUBLISHED: lazy("Published"),
    QuestionState.WITHDRAWN: lazy("Withdrawn"),
    QuestionState.MERGED: lazy("Merged"),
}

# The states only shown (Question.shown_state), beside the stored ones.
SHOWN_STATE_LABELS = {
    "overdue": lazy("Overdue"),
    "holding": lazy("Holding reply sent"),
}


def question_state_labels() -> dict[str, str]:
    """Every state a question is shown in, by its name, in the reader's language."""
    return {**{state.value: gettext(label) for state, label in QUESTION_STATE_LABELS.items()},
            **{name: gettext(label) for name, label in SHOWN_STATE_LABELS.items()}}
