"""Object-level rules for questions (pure functions, no HTTP)."""

from __future__ import annotations

from pressroom.accounts.enums import Role
from pressroom.accounts.models import User
from pressroom.core.clock import now
from pressroom.questions.models import Assignment, Question


def can_see_question(
    user: User | None, question: Question, assignment: Assignment | None, scope: set[int],
    helpers: set[int] | frozenset[int] = frozenset(),
) -> bool:
    """Published questions are public; otherwise the asker, the screening spokesperson, the
    unit it is assigned to and the units asked for input (``helpers``) may see it."""
    if question.is_public(now()):
        return True
    if user is None:
        return False
    if user.role == Role.JOURNALIST:
        return question.asker_id == user.id
    if user.role == Role.SPOKESPERSON:
        return question.addressed_to_id in scope
    if user.role == Role.UNIT_OFFICER:
        return assignment is not None and (assignment.unit_id in scope or bool(helpers & scope))
    return False


def can_screen(user: User, question: Question, scope: set[int]) -> bool:
    return user.allows("questions.screen") and question.addressed_to_id in scope
