"""Who speaks for whom, and what each has answered: the pages of ministries and agencies, the
spokesperson directory and the press agencies' pages, their JSON API, the links to them, and
their freshness behind the public page cache."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import text

from pressroom.accounts import service as accounts
from pressroom.accounts.enums import Role
from pressroom.accounts.models import Outlet
from pressroom.core.clock import now
from pressroom.core.i18n import gettext as _
from pressroom.core.i18n import ngettext
from pressroom.organizations import service as organizations
from pressroom.organizations.enums import OrgKind
from pressroom.organizations.queries import spokesperson_for_user
from tests import factories
from tests.conftest import count_queries
from tests.reading import listed_answer_ids, listed_people, page_text, shown

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "Bộ"'
NEXT_LINK = re.compile(r'href="([^"]+)" rel="next"')


def _contact(phone: str, email: str) -> str:
    return f"{_('Phone')}: {phone} {_('E-mail')}: {email}"


def _block(page: str, org_id: int | None) -> str:
    """One ministry's block of the spokesperson directory."""
    match = re.search(rf'<li class="pr-directory__org" id="organization-{org_id}">(.*?)'
                      r'(?=<li class="pr-directory__org"|</ul>\s*</div>\s*</div>)', page, re.S)
    assert match, f"organisation {org_id} is not in the directory"
    return match.group(1)


def _section(page: str, heading_id: str) -> str:
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}">(.*?)</section>', page,
                      re.S)
    assert match, f"no section {heading_id}"
    return match.group(1)


def _conference_ids(fragment: str) -> list[int]:
    return [int(i) for i in re.findall(r'pr-event__title"><a class="govuk-link" '
                                       r'href="/conferences/(\d+)"', fragment)]


# --- a ministry's page ------------------------------------------------------------------

def test_ministry_page_shows_its_name_spokespersons_units_and_calendar(client, session):
    case = factories.Case(session)  # spokesperson Nguyễn Hồng Sâm, one unit
    second_unit = factories.unit(session, case.ministry, name="Cục Báo chí")
    organizations.add_spokesperson(
        session, organization_id=case.ministry.id, full_name="Trần Văn Bình",
        title="Phó Chánh Văn phòng Bộ", phone="024 3943 7121", email="binh.tran@example.vn",
        is_deputy=True)
    other = factories.Case(session)
    session.commit()

    response = client.get(f"/organizations/{case.ministry.id}")

    assert response.status_code == 200
    page = response.text
    assert f"<title>{shown(case.ministry.name)} – " in page
    assert f'<h1 class="govuk-heading-l pr-title">{shown(case.ministry.name)}</h1>' in page
    assert f"{_('Abbreviation:')} Bộ TTTT" in page_text(page)
    assert listed_people(page) == [
        {"name": "Nguyễn Hồng Sâm", "title": "Người phát ngôn, Chánh Văn phòng Bộ",
         "contact": _contact("024 3943 7120", case.spokesperson.email)},
        {"name": "Trần Văn Bình",
         "title": f"Phó Chánh Văn phòng Bộ {_('Person authorised to speak')}",
         "contact": _contact("024 3943 7121", "binh.tran@example.vn")},
    ]
    assert 'href="tel:02439437121"' in page
    assert 'href="mailto:binh.tran@example.vn"' in page
    assert re.findall(r"<li>([^<]*)</li>", _units(page)) == sorted(
        [case.unit.name, second_unit.name])
    assert (f'<a class="govuk-link" href="/organizations/{case.ministry.id}/calendar.ics" '
            'type="text/calendar">') in page
    assert shown(other.ministry.name) not in page
    assert shown(other.unit.name) not in page


def _units(page: str) -> str:
    match = re.search(r'<ul class="govuk-list govuk-body-s pr-units">(.*?)</ul>', page, re.S)
    assert match, "no list of units"
    return match.group(1)


def test_ministry_page_without_spokesperson_or_units_says_so(client, session):
    ministry = factories.ministry(session, name="Bộ Ngoại giao", short="")
    session.commit()

    page = client.get(f"/organizations/{ministry.id}").text

    assert listed_people(page) == []
    assert f'<p class="govuk-body-s">{_("No spokesperson is listed.")}</p>' in page
    assert f'<p class="govuk-body-s">{_("No units are listed.")}</p>' in page
    assert _("Abbreviation:") not in page


