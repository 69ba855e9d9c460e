from __future__ import annotations

from enum import StrEnum

from pressroom.core.i18n import lazy


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
