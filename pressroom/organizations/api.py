"""JSON API under /api/v1: the public directory of ministries, agencies and spokespersons (no
login; the same queries as the public pages), and the spokesperson's units with their
officers and backup officers (same service and scoping as the Units page)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Security
from fastapi.security import HTTPBearer
from pydantic import BaseModel, Field

from pressroom.accounts.models import User
from pressroom.accounts.schemas import ErrorPublic
from pressroom.core.deps import DbId, SessionDep, public, require
from pressroom.core.errors import NotFound
from pressroom.core.i18n import gettext as _
from pressroom.core.schemas import RefId
from pressroom.organizations.enums import OrgKind
from pressroom.organizations.models import Organization
from pressroom.organizations.queries import (
    TOP_LEVEL,
    officers_of,
    organization_by_id,
    scope_of,
    spokesperson_directory,
    spokespersons_of,
    units_in,
    units_in_scope,
)
from pressroom.organizations.schemas import (
    OrganizationDetailPublic,
    OrganizationPublic,
    SpokespersonPublic,
    UnitNamePublic,
)
from pressroom.organizations.service import set_backup_officer

router = APIRouter()
# The staff routes declare the bearer token (for the API docs); the directory is public.
BEARER = [Security(HTTPBearer(auto_error=False))]
PUBLIC = [public]
Screener = Annotated[User, require("questions.screen")]
AUTH: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorPublic, "description": "No valid bearer token"},
    403: {"model": ErrorPublic, "description": "Only a spokesperson"},
}


class OfficerPublic(BaseModel):
    id: int
    full_name: str


class UnitPublic(BaseModel):
    id: int
    name: str
    officers: list[OfficerPublic]
    backup_officer_id: int | None = Field(description="Stands in for a colleague who holds a "
                                                      "question (null: nobody).")


class BackupIn(BaseModel):
    officer_id: RefId | None = Field(description="An active officer of the unit; null: nobody.")


def _unit_public(unit: Organization, officers: list[User]) -> UnitPublic:
    return UnitPublic(id=unit.id or 0, name=unit.name, backup_officer_id=unit.backup_officer_id,
                      officers=[OfficerPublic(id=o.id or 0, full_name=o.full_name)
                                for o in officers])


@router.get("/staff/units", response_model=list[UnitPublic], responses=AUTH,
            summary="Your ministry's units", tags=["units"], dependencies=BEARER)
def units(session: SessionDep, user: Screener) -> list[UnitPublic]:
    """The units of your ministry with their officers and backup officers."""
    found = units_in_scope(session, user.id or 0)
    officers = officers_of(session, [u.id or 0 for u in found])
    return [_unit_public(u, officers[u.id or 0]) for u in found]


@router.put("/staff/units/{unit_id}/backup", response_model=UnitPublic, tags=["units"],
            dependencies=BEARER,
            responses={**AUTH, 404: {"model": ErrorPublic, "description": "Not your unit"},
                       422: {"description": "Not an active officer of the unit"}},
            summary="Name a unit's backup officer")
def set_backup(session: SessionDep, user: Screener, unit_id: DbId, body: BackupIn) -> UnitPublic:
    """Reminders of a question a colleague holds reach the backup officer too, who may take
    it over."""
    unit = session.get(Organization, unit_id)
    if unit is None or unit.kind != OrgKind.UNIT or unit.id not in scope_of(session,
                                                                             user.id or 0):
        raise NotFound(_("Unit not found."))
    set_backup_officer(session, actor=user, unit=unit, officer_id=body.officer_id)
    result = _unit_public(unit, officers_of(session, [unit_id])[unit_id])
    session.commit()
    return result


@router.get("/organizations", response_model=list[OrganizationPublic], tags=["public"],
            dependencies=PUBLIC, summary="Ministries and agencies")
def list_organizations(session: SessionDep) -> list[OrganizationPublic]:
    """The Government Office first, then the ministries and Government agencies by name."""
    return [OrganizationPublic.of(org) for org, _people in spokesperson_directory(session)]


@router.get("/organizations/{organization_id}", response_model=OrganizationDetailPublic,
            responses={404: {"model": ErrorPublic,
                             "description": "Unknown, or a unit (units have no entry)"}},
            tags=["public"], dependencies=PUBLIC, summary="A ministry or agency")
def get_organization(session: SessionDep, organization_id: DbId) -> OrganizationDetailPublic:
    """Its spokespersons (principal ones first, then persons authorised to speak, each by
    name) and its units by name."""
    org = organization_by_id(session, organization_id)
    if org is None or org.kind not in TOP_LEVEL:
        raise NotFound(_("Organisation not found."))
    return OrganizationDetailPublic(
        **OrganizationPublic.of(org).model_dump(),
        spokespersons=[SpokespersonPublic.of(p, organization_id)
                       for p in spokespersons_of(session, organization_id)],
        units=[UnitNamePublic(id=u.id or 0, name=u.name)
               for u in units_in(session, organization_id)])


@router.get("/spokespersons", response_model=list[SpokespersonPublic], tags=["public"],
            dependencies=PUBLIC, summary="Spokesperson directory")
def list_spokespersons(session: SessionDep) -> list[SpokespersonPublic]:
    """Every spokesperson and person authorised to speak, by ministry or agency (in the order
    of `/organizations`), principal ones first."""
    return [SpokespersonPublic.of(person, org.id or 0)
            for org, people in spokesperson_directory(session) for person in people]