def test_ministry_page_lists_its_own_public_conferences_upcoming_and_recent(client, session):
    case = factories.Case(session)
    other = factories.Case(session)
    later = factories.conference(session, case.spokesperson, case.ministry,
                                 starts_at=now() + timedelta(days=14), title="Họp báo tháng sau")
    sooner = factories.conference(session, case.spokesperson, case.ministry,
                                  starts_at=now() + timedelta(days=8), title="Họp báo tuần sau")
    held = factories.conference(session, case.spokesperson, case.ministry,
                                starts_at=now() - timedelta(days=3), title="Họp báo tuần trước")
    draft = factories.conference(session, case.spokesperson, case.ministry, announce=False,
                                 title="Họp báo còn nháp")
    theirs = factories.conference(session, other.spokesperson, other.ministry,
                                  title="Họp báo của Bộ khác")
    theirs_held = factories.conference(session, other.spokesperson, other.ministry,
                                       starts_at=now() - timedelta(days=2),
                                       title="Họp báo đã họp của Bộ khác")
    session.commit()

    page = client.get(f"/organizations/{case.ministry.id}").text

    assert _conference_ids(_section(page, "upcoming-heading")) == [sooner.id, later.id]
    assert _conference_ids(_section(page, "recent-heading")) == [held.id]
    for hidden in (draft, theirs, theirs_held):
        assert f'href="/conferences/{hidden.id}"' not in page


def test_ministry_page_lists_its_published_answers_newest_first_by_page(client, session):
    case = factories.Case(session)
    deeper = factories.unit(session, factories.unit(session, case.ministry), name="Phòng")
    ids = [case.published_answer()[1].id or 0 for _i in range(20)]
    # An answer of a unit inside a unit is the ministry's answer too.
    case.unit = deeper
    organizations.add_member(session, user_id=case.officer.id or 0, organization_id=deeper.id or 0)
    ids.append(case.published_answer()[1].id or 0)
    _scheduled, scheduled = case.published_answer(publish_at=now() + timedelta(hours=1))
    _q, unpublished = case.submitted_answer()
    other = factories.Case(session)
    _theirs, theirs = other.published_answer()
    session.commit()

    first = client.get(f"/organizations/{case.ministry.id}")
    next_href = NEXT_LINK.search(first.text)
    assert next_href is not None
    second = client.get(next_href.group(1))

    assert next_href.group(1) == f"/organizations/{case.ministry.id}?page=2#answers"
    assert listed_answer_ids(first.text) + listed_answer_ids(second.text) == ids[::-1]
    assert NEXT_LINK.search(second.text) is None
    for hidden in (scheduled, unpublished, theirs):
        assert f'href="/answers/{hidden.id}"' not in first.text + second.text
    assert second.text.count('class="pr-person"') == 1  # the rest of the page stays


def test_ministry_page_before_any_answer_says_none_yet(client, session):
    case = factories.Case(session)
    session.commit()

    page = client.get(f"/organizations/{case.ministry.id}").text
    beyond = client.get(f"/organizations/{case.ministry.id}?page=2").text

    assert f'<p class="govuk-body">{_("No answers have been published yet.")}</p>' in page
    assert f'<p class="govuk-body">{_("No answers on this page.")}</p>' in beyond


def test_a_units_address_leads_to_its_ministrys_page(client, session):
    case = factories.Case(session)
    inner = factories.unit(session, case.unit, name="Phòng Thông tin")
    session.commit()

    for unit in (case.unit, inner):
        response = client.get(f"/organizations/{unit.id}", follow_redirects=False)
        assert response.status_code == 302
        assert response.headers["location"] == f"/organizations/{case.ministry.id}"


def test_an_unknown_organisation_is_not_found(client):
    for path in ("/organizations/999999", "/outlets/999999", "/api/v1/organizations/999999"):
        assert client.get(path).status_code == 404


def test_government_office_page_lists_its_units_not_the_ministries(client, session):
    office, health, _inspectorate, _police = factories.government(session)
    portal = factories.unit(session, office, name="Cổng Thông tin điện tử Chính phủ")
    session.commit()

    page = client.get(f"/organizations/{office.id}").text

    assert re.findall(r"<li>([^<]*)</li>", _units(page)) == [portal.name]
    assert shown(health.name) not in page


# --- the list of ministries and the directory -------------------------------------------

