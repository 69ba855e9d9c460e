"""The table of which role may do what (pressroom.accounts.permissions)."""

from __future__ import annotations

import pytest

from pressroom.accounts.enums import Role
from pressroom.accounts.permissions import ALL_PERMISSIONS, role_allows

EXPECTED = {
    Role.JOURNALIST: {"account", "questions.submit", "questions.own", "conferences.attend"},
    Role.UNIT_OFFICER: {"account", "assignments.view", "answers.draft", "cases.comment"},
    Role.SPOKESPERSON: {"account", "conferences.manage", "questions.screen", "answers.review",
                        "transcripts.manage", "cases.comment", "reach.view"},
    Role.ADMIN: {"account", "users.manage", "events.export", "outbox.view", "calendar.manage",
                 "reach.view"},
}


@pytest.mark.parametrize("role", list(Role))
def test_role_allows_exactly_the_permissions_of_its_role(role):
    allowed = {p for p in ALL_PERMISSIONS if role_allows(role, p)}

    assert allowed == EXPECTED[role]
    assert {p for p in ALL_PERMISSIONS if role_allows(role.value, p)} == EXPECTED[role]


def test_role_allows_an_unknown_permission_raises_naming_it():
    with pytest.raises(KeyError) as caught:
        role_allows(Role.ADMIN, "users.delete")

    assert caught.value.args == ("unknown permission 'users.delete'",)


def test_role_allows_an_unknown_role_raises():
    with pytest.raises(ValueError, match="'editor' is not a valid Role"):
        role_allows("editor", "account")
