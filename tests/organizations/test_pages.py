"""The administrator's accounts page, as the administrator (and everyone else) sees it."""

from __future__ import annotations

import html
import re

import pytest
from sqlmodel import Session, func, select

from pressroom.accounts import service as accounts
from pressroom.accounts.enums import Role
from pressroom.accounts.models import Outlet, User
from pressroom.core.i18n import gettext as _
from pressroom.core.security import verify_password
from pressroom.organizations.models import Membership
from tests import factories
from tests.conftest import csrf_token, post_form

PAGE = "/admin/users"
PASSWORD = "mat-khau-moi-2026"


def _text(fragment: str) -> str:
    """What a reader sees of an HTML fragment: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _rows(page: str) -> list[list[str]]:
    """The accounts table's body, one list of cell texts per row."""
    body = re.search(r'<tbody class="govuk-table__body">(.*?)</tbody>', page, re.S)
    assert body, "no accounts table on the page"
    return [[_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.S)]


def _names(page: str) -> list[str]:
    return [row[0] for row in _rows(page)]


def _field_error(page: str, field: str) -> str:
    match = re.search(rf'<p id="{field}-error" class="govuk-error-message">(.*?)</p>', page, re.S)
    assert match, f"no error message at the field {field}"
    return _text(match.group(1)).removeprefix(_("Error:")).strip()


def _input_value(page: str, name: str) -> str | None:
    match = re.search(rf'<input [^>]*name="{name}"[^>]*>', page)
    assert match, f"no input {name}"
    value = re.search(r' value="([^"]*)"', match.group(0))
    return html.unescape(value.group(1)) if value else None


def _checked_role(page: str) -> list[str]:
    return re.findall(r'name="role" type="radio" value="([^"]+)" checked', page)


def _selected_organization(page: str) -> list[str]:
    select = re.search(r'<select [^>]*name="organization_id"[^>]*>(.*?)</select>', page, re.S)
    assert select, "no organisation select"
    return re.findall(r'<option value="([^"]*)" selected>', select.group(1))


