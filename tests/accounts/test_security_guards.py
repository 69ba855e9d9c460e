"""The guards around logging in, as a user meets them: login throttling per account and per
client address, session rotation at login, disabled accounts, session expiry, forged CSRF
tokens, and where a login lands."""

from __future__ import annotations

import hashlib
import hmac
import html
import re
import string
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import httpx
import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from pressroom.accounts.enums import Role
from pressroom.accounts.models import LoginAttempt, LoginSession, User
from pressroom.core.config import get_settings
from pressroom.core.security import CSRF_COOKIE, SESSION_COOKIE, token_digest
from pressroom.questions.models import Question
from tests import factories
from tests.conftest import csrf_token
from tests.factories import bearer

TOO_MANY = "Đăng nhập không thành công quá nhiều lần. Vui lòng chờ 15 phút rồi thử lại."
WRONG_PASSWORD = "Địa chỉ thư điện tử hoặc mật khẩu không đúng."
DISABLED = "Tài khoản này đã bị vô hiệu hóa."
LOG_IN_FIRST = "Vui lòng đăng nhập để tiếp tục."
FORM_FORGED = "Biểu mẫu đã hết hạn hoặc được gửi từ nơi khác. Vui lòng thử lại."
# One client address (an office behind one NAT) may fail this many times the allowance of one
# account before it is paused (pressroom.accounts.service._recent_failures).
CLIENT_ALLOWANCE_FACTOR = 4
HOMES = {
    Role.JOURNALIST: "/my/questions",
    Role.UNIT_OFFICER: "/unit/assignments",
    Role.SPOKESPERSON: "/staff",
    Role.ADMIN: "/admin/users",
}

Browser = Callable[..., TestClient]


@pytest.fixture
def browser(app) -> Iterator[Browser]:  # type: ignore[no-untyped-def]
    """``browser("203.0.113.7")`` → a fresh browser (own cookies) at that client address;
    ``session_token=`` puts a session cookie in it."""
    opened: list[TestClient] = []

    def _open(address: str = "198.51.100.1", *, session_token: str | None = None) -> TestClient:
        client = TestClient(app, raise_server_exceptions=False, client=(address, 50000))
        if session_token is not None:
            client.cookies.set(SESSION_COOKIE, session_token)
        opened.append(client)
        return client

    yield _open
    for client in opened:
        client.close()


def log_in(client: TestClient, email: str, password: str = factories.PASSWORD,
           page: str = "/login") -> httpx.Response:
    """Fills in and sends the login form of ``page`` as a browser does (its hidden fields
    included), without following the redirect."""
    login_form = re.search(r'<form method="post" action="/login".*?</form>', client.get(page).text,
                           re.DOTALL)
    assert login_form, f"no login form on {page}"
    token = re.search(r'name="csrf_token" value="([^"]*)"', login_form.group(0))
    next_field = re.search(r'name="next" value="([^"]*)"', login_form.group(0))
    assert token and next_field, f"no login form on {page}"
    return client.post("/login", data={
        "csrf_token": token.group(1), "next": html.unescape(next_field.group(1)),
        "email": email, "password": password}, follow_redirects=False)


def name_shown(user: User) -> str:
    return f'<span class="pr-account__name">{user.full_name}</span>'


def sessions_of(session: Session, user: User) -> list[str]:
    session.expire_all()
    return [row.token_hash for row in
            session.exec(select(LoginSession).where(LoginSession.user_id == user.id))]


def logged_in_as(session: Session, response: httpx.Response, user: User) -> bool:
    """The login was accepted: a redirect that hands the browser a session of ``user``
    (where it lands is tested on its own below)."""
    token = response.cookies.get(SESSION_COOKIE)
    return (response.status_code == 303 and token is not None
            and token_digest(token) in sessions_of(session, user))


# 1. Throttling --------------------------------------------------------------------------------

