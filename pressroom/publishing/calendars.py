"""iCalendar (RFC 5545) feeds of public press conferences, built with the icalendar package.

The caller chooses the conferences through the public queries (conferences/queries.py);
this module only writes them out. A conference's UID never changes (it names neither the
time nor the address the feed was fetched at) and its SEQUENCE is the conference's
``schedule_sequence``, raised on every reschedule, postponement and cancellation: a calendar
that imported it replaces its copy instead of keeping the old time next to the new one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vDuration

from pressroom.conferences.enums import ConferenceStatus
from pressroom.conferences.models import PressConference
from pressroom.core.clock import now
from pressroom.core.config import get_settings
from pressroom.core.i18n import fmt_datetime
from pressroom.core.i18n import gettext as _
from pressroom.organizations.models import Organization, Spokesperson

PRODID = "-//Pressroom//Press conferences//VI"
REFRESH = timedelta(hours=1)
"""How often subscribed calendars should fetch the feed again."""


def conference_uid(conference_id: int) -> str:
    """The conference's UID: the same in every feed, at every fetch, for its whole life."""
    domain = urlsplit(get_settings().base_url).hostname or "pressroom.invalid"
    return f"conference-{conference_id}@{domain}"


def page_url(conference_id: int) -> str:
    """The conference's public page, absolute (a calendar has no address to resolve it against)."""
    return f"{get_settings().base_url}/conferences/{conference_id}"


def calendar_name(host: Organization | None) -> str:
    """"Họp báo – <ministry>" for one host's conferences, "Họp báo" for all of them."""
    return f"{_('Press conferences')} – {host.name}" if host else _("Press conferences")


def build_calendar(conferences: Sequence[PressConference], *, host: Organization | None,
                   hosts: Mapping[int, Organization],
                   organizers: Mapping[int, Spokesperson],
                   stamp: datetime | None = None) -> bytes:
    """The VCALENDAR (UTF-8, lines folded by the library) of ``conferences``, named after
    ``host`` (None: all hosts). ``hosts`` and ``organizers`` give each host organisation's
    name and the spokesperson named as organiser, by host id; a host missing from them is
    left out of the event."""
    settings = get_settings()
    zone = ZoneInfo(settings.timezone)
    stamp = stamp or now()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = calendar_name(host)
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.timezone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))  # Outlook's name for it
    for conference in conferences:
        calendar.add_component(_event(
            conference, zone=zone, stamp=stamp, host=hosts.get(conference.host_organization_id),
            organizer=organizers.get(conference.host_organization_id)))
    # DTSTART/DTEND name their zone (TZID), which RFC 5545 wants defined in the calendar.
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _event(conference: PressConference, *, zone: ZoneInfo, stamp: datetime,
           host: Organization | None, organizer: Spokesperson | None) -> Event:
    conference_id = conference.id or 0
    cancelled = conference.status == ConferenceStatus.CANCELLED
    event = Event()
    event.add("uid", conference_uid(conference_id))
    event.add("dtstamp", stamp)
    event.add("sequence", conference.schedule_sequence)
    event.add("dtstart", conference.starts_at.astimezone(zone))
    event.add("dtend", conference.ends_at.astimezone(zone))
    event.add("summary", conference.title)
    event.add("location", conference.venue)
    event.add("description", _description(conference, host))
    event.add("url", page_url(conference_id))
    # A postponed conference is confirmed at its new time; the description says it moved.
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if organizer is not None and organizer.email:
        address = vCalAddress(f"mailto:{organizer.email}")
        address.params["CN"] = organizer.full_name
        event.add("organizer", address)
    return event


def _description(conference: PressConference, host: Organization | None) -> str:
    parts: list[str] = []
    if conference.status == ConferenceStatus.CANCELLED:
        parts.append(_lines(_("This press conference was cancelled."), conference.status_reason))
    elif conference.status == ConferenceStatus.POSTPONED:
        moved = _("Postponed to %(time)s", time=fmt_datetime(conference.starts_at))
        if conference.postponed_from is not None:
            moved += " " + _("(first planned for %(time)s)",
                             time=fmt_datetime(conference.postponed_from))
        parts.append(_lines(moved, conference.status_reason))
    if conference.description:
        parts.append(conference.description)
    facts = [f"{_('Chaired by')}: {host.name}" if host else ""]
    if conference.livestream_url:
        facts.append(f"{_('Livestream')}: {conference.livestream_url}")
    facts.append(page_url(conference.id or 0))
    parts.append(_lines(*facts))
    return "\n\n".join(parts)


def _lines(*lines: str) -> str:
    return "\n".join(line for line in lines if line)
