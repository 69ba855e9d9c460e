from __future__ import annotations

from enum import StrEnum

from pressroom.core.i18n import gettext, lazy


class Role(StrEnum):
    JOURNALIST = "journalist"
    UNIT_OFFICER = "unit_officer"
    SPOKESPERSON = "spokesperson"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.JOURNALIST: lazy("Journalist"),
    Role.UNIT_OFFICER: lazy("Focal officer"),
    Role.SPOKESPERSON: lazy("Spokesperson"),
    Role.ADMIN: lazy("Administrator"),
}


def role_names() -> dict[str, str]:
    """Each role's name in the current language, keyed by the stored value."""
    return {role.value: gettext(label) for role, label in ROLE_LABELS.items()}
