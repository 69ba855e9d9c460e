"""The accounts service: creating accounts and press agencies, checking a login (with its
throttle per account and per client address), and login sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlmodel import Session, func, select

from pressroom.accounts import service
from pressroom.accounts.enums import Role
from pressroom.accounts.models import LoginAttempt, LoginSession, Outlet, User
from pressroom.accounts.queries import all_users
from pressroom.core.errors import PermissionDenied, ValidationFailed
from pressroom.core.i18n import gettext as _
from pressroom.core.security import verify_password
from tests import factories

PASSWORD = "matkhau-10"  # exactly the minimum length of 10 characters
T0 = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)
TOO_MANY = "Too many failed logins. Please wait 15 minutes and try again."
WRONG = "The e-mail address or password is not correct."


def _count(session: Session, model: type, *where: object) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(model).where(*where)).one()  # type: ignore[arg-type]


def _create(session: Session, **changes: object) -> User:
    values: dict[str, object] = {"email": "mai.ho@example.vn", "full_name": "Hồ Xuân Mai",
                                 "password": PASSWORD, "role": Role.UNIT_OFFICER, **changes}
    return service.create_user(session, **values)  # type: ignore[arg-type]


def _refusal(session: Session, **changes: object) -> ValidationFailed:
    users_before = _count(session, User)
    with pytest.raises(ValidationFailed) as caught:
        _create(session, **changes)
    assert _count(session, User) == users_before
    return caught.value


# --- Press agencies ---------------------------------------------------------------------------


def test_get_or_create_outlet_creates_it_with_cleaned_name_and_website(session):
    outlet = service.get_or_create_outlet(session, name="  Báo Thanh Niên \r\n",
                                          website="  https://thanhnien.vn  ")

    session.expire_all()
    stored = session.get(Outlet, outlet.id)
    assert stored is not None
    assert (stored.name, stored.website) == ("Báo Thanh Niên", "https://thanhnien.vn")


def test_get_or_create_outlet_without_website_stores_an_empty_one(session):
    outlet = service.get_or_create_outlet(session, name="Báo Lao Động")

    session.expire_all()
    assert session.get(Outlet, outlet.id).website == ""  # type: ignore[union-attr]


def test_get_or_create_outlet_returns_the_agency_of_that_name_without_a_second_one(session):
    first = service.get_or_create_outlet(session, name="Báo Tuổi Trẻ")
    other = service.get_or_create_outlet(session, name="Báo Nhân Dân")
    outlets_before = _count(session, Outlet)

    again = service.get_or_create_outlet(session, name="  Báo Tuổi Trẻ ")
    again_other = service.get_or_create_outlet(session, name="Báo Nhân Dân")

    assert (again.id, again_other.id) == (first.id, other.id)
    assert _count(session, Outlet) == outlets_before


# --- Creating accounts ------------------------------------------------------------------------


def test_create_user_with_every_mistake_names_each_field_and_stores_nothing(session):
    error = _refusal(session, email="mai.ho-example.vn", full_name=" \t ", password="123456789",
                     role=Role.JOURNALIST, outlet=None)

    assert error.message == _("The account could not be created.")
    assert error.fields == {
        "email": _("Enter a valid e-mail address."),
        "full_name": _("Enter the full name."),
        "password": _("The password must have at least 10 characters."),
        "outlet_name": _("A journalist must belong to a press agency."),
    }
    assert _count(session, User, User.full_name == "") == 0


@pytest.mark.parametrize("email", ["mai.ho-example.vn", "a" * 244 + "@example.vn"],
                         ids=["no-at-sign", "255-characters"])
def test_create_user_with_an_invalid_email_is_refused(session, email):
    error = _refusal(session, email=email)

    assert error.message == _("The account could not be created.")
    assert error.fields == {"email": _("Enter a valid e-mail address.")}


def test_create_user_accepts_an_email_of_254_characters_and_a_password_of_10(session):
    email = "a" * 243 + "@example.vn"
    assert (len(email), len(PASSWORD)) == (254, 10)

    user = _create(session, email=email, password=PASSWORD)

    session.expire_all()
    stored = session.get(User, user.id)
    assert stored is not None
    assert stored.email == email
    assert verify_password(stored.password_hash, PASSWORD)


def test_create_user_refuses_a_password_of_9_characters(session):
    error = _refusal(session, password=PASSWORD[:9])

    assert error.fields == {"password": _("The password must have at least 10 characters.")}


def test_create_user_refuses_a_journalist_without_press_agency(session):
    error = _refusal(session, role=Role.JOURNALIST, outlet=None)

    assert error.message == _("The account could not be created.")
    assert error.fields == {"outlet_name": _("A journalist must belong to a press agency.")}


def test_create_user_stores_a_journalist_with_cleaned_values(session):
    outlet = service.get_or_create_outlet(session, name="Báo Phụ Nữ")

    user = service.create_user(session, email="  Mai.Ho@Example.VN ", full_name="  Hồ Xuân Mai\r\n",
                               password="mật khẩu của Mai", role=Role.JOURNALIST, outlet=outlet,
                               press_card_number="  PN-777 ")

    session.expire_all()
    stored = session.exec(select(User).where(User.email == "mai.ho@example.vn")).one()
    assert stored.id == user.id
    assert (stored.full_name, stored.role, stored.outlet_id, stored.press_card_number,
            stored.is_active) == ("Hồ Xuân Mai", Role.JOURNALIST, outlet.id, "PN-777", True)
    assert verify_password(stored.password_hash, "mật khẩu của Mai")
    assert not verify_password(stored.password_hash, "mật khẩu khác")


@pytest.mark.parametrize("role", [Role.UNIT_OFFICER, Role.SPOKESPERSON, Role.ADMIN])
def test_create_user_of_staff_ignores_a_press_agency_and_card_defaults_to_empty(session, role):
    outlet = service.get_or_create_outlet(session, name="Báo Phụ Nữ")

    user = _create(session, role=role, outlet=outlet)

    session.expire_all()
    stored = session.get(User, user.id)
    assert stored is not None
    assert (stored.role, stored.outlet_id, stored.press_card_number) == (role, None, "")


def test_create_user_of_staff_without_press_agency_has_none(session):
    user = _create(session, role=Role.SPOKESPERSON, outlet=None)

    session.expire_all()
    assert session.get(User, user.id).outlet_id is None  # type: ignore[union-attr]


# --- Checking a login -------------------------------------------------------------------------


def _fail(session: Session, email: str, client: str) -> None:
    with pytest.raises(PermissionDenied) as caught:
        service.authenticate(session, email=email, password="doan-sai-mat-khau", client=client)
    assert caught.value.message == _(WRONG)


def _login_refusal(session: Session, user: User, client: str) -> str:
    with pytest.raises(PermissionDenied) as caught:
        service.authenticate(session, email=user.email, password=factories.PASSWORD, client=client)
    return caught.value.message


def _logs_in(session: Session, user: User, client: str) -> bool:
    return service.authenticate(session, email=user.email, password=factories.PASSWORD,
                                client=client).id == user.id


def test_authenticate_with_the_right_password_gives_the_user(session):
    user = factories.user(session, Role.JOURNALIST, email="ha.dang@example.vn")

    found = service.authenticate(session, email="  Ha.Dang@Example.vn ", password=factories.PASSWORD,
                                 client="198.51.100.1")

    assert found.id == user.id
    assert _count(session, LoginAttempt) == 0


def test_authenticate_an_unknown_email_is_refused_like_a_wrong_password_and_recorded(session):
    _fail(session, "  Nobody@Example.vn", "198.51.100.1")

    attempts = session.exec(select(LoginAttempt)).all()
    assert [(a.email, a.client) for a in attempts] == [("nobody@example.vn", "198.51.100.1")]


def test_authenticate_of_a_disabled_account_is_refused(session):
    user = factories.user(session, Role.SPOKESPERSON)
    user.is_active = False
    session.add(user)
    session.flush()

    assert _login_refusal(session, user, "198.51.100.1") == _("This account has been disabled.")


def test_authenticate_records_at_most_254_characters_of_email_and_64_of_client(session):
    email = "x" * 300 + "@example.vn"
    client = "2001:db8::" + "f" * 90

    _fail(session, email, client)

    attempt = session.exec(select(LoginAttempt)).one()
    assert (attempt.email, attempt.client) == (email[:254], client[:64])


def test_login_throttle_per_account_lasts_exactly_fifteen_minutes(session, configure):
    configure(login_max_failures=3)
    user = factories.user(session, Role.SPOKESPERSON)
    with time_machine.travel(T0, tick=False):
        for address in ("198.51.100.1", "198.51.100.2"):
            _fail(session, user.email, address)
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        _fail(session, user.email, "198.51.100.3")

    with time_machine.travel(T0 + timedelta(minutes=15) - timedelta(microseconds=1), tick=False):
        assert _login_refusal(session, user, "203.0.113.9") == _(TOO_MANY)
    # The first two failures are 15 minutes old: one recent failure is left.
    with time_machine.travel(T0 + timedelta(minutes=15), tick=False):
        assert _logs_in(session, user, "203.0.113.9")


def test_login_throttle_per_account_ignores_other_accounts(session, configure):
    configure(login_max_failures=3)
    target = factories.user(session, Role.SPOKESPERSON)
    other = factories.user(session, Role.JOURNALIST)
    with time_machine.travel(T0, tick=False):
        for n in range(3):
            _fail(session, target.email, f"198.51.100.{n}")

        assert _login_refusal(session, target, "203.0.113.9") == _(TOO_MANY)
        assert _logs_in(session, other, "203.0.113.9")


def test_login_throttle_per_client_address_starts_at_four_times_the_accounts_limit(
        session, configure):
    configure(login_max_failures=3)
    office, elsewhere = "203.0.113.7", "198.51.100.23"
    # 11 failures from one address, no account reaching its own limit of 3.
    targets = [factories.user(session, Role.JOURNALIST) for _n in range(6)]
    victim = factories.user(session, Role.SPOKESPERSON)
    with time_machine.travel(T0, tick=False):
        for n in range(11):
            _fail(session, targets[n % 6].email, office)
        assert _logs_in(session, victim, office)
        _fail(session, targets[5].email, office)

    with time_machine.travel(T0 + timedelta(minutes=15) - timedelta(microseconds=1), tick=False):
        assert _login_refusal(session, victim, office) == _(TOO_MANY)
        assert _logs_in(session, victim, elsewhere)
        assert _logs_in(session, targets[0], elsewhere)
    with time_machine.travel(T0 + timedelta(minutes=15), tick=False):
        assert _logs_in(session, victim, office)


# --- Login sessions ---------------------------------------------------------------------------


def test_start_login_session_with_the_old_token_ends_only_that_session(session):
    user = factories.user(session, Role.JOURNALIST)
    other = factories.user(session, Role.JOURNALIST)
    old = service.start_login_session(session, user=user)
    other_token = service.start_login_session(session, user=other)

    new = service.start_login_session(session, user=user, old_token=old)

    assert service.load_principal(session, old) is None
    assert service.load_principal(session, new).id == user.id  # type: ignore[union-attr]
    assert service.load_principal(session, other_token).id == other.id  # type: ignore[union-attr]
    assert _count(session, LoginSession, LoginSession.user_id == user.id) == 1


def test_load_principal_gives_the_owner_of_each_token(session):
    first = factories.user(session, Role.JOURNALIST)
    second = factories.user(session, Role.SPOKESPERSON)
    tokens = [service.start_login_session(session, user=u) for u in (first, second)]

    assert [service.load_principal(session, t).id for t in tokens] == [first.id, second.id]  # type: ignore[union-attr]
    assert service.load_principal(session, "not-a-token") is None


def test_load_principal_until_the_configured_hours_have_passed(session, configure):
    configure(session_hours=2)
    user = factories.user(session, Role.JOURNALIST)
    with time_machine.travel(T0, tick=False):
        token = service.start_login_session(session, user=user)

    with time_machine.travel(T0 + timedelta(hours=2) - timedelta(microseconds=1), tick=False):
        assert service.load_principal(session, token).id == user.id  # type: ignore[union-attr]
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        assert service.load_principal(session, token) is None


def test_load_principal_of_a_disabled_account_is_none(session):
    user = factories.user(session, Role.SPOKESPERSON)
    token = service.start_login_session(session, user=user)
    user.is_active = False
    session.add(user)
    session.flush()

    assert service.load_principal(session, token) is None


# --- Reads ------------------------------------------------------------------------------------


def test_all_users_gives_one_page_by_role_then_name_with_the_press_agency(session):
    outlet = service.get_or_create_outlet(session, name="Báo Phụ Nữ")
    for name in ("Cao Minh", "An Nhiên", "Bùi Hà"):
        _create(session, email=f"{name.split()[0].lower()}@example.vn", full_name=name,
                role=Role.JOURNALIST, outlet=outlet)
    _create(session, email="admin@example.vn", full_name="Zê Quản Trị", role=Role.ADMIN)

    rows = all_users(session, 2, 1)

    assert [(u.full_name, o.name if o else None) for u, o in rows] == [
        ("An Nhiên", "Báo Phụ Nữ"), ("Bùi Hà", "Báo Phụ Nữ")]
