"""The user's notifications (list, read marks, how to get mail), the unread count in the
header, and the administrators' outbox."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from pressroom.accounts.models import User
from pressroom.core.config import get_settings
from pressroom.core.db import begin_reading
from pressroom.core.deps import (
    CsrfDep,
    DbId,
    FormDep,
    PaginationDep,
    SessionDep,
    flash_redirect,
    optional_principal,
    require,
)
from pressroom.core.errors import NotFound
from pressroom.core.i18n import LANGUAGE_NAMES
from pressroom.core.i18n import gettext as _
from pressroom.core.templating import render
from pressroom.notifications import queries, service
from pressroom.notifications.enums import DELIVERY_LABELS, MAIL_STATE_LABELS, Delivery, MailState
from pressroom.notifications.forms import preference_form
from pressroom.notifications.permissions import OUTBOX, OWN
from pressroom.notifications.queries import UNSENT

router = APIRouter(include_in_schema=False)
Reader = Annotated[User, require(OWN)]
Administrator = Annotated[User, require(OUTBOX)]


def _count(session: Session, user_id: int) -> int:
    begin_reading(session)
    try:
        return queries.unread_count(session, user_id)
    finally:
        # As after reading the principal: hold no connection while the route waits for a thread.
        session.rollback()


async def unread_badge(request: Request, session: SessionDep,
                       user: Annotated[Any, Depends(optional_principal)]) -> None:
    """For every page shown to a logged-in user: the unread count in the header (one COUNT;
    nothing for visitors, who make the cached public pages, nor for form posts)."""
    if user is not None and request.method == "GET":
        request.state.unread_notifications = await run_in_threadpool(_count, session, user.id)


def _list_page(request: Request, session: Session, user: User, page: int, size: int,
               form: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
               status: int = 200) -> Response:
    rows = queries.notifications_of(session, user.id or 0, size + 1, (page - 1) * size)
    pref = queries.preference_of(session, user.id or 0)
    current = {"delivery": pref.delivery.value if pref else Delivery.IMMEDIATE.value,
               "locale": pref.locale if pref else service.default_locale()}
    return render(request, "notifications/list.html", {
        "notifications": rows[:size],
        "unread": queries.unread_count(session, user.id or 0),
        "page": page,
        "has_next": len(rows) > size,
        "deliveries": [(d.value, _(label)) for d, label in DELIVERY_LABELS.items()],
        "locales": LANGUAGE_NAMES,
        "digest_hour": f"{get_settings().digest_hour:02d}:00",
        "form": {**current, **(form or {})},
        "errors": errors or {},
    }, status)


@router.get("/notifications")
def notifications_page(request: Request, session: SessionDep, user: Reader,
                       pagination: PaginationDep) -> Response:
    return _list_page(request, session, user, pagination.page, pagination.size)


@router.post("/notifications/read", dependencies=[CsrfDep])
def mark_all_read(session: SessionDep, user: Reader) -> Response:
    count = service.mark_all_read(session, user=user)
    session.commit()
    return flash_redirect("/notifications", _("All notifications are marked as read.")
                          if count else _("There were no unread notifications."))


@router.post("/notifications/{notification_id}/read", dependencies=[CsrfDep])
def mark_read(session: SessionDep, user: Reader, notification_id: DbId) -> Response:
    service.mark_read(session, user=user, notification_id=notification_id)
    session.commit()
    return flash_redirect("/notifications", _("The notification is marked as read."))


@router.post("/notifications/preferences", dependencies=[CsrfDep])
def save_preferences(request: Request, session: SessionDep, user: Reader, posted: FormDep,
                     pagination: PaginationDep) -> Response:
    data, raw, errors = preference_form(posted)
    if data is None:
        return _list_page(request, session, user, pagination.page, pagination.size, raw, errors,
                          400)
    service.set_preference(session, user=user, delivery=data.delivery, locale=data.locale)
    session.commit()
    return flash_redirect("/notifications", _("Your notification settings are saved."))


def _state_labels() -> dict[str, str]:
    return {state.value: _(label) for state, label in MAIL_STATE_LABELS.items()}


@router.get("/admin/outbox")
def outbox_page(request: Request, session: SessionDep, admin: Administrator,
                pagination: PaginationDep,
                state: Annotated[MailState | None, Query()] = None) -> Response:
    states = (state,) if state is not None else UNSENT
    rows = queries.outbox(session, states, pagination.size + 1, pagination.offset)
    counts = queries.outbox_counts(session)
    return render(request, "notifications/outbox.html", {
        "mails": rows[: pagination.size],
        "page": pagination.page,
        "has_next": len(rows) > pagination.size,
        "state": state.value if state is not None else "",
        "filters": [("", _("Not sent"), sum(counts.get(s, 0) for s in UNSENT))]
        + [(s.value, _(MAIL_STATE_LABELS[s]), counts.get(s, 0)) for s in MailState],
        "labels": _state_labels(),
        "smtp_host": get_settings().smtp_host,
    })


@router.get("/admin/outbox/{mail_id}")
def outbox_mail_page(request: Request, session: SessionDep, admin: Administrator,
                     mail_id: DbId) -> Response:
    mail = queries.mail_by_id(session, mail_id)
    if mail is None:
        raise NotFound(_("This mail does not exist."))
    return render(request, "notifications/outbox_mail.html", {
        "mail": mail,
        "notifications": queries.notifications_of_mail(session, mail_id),
        "labels": _state_labels(),
    })