def _options(page: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select [^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no select {name}"
    return [(value, _text(label)) for value, label in
            re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', select.group(1), re.S)]


def _flash(page: str) -> str:
    match = re.search(r'<p class="govuk-notification-banner__heading">(.*?)</p>', page, re.S)
    assert match, "no message banner on the page"
    return _text(match.group(1))


def _count(session: Session, model: type, *where: object) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def _agency(session: Session, journalist: User) -> str:
    outlet = session.get(Outlet, journalist.outlet_id)
    assert outlet is not None
    return f"{outlet.name} {_('Press card %(number)s', number=journalist.press_card_number)}"


# --- The list ---------------------------------------------------------------------------------


def test_users_page_lists_accounts_by_role_then_full_name(login_as, session):
    # Created out of order, so that neither creation order nor name order alone gives the table.
    factories.user(session, Role.UNIT_OFFICER, full_name="Phạm Quang Huy",
                   email="huy.pham@example.vn")
    factories.user(session, Role.UNIT_OFFICER, full_name="Lê Hải Yến",
                   email="yen.le@example.vn")
    late_journalist = factories.user(session, Role.JOURNALIST, full_name="Trần Minh Khoa",
                                     email="khoa.tran@example.vn")
    factories.user(session, Role.SPOKESPERSON, full_name="Vũ Đức Long",
                   email="long.vu@example.vn")
    early_journalist = factories.user(session, Role.JOURNALIST, full_name="Bùi Thu Hà",
                                      email="ha.bui@example.vn")
    factories.user(session, Role.SPOKESPERSON, full_name="Hoàng Lan",
                   email="lan.hoang@example.vn")
    early_journalist.is_active = False
    session.add(early_journalist)
    admin = factories.user(session, Role.ADMIN, full_name="Quản Trị Viên", email="qtv@example.vn")
    client, _admin = login_as(user=admin)

    response = client.get(PAGE)

    assert response.status_code == 200
    rows = _rows(response.text)
    # Name, e-mail, role, status (the organisation column is checked in the tests below).
    assert [[name, email, role, status] for name, email, role, _org, status in rows] == [
        ["Quản Trị Viên", "qtv@example.vn", _("Administrator"), _("Active")],
        ["Bùi Thu Hà", "ha.bui@example.vn", _("Journalist"), _("Deactivated")],
        ["Trần Minh Khoa", "khoa.tran@example.vn", _("Journalist"), _("Active")],
        ["Hoàng Lan", "lan.hoang@example.vn", _("Spokesperson"), _("Active")],
        ["Vũ Đức Long", "long.vu@example.vn", _("Spokesperson"), _("Active")],
        ["Lê Hải Yến", "yen.le@example.vn", _("Focal officer"), _("Active")],
        ["Phạm Quang Huy", "huy.pham@example.vn", _("Focal officer"), _("Active")],
    ]
    assert [row[3] for row in rows[:3]] == [
        "", _agency(session, early_journalist), _agency(session, late_journalist)]


def test_users_page_shows_journalists_press_agency_and_card_number(login_as, session):
    outlet = accounts.get_or_create_outlet(session, name="Báo Tuổi Trẻ")
    accounts.create_user(
        session, email="an.nguyen@example.vn", full_name="Nguyễn Văn An", password=PASSWORD,
        role=Role.JOURNALIST, outlet=outlet, press_card_number="TT-04211")
    client, _admin = login_as("admin")

    rows = _rows(client.get(PAGE).text)

    assert ["Nguyễn Văn An", "an.nguyen@example.vn", _("Journalist"),
            f"Báo Tuổi Trẻ {_('Press card %(number)s', number='TT-04211')}", _("Active")] in rows


def test_users_page_shows_the_press_agency_without_card_number_when_none_given(login_as, session):
    outlet = accounts.get_or_create_outlet(session, name="Báo Lao Động")
    accounts.create_user(
        session, email="binh.tran@example.vn", full_name="Trần Thanh Bình", password=PASSWORD,
        role=Role.JOURNALIST, outlet=outlet, press_card_number="")
    client, _admin = login_as("admin")

    rows = _rows(client.get(PAGE).text)

    assert ["Trần Thanh Bình", "binh.tran@example.vn", _("Journalist"), "Báo Lao Động",
            _("Active")] in rows


def test_users_page_shows_the_organisation_of_officers_and_spokespersons(login_as, session):
    ministry = factories.ministry(session, name="Bộ Y tế")
    unit = factories.unit(session, ministry, name="Vụ Truyền thông")
    factories.user(session, Role.SPOKESPERSON, org_id=ministry.id, full_name="Hoàng Lan",
                   email="lan.hoang@example.vn")
    factories.user(session, Role.UNIT_OFFICER, org_id=unit.id, full_name="Lê Hải Yến",
                   email="yen.le@example.vn")
    client, _admin = login_as("admin")

    rows = {row[0]: row[3] for row in _rows(client.get(PAGE).text)}

    assert (rows["Hoàng Lan"], rows["Lê Hải Yến"]) == (ministry.name, unit.name)


def test_users_page_shows_twenty_accounts_a_page_in_order(login_as, session):
    numbers = [7, 21, 3, 15, 1, 19, 11, 22, 5, 13, 9, 17, 2, 20, 8, 14, 4, 18, 10, 16, 6, 12]
    for n in numbers:
        factories.user(session, Role.JOURNALIST, full_name=f"Phóng viên {n:02d}",
                       email=f"pv{n:02d}@example.vn")
    client, _admin = login_as("admin")  # "Quản Trị Viên": admins come first

    first = client.get(PAGE).text
    second = client.get(f"{PAGE}?page=2").text

    everyone = ["Quản Trị Viên"] + [f"Phóng viên {n:02d}" for n in range(1, 23)]
    assert _names(first) == everyone[:20]
    assert _names(second) == everyone[20:]
    assert 'href="/admin/users?page=2" rel="next"' in first
    assert 'rel="prev"' not in first
    assert 'href="/admin/users?page=1" rel="prev"' in second
    assert 'rel="next"' not in second


def test_users_page_beyond_the_last_page_says_there_is_no_account(login_as, session):
    client, _admin = login_as("admin")

    page = client.get(f"{PAGE}?page=2").text

    assert _rows(page) == [[_("No accounts on this page.")]]


def test_users_page_with_exactly_twenty_accounts_offers_no_next_page(login_as, session):
    for n in range(1, 20):
        factories.user(session, Role.JOURNALIST, full_name=f"Phóng viên {n:02d}",
                       email=f"pv{n:02d}@example.vn")
    client, _admin = login_as("admin")

    page = client.get(PAGE).text

    assert len(_rows(page)) == 20
    assert 'rel="next"' not in page


def test_users_form_offers_the_roles_and_every_organisation(login_as, session):
    ministry = factories.ministry(session, name="Bộ Tài chính")
    unit = factories.unit(session, ministry, name="Văn phòng Bộ")
    client, _admin = login_as("admin")

    page = client.get(PAGE).text

    radios = re.findall(r'name="role" type="radio" value="([^"]+)"[^>]*>\s*'
                        r'<label [^>]*>([^<]*)</label>', page)
    assert radios == [("journalist", _("Journalist")), ("unit_officer", _("Focal officer")),
                      ("spokesperson", _("Spokesperson")), ("admin", _("Administrator"))]
    assert _options(page, "organization_id") == [
        ("", "—"), (str(ministry.id), ministry.name), (str(unit.id), unit.name)]


# --- Creating accounts ------------------------------------------------------------------------


def test_admin_creates_a_journalist_with_a_new_press_agency(login_as, session):
    client, _admin = login_as("admin")

    response = post_form(client, PAGE, {
        "full_name": "Đặng Thu Hà", "email": "Ha.Dang@Example.vn", "password": PASSWORD,
        "role": "journalist", "outlet_name": "Báo Thanh Niên", "press_card_number": "TN-00042",
        "organization_id": ""})

    assert response.status_code == 303
    assert response.headers["location"] == "/admin/users"
    user = session.exec(select(User).where(User.email == "ha.dang@example.vn")).one()
    outlet = session.exec(select(Outlet).where(Outlet.name == "Báo Thanh Niên")).one()
    assert (user.full_name, user.role, user.outlet_id, user.press_card_number, user.is_active) == (
        "Đặng Thu Hà", Role.JOURNALIST, outlet.id, "TN-00042", True)
    assert verify_password(user.password_hash, PASSWORD)
    assert session.get(Membership, user.id) is None
    page = client.get(response.headers["location"]).text
    assert _flash(page) == _("Account created for %(name)s.", name="Đặng Thu Hà")
    assert ["Đặng Thu Hà", "ha.dang@example.vn", _("Journalist"),
            f"Báo Thanh Niên {_('Press card %(number)s', number='TN-00042')}",
            _("Active")] in _rows(page)


def test_admin_creates_a_journalist_of_a_known_press_agency_without_a_second_one(login_as, session):
    known = accounts.get_or_create_outlet(session, name="Báo Nhân Dân")
    client, _admin = login_as("admin")

    response = post_form(client, PAGE, {
        "full_name": "Ngô Bảo Châu", "email": "chau.ngo@example.vn", "password": PASSWORD,
        "role": "journalist", "outlet_name": "  Báo Nhân Dân ", "press_card_number": "",
        "organization_id": ""})

    assert response.headers["location"] == "/admin/users"
    user = session.exec(select(User).where(User.email == "chau.ngo@example.vn")).one()
    assert user.outlet_id == known.id
    assert _count(session, Outlet, Outlet.name == "Báo Nhân Dân") == 1


@pytest.mark.parametrize(("role", "kind"), [("unit_officer", "unit"), ("spokesperson", "ministry")])
def test_admin_creates_staff_working_for_an_organisation(login_as, session, role, kind):
    ministry = factories.ministry(session, name="Bộ Giáo dục và Đào tạo")
    organisation = factories.unit(session, ministry, name="Vụ Giáo dục") if kind == "unit" else ministry
    client, _admin = login_as("admin")

    # A browser also sends the journalist's fields, hidden but perhaps typed before the role changed.
    response = post_form(client, PAGE, {
        "full_name": "Lê Hải Yến", "email": "yen.le@example.vn", "password": PASSWORD,
        "role": role, "outlet_name": "Báo Giáo dục", "press_card_number": "",
        "organization_id": str(organisation.id)})

    assert response.status_code == 303
    assert response.headers["location"] == "/admin/users"
    user = session.exec(select(User).where(User.email == "yen.le@example.vn")).one()
    assert (user.full_name, user.role, user.outlet_id) == ("Lê Hải Yến", Role(role), None)
    membership = session.get(Membership, user.id)
    assert membership is not None and membership.organization_id == organisation.id
    assert _count(session, Outlet, Outlet.name == "Báo Giáo dục") == 0
    assert _flash(client.get("/admin/users").text) == _("Account created for %(name)s.",
                                                         name="Lê Hải Yến")


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"email": "Trung.Ky@example.vn"}, "email", "An account with this e-mail already exists."),
    ({"password": "matkhau12"}, "password", "The password must have at least 10 characters."),
    ({"outlet_name": "   "}, "outlet_name", "A journalist must belong to a press agency."),
    ({"role": "unit_officer", "organization_id": ""}, "organization_id",
     "Choose the organisation this person works for."),
    ({"role": "spokesperson", "organization_id": ""}, "organization_id",
     "Choose the organisation this person works for."),
], ids=["taken-email", "short-password", "journalist-without-agency", "officer-without-organisation",
        "spokesperson-without-organisation"])
