"""The texts of alert mail: the confirmation asked of a new follower and the alert itself,
in the follower's language, signed with the agency's identity (core/portal.py), each with
its own unsubscribe link. Plain text built here and HTML from a template, as for
notification mail (notifications/mail.py)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from pressroom.core.i18n import gettext as _
from pressroom.core.portal import portal
from pressroom.core.templating import render_to_string
from pressroom.notifications.mail import Composed, one_line, speaking


@dataclass(frozen=True)
class Link:
    label: str
    url: str


def signature() -> list[str]:
    """The agency's identity as configured (the portal's name, the agency, its contacts)."""
    identity = portal()
    return [line for line in (identity.name, identity.agency_name, identity.agency_address,
                              identity.agency_phone, identity.agency_email) if line]


def _compose(*, locale: str, subject: str, paragraphs: list[str], link: Link,
             footer: list[str], footer_link: Link | None) -> Composed:
    subject = one_line(subject)
    view: dict[str, object] = {"subject": subject, "paragraphs": paragraphs,
                               "link": link, "footer": footer, "footer_link": footer_link,
                               "signature": signature()}
    html = render_to_string("emails/alert.html", view)
    lines = [*paragraphs, "", f"{link.label}: {link.url}", "", "-- ", *view["signature"],  # type: ignore[misc]
             "", *footer]
    if footer_link is not None:
        lines.append(f"{footer_link.label}: {footer_link.url}")
    text = unicodedata.normalize("NFC", "\n".join(lines) + "\n")
    return Composed(subject=subject, text=text, html=html)


def confirmation(*, locale: str, label: str, confirm_url: str, days: int) -> Composed:
    """The mail that asks the address to confirm it wants alerts about ``label``."""
    with speaking(locale):
        return _compose(
            locale=locale,
            subject=_("Confirm your e-mail alerts: %(label)s", label=label),
            paragraphs=[
                _("Someone, hopefully you, asked to receive e-mail alerts about %(label)s at "
                  "this address.", label=label),
                _("To start receiving them, open the link below and confirm. The link is "
                  "valid for %(days)s days.", days=days),
                _("If you did not ask for this, ignore this mail: you will receive nothing "
                  "more."),
            ],
            link=Link(_("Confirm the alerts"), confirm_url),
            footer=[_("This mail was sent automatically; please do not reply to it.")],
            footer_link=None)


def alert(*, locale: str, label: str, heading: str, title: str, summary: str, url: str,
          unsubscribe_url: str) -> Composed:
    """The mail that tells a follower of ``label`` of a new public thing."""
    with speaking(locale):
        return _compose(
            locale=locale,
            subject=f"{heading}: «{title}»",
            paragraphs=[p for p in (f"{heading}: «{title}»", summary) if p],
            link=Link(_("Read it on the portal"), url),
            footer=[_("You receive this mail because you follow %(label)s.", label=label),
                    _("This mail was sent automatically; please do not reply to it.")],
            footer_link=Link(_("Stop these alerts"), unsubscribe_url))
