"""The pages behind the links of alert mail: confirming a subscription (double opt-in) and
stopping it (RFC 8058 one-click unsubscribe). The follow forms live on the pages of what
they follow (publishing/pages.py).

Both links are opened by mail scanners and link previewers that fetch every address in a
message, so a GET never changes anything: it shows a page with a button that POSTs.

The unsubscribe POST is the one form post without a CSRF check (tests/test_access_rules.py
names it): RFC 8058 has mail clients POST "List-Unsubscribe=One-Click" to the address in the
List-Unsubscribe header, with no cookie and no token. The signed token in its path is the
proof of the mail's recipient, and the worst a forged post can do is stop alerts.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from pressroom.alerts import service
from pressroom.alerts.enums import AlertTarget
from pressroom.alerts.models import AlertSubscription
from pressroom.core.deps import CsrfDep, SessionDep, flash_redirect, public
from pressroom.core.i18n import gettext as _
from pressroom.core.templating import render

router = APIRouter(include_in_schema=False)
Visitor = Annotated[Any, public]
Token = Annotated[str, Path(min_length=1)]


def followed_path(subscription: AlertSubscription) -> str:
    """The public page of what a subscription follows."""
    if subscription.target == AlertTarget.MINISTRY:
        return f"/organizations/{subscription.organization_id}"
    if subscription.target == AlertTarget.CONFERENCE:
        return f"/conferences/{subscription.conference_id}"
    chosen = {"q": subscription.query, "kind": subscription.search_kind,
              "organization": subscription.search_organization_id,
              "year": subscription.search_year}
    return "/search?" + urlencode({k: v for k, v in chosen.items() if v not in (None, "")})


@router.get("/alerts/confirm/{token}")
def confirm_page(request: Request, session: SessionDep, token: Token, user: Visitor) -> Response:
    subscription = service.pending_confirmation(session, token)
    return render(request, "alerts/confirm.html", {
        "subscription": subscription, "token": token, "done": False})


@router.post("/alerts/confirm/{token}", dependencies=[CsrfDep])
def confirm(session: SessionDep, token: Token, user: Visitor) -> Response:
    subscription = service.confirm_follow(session, token=token)
    target, label = followed_path(subscription), subscription.label
    session.commit()
    return flash_redirect(target, _("Your e-mail alerts about %(label)s are on.", label=label))


@router.get("/alerts/unsubscribe/{token}")
def unsubscribe_page(request: Request, session: SessionDep, token: Token,
                     user: Visitor) -> Response:
    found = service.subscription_of(session, token)
    return render(request, "alerts/unsubscribe.html", {
        "label": found.label if found is not None else None, "token": token, "done": False},
        200 if found is not None else 404)


@router.post("/alerts/unsubscribe/{token}")
def unsubscribe(request: Request, session: SessionDep, token: Token, user: Visitor) -> Response:
    """RFC 8058 one-click (no CSRF token, see the module's docstring) and the page's button.
    Answers the page itself, not a redirect: a mail client's POST wants a 2xx. Posting
    again changes nothing: a link that names no subscription (any more) gets the same calm
    page, as not found (404)."""
    label = service.unsubscribe(session, token=token)
    session.commit()
    return render(request, "alerts/unsubscribe.html", {"label": label, "token": token,
                                                       "done": True},
                  200 if label is not None else 404)
