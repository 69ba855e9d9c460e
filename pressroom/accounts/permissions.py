"""Which role may do what. Routes name a permission; this table is the one place it is decided."""

from __future__ import annotations

from pressroom.accounts.enums import Role

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.JOURNALIST: frozenset({"account", "questions.submit", "questions.own",
                                "conferences.attend"}),
    Role.UNIT_OFFICER: frozenset({"account", "assignments.view", "answers.draft",
                                  "cases.comment"}),
    Role.SPOKESPERSON: frozenset(
        {
            "account",
            "conferences.manage",
            "questions.screen",
            "answers.review",
            "transcripts.manage",
            "cases.comment",
            "reach.view",
        }
    ),
    Role.ADMIN: frozenset({"account", "users.manage", "events.export", "outbox.view",
                           "calendar.manage", "reach.view"}),
}

ALL_PERMISSIONS = frozenset().union(*ROLE_PERMISSIONS.values())


def role_allows(role: Role | str, permission: str) -> bool:
    if permission not in ALL_PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    return permission in ROLE_PERMISSIONS.get(Role(role), frozenset())
