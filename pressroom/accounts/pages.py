"""Login, logout, language switch and the administrator's account list."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from pressroom.accounts import service
from pressroom.accounts.enums import ROLE_LABELS, Role
from pressroom.accounts.forms import LoginForm, UserCreateForm
from pressroom.accounts.models import User
from pressroom.accounts.queries import all_users
from pressroom.core.config import get_settings
from pressroom.core.deps import (
    CsrfDep,
    PaginationDep,
    SessionDep,
    flash_redirect,
    public,
    require,
    safe_next,
)
from pressroom.core.errors import PermissionDenied, ValidationFailed
from pressroom.core.formtools import validate
from pressroom.core.i18n import LOCALES
from pressroom.core.i18n import gettext as _
from pressroom.core.security import LANG_COOKIE, SESSION_COOKIE
from pressroom.core.templating import render
from pressroom.organizations.queries import all_organizations
from pressroom.organizations.service import add_member

router = APIRouter(include_in_schema=False)


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/login", dependencies=[public])
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "accounts/login.html", {"form": {"next": safe_next(next)}, "errors": {}})


@router.post("/login", dependencies=[public, CsrfDep])
def login(
    request: Request,
    session: SessionDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    form = {"email": email, "next": safe_next(next)}
    data, errors = validate(LoginForm, {"email": email, "password": password})
    if data is None:
        return render(request, "accounts/login.html", {"form": form, "errors": errors}, 400)
    try:
        user = service.authenticate(session, email=data.email, password=data.password,
                                    client=_client(request))
    except PermissionDenied as exc:
        session.commit()  # keep the failed attempt for throttling
        return render(request, "accounts/login.html",
                      {"form": form, "errors": {"email": exc.message}}, 400)
    token = service.start_login_session(session, user=user,
                                        old_token=request.cookies.get(SESSION_COOKIE))
    session.commit()
    response = flash_redirect(safe_next(next, _home_of(user)),
                              _("Welcome, %(name)s.", name=user.full_name))
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax",
                        secure=bool(get_settings().cookie_secure),
                        max_age=get_settings().session_hours * 3600)
    return response


def _home_of(user: User) -> str:
    return {
        Role.JOURNALIST: "/my/questions",
        Role.UNIT_OFFICER: "/unit/assignments",
        Role.SPOKESPERSON: "/staff/questions",
        Role.ADMIN: "/admin/users",
    }[user.role]


@router.post("/logout", dependencies=[require("account"), CsrfDep])
def logout(request: Request, session: SessionDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        service.end_login_session(session, token=token)
        session.commit()
    response = flash_redirect("/", _("You have logged out."))
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/lang", dependencies=[public, CsrfDep])
def switch_language(
    language: Annotated[str, Form()] = "vi", next: Annotated[str, Form()] = "/"
) -> Response:
    response = RedirectResponse(safe_next(next), status_code=303)
    if language in LOCALES:
        response.set_cookie(LANG_COOKIE, language, max_age=365 * 86400, samesite="lax",
                            secure=bool(get_settings().cookie_secure))
    return response


def _users_page(request: Request, session: SessionDep, pagination: Any, form: dict[str, Any],
                errors: dict[str, str], status: int = 200) -> Response:
    return render(request, "accounts/users.html", {
        "rows": all_users(session, pagination.size, pagination.offset),
        "page": pagination.page,
        "roles": [(role.value, _(label)) for role, label in ROLE_LABELS.items()],
        "role_labels": {role.value: _(label) for role, label in ROLE_LABELS.items()},
        "organizations": [(str(o.id), o.name) for o in all_organizations(session)],
        "form": form,
        "errors": errors,
    }, status)


@router.get("/admin/users", dependencies=[require("users.manage")])
def users_page(request: Request, session: SessionDep, pagination: PaginationDep) -> Response:
    return _users_page(request, session, pagination, {}, {})


@router.post("/admin/users", dependencies=[require("users.manage"), CsrfDep])
async def create_user(
    request: Request, session: SessionDep, pagination: PaginationDep
) -> Response:
    raw = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    raw["organization_id"] = raw.get("organization_id") or None  # type: ignore[assignment]
    data, errors = validate(UserCreateForm, raw)
    form = {k: v for k, v in raw.items() if k not in ("password", "csrf_token")}
    if data is None:
        return _users_page(request, session, pagination, form, errors, 400)
    try:
        outlet = (service.get_or_create_outlet(session, name=data.outlet_name)
                  if data.role == Role.JOURNALIST and data.outlet_name.strip() else None)
        user = service.create_user(session, email=data.email, full_name=data.full_name,
                                   password=data.password, role=data.role, outlet=outlet,
                                   press_card_number=data.press_card_number)
        if data.role in (Role.UNIT_OFFICER, Role.SPOKESPERSON):
            if data.organization_id is None:
                raise ValidationFailed("", fields={
                    "organization_id": _("Choose the organisation this person works for.")})
            add_member(session, user_id=user.id or 0, organization_id=data.organization_id)
    except ValidationFailed as exc:
        session.rollback()
        return _users_page(request, session, pagination, form,
                           exc.fields or {"email": exc.message}, 400)
    session.commit()
    return flash_redirect("/admin/users", _("Account created for %(name)s.", name=user.full_name))
