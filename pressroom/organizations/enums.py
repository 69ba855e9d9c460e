from __future__ import annotations

from enum import StrEnum

from pressroom.core.i18n import lazy


class OrgKind(StrEnum):
    GOVERNMENT_OFFICE = "government_office"
    MINISTRY = "ministry"
    AGENCY = "agency"
    UNIT = "unit"


ORG_KIND_LABELS = {
    OrgKind.GOVERNMENT_OFFICE: lazy("Government Office"),
    OrgKind.MINISTRY: lazy("Ministry"),
    OrgKind.AGENCY: lazy("Government agency"),
    OrgKind.UNIT: lazy("Unit"),
}
