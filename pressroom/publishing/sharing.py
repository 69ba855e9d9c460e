"""What a public page tells a link preview (OpenGraph) and a feed reader (its Atom feeds).

A shared link is read by the sharing site's crawler, not by the visitor who shared it, so the
preview is written in the site's default language (Vietnamese) whatever the visitor's
interface: the title, the ministry and the date.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from pressroom.conferences.models import PressConference
from pressroom.core.config import get_settings
from pressroom.core.i18n import fmt_date, fmt_time, in_locale, lazy
from pressroom.core.i18n import gettext as _
from pressroom.core.portal import Portal
from pressroom.organizations.models import Organization
from pressroom.publishing.documents import AnswerDocument

OG_LOCALES = {"vi": "vi_VN", "en": "en_GB"}


@dataclass(frozen=True)
class FeedLink:
    href: str
    title: str


@dataclass(frozen=True)
class Share:
    """A page's OpenGraph description."""

    title: str
    description: str
    url: str  # absolute, at the configured base URL
    site_name: str
    locale: str  # OpenGraph's form: vi_VN
    kind: str = "website"  # or "article"
    published: datetime | None = None
    modified: datetime | None = None
    feeds: list[FeedLink] = field(default_factory=list)


def site_feed(site: Portal) -> FeedLink:
    return FeedLink("/feed.atom", f"{site.name} (Atom)")


def _share(site: Portal, path: str, title: str, description: str, **more: object) -> Share:
    return Share(title=title, description=description, url=site.url(path), site_name=site.name,
                 locale=OG_LOCALES.get(get_settings().default_locale, "vi_VN"),
                 **more)  # type: ignore[arg-type]


def page_share(site: Portal, path: str, title: str | None = None) -> Share:
    """A list (``title``: its message id, marked with ``lazy``) or the home page (None: the
    portal's name): the portal's description, the site's feed."""
    with in_locale(get_settings().default_locale):
        return _share(site, path, _(title) if title else site.name,
                      _("Press conferences and official answers"), feeds=[site_feed(site)])


def search_share(site: Portal, query: str, feed: str) -> Share:
    """The search page: the site's feed and, for a query, the feed of what it finds."""
    share = page_share(site, "/search", lazy("Search"))
    if not query:
        return share
    with in_locale(get_settings().default_locale):
        found = FeedLink(feed, _("Search: %(query)s", query=query) + " (Atom)")
    return replace(share, feeds=[found, *share.feeds])


def conference_share(site: Portal, conference: PressConference,
                     host: Organization | None) -> Share:
    """"Họp báo · <host> · <weekday, date, time>"; its own feed and its host's."""
    with in_locale(get_settings().default_locale):
        when = f"{fmt_date(conference.starts_at, long=True)}, {fmt_time(conference.starts_at)}"
        parts = [_("Press conference"), *([host.name] if host else []), when]
        feeds = [FeedLink(f"/conferences/{conference.id}/feed.atom", f"{conference.title} (Atom)")]
        if host is not None:
            feeds.append(FeedLink(f"/organizations/{host.id}/feed.atom", f"{host.name} (Atom)"))
        return _share(site, f"/conferences/{conference.id}", conference.title, " · ".join(parts),
                      kind="article", published=conference.announced_at, feeds=feeds)


def answer_share(site: Portal, doc: AnswerDocument) -> Share:
    """"Câu trả lời chính thức của <ministry> · <date>"; its ministry's feed and its
    conference's."""
    with in_locale(get_settings().default_locale):
        description = " · ".join((_("Official answer of %(ministry)s", ministry=doc.ministry_name),
                                  fmt_date(doc.published_at)))
        feeds = []
        if doc.ministry_id is not None:
            feeds.append(FeedLink(f"/organizations/{doc.ministry_id}/feed.atom",
                                  f"{doc.ministry_name} (Atom)"))
        if doc.conference_id is not None:
            feeds.append(FeedLink(f"/conferences/{doc.conference_id}/feed.atom",
                                  f"{doc.conference_title or doc.conference_id} (Atom)"))
        return _share(site, f"/answers/{doc.answer_id}", doc.question_title, description,
                      kind="article", published=doc.published_at,
                      modified=doc.corrected_at or doc.published_at, feeds=feeds)


def named_share(site: Portal, path: str, name: str) -> Share:
    """A page about a named thing (a press agency): its name, the portal's description, the
    site's feed."""
    with in_locale(get_settings().default_locale):
        return _share(site, path, name, _("Press conferences and official answers"),
                      feeds=[site_feed(site)])


def organization_share(site: Portal, organization: Organization) -> Share:
    """A ministry's page: its name, its feed and the site's."""
    with in_locale(get_settings().default_locale):
        return _share(site, f"/organizations/{organization.id}", organization.name,
                      " · ".join((organization.name, _("Press conferences and official answers"))),
                      feeds=[FeedLink(f"/organizations/{organization.id}/feed.atom",
                                      f"{organization.name} (Atom)"), site_feed(site)])
