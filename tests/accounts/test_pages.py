from __future__ import annotations

from sqlmodel import select

from pressroom.accounts.enums import Role
from pressroom.accounts.models import LoginAttempt, LoginSession
from pressroom.core.security import LANG_COOKIE, SESSION_COOKIE, token_digest
from tests import factories
from tests.conftest import csrf_token


def test_login_sets_session_cookie_and_redirects_to_the_roles_home(client, session):
    user = factories.user(session, Role.JOURNALIST, email="ha.dang@example.vn")
    session.commit()
    response = client.post("/login", data={
        "csrf_token": csrf_token(client), "email": "Ha.Dang@example.vn",
        "password": factories.PASSWORD, "next": "/"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = response.cookies[SESSION_COOKIE]
    row = session.exec(select(LoginSession).where(
        LoginSession.token_hash == token_digest(cookie))).one()
    assert row.user_id == user.id
    set_cookie = response.headers.get_list("set-cookie")
    assert any(SESSION_COOKIE in c and "HttpOnly" in c and "samesite=lax" in c.lower()
               for c in set_cookie)


def test_wrong_password_shows_error_keeps_email_and_records_attempt(client, session):
    factories.user(session, Role.JOURNALIST, email="sai@example.vn")
    session.commit()
    response = client.post("/login", data={
        "csrf_token": csrf_token(client), "email": "sai@example.vn", "password": "khong-dung"})
    assert response.status_code == 400
    assert 'value="sai@example.vn"' in response.text
    assert "Địa chỉ thư điện tử hoặc mật khẩu không đúng." in response.text
    assert session.exec(select(LoginAttempt).where(LoginAttempt.email == "sai@example.vn")).one()


def test_login_without_csrf_token_is_refused(client, session):
    factories.user(session, Role.JOURNALIST, email="csrf@example.vn")
    session.commit()
    response = client.post("/login", data={"email": "csrf@example.vn",
                                           "password": factories.PASSWORD})
    assert response.status_code == 403
    assert SESSION_COOKIE not in response.cookies


def test_logout_deletes_the_session_row(login_as, session):
    client, user = login_as("journalist")
    token = client.cookies[SESSION_COOKIE]
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/")},
                           follow_redirects=False)
    assert response.headers["location"] == "/"
    session.expire_all()
    assert session.exec(select(LoginSession).where(
        LoginSession.token_hash == token_digest(token))).first() is None


def test_private_page_redirects_anonymous_to_login(client):
    response = client.get("/my/questions", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fmy%2Fquestions"


def test_language_switch_to_english_and_back(client):
    response = client.post("/lang", data={"csrf_token": csrf_token(client, "/"), "lang": "en",
                                          "next": "/conferences"}, follow_redirects=False)
    assert response.headers["location"] == "/conferences"
    assert response.cookies[LANG_COOKIE] == "en"
    english = client.get("/login")
    assert '<html lang="en"' in english.text
    assert "Log in" in english.text
    client.cookies.set(LANG_COOKIE, "vi")
    assert "Đăng nhập" in client.get("/login").text


def test_language_switch_refuses_offsite_next(client):
    response = client.post("/lang", data={"csrf_token": csrf_token(client, "/"), "lang": "en",
                                          "next": "//evil.example/x"}, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_wrong_role_gets_a_403_page_that_says_why(login_as):
    client, _user = login_as("journalist")
    response = client.get("/staff/questions")
    assert response.status_code == 403
    assert "Bạn không có quyền thực hiện thao tác này" in response.text


def test_security_headers_on_pages(client):
    response = client.get("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