def test_create_account_with_a_mistake_shows_it_keeps_the_form_and_stores_nothing(
        login_as, session, changes, field, message):
    factories.user(session, Role.JOURNALIST, full_name="Trung Kỳ", email="trung.ky@example.vn")
    client, _admin = login_as("admin")
    users_before = _count(session, User)
    form = {"full_name": "Hồ Xuân Mai", "email": "mai.ho@example.vn", "password": PASSWORD,
            "role": "journalist", "outlet_name": "Báo Phụ Nữ <Hà Nội>", "press_card_number": "PN-777",
            "organization_id": "", **changes}

    response = post_form(client, PAGE, form)

    assert response.status_code == 400
    page = response.text
    assert _field_error(page, field) == _(message)
    assert f'<a href="#{field}">{html.escape(_(message), quote=False)}</a>' in page
    assert _input_value(page, "full_name") == "Hồ Xuân Mai"
    assert _input_value(page, "email") == form["email"]
    assert _input_value(page, "outlet_name") == form["outlet_name"]
    assert _input_value(page, "press_card_number") == "PN-777"
    assert _checked_role(page) == [form["role"]]
    assert _input_value(page, "password") is None
    assert form["password"] not in page
    assert "Hồ Xuân Mai" not in _names(page)
    session.expire_all()
    assert _count(session, User) == users_before
    assert _count(session, User, User.full_name == "Hồ Xuân Mai") == 0
    assert _count(session, Outlet, Outlet.name == "Báo Phụ Nữ <Hà Nội>") == 0


