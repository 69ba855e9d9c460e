"""Form models of the accounts pages."""

from __future__ import annotations

from pydantic import BaseModel

from pressroom.core.schemas import Text200


class LoginForm(BaseModel):
    email: Text200
    password: Text200
