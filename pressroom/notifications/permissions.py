"""Who may read what of notifications (pure functions, no HTTP)."""

from __future__ import annotations

from typing import Protocol

OWN = "account"
"""The rule of a user's own notification pages: every role's."""
OUTBOX = "outbox.view"
"""The rule of the outbox page (administrators)."""


class Principal(Protocol):
    id: int | None


class Owned(Protocol):
    user_id: int


def can_read(user: Principal, notification: Owned) -> bool:
    """A notification is read only by the user it was written for."""
    return user.id is not None and notification.user_id == user.id
