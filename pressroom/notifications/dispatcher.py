"""The dispatcher: sends the outbox's mail after the transactions that wrote it committed. It
runs in a background thread of ``pressroom serve`` and in ``pressroom worker``; several may
run at once (threads, processes, machines) and each mail is still sent once.

How each mail is sent once:

1. Taking mail: in one short committed transaction a dispatcher writes its lease (a token of
   its own, and an expiry) on a batch of due mail: ``UPDATE ... WHERE state = 'pending' (due)
   OR (state = 'sending' AND lease expired)``. SQLite runs writing transactions one at a time
   (BEGIN IMMEDIATE); PostgreSQL picks the rows with FOR UPDATE SKIP LOCKED and the UPDATE
   checks its condition again on the locked row. Either way, two dispatchers never hold the
   same mail.
2. Handing over: the dispatcher sends the envelope and the whole message but its last line
   (the lone dot after which the server takes it). Only then it marks the mail sent, in a
   committed transaction that checks the lease is still its own, and sends the dot. A lease
   taken over meanwhile (this dispatcher was too slow) abandons the message: the connection
   is dropped and the server discards the unfinished message.
3. A dispatcher that stops (crash, SIGKILL) before step 2 committed leaves its mail 'sending'
   with a lease that expires; another dispatcher takes it and sends it, while the server
   discarded the half-sent copy. One that stops after the commit has handed the message over
   (or is within microseconds of it): the mail is sent and nobody sends it again.

Marking the mail sent only after the server's reply would send it twice whenever a
dispatcher stops between the server taking the message and the commit; this order leaves
only the moment between the commit and the write of the last line. A refusal after the
hand-over (a 4xx/5xx reply to the message) puts the mail back (to retry, or failed); no reply
at all leaves it sent, with the error noted, since the server may well have taken it.

Failures are retried after 1 minute, 5 minutes, 30 minutes and 2 hours; the fifth failure,
or a permanent refusal (5xx), marks the mail failed. Without a mail server
(``PRESSROOM_SMTP_HOST`` empty) mail is kept for the administrators' outbox page instead.

The daily digest: each pass gathers, per user, the notifications waiting for the digest that
were made before the last digest hour (``PRESSROOM_DIGEST_HOUR``, local time) into one mail,
which is then sent like any other.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from pressroom.accounts.queries import users_by_id
from pressroom.core.background import Worker
from pressroom.core.clock import now
from pressroom.core.config import get_settings
from pressroom.core.db import open_session
from pressroom.core.i18n import local_zone
from pressroom.notifications.enums import MailState
from pressroom.notifications.mail import (
    LeaseLost,
    SendFailed,
    SmtpClient,
    envelope_sender,
    message_bytes,
)
from pressroom.notifications.models import Mail, Notification
from pressroom.notifications.queries import preferences_of
from pressroom.notifications.service import default_locale, new_mail

log = logging.getLogger(__name__)

BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = len(BACKOFF) + 1
BATCH = 20

Sessions = Callable[..., Session]
"""Opens a session; called as ``sessions(writing=True)`` for writes (core.db.open_session)."""


@dataclass
class PassResult:
    """What one pass did."""

    digests: int = 0
    kept: int = 0
    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    lost: int = 0

    @property
    def busy(self) -> bool:
        """Whether more may be waiting (the next pass should not wait)."""
        return self.claimed > 0


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _due(moment: datetime) -> ColumnElement[bool]:
    return or_(
        and_(col(Mail.state) == MailState.PENDING, col(Mail.next_attempt_at) <= moment),
        and_(col(Mail.state) == MailState.SENDING, col(Mail.lease_until) < moment,
             col(Mail.attempts) < MAX_ATTEMPTS),
    )


def _update(session: Session, *where: Any, **values: Any) -> int:
    result = session.execute(update(Mail).where(*where).values(**values)
                             .execution_options(synchronize_session=False))
    return int(result.rowcount)  # type: ignore[attr-defined]


def lease_token() -> str:
    """Names one claim: the host and process (for people reading the outbox) and a random part."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def claim(*, sessions: Sessions = open_session, batch: int = BATCH,
          lease_seconds: int | None = None) -> tuple[str, list[Mail]]:
    """Takes up to ``batch`` due mails for this dispatcher: (its lease token, the mail).
    Side effects: one committed transaction writing the lease and counting the attempt;
    mail abandoned while sending too often is marked failed."""
    moment = now()
    token = lease_token()
    with sessions() as session:  # an idle pass takes no write lock
        if session.exec(select(Mail.id).where(_due(moment)).limit(1)).first() is None:
            return token, []
    lease = timedelta(seconds=lease_seconds or get_settings().mail_lease_seconds)
    with sessions(writing=True) as session:
        _update(session, col(Mail.state) == MailState.SENDING, col(Mail.lease_until) < moment,
                col(Mail.attempts) >= MAX_ATTEMPTS, state=MailState.FAILED,
                last_error="the dispatcher stopped while sending it, too often")
        due = (select(Mail.id).where(_due(moment))
               .order_by(col(Mail.next_attempt_at), col(Mail.id)).limit(batch))
        if _is_postgres(session):
            due = due.with_for_update(skip_locked=True)
        ids = list(session.exec(due))
        if ids:
            _update(session, col(Mail.id).in_(ids), _due(moment), state=MailState.SENDING,
                    lease_owner=token, lease_until=moment + lease, attempts=col(Mail.attempts) + 1)
        mails = list(session.exec(select(Mail).where(Mail.lease_owner == token,
                                                     Mail.state == MailState.SENDING)
                                  .order_by(col(Mail.id))))
        session.commit()
    return token, mails


