"""Accounts: users, outlets, login sessions. Services flush; the caller commits."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from pressroom.accounts.enums import Role
from pressroom.accounts.models import LoginAttempt, LoginSession, Outlet, User
from pressroom.core import audit
from pressroom.core.clock import now
from pressroom.core.config import get_settings
from pressroom.core.errors import PermissionDenied, ValidationFailed
from pressroom.core.i18n import gettext as _
from pressroom.core.security import hash_password, new_token, token_digest, verify_password
from pressroom.core.text import clean

THROTTLE_WINDOW = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10


def get_or_create_outlet(session: Session, *, name: str, website: str = "") -> Outlet:
    """Returns the outlet with this name, creating it. Side effects: may insert an outlet."""
    name = clean(name)
    outlet = session.exec(select(Outlet).where(Outlet.name == name)).first()
    if outlet is None:
        outlet = Outlet(name=name, website=clean(website))
        session.add(outlet)
        session.flush()
    return outlet


def create_user(
    session: Session,
    *,
    email: str,
    full_name: str,
    password: str,
    role: Role,
    outlet: Outlet | None = None,
    press_card_number: str = "",
    actor: audit.Actor | None = None,
) -> User:
    """Creates an account (``actor``: the admin, or None from the command line).
    Side effects: inserts a user and its event. Errors: ValidationFailed."""
    email = clean(email).lower()
    errors: dict[str, str] = {}
    if "@" not in email or len(email) > 254:
        errors["email"] = _("Enter a valid e-mail address.")
    elif session.exec(select(User).where(User.email == email)).first():
        errors["email"] = _("An account with this e-mail already exists.")
    if not clean(full_name):
        errors["full_name"] = _("Enter the full name.")
    if len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = _("The password must have at least 10 characters.")
    if role == Role.JOURNALIST and outlet is None:
        errors["outlet_name"] = _("A journalist must belong to a press agency.")
    if errors:
        raise ValidationFailed(_("The account could not be created."), fields=errors)
    user = User(
        email=email,
        full_name=clean(full_name),
        password_hash=hash_password(password),
        role=role,
        outlet_id=outlet.id if role == Role.JOURNALIST and outlet else None,
        press_card_number=clean(press_card_number),
    )
    audit.record(session, actor=actor, action="user.created", subject=user)
    session.flush()
    return user


def _recent_failures(session: Session, *, email: str, client: str) -> int:
    since = now() - THROTTLE_WINDOW
    by_email = session.exec(
        select(func.count()).where(LoginAttempt.email == email, LoginAttempt.at > since)
    ).one()
    by_client = session.exec(
        select(func.count()).where(LoginAttempt.client == client, LoginAttempt.at > since)
    ).one()
    return max(by_email, by_client // 4)


def authenticate(session: Session, *, email: str, password: str, client: str) -> User:
    """Checks a login. Side effects: records a failed attempt. Errors: PermissionDenied
    (wrong e-mail or password, disabled account, or too many recent failures)."""
    email = clean(email).lower()
    if _recent_failures(session, email=email, client=client) >= get_settings().login_max_failures:
        raise PermissionDenied(_("Too many failed logins. Please wait 15 minutes and try again."))
    user = session.exec(select(User).where(User.email == email)).first()
    if not verify_password(user.password_hash if user else None, password) or not user:
        session.add(LoginAttempt(email=email[:254], client=client[:64]))
        session.flush()
        raise PermissionDenied(_("The e-mail address or password is not correct."))
    if not user.is_active:
        raise PermissionDenied(_("This account has been disabled."))
    return user


def start_login_session(session: Session, *, user: User, old_token: str | None = None) -> str:
    """Opens a new session for ``user`` and ends the browser's previous one (rotation).
    Side effects: inserts a session row, deletes the old one. Returns the token for the cookie."""
    if old_token:
        end_login_session(session, token=old_token)
    token = new_token()
    session.add(
        LoginSession(
            token_hash=token_digest(token),
            user_id=user.id or 0,
            expires_at=now() + timedelta(hours=get_settings().session_hours),
        )
    )
    session.flush()
    return token


def end_login_session(session: Session, *, token: str) -> None:
    """Logs out. Side effects: deletes the session row."""
    session.exec(delete(LoginSession).where(col(LoginSession.token_hash) == token_digest(token)))  # type: ignore[call-overload]


def load_principal(session: Session, token: str) -> User | None:
    """The active user behind a session token, or None when it is unknown or expired."""
    row = session.exec(
        select(User)
        .join(LoginSession, LoginSession.user_id == User.id)  # type: ignore[arg-type]
        .where(LoginSession.token_hash == token_digest(token), LoginSession.expires_at > now())
    ).first()
    return row if row is not None and row.is_active else None
