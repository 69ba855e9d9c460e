"""Atom (RFC 4287) feeds of what was said: published answers, public press conferences and
their published transcripts, built with the feedgen package (the XML is the library's, never
put together by hand).

The caller chooses the entries through the public queries (publishing/queries.py and
conferences/queries.py); this module only writes them out. An entry's id is the canonical
address of its public page (a transcript's: the conference page's #transcript-heading), so it stays
the same in every feed that carries it and at every fetch; its ``updated`` time moves when
what the page shows changes (a correction, a postponement, a cancellation). Feeds are written
in the site's default language (Vietnamese): the same for every reader, so shared caches may
keep them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from feedgen.feed import FeedGenerator

from pressroom.conferences.enums import CONFERENCE_STATUS_LABELS, ConferenceStatus
from pressroom.conferences.models import PressConference
from pressroom.core.clock import now
from pressroom.core.i18n import fmt_date, fmt_datetime, fmt_time
from pressroom.core.i18n import gettext as _
from pressroom.core.portal import Portal
from pressroom.organizations.models import Organization
from pressroom.publishing.documents import AnswerDocument, SearchHit, TranscriptDocument

FEED_LIMIT = 50
"""Entries in one feed, newest first: readers keep what they have already fetched."""
MEDIA_TYPE = "application/atom+xml; charset=utf-8"


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    url: str
    updated: datetime
    published: datetime
    author: str
    content: str


def answer_entry(doc: AnswerDocument, site: Portal) -> FeedEntry:
    """A published answer with its question, under the ministry that answered."""
    url = site.url(f"/answers/{doc.answer_id}")
    asked = _("Asked by %(name)s, %(outlet)s", name=doc.asker_name, outlet=doc.outlet_name)
    parts = [f"{_('Question')} ({asked}):", doc.question_text, "",
             f"{_('Official answer')} ({doc.unit_name}):", doc.answer_text]
    if doc.corrected_at is not None:
        parts += ["", _("Corrected on %(date)s", date=fmt_datetime(doc.corrected_at)),
                  f"{_('Reason:')} {doc.correction_reason}"]
    return FeedEntry(id=url, title=doc.question_title, url=url,
                     updated=doc.corrected_at or doc.published_at, published=doc.published_at,
                     author=doc.ministry_name, content="\n".join(parts))


def conference_entry(conference: PressConference, host: Organization | None, site: Portal,
                     updated: datetime) -> FeedEntry:
    """A public press conference: its status, time, venue, host and description."""
    url = site.url(f"/conferences/{conference.id}")
    status = _(CONFERENCE_STATUS_LABELS[ConferenceStatus(conference.status)])
    lines = [f"{status}: {conference.title}",
             f"{_('Time')}: {fmt_date(conference.starts_at, long=True)}, "
             f"{fmt_time(conference.starts_at)}–{fmt_time(conference.ends_at)}",
             f"{_('Venue')}: {conference.venue}"]
    if host is not None:
        lines.append(f"{_('Chaired by')}: {host.name}")
    if conference.status == ConferenceStatus.POSTPONED and conference.postponed_from:
        lines.append(_("(first planned for %(time)s)", time=fmt_datetime(conference.postponed_from)))
    if conference.status_reason:
        lines.append(f"{_('Reason:')} {conference.status_reason}")
    if conference.description:
        lines += ["", conference.description]
    return FeedEntry(id=url, title=conference.title, url=url, updated=updated,
                     published=conference.announced_at or conference.created_at,
                     author=host.name if host else "", content="\n".join(lines))


def transcript_entry(doc: TranscriptDocument, site: Portal) -> FeedEntry:
    """A conference's published transcript, every turn in full."""
    url = site.url(f"/conferences/{doc.conference_id}#transcript-heading")
    turns = [f"{turn.speaker_name}" + (f" ({turn.speaker_role})" if turn.speaker_role else "")
             + f": {turn.text}" for turn in doc.turns]
    return FeedEntry(id=url, title=f"{_('Transcript')}: {doc.title}", url=url,
                     updated=doc.published_at, published=doc.published_at,
                     author=doc.host_name, content="\n\n".join(turns))


def search_hit_entry(hit: SearchHit, site: Portal) -> FeedEntry:
    """A thing search found: its title, who asked or spoke, and its text."""
    url = site.url(hit.url)
    return FeedEntry(id=url, title=hit.title, url=url, updated=hit.published_at,
                     published=hit.published_at, author=hit.organization_name,
                     content="\n\n".join(part for part in (hit.context, hit.body) if part))


def newest(entries: Iterable[FeedEntry], limit: int = FEED_LIMIT) -> list[FeedEntry]:
    """The ``limit`` most recently updated entries, newest first (ties: by id, for a feed that
    reads the same at every fetch)."""
    return sorted(entries, key=lambda e: (e.updated, e.id), reverse=True)[:limit]


def build_feed(entries: Sequence[FeedEntry], *, site: Portal, path: str, title: str,
               subtitle: str, page: str | None) -> bytes:
    """The Atom document of ``entries`` (newest first), served at ``path``; ``page`` is the
    HTML page it follows (None: none)."""
    feed = FeedGenerator()
    feed.id(site.url(path))
    feed.title(title)
    feed.subtitle(subtitle)
    feed.language("vi")
    feed.link(href=site.url(path), rel="self", type="application/atom+xml")
    if page is not None:
        feed.link(href=site.url(page), rel="alternate", type="text/html")
    # Atom wants an author for every entry: the feed's stands in for an entry without one.
    feed.author({"name": site.agency_name or site.name,
                 **({"email": site.agency_email} if site.agency_email else {})})
    feed.generator("Pressroom")
    feed.updated(max((e.updated for e in entries), default=now()))
    # feedgen writes entries in reverse order of adding them.
    for item in reversed(entries):
        entry = feed.add_entry()
        entry.id(item.id)
        entry.title(item.title)
        entry.link(href=item.url, rel="alternate", type="text/html")
        entry.updated(item.updated)
        entry.published(item.published)
        if item.author:
            entry.author({"name": item.author})
        entry.content(item.content, type="text")
    return bytes(feed.atom_str(pretty=True))
