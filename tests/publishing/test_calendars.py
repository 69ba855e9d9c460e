"""iCalendar feeds of press conferences (/calendar.ics, one host's, one conference's), read
back with the icalendar parser: a UID that stays while SEQUENCE follows every reschedule,
postponement and cancellation, local wall times with their VTIMEZONE, Vietnamese text intact,
and nothing that is not public."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy.engine import Connection
from sqlmodel import Session

from pressroom.conferences import service as conferences
from pressroom.conferences.models import PressConference
from pressroom.conferences.schemas import ConferenceCancel, ConferenceCreate, ConferencePostpone
from pressroom.core.clock import now
from pressroom.core.i18n import fmt_datetime
from pressroom.core.i18n import gettext as _
from tests import factories
from tests.conftest import count_queries

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
BASE = "http://127.0.0.1:8000"  # PRESSROOM_BASE_URL's default: the tests do not set it
ALTERNATE = '<link rel="alternate" type="text/calendar" href="/calendar.ics"'


def _feed(client: Any, path: str, **kwargs: Any) -> Calendar:
    response = client.get(path, **kwargs)
    assert response.status_code == 200, response.text
    return Calendar.from_ical(response.content)


def _events(calendar: Calendar) -> dict[str, Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _uid(conference: PressConference) -> str:
    return f"conference-{conference.id}@127.0.0.1"


def _only_event(client: Any, conference: PressConference) -> Event:
    events = _events(_feed(client, f"/conferences/{conference.id}/calendar.ics"))
    assert list(events) == [_uid(conference)]
    return events[_uid(conference)]


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    """A UTC time ``days`` from now at ``hour:minute`` UTC."""
    return (now() + timedelta(days=days)).replace(hour=hour, minute=minute, second=0,
                                                  microsecond=0)


def _moved(conference: PressConference, starts_at: datetime) -> ConferenceCreate:
    return ConferenceCreate(
        title=conference.title, host_organization_id=conference.host_organization_id,
        starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), venue=conference.venue,
        description=conference.description)


def _facts(case: factories.Case, conference: PressConference) -> str:
    return (f"{conference.description}\n\n{_('Chaired by')}: {case.ministry.name}\n"
            f"{BASE}/conferences/{conference.id}")


def test_uid_stays_while_sequence_follows_each_reschedule_postponement_and_cancellation(
        client: Any, session: Session) -> None:
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry,
                                      starts_at=_at(10, 2))
    session.commit()
    announced = _only_event(client, conference)
    conferences.update_conference(session, actor=case.spokesperson, conference=conference,
                                  data=_moved(conference, _at(11, 3)))
    session.commit()
    rescheduled = _only_event(client, conference)
    first_planned = conference.starts_at
    conferences.postpone_conference(session, actor=case.spokesperson, conference=conference,
                                    data=ConferencePostpone(
                                        starts_at=_at(14, 1), ends_at=_at(14, 3),
                                        reason="Lãnh đạo Bộ đi công tác đột xuất."))
    session.commit()
    postponed = _only_event(client, conference)
    conferences.cancel_conference(session, actor=case.spokesperson, conference=conference,
                                  data=ConferenceCancel(reason="Nội dung đã được thông tin "
                                                               "qua văn bản."))
    session.commit()
    cancelled = _only_event(client, conference)

    moves = [announced, rescheduled, postponed, cancelled]
    assert [str(e["UID"]) for e in moves] == [_uid(conference)] * 4
    assert [e["SEQUENCE"] for e in moves] == [0, 1, 2, 3]
    assert [str(e["STATUS"]) for e in moves] == ["CONFIRMED", "CONFIRMED", "CONFIRMED",
                                                 "CANCELLED"]
    assert [e.start for e in moves] == [
        _at(10, 2).astimezone(HANOI), _at(11, 3).astimezone(HANOI),
        _at(14, 1).astimezone(HANOI), _at(14, 1).astimezone(HANOI)]
    assert str(announced["DESCRIPTION"]) == _facts(case, conference)
    assert str(postponed["DESCRIPTION"]) == (
        _("Postponed to %(time)s", time=fmt_datetime(_at(14, 1))) + " "
        + _("(first planned for %(time)s)", time=fmt_datetime(first_planned))
        + "\nLãnh đạo Bộ đi công tác đột xuất.\n\n" + _facts(case, conference))
    assert str(cancelled["DESCRIPTION"]) == (
        _("This press conference was cancelled.")
        + "\nNội dung đã được thông tin qua văn bản.\n\n" + _facts(case, conference))
    # The same event, by the same UID, in the feed of all conferences.
    assert _events(_feed(client, "/calendar.ics"))[_uid(conference)]["SEQUENCE"] == 3


def test_uid_does_not_depend_on_the_address_the_feed_was_fetched_at(
        client: Any, session: Session) -> None:
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    session.commit()

    plain = _events(_feed(client, "/calendar.ics"))
    elsewhere = _events(_feed(client, "/calendar.ics", headers={"Host": "hopbao.example.vn"}))

    assert list(plain) == list(elsewhere) == [_uid(conference)]


def test_times_are_local_wall_times_with_their_time_zone(client: Any, session: Session) -> None:
    case = factories.Case(session)
    start = _at(10, 2, 30)  # 09:30 in Hà Nội (UTC+7)
    conference = factories.conference(session, case.spokesperson, case.ministry,
                                      starts_at=start)
    session.commit()

    response = client.get(f"/conferences/{conference.id}/calendar.ics")
    calendar = Calendar.from_ical(response.content)
    event = _events(calendar)[_uid(conference)]

    day = start.strftime("%Y%m%d")
    assert f"DTSTART;TZID=Asia/Ho_Chi_Minh:{day}T093000\r\n".encode() in response.content
    assert f"DTEND;TZID=Asia/Ho_Chi_Minh:{day}T113000\r\n".encode() in response.content
    assert event["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert event.start == datetime(start.year, start.month, start.day, 9, 30, tzinfo=HANOI)
    assert event.end == datetime(start.year, start.month, start.day, 11, 30, tzinfo=HANOI)
    assert event["DTSTAMP"].dt.utcoffset() == timedelta(0)
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Ho_Chi_Minh"]
    assert calendar.get_missing_tzids() == set()
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Ho_Chi_Minh"


def test_vietnamese_text_round_trips_exactly_in_folded_lines(client: Any, session: Session) -> None:
    case = factories.Case(session)
    title = ("Họp báo Chính phủ thường kỳ tháng Mười hai: kết quả chuyển đổi số, “Đề án 06”; "
             "ệ ẫ ở ặ ữ ỗ ự, Đà Nẵng – Thừa Thiên Huế")
    conference = factories.conference(session, case.spokesperson, case.ministry, title=title)
    session.commit()

    response = client.get("/calendar.ics")
    event = _events(Calendar.from_ical(response.content))[_uid(conference)]

    assert str(event["SUMMARY"]) == title
    assert str(event["LOCATION"]) == "18 Nguyễn Du, Hà Nội"
    assert str(event["URL"]) == f"{BASE}/conferences/{conference.id}"
    assert str(event["ORGANIZER"]) == f"mailto:{case.spokesperson.email}"
    assert event["ORGANIZER"].params["CN"] == case.spokesperson.full_name
    lines = response.content.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b"SUMMARY:") for line in lines)
    assert response.content.decode("utf-8").count("\r\n ") >= 1  # folded, not cut


def test_feeds_carry_no_draft_and_a_draft_has_no_calendar(client: Any, session: Session) -> None:
    case = factories.Case(session)
    announced = factories.conference(session, case.spokesperson, case.ministry)
    draft = factories.conference(session, case.spokesperson, case.ministry, announce=False)
    dropped_draft = factories.conference(session, case.spokesperson, case.ministry,
                                         announce=False)
    conferences.cancel_conference(session, actor=case.spokesperson, conference=dropped_draft,
                                  data=ConferenceCancel(reason="Không tổ chức."))
    called_off = factories.conference(session, case.spokesperson, case.ministry,
                                      starts_at=_at(9, 2))
    conferences.cancel_conference(session, actor=case.spokesperson, conference=called_off,
                                  data=ConferenceCancel(reason="Thay đổi lịch công tác."))
    session.commit()

    everything = _events(_feed(client, "/calendar.ics"))
    of_host = _events(_feed(client, f"/organizations/{case.ministry.id}/calendar.ics"))

    assert list(everything) == list(of_host) == [_uid(announced), _uid(called_off)]
    assert str(everything[_uid(called_off)]["STATUS"]) == "CANCELLED"
    for conference_id in (draft.id, dropped_draft.id, 999999, 0):
        response = client.get(f"/conferences/{conference_id}/calendar.ics")
        assert response.status_code == 404
        assert response.headers["content-type"] == "text/html; charset=utf-8"


def test_host_feed_lists_only_that_hosts_conferences(client: Any, session: Session) -> None:
    first = factories.Case(session)
    second = factories.Case(session)
    ours = factories.conference(session, first.spokesperson, first.ministry,
                                starts_at=_at(12, 2), title="Họp báo của Bộ thứ nhất")
    theirs = factories.conference(session, second.spokesperson, second.ministry,
                                  starts_at=_at(11, 2), title="Họp báo của Bộ thứ hai")
    session.commit()

    calendar = _feed(client, f"/organizations/{first.ministry.id}/calendar.ics")
    everything = _events(_feed(client, "/calendar.ics"))

    assert list(_events(calendar)) == [_uid(ours)]
    assert str(calendar["X-WR-CALNAME"]) == f"{_('Press conferences')} – {first.ministry.name}"
    assert list(everything) == [_uid(theirs), _uid(ours)]
    assert str(everything[_uid(theirs)]["ORGANIZER"]) == f"mailto:{second.spokesperson.email}"
    for organization_id in (first.unit.id, 999999, 0):
        assert client.get(f"/organizations/{organization_id}/calendar.ics").status_code == 404


def test_feed_reaches_a_year_back_and_is_ordered_by_start(client: Any, session: Session) -> None:
    case = factories.Case(session)
    later = factories.conference(session, case.spokesperson, case.ministry, starts_at=_at(20, 2))
    sooner = factories.conference(session, case.spokesperson, case.ministry, starts_at=_at(8, 2))
    last_month = factories.conference(session, case.spokesperson, case.ministry,
                                      starts_at=_at(-30, 2))
    factories.conference(session, case.spokesperson, case.ministry, starts_at=_at(-400, 2))
    session.commit()

    assert list(_events(_feed(client, "/calendar.ics"))) == [
        _uid(last_month), _uid(sooner), _uid(later)]


def test_feeds_are_public_calendars_any_cache_may_keep(client: Any, session: Session,
                                                     login_as: Any) -> None:
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    session.commit()
    spokesperson, _user = login_as(user=case.spokesperson)
    paths = {"/calendar.ics": "hop-bao.ics",
             f"/organizations/{case.ministry.id}/calendar.ics":
                 f"hop-bao-co-quan-{case.ministry.id}.ics",
             f"/conferences/{conference.id}/calendar.ics": f"hop-bao-{conference.id}.ics"}

    for path, filename in paths.items():
        for visitor in (client, spokesperson):
            response = visitor.get(path)
            assert response.status_code == 200
            assert response.headers["content-type"] == "text/calendar; charset=utf-8"
            assert response.headers["content-disposition"] == f'inline; filename="{filename}"'
            assert response.headers.get_list("cache-control") == ["public, max-age=300"]
    calendar = _feed(client, "/calendar.ics")
    assert (str(calendar["VERSION"]), str(calendar["PRODID"]), str(calendar["CALSCALE"]),
            str(calendar["METHOD"]), str(calendar["X-WR-CALNAME"])) == (
        "2.0", "-//Pressroom//Press conferences//VI", "GREGORIAN", "PUBLISH",
        _("Press conferences"))


def test_feed_reads_no_more_for_more_hosts_and_conferences(
        client: Any, session: Session, connection: Connection) -> None:
    case = factories.Case(session)
    factories.conference(session, case.spokesperson, case.ministry)
    session.commit()
    few = count_queries(connection, lambda: client.get("/calendar.ics"))
    for _number in range(3):
        other = factories.Case(session)
        factories.conference(session, other.spokesperson, other.ministry)
        factories.conference(session, other.spokesperson, other.ministry, starts_at=_at(9, 4))
    session.commit()

    many = count_queries(connection, lambda: client.get("/calendar.ics"))

    assert many == few


def test_public_pages_point_to_the_calendars(client: Any, session: Session) -> None:
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    called_off = factories.conference(session, case.spokesperson, case.ministry)
    conferences.cancel_conference(session, actor=case.spokesperson, conference=called_off,
                                  data=ConferenceCancel(reason="Thay đổi lịch công tác."))
    session.commit()
    subscribe = (f'<a class="govuk-link" href="/calendar.ics" type="text/calendar">'
                 f'{_("Subscribe to the calendar")} (.ics)</a>')

    home = client.get("/").text
    listing = client.get("/conferences").text
    page = client.get(f"/conferences/{conference.id}").text
    cancelled_page = client.get(f"/conferences/{called_off.id}").text

    for html in (home, listing):
        assert ALTERNATE in html
        assert subscribe in html
    assert (f'<a class="govuk-link" href="/conferences/{conference.id}/calendar.ics" '
            f'type="text/calendar">{_("Add to calendar")} (.ics)</a>') in page
    assert f"/conferences/{called_off.id}/calendar.ics" not in cancelled_page


def test_a_response_shared_caches_may_keep_sets_no_cookie(client, session):
    case = factories.Case(session)
    factories.conference(session, case.spokesperson, case.ministry)
    session.commit()

    feed = client.get("/calendar.ics", headers={"Cookie": ""})
    page = client.get("/conferences", headers={"Cookie": ""})

    assert feed.headers["cache-control"] == "public, max-age=300"
    assert "set-cookie" not in feed.headers
    assert "pressroom_csrf=" in page.headers["set-cookie"]
