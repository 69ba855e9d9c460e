"""JSON API of accounts under /api/v1: bearer-token login, logout, the current user.

The API authenticates with ``Authorization: Bearer <token>`` only (never the session cookie),
so it needs no CSRF token. A token is the same server-side login session a browser gets.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request, Response, Security
from fastapi.security import HTTPBearer
from sqlmodel import select

from pressroom.accounts import service
from pressroom.accounts.models import LoginSession, User
from pressroom.accounts.schemas import ErrorPublic, LoginRequest, LoginSessionPublic, UserPublic
from pressroom.core.deps import SessionDep, public, require, session_token
from pressroom.core.errors import NotAuthenticated, PermissionDenied
from pressroom.core.security import token_digest

router = APIRouter(tags=["accounts"])
# Documents the bearer scheme in OpenAPI (the "Authorize" button); the check is require().
bearer = Security(HTTPBearer(auto_error=False))
Account = Annotated[User, require("account")]

NOT_LOGGED_IN: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorPublic, "description": "No valid bearer token"}}


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def user_public(user: User) -> UserPublic:
    return UserPublic(id=user.id or 0, email=user.email, full_name=user.full_name, role=user.role)


@router.post(
    "/auth/login",
    response_model=LoginSessionPublic,
    summary="Log in and get a bearer token",
    dependencies=[public],
    responses={401: {"model": ErrorPublic, "description": "Wrong e-mail or password, disabled account, "
                                             "or too many failed attempts (wait 15 minutes)"}},
)
def login(request: Request, session: SessionDep, body: LoginRequest) -> LoginSessionPublic:
    """Checks the e-mail and password and opens a login session. Send the returned token as
    ``Authorization: Bearer <token>`` until ``expires_at``. Failed attempts are recorded and
    throttled per account and per client address, as on the login page."""
    try:
        user = service.authenticate(session, email=body.email, password=body.password,
                                    client=_client(request))
    except PermissionDenied as exc:
        session.commit()  # keep the failed attempt for throttling
        raise NotAuthenticated(exc.message) from exc
    token = service.start_login_session(session, user=user)
    row = session.exec(
        select(LoginSession).where(LoginSession.token_hash == token_digest(token))
    ).one()
    session.commit()
    return LoginSessionPublic(token=token, expires_at=row.expires_at, user=user_public(user))


@router.post(
    "/auth/logout",
    status_code=204,
    response_class=Response,
    response_model=None,
    summary="Log out (revoke the bearer token)",
    dependencies=[bearer],
    responses=NOT_LOGGED_IN,
)
def logout(request: Request, session: SessionDep, user: Account) -> Response:
    """Ends the login session behind the bearer token; the token stops working at once."""
    token = session_token(request)
    if token:
        service.end_login_session(session, token=token)
    session.commit()
    return Response(status_code=204)


@router.get(
    "/me",
    response_model=UserPublic,
    summary="The logged-in user",
    dependencies=[bearer],
    responses=NOT_LOGGED_IN,
)
def me(user: Account) -> UserPublic:
    """Who the bearer token belongs to, with their role."""
    return user_public(user)