def test_login_throttle_per_client_address_blocks_it_for_every_account(browser, session):
    max_failures = get_settings().login_max_failures
    client_limit = CLIENT_ALLOWANCE_FACTOR * max_failures
    # Spread the failures so that no account reaches its own limit.
    targets = [factories.user(session, Role.JOURNALIST)
               for _n in range(-(-client_limit // (max_failures - 1)))]
    colleague = factories.user(session, Role.JOURNALIST, full_name="Trần Minh Khoa")
    victim = factories.user(session, Role.SPOKESPERSON, full_name="Phạm Thu Trang")
    session.commit()
    office = browser("203.0.113.7")
    guesses = [targets[n % len(targets)].email for n in range(client_limit)]

    for email in guesses[:-1]:
        failed = log_in(office, email, "doan-sai-mat-khau")
        assert WRONG_PASSWORD in failed.text
    # One failure short of the address's limit, a colleague at that address still logs in.
    assert logged_in_as(session, log_in(office, colleague.email), colleague)
    log_in(office, guesses[-1], "doan-sai-mat-khau")

    blocked = log_in(office, victim.email)

    assert blocked.status_code == 400
    assert TOO_MANY in blocked.text
    assert SESSION_COOKIE not in blocked.cookies
    assert sessions_of(session, victim) == []
    failures = session.exec(select(LoginAttempt).where(LoginAttempt.client == "203.0.113.7"))
    per_account: dict[str, int] = {}
    for attempt in failures:
        per_account[attempt.email] = per_account.get(attempt.email, 0) + 1
    assert sum(per_account.values()) == client_limit
    assert max(per_account.values()) < max_failures
    elsewhere = log_in(browser("198.51.100.23"), victim.email)
    assert logged_in_as(session, elsewhere, victim)
    assert [token_digest(elsewhere.cookies[SESSION_COOKIE])] == sessions_of(session, victim)


def test_login_throttle_per_account_blocks_it_from_every_address(browser, session):
    max_failures = get_settings().login_max_failures
    target = factories.user(session, Role.SPOKESPERSON, email="sam.nguyen@mic.gov.vn")
    other = factories.user(session, Role.JOURNALIST, full_name="Đặng Thu Hà")
    session.commit()

    for n in range(max_failures - 1):
        failed = log_in(browser(f"192.0.2.{n + 1}"), target.email, "doan-sai-mat-khau")
        assert WRONG_PASSWORD in failed.text
    # One failure short of the account's limit, its owner still logs in.
    assert logged_in_as(session, log_in(browser("192.0.2.200"), target.email), target)
    log_in(browser("192.0.2.100"), target.email, "doan-sai-mat-khau")
    owner = browser("192.0.2.201")

    blocked = log_in(owner, "Sam.Nguyen@mic.gov.vn")

    assert blocked.status_code == 400
    assert TOO_MANY in blocked.text
    assert 'value="Sam.Nguyen@mic.gov.vn"' in blocked.text
    assert SESSION_COOKIE not in blocked.cookies
    assert len(sessions_of(session, target)) == 1  # only the login before the limit
    # The addresses themselves are not blocked: another account logs in from the last one.
    assert logged_in_as(session, log_in(browser("192.0.2.100"), other.email), other)


# 2. Rotation at login -------------------------------------------------------------------------

def test_login_rotates_the_session_of_an_earlier_login(login_as, browser, session):
    spokesperson = factories.user(session, Role.SPOKESPERSON, full_name="Nguyễn Hồng Sâm")
    client, _user = login_as(user=spokesperson)
    old = client.cookies[SESSION_COOKIE]
    assert name_shown(spokesperson) in client.get("/staff/questions").text

    response = log_in(client, spokesperson.email)

    assert response.status_code == 303
    new = response.cookies[SESSION_COOKIE]
    assert new != old
    stale = browser(session_token=old).get("/staff/questions", follow_redirects=False)
    assert stale.status_code == 303
    assert stale.headers["location"] == "/login?next=%2Fstaff%2Fquestions"
    assert sessions_of(session, spokesperson) == [token_digest(new)]
    fresh = browser(session_token=new).get("/staff/questions")
    assert fresh.status_code == 200
    assert name_shown(spokesperson) in fresh.text


def test_login_never_adopts_a_session_token_planted_before_login(browser, session):
    journalist = factories.user(session, Role.JOURNALIST, full_name="Đặng Thu Hà")
    session.commit()
    planted = "fixated-by-an-attacker-0123456789abcdefghijklmnop"
    victim = browser(session_token=planted)

    response = log_in(victim, journalist.email)

    assert response.status_code == 303
    issued = response.cookies[SESSION_COOKIE]
    assert issued != planted
    assert sessions_of(session, journalist) == [token_digest(issued)]
    attacker = browser("203.0.113.66", session_token=planted).get("/my/questions",
                                                                  follow_redirects=False)
    assert attacker.headers["location"] == "/login?next=%2Fmy%2Fquestions"


# 3. Disabled accounts -------------------------------------------------------------------------

def test_disabled_account_loses_sessions_and_tokens_at_once_and_cannot_log_in(
        login_as, browser, client, session):
    # There is no "disable account" service or admin page yet: the admin's change is the column.
    officer = factories.user(session, Role.UNIT_OFFICER, full_name="Lê Hải Yến",
                             email="yen.le@mic.gov.vn")
    page_client, _user = login_as(user=officer)
    headers = bearer(session, officer)
    assert name_shown(officer) in page_client.get("/unit/assignments").text
    assert client.get("/api/v1/me", headers=headers).json()["email"] == "yen.le@mic.gov.vn"

    officer.is_active = False
    session.add(officer)
    session.commit()

    page = page_client.get("/unit/assignments", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=%2Funit%2Fassignments"
    api = client.get("/api/v1/me", headers=headers)
    assert api.status_code == 401
    assert api.json() == {"detail": LOG_IN_FIRST}
    again = log_in(browser(), "yen.le@mic.gov.vn")
    assert again.status_code == 400
    assert DISABLED in again.text
    assert SESSION_COOKIE not in again.cookies
    api_login = client.post("/api/v1/auth/login", json={"email": "yen.le@mic.gov.vn",
                                                        "password": factories.PASSWORD})
    assert api_login.status_code == 401
    assert api_login.json() == {"detail": DISABLED}
    assert len(sessions_of(session, officer)) == 2  # no new session was opened


# 4. Expiry ------------------------------------------------------------------------------------

def test_session_and_bearer_token_expire_after_the_configured_hours(login_as, client, session):
    lifetime = timedelta(hours=get_settings().session_hours)
    start = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        journalist = factories.user(session, Role.JOURNALIST, full_name="Đặng Thu Hà",
                                    email="ha.dang@baonhandan.vn")
        page_client, _user = login_as(user=journalist)
        headers = bearer(session, journalist)

    with time_machine.travel(start + lifetime - timedelta(minutes=1), tick=False):
        page = page_client.get("/my/questions", follow_redirects=False)
        api = client.get("/api/v1/me", headers=headers)
    assert page.status_code == 200
    assert name_shown(journalist) in page.text
    assert api.json()["email"] == "ha.dang@baonhandan.vn"

    with time_machine.travel(start + lifetime + timedelta(minutes=1), tick=False):
        page = page_client.get("/my/questions", follow_redirects=False)
        api = client.get("/api/v1/me", headers=headers)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=%2Fmy%2Fquestions"
    assert api.status_code == 401
    assert api.json() == {"detail": LOG_IN_FIRST}


# 5. Forged CSRF tokens ------------------------------------------------------------------------

FORGERIES = ["first_hex_digit_changed", "last_hex_digit_changed", "hmac_under_another_key",
             "token_of_another_browser"]


def forged_csrf_token(kind: str, client: TestClient, browser: Browser, page: str) -> str:
    """A token that looks like the real one (64 lowercase hex digits) but is not valid for
    this browser's CSRF cookie."""
    real = csrf_token(client, page)
    if kind == "first_hex_digit_changed":
        forged = ("0" if real[0] != "0" else "1") + real[1:]
    elif kind == "last_hex_digit_changed":
        forged = real[:-1] + ("0" if real[-1] != "0" else "1")
    elif kind == "hmac_under_another_key":
        forged = hmac.new(b"not-the-server-secret", client.cookies[CSRF_COOKIE].encode(),
                          hashlib.sha256).hexdigest()
    else:
        forged = csrf_token(browser("203.0.113.99"), "/")
    assert len(forged) == len(real) and set(forged) <= set(string.hexdigits.lower())
    assert forged != real
    return forged


@pytest.mark.parametrize("kind", FORGERIES)
def test_logout_with_forged_csrf_token_is_refused_and_keeps_the_session(
        kind, login_as, browser, session):
    client, user = login_as("journalist")
    token = client.cookies[SESSION_COOKIE]
    forged = forged_csrf_token(kind, client, browser, "/my/questions")

    response = client.post("/logout", data={"csrf_token": forged}, follow_redirects=False)

    assert response.status_code == 403
    assert FORM_FORGED in response.text
    assert SESSION_COOKIE not in response.cookies
    assert sessions_of(session, user) == [token_digest(token)]
    still = client.get("/my/questions", follow_redirects=False)
    assert still.status_code == 200
    assert name_shown(user) in still.text


@pytest.mark.parametrize("kind", FORGERIES)
def test_question_with_forged_csrf_token_is_refused_and_not_stored(
        kind, login_as, browser, session):
    case = factories.Case(session)
    client, _user = login_as(user=case.journalist)
    form = {"title": "Về cấp thẻ nhà báo", "body": "Xin Bộ cho biết thời hạn cấp thẻ?",
            "conference_id": "", "addressed_to_id": str(case.ministry.id)}
    forged = forged_csrf_token(kind, client, browser, "/my/questions/new")

    response = client.post("/my/questions/new", data={"csrf_token": forged, **form},
                           follow_redirects=False)

    assert response.status_code == 403
    assert FORM_FORGED in response.text
    session.expire_all()
    asked = select(Question.title).where(Question.asker_id == case.journalist.id)
    assert session.exec(asked).all() == []
    # The same form with the page's own token is accepted: only the token was wrong.
    sent = client.post("/my/questions/new", follow_redirects=False, data={
        "csrf_token": csrf_token(client, "/my/questions/new"), **form})
    assert sent.status_code == 303
    assert session.exec(asked).all() == ["Về cấp thẻ nhà báo"]


# 6. Where a login lands -----------------------------------------------------------------------

@pytest.mark.parametrize("role", list(HOMES), ids=lambda role: role.value)
def test_login_from_the_login_page_lands_on_the_roles_home(role, browser, session):
    user = factories.user(session, role)
    session.commit()
    client = browser()

    response = log_in(client, user.email)

    assert response.status_code == 303
    assert response.headers["location"] == HOMES[role]
    home = client.get(HOMES[role])
    assert home.status_code == 200
    assert name_shown(user) in home.text


def test_login_with_a_safe_next_goes_there(browser, session):
    user = factories.user(session, Role.SPOKESPERSON)
    session.commit()

    response = log_in(browser(), user.email, page="/login?next=" + quote("/answers?page=2"))

    assert response.headers["location"] == "/answers?page=2"


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example/login",
                                    "/\\evil.example", "javascript:alert(1)"])
def test_login_with_an_unsafe_next_lands_on_the_roles_home(target, browser, session):
    user = factories.user(session, Role.JOURNALIST)
    session.commit()
    client = browser()

    via_page = log_in(client, user.email, page="/login?next=" + quote(target, safe=""))
    posted = client.post("/login", follow_redirects=False, data={
        "csrf_token": csrf_token(client), "next": target, "email": user.email,
        "password": factories.PASSWORD})

    assert via_page.headers["location"] == "/my/questions"
    assert posted.headers["location"] == "/my/questions"