def test_organisation_list_puts_the_government_office_first_then_names(client, session):
    office, health, inspectorate, police = factories.government(session)
    factories.unit(session, health, name="Cục Quản lý Dược")
    organizations.add_spokesperson(session, organization_id=police.id or 0,
                                   full_name="Đại tá Trần Hồng Phú", title="Chánh Văn phòng")
    session.commit()

    page = client.get("/organizations").text

    rows = re.findall(r'<tr class="govuk-table__row pr-org-row">(.*?)</tr>', page, re.S)
    assert [page_text(row) for row in rows] == [
        "Văn phòng Chính phủ VPCP " + _("No spokesperson is listed."),
        f"Bộ Công an {_('Ministry')} Bộ CA Đại tá Trần Hồng Phú",
        f"Bộ Y tế {_('Ministry')} BYT " + _("No spokesperson is listed."),
        f"Thanh tra Chính phủ {_('Government agency')} TTCP "
        + _("No spokesperson is listed."),
    ]
    assert [int(i) for i in re.findall(r'href="/organizations/(\d+)"', "".join(rows))] == [
        office.id, police.id, health.id, inspectorate.id]
    assert "Cục Quản lý Dược" not in page


def test_directory_lists_each_ministrys_spokespersons_with_the_decrees_note(client, session):
    office, health, inspectorate, police = factories.government(session)
    organizations.add_spokesperson(session, organization_id=health.id or 0,
                                   full_name="Nguyễn Thị Liên Hương", title="Thứ trưởng",
                                   phone="024 6273 2273", email="Huong@moh.example.vn")
    organizations.add_spokesperson(session, organization_id=health.id or 0,
                                   full_name="Đặng Văn An", title="Chánh Văn phòng Bộ",
                                   is_deputy=True)
    # Recorded on a unit: listed under the unit's ministry.
    department = factories.unit(session, police, name="Cục Truyền thông CAND")
    organizations.add_spokesperson(session, organization_id=department.id or 0,
                                   full_name="Lê Văn Tuyến", title="Thứ trưởng",
                                   phone="069 234 2593")
    session.commit()

    page = client.get("/spokespersons").text

    assert _("Under Decree 09/2017/NĐ-CP, Article 3, the name, title, phone number and e-mail "
             "address of each spokesperson and person authorised to speak are made public, so "
             "that the press can reach them.") in page_text(page)
    blocks = re.findall(r'<li class="pr-directory__org" id="organization-(\d+)">', page)
    assert [int(b) for b in blocks] == [office.id, police.id, health.id, inspectorate.id]
    assert listed_people(_block(page, health.id)) == [
        {"name": "Nguyễn Thị Liên Hương", "title": "Thứ trưởng",
         "contact": _contact("024 6273 2273", "huong@moh.example.vn")},
        {"name": "Đặng Văn An", "title": f"Chánh Văn phòng Bộ {_('Person authorised to speak')}",
         "contact": ""},
    ]
    assert [p["name"] for p in listed_people(_block(page, police.id))] == ["Lê Văn Tuyến"]
    assert listed_people(_block(page, office.id)) == []
    assert _("No spokesperson is listed.") in _block(page, inspectorate.id)
    assert (f'<a class="govuk-link" href="/organizations/{health.id}">Bộ Y tế</a>'
            in _block(page, health.id))


def test_directory_and_list_need_the_same_queries_for_more_ministries(client, session,
                                                                     connection):
    def add(n: int) -> None:
        for _i in range(n):
            ministry = factories.ministry(session)
            organizations.add_spokesperson(session, organization_id=ministry.id or 0,
                                           full_name="Người phát ngôn", title="Thứ trưởng")
        session.commit()

    add(2)
    few = [count_queries(connection, lambda p=p: client.get(p)) for p in
           ("/spokespersons", "/organizations", "/api/v1/spokespersons")]
    add(4)
    many = [count_queries(connection, lambda p=p: client.get(p)) for p in
            ("/spokespersons", "/organizations", "/api/v1/spokespersons")]

    assert many == few


def test_ministry_and_outlet_pages_need_the_same_queries_for_more_answers(client, session,
                                                                         connection):
    case = factories.Case(session)
    outlet_id = case.journalist.outlet_id
    factories.conference(session, case.spokesperson, case.ministry)
    for _i in range(2):
        case.published_answer()
    session.commit()
    paths = (f"/organizations/{case.ministry.id}", f"/outlets/{outlet_id}", "/outlets")
    few = [count_queries(connection, lambda p=p: client.get(p)) for p in paths]
    for _i in range(5):
        case.published_answer()
    session.commit()
    many = [count_queries(connection, lambda p=p: client.get(p)) for p in paths]

    assert many == few


# --- press agencies ---------------------------------------------------------------------

