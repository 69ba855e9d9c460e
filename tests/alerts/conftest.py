"""The SMTP server and dispatcher sessions of tests/notifications, for the alerts' mail."""

from tests.notifications.conftest import sessions, smtp, start_smtp

__all__ = ["sessions", "smtp", "start_smtp"]
