"""The conference lists as people see them: the home page's upcoming and recent conferences, the
conferences a journalist may ask a question for, the public and the spokesperson's lists, each
with its exact filter, order and length, and the participants in name order."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlmodel import Session

from pressroom.accounts.enums import Role
from pressroom.conferences import service as conferences
from pressroom.conferences.enums import ConferenceStatus
from pressroom.conferences.models import ConferenceParticipant, PressConference
from pressroom.conferences.schemas import ConferenceCancel, ConferenceCreate
from pressroom.core.errors import PermissionDenied
from pressroom.core.i18n import gettext as _
from pressroom.organizations.models import Organization
from tests import factories
from tests.factories import bearer
from tests.reading import select_options

NOW = datetime(2026, 12, 2, 3, 0, 0, tzinfo=UTC)
ANNOUNCED, HELD, DRAFT = ConferenceStatus.ANNOUNCED, ConferenceStatus.HELD, ConferenceStatus.DRAFT
CANCELLED, TRANSCRIPT = ConferenceStatus.CANCELLED, ConferenceStatus.TRANSCRIPT_PUBLISHED


def add(session: Session, case: factories.Case, title: str, starts_at: datetime, *,
        hours: float = 2, status: ConferenceStatus = ANNOUNCED,
        host: Organization | None = None, guests: tuple[Organization, ...] = ()
        ) -> PressConference:
    """A conference stored as it is at some point of its life (status and times chosen)."""
    item = PressConference(title=title, host_organization_id=(host or case.ministry).id,
                           starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours),
                           venue="18 Nguyễn Du, Hà Nội", status=status,
                           created_by_id=case.spokesperson.id)
    session.add(item)
    session.flush()
    for guest in guests:
        session.add(ConferenceParticipant(conference_id=item.id, organization_id=guest.id))
    session.flush()
    return item


def ids_linked(fragment: str) -> list[int]:
    """The conferences a part of a page links to, in the order shown."""
    return [int(found) for found in re.findall(r'href="/conferences/(\d+)"', fragment)]


def section(page: str, start: str, end: str) -> str:
    """The part of ``page`` from ``start`` to the first ``end`` after it."""
    begin = page.index(start)
    return page[begin:page.index(end, begin)]


def test_home_page_lists_announced_conferences_not_yet_over_and_those_already_begun(
        login_as, session):
    with time_machine.travel(NOW, tick=False):
        case = factories.Case(session)
        day = timedelta(days=1)
        # Stored out of order, so that only the queries' own order can put them right.
        u3 = add(session, case, "Sắp tới 3", NOW + 3 * day)
        ended_now = add(session, case, "Vừa kết thúc", NOW - timedelta(hours=2))
        u1 = add(session, case, "Sắp tới 1", NOW + day)
        held = add(session, case, "Đã họp, chưa kết thúc", NOW - timedelta(hours=3), hours=4,
                   status=HELD)
        starts_now = add(session, case, "Bắt đầu lúc này", NOW)
        u5 = add(session, case, "Sắp tới 5", NOW + 5 * day)
        with_transcript = add(session, case, "Đã có biên bản", NOW - day, status=TRANSCRIPT)
        ongoing = add(session, case, "Đang họp", NOW - timedelta(hours=1))
        u2 = add(session, case, "Sắp tới 2", NOW + 2 * day)
        older = add(session, case, "Đã họp tuần trước", NOW - 7 * day, status=HELD)
        u4 = add(session, case, "Sắp tới 4", NOW + 4 * day)
        add(session, case, "Bản nháp sắp tới", NOW + timedelta(hours=2), status=DRAFT)
        add(session, case, "Bản nháp đã qua", NOW - timedelta(minutes=30), status=DRAFT)
        add(session, case, "Đã hủy", NOW - timedelta(minutes=90), status=CANCELLED)
        add(session, case, "Đã hủy sắp tới", NOW + timedelta(hours=3), status=CANCELLED)
        client, _user = login_as(user=case.journalist)

        page = client.get("/").text

    upcoming = ids_linked(section(page, 'id="upcoming-heading"', 'id="answers-heading"'))
    recent = ids_linked(section(page, 'id="recent-heading"', 'href="/conferences"'))
    # Announced and not over (one ending right now is over), soonest first, five at most.
    assert upcoming == [c.id for c in (ongoing, starts_now, u1, u2, u3)]
    assert u4.id not in upcoming and u5.id not in upcoming
    # Public and begun (one starting right now has begun), latest first, five at most.
    assert recent == [c.id for c in (starts_now, ongoing, ended_now, held, with_transcript)]
    assert older.id not in recent


def test_question_form_offers_the_hundred_soonest_open_conferences(login_as, session):
    with time_machine.travel(NOW, tick=False):
        case = factories.Case(session)
        # Stored latest first; the form offers them soonest first.
        stored = [add(session, case, f"Họp báo số {n:03d}", NOW + timedelta(hours=n))
                  for n in range(101, 0, -1)]
        add(session, case, "Đã kết thúc", NOW - timedelta(hours=3))
        add(session, case, "Bản nháp", NOW + timedelta(minutes=30), status=DRAFT)
        client, _user = login_as(user=case.journalist)

        page = client.get("/my/questions/new").text

    soonest = sorted(stored, key=lambda c: c.starts_at)[:100]
    assert select_options(page, "conference_id") == [("", _("None: a written question"))] + [
        (str(c.id), c.title) for c in soonest]
    assert soonest[-1].title == "Họp báo số 100"


def test_public_list_shows_twenty_latest_first_with_participants_by_name(client, session):
    with time_machine.travel(NOW, tick=False):
        case = factories.Case(session)
        later_name = factories.ministry(session, name="Bộ Y tế")  # created first …
        earlier_name = factories.ministry(session, name="Bộ Công Thương")  # … named before it
        statuses = [ANNOUNCED, HELD, TRANSCRIPT]
        hours = [7, 19, 3, 15, 1, 11, 21, 5, 13, 9, 17, 2, 20, 8, 14, 4, 18, 10, 16, 6, 12]
        stored = [add(session, case, f"Họp báo {h:02d}", NOW - timedelta(hours=h) + timedelta(days=5),
                      status=statuses[h % 3], guests=(later_name, earlier_name)) for h in hours]
        add(session, case, "Bản nháp", NOW + timedelta(days=30), status=DRAFT)
        session.commit()

        first = client.get("/api/v1/conferences").json()
        second = client.get("/api/v1/conferences?page=2").json()
        one = client.get(f"/api/v1/conferences/{stored[0].id}").json()

    latest_first = sorted(stored, key=lambda c: c.starts_at, reverse=True)
    assert [c["id"] for c in first] == [c.id for c in latest_first[:20]]
    assert [c["id"] for c in second] == [latest_first[20].id]
    names = [earlier_name.name, later_name.name]
    assert [c["participant_names"] for c in first + second] == [names] * 21
    assert one["participant_names"] == names


def test_spokesperson_list_shows_every_managed_conference_latest_first(client, session):
    with time_machine.travel(NOW, tick=False):
        case = factories.Case(session)
        later_name = factories.ministry(session, name="Bộ Y tế")
        earlier_name = factories.ministry(session, name="Bộ Công Thương")
        middle = add(session, case, "Giữa", NOW - timedelta(days=1), status=CANCELLED)
        oldest = add(session, case, "Cũ nhất", NOW - timedelta(days=9), status=TRANSCRIPT,
                     guests=(later_name, earlier_name))
        newest = add(session, case, "Mới nhất", NOW + timedelta(days=9), status=DRAFT,
                     guests=(later_name,))
        soon = add(session, case, "Sắp tới", NOW + timedelta(days=2),
                   guests=(later_name, earlier_name))
        other_host = factories.ministry(session, name="Bộ Tài chính")
        add(session, case, "Của bộ khác", NOW, host=other_host)

        listed = client.get("/api/v1/staff/conferences",
                            headers=bearer(session, case.spokesperson)).json()

    assert [(c["id"], c["status"], c["participant_names"]) for c in listed] == [
        (newest.id, "draft", [later_name.name]),
        (soon.id, "announced", [earlier_name.name, later_name.name]),
        (middle.id, "cancelled", []),
        (oldest.id, "transcript_published", [earlier_name.name, later_name.name]),
    ]


def test_another_ministrys_spokesperson_may_not_change_a_conference(session):
    # The pages and the API do not find it for them (404); the service still refuses by name.
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry, announce=False,
                                      title="Họp báo thường kỳ tháng 12")
    other = factories.user(session, Role.SPOKESPERSON)
    changed = ConferenceCreate(
        title="Đã bị đổi", host_organization_id=case.ministry.id or 0,
        starts_at=conference.starts_at, ends_at=conference.ends_at, venue="Nơi khác")
    steps = [
        lambda: conferences.update_conference(session, actor=other, conference=conference,
                                              data=changed),
        lambda: conferences.announce_conference(session, actor=other, conference=conference),
        lambda: conferences.cancel_conference(session, actor=other, conference=conference,
                                              data=ConferenceCancel(reason="Không rõ.")),
    ]

    for step in steps:
        with pytest.raises(PermissionDenied) as refused:
            step()
        assert refused.value.message == _("You do not manage this press conference.")

    session.expire_all()
    stored = session.get(PressConference, conference.id)
    assert stored is not None
    assert (stored.title, stored.venue, stored.status) == (
        "Họp báo thường kỳ tháng 12", "18 Nguyễn Du, Hà Nội", "draft")
