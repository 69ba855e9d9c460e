"""Input and output models of the accounts API (never a table model)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from pressroom.accounts.enums import Role
from pressroom.core.schemas import Text200


class LoginRequest(BaseModel):
    """The same fields and normalisation as the login form, so both accept the same input."""

    email: Text200
    password: Text200


class UserPublic(BaseModel):
    id: int
    email: str
    full_name: str
    role: Role


class LoginSessionPublic(BaseModel):
    """A bearer token for ``Authorization: Bearer <token>`` and when it stops working."""

    token: str
    expires_at: datetime
    user: UserPublic


class ErrorPublic(BaseModel):
    """The body of every API error but schema validation (see ``main._error``): a message in
    the user's language and, for rejected input, one message per field."""

    detail: str
    errors: dict[str, str] | None = None
