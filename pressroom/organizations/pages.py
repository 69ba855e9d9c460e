"""The administrator's pages (accounts and the organisations they work for) and the
spokesperson's page of the ministry's units (their backup officers)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from pressroom.accounts import service
from pressroom.accounts.enums import ROLE_LABELS, Role
from pressroom.accounts.models import User
from pressroom.accounts.queries import all_users
from pressroom.core import audit, idempotency
from pressroom.core.clock import now
from pressroom.core.deps import (
    CsrfDep,
    FormDep,
    PaginationDep,
    SessionDep,
    flash_redirect,
    form_int,
    form_once,
    require,
)
from pressroom.core.errors import ValidationFailed
from pressroom.core.formtools import validate
from pressroom.core.i18n import gettext as _
from pressroom.core.i18n import local_zone
from pressroom.core.templating import render
from pressroom.organizations.forms import UserCreateForm
from pressroom.organizations.models import Organization
from pressroom.organizations.queries import (
    all_organizations,
    officers_of,
    organizations_of_users,
    units_in_scope,
)
from pressroom.organizations.service import add_member, set_backup_officer

router = APIRouter(include_in_schema=False)


def _users_page(request: Request, session: SessionDep, pagination: Any, form: dict[str, Any],
                errors: dict[str, str], status: int = 200) -> Response:
    rows = all_users(session, pagination.size + 1, pagination.offset)
    return render(request, "accounts/users.html", {
        "rows": rows[: pagination.size],
        "user_organizations": organizations_of_users(session, {u.id or 0 for u, _o in rows}),
        "page": pagination.page,
        "has_next": len(rows) > pagination.size,
        "roles": [(role.value, _(label)) for role, label in ROLE_LABELS.items()],
        "role_labels": {role.value: _(label) for role, label in ROLE_LABELS.items()},
        "organizations": [(str(o.id), o.name) for o in all_organizations(session)],
        "form": form,
        "errors": errors,
    }, status)


@router.get("/admin/users", dependencies=[require("users.manage")])
def users_page(request: Request, session: SessionDep, pagination: PaginationDep) -> Response:
    return _users_page(request, session, pagination, {}, {})


@router.post("/admin/users", dependencies=[CsrfDep])
def create_user(
    request: Request, session: SessionDep, pagination: PaginationDep, posted: FormDep,
    admin: Annotated[User, require("users.manage")],
) -> Response:
    raw = {k: v for k, v in posted.items() if isinstance(v, str)}
    raw["organization_id"] = raw.get("organization_id") or None  # type: ignore[assignment]
    data, errors = validate(UserCreateForm, raw)
    form = {k: v for k, v in raw.items() if k not in ("password", "csrf_token")}
    if data is None:
        return _users_page(request, session, pagination, form, errors, 400)
    try:
        replay, slot = form_once(request, session, admin, posted)
        if replay is not None:
            return replay
        outlet = (service.get_or_create_outlet(session, name=data.outlet_name)
                  if data.role == Role.JOURNALIST and data.outlet_name.strip() else None)
        user = service.create_user(session, email=data.email, full_name=data.full_name,
                                   password=data.password, role=data.role, outlet=outlet,
                                   press_card_number=data.press_card_number, actor=admin)
        if data.role in (Role.UNIT_OFFICER, Role.SPOKESPERSON):
            if data.organization_id is None:
                raise ValidationFailed("", fields={
                    "organization_id": _("Choose the organisation this person works for.")})
            add_member(session, user_id=user.id or 0, organization_id=data.organization_id,
                       actor=admin)
        idempotency.settle(session, slot, status=303, location="/admin/users")
    except ValidationFailed as exc:
        session.rollback()
        return _users_page(request, session, pagination, form,
                           exc.fields or {"__all__": exc.message}, 400)
    session.commit()
    return flash_redirect("/admin/users", _("Account created for %(name)s.", name=user.full_name))


@router.get("/admin/events.csv")
def events_csv(session: SessionDep, admin: Annotated[User, require("events.export")]) -> Response:
    """The whole event record as CSV, streamed in batches (the request's session stays open
    until the response is sent)."""
    stamp = now().astimezone(local_zone()).strftime("%Y%m%d-%H%M")
    return StreamingResponse(audit.csv_lines(session), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="pressroom-events-{stamp}.csv"'})


# --- the spokesperson's units -------------------------------------------------------------

Screener = Annotated[User, require("questions.screen")]


def _units(session: SessionDep, user: User) -> list[tuple[Organization, list[User]]]:
    units = units_in_scope(session, user.id or 0)
    officers = officers_of(session, [u.id or 0 for u in units])
    return [(unit, officers[unit.id or 0]) for unit in units]


def _units_page(request: Request, session: SessionDep, user: User, form: dict[str, str],
                errors: dict[str, str], status: int = 200) -> Response:
    units = _units(session, user)
    values = {f"backup-{unit.id}": str(unit.backup_officer_id or "") for unit, _o in units}
    return render(request, "organizations/units.html", {
        "units": units, "form": {**values, **form}, "errors": errors,
        "options": {unit.id: [(str(o.id), o.full_name) for o in officers]
                    for unit, officers in units}}, status)


@router.get("/staff/units")
def units_page(request: Request, session: SessionDep, user: Screener) -> Response:
    """The units of the spokesperson's ministry, their officers and backup officers."""
    return _units_page(request, session, user, {}, {})


@router.post("/staff/units", dependencies=[CsrfDep])
def save_backups(request: Request, session: SessionDep, user: Screener, form: FormDep) -> Response:
    """Names each unit's backup officer (field ``backup-<unit id>``: an officer's id, or
    empty for nobody); units whose field is absent keep theirs."""
    posted = {k: v for k, v in form.items() if isinstance(v, str) and k.startswith("backup-")}
    errors: dict[str, str] = {}
    for unit, _officers in _units(session, user):
        name = f"backup-{unit.id}"
        if name not in posted:
            continue
        chosen = form_int(form, name)
        if posted[name] and chosen is None:
            errors[name] = _("Choose an officer of this unit.")
            continue
        if chosen != unit.backup_officer_id:
            try:
                set_backup_officer(session, actor=user, unit=unit, officer_id=chosen)
            except ValidationFailed as exc:
                errors[name] = exc.message
    if errors:
        session.rollback()
        return _units_page(request, session, user, posted, errors, 400)
    session.commit()
    return flash_redirect("/staff/units", _("The backup officers are saved."))
