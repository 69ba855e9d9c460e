"""Domain errors raised by services; the web layer turns them into pages and JSON."""

from __future__ import annotations


class PressroomError(Exception):
    status_code = 400

    def __init__(self, message: str = "", *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotFound(PressroomError):
    status_code = 404


class PermissionDenied(PressroomError):
    status_code = 403


class NotAuthenticated(PressroomError):
    status_code = 401


class InvalidTransition(PressroomError):
    """The object is not in a state that allows this change (often: someone else got there first)."""

    status_code = 409


class ValidationFailed(PressroomError):
    status_code = 422


class StaleVersion(PressroomError):
    """The object changed after the client read it: a page shows what changed and keeps what
    the user typed (409); the API answers 412 Precondition Failed with the current version."""

    status_code = 409

    def __init__(self, message: str, *, current: int) -> None:
        super().__init__(message)
        self.current = current
