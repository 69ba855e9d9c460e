"""Login, logout, language switch and the administrator's account list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from pressroom.accounts import service
from pressroom.accounts.enums import Role
from pressroom.accounts.forms import LoginForm
from pressroom.accounts.models import User
from pressroom.core.config import get_settings
from pressroom.core.deps import (
    CsrfDep,
    SessionDep,
    flash_redirect,
    public,
    require,
    safe_next,
)
from pressroom.core.errors import PermissionDenied
from pressroom.core.formtools import validate
from pressroom.core.i18n import LOCALES
from pressroom.core.i18n import gettext as _
from pressroom.core.security import LANG_COOKIE, SESSION_COOKIE
from pressroom.core.templating import render

router = APIRouter(include_in_schema=False)


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/login", dependencies=[public])
def login_page(request: Request, next: str = "") -> Response:
    # No (or no safe) next: the form sends none, and the login goes to the role's home.
    return render(request, "accounts/login.html",
                  {"form": {"next": safe_next(next, "")}, "errors": {}})


@router.post("/login", dependencies=[public, CsrfDep])
def login(
    request: Request,
    session: SessionDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    form = {"email": email, "next": safe_next(next, "")}
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
        Role.SPOKESPERSON: "/staff",
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
    lang: Annotated[str, Form()] = "vi", next: Annotated[str, Form()] = "/"
) -> Response:
    response = RedirectResponse(safe_next(next), status_code=303)
    if lang in LOCALES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax",
                            secure=bool(get_settings().cookie_secure))
    return response
