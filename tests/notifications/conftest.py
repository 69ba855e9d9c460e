"""A real SMTP server in the test process (aiosmtpd) that keeps what it receives, and a
dispatcher's sessions on the test's own connection (so its commits are rolled back too)."""

from __future__ import annotations

import asyncio
import email
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy.engine import Connection
from sqlmodel import Session


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    """One message as the server took it: the envelope and the raw bytes."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    ehlo: str

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    def part(self, subtype: str) -> str:
        body = self.message.get_body((subtype,))
        assert body is not None, f"no text/{subtype} part"
        # SMTP carries CRLF line ends; the text as written has "\n".
        return str(body.get_content()).replace("\r\n", "\n")


@dataclass
class Recorder:
    """The server's handler: keeps each accepted message. ``mail_replies``, ``rcpt_replies``
    and ``data_replies`` are replies to give instead of accepting (one per attempt, in order);
    ``on_data`` runs for each message taken (before the reply)."""

    messages: list[Received] = field(default_factory=list)
    mail_replies: list[str] = field(default_factory=list)
    rcpt_replies: list[str] = field(default_factory=list)
    data_replies: list[str] = field(default_factory=list)
    on_data: Callable[[Received], None] | None = None
    on_rcpt: Callable[[], None] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str,
                          mail_options: list[str]) -> str:
        if self.mail_replies:
            return self.mail_replies.pop(0)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if self.on_rcpt is not None:
            self.on_rcpt()
        if self.rcpt_replies:
            return self.rcpt_replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_replies:
            return self.data_replies.pop(0)
        received = Received(mail_from=envelope.mail_from, rcpt_tos=list(envelope.rcpt_tos),
                            data=bytes(envelope.original_content or envelope.content),
                            ehlo=str(session.host_name))
        with self.lock:
            self.messages.append(received)
        if self.on_data is not None:
            self.on_data(received)
        await asyncio.sleep(0)
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, recorder: Recorder, port: int, controller: Controller) -> None:
        self.recorder = recorder
        self.port = port
        self.controller = controller

    @property
    def messages(self) -> list[Received]:
        return self.recorder.messages


@pytest.fixture
def start_smtp() -> Iterator[Callable[..., SmtpServer]]:
    """``start_smtp(**aiosmtpd_parameters)``: a server on a free port of 127.0.0.1."""
    started: list[Controller] = []

    def _start(recorder: Recorder | None = None, **parameters: Any) -> SmtpServer:
        handler = recorder or Recorder()
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, **parameters)
        controller.start()
        started.append(controller)
        return SmtpServer(handler, port, controller)

    yield _start
    for controller in started:
        controller.stop()


@pytest.fixture
def smtp(start_smtp: Callable[..., SmtpServer], configure: Callable[..., None]) -> SmtpServer:
    """A plain SMTP server, and the settings that send mail to it."""
    server = start_smtp()
    configure(smtp_host="127.0.0.1", smtp_port=server.port, smtp_tls="none",
              mail_from="Văn phòng Bộ <thongbao@pressroom.example.vn>",
              base_url="https://pressroom.example.vn")
    return server


@pytest.fixture
def sessions(connection: Connection) -> Callable[..., Session]:
    """What the dispatcher opens its sessions with (core.db.open_session), on the test's
    connection: each of its commits is a savepoint, rolled back with the test."""

    def _open(*, writing: bool = False) -> Session:
        return Session(bind=connection, join_transaction_mode="create_savepoint",
                       expire_on_commit=False)

    return _open


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """A self-signed certificate for 127.0.0.1 (openssl); clients trust it through
    SSL_CERT_FILE, as an operator's private CA would be trusted."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                    "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return Certificate(cert, key)


def authenticator(user: str, password: str) -> Callable[..., AuthResult]:
    def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and data.login == user.encode() and (
            data.password == password.encode())
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd replies 535
    return check
