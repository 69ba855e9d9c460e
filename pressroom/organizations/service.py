"""Organisations, staff membership and public spokesperson records. Services flush only."""

from __future__ import annotations

from sqlmodel import Session

from pressroom.accounts.enums import Role
from pressroom.accounts.models import User
from pressroom.core import audit
from pressroom.core.errors import NotFound, PermissionDenied, ValidationFailed
from pressroom.core.i18n import gettext as _
from pressroom.core.text import clean
from pressroom.organizations.enums import OrgKind
from pressroom.organizations.models import Membership, Organization, Spokesperson
from pressroom.organizations.queries import members, scope_of


def create_organization(
    session: Session, *, name: str, kind: OrgKind, short_name: str = "", parent_id: int | None = None
) -> Organization:
    """Adds an organisation. Side effects: inserts a row. Errors: ValidationFailed, NotFound."""
    if not clean(name):
        raise ValidationFailed(_("Enter the name."), fields={"name": _("Enter the name.")})
    if kind == OrgKind.UNIT and parent_id is None:
        raise ValidationFailed(_("A unit belongs to a ministry or agency."))
    if parent_id is not None and session.get(Organization, parent_id) is None:
        raise NotFound(_("Organisation not found."))
    org = Organization(name=clean(name), short_name=clean(short_name), kind=kind,
                       parent_id=parent_id)
    session.add(org)
    session.flush()
    return org


def add_member(session: Session, *, user_id: int, organization_id: int,
               actor: audit.Actor | None = None) -> Membership:
    """Makes a staff account work for an organisation (``actor``: the admin, or None from the
    command line). Side effects: inserts or moves the membership, records it on the user."""
    if session.get(Organization, organization_id) is None:
        raise NotFound(_("Organisation not found."))
    membership = session.get(Membership, user_id)
    before = membership.organization_id if membership is not None else None
    if membership is None:
        membership = Membership(user_id=user_id, organization_id=organization_id)
        session.add(membership)
    else:
        membership.organization_id = organization_id
    if before != organization_id:
        audit.record(session, actor=actor, action="user.updated",
                     subject=audit.Ref("user_account", user_id),
                     changes={"organization_id": [before, organization_id]})
    session.flush()
    return membership


def add_spokesperson(
    session: Session,
    *,
    organization_id: int,
    full_name: str,
    title: str,
    phone: str = "",
    email: str = "",
    user_id: int | None = None,
    is_deputy: bool = False,
) -> Spokesperson:
    """Records a spokesperson whose contact details are public. Side effects: inserts a row."""
    person = Spokesperson(
        organization_id=organization_id,
        full_name=clean(full_name),
        title=clean(title),
        phone=clean(phone),
        email=clean(email).lower(),
        user_id=user_id,
        is_deputy=is_deputy,
    )
    session.add(person)
    session.flush()
    return person


def set_backup_officer(session: Session, *, actor: User, unit: Organization,
                       officer_id: int | None) -> None:
    """The spokesperson names the officer of ``unit`` who stands in for a colleague who holds
    a question (None: nobody). Side effects: the unit's backup officer, one event.
    Errors: PermissionDenied (not a unit of the spokesperson's ministry), ValidationFailed (not
    an active officer of that unit)."""
    if not actor.allows("questions.screen") or unit.kind != OrgKind.UNIT or (
            unit.id not in scope_of(session, actor.id or 0)):
        raise PermissionDenied(_("Only the spokesperson of the unit's ministry names its backup "
                                 "officer."))
    if officer_id is not None and officer_id not in {
            u.id for u in members(session, unit.id or 0, Role.UNIT_OFFICER)}:
        message = _("Choose an officer of this unit.")
        raise ValidationFailed(message, fields={"officer_id": message})
    unit.backup_officer_id = officer_id
    session.add(unit)
    audit.record(session, actor=actor, action="unit.backup_set", subject=unit)
    session.flush()
