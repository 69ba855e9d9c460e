"""Object-level rules for answers (pure functions, no HTTP)."""

from __future__ import annotations

from pressroom.accounts.models import User
from pressroom.questions.models import Assignment, Question


def can_draft(user: User, assignment: Assignment | None, scope: set[int]) -> bool:
    """A focal officer drafts answers for questions currently assigned to their unit."""
    return user.allows("answers.draft") and assignment is not None and assignment.unit_id in scope


def can_review(user: User, question: Question, scope: set[int]) -> bool:
    """Only a spokesperson of the addressed ministry approves, returns or publishes."""
    return user.allows("answers.review") and question.addressed_to_id in scope


def can_comment(user: User, question: Question, assignment: Assignment | None,
                scope: set[int], helpers: set[int] | frozenset[int] = frozenset()) -> bool:
    """The internal thread is the case's staff's: the addressed ministry's spokespersons, the
    officers of the unit it is assigned to and of the units asked for input (``helpers``);
    never the journalist."""
    return user.allows("cases.comment") and (
        can_review(user, question, scope) or can_draft(user, assignment, scope)
        or (assignment is not None and bool(helpers & scope)))
