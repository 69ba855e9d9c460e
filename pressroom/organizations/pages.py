"""The administrator's pages: accounts and the organisations they work for."""

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
    form_once,
    require,
)
from pressroom.core.errors import ValidationFailed
from pressroom.core.formtools import validate
from pressroom.core.i18n import gettext as _
from pressroom.core.i18n import local_zone
from pressroom.core.templating import render
from pressroom.organizations.forms import UserCreateForm
from pressroom.organizations.queries import all_organizations, organizations_of_users
from pressroom.organizations.service import add_member

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
