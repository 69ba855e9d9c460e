"""Mail: its text and HTML bodies in the recipient's language, the MIME message, and an SMTP
client that tells the dispatcher the moment a message is handed over.

The HTML body is a Jinja template (autoescaped like every page: titles and comments are user
text); the plain-text body is built here, since a text template would need escaping switched
off. Both are UTF-8 (quoted-printable), headers RFC 2047-encoded, so Vietnamese survives any
mail server.
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.charset import QP, Charset
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, parseaddr
from functools import lru_cache

from pressroom.core import i18n
from pressroom.core.config import Settings, get_settings
from pressroom.core.i18n import gettext as _
from pressroom.core.i18n import ngettext
from pressroom.core.portal import portal
from pressroom.core.templating import render_to_string
from pressroom.notifications.models import Mail

TIMEOUT_SECONDS = 30
SUBJECT_LENGTH = 300


@contextmanager
def speaking(locale: str) -> Iterator[None]:
    """Texts, dates and templates in ``locale`` for the block (a recipient's language)."""
    before = i18n.get_locale()
    i18n.set_locale(locale)
    try:
        yield
    finally:
        i18n.set_locale(before)


def one_line(text: str, limit: int = SUBJECT_LENGTH) -> str:
    """``text`` as a header allows it: one line, NFC, at most ``limit`` characters."""
    flat = " ".join(unicodedata.normalize("NFC", text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def absolute(path: str) -> str:
    return get_settings().base_url + path


@dataclass(frozen=True)
class MailItem:
    subject: str
    text: str
    url: str
    at: datetime


@dataclass(frozen=True)
class Composed:
    subject: str
    text: str
    html: str


def compose(*, name: str, locale: str, items: list[MailItem], digest: bool) -> Composed:
    """A mail to ``name`` with one notification, or (``digest``) the day's notifications."""
    with speaking(locale):
        if digest:
            subject = portal().name + " – " + ngettext(
                "Daily digest: %(num)s notification", "Daily digest: %(num)s notifications",
                len(items))
            intro = ngettext("Here is %(num)s notification since the last digest.",
                             "Here are %(num)s notifications since the last digest.", len(items))
        else:
            subject, intro = items[0].subject, ""
        subject = one_line(subject)
        view: dict[str, object] = {
            "subject": subject,
            "greeting": _("Dear %(name)s,", name=name),
            "intro": intro,
            "digest": digest,
            "items": items,
            "open_label": _("Read it on the portal"),
            "footer": _("This mail was sent automatically; please do not reply to it."),
            "settings_label": _("Choose how you receive notifications"),
            "settings_url": absolute("/notifications"),
        }
        html = render_to_string("emails/notification.html", view)
        text = _plain(view)
    return Composed(subject=subject, text=text, html=html)


def _plain(view: dict[str, object]) -> str:
    lines = [str(view["greeting"]), ""]
    if view["intro"]:
        lines += [str(view["intro"]), ""]
    items: list[MailItem] = view["items"]  # type: ignore[assignment]
    for number, item in enumerate(items, start=1):
        if view["digest"]:
            lines.append(f"{number}. {item.subject} ({i18n.fmt_datetime(item.at)})")
        else:
            lines.append(item.subject)
        lines += [item.text, f"{view['open_label']}: {item.url}", ""]
    lines += ["-- ", str(view["footer"]), f"{view['settings_label']}: {view['settings_url']}"]
    return unicodedata.normalize("NFC", "\n".join(lines) + "\n")


@lru_cache(maxsize=8)
def _domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "pressroom.invalid"


def new_message_id() -> str:
    """A Message-ID made once, with the mail: every attempt sends the same one."""
    return f"<{uuid.uuid4().hex}@{_domain(get_settings().mail_from)}>"


def envelope_sender(settings: Settings) -> str:
    return parseaddr(settings.mail_from)[1]


def message_bytes(mail: Mail, settings: Settings) -> bytes:
    """The whole message as sent: multipart/alternative (plain text, then HTML), CRLF lines.

    Built with the classic ``email.mime`` API: the modern one (Python 3.11-3.13) drops the
    space where it folds a long non-ASCII header into encoded words, so a Vietnamese subject
    would arrive as "công bố:«Về" instead of "công bố: «Về"."""
    body = Charset("utf-8")
    body.body_encoding = QP
    msg = MIMEMultipart("alternative")
    sender_name, sender_address = parseaddr(settings.mail_from)
    msg["From"] = formataddr((sender_name, sender_address), charset="utf-8")
    msg["To"] = formataddr((mail.to_name, mail.to_address), charset="utf-8")
    msg["Subject"] = Header(mail.subject, "utf-8")  # type: ignore[assignment]
    msg["Date"] = format_datetime(mail.created_at)
    msg["Message-ID"] = mail.message_id
    # RFC 3834: out-of-office replies and the like are not sent back to us.
    msg["Auto-Submitted"] = "auto-generated"
    if mail.list_unsubscribe:
        # RFC 2369 and RFC 8058: mail clients offer an unsubscribe button that POSTs
        # "List-Unsubscribe=One-Click" to this address (alerts/pages.py takes it without a
        # CSRF token or cookie); a plain GET of it only shows a confirmation page.
        # One line (a header line may have 998 characters): some clients read a folded
        # address badly.
        msg["List-Unsubscribe"] = Header(  # type: ignore[assignment]
            f"<{mail.list_unsubscribe}>", maxlinelen=998)
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        msg["Precedence"] = "bulk"
    msg.attach(MIMEText(mail.body_text, "plain", body))  # type: ignore[arg-type]
    msg.attach(MIMEText(mail.body_html, "html", body))  # type: ignore[arg-type]
    return msg.as_bytes(policy=policy.compat32.clone(linesep="\r\n"))


class LeaseLost(Exception):
    """The mail was taken over by another dispatcher before it was handed over: not sent."""


class SendFailed(Exception):
    """Sending failed. ``code``: the server's reply code, if it replied; ``permanent``: the
    server refused it for good (5xx), or it cannot be sent at all; ``handed_over``: the failure
    came after the server had the whole message; ``connection``: no connection could be made
    (the other mail of the batch would fail alike)."""

    def __init__(self, message: str, *, code: int | None = None, permanent: bool = False,
                 handed_over: bool = False, connection: bool = False) -> None:
        super().__init__(message)
        self.message = message[:500]
        self.code = code
        self.permanent = permanent
        self.handed_over = handed_over
        self.connection = connection


def _reply(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return f"{code} {' '.join(text.split())}"


def _stuffed(data: bytes) -> bytes:
    """The message for DATA without its end: lines starting with a dot get another (RFC 5321
    4.5.2), and it ends with a line break."""
    body = re.sub(rb"(?m)^\.", b"..", data)
    return body if body.endswith(b"\r\n") else body + b"\r\n"


class SmtpClient:
    """One connection to the configured server, opened on first use and kept for a batch."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        s = self.settings
        smtp: smtplib.SMTP | None = None
        try:
            if s.smtp_tls == "tls":
                smtp = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=TIMEOUT_SECONDS,
                                        context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=TIMEOUT_SECONDS)
            # The end of a message goes out in a write of its own after the rest; without
            # this, Nagle's algorithm holds it until the server's delayed ACK (~40 ms a mail).
            if smtp.sock is not None:
                smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            smtp.ehlo()
            if s.smtp_tls == "starttls":
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password)
        except (smtplib.SMTPException, OSError) as exc:
            if smtp is not None:
                smtp.close()
            raise SendFailed(f"connecting to {s.smtp_host}:{s.smtp_port}: {_describe(exc)}",
                             connection=True) from exc
        self._smtp = smtp
        return smtp

    def drop(self) -> None:
        """Closes the connection without ending a message being sent (the server then
        discards it)."""
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    def close(self) -> None:
        if self._smtp is not None:
            with suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self.drop()

    def deliver(self, *, sender: str, recipient: str, data: bytes,
                hand_over: Callable[[], bool]) -> None:
        """Sends ``data`` to ``recipient``. Just before the last line of the message (the one
        that makes the server take it), calls ``hand_over``: when it answers False the
        message is abandoned (LeaseLost). Errors: SendFailed, LeaseLost, and whatever
        ``hand_over`` raises."""
        smtp = self._open()
        handed_over = False
        try:
            code, reply = smtp.mail(sender)
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, reply, sender)
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
            smtp.putcmd("data")
            code, reply = smtp.getreply()
            if code != 354:
                raise smtplib.SMTPDataError(code, reply)
            smtp.send(_stuffed(data))
            try:
                handed_over = hand_over()
            finally:
                if not handed_over:
                    self.drop()
            if not handed_over:
                raise LeaseLost()
            smtp.send(b".\r\n")
            code, reply = smtp.getreply()
            if code != 250:
                raise smtplib.SMTPDataError(code, reply)
        except (smtplib.SMTPException, OSError, UnicodeError) as exc:
            reply_code = _code(exc)
            if reply_code is None:
                self.drop()
            elif not handed_over and self._smtp is not None:
                self._reset()
            # A refused recipient or message is refused for good (5xx); a refused sender is
            # our configuration (PRESSROOM_MAIL_FROM), worth retrying once it is fixed.
            refused = (reply_code is not None and 500 <= reply_code < 600
                       and not isinstance(exc, smtplib.SMTPSenderRefused))
            raise SendFailed(_describe(exc), code=reply_code, handed_over=handed_over,
                             permanent=refused or isinstance(exc, UnicodeError)) from exc

    def _reset(self) -> None:
        try:
            assert self._smtp is not None
            self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self.drop()


def _code(exc: BaseException) -> int | None:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return int(next(iter(exc.recipients.values()))[0])
    if isinstance(exc, smtplib.SMTPResponseException):
        return int(exc.smtp_code)
    return None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(exc.recipients.values()))
        return _reply(code, reply)
    if isinstance(exc, smtplib.SMTPResponseException):
        return _reply(exc.smtp_code, exc.smtp_error)
    return f"{type(exc).__name__}: {exc}".strip()