def test_create_account_without_role_or_name_shows_required_fields_and_stores_nothing(
        login_as, session):
    client, _admin = login_as("admin")
    users_before = _count(session, User)

    # No role radio ticked: the browser sends no "role" at all.
    response = post_form(client, PAGE, {
        "full_name": "   ", "email": "mai.ho@example.vn", "password": PASSWORD,
        "outlet_name": "Báo Phụ Nữ", "press_card_number": "PN-777", "organization_id": ""})

    assert response.status_code == 400
    page = response.text
    assert _field_error(page, "role") == "Vai trò: bắt buộc nhập."
    assert _field_error(page, "full_name") == "Họ và tên: bắt buộc nhập."
    assert _input_value(page, "email") == "mai.ho@example.vn"
    assert _input_value(page, "outlet_name") == "Báo Phụ Nữ"
    assert _checked_role(page) == []
    assert PASSWORD not in page
    session.expire_all()
    assert _count(session, User) == users_before
    assert _count(session, Outlet, Outlet.name == "Báo Phụ Nữ") == 0


def test_create_account_with_a_mistake_keeps_the_chosen_organisation(login_as, session):
    ministry = factories.ministry(session, name="Bộ Công Thương")
    client, _admin = login_as("admin")

    response = post_form(client, PAGE, {
        "full_name": "Vũ Đức Long", "email": "long.vu@example.vn", "password": "ngan",
        "role": "spokesperson", "outlet_name": "", "press_card_number": "",
        "organization_id": str(ministry.id)})

    assert response.status_code == 400
    assert _field_error(response.text, "password") == _(
        "The password must have at least 10 characters.")
    assert _selected_organization(response.text) == [str(ministry.id)]
    assert _checked_role(response.text) == ["spokesperson"]
    assert _count(session, Membership, Membership.organization_id == ministry.id) == 0


# --- Who may use the page ---------------------------------------------------------------------


def test_users_page_sends_an_anonymous_visitor_to_log_in(client):
    response = client.get(PAGE, follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fadmin%2Fusers"


def test_create_account_by_an_anonymous_visitor_stores_nothing(client, session):
    response = client.post(PAGE, data={
        "csrf_token": csrf_token(client, "/"), "full_name": "Kẻ Lạ", "email": "la@example.vn",
        "password": PASSWORD, "role": "admin"}, follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fadmin%2Fusers"
    assert _count(session, User, User.email == "la@example.vn") == 0


@pytest.mark.parametrize("role", ["journalist", "unit_officer", "spokesperson"])
def test_users_page_refuses_other_roles_with_a_403_page(login_as, session, role):
    factories.user(session, Role.JOURNALIST, full_name="Trung Kỳ", email="trung.ky@example.vn")
    client, _user = login_as(role)

    response = client.get(PAGE)

    assert response.status_code == 403
    heading = re.search(r'<h1 class="govuk-heading-l">(.*?)</h1>', response.text, re.S)
    assert heading and _text(heading.group(1)) == _("You are not allowed to do this")
    assert f'<p class="govuk-body">{_("Your role does not allow this.")}</p>' in response.text
    assert "trung.ky@example.vn" not in response.text


@pytest.mark.parametrize("role", ["journalist", "unit_officer", "spokesperson"])
def test_create_account_by_other_roles_is_refused_and_stores_nothing(login_as, session, role):
    client, _user = login_as(role)
    users_before = _count(session, User)

    response = post_form(client, PAGE, {
        "full_name": "Kẻ Lạ", "email": "la@example.vn", "password": PASSWORD, "role": "admin",
        "outlet_name": "", "press_card_number": "", "organization_id": ""})

    assert response.status_code == 403
    assert _("Your role does not allow this.") in response.text
    session.expire_all()
    assert _count(session, User) == users_before
    assert _count(session, User, User.email == "la@example.vn") == 0