def test_outlet_page_lists_its_journalists_published_questions_newest_first(client, session):
    case = factories.Case(session)
    outlet_id = case.journalist.outlet_id
    first_question, first = case.published_answer()
    _second_question, second = case.published_answer()
    _later, scheduled = case.published_answer(publish_at=now() + timedelta(hours=1))
    _draft, unpublished = case.submitted_answer()
    other = factories.Case(session)
    _theirs, theirs = other.published_answer()
    # The journalist moves to another paper: what they asked stays with the one they asked for.
    case.journalist.outlet_id = other.journalist.outlet_id
    session.add(case.journalist)
    session.commit()

    page = client.get(f"/outlets/{outlet_id}").text

    assert listed_answer_ids(page) == [second.id, first.id]
    assert (f'<a class="govuk-link" href="/answers/{first.id}">'
            f"{shown(first_question.title)}</a>") in page
    for hidden in (scheduled, unpublished, theirs):
        assert f'href="/answers/{hidden.id}"' not in page
    assert listed_answer_ids(client.get(f"/outlets/{other.journalist.outlet_id}").text) == [
        theirs.id]


def test_outlet_page_is_paginated(client, session):
    case = factories.Case(session)
    ids = [case.published_answer()[1].id or 0 for _i in range(21)]
    session.commit()

    first = client.get(f"/outlets/{case.journalist.outlet_id}").text
    second = client.get(f"/outlets/{case.journalist.outlet_id}?page=2").text

    assert listed_answer_ids(first) + listed_answer_ids(second) == ids[::-1]
    assert f'href="/outlets/{case.journalist.outlet_id}?page=2" rel="next"' in first
    assert NEXT_LINK.search(second) is None


def test_outlet_list_names_outlets_with_published_answers_and_how_many(client, session):
    case = factories.Case(session)
    case.published_answer()
    case.published_answer()
    case.published_answer(publish_at=now() + timedelta(hours=1))
    silent = factories.user(session, Role.JOURNALIST)
    session.commit()

    page = client.get("/outlets").text

    named = session.get(Outlet, case.journalist.outlet_id)
    assert named is not None
    items = re.findall(r'<li class="pr-outlet">(.*?)</li>', page, re.S)
    assert [page_text(item) for item in items] == [
        f"{named.name} · "
        + ngettext("%(num)s published answer", "%(num)s published answers", 2, num=2)]
    assert f'href="/outlets/{silent.outlet_id}"' not in page


# --- links --------------------------------------------------------------------------------

def test_answer_lists_and_pages_link_the_ministry_and_the_outlet(client, session):
    case = factories.Case(session)
    question, answer = case.published_answer()
    session.commit()
    ministry_link = (f'<a class="govuk-link" href="/organizations/{case.ministry.id}">'
                     f"{shown(case.ministry.name)}</a>")
    outlet = f'<a class="govuk-link" href="/outlets/{case.journalist.outlet_id}">'

    for path in ("/", "/answers", f"/answers/{answer.id}", f"/outlets/{case.journalist.outlet_id}",
                 f"/organizations/{case.ministry.id}"):
        page = client.get(path).text
        assert ministry_link in page, path
        assert outlet in page, path


def test_conference_page_links_the_host(client, session):
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    session.commit()

    page = client.get(f"/conferences/{conference.id}").text

    assert (f'<dd class="govuk-summary-list__value"><a class="govuk-link" '
            f'href="/organizations/{case.ministry.id}">{shown(case.ministry.name)}</a></dd>'
            in page)


def test_visitors_menu_and_every_footer_link_the_directory(client, login_as, session):
    case = factories.Case(session)
    session.commit()
    visitor = client.get("/").text
    journalist, _user = login_as(user=case.journalist)
    spokesperson, _user = login_as(user=case.spokesperson)

    for page in (visitor, journalist.get("/").text):
        menu = re.search(r'<ul class="govuk-service-navigation__list"[^>]*>(.*?)</ul>', page, re.S)
        assert menu is not None
        assert re.findall(r'href="(/organizations|/spokespersons)"', menu.group(1)) == [
            "/organizations", "/spokespersons"]
    staff_page = spokesperson.get("/staff").text
    staff_menu = re.search(r'<ul class="govuk-service-navigation__list"[^>]*>(.*?)</ul>',
                           staff_page, re.S)
    assert staff_menu is not None and "/spokespersons" not in staff_menu.group(1)
    for page in (visitor, staff_page):
        footer = page[page.index("<footer"):]
        for href, label in (("/organizations", _("Ministries and agencies")),
                            ("/spokespersons", _("Spokesperson directory"))):
            assert f'<a class="govuk-footer__link" href="{href}">{label}</a>' in footer