def release(*, sessions: Sessions, token: str, mails: Sequence[Mail]) -> None:
    """Gives back mail taken but not tried (the dispatcher is stopping): due again at once,
    the attempt not counted."""
    if not mails:
        return
    with sessions(writing=True) as session:
        _update(session, col(Mail.id).in_([m.id for m in mails]), col(Mail.lease_owner) == token,
                col(Mail.state) == MailState.SENDING, state=MailState.PENDING, lease_owner=None,
                lease_until=None, attempts=col(Mail.attempts) - 1)
        session.commit()


def _hand_over(sessions: Sessions, mail: Mail, token: str) -> Callable[[], bool]:
    def hand_over() -> bool:
        with sessions(writing=True) as session:
            done = _update(session, col(Mail.id) == mail.id, col(Mail.lease_owner) == token,
                           col(Mail.state) == MailState.SENDING,
                           state=MailState.SENT, sent_at=now(), last_error="") == 1
            session.commit()
        return done
    return hand_over


def _after_failure(sessions: Sessions, mail: Mail, token: str, error: SendFailed) -> MailState:
    """Records a failed attempt: pending again after the backoff, or failed. A failure after
    the hand-over with no reply leaves the mail sent (the server may have taken it)."""
    moment = now()
    was = MailState.SENT if error.handed_over else MailState.SENDING
    where = (col(Mail.id) == mail.id, col(Mail.lease_owner) == token, col(Mail.state) == was)
    with sessions(writing=True) as session:
        if error.handed_over and error.code is None:
            state = MailState.SENT
            _update(session, *where, last_error=("no reply after the whole message was sent "
                                                 f"(it may have arrived): {error.message}")[:500])
        elif error.permanent or mail.attempts >= MAX_ATTEMPTS:
            state = MailState.FAILED
            _update(session, *where, state=state, sent_at=None, lease_owner=None,
                    lease_until=None, last_error=error.message)
        else:
            state = MailState.PENDING
            _update(session, *where, state=state, sent_at=None, lease_owner=None,
                    lease_until=None, last_error=error.message,
                    next_attempt_at=moment + BACKOFF[max(mail.attempts, 1) - 1])
        session.commit()
    return state


def send_batch(*, sessions: Sessions, token: str, mails: list[Mail],
               stop: threading.Event | None = None) -> PassResult:
    """Sends the mail this dispatcher took (``claim``) over one SMTP connection."""
    settings = get_settings()
    result = PassResult(claimed=len(mails))
    client = SmtpClient(settings)
    sender = envelope_sender(settings)
    pending = list(mails)
    try:
        while pending:
            if stop is not None and stop.is_set():
                break
            mail = pending.pop(0)
            try:
                client.deliver(sender=sender, recipient=mail.to_address,
                               data=message_bytes(mail, settings),
                               hand_over=_hand_over(sessions, mail, token))
                result.sent += 1
            except LeaseLost:
                result.lost += 1
            except SendFailed as error:
                state = _after_failure(sessions, mail, token, error)
                result.sent += state == MailState.SENT
                result.retrying += state == MailState.PENDING
                result.failed += state == MailState.FAILED
                if error.connection:  # the rest would fail alike: try them again later
                    for other in pending:
                        state = _after_failure(sessions, other, token, error)
                        result.retrying += state == MailState.PENDING
                        result.failed += state == MailState.FAILED
                    pending = []
    finally:
        client.close()
        release(sessions=sessions, token=token, mails=pending)
    return result


