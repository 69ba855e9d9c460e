"""Every write of alerts: following (double opt-in), confirming, unsubscribing, and telling
followers of a new public thing.

``alert_followers`` is called by the services that make something public (answers,
conferences), inside the transaction of that change, and writes the mail into the outbox
(notifications.models.Mail) without committing: a publication that rolls back tells nobody,
and the dispatcher sends the mail after the commit, with the RFC 8058 one-click unsubscribe
headers (notifications/mail.py).

Following a search: the new thing is already in the search index (the publishing service
indexes it first, in the same transaction), so each distinct followed search is run once,
restricted to the new thing's entries (``search.index.matches``, one indexed lookup). That
is exactly what the search page would find for the follower, diacritics or not.

Tokens: a confirmation link carries a random token whose SHA-256 digest alone is stored
(like session tokens, core/security.py), valid for CONFIRM_DAYS. An unsubscribe link is
signed: an HMAC under the server's secret over the subscription's id and its random key, so
that every mail can carry one without the database holding a usable token.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from pressroom.alerts.enums import PUBLISHED_LABELS, AlertTarget, PublishedKind
from pressroom.alerts.mails import alert, confirmation
from pressroom.alerts.models import AlertedItem, AlertSubscription
from pressroom.alerts.queries import followers, waiting_for
from pressroom.core.clock import now
from pressroom.core.config import get_settings
from pressroom.core.errors import NotFound, ValidationFailed
from pressroom.core.i18n import LOCALES
from pressroom.core.i18n import gettext as _
from pressroom.core.security import new_token, token_digest
from pressroom.notifications.enums import MailState
from pressroom.notifications.mail import Composed, absolute, new_message_id, speaking
from pressroom.notifications.models import Mail
from pressroom.search import analysis
from pressroom.search.index import Filters, matches

CONFIRM_DAYS = 7
RESEND_AFTER = timedelta(minutes=10)
"""A follow request repeated sooner sends no new confirmation mail."""
CONFIRMATIONS_PER_HOUR = 5
"""Confirmation mails one address gets in an hour, whatever it is asked to follow."""

# A plain address as people type it: no display name, comments, quoting or IP literals, so
# nothing that a header could misread. The domain has at least one dot.
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ADDRESS = re.compile(rf"{_LOCAL}@{_LABEL}(?:\.{_LABEL})+")


def clean_address(value: str) -> str:
    """The address as stored (trimmed, lower case). Errors: ValidationFailed (not a plain
    e-mail address of at most 254 characters)."""
    address = unicodedata.normalize("NFC", value).strip().lower()
    if len(address) > 254 or not _ADDRESS.fullmatch(address) or len(
            address.partition("@")[0]) > 64:
        message = _("E-mail address: enter an address such as ten@example.vn.")
        raise ValidationFailed(message, fields={"email": message})
    return address


@dataclass(frozen=True)
class Follow:
    """What an address asks to follow, with the name the mails give it."""

    target: AlertTarget
    label: str
    organization_id: int | None = None
    conference_id: int | None = None
    query: str = ""
    search_kind: str = ""
    search_organization_id: int | None = None
    search_year: int | None = None

    @property
    def key(self) -> str:
        if self.target == AlertTarget.MINISTRY:
            return f"ministry:{self.organization_id}"
        if self.target == AlertTarget.CONFERENCE:
            return f"conference:{self.conference_id}"
        wanted = "\x1f".join((" ".join(self.query.split()), self.search_kind,
                              str(self.search_organization_id or ""),
                              str(self.search_year or "")))
        return "search:" + hashlib.sha256(wanted.encode()).hexdigest()[:40]


def search_follow(query: str, kind: str | None, organization_id: int | None,
                  year: int | None) -> Follow:
    """Following the search page's query and filters. Errors: ValidationFailed (an empty
    query: it would find everything)."""
    text = unicodedata.normalize("NFC", " ".join(query.split()))[:500]
    if not analysis.parse(text):
        message = _("Search for something before following the search.")
        raise ValidationFailed(message, fields={"q": message})
    return Follow(target=AlertTarget.SEARCH, label=f"«{text[:280]}»", query=text,
                  search_kind=kind or "", search_organization_id=organization_id,
                  search_year=year)


def _outbox(session: Session, *, to: str, body: Composed, unsubscribe: str = "") -> None:
    moment = now()
    session.add(Mail(user_id=None, to_address=to, subject=body.subject, body_text=body.text,
                     body_html=body.html, message_id=new_message_id(), state=MailState.PENDING,
                     created_at=moment, next_attempt_at=moment, list_unsubscribe=unsubscribe))


def _confirmations_within_hour(session: Session, email: str) -> int:
    return int(session.exec(select(func.count()).select_from(AlertSubscription).where(
        AlertSubscription.email == email, col(AlertSubscription.confirmed_at).is_(None),
        col(AlertSubscription.confirm_sent_at) > now() - timedelta(hours=1))).one())


def request_follow(session: Session, *, email: str, follow: Follow, locale: str) -> None:
    """Asks ``email`` to confirm that it wants alerts about ``follow`` (double opt-in).

    The caller tells the visitor the same thing whatever happens here, so nobody learns
    whether an address follows something: an address that already follows it gets no mail;
    a request repeated within RESEND_AFTER, or beyond CONFIRMATIONS_PER_HOUR for the
    address, sends nothing new.
    Side effects: deletes unconfirmed subscriptions whose link expired; inserts (or renews
    the token of) an unconfirmed AlertSubscription; a confirmation Mail in the outbox.
    Errors: ValidationFailed (not an e-mail address)."""
    address = clean_address(email)
    locale = locale if locale in LOCALES else get_settings().default_locale
    moment = now()
    session.execute(delete(AlertSubscription).where(
        col(AlertSubscription.confirmed_at).is_(None),
        col(AlertSubscription.confirm_expires_at) < moment))
    found = session.exec(select(AlertSubscription).where(
        AlertSubscription.email == address,
        AlertSubscription.target_key == follow.key)).first()
    if found is not None and (found.confirmed_at is not None
                              or found.confirm_sent_at > moment - RESEND_AFTER):
        return
    if _confirmations_within_hour(session, address) >= CONFIRMATIONS_PER_HOUR:
        return
    token = new_token()
    row = found or AlertSubscription(
        email=address, target=follow.target, target_key=follow.key,
        organization_id=follow.organization_id, conference_id=follow.conference_id,
        query=follow.query, search_kind=follow.search_kind,
        search_organization_id=follow.search_organization_id, search_year=follow.search_year,
        label=follow.label[:300], key=secrets.token_hex(16), confirm_expires_at=moment)
    row.locale = locale
    row.confirm_digest = token_digest(token)
    row.confirm_sent_at = moment
    row.confirm_expires_at = moment + timedelta(days=CONFIRM_DAYS)
    try:
        with session.begin_nested():  # two requests at once: the second one sends nothing
            session.add(row)
            session.flush()
    except IntegrityError:
        return
    _outbox(session, to=address, body=confirmation(
        locale=locale, label=row.label, confirm_url=absolute(f"/alerts/confirm/{token}"),
        days=CONFIRM_DAYS))


def pending_confirmation(session: Session, token: str) -> AlertSubscription:
    """The subscription a confirmation link asks to confirm.
    Errors: NotFound (unknown, already used or expired link)."""
    found = waiting_for(session, token) if 20 <= len(token) <= 100 else None
    if found is None or found.confirm_expires_at < now():
        raise NotFound(_("This confirmation link is not valid: it has expired, was already "
                         "used, or was copied incompletely. Follow again to get a new one."))
    return found


def confirm_follow(session: Session, *, token: str) -> AlertSubscription:
    """Activates the subscription of a confirmation link. Side effects: confirmed_at set,
    the token's digest cleared (the link works once). Errors: NotFound (see
    ``pending_confirmation``)."""
    found = pending_confirmation(session, token)
    found.confirmed_at = now()
    found.confirm_digest = None
    session.add(found)
    session.flush()
    return found


def _signature(subscription_id: int, key: str) -> str:
    secret = get_settings().secret_key.encode()
    message = f"alerts.unsubscribe:{subscription_id}:{key}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:40]


def unsubscribe_token(subscription: AlertSubscription) -> str:
    return f"{subscription.id}-{_signature(subscription.id or 0, subscription.key)}"


def unsubscribe_url(subscription: AlertSubscription) -> str:
    return absolute(f"/alerts/unsubscribe/{unsubscribe_token(subscription)}")


def subscription_of(session: Session, token: str) -> AlertSubscription | None:
    """The subscription an unsubscribe link names, if it still exists and the link's
    signature holds."""
    number, _sep, signature = token.partition("-")
    if not (number.isascii() and number.isdigit() and 0 < len(number) < 10):
        return None
    found = session.get(AlertSubscription, int(number))
    if found is None or not hmac.compare_digest(_signature(found.id or 0, found.key),
                                                signature):
        return None
    return found


def unsubscribe(session: Session, *, token: str) -> str | None:
    """Ends the subscription an unsubscribe link names (RFC 8058 one-click, or the page's
    button); again: nothing more happens. Side effects: deletes the subscription (the
    address is not kept). Returns what was followed, or None when the link names nothing
    (already ended, or not a valid link)."""
    found = subscription_of(session, token)
    if found is None:
        return None
    label = found.label
    session.delete(found)
    session.flush()
    return label


@dataclass(frozen=True)
class Published:
    """A thing that just became public, as alerts tell of it. ``ref_id`` names it (the
    answer's id; the conference's id for a conference and its transcript); ``index_ids``
    are its search entries (of the same kind); ``organization_id`` its ministry."""

    kind: PublishedKind
    ref_id: int
    title: str
    path: str
    organization_id: int | None
    conference_id: int | None = None
    summary: str = ""
    index_ids: tuple[int, ...] = ()


def _search_matches(session: Session, sub: AlertSubscription, item: Published,
                    cache: dict[str, bool]) -> bool:
    if sub.target_key not in cache:
        filters = Filters(sub.search_kind or None, sub.search_organization_id, sub.search_year)
        cache[sub.target_key] = matches(session, analysis.parse(sub.query), filters,
                                        item.kind.value, item.index_ids)
    return cache[sub.target_key]


def alert_followers(session: Session, *, item: Published) -> int:
    """Tells the followers of ``item``'s ministry, of its conference and of every search that
    finds it that it is public: one mail per address (however many of its subscriptions
    match), in the address's language, with its own unsubscribe link; once per thing (again:
    nothing). Call it in the transaction that made ``item`` public, after indexing it.
    Side effects: an AlertedItem row; Mail rows in the outbox. Returns how many mails."""
    if session.get(AlertedItem, (item.kind.value, item.ref_id)) is not None:
        return 0
    record = AlertedItem(kind=item.kind.value, ref_id=item.ref_id)
    session.add(record)
    session.flush()
    told: set[str] = set()
    searched: dict[str, bool] = {}
    for sub in followers(session, organization_id=item.organization_id,
                         conference_id=item.conference_id):
        if sub.email in told:
            continue
        if sub.target == AlertTarget.SEARCH and not _search_matches(session, sub, item,
                                                                    searched):
            continue
        told.add(sub.email)
        link = unsubscribe_url(sub)
        with speaking(sub.locale):
            heading = _(PUBLISHED_LABELS[item.kind])
        _outbox(session, to=sub.email, unsubscribe=link, body=alert(
            locale=sub.locale, label=sub.label, heading=heading, title=item.title,
            summary=item.summary, url=absolute(item.path), unsubscribe_url=link))
    record.mails = len(told)
    session.add(record)
    session.flush()
    return len(told)
