"""Two dispatchers (``pressroom worker`` processes) send a few hundred mails to real SMTP
servers in the test process; one of them is killed with SIGKILL while it sends. Every mail
must arrive exactly once (counted by Message-ID), on SQLite and on PostgreSQL.

Each dispatcher talks to a server of its own (two aiosmtpd servers sharing the count), so the
test knows whose connection it is. The kill comes at one of two moments of a message:

- "after the whole message": the server has the message (it keeps it, as a real server that
  has queued it would) and has not replied yet: the worst moment, when a dispatcher that
  marks a mail sent only after the reply would leave it to be sent again;
- "before the message": at the recipient, before the data: the half-sent message is
  discarded and the mail must be sent by the other dispatcher once the lease expires.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from pressroom.accounts.enums import Role
from pressroom.core.db import open_session
from pressroom.notifications import service
from pressroom.notifications.enums import MailState, NotificationKind
from pressroom.notifications.models import Mail
from tests import factories
from tests.notifications.conftest import Received, Recorder, SmtpServer

ROOT = Path(__file__).resolve().parents[2]
MAILS = 200
KILL_AT = 30
"""The victim is killed during its 30th message (in its second batch of 20)."""
LEASE_SECONDS = 3


class Dispatcher:
    """One ``pressroom worker --no-pdf`` process and the SMTP server it sends to."""

    def __init__(self, name: str, start_smtp: Callable[..., SmtpServer], log: Path) -> None:
        self.name = name
        self.recorder = Recorder()
        self.server = start_smtp(self.recorder)
        self.started = threading.Event()
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "PRESSROOM_SMTP_HOST": "127.0.0.1",
               "PRESSROOM_SMTP_PORT": str(self.server.port),
               "PRESSROOM_MAIL_LEASE_SECONDS": str(LEASE_SECONDS)}
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "pressroom.cli", "worker", "--no-pdf"], cwd=ROOT, env=env,
                stdout=out, stderr=subprocess.STDOUT)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def ids(self) -> list[str]:
        return [str(message_from_bytes(m.data, policy=policy.default)["Message-ID"])
                for m in self.recorder.messages]


def _make_mails() -> set[str]:
    with open_session(writing=True) as session:
        people = [factories.user(session, Role.JOURNALIST) for _ in range(5)]
        for number in range(MAILS):
            service.notify(session, recipients=[people[number % 5]],
                           kind=NotificationKind.ANSWER_PUBLISHED,
                           case_path=f"/my/questions/{number + 1}",
                           params={"title": f"Câu hỏi số {number + 1}", "organization": "Bộ Y tế"})
        session.commit()
        return set(session.exec(select(Mail.message_id)))


def _sent() -> int:
    with open_session() as session:
        return int(session.exec(select(func.count()).select_from(Mail)
                                .where(Mail.state == MailState.SENT)).one())


@pytest.mark.parametrize("moment", ["after the whole message", "before the message"])
def test_every_mail_arrives_once_though_one_of_two_dispatchers_is_killed_while_sending(
        committed_database: str, start_smtp: Callable[..., SmtpServer], tmp_path: Path,
        moment: str) -> None:
    expected = _make_mails()
    victim = Dispatcher("victim", start_smtp, tmp_path / "victim.log")
    survivor = Dispatcher("survivor", start_smtp, tmp_path / "survivor.log")
    killed: list[str] = []

    def kill() -> None:
        if not killed:
            os.kill(victim.pid, signal.SIGKILL)
            killed.append(victim.ids()[-1] if moment == "after the whole message" else "")

    def victim_rcpt() -> None:
        victim.started.set()
        if moment == "before the message" and len(victim.recorder.messages) >= KILL_AT:
            kill()

    def victim_data(received: Received) -> None:
        survivor.started.wait(60)  # both run before the victim goes on
        if moment == "after the whole message" and len(victim.recorder.messages) >= KILL_AT:
            kill()

    def survivor_data(received: Received) -> None:
        victim.started.wait(60)

    victim.recorder.on_rcpt, victim.recorder.on_data = victim_rcpt, victim_data
    survivor.recorder.on_rcpt, survivor.recorder.on_data = survivor.started.set, survivor_data
    victim.start()
    survivor.start()
    try:
        deadline = time.monotonic() + 240
        while _sent() < MAILS and time.monotonic() < deadline:
            time.sleep(0.25)
        time.sleep(0.5)  # anything sent twice would arrive now
    finally:
        for side in (survivor, victim):
            assert side.process is not None
            if side.process.poll() is None:
                side.process.send_signal(signal.SIGTERM)
            side.process.wait(timeout=60)

    assert victim.process is not None and survivor.process is not None
    assert victim.process.returncode == -signal.SIGKILL, (tmp_path / "victim.log").read_text()
    assert survivor.process.returncode == 0, (tmp_path / "survivor.log").read_text()
    received = Counter(victim.ids() + survivor.ids())
    assert {mid: n for mid, n in received.items() if n != 1} == {}
    assert set(received) == expected
    assert len(received) == MAILS
    assert len(victim.ids()) >= KILL_AT and len(survivor.ids()) > 0
    with open_session() as session:
        mails = list(session.exec(select(Mail).order_by(col(Mail.id))))
    assert {m.state for m in mails} == {MailState.SENT}
    retaken = [m for m in mails if m.attempts > 1]
    # The victim's unsent mail was taken over once its lease expired (on a slow machine a
    # dispatcher may also outlive its own lease and take mail again: still sent once).
    assert any(f":{survivor.pid}:" in (m.lease_owner or "") for m in retaken)
    if moment == "after the whole message":
        [at_kill] = [m for m in mails if m.message_id == killed[0]]
        assert at_kill.attempts == 1 and f":{victim.pid}:" in (at_kill.lease_owner or "")
    print(f"\nexactly once ({moment}): {MAILS} mails, {len(victim.ids())} by the killed "
          f"dispatcher, {len(survivor.ids())} by the other, {len(retaken)} taken over after "
          "the kill, 0 duplicates")