def keep_unsent(*, sessions: Sessions = open_session) -> int:
    """Without a mail server: marks pending mail kept (shown on the outbox page)."""
    with sessions() as session:
        if session.exec(select(Mail.id).where(Mail.state == MailState.PENDING).limit(1)).first() is None:
            return 0
    with sessions(writing=True) as session:
        kept = _update(session, col(Mail.state) == MailState.PENDING, state=MailState.KEPT)
        session.commit()
    return kept


def digest_cut(moment: datetime) -> datetime:
    """The last digest time (``PRESSROOM_DIGEST_HOUR`` local time) at or before ``moment``."""
    local = moment.astimezone(local_zone())
    cut = local.replace(hour=get_settings().digest_hour, minute=0, second=0, microsecond=0)
    if cut > local:
        cut -= timedelta(days=1)
    return cut.astimezone(UTC)


def gather_digests(*, sessions: Sessions = open_session) -> int:
    """Puts each user's notifications waiting for the digest, made before the last digest
    time, into one digest mail per user. Side effects: inserts Mail rows and links the
    notifications to them (a user now inactive or without e-mail gets none). Returns how many
    digests were made. Two dispatchers never gather the same notification (SQLite's single
    writer; PostgreSQL's FOR UPDATE SKIP LOCKED)."""
    cut = digest_cut(now())
    waiting = (col(Notification.awaiting_digest).is_(True), col(Notification.created_at) < cut)
    with sessions() as session:
        if session.exec(select(Notification.id).where(*waiting).limit(1)).first() is None:
            return 0
    made = 0
    with sessions(writing=True) as session:
        query = select(Notification).where(*waiting).order_by(col(Notification.user_id),
                                                               col(Notification.id))
        if _is_postgres(session):
            query = query.with_for_update(skip_locked=True)
        by_user: dict[int, list[Notification]] = defaultdict(list)
        for note in session.exec(query):
            by_user[note.user_id].append(note)
        users = users_by_id(session, set(by_user))
        prefs = preferences_of(session, set(by_user))
        for user_id, notes in by_user.items():
            user = users.get(user_id)
            mail = None
            if user is not None and user.is_active and user.email:
                pref = prefs.get(user_id)
                mail = new_mail(user, locale=pref.locale if pref else default_locale(), notes=notes,
                                digest=True)
                session.add(mail)
                session.flush()
                made += 1
            for note in notes:
                note.awaiting_digest = False
                note.mail_id = mail.id if mail is not None else None
                session.add(note)
        session.commit()
    return made


def send_pending_once(*, sessions: Sessions = open_session, batch: int = BATCH,
                      stop: threading.Event | None = None) -> PassResult:
    """One pass of the dispatcher: gathers due digests, then sends one batch of due mail (or,
    without a mail server, keeps it)."""
    digests = gather_digests(sessions=sessions)
    if not get_settings().smtp_host:
        return PassResult(digests=digests, kept=keep_unsent(sessions=sessions))
    token, mails = claim(sessions=sessions, batch=batch)
    result = send_batch(sessions=sessions, token=token, mails=mails, stop=stop) if mails else PassResult()
    result.digests = digests
    return result


class MailWorker(Worker):
    """Background thread of ``pressroom serve`` and ``pressroom worker``: sends mail until
    stopped, right away while there is more, else every few seconds. ``jobs`` run before each
    pass (say, a periodic check that notifies of due dates); their errors are logged."""

    name = "mail-worker"
    stop_timeout = 60.0

    def __init__(self, interval: float = 2.0, jobs: Sequence[Callable[[], object]] = ()) -> None:
        super().__init__(interval)
        self.jobs = tuple(jobs)

    def pass_once(self) -> bool:
        for job in self.jobs:
            try:
                job()
            except Exception:  # a job's failure must not stop the mail
                log.exception("notification job failed")
        return send_pending_once(stop=self.stopping).busy
