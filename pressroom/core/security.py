"""Password hashing (argon2), opaque session tokens and CSRF tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from pressroom.core.config import get_settings

SESSION_COOKIE = "pressroom_session"
CSRF_COOKIE = "pressroom_csrf"
LANG_COOKIE = "pressroom_lang"
FLASH_COOKIE = "pressroom_flash"



@lru_cache
def _hasher() -> tuple[PasswordHasher, str]:
    """The hasher for the configured cost, and a hash of a random password made with it:
    verifying against that keeps a login for an unknown e-mail as slow as for a known one."""
    fast = get_settings().argon2_profile == "fast-for-tests"
    hasher = PasswordHasher.from_parameters(
        profiles.CHEAPEST if fast else profiles.RFC_9106_LOW_MEMORY
    )
    return hasher, hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher()[0].hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    hasher, dummy = _hasher()
    try:
        return hasher.verify(password_hash or dummy, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the database stores for a session token: a leaked table gives no usable cookie."""
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token_for(browser_secret: str) -> str:
    """The form token for a browser: an HMAC of its CSRF cookie under the server secret."""
    key = get_settings().secret_key.encode()
    return hmac.new(key, browser_secret.encode(), hashlib.sha256).hexdigest()


def csrf_valid(browser_secret: str | None, submitted: str | None) -> bool:
    if not browser_secret or not submitted:
        return False
    return hmac.compare_digest(csrf_token_for(browser_secret), submitted)
