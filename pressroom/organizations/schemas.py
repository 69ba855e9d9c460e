"""Output models of the public organisation API: ministries and agencies, their units and
spokespersons (whose name, title, phone and e-mail are public: Decree 09/2017/NĐ-CP, Art. 3)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from pressroom.organizations.enums import OrgKind
from pressroom.organizations.models import Organization, Spokesperson


class SpokespersonPublic(BaseModel):
    id: int
    organization_id: int = Field(description="The ministry or agency the person speaks for.")
    full_name: str
    title: str
    phone: str = Field(description="Empty when none is recorded.")
    email: str = Field(description="Empty when none is recorded.")
    is_deputy: bool = Field(description="A person authorised to speak in the spokesperson's "
                                        "place (người được giao phát ngôn).")

    @classmethod
    def of(cls, person: Spokesperson, organization_id: int) -> SpokespersonPublic:
        return cls(id=person.id or 0, organization_id=organization_id,
                   full_name=person.full_name, title=person.title, phone=person.phone,
                   email=person.email, is_deputy=person.is_deputy)


class OrganizationPublic(BaseModel):
    """The Government Office, a ministry or a Government agency."""

    id: int
    name: str
    short_name: str = Field(description="Its abbreviation (empty when none).")
    kind: OrgKind
    page_url: str
    calendar_url: str = Field(description="Its public press conferences (iCalendar).")

    @classmethod
    def of(cls, org: Organization) -> OrganizationPublic:
        return cls(id=org.id or 0, name=org.name, short_name=org.short_name, kind=org.kind,
                   page_url=f"/organizations/{org.id}",
                   calendar_url=f"/organizations/{org.id}/calendar.ics")


class UnitNamePublic(BaseModel):
    id: int
    name: str


class OrganizationDetailPublic(OrganizationPublic):
    """A ministry or agency with its spokespersons (principal ones first) and units."""

    spokespersons: list[SpokespersonPublic]
    units: list[UnitNamePublic]
