"""Object-level rules for conferences (pure functions, no HTTP)."""

from __future__ import annotations

from pressroom.accounts.models import User
from pressroom.conferences.models import PressConference


def can_manage_conference(user: User, conference: PressConference, scope: set[int]) -> bool:
    """A spokesperson manages the conferences hosted by their organisation or below it."""
    return user.allows("conferences.manage") and conference.host_organization_id in scope