def test_menu_marks_the_ministry_list_current_on_a_ministrys_page(client, session):
    case = factories.Case(session)
    session.commit()

    page = client.get(f"/organizations/{case.ministry.id}").text

    assert ('<a class="govuk-service-navigation__link" href="/organizations" aria-current="true">'
            in page)


# --- hostile text -------------------------------------------------------------------------

def test_names_with_markup_are_shown_as_text(client, session):
    case = factories.Case(session)
    short = '<b onmouseover="x">BYT</b>'  # short_name and phone hold 60 and 40 characters
    hostile_ministry = organizations.create_organization(
        session, name=HOSTILE, short_name=short, kind=OrgKind.MINISTRY)
    organizations.add_spokesperson(session, organization_id=hostile_ministry.id or 0,
                                   full_name=HOSTILE, title=HOSTILE, phone=short)
    outlet = accounts.get_or_create_outlet(session, name=HOSTILE)
    case.journalist.outlet_id = outlet.id
    session.add(case.journalist)
    case.published_answer()
    session.commit()

    pages = [client.get(p).text for p in (
        f"/organizations/{hostile_ministry.id}", "/organizations", "/spokespersons", "/outlets",
        f"/outlets/{outlet.id}")]

    for page in pages:
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "<b onmouseover" not in page
    assert f"{HOSTILE} {HOSTILE} {_('Phone')}: {short}" in page_text(pages[0])
    assert f"{_('Abbreviation:')} {short}" in page_text(pages[0])
    assert page_text(pages[4]).count(HOSTILE) >= 2  # the heading and the answer's outlet
    api = client.get(f"/api/v1/organizations/{hostile_ministry.id}").json()
    assert (api["name"], api["spokespersons"][0]["full_name"]) == (HOSTILE, HOSTILE)


# --- freshness behind the page cache --------------------------------------------------------

def test_a_changed_spokesperson_shows_at_once_on_every_directory_page(client, session):
    case = factories.Case(session)
    session.commit()
    paths = (f"/organizations/{case.ministry.id}", "/spokespersons", "/organizations")
    before = [client.get(p).text for p in paths]
    person = spokesperson_for_user(session, case.spokesperson.id or 0)
    assert person is not None
    # Changed by another process: the cached pages stay for their few seconds.
    session.connection().execute(text("UPDATE spokesperson SET phone = '024 0000 0000' "
                                      "WHERE id = :id"), {"id": person.id})
    cached = [client.get(p).text for p in paths]
    # Changed here (as the admin's or a service's write would): shown at once.
    session.expire(person)
    person.full_name, person.phone = "Lê Thị Thu Hằng", "024 3943 7999"
    session.add(person)
    session.commit()
    after = [client.get(p).text for p in paths]

    assert cached == before
    assert all("Nguyễn Hồng Sâm" in page for page in before)
    assert all("Lê Thị Thu Hằng" in page and "Nguyễn Hồng Sâm" not in page for page in after)
    assert [p["contact"] for p in listed_people(after[0])] == [
        _contact("024 3943 7999", case.spokesperson.email)]


def test_a_renamed_ministry_and_a_new_publication_show_at_once(client, session):
    case = factories.Case(session)
    session.commit()
    paths = (f"/organizations/{case.ministry.id}", "/organizations",
             f"/outlets/{case.journalist.outlet_id}", "/outlets")
    before = [client.get(p).text for p in paths]
    question, answer = case.published_answer()
    case.ministry.name = "Bộ Khoa học và Công nghệ"
    session.add(case.ministry)
    session.commit()
    after = [client.get(p).text for p in paths]

    assert all(shown(question.title) not in page for page in before)
    assert f'href="/answers/{answer.id}"' in after[0]
    assert f'href="/answers/{answer.id}"' in after[2]
    assert f'href="/outlets/{case.journalist.outlet_id}"' in after[3]
    assert "Bộ Khoa học và Công nghệ" in after[0]
    assert "Bộ Khoa học và Công nghệ" in after[1]


def test_ministry_page_advertises_its_feed_and_a_link_preview(client, session):
    case = factories.Case(session)
    session.commit()

    page = client.get(f"/organizations/{case.ministry.id}").text

    assert (f'<link rel="alternate" type="application/atom+xml" '
            f'href="/organizations/{case.ministry.id}/feed.atom"') in page
    assert f'<meta property="og:title" content="{shown(case.ministry.name)}">' in page
    assert f'href="/organizations/{case.ministry.id}/calendar.ics"' in page
