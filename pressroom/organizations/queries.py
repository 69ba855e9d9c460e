"""Reads over the organisation tree."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from pressroom.accounts.enums import Role
from pressroom.accounts.models import User
from pressroom.organizations.enums import OrgKind
from pressroom.organizations.models import Membership, Organization, Spokesperson

TOP_LEVEL = (OrgKind.GOVERNMENT_OFFICE, OrgKind.MINISTRY, OrgKind.AGENCY)


def all_organizations(session: Session) -> list[Organization]:
    return list(session.exec(select(Organization).order_by(col(Organization.id))))


def organization_by_id(session: Session, org_id: int) -> Organization | None:
    """One organisation, as ``session.get`` finds it but through a query built once: the
    submission of every question looks up its addressee, and ``session.get`` built its query
    anew each time (PostgreSQL, measured per call: 0.9 ms against 0.5 ms)."""
    return session.exec(_organization_query(), params={"org_id": org_id}).first()


@cache
def _organization_query() -> SelectOfScalar[Organization]:
    return select(Organization).where(Organization.id == bindparam("org_id"))


def subtree_ids(session: Session, root_id: int) -> set[int]:
    """The organisation and everything below it (the table is small: one read, walked here)."""
    children: dict[int | None, list[int]] = {}
    for org_id, parent_id in session.exec(select(Organization.id, Organization.parent_id)):
        children.setdefault(parent_id, []).append(org_id)  # type: ignore[arg-type]
    found, stack = set(), [root_id]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found


def top_level_of(session: Session, org_id: int) -> Organization:
    """The ministry, agency or Government Office an organisation belongs to."""
    org = session.get(Organization, org_id)
    while org is not None and org.kind not in TOP_LEVEL and org.parent_id is not None:
        org = session.get(Organization, org.parent_id)
    if org is None:
        raise LookupError(org_id)
    return org


def top_level_organizations(session: Session) -> list[Organization]:
    return list(
        session.exec(
            select(Organization)
            .where(col(Organization.kind).in_(TOP_LEVEL))
            .order_by(col(Organization.kind) != OrgKind.GOVERNMENT_OFFICE, col(Organization.name))
        )
    )


def units_in(session: Session, root_id: int) -> list[Organization]:
    ids = subtree_ids(session, root_id)
    return list(
        session.exec(
            select(Organization)
            .where(col(Organization.id).in_(ids), Organization.kind == OrgKind.UNIT)
            .order_by(col(Organization.name))
        )
    )


def organization_of(session: Session, user_id: int) -> Organization | None:
    """The organisation a staff account works for, if any."""
    return session.exec(
        select(Organization)
        .join(Membership, Membership.organization_id == Organization.id)  # type: ignore[arg-type]
        .where(Membership.user_id == user_id)
    ).first()


def organizations_of_users(session: Session, user_ids: set[int]) -> dict[int, Organization]:
    """The organisation each staff account works for, in one query (list pages)."""
    if not user_ids:
        return {}
    rows = session.exec(
        select(Membership.user_id, Organization)
        .join(Organization, Membership.organization_id == Organization.id)  # type: ignore[arg-type]
        .where(col(Membership.user_id).in_(user_ids))
    )
    return dict(rows.all())


def spokespersons_of(session: Session, org_id: int) -> list[Spokesperson]:
    return list(
        session.exec(
            select(Spokesperson)
            .where(Spokesperson.organization_id == org_id)
            .order_by(*_speaking_order())
        )
    )


def _speaking_order() -> tuple[Any, ...]:
    """Principal spokespersons before persons authorised to speak, each by name."""
    return col(Spokesperson.is_deputy), col(Spokesperson.full_name), col(Spokesperson.id)


def spokesperson_directory(session: Session) -> list[tuple[Organization, list[Spokesperson]]]:
    """Every ministry, agency and the Government Office (in the order of
    ``top_level_organizations``) with its spokespersons, in two queries. A spokesperson
    recorded on a unit is listed under the unit's ministry."""
    tops = top_level_organizations(session)
    parents = dict(session.exec(select(Organization.id, Organization.parent_id)).all())
    top_ids = {org.id for org in tops}
    found: dict[int | None, list[Spokesperson]] = {org.id: [] for org in tops}
    for person in session.exec(select(Spokesperson).order_by(*_speaking_order())):
        org_id: int | None = person.organization_id
        while org_id is not None and org_id not in top_ids:
            org_id = parents.get(org_id)
        if org_id is not None:
            found[org_id].append(person)
    return [(org, found[org.id]) for org in tops]


def members(session: Session, org_id: int, role: Role) -> list[User]:
    """The active accounts of ``role`` that work for the organisation ``org_id`` itself."""
    return list(session.exec(_members_query(), params={"org_id": org_id, "role": role}))


@cache
def _members_query() -> SelectOfScalar[User]:
    # Built once, values bound at execution: every notification of a submission, screening
    # or assignment runs it, and building it cost about as much as running it.
    return (select(User).join(Membership, col(Membership.user_id) == User.id)
            .where(Membership.organization_id == bindparam("org_id"),
                   User.role == bindparam("role"), col(User.is_active).is_(True))
            .order_by(col(User.id)))


def officers_of(session: Session, unit_ids: list[int]) -> dict[int, list[User]]:
    """The active officers of each of the units (one query), by id."""
    found: dict[int, list[User]] = {unit_id: [] for unit_id in unit_ids}
    for user, org_id in session.exec(
            select(User, Membership.organization_id).join(Membership, col(Membership.user_id) == User.id)
            .where(col(Membership.organization_id).in_(unit_ids), User.role == Role.UNIT_OFFICER,
                   col(User.is_active).is_(True))
            .order_by(col(User.id))):
        found[org_id].append(user)
    return found


def spokesperson_for_user(session: Session, user_id: int) -> Spokesperson | None:
    return session.exec(select(Spokesperson).where(Spokesperson.user_id == user_id)).first()


def scope_of(session: Session, user_id: int) -> set[int]:
    """The organisations a staff account's rights cover: its own and everything below."""
    org = organization_of(session, user_id)
    return subtree_ids(session, org.id) if org is not None and org.id is not None else set()


def units_in_scope(session: Session, user_id: int) -> list[Organization]:
    """The units a staff account's rights cover (a spokesperson: the ministry's), by name."""
    scope = scope_of(session, user_id)
    return [o for o in all_organizations(session) if o.id in scope and o.kind == OrgKind.UNIT]
